"""README's walk-through, step 5, followed in a browser: demo data from the command line, the
first admin from the printed link, then Rapporter: the comparison with figures, one unit's
page, the workbook, and the Handlingslogg listing those views. (Steps 1-4, first admin, link,
poster and a response, are test_first_use.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TABLET, assert_accessible

pytestmark = pytest.mark.browser


def test_demo_data_then_the_dashboard_without_a_dead_end(runner, live_server, browser):
    result = runner.invoke(args=["demo-data", "--responses", "200", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "400 syntetiske svar er lagt inn: 200 i hvert av halvårene" in result.output
    setup = re.search(r"/oppsett/\S+", runner.invoke(args=["init"]).output).group(0)

    context = browser.new_context(**TABLET, locale="nb-NO", accept_downloads=True)
    page = context.new_page()
    page.goto(live_server + setup)
    page.get_by_label("Brukernavn").fill("forum")
    page.get_by_label("Passord", exact=True).fill("et langt passord")
    page.get_by_label("Gjenta passordet").fill("et langt passord")
    page.get_by_role("button", name="Lag konto").click()

    page.get_by_role("link", name="Rapporter").first.click()
    expect(page.get_by_role("heading", level=1, name="Rapporter")).to_be_visible()
    page.get_by_role("link", name="Spørreskjema for pasienter og pårørende").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Spørreskjema for pasienter og pårørende"
    )
    expect(page.locator("svg").first).to_be_visible()  # charts with figures
    assert page.locator("td.number, td").filter(has_text=re.compile(r"^\d+ ?%?$")).count() > 0
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned regneark (Excel)").click()
    assert download.value.suggested_filename.startswith("brukerstemmen-pasient-")

    page.get_by_role("link", name="Tiller DPS").first.click()
    expect(page.get_by_role("heading", level=1, name="Tiller DPS")).to_be_visible()

    page.goto(f"{live_server}/admin/logg")
    log = page.get_by_role("table")
    expect(log).to_contain_text("Så sammenligningen")
    expect(log).to_contain_text("Lastet ned regneark")
    expect(log).to_contain_text("Så en enhets side")
    assert_accessible(page)
    context.close()
