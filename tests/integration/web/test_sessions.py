"""Ways in: one-time links spent once even when sent ten times at once, sessions that end
on sign-out and after an absolute lifetime, and secret keys too short to sign a cookie."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy import func, select

from surveyapp import UnsafeConfiguration, create_app
from surveyapp.db.models import User
from tests import helpers
from tests.helpers import hidden_value


def test_ten_concurrent_uses_of_the_first_admin_link_make_exactly_one_admin(app, runner, db):
    token = re.search(r"/oppsett/(\S+)", runner.invoke(args=["init"]).output).group(1)
    clients = [app.test_client() for _ in range(10)]
    forms = [hidden_value(c.get(f"/oppsett/{token}").get_data(True), "csrf_token") for c in clients]
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(number: int) -> None:
        start.wait()
        response = clients[number].post(
            f"/oppsett/{token}",
            data={
                "csrf_token": forms[number],
                "username": f"admin{number}",
                "password": "et langt passord",
                "password_repeat": "et langt passord",
            },
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(User)) == 1
    assert sorted(statuses).count(302) == 1, statuses
    assert 500 not in statuses


def test_two_concurrent_uses_of_a_set_password_link_leave_one_password(app, db):
    from surveyapp import accounts

    _user, token = accounts.create_user(db, "kari", "analyst")
    clients = [app.test_client() for _ in range(6)]
    forms = [hidden_value(c.get(f"/passord/{token}").get_data(True), "csrf_token") for c in clients]
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(number: int) -> None:
        start.wait()
        password = f"passord nummer {number}"
        response = clients[number].post(
            f"/passord/{token}",
            data={"csrf_token": forms[number], "password": password, "password_repeat": password},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(302) == 1, statuses


def test_a_copied_session_cookie_stops_working_after_sign_out(app, db):
    analyst = helpers.signed_in(app, db, "analyst", "siri")
    assert analyst.get("/rapporter/").status_code == 200
    cookie = analyst.get_cookie("session").value
    copy = app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get("/rapporter/").status_code == 200

    csrf = hidden_value(analyst.get("/rapporter/").get_data(True), "csrf_token")
    assert analyst.post("/logg-ut", data={"csrf_token": csrf}).status_code == 302
    result = copy.get("/rapporter/")
    assert result.status_code == 302 and "/logg-inn" in result.headers["Location"]


def test_a_session_ends_its_lifetime_after_sign_in_however_busy(app, db, monkeypatch):
    app.config["SESSION_HOURS"] = 12
    analyst = helpers.signed_in(app, db, "analyst", "siri")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 11.9 * 3600)
    assert analyst.get("/rapporter/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + 12.1 * 3600)
    result = analyst.get("/rapporter/")
    assert result.status_code == 302 and "/logg-inn" in result.headers["Location"]


@pytest.mark.parametrize("key", ["x", "s" * 31, "æ" * 15])
def test_outside_development_a_secret_key_under_32_bytes_is_refused(monkeypatch, key):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", key)
    with pytest.raises(UnsafeConfiguration, match="32 bytes"):
        create_app()


def test_outside_development_a_secret_key_of_32_bytes_is_accepted(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", "æ" * 16)
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert create_app().config["SECRET_KEY"] == "æ" * 16
