"""Browser fixtures: the app on a live local server, Debian's Chromium at tablet size.

Browser tests run on SQLite only: what they test is the page, and the integration
tests already cover both databases.
"""

from __future__ import annotations

import pytest

from tests.conftest import chromium_path, empty_database

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
    url = database_urls["sqlite"]
    yield url
    empty_database(url)


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
