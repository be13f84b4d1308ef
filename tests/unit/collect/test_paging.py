"""Moving through a paged form, decided on the server from the questionnaire alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveyapp.collect.paging import advance, progress
from surveyapp.questionnaire import load_file

FLYT = Path(__file__).resolve().parents[2] / "data" / "questionnaires" / "flyt.yaml"
OM, EK, PARORENDE, SLUTT = range(4)


@pytest.fixture(scope="module")
def flyt():
    return load_file(FLYT).questionnaire


def test_a_missing_required_answer_keeps_the_respondent_on_the_page(flyt):
    step = advance(flyt, {}, OM, "next")
    assert (step.page, step.store) == (OM, False)
    assert [(e.answer_id, e.code) for e in step.errors] == [("rolle", "required")]


def test_pages_whose_condition_is_false_are_skipped_both_ways(flyt):
    answers = {"rolle": ["pasient"], "mott": ["nei"]}
    assert advance(flyt, answers, EK, "next").page == SLUTT
    assert advance(flyt, answers, SLUTT, "back").page == EK
    answers["rolle"] = ["parorende"]
    assert advance(flyt, answers, EK, "next").page == PARORENDE


def test_follow_ups_opened_on_the_page_are_shown_first_without_javascript(flyt):
    answers = {"rolle": ["pasient"], "mott": ["ja"]}
    step = advance(flyt, answers, EK, "next", shown={"mott"})
    assert (step.page, step.notice) == (EK, "new_questions")
    # with JavaScript the browser already showed them
    assert advance(flyt, answers, EK, "next", shown=None).page == SLUTT


def test_the_last_page_stores_only_visible_answers(flyt):
    answers = {"rolle": ["pasient"], "mott": ["nei"], "hjalp": ["5"], "onsket": ["ja"]}
    step = advance(flyt, answers, SLUTT, "next")
    assert step.store
    assert step.answers == {"rolle": ["pasient"], "mott": ["nei"], "onsket": ["ja"]}


def test_errors_on_an_earlier_page_send_the_respondent_back_there(flyt):
    # a tampered form jumps to the last page without the required answer
    step = advance(flyt, {"antall": ["3"]}, SLUTT, "next")
    assert (step.page, step.store) == (OM, False)
    assert step.errors[0].answer_id == "rolle"


def test_progress_counts_visible_pages(flyt):
    assert progress(flyt, {}, OM) == (1, 3)
    assert progress(flyt, {"rolle": ["parorende"]}, PARORENDE) == (3, 4)
