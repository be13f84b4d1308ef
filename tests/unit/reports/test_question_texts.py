"""The text a table of a matrix row is headed by: the matrix's title and the row's own."""

from __future__ import annotations

from surveyapp.questionnaire import load_file
from surveyapp.reports.summary import _answer_ids_with_text
from tests.conftest import QUESTIONNAIRES

PASIENT = load_file(QUESTIONNAIRES / "pasient.yaml").questionnaire


def texts(question_id: str, language: str = "nb") -> dict[str, str]:
    return dict(_answer_ids_with_text(PASIENT.question(question_id), language))


def test_a_title_without_closing_punctuation_is_joined_to_the_row_by_a_colon():
    nav = texts("samarbeid")["samarbeid.nav"]
    assert nav.startswith("Samarbeidet mellom DPS-et og NAV og kommunen: I hvilken grad har")
    assert texts("samarbeid", "en")["samarbeid.nav"].startswith(
        "Cooperation between the DPS, NAV and the municipality: "
    )


def test_a_title_that_is_a_question_is_followed_by_the_row_after_a_space():
    assert texts("hort")["hort.lyttet"] == (
        "Hvordan har du opplevd kontakten med DPS-et? "
        "I hvilken grad har de som jobber der, lyttet til deg?"
    )


def test_a_question_that_is_not_a_matrix_keeps_its_own_text():
    assert texts("fornoyd_kontakt") == {
        "fornoyd_kontakt": PASIENT.question("fornoyd_kontakt").text.get_text("nb")
    }
