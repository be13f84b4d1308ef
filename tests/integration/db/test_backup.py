"""`surveyapp backup` and `surveyapp restore`: a round trip loses nothing, and a restore
never replaces responses by accident."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat

import pytest
from sqlalchemy import MetaData, func, select
from sqlalchemy.engine import make_url

from surveyapp.collect.lifecycle import Actor, delete_responses
from surveyapp.collect.versions import current_version
from surveyapp.db import make_engine
from surveyapp.db.backup import BackupError, dumped_schemas, pg_target, restore, search_path_schema
from surveyapp.db.models import AuditEntry, InterviewDraft, Response, User
from tests.conftest import empty_database
from tests.helpers import store_one

ANSWERS = {
    "flyt": {
        "rolle": ["parorende"],
        "mott": ["ja"],
        "hjalp": ["9"],
        "hvordan": ["hap", "nav"],
        "involvert.info": ["3"],
        "antall": ["2.5"],
    },
    "leder": {"respondent": ["leder"], "har_ek": ["nei"]},
}


def store(db, questionnaire_id: str, dps_id: str, day=dt.date(2026, 11, 20), **extra) -> str:
    return store_one(db, questionnaire_id, dps_id, ANSWERS[questionnaire_id] | extra, day=day)


@pytest.fixture
def filled(app, db) -> None:
    """Responses with every kind of answer, an account, a draft, an audit entry."""
    free_text = {"bra": ["Æ ø å – «god hjelp»"], "kort": ["trygt"]}
    store(db, "flyt", "nidaros", **free_text)
    store(db, "flyt", "tiller", dt.date(2025, 1, 6))
    store(db, "leder", "orkdal")
    store(db, "leder", "nidaros", dt.date(2024, 2, 29))
    user = User(username="kari", password_hash="scrypt:x", role="interviewer")
    db.add(user)
    db.flush()
    db.add(
        InterviewDraft(
            id="utkast-" + "a" * 20,
            interviewer_id=user.id,
            questionnaire_version_id=current_version(db, "leder").id,
            dps_id="tiller",
            answers='{"respondent": ["leder"]}',
        )
    )
    db.add(AuditEntry(username="kari", action="export", details='{"fra": "2026-01-01"}'))
    db.commit()
    db.close()  # no open transaction may hold a lock while pg_restore drops tables


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table (the migration bookkeeping too), sorted; the audit log
    apart, which a backup and a restore write to (test_backups_and_restores_are_audited)."""
    engine = app.extensions["db_engine"]
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(table.select())), key=repr)
            for name, table in metadata.tables.items()
            if name != "audit_entry"
        }


def test_backups_and_restores_are_audited(app, runner, db, filled, tmp_path):
    import json

    from surveyapp.db.models import AuditEntry

    path = tmp_path / "brukerstemmen.backup"
    earlier = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == [*earlier, "backup"]
    assert entries[-1].username.startswith("cli:")
    assert json.loads(entries[-1].details) == {"fil": str(path.resolve()), "svar": 4}
    db.close()
    assert runner.invoke(args=["restore", "--yes", str(path)]).exit_code == 0
    actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [*earlier, "restore"]  # the backup held the log as it was before it


def count(db, model) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model))


def dialect(app) -> str:
    return app.extensions["db_engine"].dialect.name


def test_backup_then_delete_everything_then_restore_gives_every_row_back(
    app, runner, db, filled, tmp_path
):
    before = snapshot(app)
    assert len(before["response"]) == 4 and len(before["answer"]) > 4
    path = tmp_path / "kopier" / "brukerstemmen.backup"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "(4 svar)" in result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # it holds everything
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no leftovers

    empty_database(app.config["SQLALCHEMY_DATABASE_URL"])
    assert count(db, Response) == 0
    db.close()

    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "(4 svar)" in result.output
    assert snapshot(app) == before


def test_restore_with_yes_replaces_what_changed_since_the_backup(app, runner, db, filled, tmp_path):
    before = snapshot(app)
    path = tmp_path / "kopi"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    delete_responses(db, dps_id="nidaros", by=Actor("test"))
    store(db, "flyt", "levanger")
    db.close()

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == before


def test_restore_over_existing_responses_is_refused_without_yes(app, runner, db, filled, tmp_path):
    path = tmp_path / "kopi"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    store(db, "flyt", "levanger")
    db.close()
    changed = snapshot(app)

    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert "Databasen har 5 svar" in result.output and "--yes" in result.output
    assert snapshot(app) == changed


def test_the_app_works_on_after_a_restore(app, runner, db, filled, tmp_path, client):
    path = tmp_path / "kopi"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    assert runner.invoke(args=["restore", str(path), "--yes"]).exit_code == 0
    store(db, "flyt", "levanger")
    db.add(User(username="ny", password_hash="-", role="analyst"))  # sequences carry on
    db.commit()
    assert count(db, Response) == 5
    assert count(db, User) == 2
    assert client.get("/").status_code == 200


