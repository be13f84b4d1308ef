"""Several processes submitting to one SQLite file at once: no "database is locked" for anyone."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import secrets

import pytest
from sqlalchemy import func, select

from surveyapp.db.models import Response

PROCESSES, EACH = 4, 40


def submit_many(url: str, errors) -> None:
    from surveyapp import create_app
    from surveyapp.collect.submission import store_response
    from surveyapp.collect.versions import current_version, questionnaire_of

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URL": url})
    with app.extensions["db_sessionmaker"]() as session:
        version = current_version(session, "flyt")
        questionnaire = questionnaire_of(version)
        for _ in range(EACH):
            try:
                store_response(
                    session,
                    version=version,
                    questionnaire=questionnaire,
                    dps_id="nidaros",
                    mode="self",
                    answers={"rolle": ["pasient"], "bra": ["Gode samtaler"]},
                    submission_key=secrets.token_hex(12),
                    today=dt.date.today(),
                )
            except Exception as exc:  # noqa: BLE001 - every failure is the finding
                errors.put(repr(exc))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_processes_writing_at_once_all_succeed(app, db, database_url):
    context = multiprocessing.get_context("spawn")
    errors = context.Queue()
    workers = [
        context.Process(target=submit_many, args=(database_url, errors)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    assert db.scalar(select(func.count()).select_from(Response)) == PROCESSES * EACH
