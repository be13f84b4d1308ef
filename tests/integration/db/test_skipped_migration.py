"""Migration 0007: responses stored before it get the `_skipped` rows a submission stores
now, worked out from their own answers and their own questionnaire version."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, insert, select, text

from surveyapp.collect.submission import answer_rows
from surveyapp.db import alembic_config, make_engine, upgrade
from surveyapp.db.models import SKIPPED, Answer, Response, answers_of
from surveyapp.questionnaire import load_text
from tests.integration.collect.skipped_cases import FLYT_CASES, PASIENT_CASES

ROOT = Path(__file__).resolve().parents[3]
SOURCES = {
    "flyt": ROOT / "tests" / "data" / "questionnaires" / "flyt.yaml",
    "pasient": ROOT / "questionnaires" / "pasient.yaml",
}
VERSION_IDS = {"flyt": 11, "pasient": 12, "broken": 13}
ROW = (
    "response_id",
    "question_id",
    "position",
    "value",
    "number",
    "review",
    "questionnaire_version_id",
    "dps_id",
    "mode",
    "submitted_on",
)


def old_database(url: str):
    """A database at revision 0004 with the DPS units and the questionnaire versions."""
    engine = make_engine(url)
    upgrade(engine, "0004")
    sources = {name: path.read_text(encoding="utf-8") for name, path in SOURCES.items()}
    sources["broken"] = "id: broken\npages: [\n"  # loaded by nobody; it has no responses
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO dps_area (id, name, health_trust) VALUES ('a', 'A', 'H')")
        )
        for unit in ("nidaros", "tiller"):
            connection.execute(
                text(
                    "INSERT INTO dps_unit (id, name, area_id, health_trust, places, notes, "
                    "active, sort_order) VALUES (:id, :id, 'a', 'H', '', '', true, 0)"
                ),
                {"id": unit},
            )
        for name, source in sources.items():
            connection.execute(
                text(
                    "INSERT INTO questionnaire_version (id, questionnaire_id, content_hash, "
                    "source_name, source_text, loaded_at, current) VALUES "
                    "(:id, :name, :hash, :file, :source, '2026-11-01 00:00:00', true)"
                ),
                {
                    "id": VERSION_IDS[name],
                    "name": name,
                    "hash": f"hash-{name}",
                    "file": f"{name}.yaml",
                    "source": source,
                },
            )
    return engine


def questionnaire(name: str):
    return load_text(SOURCES[name].read_text(encoding="utf-8"), f"{name}.yaml").questionnaire


def planned_responses(extra: int = 0):
    """(response, given answers, questionnaire name, expected values) for every case, in
    both modes and DPS units, and `extra` more so that the migration needs several batches."""
    plan = []
    for name, cases in (("flyt", FLYT_CASES), ("pasient", PASIENT_CASES)):
        for number, (given, expected) in enumerate(cases.values()):
            for mode, dps in (("self", "nidaros"), ("interview", "tiller")):
                plan.append((response(name, dps, mode, number), given, name, expected))
    for number in range(extra):
        plan.append(
            (
                response("flyt", "tiller", "self", number),
                {"rolle": ["parorende"], "mott": ["nei"]},
                "flyt",
                None,
            )
        )
    return plan


def response(name: str, dps: str, mode: str, number: int) -> dict:
    return {
        "id": secrets.token_hex(16),
        "questionnaire_version_id": VERSION_IDS[name],
        "dps_id": dps,
        "mode": mode,
        "submitted_on": dt.date(2026, 10, 1) + dt.timedelta(days=number % 30),
        "date_precision": "day",
        "submission_key": secrets.token_hex(32),
        "synthetic": False,
    }


def fresh_rows(plan) -> list[dict]:
    """The rows a submission of each planned response stores today."""
    parsed = {name: questionnaire(name) for name in SOURCES}
    return [
        row
        for stored, given, name, _expected in plan
        for row in answers_of(stored, answer_rows(parsed[name], given))
    ]


def store_as_before_0007(engine, plan) -> list[dict]:
    """The planned responses with the rows submissions stored before: no skipped rows."""
    old = [row for row in fresh_rows(plan) if row["value"] != SKIPPED]
    with engine.begin() as connection:
        connection.execute(insert(Response.__table__), [stored for stored, *_ in plan])
        connection.execute(insert(Answer.__table__), old)
    return old


def rows_in(engine) -> set[tuple]:
    with engine.connect() as connection:
        return {
            tuple(row) for row in connection.execute(select(*[Answer.__table__.c[c] for c in ROW]))
        }


def as_tuples(rows: list[dict]) -> set[tuple]:
    return {tuple(row[c] for c in ROW) for row in rows}


def values_of(engine, response_id: str) -> dict[str, list[str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Answer.question_id, Answer.value)
            .where(Answer.response_id == response_id)
            .order_by(Answer.question_id, Answer.position)
        )
        answers: dict[str, list[str]] = {}
        for question_id, value in rows:
            answers.setdefault(question_id, []).append(value)
    return answers


def revision(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_old_responses_get_the_rows_a_fresh_submission_stores(unmigrated_database_url):
    engine = old_database(unmigrated_database_url)
    plan = planned_responses(extra=1010)  # more than one batch of one version
    old = store_as_before_0007(engine, plan)
    assert len(old) < len(fresh_rows(plan))  # there is something to add
    upgrade(engine)
    assert rows_in(engine) == as_tuples(fresh_rows(plan))
    for stored, _given, _name, expected in plan:
        if expected is not None:  # as written out by hand in the cases
            assert values_of(engine, stored["id"]) == expected
    engine.dispose()


def test_the_downgrade_removes_the_skipped_rows_and_the_upgrade_adds_them_again(
    unmigrated_database_url,
):
    engine = old_database(unmigrated_database_url)
    plan = planned_responses()
    old = store_as_before_0007(engine, plan)
    upgrade(engine)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    assert rows_in(engine) == as_tuples(old)  # free text and declined rows stay
    upgrade(engine)
    assert rows_in(engine) == as_tuples(fresh_rows(plan))
    engine.dispose()


def test_a_stored_version_that_does_not_load_stops_the_migration_and_changes_nothing(
    unmigrated_database_url,
):
    engine = old_database(unmigrated_database_url)
    plan = planned_responses()
    broken = response("broken", "nidaros", "self", 0)
    old = store_as_before_0007(engine, plan)
    with engine.begin() as connection:
        connection.execute(insert(Response.__table__), [broken])
    with pytest.raises(RuntimeError, match=r"version 13 \(broken\.yaml, hash-broken\).*not load"):
        upgrade(engine)
    assert revision(engine) == "0004"
    assert rows_in(engine) == as_tuples(old)
    with engine.connect() as connection:
        assert (
            connection.execute(select(func.count()).select_from(Response)).scalar() == len(plan) + 1
        )
    engine.dispose()
