"""Storing responses: idempotent on the submission key, also when two requests race."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, update

from surveyapp.collect.submission import KeyReused, store_response
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db.models import Response

ANSWERS = {"rolle": ["pasient"], "hjalp": ["4"], "antall": ["3"]}


def store(app, key: str, today=dt.date(2026, 11, 26), precision="day", answers=None):
    with app.extensions["db_sessionmaker"]() as session:
        version = current_version(session, "flyt")
        return store_response(
            session,
            version=version,
            questionnaire=questionnaire_of(version),
            dps_id="tiller",
            mode="self",
            answers=answers or ANSWERS,
            submission_key=key,
            today=today,
            date_precision=precision,
        )


def test_same_key_twice_stores_one_response(app, db):
    first_id, created = store(app, "k" * 20)
    second_id, created_again = store(app, "k" * 20)
    assert created and not created_again
    assert first_id == second_id
    assert db.scalar(select(func.count()).select_from(Response)) == 1


def test_two_racing_submissions_with_one_key_store_one_response(app, db):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(store(app, "race" * 5))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({response_id for response_id, _ in results}) == 1
    assert db.scalar(select(func.count()).select_from(Response)) == 1


def test_week_precision_stores_only_the_monday_of_the_iso_week(app, db):
    store(app, "w" * 20, today=dt.date(2026, 11, 26), precision="week")
    response = db.scalar(select(Response))
    assert response.submitted_on == dt.date(2026, 11, 23)
    assert response.date_precision == "week"


def test_answers_carry_exactly_their_response_columns(app, db):
    store(app, "c" * 20, today=dt.date(2026, 11, 26), precision="week")
    response = db.scalar(select(Response))
    copies = {
        (a.questionnaire_version_id, a.dps_id, a.mode, a.submitted_on) for a in response.answers
    }
    expected = (response.questionnaire_version_id, "tiller", "self", dt.date(2026, 11, 23))
    assert copies == {expected}
    # the three answers, and the two questions shown but left unanswered
    assert sorted(a.question_id for a in response.answers) == [
        "alder",
        "antall",
        "hjalp",
        "mott",
        "rolle",
    ]


def test_numbers_are_stored_for_means_and_not_applicable_is_not(app, db):
    store(app, "n" * 20)
    response = db.scalar(select(Response))
    numbers = {a.question_id: a.number for a in response.answers}
    assert numbers == {"rolle": None, "hjalp": 4.0, "antall": 3.0, "alder": None, "mott": None}


def test_a_used_key_with_other_answers_is_refused_and_changes_nothing(app, db):
    store(app, "u" * 20)
    with pytest.raises(KeyReused):
        store(app, "u" * 20, answers={**ANSWERS, "antall": ["4"]})
    assert db.scalar(select(func.count()).select_from(Response)) == 1
    assert db.scalar(select(Response.payload_hash)) is not None


def test_the_payload_hash_says_nothing_without_the_key(app, db):
    store(app, "a" * 20)
    store(app, "b" * 20)  # the same answers under another key
    hashes = set(db.scalars(select(Response.payload_hash)))
    assert len(hashes) == 2


def test_a_response_stored_before_payload_hashes_takes_a_resend_as_a_retry(app, db):
    """Revision 0005 leaves older responses without a hash: what was sent is unknown, so
    a resend with their key is taken for a retry, as before."""
    first_id, _ = store(app, "o" * 20)
    db.execute(update(Response).values(payload_hash=None))
    db.commit()
    again_id, created = store(app, "o" * 20, answers={**ANSWERS, "antall": ["9"]})
    assert (again_id, created) == (first_id, False)
    assert db.scalar(select(func.count()).select_from(Response)) == 1
