"""The first admin, signing in, and collection links with QR posters."""

from __future__ import annotations

import re

from sqlalchemy import select

from surveyapp import accounts
from surveyapp.db.models import CollectionLink, User
from tests.helpers import hidden_value


def first_admin_token(runner) -> str:
    output = runner.invoke(args=["init"]).output
    return re.search(r"/oppsett/(\S+)", output).group(1)


def create_first_admin(client, runner, password="et godt passord") -> None:
    path = f"/oppsett/{first_admin_token(runner)}"
    csrf = hidden_value(client.get(path).get_data(True), "csrf_token")
    response = client.post(
        path,
        data={
            "csrf_token": csrf,
            "username": "admin",
            "password": password,
            "password_repeat": password,
        },
    )
    assert response.status_code == 302


def test_one_time_link_creates_the_first_admin_and_cannot_be_reused(client, runner, db):
    token = first_admin_token(runner)
    path = f"/oppsett/{token}"
    csrf = hidden_value(client.get(path).get_data(True), "csrf_token")
    data = {"csrf_token": csrf, "username": "anne", "password": "langt nok passord"}
    data["password_repeat"] = data["password"]
    assert client.post(path, data=data).status_code == 302
    assert db.scalar(select(User)).role == "admin"
    assert client.get(path).status_code == 410
    assert runner.invoke(args=["init"]).output.count("/oppsett/") == 0


def test_first_admin_password_must_be_long_enough(client, runner, db):
    path = f"/oppsett/{first_admin_token(runner)}"
    csrf = hidden_value(client.get(path).get_data(True), "csrf_token")
    response = client.post(
        path,
        data={"csrf_token": csrf, "username": "a", "password": "kort", "password_repeat": "kort"},
    )
    assert "Passordet må ha minst 10 tegn." in response.get_data(True)
    assert db.scalar(select(User)) is None


def test_no_password_is_stored_in_clear(client, runner, db):
    create_first_admin(client, runner, password="hemmelig-passord-123")
    user = db.scalar(select(User))
    assert "hemmelig" not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_admin_creates_a_link_and_prints_a_poster_with_a_qr_code(client, runner, db):
    create_first_admin(client, runner)
    page = client.get("/admin/lenker").get_data(True)
    csrf = hidden_value(page, "csrf_token")
    response = client.post(
        "/admin/lenker", data={"csrf_token": csrf, "dps": "tiller", "questionnaire": "pasient"}
    )
    assert response.status_code == 303
    link = db.scalar(select(CollectionLink))
    assert (link.dps_id, link.questionnaire_id) == ("tiller", "pasient")
    poster = client.get(f"/admin/lenker/{link.id}/plakat").get_data(True)
    assert "<svg" in poster and f"/s/{link.token}" in poster
    assert "Tiller DPS" in poster and "anonymt" in poster


def test_admin_closes_a_link(client, runner, db):
    create_first_admin(client, runner)
    from surveyapp.collect.links import create_link

    link = create_link(db, "nidaros", "pasient")
    csrf = hidden_value(client.get("/admin/lenker").get_data(True), "csrf_token")
    client.post(f"/admin/lenker/{link.id}/steng", data={"csrf_token": csrf})
    assert client.get(f"/s/{link.token}").status_code == 410


def test_admin_pages_need_an_admin(client, db):
    assert client.get("/admin/lenker").status_code == 302  # to the login page
    db.add(
        User(
            username="ida", password_hash=accounts.generate_password_hash("x" * 12), role="analyst"
        )
    )
    db.commit()
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    client.post("/logg-inn", data={"csrf_token": csrf, "username": "ida", "password": "x" * 12})
    assert client.get("/admin/lenker").status_code == 403


def test_unknown_dps_in_a_tampered_form_creates_no_link(client, runner, db):
    create_first_admin(client, runner)
    csrf = hidden_value(client.get("/admin/lenker").get_data(True), "csrf_token")
    client.post(
        "/admin/lenker", data={"csrf_token": csrf, "dps": "oslo", "questionnaire": "pasient"}
    )
    assert db.scalar(select(CollectionLink)) is None


def test_wrong_password_is_refused(client, runner):
    create_first_admin(client, runner)
    client.post(
        "/logg-ut", data={"csrf_token": hidden_value(client.get("/").get_data(True), "csrf_token")}
    )
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    response = client.post(
        "/logg-inn", data={"csrf_token": csrf, "username": "admin", "password": "feil"}
    )
    assert response.status_code == 401
    assert "Feil brukernavn eller passord." in response.get_data(True)
