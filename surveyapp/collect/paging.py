"""Which page of a paged form comes next, given the answers so far."""

from __future__ import annotations

from surveyapp.collect.submission import visible_questions
from surveyapp.questionnaire import Questionnaire


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
