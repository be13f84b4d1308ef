"""The dashboard as an analyst feels it: the comparison page and one unit's page over real HTTP
to gunicorn, on SQLite with BENCH_DASHBOARD_RESPONSES synthetic patient responses (default
100000; `surveyapp demo-data`, half of them in each of the last two ended half-years, and the
page shows the one that ended last).

One analyst signs in and reads each page BENCH_DASHBOARD_REPEATS times (default 30) in turn,
as a browser does (gzip accepted). The first view of a page after the server starts builds
the Report (reported apart, "first"); the figures of an ended period do not change, so later
views read it from the cache (web/reports.py) until the data change. Prints p50/p95 of the
later views, the first view, and the bytes sent (compressed) and the page's size.

BENCH_DASHBOARD_DB=sqlite:////path/to/db reuses a database already filled with demo data
(generating 100k responses takes a few minutes on a small machine).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from benchmarks.bench_submit import free_port, start_server

ROOT = Path(__file__).resolve().parent.parent
RESPONSES = int(os.environ.get("BENCH_DASHBOARD_RESPONSES", "100000"))
REPEATS = int(os.environ.get("BENCH_DASHBOARD_REPEATS", "30"))
TARGET_P95_MS = 300
USER, PASSWORD = "bench-analyst", "et langt passord for benken"


def _surveyapp(env: dict, *args: str) -> str:
    command = [str(Path(sys.executable).with_name("surveyapp")), *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def prepare(url: str | None, directory: Path) -> tuple[str, int]:
    """A database with the demo data and an analyst; returns its URL and its responses."""
    env = {**os.environ, "SURVEYAPP_SECRET_KEY": "bench"}
    if url is None:
        url = f"sqlite:///{directory / 'dashboard.sqlite3'}"
        env["SURVEYAPP_DATABASE_URL"] = url
        _surveyapp(env, "init")
        _surveyapp(env, "demo-data", "--responses", str(RESPONSES // 2), "--seed", "7")
    env["SURVEYAPP_DATABASE_URL"] = url
    _surveyapp(env, "init")
    from sqlalchemy import create_engine, func, select
    from sqlalchemy.orm import Session

    from surveyapp import accounts
    from surveyapp.db.models import Response, User

    engine = create_engine(url)
    with Session(engine) as session:
        if session.scalar(select(User).where(User.username == USER)) is None:
            _user, token = accounts.create_user(session, USER, "analyst")
            accounts.redeem_token(session, token, "", PASSWORD)
            session.commit()
        count = session.scalar(select(func.count()).select_from(Response))
    engine.dispose()
    return url, count


def start_gunicorn(url: str, port: int) -> subprocess.Popen:
    """The app as deployed; one worker, so every view after the first finds the Report in
    its cache (with more workers, each builds it once)."""
    env = {**os.environ, "SURVEYAPP_DATABASE_URL": url, "SURVEYAPP_SECRET_KEY": "bench"}
    return start_server(env, port, app="surveyapp:create_app()", workers=1, threads=4)


def sign_in(base: str) -> requests.Session:
    browser = requests.Session()
    browser.headers["Accept-Encoding"] = "gzip"
    html = browser.get(f"{base}/logg-inn", timeout=30).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    browser.post(
        f"{base}/logg-inn",
        data={"csrf_token": csrf, "username": USER, "password": PASSWORD},
        timeout=30,
    ).raise_for_status()
    return browser


def timed(browser: requests.Session, url: str) -> tuple[float, int, int]:
    """(milliseconds, bytes sent, bytes of the page) of one view."""
    started = time.perf_counter()
    response = browser.get(url, timeout=120, stream=True)
    body = response.raw.read(decode_content=False)  # as sent over the wire
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    packed = response.headers.get("Content-Encoding") == "gzip"
    return elapsed, len(body), len(gzip.decompress(body)) if packed else len(body)


def measure(base: str, browser: requests.Session) -> list[tuple]:
    comparison = f"{base}/rapporter/pasient"
    html = browser.get(comparison, timeout=120).text
    unit = re.search(r'href="(/rapporter/pasient/enhet/[^"?]+)', html)
    pages = [("comparison", comparison)]
    if unit:
        pages.append(("unit", base + unit.group(1)))
    rows = []
    for name, url in pages:
        first = None
        if name != "comparison":  # the comparison's first view was the one above
            first, _, _ = timed(browser, url)
        times, sent, size = [], 0, 0
        for _ in range(REPEATS):
            elapsed, sent, size = timed(browser, url)
            times.append(elapsed)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append((name, statistics.median(times), p95, first, sent, size))
    return rows


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    given = os.environ.get("BENCH_DASHBOARD_DB")
    process = None
    try:
        started = time.perf_counter()
        url, count = prepare(given, directory)
        prepared = time.perf_counter() - started
        port = free_port()
        process = start_gunicorn(url, port)
        base = f"http://127.0.0.1:{port}"
        browser = sign_in(base)
        cold = time.perf_counter()
        browser.get(f"{base}/rapporter/pasient", timeout=300).raise_for_status()
        first_comparison = (time.perf_counter() - cold) * 1000
        rows = measure(base, browser)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
    print(
        f"\nDashboard under gunicorn (1 worker, SQLite), {count} responses"
        f" ({'given database' if given else f'generated in {prepared:.0f} s'});"
        f" {REPEATS} views per page, gzip accepted; target p95 < {TARGET_P95_MS} ms"
    )
    header = ("page", "p50 ms", "p95 ms", "first ms", "sent KB", "page KB", "p95 ok")
    print(" | ".join(header))
    for name, p50, p95, first, sent, size in rows:
        first = first_comparison if name == "comparison" else first
        print(
            f"{name} | {p50:.0f} | {p95:.0f} | {first:.0f} | {sent / 1024:.0f}"
            f" | {size / 1024:.0f} | {'yes' if p95 < TARGET_P95_MS else 'NO'}"
        )


if __name__ == "__main__":
    main()
