"""Inviting a user in the browser: the admin's user page and the invited user's
set-password page pass axe, and the link signs the new user in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveyapp import accounts
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_admin_invites_a_user_who_chooses_a_password(app, db, live_server, browser):
    app.config["PUBLIC_BASE_URL"] = live_server  # where one-time links point
    user, token = accounts.create_user(db, "forum", "admin")
    accounts.redeem_token(db, token, "", "et langt passord")

    laptop = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    admin = laptop.new_page()
    admin.goto(f"{live_server}/logg-inn")
    admin.get_by_label("Brukernavn").fill("forum")
    admin.get_by_label("Passord").fill("et langt passord")
    admin.get_by_role("button", name="Logg inn").click()
    admin.goto(f"{live_server}/admin/brukere")
    admin.get_by_label("Brukernavn").fill("kari")
    admin.get_by_label("Rolle").select_option(label="analytiker")
    admin.get_by_role("button", name="Lag bruker og engangslenke").click()
    link = admin.get_by_role("textbox", name="Lenke").input_value()
    assert "/passord/" in link
    assert_accessible(admin)
    laptop.close()

    phone = browser.new_context(locale="nb-NO").new_page()
    phone.goto(link)
    expect(phone.get_by_text("Brukernavnet ditt er kari.")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Nytt passord").fill("karis lange passord")
    phone.get_by_label("Gjenta passordet").fill("karis lange passord")
    phone.get_by_role("button", name="Lagre passord").click()
    expect(phone.get_by_text("Passordet er lagret, og du er logget inn.")).to_be_visible()
    phone.context.close()


def test_the_first_admin_types_the_password_twice_on_a_phone(runner, db, live_server, browser):
    import re

    from sqlalchemy import func, select

    from surveyapp.db.models import User

    path = re.search(r"/oppsett/\S+", runner.invoke(args=["init"]).output).group(0)
    phone = browser.new_context(
        locale="nb-NO", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    ).new_page()
    phone.goto(live_server + path)
    assert_accessible(phone)
    phone.get_by_label("Brukernavn").fill("forum")
    phone.get_by_label("Passord", exact=True).fill("et langt passord")
    phone.get_by_label("Gjenta passordet").fill("et annet passord")
    phone.get_by_role("button", name="Lag konto").click()
    expect(phone.get_by_role("alert")).to_have_text(
        "Passordene er ikke like. Skriv det samme passordet to ganger."
    )
    expect(phone.get_by_label("Passord", exact=True)).to_have_accessible_description(
        "Passordene er ikke like. Skriv det samme passordet to ganger."
    )
    assert db.scalar(select(func.count()).select_from(User)) == 0  # nothing was made
    expect(phone.get_by_label("Brukernavn")).to_have_value("forum")  # nothing typed is lost
    assert_accessible(phone)
    phone.get_by_label("Passord", exact=True).fill("et langt passord")
    phone.get_by_label("Gjenta passordet").fill("et langt passord")
    phone.get_by_role("button", name="Lag konto").click()
    expect(phone.get_by_text("Kontoen er laget, og du er logget inn.")).to_be_visible()
    phone.context.close()
