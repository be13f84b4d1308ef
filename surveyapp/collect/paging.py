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
    """(number of this page, number of pages), for 'Side 2 av 7'; it never goes back or jumps.

    A page counts while it is shown or may still be: a hidden page counts until the
    respondent has passed every question its conditions read (conditions read only earlier
    questions). So "Neste" adds one to the number and "Tilbake" takes one away, and the total
    never grows while the respondent moves on: it shrinks only when a page can no longer be
    shown, as the respondent leaves the page whose answer hid it.
    """
    shown = set(visible_pages(questionnaire, answers))
    counted = [
        index
        for index in range(len(questionnaire.pages))
        if index in shown or (index > current and _still_open(questionnaire, index, current))
    ]
    position = sum(1 for i in counted if i <= current)
    return max(position, 1), max(len(counted), 1)


def _still_open(questionnaire: Questionnaire, index: int, current: int) -> bool:
    """Whether a condition of page `index` reads a question on page `current` or later."""
    page = questionnaire.pages[index]
    conditions = [page.show_if] + [q.show_if for q in page.questions]
    return any(
        questionnaire.pages.index(questionnaire.page_of(ref.split(".")[0])) >= current
        for condition in conditions
        if condition is not None
        for ref in condition.references
    )


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
