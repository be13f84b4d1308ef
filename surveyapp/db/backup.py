"""Backing up and restoring the whole database: SQLite through its online backup API
(consistent while the app runs), PostgreSQL through pg_dump and pg_restore.

A backup holds everything, answers and accounts alike, so it is written readable by its
owner only. Problems are raised as `BackupError` with a code and values; the CLI words them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.engine import URL

from surveyapp.db.models import Response

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
SQLITE, POSTGRESQL = "sqlite", "postgresql"


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed.

    Codes: file_missing, not_a_file, wrong_format (values: found, expected),
    not_a_surveyapp_backup, schema_mismatch (values: found, expected), has_responses
    (values: n), tool_missing (values: tool), tool_failed (values: tool, message),
    unsupported_database (values: dialect), sqlite_failed (values: message).
    """

    def __init__(self, code: str, **values):
        super().__init__(code, values)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class BackupResult:
    path: Path
    dialect: str
    responses: int  # in the database written to or read from
    schema: str | None = None


def dialect_of(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in (SQLITE, POSTGRESQL):
        raise BackupError("unsupported_database", dialect=name)
    return name


def count_responses(engine: Engine) -> int:
    """Responses in the database; 0 when it has no tables yet."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(Response.__tablename__):
            return 0
        return connection.scalar(select(func.count()).select_from(Response)) or 0


def backup(engine: Engine, path: Path) -> BackupResult:
    """Write a backup of the database to `path` (replaced whole, never half-written)."""
    dialect = dialect_of(engine)
    path = Path(path)
    if path.is_dir():
        raise BackupError("not_a_file")
    path.parent.mkdir(parents=True, exist_ok=True)
    responses = count_responses(engine)
    with _temporary_next_to(path) as partial:
        if dialect == SQLITE:
            _sqlite_backup(engine, partial)
            schema = None
        else:
            schema = _pg_dump(engine.url, partial)
        os.replace(partial, path)
    return BackupResult(path, dialect, responses, schema)


def restore(engine: Engine, path: Path, *, overwrite: bool = False) -> BackupResult:
    """Replace the database's contents with the backup at `path`.

    Refused (nothing changed) over a database that holds responses unless `overwrite`.
    The app should not be serving requests meanwhile; on PostgreSQL it must not hold open
    transactions, or pg_restore waits for them.
    """
    dialect = dialect_of(engine)
    path = Path(path)
    _check_format(path, dialect)
    if dialect == SQLITE:
        _check_sqlite_backup(path)
    else:
        _check_pg_backup(engine.url, path)
    if not overwrite:
        existing = count_responses(engine)
        if existing:
            raise BackupError("has_responses", n=existing)
    if dialect == SQLITE:
        _sqlite_restore(engine, path)
        schema = None
    else:
        schema = _pg_restore(engine, path)
    engine.dispose()  # no pooled connection keeps state from before the restore
    return BackupResult(path, dialect, count_responses(engine), schema)


def _check_format(path: Path, dialect: str) -> None:
    if not path.exists():
        raise BackupError("file_missing")
    if not path.is_file():
        raise BackupError("not_a_file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    found = (
        SQLITE
        if head.startswith(SQLITE_MAGIC)
        else POSTGRESQL
        if head.startswith(PG_CUSTOM_MAGIC)
        else None
    )
    if found != dialect:
        raise BackupError("wrong_format", found=found, expected=dialect)


@contextlib.contextmanager
def _temporary_next_to(path: Path):
    """A new empty file (mode 0600) in the target's directory, removed unless renamed."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


# SQLite ---------------------------------------------------------------------------------


def _sqlite_backup(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)
            # a single self-contained file: no -wal file needed next to it
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
    except sqlite3.Error as exc:
        raise BackupError("sqlite_failed", message=str(exc)) from exc
    finally:
        raw.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _check_sqlite_backup(path: Path) -> None:
    try:
        with contextlib.closing(_open_read_only(path)) as source:
            tables = {
                name
                for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.Error as exc:
        raise BackupError("sqlite_failed", message=str(exc)) from exc
    if not {"alembic_version", Response.__tablename__} <= tables:
        raise BackupError("not_a_surveyapp_backup")


def _sqlite_restore(engine: Engine, path: Path) -> None:
    try:
        with contextlib.closing(_open_read_only(path)) as source:
            raw = engine.raw_connection()
            try:
                # one step, under the destination's write lock: the old contents or the new
                source.backup(raw.driver_connection)
            finally:
                raw.close()
    except sqlite3.Error as exc:
        raise BackupError("sqlite_failed", message=str(exc)) from exc


# PostgreSQL -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PgTarget:
    """How pg_dump and pg_restore reach the database the app uses."""

    conninfo: str  # libpq keywords; no password (that goes in the environment)
    schema: str | None  # the first schema of the URL's search_path option, if any
    env: dict[str, str] = field(default_factory=dict)


_SEARCH_PATH = re.compile(r"(?:-c\s*|--)search_path\s*=\s*(\S+)")


def search_path_schema(options: str | None) -> str | None:
    """The first schema in a libpq `options` string such as `-csearch_path=test_1,public`."""
    match = _SEARCH_PATH.search(options or "")
    if not match:
        return None
    first = match.group(1).split(",")[0].strip().strip('"')
    return first if first and first != "$user" else None


def pg_target(url: URL) -> PgTarget:
    """libpq connection arguments from a SQLAlchemy URL (postgresql+psycopg://...)."""
    from psycopg.conninfo import make_conninfo

    keywords: dict[str, str] = {}
    for key, value in url.query.items():
        keywords[key] = value[-1] if isinstance(value, tuple) else value
    keywords.update(
        {
            key: str(value)
            for key, value in (
                ("host", url.host),
                ("port", url.port),
                ("user", url.username),
                ("dbname", url.database),
            )
            if value
        }
    )
    env = {"PGPASSWORD": str(url.password)} if url.password else {}
    return PgTarget(make_conninfo(**keywords), search_path_schema(keywords.get("options")), env)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError("tool_missing", tool=name)
    return found


def _run(tool: str, arguments: list[str], target: PgTarget) -> str:
    executable = _tool(tool)
    try:
        finished = subprocess.run(
            [executable, *arguments],
            env=os.environ | target.env,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise BackupError("tool_failed", tool=tool, message=str(exc)) from exc
    if finished.returncode != 0:
        message = finished.stderr.strip() or f"exit code {finished.returncode}"
        raise BackupError("tool_failed", tool=tool, message=message)
    return finished.stdout


def _quoted_pattern(schema: str) -> str:
    """A pg_dump pattern that matches exactly this schema name (no wildcards, any case)."""
    return '"' + schema.replace('"', '""') + '"'


def _pg_dump(url: URL, target_file: Path) -> str | None:
    target = pg_target(url)
    arguments = ["--format=custom", "--no-password", f"--file={target_file}"]
    if target.schema:
        arguments.append(f"--schema={_quoted_pattern(target.schema)}")
    _run("pg_dump", [*arguments, f"--dbname={target.conninfo}"], target)
    return target.schema


_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", re.MULTILINE)
_APP_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) alembic_version ", re.MULTILINE)


def dumped_schemas(listing: str) -> tuple[set[str], set[str]]:
    """From a `pg_restore --list` output: the schemas holding the app's tables (by its
    alembic_version table), and the schemas the dump creates (a dump of one schema)."""
    return set(_APP_TABLE.findall(listing)), set(_SCHEMA_ENTRY.findall(listing))


def _check_pg_backup(url: URL, path: Path) -> None:
    target = pg_target(url)
    app_schemas, created = dumped_schemas(_run("pg_restore", ["--list", str(path)], target))
    if not app_schemas:
        raise BackupError("not_a_surveyapp_backup")
    # pg_restore puts everything back where it was and cannot move it to another schema
    expected = target.schema or "public"
    if app_schemas != {expected} or not created <= {expected}:
        found = ", ".join(sorted(app_schemas | created))
        raise BackupError("schema_mismatch", found=found, expected=expected)


def _pg_restore(engine: Engine, source: Path) -> str | None:
    target = pg_target(engine.url)
    engine.dispose()  # this process's idle connections would only be in the way
    _run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--single-transaction",  # all of it or, on any error, nothing
            "--no-owner",
            "--no-password",
            f"--dbname={target.conninfo}",
            str(source),
        ],
        target,
    )
    return target.schema
