"""An admin reviews free text on a tablet: the front page shows the count, the overview
and the review page pass axe (also with the editing box open), and a redaction is saved."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from playwright.sync_api import expect

from surveyapp import accounts
from surveyapp.collect.submission import store_response
from surveyapp.collect.versions import current_version, questionnaire_of
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def add_texts(db, dps_id: str, texts: list[str]) -> None:
    version = current_version(db, "flyt")
    for text in texts:
        store_response(
            db,
            version=version,
            questionnaire=questionnaire_of(version),
            dps_id=dps_id,
            mode="self",
            answers={"rolle": ["pasient"], "bra": [text], "kort": ["Fint"]},
            submission_key=secrets.token_hex(12),
            today=dt.date(2026, 11, 20),
        )


def test_admin_reviews_free_text_on_a_tablet(db, live_server, tablet):
    user, token = accounts.create_user(db, "forum", "admin")
    accounts.redeem_token(db, token, "", "et langt passord")
    add_texts(db, "nidaros", ["Terapeuten med rødt hår var flink", "God mat"])

    tablet.goto(f"{live_server}/logg-inn")
    tablet.get_by_label("Brukernavn").fill("forum")
    tablet.get_by_label("Passord").fill("et langt passord")
    tablet.get_by_role("button", name="Logg inn").click()
    tablet.get_by_role("link", name="Fritekst til godkjenning (4)").click()
    expect(tablet.get_by_text("4 tekster venter på godkjenning.")).to_be_visible()
    assert_accessible(tablet)

    tablet.get_by_role("link", name="Nidaros DPS").click()
    expect(tablet.get_by_role("heading", level=1, name="Fritekst fra Nidaros DPS")).to_be_visible()
    assert_accessible(tablet)

    card = tablet.get_by_role("region").filter(has_text="Terapeuten med rødt hår var flink")
    card.get_by_text("Rediger og godkjenn").click()
    box = card.get_by_role("textbox")
    expect(box).to_have_value("Terapeuten med rødt hår var flink")
    assert_accessible(tablet)
    box.fill("Terapeuten med [fjernet] var flink")
    card.get_by_role("button", name="Lagre og godkjenn").click()
    expect(tablet.get_by_text("Den redigerte teksten er godkjent")).to_be_visible()
    expect(tablet.get_by_text("3 tekster venter på godkjenning.")).to_be_visible()
    expect(tablet.get_by_text("Terapeuten med rødt hår var flink")).to_have_count(0)


def test_admin_rejects_a_text_after_confirming_on_its_own_page(db, live_server, tablet):
    user, token = accounts.create_user(db, "forum", "admin")
    accounts.redeem_token(db, token, "", "et langt passord")
    add_texts(db, "nidaros", ["Det luktet røyk på rom 3"])

    tablet.goto(f"{live_server}/logg-inn")
    tablet.get_by_label("Brukernavn").fill("forum")
    tablet.get_by_label("Passord").fill("et langt passord")
    tablet.get_by_role("button", name="Logg inn").click()
    tablet.goto(f"{live_server}/admin/fritekst/flyt/nidaros")
    card = tablet.get_by_role("region").filter(has_text="Det luktet røyk på rom 3")
    card.get_by_role("link", name="Avvis").click()
    expect(tablet.get_by_role("heading", level=1, name="Avvise teksten?")).to_be_visible()
    expect(tablet.get_by_text("Det luktet røyk på rom 3")).to_be_visible()
    assert_accessible(tablet)
    tablet.get_by_role("link", name="Avbryt").click()
    expect(card).to_be_visible()  # still there
    card.get_by_role("link", name="Avvis").click()
    tablet.get_by_role("button", name="Ja, slett teksten for godt").click()
    expect(tablet.get_by_text("Teksten er avvist og slettet")).to_be_visible()
    expect(card).to_have_count(0)
