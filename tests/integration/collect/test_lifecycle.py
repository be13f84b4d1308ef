"""Deleting responses (per questionnaire, per DPS) and the retention period (`surveyapp purge`)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from surveyapp.collect import lifecycle
from surveyapp.collect.lifecycle import (
    Actor,
    count_older_than,
    count_responses,
    delete_responses,
    months_before,
    purge_cutoff,
    purge_older_than,
)
from surveyapp.collect.versions import current_version
from surveyapp.config import settings_from_environment
from surveyapp.db.models import Answer, AuditEntry, InterviewDraft, Response, User
from surveyapp.periods import period_of
from tests.helpers import store_one

ANSWERS = {
    "flyt": {"rolle": ["pasient"], "mott": ["ja"], "hjalp": ["4"]},
    "leder": {"respondent": ["leder"], "har_ek": ["nei"]},
}
ADMIN = Actor("testadmin")


def store(db, questionnaire_id: str, dps_id: str, day: dt.date = dt.date(2026, 11, 20)) -> str:
    return store_one(db, questionnaire_id, dps_id, ANSWERS[questionnaire_id], day=day)


def remaining(db) -> set[str]:
    return set(db.scalars(select(Response.id)))


def answer_owners(db) -> set[str]:
    return set(db.scalars(select(Answer.response_id).distinct()))


def answer_rows_of(db, response_ids) -> int:
    """How many answer rows these responses have (their values and their skipped questions)."""
    statement = select(func.count()).where(Answer.response_id.in_(list(response_ids)))
    return db.scalar(statement)


def audit_entries(db, action: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def mixed(db) -> dict[tuple[str, str], str]:
    """One response for each of two questionnaires at each of two DPS units."""
    return {(q, d): store(db, q, d) for q in ("flyt", "leder") for d in ("nidaros", "tiller")}


def test_deleting_a_questionnaire_leaves_the_others_and_writes_an_audit_entry(db, mixed):
    assert count_responses(db, questionnaire_id="flyt") == 2
    rows = answer_rows_of(db, [mixed["flyt", "nidaros"], mixed["flyt", "tiller"]])
    assert delete_responses(db, questionnaire_id="flyt", by=ADMIN) == 2
    kept = {mixed["leder", "nidaros"], mixed["leder", "tiller"]}
    assert remaining(db) == kept
    assert answer_owners(db) == kept
    [entry] = audit_entries(db, lifecycle.DELETE_RESPONSES)
    assert (entry.username, entry.questionnaire_id) == ("testadmin", "flyt")
    details = json.loads(entry.details)
    assert details["questionnaire_id"] == "flyt"
    assert details["responses"] == 2
    assert details["answers"] == rows


def test_deleting_a_dps_leaves_the_others_and_writes_an_audit_entry(db, mixed):
    assert count_responses(db, dps_id="tiller") == 2
    rows = answer_rows_of(db, [mixed["flyt", "tiller"], mixed["leder", "tiller"]])
    assert delete_responses(db, dps_id="tiller", by=ADMIN) == 2
    kept = {mixed["flyt", "nidaros"], mixed["leder", "nidaros"]}
    assert remaining(db) == kept
    assert answer_owners(db) == kept
    [entry] = audit_entries(db, lifecycle.DELETE_RESPONSES)
    assert entry.questionnaire_id is None
    assert json.loads(entry.details) == {
        "dps_id": "tiller",
        "responses": 2,
        "answers": rows,
    }


def test_deleting_a_questionnaire_at_one_dps_deletes_only_that_pair(db, mixed):
    assert delete_responses(db, questionnaire_id="leder", dps_id="tiller", by=ADMIN) == 1
    assert remaining(db) == set(mixed.values()) - {mixed["leder", "tiller"]}


def test_deleting_without_a_questionnaire_or_dps_is_refused(db, mixed):
    with pytest.raises(ValueError):
        delete_responses(db, by=ADMIN)
    assert remaining(db) == set(mixed.values())


def test_deleting_a_dps_without_responses_deletes_nothing_and_says_so_in_the_log(db, mixed):
    assert delete_responses(db, dps_id="orkdal", by=ADMIN) == 0
    assert remaining(db) == set(mixed.values())
    [entry] = audit_entries(db, lifecycle.DELETE_RESPONSES)
    assert json.loads(entry.details)["responses"] == 0


def test_interview_drafts_are_not_responses_and_stay(db, mixed):
    interviewer = User(username="intervjuer", password_hash="-", role="interviewer")
    db.add(interviewer)
    db.flush()
    db.add(
        InterviewDraft(
            id="utkast-" + "d" * 20,
            interviewer_id=interviewer.id,
            questionnaire_version_id=current_version(db, "leder").id,
            dps_id="tiller",
        )
    )
    db.commit()
    delete_responses(db, questionnaire_id="leder", by=ADMIN)
    delete_responses(db, dps_id="tiller", by=ADMIN)
    assert db.scalar(select(func.count()).select_from(InterviewDraft)) == 1


def test_a_failed_audit_entry_leaves_every_response_in_place(db, mixed, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(lifecycle.audit, "record", broken)
    with pytest.raises(RuntimeError):
        delete_responses(db, dps_id="tiller", by=ADMIN)
    assert remaining(db) == set(mixed.values())
    assert len(answer_owners(db)) == 4


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 24), 1, dt.date(2026, 10, 24)),
        (dt.date(2026, 11, 24), 12, dt.date(2025, 11, 24)),
        (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),
        (dt.date(2026, 7, 31), 1, dt.date(2026, 6, 30)),
        (dt.date(2026, 2, 28), 36, dt.date(2023, 2, 28)),
    ],
)
def test_months_are_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    "today, months, cutoff",
    [
        # 2026-H1 ended on 30 June: one month later, on 31 July, it is not yet older
        (dt.date(2026, 7, 31), 1, dt.date(2026, 1, 1)),
        (dt.date(2026, 8, 1), 1, dt.date(2026, 7, 1)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 1, 1)),
        (dt.date(2026, 11, 24), 12, dt.date(2025, 7, 1)),
        (dt.date(2027, 1, 1), 6, dt.date(2026, 7, 1)),
        (dt.date(2026, 12, 31), 6, dt.date(2026, 1, 1)),
        (dt.date(2026, 2, 28), 36, dt.date(2023, 1, 1)),
    ],
)
def test_the_purge_cutoff_is_the_start_of_a_half_year(today, months, cutoff):
    assert purge_cutoff(months, today) == cutoff


def test_a_nightly_purge_takes_whole_half_years_that_ended_more_than_n_months_ago():
    """Run every day, the purge deletes nothing of a half-year until the whole of it goes:
    a published half-year's figures never change by one day's responses."""
    for months in (1, 5, 6, 7, 12, 24):
        day, before = dt.date(2025, 1, 1), None
        while day < dt.date(2028, 1, 1):
            cutoff = purge_cutoff(months, day)
            assert cutoff.day == 1 and cutoff.month in (1, 7)
            last = cutoff - dt.timedelta(days=1)  # the end of the newest half-year deleted
            assert months_before(day, months) > last  # it ended more than N months ago
            held = period_of(cutoff)  # the oldest kept has not
            assert months_before(day, months) <= held.end
            assert before is None or cutoff >= before
            day, before = day + dt.timedelta(days=1), cutoff


def test_purge_deletes_exactly_the_half_years_before_the_cutoff(db):
    today = dt.date(2026, 8, 1)  # 2026-H1 ended more than one month ago
    old = {
        store(db, "flyt", "nidaros", dt.date(2026, 6, 30)),
        store(db, "flyt", "tiller", dt.date(2026, 1, 1)),
        store(db, "leder", "tiller", dt.date(2025, 12, 31)),
    }
    kept = {
        store(db, "flyt", "tiller", dt.date(2026, 7, 1)),
        store(db, "leder", "nidaros", today),
    }
    assert count_older_than(db, 1, dt.date(2026, 7, 31)) == 1  # only 2025-H2 yet
    assert count_older_than(db, 1, today) == 3
    assert remaining(db) == old | kept  # counting deleted nothing
    rows = answer_rows_of(db, old)
    assert purge_older_than(db, 1, today, by=ADMIN) == 3
    assert remaining(db) == kept
    assert answer_owners(db) == kept
    [entry] = audit_entries(db, lifecycle.PURGE_RESPONSES)
    assert json.loads(entry.details) == {
        "months": 1,
        "before": "2026-07-01",
        "responses": 3,
        "answers": rows,
    }


def test_purge_with_nothing_old_deletes_nothing(db):
    kept = {store(db, "flyt", "nidaros", dt.date(2026, 11, 1))}
    assert purge_older_than(db, 6, dt.date(2026, 11, 24), by=ADMIN) == 0
    assert remaining(db) == kept


def test_purge_needs_at_least_one_month(db):
    with pytest.raises(ValueError):
        purge_older_than(db, 0, dt.date(2026, 11, 24), by=ADMIN)


# the command ----------------------------------------------------------------------------


def months_ago(months: int, days: int = 0) -> dt.date:
    """`days` before the first day a purge of `months` keeps today."""
    return purge_cutoff(months, dt.date.today()) - dt.timedelta(days=days)


def test_purge_command_without_a_period_says_so_and_deletes_nothing(app, runner, db):
    kept = {store(db, "flyt", "nidaros", months_ago(30))}
    app.config["RETENTION_MONTHS"] = None
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 1
    assert "Ingen oppbevaringstid er satt" in result.output
    assert "--months" in result.output
    assert remaining(db) == kept


def test_purge_command_dry_run_counts_and_deletes_nothing(runner, db):
    stored = {store(db, "flyt", "nidaros", months_ago(12, days=1)), store(db, "flyt", "tiller")}
    result = runner.invoke(args=["purge", "--months", "12", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 svar er fra før" in result.output
    assert "Ingenting er slettet" in result.output
    assert remaining(db) == stored
    assert audit_entries(db, lifecycle.PURGE_RESPONSES) == []


def test_purge_command_deletes_the_old_responses_and_writes_the_audit_log(runner, db):
    old = store(db, "flyt", "nidaros", months_ago(12, days=1))
    boundary = store(db, "flyt", "nidaros", months_ago(12))
    recent = store(db, "leder", "tiller", dt.date.today())
    result = runner.invoke(args=["purge", "--months", "12"])
    assert result.exit_code == 0, result.output
    assert f"1 svar fra før {months_ago(12).isoformat()} er slettet." in result.output
    assert old not in remaining(db)
    assert remaining(db) == {boundary, recent}
    [entry] = audit_entries(db, lifecycle.PURGE_RESPONSES)
    assert entry.username.startswith("cli:")


def test_purge_command_uses_the_retention_setting(app, runner, db):
    store(db, "flyt", "nidaros", months_ago(6, days=1))
    kept = {store(db, "flyt", "nidaros", months_ago(5))}
    app.config["RETENTION_MONTHS"] = 6
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert remaining(db) == kept


def test_purge_command_refuses_zero_months(runner, db):
    kept = {store(db, "flyt", "nidaros", months_ago(1, days=1))}
    result = runner.invoke(args=["purge", "--months", "0"])
    assert result.exit_code == 2
    assert remaining(db) == kept


# the setting ----------------------------------------------------------------------------


def test_retention_setting_is_off_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("SURVEYAPP_RETENTION_MONTHS", raising=False)
    assert settings_from_environment(str(tmp_path))["RETENTION_MONTHS"] is None


def test_retention_setting_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEYAPP_RETENTION_MONTHS", "24")
    assert settings_from_environment(str(tmp_path))["RETENTION_MONTHS"] == 24


@pytest.mark.parametrize("value", ["0", "-3", "to år", "1.5"])
def test_a_retention_setting_that_is_not_a_whole_number_of_months_is_refused(
    monkeypatch, tmp_path, value
):
    monkeypatch.setenv("SURVEYAPP_RETENTION_MONTHS", value)
    with pytest.raises(ValueError, match="SURVEYAPP_RETENTION_MONTHS"):
        settings_from_environment(str(tmp_path))
