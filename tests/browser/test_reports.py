"""An analyst reads the comparison of DPS units and one unit's page on a narrow phone and
on a laptop, both pass axe without horizontal scrolling, and the workbook downloads; the
patient questionnaire's dashboard reflows at 320, 390 and 820 px (WCAG 1.4.10)."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from surveyapp import accounts
from surveyapp.collect.submission import store_response
from surveyapp.collect.versions import current_version, questionnaire_of
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 410, "height": 860}, "has_touch": True, "is_mobile": True}


def add_responses(db, dps_id: str, answers_list: list[dict]) -> None:
    version = current_version(db, "flyt")
    for answers in answers_list:
        store_response(
            db,
            version=version,
            questionnaire=questionnaire_of(version),
            dps_id=dps_id,
            mode="self",
            answers=answers,
            submission_key=secrets.token_hex(12),
            today=dt.date(2026, 3, 2),  # 2026-H1: ended, so published
        )


def no_horizontal_scrolling(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def sign_in(page, live_server: str) -> None:
    page.goto(f"{live_server}/logg-inn")
    page.get_by_label("Brukernavn").fill("forum")
    page.get_by_label("Passord").fill("et langt passord")
    page.get_by_role("button", name="Logg inn").click()


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_analyst_compares_units_opens_one_and_downloads_the_workbook(
    db, live_server, browser, device, tmp_path
):
    user, token = accounts.create_user(db, "forum", "analyst")
    accounts.redeem_token(db, token, "", "et langt passord")
    add_responses(db, "nidaros", [{"rolle": ["pasient"], "mott": ["ja"]}] * 8)
    add_responses(db, "nidaros", [{"rolle": ["parorende"], "mott": ["nei"]}] * 2)
    add_responses(db, "tiller", [{"rolle": ["pasient"], "mott": ["nei"]}] * 6)

    size = PHONE if device == "phone" else {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(**size, locale="nb-NO", accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server)
    page.get_by_role("link", name="Rapporter").click()
    assert_accessible(page)
    page.get_by_role("link", name="Testskjema").click()
    expect(page.get_by_role("heading", level=1, name="Testskjema")).to_be_visible()
    expect(page.get_by_role("img", name="Hvem svarer?: per enhet")).to_be_visible()
    # the table under the chart (the level select is labelled «Vis tallene» too)
    page.locator("summary", has_text="Tallene per enhet").first.click()
    expect(page.get_by_text("skjult", exact=True).first).to_be_visible()
    assert_accessible(page)
    assert no_horizontal_scrolling(page)

    page.get_by_text("Velg utvalg").click()
    page.get_by_label("Svart på egen hånd").check()
    page.get_by_label("Bare de som svarte").select_option(label="Pasient")
    assert_accessible(page)
    page.get_by_role("button", name="Vis utvalget").click()
    expect(page.get_by_text("bare svar på egen hånd; bare de som svarte")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned regneark (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("brukerstemmen-flyt-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    assert "Tiller" in workbook.sheetnames  # the registry's short name
    # patients only at Nidaros would be everyone minus its 2 next of kin: not shown
    assert "Nidaros" not in workbook.sheetnames

    page.get_by_role("link", name="Tiller DPS").first.click()
    expect(page.get_by_role("heading", level=1, name="Tiller DPS")).to_be_visible()
    expect(page.get_by_role("img", name="Hvem svarer?: prosent ved Tiller DPS")).to_be_visible()
    assert_accessible(page)
    assert no_horizontal_scrolling(page)
    context.close()


def test_the_patient_dashboard_reflows_and_passes_axe(db, live_server, browser):
    from surveyapp import periods
    from surveyapp.demo import fill_demo_data

    user, token = accounts.create_user(db, "forum", "analyst")
    accounts.redeem_token(db, token, "", "et langt passord")
    ended = periods.period_of(periods.today()).start - dt.timedelta(days=1)
    fill_demo_data(db, "pasient", 350, seed=5, today=ended + dt.timedelta(days=1))
    db.commit()
    from surveyapp.reports import publication

    publication.warm(db, periods.today(), 5, ["pasient"])  # as `surveyapp run` does at start
    # one protection for the three widths: deciding it is what takes the time
    for width in (320, 390, 820):
        size = {"width": width, "height": 900}
        context = browser.new_context(
            viewport=size, has_touch=True, is_mobile=width < 600, locale="nb-NO"
        )
        page = context.new_page()
        sign_in(page, live_server)
        page.goto(f"{live_server}/rapporter/pasient")
        expect(page.get_by_role("heading", level=2, name="Sammendrag")).to_be_visible()
        expect(page.get_by_role("navigation", name="Spørsmålene")).to_be_visible()
        assert no_horizontal_scrolling(page), width
        headings = page.locator("h1, h2, h3")
        clipped = headings.evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
        )
        assert clipped == [], width  # no heading is cut off on a phone
        assert_accessible(page)
        page.get_by_role("link", name="Tiller DPS").first.click()
        expect(page.get_by_role("heading", level=1, name="Tiller DPS")).to_be_visible()
        assert no_horizontal_scrolling(page), width
        # a unit's tables (answer, count, share, interval) fit without scrolling their box
        scrolling = page.locator(".question-report .table-scroll").evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length"
        )
        assert scrolling == 0, width
        assert_accessible(page)
        context.close()
