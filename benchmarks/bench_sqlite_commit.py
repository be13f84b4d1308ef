"""What synchronous=FULL costs a SQLite commit in WAL mode, against NORMAL (docs/deployment.md).

Single-row commits of about the size of a response, on the disk of the given folder (default:
instance/), three rounds of each setting in turn. `python -m benchmarks.bench_sqlite_commit [DIR]`
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

COMMITS = 400


def measure(folder: str, mode: str) -> tuple[float, float]:
    path = os.path.join(folder, f"commit-{mode}.sqlite3")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={mode}")
    connection.execute("CREATE TABLE IF NOT EXISTS r (id TEXT PRIMARY KEY, v TEXT)")
    times = []
    for _ in range(COMMITS):
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO r VALUES (?, ?)", (os.urandom(16).hex(), "x" * 500))
        connection.execute("COMMIT")
        times.append(time.perf_counter() - started)
    connection.close()
    return statistics.median(times) * 1000, COMMITS / sum(times)


def main() -> None:
    base = Path(sys.argv[1] if len(sys.argv) > 1 else "instance")
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=base) as folder:
        for _round in range(3):
            for mode in ("NORMAL", "FULL"):
                median, rate = measure(folder, mode)
                print(f"{mode:6} median commit {median:.3f} ms, {rate:.0f} commits/s")


if __name__ == "__main__":
    main()
