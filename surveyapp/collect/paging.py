"""Moving through a paged form: which page comes next, and when the answers are complete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from surveyapp.collect.submission import AnswerError, validate, visible_questions
from surveyapp.questionnaire import Page, Questionnaire


def visible_pages(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> list[int]:
    """Indexes of the pages that have at least one visible question."""
    visible = visible_questions(questionnaire, answers)
    return [
        index
        for index, page in enumerate(questionnaire.pages)
        if any(q.id in visible for q in page.questions)
    ]


def next_page(
    questionnaire: Questionnaire, answers: dict[str, list[str]], current: int
) -> int | None:
    later = [i for i in visible_pages(questionnaire, answers) if i > current]
    return later[0] if later else None


def previous_page(questionnaire: Questionnaire, answers: dict[str, list[str]], current: int) -> int:
    earlier = [i for i in visible_pages(questionnaire, answers) if i < current]
    return earlier[-1] if earlier else 0


def first_page(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> int:
    pages = visible_pages(questionnaire, answers)
    return pages[0] if pages else 0


def progress(
    questionnaire: Questionnaire, answers: dict[str, list[str]], current: int
) -> tuple[int, int]:
    """(number of this page, number of pages) among the visible ones, for 'Side 2 av 5'."""
    pages = visible_pages(questionnaire, answers)
    position = sum(1 for i in pages if i <= current)
    return max(position, 1), max(len(pages), 1)


@dataclass(frozen=True)
class Step:
    """What the form does next: show `page` (with errors or a notice), or store `answers`."""

    page: int
    answers: dict[str, list[str]]
    errors: tuple[AnswerError, ...] = ()
    notice: str | None = None  # "new_questions": answers opened follow-ups on this page
    store: bool = False


def advance(
    questionnaire: Questionnaire,
    answers: dict[str, list[str]],
    current: int,
    action: str,
    *,
    dps_ids: Sequence[str] = (),
    shown: set[str] | None = None,
) -> Step:
    """Move back or forward from page `current`; the server's rules, whatever the browser did.

    `shown` is the set of question ids the page displayed, when the browser did not apply
    conditions itself (no JavaScript): questions that became visible only now are shown
    before moving on.
    """
    if action == "back":
        return Step(previous_page(questionnaire, answers, current), answers)
    page = questionnaire.pages[current]
    cleaned, errors = validate(questionnaire, answers, dps_ids=dps_ids, only=page.questions)
    if errors:
        return Step(current, answers, tuple(errors))
    if shown is not None and _new_questions(questionnaire, answers, page, shown):
        return Step(current, answers, notice="new_questions")
    following = next_page(questionnaire, cleaned, current)
    if following is not None:
        return Step(following, cleaned)
    cleaned, errors = validate(questionnaire, answers, dps_ids=dps_ids)
    if errors:
        first = questionnaire.page_of(errors[0].answer_id.split(".")[0])
        return Step(questionnaire.pages.index(first), answers, tuple(errors))
    return Step(current, cleaned, store=True)


def _new_questions(questionnaire: Questionnaire, answers, page: Page, shown: set[str]) -> bool:
    visible = visible_questions(questionnaire, answers)
    return any(
        q.id in visible and q.id not in shown and not any(answers.get(a) for a in q.answer_ids)
        for q in page.questions
        if q.answer_ids
    )
