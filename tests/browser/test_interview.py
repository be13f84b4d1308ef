"""Interviews on a tablet: online, offline, and handing the tablet over."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from surveyapp.db.models import Answer, InterviewDraft, Response, User
from tests.browser.conftest import TABLET, assert_accessible
from tests.conftest import make_link

pytestmark = pytest.mark.browser
PASSWORD = "intervju-passord"


@pytest.fixture
def interviewer(db):
    db.add(
        User(username="kari", password_hash=generate_password_hash(PASSWORD), role="interviewer")
    )
    db.commit()
    return "kari"


@pytest.fixture
def tablet_context(browser):
    context = browser.new_context(**TABLET, locale="nb-NO")
    yield context
    context.close()


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/logg-inn")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    page.goto(f"{live_server}/intervju/")
    expect(page.get_by_role("heading", name="Intervjuer", exact=True)).to_be_visible()
    # as the guide tells interviewers: wait until the tablet says it is ready for offline work
    expect(page.locator("#offline-ready")).to_be_visible(timeout=10000)


def start_leader_interview(page, dps="Tiller DPS"):
    page.get_by_label("Intervjuguide").select_option(
        label="Intervjuguide: ledere og ansatte ved DPS"
    )
    page.get_by_label("DPS").select_option(label=dps)
    page.get_by_role("button", name="Start intervjuet").click()
    expect(page.get_by_role("heading", name="Innledning")).to_be_visible()


def answer_required_questions(page):
    page.get_by_role("group", name="Hva er din rolle ved DPS-et?").get_by_role(
        "radio", name="Leder"
    ).tap()
    page.get_by_role("button", name="Neste del").tap()
    group = page.get_by_role(
        "group", name="Har dere erfaringskonsulenter (erfaringsmedarbeidere) i dag?"
    )
    group.get_by_role("radio", name="Ja, ansatt hos oss").tap()
    expect(page.get_by_text("Hvor mange erfaringskonsulenter jobber hos dere?")).to_be_visible()
    page.get_by_label("Hvor mange erfaringskonsulenter jobber hos dere?").fill("3")


def finish(page):
    page.get_by_role("button", name="Fullfør", exact=True).tap()
    expect(page.locator("#all-answered")).to_be_visible()
    page.get_by_role("button", name="Fullfør og send").tap()
    expect(page.get_by_text("Intervjuet er fullført")).to_be_visible()


def interview_finished_offline(context, live_server, interviewer):
    """A signed-in tablet that finished a leader interview while it had no network."""
    page = context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    answer_required_questions(page)
    context.set_offline(True)
    finish(page)
    return page


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_a_whole_interview_online_becomes_one_anonymous_response(
    app, db, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    assert_accessible(page)
    start_leader_interview(page)
    assert_accessible(page)
    expect(page.get_by_text("Til intervjueren:").first).to_be_visible()

    # the summary names what is still missing, and links to it
    page.get_by_role("button", name="Fullfør", exact=True).tap()
    missing = page.locator("#missing-list")
    expect(missing).to_contain_text("Hva er din rolle ved DPS-et?")
    assert_accessible(page)
    missing.get_by_role("link", name="Hva er din rolle ved DPS-et?").tap()
    answer_required_questions(page)
    finish(page)
    expect(page.locator("#queue-count")).to_have_text("0")

    response = db.scalar(select(Response))
    assert (response.mode, response.dps_id) == ("interview", "tiller")
    answers = {a.question_id: a.value for a in db.scalars(select(Answer))}
    assert answers["respondent"] == "leder" and answers["antall_ek"] == "3"
    assert count(db, InterviewDraft) == 0


def test_declining_a_required_question_lets_the_interview_be_finished(
    app, db, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    page.get_by_role("group", name="Hva er din rolle ved DPS-et?").get_by_role(
        "radio", name="Vil ikke svare"
    ).tap()
    page.get_by_role("button", name="Neste del").tap()
    page.get_by_role(
        "group", name="Har dere erfaringskonsulenter (erfaringsmedarbeidere) i dag?"
    ).get_by_role("radio", name="Vil ikke svare").tap()
    finish(page)
    expect(page.locator("#queue-count")).to_have_text("0")
    assert db.scalar(select(Answer.value).where(Answer.question_id == "respondent")) == "_declined"


def test_finished_offline_survives_a_reload_and_is_sent_once_when_the_network_returns(
    app, db, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now the service worker controls the page, and has cached the app shell
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    start_leader_interview(page)
    answer_required_questions(page)

    tablet_context.set_offline(True)
    finish(page)
    expect(page.locator("#queue-count")).to_have_text("1")
    page.reload()
    expect(page.locator("#queue-count")).to_have_text("1")
    assert count(db, Response) == 0

    tablet_context.set_offline(False)  # the browser's "online" event starts the sending
    expect(page.locator("#queue-count")).to_have_text("0", timeout=15000)
    assert count(db, Response) == 1


def test_logout_on_a_shared_tablet_leaves_no_answers_in_the_browser(
    app, db, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    answer_required_questions(page)
    expect(page.locator("#save-status")).to_have_text("Lagret på nettbrettet.")
    page.goto(f"{live_server}/intervju/")
    expect(page.locator("#draft-list li")).to_have_count(1)

    page.get_by_role("button", name="Logg ut").tap()
    expect(page.get_by_role("link", name="Logg inn (for forumet)")).to_be_visible()
    leftovers = page.evaluate(
        """async () => ({
            databases: (await indexedDB.databases()).map(d => d.name),
            caches: await caches.keys(),
            local: localStorage.length,
        })"""
    )
    assert leftovers == {"databases": [], "caches": [], "local": 0}


def test_queued_interviews_are_sent_when_the_tab_is_opened_again(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    page.close()
    tablet_context.set_offline(False)
    assert count(db, Response) == 0

    page = tablet_context.new_page()
    page.goto(f"{live_server}/intervju/")
    expect(page.locator("#queue-count")).to_have_text("0", timeout=15000)
    assert count(db, Response) == 1


def test_an_interview_the_server_refuses_is_shown_with_the_reason_and_kept(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    # something the server will not accept: an answer to a question the guide does not have
    page.evaluate(
        """async () => {
            const item = (await BrukerOffline.outbox.all())[0];
            item.answers = {finnes_ikke: ["x"]};
            await BrukerOffline.outbox.put(item);
        }"""
    )
    tablet_context.set_offline(False)
    rejected = page.locator("#rejected")
    expect(rejected).to_be_visible(timeout=15000)
    expect(rejected).to_contain_text("Intervjuguide: ledere og ansatte ved DPS – Tiller DPS")
    expect(rejected).to_contain_text("Grunn:")
    expect(page.locator("#queue-count")).to_have_text("0")
    assert count(db, Response) == 0
    page.reload()
    expect(page.locator("#rejected-list li")).to_have_count(1)  # kept on the tablet
    assert_accessible(page)


def test_an_interview_can_be_done_with_the_keyboard_alone(
    app, db, live_server, browser, interviewer
):
    context = browser.new_context(locale="nb-NO", viewport={"width": 1024, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, interviewer)
    page.get_by_label("Intervjuguide").focus()
    page.keyboard.press("End")  # the last guide: leaders and staff
    expect(page.get_by_label("Intervjuguide")).to_have_value(re.compile(r"\d+"))
    assert "ledere" in page.locator("#guide option:checked").inner_text()
    page.keyboard.press("Tab")  # to the DPS list
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Start intervjuet")).to_be_focused()
    page.keyboard.press("Enter")
    radio = page.get_by_role("group", name="Hva er din rolle ved DPS-et?").get_by_role(
        "radio", name="Leder"
    )
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    page.get_by_role("button", name="Neste del").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Erfaringskonsulenter", level=2)).to_be_focused()
    answer = page.get_by_role(
        "group", name="Har dere erfaringskonsulenter (erfaringsmedarbeidere) i dag?"
    ).get_by_role("radio", name="Vil ikke svare")
    answer.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Fullfør", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Fullfør og send").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Intervjuet er fullført")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("0")
    context.close()
    assert count(db, Response) == 1


@pytest.mark.parametrize("language", ["nb", "en"])
def test_interview_pages_are_accessible(app, live_server, tablet_context, interviewer, language):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    page.goto(f"{live_server}/intervju/svarkort?lang={language}")
    assert_accessible(page)
    page.goto(f"{live_server}/intervju/?lang={language}")
    assert_accessible(page)
    page.locator("#start-form button[type=submit]").tap()
    expect(page.locator("#interview-form")).to_be_visible()
    assert_accessible(page)
    for button in page.locator(".section-button").all():
        button.tap()
        assert_accessible(page)


def test_text_enlarged_to_200_percent_loses_nothing(app, live_server, browser, interviewer):
    # 200 % zoom of a 820 px wide tablet leaves 410 CSS pixels: nothing may need sideways scrolling
    context = browser.new_context(viewport={"width": 410, "height": 590}, locale="nb-NO")
    page = context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    token = make_link(app, "nidaros", "pasient")
    for url in (
        "/intervju/",
        "/intervju/svarkort",
        "/",
        "/personvern",
        "/tilgjengelighet",
        "/logg-inn",
        f"/s/{token}",
    ):
        page.goto(live_server + url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    page.go_back()
    context.close()


def test_a_session_that_expires_mid_interview_loses_nothing(
    app, db, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    form_url = page.url
    tablet_context.clear_cookies()  # the session runs out while the interviewer works
    answer_required_questions(page)
    expect(page.locator("#login-needed")).to_be_visible(timeout=10000)

    sign_in(page, live_server, interviewer)
    page.goto(form_url)
    page.get_by_role("button", name="Neste del").tap()
    expect(page.get_by_label("Hvor mange erfaringskonsulenter jobber hos dere?")).to_have_value("3")
    finish(page)
    expect(page.locator("#queue-count")).to_have_text("0")
    assert count(db, Response) == 1


def test_a_number_out_of_range_is_caught_before_sending(
    app, db, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    answer_required_questions(page)
    field = page.get_by_label("Hvor mange erfaringskonsulenter jobber hos dere?")
    field.fill("150")
    field.blur()
    expect(page.locator("#q-antall_ek-error")).to_have_text("Feil: Skriv et tall fra 0 til 100.")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_role("button", name="Fullfør", exact=True).tap()
    missing = page.locator("#missing-list")
    expect(missing).to_contain_text(
        "Hvor mange erfaringskonsulenter jobber hos dere? – Skriv et tall fra 0 til 100."
    )
    expect(page.locator("#all-answered")).to_be_hidden()
    page.get_by_role("button", name="Fullfør og send").tap()
    expect(page.locator("#missing")).to_be_focused()
    assert count(db, Response) == 0

    missing.get_by_role("link", name="Hvor mange erfaringskonsulenter").tap()
    expect(field).to_be_focused()
    field.fill("15")
    field.blur()
    expect(page.locator("#q-antall_ek-error")).to_have_count(0)
    finish(page)
    assert count(db, Response) == 1


def test_an_interview_the_server_refuses_goes_back_to_a_draft_at_the_question(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    # what the browser's checks would have stopped, sent all the same (an older page, say)
    page.evaluate(
        """async () => {
            const item = (await BrukerOffline.outbox.all())[0];
            item.answers.antall_ek = ["150"];
            await BrukerOffline.outbox.put(item);
        }"""
    )
    tablet_context.set_offline(False)
    refused = page.locator("#draft-list li.refused")
    expect(refused).to_contain_text(
        "«Hvor mange erfaringskonsulenter jobber hos dere?»: Skriv et tall fra 0 til 100.",
        timeout=15000,
    )
    expect(page.locator("#queue-count")).to_have_text("0")
    expect(page.locator("#rejected")).to_be_hidden()
    assert count(db, Response) == 0
    assert_accessible(page)

    refused.get_by_role("link").tap()
    field = page.get_by_label("Hvor mange erfaringskonsulenter jobber hos dere?")
    expect(page.locator("#refused")).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_have_value("150")
    expect(page.locator("#q-antall_ek-error")).to_contain_text("Skriv et tall fra 0 til 100.")
    assert_accessible(page)
    field.fill("15")
    finish(page)
    expect(page.locator("#finished-notice")).to_have_text(
        "Intervjuet er fullført, sendt og lagret."
    )
    expect(page.locator("#draft-list li")).to_have_count(0)
    assert count(db, Response) == 1
    assert db.scalar(select(Answer.value).where(Answer.question_id == "antall_ek")) == "15"
    assert count(db, InterviewDraft) == 0


def test_section_buttons_offer_only_where_there_is_somewhere_to_go(
    app, live_server, tablet_context, interviewer
):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    expect(page.get_by_role("button", name="Forrige del")).to_be_hidden()
    expect(page.get_by_role("button", name="Neste del")).to_be_visible()
    page.get_by_role("button", name="Fullfør", exact=True).tap()
    expect(page.get_by_role("button", name="Neste del")).to_be_hidden()
    expect(page.get_by_role("button", name="Forrige del")).to_be_visible()


def test_the_tablet_says_when_it_is_offline_and_counts_in_words(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    notice = page.get_by_text("Nettbrettet er uten nett.")
    expect(notice).to_be_visible()
    expect(page.locator("#queue-status")).to_have_text("1 intervju venter på sending")
    start_leader_interview(page)
    answer_required_questions(page)
    finish(page)
    expect(page.locator("#queue-status")).to_have_text("2 intervjuer venter på sending")

    messages = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Logg ut").tap()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    assert messages and "uten nett" in messages[0]  # signing out offline would lose them

    tablet_context.set_offline(False)
    expect(notice).to_be_hidden()
    expect(page.locator("#queue-status")).to_have_text(
        "0 intervjuer venter på sending", timeout=15000
    )


def test_signing_out_counts_what_would_be_lost_in_the_right_plural(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    # the server is unreachable although the tablet has network: the interview keeps waiting
    page.route("**/intervju/api/fullfor", lambda route: route.abort())
    tablet_context.set_offline(False)
    messages = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Logg ut").tap()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    page.wait_for_timeout(500)
    assert messages and messages[0].startswith("1 intervju er ikke sendt ennå.")


def test_the_refused_interview_box_on_the_form_has_named_buttons(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    page.evaluate(
        """async () => {
            const item = (await BrukerOffline.outbox.all())[0];
            item.answers = {finnes_ikke: ["x"]};
            await BrukerOffline.outbox.put(item);
        }"""
    )
    tablet_context.set_offline(False)
    expect(page.locator("#rejected")).to_be_visible(timeout=15000)
    start_leader_interview(page)  # the form page shows the same box
    box = page.locator("#rejected")
    expect(box).to_be_visible()
    expect(box.get_by_role("button", name="Slett fra nettbrettet")).to_be_visible()
    assert_accessible(page)


def test_a_cached_page_after_a_browser_restart_offers_no_sign_out(
    app, live_server, interviewer, browser, tmp_path
):
    from tests.browser.conftest import CHROMIUM_ARGS
    from tests.conftest import chromium_path

    profile = tmp_path / "profile"

    def launch(**options):
        # a browser with a profile on disk, as a tablet's: closing it is a restart
        return browser.browser_type.launch_persistent_context(
            str(profile),
            executable_path=chromium_path(),
            args=CHROMIUM_ARGS,
            locale="nb-NO",
            **TABLET,
            **options,
        )

    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, live_server, interviewer)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    context.close()  # the browser is closed: the session cookie goes with it

    context = launch(offline=True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{live_server}/intervju/")
    expect(page.get_by_role("heading", name="Intervjuer", exact=True)).to_be_visible()
    expect(page.locator("#session-gone")).to_be_visible()
    expect(page.get_by_role("button", name="Logg ut")).to_be_hidden()
    expect(page.get_by_role("button", name="Start intervjuet")).to_be_visible()
    expect(page.get_by_text("Nettbrettet er uten nett.")).to_be_visible()
    context.close()


def test_the_network_status_is_said_politely_offline_and_back_online(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    network = page.locator("#offline-notice")
    assert network.get_attribute("role") == "status"  # a polite live region
    expect(network).to_have_text(
        "Nettbrettet er uten nett. Intervjuene lagres her og sendes når nettet er tilbake."
    )
    tablet_context.set_offline(False)
    expect(network).to_have_text("Nettbrettet har nett igjen. Det som venter, sendes nå.")
    expect(page.locator("#queue-status")).to_have_text(
        "0 intervjuer venter på sending", timeout=15000
    )
    assert_accessible(page)
    page.reload()  # online from the start: nothing to say
    expect(page.locator("#queue-status")).to_have_text("0 intervjuer venter på sending")
    expect(network).to_have_text("")


def test_an_interview_sent_and_refused_is_counted_as_neither_sent_nor_waiting(
    app, db, live_server, tablet_context, interviewer
):
    page = interview_finished_offline(tablet_context, live_server, interviewer)
    page.evaluate(
        """async () => {
            const item = (await BrukerOffline.outbox.all())[0];
            item.answers.antall_ek = ["150"];
            await BrukerOffline.outbox.put(item);
        }"""
    )
    tablet_context.set_offline(False)
    returned = page.locator("#returned-status")
    expect(returned).to_have_text(
        "1 intervju ble sendt, men ikke tatt imot: rett det i utkastet og send det igjen.",
        timeout=15000,
    )
    expect(page.locator("#queue-status")).to_have_text("0 intervjuer venter på sending")
    assert count(db, Response) == 0
    # the guide is corrected and sent again: nothing is left to count
    page.locator("#draft-list li.refused").get_by_role("link").tap()
    page.get_by_label("Hvor mange erfaringskonsulenter jobber hos dere?").fill("15")
    finish(page)
    expect(page.locator("#finished-notice")).to_have_text(
        "Intervjuet er fullført, sendt og lagret."
    )
    expect(returned).to_be_hidden()
    assert count(db, Response) == 1


@pytest.mark.parametrize("width", [820, 390, 320])
def test_the_header_keeps_sign_out_on_one_row_at_820_and_reflows_on_phones(
    app, live_server, browser, interviewer, width
):
    context = browser.new_context(
        **(TABLET | {"viewport": {"width": width, "height": 1180}}), locale="nb-NO"
    )
    page = context.new_page()
    sign_in(page, live_server, interviewer)
    brand = page.locator(".brand").bounding_box()
    sign_out = page.get_by_role("button", name="Logg ut").bounding_box()
    languages = page.get_by_role("navigation", name="Språk").bounding_box()
    header = page.locator(".site-header").bounding_box()
    if width == 820:
        assert abs(sign_out["y"] - brand["y"]) < 8  # one row: brand, languages, "Logg ut"
        assert abs(languages["y"] - brand["y"]) < 8
        assert header["height"] < 80
    else:
        assert sign_out["y"] >= brand["y"] + brand["height"] - 1  # under the brand
        assert sign_out["x"] + sign_out["width"] <= width
        assert header["height"] < 220
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    context.close()


def test_a_new_language_keeps_the_interview_open(app, live_server, tablet_context, interviewer):
    page = tablet_context.new_page()
    sign_in(page, live_server, interviewer)
    start_leader_interview(page)
    page.get_by_role("navigation", name="Språk").get_by_role("link", name="English").tap()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Innledning")).to_be_visible()  # the guide is nb
    expect(page.locator("#draft-missing")).to_be_hidden()
    assert "utkast=" in page.url and "lang=en" in page.url
