"""Hardening: headers, cookies, secrets, redirects, limits and a database that goes away."""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from surveyapp import UnsafeConfiguration, create_app, create_app_for_process
from surveyapp.db.models import Response
from tests.helpers import Respondent, form_fields, hidden_value


def test_outside_development_the_app_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.delenv("SURVEYAPP_SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration):
        create_app()


def test_outside_development_cookies_are_secure_httponly_and_samesite(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", "s" * 32)
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_an_app_for_a_whole_process_takes_what_it_loaded_out_of_garbage_collection(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", "s" * 32)
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    before = gc.get_freeze_count()
    try:
        app = create_app_for_process()
        assert gc.get_freeze_count() > before + 10_000  # the modules and the app
        assert app.test_client().get("/").status_code == 200
    finally:
        gc.unfreeze()


def test_pages_carry_a_strict_content_security_policy_and_hsts_over_https(client):
    plain = client.get("/")
    policy = plain.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_sign_in_never_redirects_to_another_site(client, db):
    from werkzeug.security import generate_password_hash

    from surveyapp.db.models import User

    db.add(User(username="a", password_hash=generate_password_hash("x" * 12), role="admin"))
    db.commit()
    page = client.get("/logg-inn?next=https://evil.example/")
    response = client.post(
        "/logg-inn?next=https://evil.example/",
        data={
            "csrf_token": hidden_value(page.get_data(True), "csrf_token"),
            "username": "a",
            "password": "x" * 12,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_free_text_is_escaped_when_shown_again(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({})
    respondent.post({"q:kort": "<script>alert(1)</script>", "q:antall": "tusen"})
    assert "<script>alert(1)</script>" not in respondent.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in respondent.html


def test_public_posts_are_limited_per_client_and_the_answers_kept(app, client, token, db):
    app.config["SUBMIT_RATE"] = "3/minute"
    respondent = Respondent(client, token)
    respondent.start()
    statuses = [
        respondent.post({"q:rolle": "pasient"}, action="lang:nb").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "Vent litt og prøv igjen" in respondent.html
    assert ("q:rolle", "pasient") in form_fields(respondent.html)  # kept for the retry
    assert db.scalar(select(func.count()).select_from(Response)) == 0


def test_a_flood_on_one_link_does_not_stop_a_respondent_on_it(app, token, db):
    app.config["SUBMIT_RATE"] = "20/minute"
    flood = app.test_client()
    flood.environ_base["REMOTE_ADDR"] = "10.6.6.6"
    flooder = Respondent(flood, token)
    flooder.start()
    form = flooder.html
    statuses = set()
    for _ in range(100):
        statuses.add(flooder.post({"q:rolle": "pasient"}, action="lang:nb").status_code)
        flooder.html = form
    assert statuses == {200, 429}
    respondent_client = app.test_client()
    respondent_client.environ_base["REMOTE_ADDR"] = "10.0.0.20"
    respondent = Respondent(respondent_client, token)
    respondent.start()
    assert respondent.post({"q:rolle": "pasient"}).status_code == 200
    respondent.post({})
    assert respondent.post({}).status_code == 303
    assert db.scalar(select(func.count()).select_from(Response)) == 1


def test_posts_to_tokens_of_the_wrong_shape_are_404_and_not_counted(app, client, token):
    import secrets

    from surveyapp.web.limits import limiter

    app.config["SUBMIT_RATE"] = "5/minute"
    csrf = {"csrf_token": hidden_value(client.get(f"/s/{token}").get_data(True), "csrf_token")}
    for _ in range(300):
        path = "/s/" + secrets.token_urlsafe(6000)
        assert client.post(path, data=csrf).status_code == 404
    storage = limiter.limiter.storage
    assert not (storage.storage or storage.events or storage.expirations)  # nothing counted
    respondent = Respondent(client, token)
    respondent.start()
    assert respondent.post({"q:rolle": "pasient"}).status_code == 200


def test_a_database_that_goes_away_gives_the_answers_back_for_a_retry(
    app, client, token, db, monkeypatch
):
    from surveyapp.web import public

    respondent = Respondent(client, token)
    respondent.start()

    def unavailable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(public, "find_link", unavailable)
    response = respondent.post({"q:rolle": "pasient"})
    assert response.status_code == 503
    assert "Ingenting er lagret" in respondent.html
    assert ("q:rolle", "pasient") in form_fields(respondent.html)
    monkeypatch.undo()
    assert respondent.post({}).status_code == 200  # "Send igjen" goes on where it stopped
    assert "Side 2 av" in respondent.html


def test_the_tablet_api_answers_503_so_the_tablet_retries(app, db, monkeypatch):
    from surveyapp.web import interview

    def unavailable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("gone"))

    monkeypatch.setattr(interview, "own_drafts", unavailable)
    from werkzeug.security import generate_password_hash

    from surveyapp.db.models import User

    db.add(User(username="i", password_hash=generate_password_hash("x" * 12), role="interviewer"))
    db.commit()
    client = app.test_client()
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    client.post("/logg-inn", data={"csrf_token": csrf, "username": "i", "password": "x" * 12})
    response = client.get("/intervju/api/utkast")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"
