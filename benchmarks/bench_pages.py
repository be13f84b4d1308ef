"""What a phone on a slow network pays for the respondent's first two form pages.

gunicorn serves the app (static files through WhiteNoise, web/assets.py); Chromium at phone
size loads the patient questionnaire's first page and goes on to the second, under CDP
network emulation (400 ms latency, 400 kbit/s each way): first in an empty browser (first
visit), then again in the same browser (returning visit, its cache warm). For each it counts
the requests that went over the network, the bytes they carried (compressed, as sent) and the
time until the page was shown, and divides the times by those of a bare empty page loaded
the same way in the same run (one request, no static files), since the machines are noisy.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from benchmarks.bench_submit import free_port, setup_database, start_server

LATENCY_MS = 400
KBIT_PER_S = 400
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
CHROMIUM = "/usr/bin/chromium"
REPEATS = int(os.environ.get("BENCH_PAGES_REPEATS", "3"))


class Traffic:
    """Requests that went over the network, and their bytes, from Chrome's own events."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": KBIT_PER_S * 1000 / 8,
                "uploadThroughput": KBIT_PER_S * 1000 / 8,
            },
        )
        self.sent, self.cached, self.bytes = set(), set(), 0
        self.cdp.on("Network.requestWillBeSent", lambda e: self.sent.add(e["requestId"]))
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.responseReceived", self._received)

    def _received(self, event) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromServiceWorker"):
            self.cached.add(event["requestId"])

    def _finished(self, event) -> None:
        self.bytes += event.get("encodedDataLength", 0)

    def reset(self) -> None:
        self.sent, self.cached, self.bytes = set(), set(), 0

    def requests(self) -> int:
        return len(self.sent - self.cached)


def visit(page, traffic: Traffic, url: str, next_page: bool) -> list[tuple[int, int, float]]:
    """(requests, bytes, seconds) of loading `url`, then (with next_page) of the next page."""
    traffic.reset()
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    seconds = time.perf_counter() - started
    page.wait_for_timeout(300)  # the last loadingFinished events (and the icon) come in
    shown = [(traffic.requests(), traffic.bytes, seconds)]
    if next_page:
        page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
        traffic.reset()
        started = time.perf_counter()
        page.get_by_role("button", name="Neste").tap()
        page.get_by_role("heading", name="Å bli hørt").wait_for()
        seconds = time.perf_counter() - started
        page.wait_for_timeout(300)
        shown.append((traffic.requests(), traffic.bytes, seconds))
    return shown


def measure_once(browser, base: str, token: str) -> dict[str, tuple[int, int, float]]:
    results = {}
    for name, url, next_page in (
        ("bare page", f"{base}/_bench/empty", False),
        ("form", f"{base}/s/{token}", True),
    ):
        context = browser.new_context(**PHONE, locale="nb-NO")
        page = context.new_page()
        traffic = Traffic(page)
        for visit_name in ("first visit", "returning visit"):
            if visit_name == "returning visit":
                # the same browser later: its cache kept, the answers of the last visit gone
                page.evaluate("sessionStorage.clear()")
                page.goto("about:blank")
            shown = visit(page, traffic, url, next_page)
            for label, figures in zip(("page 1", "page 2"), shown, strict=False):
                key = f"{name}, {visit_name}" + (f", {label}" if next_page else "")
                results[key] = figures
        context.close()
    return results


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        print("(bench_pages skipped: no /usr/bin/chromium)")
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "SURVEYAPP_DATABASE_URL": url,
        "SURVEYAPP_SECRET_KEY": "bench",
        "SURVEYAPP_ENV": "development",
    }
    token = setup_database(url, env)
    port = free_port()
    server = start_server(env, port)
    runs = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for _ in range(REPEATS):
                runs.append(measure_once(browser, f"http://127.0.0.1:{port}", token))
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        shutil.rmtree(folder, ignore_errors=True)

    def median(key: str, index: int) -> float:
        values = sorted(run[key][index] for run in runs)
        return values[len(values) // 2]

    print(
        f"\nPhone (390x844) under {LATENCY_MS} ms latency and {KBIT_PER_S} kbit/s,"
        f" median of {REPEATS} runs; times as ratios to the bare empty page"
    )
    header = ("load", "requests", "bytes", "seconds", "vs bare")
    print(" | ".join(f"{h:>38}" if i == 0 else f"{h:>9}" for i, h in enumerate(header)))
    for key in runs[0]:
        kind = "first visit" if "first visit" in key else "returning visit"
        bare = median(f"bare page, {kind}", 2)
        seconds = median(key, 2)
        cells = (
            key,
            f"{median(key, 0):.0f}",
            f"{median(key, 1):.0f}",
            f"{seconds:.2f}",
            f"{seconds / bare:.2f}",
        )
        print(" | ".join(f"{c:>38}" if i == 0 else f"{c:>9}" for i, c in enumerate(cells)))


if __name__ == "__main__":
    main()
