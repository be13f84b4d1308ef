"""Database access: engine and session setup for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import re
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


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL mode, a busy timeout and enforced foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
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
