"""Concurrent submissions of the patient questionnaire over real HTTP to gunicorn.

For SQLite and (when SURVEYAPP_TEST_POSTGRES_URL or SURVEYAPP_BENCH_POSTGRES_URL is set)
PostgreSQL: N clients each fetch the form once, then send complete final pages, each with a
fresh submission key; some are sent twice, as a retry would. The baseline is a bare Flask
endpoint on the same server inserting one row. Prints throughput, latency, errors, lost
and duplicated responses, and the ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select, text

from surveyapp.db.models import Response
from surveyapp.demo import synthetic_answers
from surveyapp.questionnaire import load_file

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
PER_CLIENT = int(os.environ.get("BENCH_PER_CLIENT", "20"))
RETRY_EVERY = 10  # every tenth submission is sent a second time with the same key
# The paced phase: each client sends at this rate, so the offered load is CLIENTS * rate.
PACED_RATE = float(os.environ.get("BENCH_PACED_RATE", "2"))
TIME_LIMIT_S = 120
RNG = random.Random(1)


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    accepted_keys: set[str] = field(default_factory=set)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, latency: float, ok: bool, key: str | None = None) -> None:
        with self.lock:
            self.latencies.append(latency)
            if not ok:
                self.errors += 1
            elif key:
                self.accepted_keys.add(key)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    env: dict,
    port: int,
    app: str = "benchmarks.app:create_bench_app()",
    workers: int = 2,
    threads: int = 16,
) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except (requests.ConnectionError, requests.Timeout):  # a loaded machine starts slowly
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def run_clients(work) -> Result:
    result = Result()
    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i, result)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT_S)
    result.seconds = time.perf_counter() - started
    return result


def bench_submissions(base: str, token: str, questionnaire, interval: float = 0.0) -> Result:
    """Closed loop (interval 0: each client sends as fast as it can) or paced."""
    last_page = len(questionnaire.pages) - 1
    # Answers are drawn before the clock starts, so the clients spend their time on HTTP.
    plans = [
        [list(_answer_fields(synthetic_answers(questionnaire, RNG))) for _ in range(PER_CLIENT)]
        for _ in range(CLIENTS)
    ]

    def client(index: int, result: Result) -> None:
        browser = requests.Session()
        html = browser.get(f"{base}/s/{token}", timeout=10).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        version = re.search(r'name="version" value="(\d+)"', html).group(1)
        start = time.perf_counter() + random.uniform(0, interval)
        for n, answer_fields in enumerate(plans[index]):
            _wait_until(start + n * interval)
            key = secrets.token_urlsafe(18)
            fields = [
                ("csrf_token", csrf),
                ("version", version),
                ("page", str(last_page)),
                ("key", key),
                ("js", "1"),
                ("action", "next"),
                *answer_fields,
            ]
            for _attempt in range(2 if n % RETRY_EVERY == 0 else 1):
                started = time.perf_counter()
                try:
                    response = browser.post(
                        f"{base}/s/{token}", data=fields, timeout=30, allow_redirects=False
                    )
                    ok = response.status_code == 303
                except requests.RequestException:
                    ok = False
                result.record(time.perf_counter() - started, ok, key)

    return run_clients(client)


def _wait_until(moment: float) -> None:
    delay = moment - time.perf_counter()
    if delay > 0:
        time.sleep(delay)


def _answer_fields(answers: dict[str, list[str]]):
    for answer_id, values in answers.items():
        for value in values:
            yield f"q:{answer_id}", value


def bench_bare(base: str) -> Result:
    def client(_index: int, result: Result) -> None:
        browser = requests.Session()
        for _ in range(PER_CLIENT):
            started = time.perf_counter()
            try:
                ok = (
                    browser.post(f"{base}/_bench/bare", data={"value": "x"}, timeout=30).status_code
                    == 204
                )
            except requests.RequestException:
                ok = False
            result.record(time.perf_counter() - started, ok)

    return run_clients(client)


def setup_database(url: str, env: dict) -> str:
    subprocess.run(
        [str(Path(sys.executable).with_name("surveyapp")), "init"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    output = subprocess.run(
        [
            str(Path(sys.executable).with_name("surveyapp")),
            "link",
            "create",
            "--dps",
            "nidaros",
            "--questionnaire",
            "pasient",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return output.strip().rsplit("/", 1)[-1]


def measure(name: str, url: str, questionnaire) -> list[tuple]:
    env = {
        **os.environ,
        "SURVEYAPP_DATABASE_URL": url,
        "SURVEYAPP_SECRET_KEY": "bench",
        "SURVEYAPP_ENV": "development",
        "SURVEYAPP_SUBMIT_RATE": "0",  # a load test is the flood the limit stops
    }
    token = setup_database(url, env)
    port = free_port()
    server = start_server(env, port)
    base = f"http://127.0.0.1:{port}"
    interval = 1 / PACED_RATE
    try:
        phases = [
            ("bare insert", bench_bare(base)),
            ("submit pasient", bench_submissions(base, token, questionnaire)),
            (
                f"submit paced {CLIENTS * PACED_RATE:.0f}/s",
                bench_submissions(base, token, questionnaire, interval),
            ),
        ]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Response))
        distinct_keys = connection.scalar(
            select(func.count(func.distinct(Response.submission_key)))
        )
    engine.dispose()
    accepted = set().union(*(result.accepted_keys for _, result in phases[1:]))
    lost, duplicated = len(accepted) - stored, stored - distinct_keys
    bare_rate = _rate(phases[0][1])
    return [
        (
            name,
            label,
            len(result.latencies),
            _rate(result),
            _pct(result.latencies, 50),
            _pct(result.latencies, 95),
            result.errors,
            "" if index == 0 else lost,
            "" if index == 0 else duplicated,
            f"{_rate(result) / bare_rate:.0%}" if bare_rate and index < 2 else "",
        )
        for index, (label, result) in enumerate(phases)
    ]


def _rate(result: Result) -> float:
    return (len(result.latencies) - result.errors) / result.seconds


def _pct(values: list[float], percentile: int) -> float:
    if not values:
        return 0.0
    return (
        statistics.quantiles(values, n=100)[percentile - 1] * 1000
        if len(values) > 1
        else values[0] * 1000
    )


def main() -> None:
    questionnaire = load_file(ROOT / "questionnaires" / "pasient.yaml").questionnaire
    targets = []
    sqlite_dir = Path(tempfile.mkdtemp(prefix="bench-sqlite-"))
    targets.append(("sqlite", f"sqlite:///{sqlite_dir / 'bench.sqlite3'}"))
    postgres = os.environ.get("SURVEYAPP_BENCH_POSTGRES_URL") or os.environ.get(
        "SURVEYAPP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    schema = f"bench_{secrets.token_hex(4)}"
    admin = None
    try:
        admin = create_engine(postgres)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in postgres else "?"
        targets.append(("postgres", f"{postgres}{separator}options=-csearch_path%3D{schema}"))
    except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional for a local bench run
        print(f"(PostgreSQL skipped: {exc.__class__.__name__})")
        admin = None
    rows = []
    try:
        for name, url in targets:
            rows.extend(measure(name, url, questionnaire))
    finally:
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        shutil.rmtree(sqlite_dir, ignore_errors=True)
    print(
        f"\n{CLIENTS} concurrent clients x {PER_CLIENT} submissions"
        f" (every {RETRY_EVERY}th sent twice)"
    )
    header = (
        "db",
        "endpoint",
        "requests",
        "ok/s",
        "p50 ms",
        "p95 ms",
        "errors",
        "lost",
        "dup",
        "vs bare",
    )
    print(" | ".join(f"{h:>14}" for h in header))
    for row in rows:
        cells = [f"{c:.1f}" if isinstance(c, float) else str(c) for c in row]
        print(" | ".join(f"{c:>14}" for c in cells))
