"""What is deleted is gone from the SQLite files: not in free pages (secure_delete), and not
left in the WAL (a checkpoint after every transaction that deleted something)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import text

from surveyapp.collect import review
from surveyapp.collect.versions import current_version
from surveyapp.db.models import User
from tests import helpers


def sqlite_bytes(app) -> bytes:
    path = Path(app.config["SQLALCHEMY_DATABASE_URL"].removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


@pytest.fixture
def sqlite_app(app):
    if not app.config["SQLALCHEMY_DATABASE_URL"].startswith("sqlite"):
        pytest.skip("about SQLite's files")
    return app


def test_the_app_sets_secure_delete_and_full_synchronous(sqlite_app):
    with sqlite_app.extensions["db_engine"].connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_a_rejected_free_text_is_not_in_the_database_or_wal_bytes(sqlite_app, db):
    secret_text = f"Avvist-{secrets.token_hex(8)}"
    helpers.store_responses(sqlite_app, "nidaros", [{"rolle": ["pasient"], "bra": [secret_text]}])
    assert secret_text.encode() in sqlite_bytes(sqlite_app)
    admin = User(username="admin", password_hash=helpers.FAST_HASH, role="admin")
    db.add(admin)
    db.commit()
    ref = next(
        item.ref
        for item in review.pending(db, "flyt", "nidaros", 10, secret="test-secret")
        if item.text == secret_text
    )
    review.reject(db, ref, secret="test-secret", user=admin)
    db.close()  # the connection goes back to the pool: the checkpoint runs
    assert secret_text.encode() not in sqlite_bytes(sqlite_app)


def test_a_deleted_interview_draft_is_not_in_the_database_or_wal_bytes(sqlite_app, db):
    kari = helpers.signed_in(sqlite_app, db, "interviewer", "kari")
    headers = {"X-CSRFToken": kari.get("/intervju/api/token").get_json()["token"]}
    secret_text = f"Utkast-{secrets.token_hex(8)}"
    draft_id = secrets.token_urlsafe(18)
    payload = {
        "draft_id": draft_id,
        "version_id": current_version(db, "leder").id,
        "dps_id": "tiller",
        "answers": {
            "respondent": ["leder"],
            "har_ek": ["tidligere"],
            "hvorfor_ikke_lenger": [secret_text],
        },
    }
    assert (
        kari.put(f"/intervju/api/utkast/{draft_id}", json=payload, headers=headers).status_code
        == 200
    )
    assert secret_text.encode() in sqlite_bytes(sqlite_app)
    assert kari.delete(f"/intervju/api/utkast/{draft_id}", headers=headers).status_code == 200
    assert secret_text.encode() not in sqlite_bytes(sqlite_app)
