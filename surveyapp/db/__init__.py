"""Database access: engine and session setup for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from surveyapp.db.models import Base

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 10_000
# The largest value of an INTEGER column on PostgreSQL (and so of every row id we hand out).
MAX_ID = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def bounded_int(value: object, maximum: int = MAX_ID) -> int | None:
    """A whole number from 0 to `maximum` out of a form field (ASCII digits only: "²" and
    "٣" are digits to str.isdigit) or a JSON value (an int, not a bool); otherwise None.
    Every number from a request that reaches the database passes through here, so that
    none is larger than its column holds."""
    if isinstance(value, str):
        number = int(value) if _ASCII_DIGITS.fullmatch(value) else None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        return None
    return number if number is not None and 0 <= number <= maximum else None


# How long a checkpoint after a deletion waits for readers before leaving it to the next one.
CHECKPOINT_BUSY_TIMEOUT_MS = 250
# FULL: a commit is on the disk (the WAL synced) before the respondent hears "stored", so it
# survives a power cut, not only a killed process. NORMAL syncs only at checkpoints. The cost
# was measured with the submission benchmark (docs/deployment.md).
SQLITE_SYNCHRONOUS = os.environ.get("SURVEYAPP_SQLITE_SYNCHRONOUS", "FULL").upper()


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL mode, a busy timeout, enforced foreign keys, commits that
    survive a power cut, and deleted data erased from the file and the WAL."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "before_cursor_execute", _note_erasure)
        event.listen(engine, "commit", _erasure_committed)
        event.listen(engine, "rollback", _erasure_rolled_back)
        event.listen(engine.pool, "checkin", _checkpoint_after_erasure)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _configure_sqlite(dbapi_connection, _record) -> None:
    if SQLITE_SYNCHRONOUS not in ("FULL", "NORMAL", "EXTRA"):
        raise ValueError("SURVEYAPP_SQLITE_SYNCHRONOUS must be FULL, EXTRA or NORMAL")
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
    # deleted rows are overwritten with zeros, not left in free pages
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# A DELETE (or an UPDATE that replaces a text) leaves the old bytes in the WAL until a
# checkpoint copies the zeroed pages into the file and the WAL is truncated. So a connection
# whose transaction erased something checkpoints (TRUNCATE) when it goes back to the pool.
_ERASING = ("DELETE", "UPDATE ANSWER", "UPDATE INTERVIEW_DRAFT", "UPDATE USER_ACCOUNT")


def _note_erasure(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if statement.lstrip()[:25].upper().replace('"', "").startswith(_ERASING):
        conn.info["erased"] = True


def _erasure_committed(conn) -> None:
    if conn.info.pop("erased", False):
        conn.info["checkpoint_due"] = True


def _erasure_rolled_back(conn) -> None:
    conn.info.pop("erased", None)


def _checkpoint_after_erasure(dbapi_connection, record) -> None:
    if not record.info.pop("checkpoint_due", False):
        return
    try:
        checkpoint(dbapi_connection)
    except sqlite3.Error:  # never fail the request that deleted: SQLite's own checkpoint follows
        record.info["checkpoint_due"] = True


def checkpoint(dbapi_connection) -> bool:
    """Copy the WAL into the database file and truncate it; False when a reader kept it
    from finishing (the next erasure's checkpoint, or SQLite's own, finishes it)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_TIMEOUT_MS}")
        busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    finally:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()


_SQLITE_WRITE_LOCK = threading.Lock()


def write_lock(engine: Engine) -> AbstractContextManager:
    """Hold around a write transaction. SQLite allows one writer at a time, and threads that
    find the database locked sleep in growing steps; queueing the threads of one process on
    a lock instead leaves only other processes to wait for. PostgreSQL needs no lock."""
    return _SQLITE_WRITE_LOCK if engine.dialect.name == "sqlite" else nullcontext()


@contextmanager
def snapshot(engine: Engine) -> Iterator[Session]:
    """A session for reading that sees the database as it was at its first query, whatever
    is written meanwhile, so that the counts of one report agree with each other. Without
    it each query has a view of its own: PostgreSQL's READ COMMITTED gives each statement
    its own, and pysqlite starts no transaction for reads."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")  # deferred: the view is taken at the first read
        else:
            connection.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind=connection) as session:
            yield session
        connection.rollback()  # it only read


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to date through the Alembic migrations."""
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config(connection)
        command.upgrade(config, revision)


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


__all__ = [
    "MAX_ID",
    "Base",
    "bounded_int",
    "alembic_config",
    "make_engine",
    "make_sessionmaker",
    "snapshot",
    "upgrade",
    "write_lock",
]
