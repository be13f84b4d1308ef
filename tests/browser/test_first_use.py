"""A new user's first session, as the README describes it: the printed admin link, a link
for a DPS made on the admin page, and a tablet that opens it and submits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveyapp.db.models import Response
from tests.browser.conftest import TABLET, assert_accessible

pytestmark = pytest.mark.browser


def test_admin_link_then_collection_link_then_a_submission(app, runner, db, live_server, browser):
    app.config["PUBLIC_BASE_URL"] = live_server  # what SURVEYAPP_PUBLIC_URL says in use
    printed = runner.invoke(args=["init"]).output
    setup_path = re.search(r"/oppsett/\S+", printed).group(0)

    laptop = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    admin = laptop.new_page()
    admin.goto(live_server + setup_path)
    assert_accessible(admin)
    admin.get_by_label("Brukernavn").fill("forum")
    admin.get_by_label("Passord", exact=True).fill("et langt passord")
    admin.get_by_label("Gjenta passordet").fill("et langt passord")
    admin.get_by_role("button", name="Lag konto").click()
    expect(admin.get_by_text("Kontoen er laget")).to_be_visible()
    admin.get_by_role("link", name="Lenker og plakater").click()
    assert_accessible(admin)
    admin.get_by_label("DPS").select_option(label="Tiller DPS")
    admin.get_by_label("Skjema").select_option(label="Spørreskjema for pasienter og pårørende")
    admin.get_by_role("button", name="Lag lenke").click()
    url = re.search(r"http://\S+/s/[\w-]+", admin.locator(".notice").inner_text()).group(0)
    admin.get_by_role("link", name="Plakat for Tiller DPS").click()
    expect(admin.locator(".poster-qr svg")).to_be_visible()
    expect(admin.locator(".poster-url")).to_have_text(url)
    assert_accessible(admin)
    laptop.close()

    tablet = browser.new_context(**TABLET, locale="nb-NO").new_page()
    tablet.goto(url)
    tablet.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    for _ in range(10):
        if tablet.get_by_role("button", name="Send inn").count():
            break
        progress = tablet.locator(".progress-label").inner_text()
        tablet.get_by_role("button", name="Neste").tap()
        expect(tablet.locator(".progress-label")).not_to_have_text(progress)
    tablet.get_by_role("button", name="Send inn").tap()
    expect(tablet.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    tablet.context.close()
    assert db.scalar(select(Response)).dps_id == "tiller"
