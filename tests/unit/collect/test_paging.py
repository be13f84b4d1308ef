"""Moving through a paged form, decided on the server from the questionnaire alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveyapp.collect.paging import advance, first_page, next_page, progress
from surveyapp.questionnaire import load_file

FLYT = Path(__file__).resolve().parents[2] / "data" / "questionnaires" / "flyt.yaml"
QUESTIONNAIRES = Path(__file__).resolve().parents[3] / "questionnaires"
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


def test_progress_counts_a_hidden_page_until_its_question_is_passed(flyt):
    # on the first page the page for next of kin may still be shown: it counts
    assert progress(flyt, {}, OM) == (1, 4)
    assert progress(flyt, {"rolle": ["pasient"]}, OM) == (1, 4)
    # a patient has passed the question that hides it: it no longer counts
    assert progress(flyt, {"rolle": ["pasient"]}, EK) == (2, 3)
    assert progress(flyt, {"rolle": ["parorende"]}, PARORENDE) == (3, 4)


def walk(questionnaire, answers):
    """The progress shown on every page a respondent with these answers passes, forward."""
    shown, page = [], first_page(questionnaire, answers)
    while page is not None:
        shown.append(progress(questionnaire, answers, page))
        page = next_page(questionnaire, answers, page)
    return shown


def assert_never_back_nor_jumps(shown):
    numbers = [number for number, _ in shown]
    totals = [total for _, total in shown]
    assert numbers == list(range(1, len(shown) + 1))  # "Neste" adds one, every time
    assert totals == sorted(totals, reverse=True)  # the total never grows going on
    assert shown[-1][0] == shown[-1][1]  # the last page says so


@pytest.mark.parametrize(
    "answers",
    [
        {"rolle": ["pasient"], "mott": ["nei"]},
        {"rolle": ["parorende"], "mott": ["ja"]},
        {"rolle": ["parorende"]},
    ],
)
def test_progress_never_goes_back_or_jumps_forward_and_back(flyt, answers):
    shown = walk(flyt, answers)
    assert_never_back_nor_jumps(shown)
    # "Tilbake" from the last page takes one away from the number
    page = len(flyt.pages) - 1
    while page != first_page(flyt, answers):
        before = progress(flyt, answers, page)[0]
        page = advance(flyt, answers, page, "back").page
        assert progress(flyt, answers, page)[0] == before - 1


@pytest.mark.parametrize("rolle", ["pasient", "parorende"])
@pytest.mark.parametrize("mott_ek", ["ja", "nei", None])
def test_the_patient_questionnaire_counts_its_seven_pages_from_the_first(rolle, mott_ek):
    pasient = load_file(QUESTIONNAIRES / "pasient.yaml").questionnaire
    answers = {"rolle": [rolle]} | ({"mott_ek": [mott_ek], "ek_hjelp": ["4"]} if mott_ek else {})
    assert progress(pasient, {}, 0) == (1, len(pasient.pages))  # before anything is chosen
    shown = walk(pasient, answers)
    assert_never_back_nor_jumps(shown)
    assert shown[0] == (1, 7) and len(shown) == 7
