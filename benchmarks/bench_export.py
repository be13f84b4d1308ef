"""Export wall time and peak memory for large synthetic data sets, against the bare
`SELECT dps, question, value, count(*) ... GROUP BY` on the same database in the same run.

Sizes come from BENCH_EXPORT_SIZES (default "10000,100000"; add 1000000 for the full run).
Each export (and each bare query) runs in a fresh process, so its peak memory (ru_maxrss) is
its own, and runs there twice: first as a new process pays for it, then as a running server
does. The last column is the same export filtered on a respondent group (rolle = pasient),
the slowest filter, since it looks at a second answer of every response.

Single runs on these machines vary by a third and more, so every figure is the median of
BENCH_EXPORT_REPEATS processes (default 5), with the bare query and the exports taking turns.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(s) for s in os.environ.get("BENCH_EXPORT_SIZES", "10000,100000").split(",")]
DATABASES = os.environ.get("BENCH_EXPORT_DATABASES", "sqlite,postgres").split(",")
REPEATS = int(os.environ.get("BENCH_EXPORT_REPEATS", "5"))
# decided systems kept between the processes of one run, as the app keeps them (warm step)
os.environ.setdefault(
    "SURVEYAPP_PROTECTION_CACHE",
    str(Path(tempfile.gettempdir()) / f"bench-protection-{os.getpid()}"),
)
CACHE = Path(os.environ["SURVEYAPP_PROTECTION_CACHE"])
# The counting any report of the patient questionnaire needs, with nothing around it:
# answers carry their DPS and version (migration 0004), so no join.
VERSIONS = "SELECT id FROM questionnaire_version WHERE questionnaire_id = 'pasient'"
BARE = """
SELECT dps_id, question_id, value, count(*) FROM answer
WHERE questionnaire_version_id IN ({versions}) AND review IS NULL
GROUP BY dps_id, question_id, value
"""


def child(url: str, what: str) -> None:
    """Run in a subprocess: time one export (or the bare query) twice, first in a new
    process and then again, as a running server does it; report peak memory."""
    os.environ["SURVEYAPP_DATABASE_URL"] = url
    os.environ.setdefault("SURVEYAPP_SECRET_KEY", "bench")
    from surveyapp import create_app_for_process

    app = create_app_for_process()  # as the `surveyapp` command and gunicorn make it
    first, running = _timed(app, what), _timed(app, what)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first": first, "running": running, "peak_mb": peak_mb}))


def bench_period(session):
    """The last period of the demo data (they cover the two half-years before today), and
    the day after it ends, so that it is published."""
    import datetime as dt

    from surveyapp.periods import period_of

    last = session.scalar(text("SELECT max(submitted_on) FROM response"))
    period = period_of(dt.date.fromisoformat(str(last)[:10]))
    return period, period.end + dt.timedelta(days=1)


def _timed(app, what: str) -> dict:
    """{"seconds": ..., "workbook": ...}: the whole run, and the part that wrote the workbook.
    "protect" builds the whole protected system of the period, bypassing the cache, and
    adds the information loss."""
    from surveyapp.collect.versions import current_version, questionnaire_of
    from surveyapp.reports import aggregate, publication
    from surveyapp.reports.excel import save_workbook
    from surveyapp.reports.model import Filters
    from surveyapp.reports.summary import build_report

    counted = None
    extra = {}
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        period, later = bench_period(session)
        started = time.perf_counter()
        if what == "bare":
            versions = ", ".join(str(v) for v in session.scalars(text(VERSIONS)))
            query = BARE.format(versions=versions).replace(
                "GROUP BY", f"AND submitted_on BETWEEN '{period.start}' AND '{period.end}' GROUP BY"
            )
            rows = session.execute(text(query)).all()
            assert rows
        elif what == "protect":
            scope = aggregate.Scope(session, "pasient")
            scope.period = period
            questionnaire = questionnaire_of(current_version(session, "pasient"))
            system = publication.build_system(scope, questionnaire, 5)
            extra = information_loss(system)
        elif what == "warm":
            # as at start or after a period ends: decide every ended period and keep it in
            # SURVEYAPP_PROTECTION_CACHE, where every later process reads it
            publication.warm(session, later, 5, ["pasient"])
        else:
            group = ("rolle", "pasient") if what == "patients" else None
            filters = Filters(period=period.id, group=group)
            report = build_report(session, "pasient", filters=filters, min_count=5, today=later)
            counted = time.perf_counter()
            save_workbook(report, Path(tempfile.mkdtemp()) / "bench.xlsx")
    ended = time.perf_counter()
    return {"seconds": ended - started, "workbook": ended - counted if counted else 0.0, **extra}


def information_loss(system) -> dict:
    """Hidden cells of single-DPS columns in the main view with a true count of 10 or more,
    and the share of the units' answers that sit in hidden cells."""
    from surveyapp.reports import publication

    main = (None, None)
    large = sum(1 for h in system.hidden_single_dps if h[1] == main and h[4] >= 10)
    units = {c.key for c in system.layout.columns if c.kind == "unit"}
    shown = hidden = 0
    for figures in system.figures_by_answer.values():
        for (cut, column, row), value in figures.values.items():
            if cut != main or column not in units or row == publication.ANSWERED:
                continue
            shown += value or 0
            if (cut, column, row) not in figures.shown_keys:
                hidden += value or 0
    return {"hidden_large": large, "hidden_share": hidden / shown if shown else 0.0}


