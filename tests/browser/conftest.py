"""Browser fixtures: the app on a live local server, Debian's Chromium at tablet size.

Browser tests run on SQLite only: what they test is the page, and the integration
tests already cover both databases.
"""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from surveyapp.cli import _NoAddressRequestHandler
from tests.conftest import chromium_path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "is_mobile": True}


@pytest.fixture(params=["sqlite"])
def database_url(request, database_urls):
    from surveyapp.db import make_engine
    from surveyapp.db.models import Base

    url = database_urls["sqlite"]
    yield url
    engine = make_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_NoAddressRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def tablet(browser):
    context = browser.new_context(**TABLET, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_tablet(browser):
    context = browser.new_context(**TABLET, locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    assert results.violations_count == 0, results.generate_report()
