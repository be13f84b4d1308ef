"""The admin pages on a tablet (820x1180) and a phone (390x844): the menu, the warning before
printing a poster, the danger button, the preview; keyboard, 44 px targets, reflow at 320."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from surveyapp import accounts
from surveyapp.collect.links import create_link
from surveyapp.collect.versions import current_version
from tests.browser.conftest import assert_accessible
from tests.helpers import store_responses

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
SHOTS = os.environ.get("SURVEYAPP_SCREENSHOTS")  # a folder to keep screenshots in, to look at


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def sign_in_admin(db, page, live_server) -> None:
    _, token = accounts.create_user(db, "forum", "admin")
    accounts.redeem_token(db, token, "", "et langt passord")
    page.goto(f"{live_server}/logg-inn")
    page.get_by_label("Brukernavn").fill("forum")
    page.get_by_label("Passord").fill("et langt passord")
    page.get_by_role("button", name="Logg inn").click()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, locale="nb-NO")
    yield context.new_page()
    context.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_admin_menu_on_a_tablet_marks_the_page_and_works_by_keyboard(db, live_server, tablet):
    sign_in_admin(db, tablet, live_server)
    tablet.goto(f"{live_server}/admin/lenker")
    menu = tablet.get_by_role("navigation", name="Administrasjon")
    expect(menu).to_be_visible()
    links = menu.get_by_role("link")
    expect(links).to_have_text(
        [
            "Lenker og plakater",
            "Brukere",
            "Forhåndsvisning",
            "Lagrede svar",
            "Fritekst til godkjenning",
            "Handlingslogg",
            "Rapporter",
        ]
    )
    expect(menu.get_by_role("link", name="Lenker og plakater")).to_have_attribute(
        "aria-current", "page"
    )
    for box in [links.nth(i).bounding_box() for i in range(links.count())]:
        assert box["height"] >= 44 and box["width"] >= 44
    assert_accessible(tablet)
    shot(tablet, "admin-links-tablet")

    # by keyboard: skip link, then Tab reaches the menu; Enter follows a link
    tablet.keyboard.press("Tab")
    for _ in range(12):
        tablet.keyboard.press("Tab")
        if tablet.evaluate("document.activeElement.textContent") == "Handlingslogg":
            break
    tablet.keyboard.press("Enter")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Handlingslogg")
    expect(menu.get_by_role("link", name="Handlingslogg")).to_have_attribute("aria-current", "page")
    assert_accessible(tablet)


def test_admin_pages_reflow_at_320_px(db, live_server, browser):
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, has_touch=True, is_mobile=True, locale="nb-NO"
    )
    page = context.new_page()
    sign_in_admin(db, page, live_server)
    version = current_version(db, "pasient").id
    for path in (
        "/admin/lenker",
        "/admin/brukere",
        "/admin/skjema",
        f"/admin/skjema/pasient/{version}?modus=self",
        "/admin/data",
        "/admin/logg",
    ):
        page.goto(live_server + path)
        assert no_sideways_scroll(page), path
    shot(page, "admin-links-320")
    context.close()


def test_the_links_page_and_the_poster_warn_before_printing_but_never_print_it(
    app, db, live_server, tablet
):
    link = create_link(db, "tiller", "pasient")
    sign_in_admin(db, tablet, live_server)
    tablet.goto(f"{live_server}/admin/lenker")
    warning = tablet.get_by_role("note").filter(has_text="Før du skriver ut plakater")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("SURVEYAPP_PUBLIC_URL")
    assert_accessible(tablet)
    tablet.goto(f"{live_server}/admin/lenker/{link.id}/plakat")
    warning = tablet.get_by_text("Før du skriver ut plakater")
    expect(warning).to_be_visible()
    shot(tablet, "poster-screen")
    tablet.emulate_media(media="print")
    expect(warning).to_be_hidden()
    expect(tablet.get_by_role("heading", level=1)).to_be_visible()  # the poster itself prints
    shot(tablet, "poster-print")


def test_the_poster_shows_the_sender_and_no_warning_when_both_are_set(app, db, live_server, tablet):
    app.config.update(
        PUBLIC_BASE_URL="https://brukerstemmen.example.no",
        PUBLISHER="Helsepolitisk forum i Trondheim",
        CONTACT="post@forum.example.no",
    )
    link = create_link(db, "tiller", "pasient")
    sign_in_admin(db, tablet, live_server)
    tablet.goto(f"{live_server}/admin/lenker/{link.id}/plakat")
    expect(tablet.get_by_text("Før du skriver ut plakater")).to_have_count(0)
    expect(
        tablet.get_by_text("Undersøkelsen gjøres av Helsepolitisk forum i Trondheim")
    ).to_be_visible()
    expect(tablet.get_by_text("post@forum.example.no")).to_be_visible()
    expect(tablet.locator(".poster-url")).to_have_text(
        f"https://brukerstemmen.example.no/s/{link.token}"
    )
    assert_accessible(tablet)


def test_the_irreversible_delete_looks_dangerous_on_a_tablet(app, db, live_server, tablet):
    store_responses(app, "tiller", [{"rolle": ["pasient"]}] * 2)
    sign_in_admin(db, tablet, live_server)
    tablet.goto(f"{live_server}/admin/data")
    tablet.get_by_role("link", name="Slett alle svar fra Tiller DPS").click()
    danger = tablet.get_by_role("button", name="Slett 2 svar for godt")
    cancel = tablet.get_by_role("link", name="Avbryt")
    expect(danger).to_be_visible()
    colour = danger.evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(176, 0, 32)"  # the error red, not the blue of every other button
    assert colour != cancel.evaluate("b => getComputedStyle(b).backgroundColor")
    expect(danger).to_have_accessible_description(
        "Det kan ikke angres. Svarene og alle svarverdiene deres slettes fra databasen; bare "
        "en sikkerhetskopi tatt før kan hente dem tilbake. Intervjuutkast som ikke er "
        "fullført, blir ikke slettet. Slettingen skrives i handlingsloggen."
    )
    assert_accessible(tablet)
    shot(tablet, "delete-tablet")
    # the wrong word deletes nothing, the right one deletes
    tablet.get_by_label("Skriv «tiller» for å bekrefte").fill("tiller")
    danger.click()
    expect(tablet.get_by_text("2 svar er slettet.")).to_be_visible()
    tablet.goto(f"{live_server}/admin/logg")
    expect(tablet.get_by_role("cell", name="2 svar", exact=False)).to_contain_text("fra Tiller DPS")
    assert_accessible(tablet)
    shot(tablet, "log-tablet")


def test_the_preview_on_a_tablet_and_a_phone(db, live_server, tablet, phone):
    sign_in_admin(db, tablet, live_server)
    tablet.goto(f"{live_server}/admin/skjema")
    assert_accessible(tablet)
    shot(tablet, "previews-tablet")
    tablet.get_by_role("link", name="Som intervju – versjon").first.click()
    expect(tablet.get_by_text("Forhåndsvisning – ingenting lagres.")).to_be_visible()
    expect(tablet.get_by_text("Til intervjueren:").first).to_be_visible()
    assert_accessible(tablet)
    shot(tablet, "preview-interview-tablet")

    version = current_version(db, "pasient").id
    phone.context.add_cookies(tablet.context.cookies())
    phone.goto(f"{live_server}/admin/skjema/pasient/{version}?modus=self")
    expect(phone.get_by_text("Side 1 av")).to_be_visible()
    phone.get_by_role("link", name="Neste side").click()
    expect(phone.get_by_text("Side 2 av")).to_be_visible()
    assert no_sideways_scroll(phone)
    assert_accessible(phone)
    shot(phone, "preview-self-phone")
