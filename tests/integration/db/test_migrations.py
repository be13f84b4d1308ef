"""The schema comes only from Alembic migrations, and they match the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from surveyapp.db import alembic_config, make_engine, upgrade
from surveyapp.db.models import Base

PASIENT = Path(__file__).resolve().parents[3] / "questionnaires" / "pasient.yaml"


def test_migrations_produce_the_same_schema_as_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(database_url):
    if not database_url.startswith("sqlite"):
        return
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_answers_stored_before_0004_get_their_response_columns(unmigrated_database_url):
    engine = make_engine(unmigrated_database_url)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO dps_area (id, name, health_trust) VALUES ('a', 'A', 'H')")
        )
        connection.execute(
            text(
                "INSERT INTO dps_unit (id, name, area_id, health_trust, places, notes, active, "
                "sort_order) VALUES ('tiller', 'Tiller DPS', 'a', 'H', '', '', true, 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO questionnaire_version (id, questionnaire_id, content_hash, "
                "source_name, source_text, loaded_at, current) "
                "VALUES (7, 'pasient', 'h', 'p.yaml', :source, '2026-11-01 00:00:00', true)"
            ),
            {"source": PASIENT.read_text(encoding="utf-8")},  # 0007 reads it
        )
        connection.execute(
            text(
                "INSERT INTO response (id, questionnaire_version_id, dps_id, mode, "
                "submitted_on, date_precision, submission_key, synthetic) VALUES "
                "('r1', 7, 'tiller', 'interview', '2026-11-02', 'day', 'k1', false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO answer (response_id, question_id, position, value, number, review) "
                "VALUES ('r1', 'hvordan', 0, 'hap', NULL, NULL), "
                "('r1', 'hvordan', 1, 'nav', NULL, NULL), ('r1', 'annet', 0, 'x', NULL, 'pending')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT questionnaire_version_id, dps_id, mode, submitted_on FROM answer "
                "WHERE value <> '_skipped' ORDER BY question_id, position"
            )
        ).all()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    assert [(v, d, m, str(s)) for v, d, m, s in rows] == [
        (7, "tiller", "interview", "2026-11-02")
    ] * 3


def _one_response(connection, response_id="r1", dps="tiller") -> None:
    connection.execute(
        text(
            "INSERT INTO response (id, questionnaire_version_id, dps_id, mode, submitted_on, "
            "date_precision, submission_key, synthetic) VALUES "
            f"('{response_id}', 7, '{dps}', 'self', '2026-11-02', 'day', 'k{response_id}', false)"
        )
    )


def _answer(connection, response_id="r1", dps="tiller", question="q", mode="self") -> None:
    connection.execute(
        text(
            "INSERT INTO answer (response_id, question_id, position, value, number, review, "
            "questionnaire_version_id, dps_id, mode, submitted_on) VALUES "
            f"('{response_id}', '{question}', 0, 'x', NULL, NULL, 7, '{dps}', '{mode}', "
            "'2026-11-02')"
        )
    )


def _units_and_version(connection) -> None:
    connection.execute(text("INSERT INTO dps_area (id, name, health_trust) VALUES ('a', 'A', 'H')"))
    for unit in ("tiller", "nidaros"):
        connection.execute(
            text(
                "INSERT INTO dps_unit (id, name, area_id, health_trust, places, notes, active, "
                f"sort_order) VALUES ('{unit}', '{unit}', 'a', 'H', '', '', true, 0)"
            )
        )
    connection.execute(
        text(
            "INSERT INTO questionnaire_version (id, questionnaire_id, content_hash, "
            "source_name, source_text, loaded_at, current) "
            "VALUES (7, 'pasient', 'h', 'p.yaml', :source, '2026-11-01 00:00:00', true)"
        ),
        {"source": PASIENT.read_text(encoding="utf-8")},  # 0007 reads it
    )


@pytest.mark.parametrize("column,value", [("dps", "nidaros"), ("mode", "interview")])
def test_the_database_refuses_an_answer_whose_copies_differ_from_its_response(
    database_url, column, value
):
    engine = make_engine(database_url)
    with engine.begin() as connection:
        _units_and_version(connection)
        _one_response(connection)
        _answer(connection)  # agrees with its response
    with pytest.raises(IntegrityError), engine.begin() as connection:
        _answer(connection, question="other", **{column: value})
    engine.dispose()


def test_0006_keeps_every_answer_and_sqlite_keeps_no_rowid(unmigrated_database_url):
    engine = make_engine(unmigrated_database_url)
    upgrade(engine, "0004")
    with engine.begin() as connection:
        _units_and_version(connection)
        for number in range(3):
            _one_response(connection, f"r{number}")
            _answer(connection, f"r{number}", question="a")
            _answer(connection, f"r{number}", question="b")
    upgrade(engine, "0006")  # 0007 adds _skipped rows (test_skipped_migration.py)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answer")).scalar() == 6
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        if engine.dialect.name == "sqlite":
            for table in ("response", "answer"):
                with pytest.raises(OperationalError):
                    connection.execute(text(f"SELECT rowid FROM {table}"))
            indexes = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'ix_answer_report'")
            ).scalar()
            assert "WHERE review IS NULL" in indexes
    with engine.begin() as connection:
        config = alembic_config(connection)
        from alembic import command

        command.downgrade(config, "0004")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answer")).scalar() == 6
    upgrade(engine, "0006")  # 0007 adds _skipped rows (test_skipped_migration.py)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answer")).scalar() == 6
    engine.dispose()
