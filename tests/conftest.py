"""Fixtures: a fresh app per test on SQLite and on PostgreSQL, a client, a CLI runner.

Integration tests take the `app` fixture and so run once per database. PostgreSQL tests
need SURVEYAPP_TEST_POSTGRES_URL (set by .ci/run); each test run gets its own schema.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from surveyapp import create_app
from surveyapp.db import make_engine, upgrade
from surveyapp.db.models import Base

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
TEST_QUESTIONNAIRES = ROOT / "tests" / "data" / "questionnaires"


def _postgres_url() -> str | None:
    return os.environ.get("SURVEYAPP_TEST_POSTGRES_URL")


def _in_schema(base: str, schema: str) -> str:
    """The PostgreSQL URL `base`, with `schema` as the search path of every connection."""
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """One migrated database per backend for the whole run; tests empty it after use."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    schema = None
    base = _postgres_url()
    if base:
        schema = f"test_{secrets.token_hex(4)}"
        admin = create_engine(base, pool_pre_ping=True)  # survives a restart test
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        urls["postgres"] = _in_schema(base, schema)
    for url in urls.values():
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    yield urls
    if schema:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, database_urls):
    if request.param not in database_urls:
        pytest.skip("SURVEYAPP_TEST_POSTGRES_URL is not set")
    url = database_urls[request.param]
    yield url
    empty_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
def unmigrated_database_url(request, tmp_path):
    """A database with no tables at all, for tests of the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}"
        return
    base = _postgres_url()
    if not base:
        pytest.skip("SURVEYAPP_TEST_POSTGRES_URL is not set")
    schema = f"unmigrated_{secrets.token_hex(4)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield _in_schema(base, schema)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def empty_database(url: str) -> None:
    """Delete every row, keeping the migrated schema for the next test."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def questionnaires_dir(tmp_path) -> Path:
    """The shipped questionnaires plus the small test questionnaire `flyt`."""
    target = tmp_path / "questionnaires"
    shutil.copytree(QUESTIONNAIRES, target)
    shutil.copy(TEST_QUESTIONNAIRES / "flyt.yaml", target / "flyt.yaml")
    return target


@pytest.fixture
def app(database_url, questionnaires_dir, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URL": database_url,
            "QUESTIONNAIRES_DIR": str(questionnaires_dir),
            "EXPORTS_DIR": str(tmp_path / "exports"),
            "MIN_CELL_COUNT": 5,
        }
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def live_server(app):
    """The app on a real HTTP server on loopback, logging no client addresses."""
    from surveyapp.cli import _NoAddressRequestHandler

    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_NoAddressRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A database session on the app's database."""
    with app.extensions["db_sessionmaker"]() as session:
        yield session


def chromium_path() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


def make_link(app, dps_id: str = "nidaros", questionnaire_id: str = "flyt") -> str:
    """A collection link token, made as an admin would."""
    from surveyapp.collect.links import create_link

    with app.extensions["db_sessionmaker"]() as session:
        return create_link(session, dps_id, questionnaire_id).token


@pytest.fixture
def token(app) -> str:
    return make_link(app)
