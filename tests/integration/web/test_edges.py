"""What arrives at the edge of the app: numbers the database cannot hold, NUL bytes, caching
of what a signed-in user sees. Each gets a clear 400 or 404 (never a 500) and stores nothing."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from surveyapp.collect.versions import current_version
from surveyapp.db.models import InterviewDraft, Response
from tests import helpers
from tests.helpers import Respondent, hidden_value

HUGE = [str(10**25), str(2**40), str(2**31)]


def stored(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Response))


@pytest.fixture
def admin(app, db):
    return helpers.signed_in(app, db, "admin", "ada")


def csrf(client, path="/admin/brukere") -> str:
    return hidden_value(client.get(path).get_data(True), "csrf_token")


@pytest.mark.parametrize("field,value", [("version", str(10**25)), ("version", str(2**40))])
def test_a_public_form_with_a_version_the_database_cannot_hold_is_400(
    client, db, token, field, value
):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.html = respondent.html.replace(
        f'name="{field}" value="{hidden_value(respondent.html, field)}"',
        f'name="{field}" value="{value}"',
    )
    assert respondent.post({"q:rolle": "pasient"}).status_code == 400
    assert stored(db) == 0


@pytest.mark.parametrize("page", ["²", "³", "٣", str(10**25), "-1", " 1"])
def test_a_public_form_with_a_page_that_is_not_a_plain_number_is_400(client, db, token, page):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.html = respondent.html.replace(
        'name="page" value="0"', f'name="page" value="{page}"'
    )
    assert respondent.post({"q:rolle": "pasient"}).status_code == 400


@pytest.mark.parametrize("number", HUGE)
def test_ids_in_urls_the_database_cannot_hold_are_404(app, db, admin, number):
    token = csrf(admin)
    for path in (f"/admin/lenker/{number}/plakat", f"/intervju/skjema/{number}"):
        assert admin.get(path).status_code == 404, path
    for path in (
        f"/admin/lenker/{number}/steng",
        f"/admin/brukere/{number}/deaktiver",
        f"/admin/brukere/{number}/aktiver",
        f"/admin/brukere/{number}/ny-lenke",
    ):
        assert admin.post(path, data={"csrf_token": token}).status_code == 404, path


@pytest.mark.parametrize("version_id", [2**70, 2**40, 2**31, -1, True, "1"])
def test_the_interview_api_refuses_a_version_id_the_database_cannot_hold(app, db, version_id):
    kari = helpers.signed_in(app, db, "interviewer", "kari")
    headers = {"X-CSRFToken": kari.get("/intervju/api/token").get_json()["token"]}
    draft_id = secrets.token_urlsafe(18)
    payload = {"draft_id": draft_id, "version_id": version_id, "dps_id": "tiller", "answers": {}}
    result = kari.put(f"/intervju/api/utkast/{draft_id}", json=payload, headers=headers)
    assert result.status_code == 400
    assert result.get_json()["reason"] == "version"


@pytest.mark.parametrize(
    "path",
    ["/s/abc%00def", "/s/abc%00def/takk", "/?lang=n%00b", "/rapporter/?dps=a%00b"],
)
def test_a_nul_byte_in_a_path_or_query_is_400_without_login(client, path):
    assert client.get(path).status_code == 400


def test_a_nul_byte_in_a_sign_in_name_is_cleaned_and_refused_like_any_wrong_name(client):
    page = client.get("/logg-inn").get_data(True)
    result = client.post(
        "/logg-inn",
        data={
            "csrf_token": hidden_value(page, "csrf_token"),
            "username": "a\x00b",
            "password": "x",
        },
    )
    assert result.status_code == 401
    assert "Feil brukernavn eller passord." in result.get_data(True)


def test_a_nul_byte_in_a_public_form_is_cleaned_and_the_answer_kept(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    assert respondent.post({"q:rolle": "pasi\x00ent"}).status_code == 200
    assert ("q:rolle", "pasient") in helpers.form_fields(respondent.html)


def test_an_interview_text_with_a_nul_is_stored_without_it(app, db):
    kari = helpers.signed_in(app, db, "interviewer", "kari")
    headers = {"X-CSRFToken": kari.get("/intervju/api/token").get_json()["token"]}
    draft_id = secrets.token_urlsafe(18)
    payload = {
        "draft_id": draft_id,
        "version_id": current_version(db, "leder").id,
        "dps_id": "tiller",
        "answers": {
            "respondent": ["leder"],
            "har_ek": ["tidligere"],
            "hvorfor_ikke_lenger": ["budsjett\u0000 kutt"],
        },
    }
    saved = kari.put(f"/intervju/api/utkast/{draft_id}", json=payload, headers=headers)
    assert saved.status_code == 200
    assert "\x00" not in db.scalar(select(InterviewDraft.answers))
    result = kari.post("/intervju/api/fullfor", json={**payload, "key": "n" * 24}, headers=headers)
    assert result.status_code == 201, result.get_json()
    assert stored(db) == 1


def test_a_value_the_database_refuses_is_400_never_500(app, client, monkeypatch):
    from sqlalchemy.exc import DataError

    from surveyapp.web import public

    def refuse(*_args, **_kwargs):
        raise DataError("SELECT", {}, ValueError("out of range"))

    monkeypatch.setattr(public, "find_link", refuse)
    assert client.get("/s/abcdef").status_code == 400


@pytest.mark.parametrize("path", ["/intervju/api/utkast", "/intervju/api/token", "/intervju/"])
def test_what_an_interviewer_is_served_is_never_cached(app, db, path):
    kari = helpers.signed_in(app, db, "interviewer", "kari")
    assert kari.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/rapporter/", "/admin/lenker", "/admin/fritekst"])
def test_every_page_a_signed_in_user_sees_is_never_cached(admin, path):
    response = admin.get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == "no-store"