def measure(url: str, what: str) -> dict:
    """One fresh process: {"first": {...}, "running": {...}, "peak_mb": ...}."""
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_export", "child", url, what],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def medians(url: str) -> dict[str, dict[str, float]]:
    """The bare query, the export and the filtered export, REPEATS processes each, in turns;
    the median of each figure."""
    runs: dict[str, list[dict]] = {
        "bare": [],
        "protect": [],
        "warm": [],
        "export": [],
        "patients": [],
    }
    for _ in range(REPEATS):
        for what, found in runs.items():
            if what == "warm":
                shutil.rmtree(CACHE, ignore_errors=True)  # decided anew each round
            found.append(measure(url, what))
    figures = {
        "first": lambda run: run["first"]["seconds"],
        "running": lambda run: run["running"]["seconds"],
        "workbook": lambda run: run["running"]["workbook"],
        "peak_mb": lambda run: run["peak_mb"],
        "hidden_large": lambda run: run["first"].get("hidden_large", 0),
        "hidden_share": lambda run: run["first"].get("hidden_share", 0.0),
    }
    return {
        what: {name: statistics.median(map(figure, found)) for name, figure in figures.items()}
        for what, found in runs.items()
    }


def fill(url: str, size: int, already: int) -> None:
    env = {**os.environ, "SURVEYAPP_DATABASE_URL": url, "SURVEYAPP_SECRET_KEY": "bench"}
    surveyapp = str(Path(sys.executable).with_name("surveyapp"))
    if already == 0:
        subprocess.run([surveyapp, "init"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(
        # demo-data's count is per half-year, and it fills two: `size` responses in all
        [surveyapp, "demo-data", "--responses", str((size - already) // 2), "--seed", "1"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    if url.startswith("postgresql"):
        # as autovacuum would have done by the time anyone exports, and not during a run
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE answer, response"))
        engine.dispose()


def targets() -> list[tuple[str, str, callable]]:
    found = []
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    found.append(
        ("sqlite", f"sqlite:///{folder / 'export.sqlite3'}", lambda: shutil.rmtree(folder))
    )
    postgres = os.environ.get("SURVEYAPP_BENCH_POSTGRES_URL") or os.environ.get(
        "SURVEYAPP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    schema = f"bench_{secrets.token_hex(4)}"
    try:
        admin = create_engine(postgres, pool_pre_ping=True)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional for a local bench run
        print(f"(PostgreSQL skipped: {exc.__class__.__name__})")
        return found

    def drop():
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))

    separator = "&" if "?" in postgres else "?"
    found.append(("postgres", f"{postgres}{separator}options=-csearch_path%3D{schema}", drop))
    return found


def main() -> None:
    rows = []
    for name, url, cleanup in targets():
        if name not in DATABASES:
            cleanup()
            continue
        try:
            filled = 0
            for size in SIZES:
                fill(url, size, filled)
                filled = size
                found = medians(url)
                bare, export, protect = found["bare"], found["export"], found["protect"]
                rows.append(
                    (
                        name,
                        size,
                        protect["first"],
                        protect["first"] / bare["first"],
                        found["warm"]["first"],
                        int(protect["hidden_large"]),
                        f"{protect['hidden_share']:.2%}",
                        export["first"],
                        bare["first"],
                        export["first"] / bare["first"],
                        export["running"],
                        bare["running"],
                        export["running"] / bare["running"],
                        export["workbook"],
                        export["peak_mb"],
                        found["patients"]["running"],
                    )
                )
                print(rows[-1], flush=True)  # kept even if a later size fails
        finally:
            cleanup()
            shutil.rmtree(CACHE, ignore_errors=True)
    print(
        "\nexport of the patient questionnaire (build_report + workbook) against the bare"
        f" GROUP BY, median of {REPEATS} processes: the first run in a new process, and the"
        " next one, as in a running server"
    )
    print(
        "protect s: the whole linked system of the period (counts, every cut, every question),"
        " computed once per period and cached; warm s: the same through publication.warm into"
        " the file cache, which every later process (the exports) reads; hidden>=10: hidden"
        " single-DPS cells of the main view with a true count of 10 or more; hidden share: of"
        " the units' answers"
    )
    header = ("db", "responses", "protect s", "protect/bare", "warm s")
    header += ("hidden>=10", "hidden share")
    header += ("first: export s", "bare s", "export/bare")
    header += ("running: export s", "bare s", "export/bare")
    header += ("of it workbook s", "peak MB")  # the running export's time writing the workbook
    header += ("patients only s",)  # the running export, filtered on the group rolle = pasient
    print(" | ".join(f"{h:>17}" for h in header))
    for row in rows:
        cells = [f"{c:.2f}" if isinstance(c, float) else str(c) for c in row]
        print(" | ".join(f"{c:>17}" for c in cells))
    by_db: dict[str, dict[int, float]] = {}
    for row in rows:
        by_db.setdefault(row[0], {})[row[1]] = row[-2]
    for name, peaks in by_db.items():
        if 100_000 in peaks and 1_000_000 in peaks:
            print(f"{name}: peak memory 1M / 100k = {peaks[1_000_000] / peaks[100_000]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