def test_a_missing_backup_file_is_named_as_such(runner, db, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "finnes-ikke")])
    assert result.exit_code == 1
    assert f"Fant ingen fil: {tmp_path / 'finnes-ikke'}" in result.output


def test_a_file_that_is_no_backup_is_refused(app, runner, db, filled, tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text("ikke en sikkerhetskopi")
    before = snapshot(app)
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert "ikke en sikkerhetskopi for denne databasen" in result.output
    assert snapshot(app) == before


def test_a_backup_of_the_other_database_kind_is_refused(app, runner, db, filled, tmp_path):
    path = tmp_path / "kopi"
    if dialect(app) == "sqlite":
        path.write_bytes(b"PGDMP" + b"\0" * 100)
        other = "PostgreSQL"
    else:
        sqlite3.connect(path).close()
        path.write_bytes(b"SQLite format 3\0" + b"\0" * 100)
        other = "SQLite"
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert f"fant: {other}" in result.output
    assert count(db, Response) == 4


def test_a_sqlite_file_of_another_program_is_refused(app, runner, db, filled, tmp_path):
    if dialect(app) != "sqlite":
        pytest.skip("SQLite files only")
    path = tmp_path / "annet.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert "ikke en sikkerhetskopi av Brukerstemmen" in result.output
    assert count(db, Response) == 4


def test_backup_to_a_directory_is_refused(runner, db, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path)])
    assert result.exit_code == 1
    assert "er en mappe, ikke en fil" in result.output


def test_a_missing_pg_dump_is_named(app, runner, db, tmp_path, monkeypatch):
    if dialect(app) != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    result = runner.invoke(args=["backup", str(tmp_path / "kopi")])
    assert result.exit_code == 1
    assert "Fant ikke pg_dump" in result.output
    assert not (tmp_path / "kopi").exists()


def test_a_postgres_backup_of_another_schema_is_refused(app, runner, db, filled, tmp_path):
    if dialect(app) != "postgresql":
        pytest.skip("PostgreSQL only")
    path = tmp_path / "kopi"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    url = make_url(app.config["SQLALCHEMY_DATABASE_URL"])
    elsewhere = url.update_query_dict({"options": "-csearch_path=et_annet_skjema"})
    engine = make_engine(elsewhere.render_as_string(hide_password=False))
    try:
        with pytest.raises(BackupError) as refused:
            restore(engine, path, overwrite=True)
    finally:
        engine.dispose()
    assert refused.value.code == "schema_mismatch"
    assert refused.value.values["expected"] == "et_annet_skjema"
    assert count(db, Response) == 4


# how pg_dump and pg_restore are called ----------------------------------------------------


def test_libpq_arguments_come_from_the_url_and_keep_the_password_out_of_the_command_line():
    url = make_url(
        "postgresql+psycopg://brukerstemmen:hemmelig@db.example:5433/survey"
        "?sslmode=require&options=-csearch_path%3Dtest_ab12,public"
    )
    target = pg_target(url)
    assert "hemmelig" not in target.conninfo
    assert target.env == {"PGPASSWORD": "hemmelig"}
    for part in ("host=db.example", "port=5433", "user=brukerstemmen", "dbname=survey"):
        assert part in target.conninfo
    assert "sslmode=require" in target.conninfo
    assert target.schema == "test_ab12"


@pytest.mark.parametrize(
    ("options", "schema"),
    [
        (None, None),
        ("", None),
        ("-csearch_path=test_1", "test_1"),
        ("-c search_path=test_1,public", "test_1"),
        ("--search_path=test_1", "test_1"),
        ('-csearch_path="$user",public', None),
        ("-cstatement_timeout=5000", None),
    ],
)
def test_the_schema_is_the_first_of_the_search_path(options, schema):
    assert search_path_schema(options) == schema


LISTING = """;
; Archive created at 2026-11-24 22:25:02 UTC
;
8; 2615 27337 SCHEMA - test_ab12 postgres
232; 1259 27338 TABLE test_ab12 alembic_version postgres
233; 1259 27339 TABLE test_ab12 response postgres
3380; 0 27338 TABLE DATA test_ab12 alembic_version postgres
"""


def test_the_schemas_of_a_dump_are_read_from_its_listing():
    assert dumped_schemas(LISTING) == ({"test_ab12"}, {"test_ab12"})
    whole = LISTING.replace("8; 2615 27337 SCHEMA - test_ab12 postgres\n", "")
    assert dumped_schemas(whole.replace("test_ab12", "public")) == ({"public"}, set())
