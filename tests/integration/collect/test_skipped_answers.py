"""Who was asked: a question shown but left unanswered is stored as `_skipped`, a hidden one
gets no row, "Vil ikke svare" stays `_declined`; and the reports count from that."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from sqlalchemy import select

from surveyapp.collect import review
from surveyapp.collect.versions import current_version
from surveyapp.db.models import SKIPPED, Answer
from surveyapp.reports.model import MISSING
from surveyapp.reports.summary import build_report
from tests import helpers
from tests.helpers import Respondent, store_one
from tests.integration.collect.skipped_cases import FLYT_CASES, PASIENT_CASES, D, S


def stored(db, response_id: str) -> dict[str, list[str]]:
    rows = db.scalars(
        select(Answer)
        .where(Answer.response_id == response_id)
        .order_by(Answer.question_id, Answer.position)
    )
    answers: dict[str, list[str]] = {}
    for row in rows:
        answers.setdefault(row.question_id, []).append(row.value)
    return answers


@pytest.mark.parametrize("case", list(FLYT_CASES))
def test_flyt_stores_skipped_for_shown_unanswered_questions_only(db, case):
    given, expected = FLYT_CASES[case]
    response_id = store_one(db, "flyt", "nidaros", given)
    assert stored(db, response_id) == expected


@pytest.mark.parametrize("case", list(PASIENT_CASES))
def test_pasient_stores_skipped_for_shown_unanswered_questions_only(db, case):
    given, expected = PASIENT_CASES[case]
    response_id = store_one(db, "pasient", "tiller", given)
    assert stored(db, response_id) == expected


def test_skipped_rows_have_no_number_no_review_and_their_response_columns(db):
    response_id = store_one(db, "flyt", "nidaros", {"rolle": ["pasient"], "bra": ["Bra"]})
    rows = {row.question_id: row for row in db.scalars(select(Answer))}
    bra = rows.pop("bra")
    assert bra.review == "pending"  # the free text alone waits for review
    assert {row.value for q, row in rows.items() if q != "rolle"} == {SKIPPED}
    for row in rows.values():
        assert (row.number, row.review, row.position) == (None, None, 0)
        response = row.response
        assert (row.dps_id, row.mode, row.submitted_on, row.questionnaire_version_id) == (
            response.dps_id,
            response.mode,
            response.submitted_on,
            response.questionnaire_version_id,
        )
    assert response.id == response_id
    assert review.pending_total(db) == 1


def test_a_self_filled_form_stores_the_skipped_questions(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({"q:mott": "ja", "q:hjalp": "_declined"})
    assert "flere spørsmål ble vist" in respondent.html  # hvordan: shown now, left empty
    respondent.post({})
    assert respondent.post({"q:kort": "trygt"}).status_code == 303
    [response_id] = {row.response_id for row in db.scalars(select(Answer))}
    assert stored(db, response_id) == {
        "rolle": ["pasient"],
        "alder": [S],
        "mott": ["ja"],
        "hjalp": [D],
        "hvordan": [S],
        "antall": [S],
        "kort": ["trygt"],
    }


def test_a_finalised_interview_stores_the_skipped_questions(app, db):
    interviewer = helpers.signed_in(app, db, "interviewer", "kari")
    csrf = {"X-CSRFToken": interviewer.get("/intervju/api/token").get_json()["token"]}
    payload = {
        "draft_id": secrets.token_urlsafe(18),
        "version_id": current_version(db, "flyt").id,
        "dps_id": "tiller",
        "answers": {"rolle": ["parorende"], "mott": ["nei"], "involvert.lyttet": ["2"]},
        "key": "i" * 24,
    }
    result = interviewer.post("/intervju/api/fullfor", json=payload, headers=csrf)
    assert result.status_code == 201, result.get_data(True)
    [response_id] = {row.response_id for row in db.scalars(select(Answer))}
    assert stored(db, response_id) == {
        "rolle": ["parorende"],
        "alder": [S],
        "mott": ["nei"],
        "onsket": [S],
        "involvert.info": [S],
        "involvert.lyttet": ["2"],
        "antall": [S],
    }


def _figures(report, answer_id: str, column: str) -> dict[str, int | None]:
    [table] = [t for t in report.tables if t.answer_id == answer_id]
    figures = {row.value: row.cells[column].count for row in table.rows}
    return figures | {"answered": table.answered[column]}


def test_the_report_counts_ikke_besvart_among_those_asked_only(app, db):
    helpers.store_responses(
        app,
        "nidaros",
        [
            {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["4"]},
            {"rolle": ["pasient"], "mott": ["ja"], "hjalp": [D], "hvordan": ["nav"]},
            {"rolle": ["pasient"], "mott": ["ja"]},  # hjalp and hvordan shown, left empty
            {"rolle": ["pasient"], "mott": ["nei"]},  # hjalp and hvordan never shown
            {"rolle": ["parorende"]},  # mott left empty: no follow-ups
        ],
    )
    # stored in 2026-H2 (the helpers' day), read after it has ended
    report = build_report(db, "flyt", min_count=1, today=dt.date(2027, 1, 5))
    hjalp = _figures(report, "hjalp", "nidaros")
    assert (hjalp["answered"], hjalp[D], hjalp[MISSING]) == (1, 1, 1)  # of 5 responses
    [table] = [t for t in report.tables if t.answer_id == "hjalp"]
    assert table.rows[3].value == "4" and table.rows[3].cells["nidaros"].percent == 1.0
    hvordan = _figures(report, "hvordan", "nidaros")  # a multiple choice
    assert (hvordan["answered"], hvordan[D], hvordan[MISSING], hvordan["nav"]) == (1, 0, 2, 1)
    mott = _figures(report, "mott", "nidaros")
    assert (mott["answered"], mott[D], mott[MISSING]) == (4, 0, 1)
    lyttet = _figures(report, "involvert.lyttet", "nidaros")  # next of kin only
    assert (lyttet["answered"], lyttet[D], lyttet[MISSING]) == (0, 0, 1)
    assert SKIPPED not in {row.value for table in report.tables for row in table.rows}
