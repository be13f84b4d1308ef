"""`surveyapp user ...`: inviting, disabling, enabling, resetting and listing accounts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveyapp import accounts
from surveyapp.db.models import User
from tests.helpers import hidden_value

PASSWORD = "et langt passord"


def users(db) -> dict[str, User]:
    db.rollback()
    db.expire_all()
    return {u.username: u for u in db.scalars(select(User))}


def create(runner, username: str, role: str):
    return runner.invoke(args=["user", "create", "--username", username, "--role", role])


def link_path(output: str) -> str:
    return re.fullmatch(r"http://127\.0\.0\.1:5000(/passord/\S+)\n", output).group(1)


def choose_password(client, path: str, password: str = PASSWORD):
    csrf = hidden_value(client.get(path).get_data(True), "csrf_token")
    return client.post(
        path, data={"csrf_token": csrf, "password": password, "password_repeat": password}
    )


def sign_in(client, username: str, password: str = PASSWORD):
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    return client.post(
        "/logg-inn", data={"csrf_token": csrf, "username": username, "password": password}
    )


def test_user_create_prints_a_one_time_link_that_sets_the_password(runner, client, db):
    result = create(runner, "ola", "interviewer")
    assert result.exit_code == 0, result.output
    stored = users(db)["ola"]
    assert (stored.role, stored.active, accounts.has_password(stored)) == (
        "interviewer",
        True,
        False,
    )
    assert choose_password(client, link_path(result.output)).status_code == 302
    assert sign_in(client, "ola").status_code == 302


def test_user_create_uses_the_public_base_url(app, runner):
    app.config["PUBLIC_BASE_URL"] = "https://brukerstemmen.example.no"
    result = create(runner, "ola", "analyst")
    assert result.output.startswith("https://brukerstemmen.example.no/passord/")


@pytest.mark.parametrize(
    ("username", "role", "message"),
    [
        ("ola", "superuser", "Ukjent rolle"),
        (" ola", "analyst", "mellomrom"),
        ("o" * 121, "analyst", "120 tegn"),
        ("", "analyst", "120 tegn"),
    ],
)
def test_user_create_refuses_bad_input_and_creates_nobody(runner, db, username, role, message):
    result = create(runner, username, role)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert users(db) == {}


def test_user_create_refuses_a_taken_username(runner, db):
    create(runner, "ola", "analyst")
    result = create(runner, "ola", "admin")
    assert result.exit_code != 0
    assert "Brukernavnet er tatt." in result.output
    assert users(db)["ola"].role == "analyst"


def test_user_disable_ends_sessions_and_enable_lets_the_user_back_in(app, runner, client, db):
    choose_password(client, link_path(create(runner, "ola", "analyst").output))
    assert client.get("/admin/brukere").status_code == 403  # signed in

    result = runner.invoke(args=["user", "disable", "--username", "ola"])
    assert result.exit_code == 0, result.output
    assert client.get("/admin/brukere").status_code == 302  # signed out
    assert sign_in(app.test_client(), "ola").status_code == 401
    assert not users(db)["ola"].active

    result = runner.invoke(args=["user", "enable", "--username", "ola"])
    assert result.exit_code == 0, result.output
    assert sign_in(app.test_client(), "ola").status_code == 302


@pytest.mark.parametrize("command", ["disable", "enable", "reset"])
def test_commands_refuse_an_unknown_username(runner, db, command):
    create(runner, "ola", "analyst")
    result = runner.invoke(args=["user", command, "--username", "kari"])
    assert result.exit_code != 0
    assert "Fant ingen bruker med det brukernavnet." in result.output
    assert users(db)["ola"].active


def test_user_disable_refuses_the_last_active_admin(runner, db):
    create(runner, "admin", "admin")
    result = runner.invoke(args=["user", "disable", "--username", "admin"])
    assert result.exit_code != 0
    assert "siste aktive administratoren" in result.output
    assert users(db)["admin"].active


def test_user_reset_prints_a_new_link_and_voids_the_old_password(app, runner, client, db):
    first = link_path(create(runner, "ola", "interviewer").output)
    choose_password(client, first)
    result = runner.invoke(args=["user", "reset", "--username", "ola"])
    assert result.exit_code == 0, result.output
    assert client.get("/admin/brukere").status_code == 302  # signed out
    assert sign_in(app.test_client(), "ola").status_code == 401
    new_link = link_path(result.output)
    assert new_link != first
    assert choose_password(app.test_client(), new_link, "et annet langt passord").status_code == 302
    assert sign_in(app.test_client(), "ola", "et annet langt passord").status_code == 302


def test_user_list_shows_name_role_and_state(runner):
    create(runner, "ola", "interviewer")
    create(runner, "kari", "analyst")
    runner.invoke(args=["user", "disable", "--username", "kari"])
    result = runner.invoke(args=["user", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["kari\tanalyst\tdeaktivert", "ola\tinterviewer\tinvitert"]
