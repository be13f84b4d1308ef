"""A respondent fills the patient questionnaire on a tablet, as a person would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from surveyapp.db.models import Answer, Response
from tests.browser.conftest import assert_accessible
from tests.conftest import make_link

pytestmark = pytest.mark.browser


def answers_of(db) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for row in db.scalars(select(Answer).order_by(Answer.question_id, Answer.position)):
        answers.setdefault(row.question_id, []).append(row.value)
    return answers


def go_to_last_page(page, press=lambda button: button.tap()) -> None:
    """Press "Neste" until the page offers "Send inn", waiting for each page to load."""
    for _ in range(20):
        progress = page.locator(".progress-label").inner_text()
        number, total = re.findall(r"\d+", progress)
        if number == total:
            return
        press(page.get_by_role("button", name="Neste"))
        expect(page.locator(".progress-label")).not_to_have_text(progress)
    raise AssertionError("never reached the last page")


def test_patient_fills_the_questionnaire_and_sees_conditions_live(app, db, live_server, tablet):
    token = make_link(app, "orkdal", "pasient")
    page = tablet
    page.goto(f"{live_server}/s/{token}")
    expect(page.get_by_text("Side 1 av")).to_be_visible()
    assert_accessible(page)

    # Page 1: nothing chosen yet -> the required question says so beside the field
    page.get_by_role("button", name="Neste").tap()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#q-rolle-error")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    page.get_by_role("radio", name="For mindre enn ett år siden").tap()
    page.get_by_role("button", name="Neste").tap()

    # Page 2: being heard, a matrix; the next-of-kin version is not shown to patients
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    expect(page.get_by_text("Hvordan har du som pårørende opplevd")).to_be_hidden()
    listened = page.get_by_role(
        "group", name="I hvilken grad har de som jobber der, lyttet til deg?"
    )
    listened.get_by_role("radio", name="I stor grad", exact=True).tap()
    page.get_by_role("button", name="Neste").tap()

    # Page 3: a condition shows and hides follow-up questions while the page is filled
    expect(page.get_by_role("heading", name="Erfaringskonsulenter")).to_be_visible()
    helped = page.get_by_text("I hvilken grad var det til hjelp")
    wished = page.get_by_text("Ville du ha ønsket å møte en erfaringskonsulent?")
    expect(helped).to_be_hidden()
    met = page.get_by_role("group", name="Har du møtt en erfaringskonsulent ved dette DPS-et?")
    met.get_by_role("radio", name="Ja").tap()
    expect(helped).to_be_visible()
    expect(wished).to_be_hidden()
    assert_accessible(page)
    met.get_by_role("radio", name="Nei").tap()
    expect(helped).to_be_hidden()
    expect(wished).to_be_visible()
    met.get_by_role("radio", name="Ja").tap()
    # "in what way did it help" only for those it helped
    how = page.get_by_role("group", name=re.compile("På hvilken måte"))
    rating = page.get_by_role("group", name=re.compile("I hvilken grad var det til hjelp"))
    expect(how).to_be_hidden()
    rating.get_by_role("radio", name="Ikke i det hele tatt").tap()
    expect(how).to_be_hidden()
    rating.get_by_role("radio", name="I svært stor grad").tap()
    expect(how).to_be_visible()
    page.get_by_role("checkbox", name="Jeg fikk mer håp").tap()
    page.get_by_role("checkbox", name="Annet").tap()
    page.get_by_label(re.compile("Hva annet var til hjelp")).fill("Hun hadde tid")

    # Back and forward keep what was chosen
    page.get_by_role("button", name="Tilbake").tap()
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    page.get_by_role("button", name="Neste").tap()
    expect(page.get_by_role("checkbox", name="Jeg fikk mer håp")).to_be_checked()

    # Through the remaining pages to the end
    go_to_last_page(page)
    expect(page.get_by_text("Trykk «Send inn» nedenfor")).to_be_visible()
    page.get_by_role("radio", name="Under 30 år").tap()
    page.get_by_role("button", name="Tilbake").tap()
    page.get_by_label(re.compile("Hva fungerer bra")).fill("Trygge samtaler. Ring meg på 91234567")
    assert_accessible(page)
    page.get_by_role("button", name="Neste").tap()
    expect(page.get_by_role("radio", name="Under 30 år")).to_be_checked()
    page.get_by_role("button", name="Send inn").tap()
    expect(page.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    assert_accessible(page)

    response = db.scalar(select(Response))
    assert response.dps_id == "orkdal" and response.mode == "self"
    answers = answers_of(db)
    assert answers["rolle"] == ["pasient"]
    assert answers["siste_kontakt"] == ["under_1_ar"]
    assert answers["alder"] == ["under_30"]
    assert answers["hort.lyttet"] == ["4"]
    assert answers["mott_ek"] == ["ja"]
    assert answers["ek_hjelp"] == ["5"]
    assert answers["ek_hvordan"] == ["hap", "annet"]
    assert answers["ek_hvordan_annet"] == ["Hun hadde tid"]
    assert "ek_onske" not in answers
    assert answers["fungerer_bra"] == ["Trygge samtaler. Ring meg på [fjernet]"]


def test_exclusive_choice_clears_the_others(app, live_server, tablet):
    token = make_link(app, "nidaros", "pasient")
    page = tablet
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    press_next(page)  # each waits for its page: a second tap could land on the first page
    press_next(page)
    page.get_by_role("group", name=re.compile("Har du møtt en erfaringskonsulent")).get_by_role(
        "radio", name="Ja"
    ).tap()
    page.get_by_role("group", name=re.compile("I hvilken grad var det til hjelp")).get_by_role(
        "radio", name="I stor grad", exact=True
    ).tap()
    hope = page.get_by_role("checkbox", name="Jeg fikk mer håp")
    dont_know = page.get_by_role("group", name=re.compile("På hvilken måte")).get_by_role(
        "checkbox", name="Vet ikke"
    )
    hope.tap()
    dont_know.tap()
    expect(hope).not_to_be_checked()
    hope.tap()
    expect(dont_know).not_to_be_checked()


def test_form_works_without_javascript(app, db, live_server, no_js_tablet):
    token = make_link(app, "tiller", "pasient")
    page = no_js_tablet
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role(
        "radio", name="Pårørende (familie eller en annen som står pasienten nær)"
    ).click()
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_text("Hvordan har du som pårørende opplevd")).to_be_visible()
    page.get_by_role("button", name="Neste").click()
    met = page.get_by_role("group", name="Har du møtt en erfaringskonsulent ved dette DPS-et?")
    met.get_by_role("radio", name="Nei").click()
    page.get_by_role("button", name="Neste").click()
    # the server shows the follow-up that the answer opened, before moving on
    expect(page.get_by_text("flere spørsmål ble vist")).to_be_visible()
    expect(page.get_by_text("Ville du ha ønsket å møte en erfaringskonsulent?")).to_be_visible()
    go_to_last_page(page, press=lambda button: button.click())
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    assert db.scalar(select(Response)).dps_id == "tiller"
    assert answers_of(db)["rolle"] == ["parorende"]


def test_form_can_be_completed_with_the_keyboard_alone(app, db, live_server, browser):
    token = make_link(app, "nidaros", "pasient")
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server}/s/{token}")
    page.keyboard.press("Tab")  # skip link
    expect(page.get_by_role("link", name="Hopp til innholdet")).to_be_focused()
    radio = page.get_by_role("radio", name="Pasient (nå eller tidligere)")
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()

    def press_enter(button):
        button.focus()
        page.keyboard.press("Enter")

    go_to_last_page(page, press=press_enter)
    page.get_by_role("button", name="Send inn").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    context.close()
    assert db.scalar(select(Response)) is not None


def test_pages_are_accessible_in_english(app, live_server, tablet):
    token = make_link(app, "nidaros", "pasient")
    page = tablet
    page.goto(f"{live_server}/s/{token}?lang=en")
    expect(page.get_by_role("radio", name=re.compile("Patient"))).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.goto(f"{live_server}/tilgjengelighet")
    assert_accessible(page)


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, locale="nb-NO")
    page = context.new_page()
    yield page
    context.close()


def stored_in_tab(page) -> int:
    return page.evaluate("sessionStorage.length")


def test_the_phones_back_and_forward_buttons_move_between_pages_with_answers_kept(
    app, db, live_server, phone
):
    token = make_link(app, "orkdal", "pasient")
    page = phone
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    page.get_by_role("radio", name="For mindre enn ett år siden").tap()
    page.get_by_role("button", name="Neste").tap()
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    listened = page.get_by_role("group", name="de som jobber der, lyttet til deg?")
    listened.get_by_role("radio", name="I stor grad", exact=True).tap()
    page.get_by_role("button", name="Neste").tap()
    expect(page.get_by_role("heading", name="Erfaringskonsulenter")).to_be_visible()
    met = page.get_by_role("group", name="Har du møtt en erfaringskonsulent ved dette DPS-et?")
    met.get_by_role("radio", name="Ja").tap()

    page.go_back()  # no "Confirm Form Resubmission": the page before, as it was answered
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    expect(listened.get_by_role("radio", name="I stor grad", exact=True)).to_be_checked()
    page.go_back()
    expect(page.get_by_role("radio", name="Pasient (nå eller tidligere)")).to_be_checked()
    expect(page.get_by_role("radio", name="For mindre enn ett år siden")).to_be_checked()
    page.go_forward()
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    page.go_forward()
    expect(page.get_by_role("heading", name="Erfaringskonsulenter")).to_be_visible()
    expect(met.get_by_role("radio", name="Ja")).to_be_checked()
    assert db.scalar(select(func.count()).select_from(Response)) == 0  # nothing on the server
    assert_accessible(page)

    # the link opened again in this tab: where the respondent was, with the answers
    page.goto(f"{live_server}/s/{token}")
    expect(page.get_by_role("heading", name="Erfaringskonsulenter")).to_be_visible()
    expect(page.locator("#resume-notice")).to_be_visible()
    expect(met.get_by_role("radio", name="Ja")).to_be_checked()
    assert_accessible(page)

    go_to_last_page(page)
    page.get_by_role("button", name="Send inn").tap()
    expect(page.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    assert stored_in_tab(page) == 0  # sent: nothing stays in the browser
    answers = answers_of(db)
    assert answers["rolle"] == ["pasient"] and answers["hort.lyttet"] == ["4"]
    assert answers["mott_ek"] == ["ja"]

    page.goto(f"{live_server}/s/{token}")  # the next person starts afresh
    expect(page.get_by_text("Side 1 av")).to_be_visible()
    expect(page.get_by_role("radio", name="Pasient (nå eller tidligere)")).not_to_be_checked()
    expect(page.locator("#resume-notice")).to_be_hidden()


def test_start_over_forgets_the_answers_kept_in_the_tab(app, live_server, phone):
    token = make_link(app, "orkdal", "pasient")
    page = phone
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    page.get_by_role("button", name="Neste").tap()
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("button", name="Start på nytt").tap()
    expect(page.get_by_text("Side 1 av")).to_be_visible()
    expect(page.get_by_role("radio", name="Pasient (nå eller tidligere)")).not_to_be_checked()
    assert stored_in_tab(page) == 0


def progress_of(page) -> tuple[int, int]:
    number, total = re.findall(r"\d+", page.locator(".progress-label").inner_text())
    return int(number), int(total)


def press_next(page, label="Neste"):
    before = page.locator(".progress-label").inner_text()
    page.get_by_role("button", name=label, exact=True).tap()
    expect(page.locator(".progress-label")).not_to_have_text(before)


def test_on_a_phone_progress_never_goes_back_or_jumps(app, live_server, phone):
    token = make_link(app, "orkdal", "pasient")
    page = phone
    page.goto(f"{live_server}/s/{token}")
    expect(page.locator(".progress-label")).to_have_text("Side 1 av 7")
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    press_next(page)
    expect(page.locator(".progress-label")).to_have_text("Side 2 av 7")
    press_next(page, "Tilbake")
    expect(page.locator(".progress-label")).to_have_text("Side 1 av 7")
    # another answer shows other questions on the next page: the count stays
    page.get_by_role("radio", name=re.compile("Pårørende \\(familie")).tap()
    press_next(page)
    expect(page.get_by_text("Hvordan har du som pårørende opplevd")).to_be_visible()
    seen = [progress_of(page)]
    press_next(page)
    # a follow-up shown and hidden on the page changes nothing either
    met = page.get_by_role("group", name="Har du møtt en erfaringskonsulent ved dette DPS-et?")
    met.get_by_role("radio", name="Ja").tap()
    met.get_by_role("radio", name="Nei").tap()
    seen.append(progress_of(page))
    while seen[-1][0] < seen[-1][1]:
        press_next(page)
        seen.append(progress_of(page))
    assert seen == [(n, 7) for n in range(2, 8)]
    expect(page.get_by_role("button", name="Send inn")).to_be_visible()
    press_next(page, "Tilbake")  # and the phone's own Back agrees
    expect(page.locator(".progress-label")).to_have_text("Side 6 av 7")
    page.go_back()
    expect(page.locator(".progress-label")).to_have_text("Side 7 av 7")


def test_on_a_phone_the_language_switch_is_at_the_top_and_keeps_the_answers(
    app, live_server, phone
):
    token = make_link(app, "orkdal", "pasient")
    page = phone
    page.goto(f"{live_server}/s/{token}")
    switch = page.get_by_role("group", name="Velg språk")
    buttons = switch.get_by_role("button")
    expect(buttons).to_have_count(3)
    boxes = [buttons.nth(i).bounding_box() for i in range(3)]
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert all(box["y"] + box["height"] <= heading["y"] for box in boxes)  # above the title
    assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert all(44 <= box["height"] < 60 for box in boxes)  # one line each, big enough to tap
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    page.get_by_role("button", name="Neste").tap()
    expect(page.get_by_role("heading", name="Å bli hørt")).to_be_visible()
    switch.get_by_role("button", name="English").tap()
    expect(page.get_by_role("heading", name="Being heard")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Back").tap()
    expect(page.get_by_role("radio", name="Patient (now or in the past)")).to_be_checked()
    assert_accessible(page)


def test_enter_in_a_text_field_goes_on_and_does_not_switch_language(app, db, live_server, phone):
    token = make_link(app, "nidaros", "flyt")
    page = phone
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("radio", name="Pasient").tap()
    press_next(page)
    press_next(page)
    expect(page.get_by_role("heading", name="Til slutt")).to_be_visible()
    page.get_by_label("Ett ord om DPS-et").fill("trygt")
    page.get_by_label("Ett ord om DPS-et").press("Enter")
    expect(page.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    assert answers_of(db)["kort"] == ["trygt"]


def test_the_0_to_10_question_offers_the_numbers_with_words_at_the_ends(
    app, db, live_server, phone
):
    token = make_link(app, "orkdal", "pasient")
    page = phone
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("radio", name="Pasient (nå eller tidligere)").tap()
    question = page.get_by_role("group", name=re.compile("Hvor godt lytter dette DPS-et"))
    while not question.count():
        press_next(page)
    labels = [label.inner_text() for label in question.locator("label").all()]
    assert [text.split()[0] for text in labels[:11]] == [str(n) for n in range(11)]
    assert labels[11:] == ["Vil ikke svare"]
    expect(question.get_by_role("radio", name="0 Svært dårlig")).to_be_visible()
    expect(question.get_by_role("radio", name="10 Svært godt")).to_be_visible()
    expect(question.get_by_role("radio", name="5", exact=True)).to_be_visible()
    assert_accessible(page)
    question.get_by_role("radio", name="7", exact=True).tap()
    go_to_last_page(page)
    page.get_by_role("button", name="Send inn").tap()
    expect(page.get_by_role("heading", name="Takk for at du svarte!")).to_be_visible()
    assert answers_of(db)["lytter"] == ["7"]


@pytest.fixture
def no_js_phone(browser):
    context = browser.new_context(**PHONE, locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_an_answer_that_cannot_be_combined_is_named_in_the_error(app, live_server, no_js_phone):
    token = make_link(app, "nidaros", "flyt")
    page = no_js_phone
    page.goto(f"{live_server}/s/{token}")
    page.get_by_role("radio", name="Pasient").click()
    page.get_by_role("button", name="Neste").click()
    page.get_by_role("radio", name="Ja").click()
    page.get_by_role("button", name="Neste").click()  # the follow-ups are shown first
    page.get_by_role("checkbox", name="Ga meg håp").click()
    page.get_by_role("checkbox", name="Vet ikke").click()
    page.get_by_role("button", name="Neste").click()
    error = page.locator("#q-hvordan-error")
    expect(error).to_have_text("Feil: «Vet ikke» kan ikke kombineres med andre svar.")
    expect(page.locator("#error-summary")).to_contain_text("«Vet ikke» kan ikke kombineres")


def test_every_page_has_a_favicon_and_nothing_is_missing(app, live_server, phone):
    token = make_link(app, "orkdal", "pasient")
    page = phone
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server}/s/{token}")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server + icon).headers["content-type"] == "image/svg+xml"
    favicon = page.request.get(f"{live_server}/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] == "image/x-icon"
    assert missing == []
