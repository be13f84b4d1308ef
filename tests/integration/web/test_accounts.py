"""Accounts through the web: invitations, set-password links, resets, disabling, throttling
and who may use the user pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, text

from surveyapp import accounts
from surveyapp.db.models import OneTimeToken, User, utcnow
from tests.helpers import hidden_value

ADMIN_PASSWORD = "admin-passord-123"
PASSWORD = "et langt passord"


def csrf(client, path: str = "/logg-inn") -> str:
    return hidden_value(client.get(path).get_data(True), "csrf_token")


def sign_in(client, username: str, password: str):
    return client.post(
        "/logg-inn",
        data={"csrf_token": csrf(client), "username": username, "password": password},
    )


def add_user(db, username: str, role: str, password: str = PASSWORD) -> User:
    """An account with a password, made the way an invitation makes one."""
    user, token = accounts.create_user(db, username, role)
    accounts.redeem_token(db, token, "", password)
    return user


def fresh(db, username: str) -> User:
    """The account as stored now, not as this session last saw it."""
    db.rollback()
    db.expire_all()  # the sessions keep what they loaded after a commit
    return db.scalar(select(User).where(User.username == username))


def signed_in(client) -> bool:
    """Whether the client's session belongs to a user (any role may see /admin/brukere
    only as an admin, and is sent to the login page only when signed out)."""
    return client.get("/admin/brukere").status_code != 302


@pytest.fixture
def admin(client, db) -> User:
    """An admin, signed in on `client`."""
    user = add_user(db, "admin", "admin", ADMIN_PASSWORD)
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 302
    return user


def invite(client, username: str, role: str = "analyst") -> str:
    """Invite a user as the signed-in admin; the path of the one-time link on the page."""
    response = client.post(
        "/admin/brukere",
        data={"csrf_token": csrf(client, "/admin/brukere"), "username": username, "role": role},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(True)
    return re.search(r'value="http://127\.0\.0\.1:5000(/passord/[^"]+)"', page).group(1)


def choose_password(client, path: str, password: str = PASSWORD, repeat: str | None = None):
    return client.post(
        path,
        data={
            "csrf_token": csrf(client, path),
            "password": password,
            "password_repeat": password if repeat is None else repeat,
        },
    )


def reset(client, user: User):
    response = client.post(
        f"/admin/brukere/{user.id}/ny-lenke", data={"csrf_token": csrf(client, "/admin/brukere")}
    )
    assert response.status_code == 303
    page = client.get("/admin/brukere").get_data(True)
    return re.search(r'value="http://127\.0\.0\.1:5000(/passord/[^"]+)"', page).group(1)


def post_action(client, user_id: int, action: str):
    return client.post(
        f"/admin/brukere/{user_id}/{action}", data={"csrf_token": csrf(client, "/admin/brukere")}
    )


# Invitations and set-password links


def test_invitation_link_sets_a_password_and_signs_the_user_in(app, client, admin, db):
    path = invite(client, "kari", "analyst")
    kari = app.test_client()
    page = kari.get(path)
    assert page.status_code == 200
    assert "kari" in page.get_data(True)
    response = choose_password(kari, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert kari.get("/admin/brukere").status_code == 403  # signed in, as an analyst
    stored = fresh(db, "kari")
    assert (stored.role, stored.active) == ("analyst", True)
    other = app.test_client()
    assert sign_in(other, "kari", PASSWORD).status_code == 302


def test_the_invitation_link_is_shown_on_the_page_once(client, admin):
    invite(client, "kari")
    page = client.get("/admin/brukere").get_data(True)
    assert "/passord/" not in page
    assert "kari" in page and "analytiker" in page
    assert "har ikke valgt passord" in page


def test_users_page_is_not_cached(client, admin):
    assert client.get("/admin/brukere").headers["Cache-Control"] == "no-store"


def test_an_invited_user_cannot_sign_in_before_choosing_a_password(app, client, admin):
    invite(client, "kari")
    assert sign_in(app.test_client(), "kari", "").status_code == 401
    assert sign_in(app.test_client(), "kari", "!").status_code == 401


def test_a_set_password_link_works_once(app, client, admin):
    path = invite(client, "kari")
    kari = app.test_client()
    assert choose_password(kari, path).status_code == 302
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "Lenken er brukt, utløpt eller ugyldig." in again.get_data(True)


def test_a_set_password_link_expires_after_72_hours(app, client, admin, db):
    path = invite(client, "kari")
    row = db.scalar(
        select(OneTimeToken).where(
            OneTimeToken.purpose == accounts.SET_PASSWORD, OneTimeToken.used_at.is_(None)
        )
    )
    assert row.expires_at - utcnow() > dt.timedelta(hours=71, minutes=59)
    assert row.expires_at - utcnow() <= dt.timedelta(hours=72)
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.commit()
    assert app.test_client().get(path).status_code == 410


def test_an_unknown_link_is_gone(client):
    assert client.get("/passord/finnes-ikke").status_code == 410


def test_the_first_admin_link_is_not_a_set_password_link(client, runner):
    output = runner.invoke(args=["init"]).output
    token = re.search(r"/oppsett/(\S+)", output).group(1)
    assert client.get(f"/passord/{token}").status_code == 410
    assert client.get(f"/oppsett/{token}").status_code == 200


def test_mismatched_or_short_passwords_are_refused_and_the_link_still_works(app, client, admin, db):
    path = invite(client, "kari")
    kari = app.test_client()
    response = choose_password(kari, path, PASSWORD, repeat=PASSWORD + "x")
    assert "Passordene er ikke like." in response.get_data(True)
    response = choose_password(kari, path, "kort")
    assert "Passordet må ha minst 10 tegn." in response.get_data(True)
    assert not accounts.has_password(fresh(db, "kari"))
    assert choose_password(kari, path).status_code == 302


# Resetting access


def test_reset_signs_the_user_out_and_the_old_password_stops_working(app, client, admin, db):
    add_user(db, "ola", "interviewer")
    ola = app.test_client()
    assert sign_in(ola, "ola", PASSWORD).status_code == 302
    assert signed_in(ola)

    path = reset(client, fresh(db, "ola"))

    assert not signed_in(ola)
    assert sign_in(app.test_client(), "ola", PASSWORD).status_code == 401
    assert choose_password(ola, path, "et nytt langt passord").status_code == 302
    assert signed_in(ola)
    assert sign_in(app.test_client(), "ola", "et nytt langt passord").status_code == 302


def test_reset_voids_the_earlier_unused_link(app, client, admin, db):
    first = invite(client, "kari")
    second = reset(client, fresh(db, "kari"))
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200


def test_an_admin_cannot_reset_their_own_access(client, admin, db):
    response = post_action(client, admin.id, "ny-lenke")
    assert response.status_code == 303
    page = client.get("/admin/brukere").get_data(True)
    assert "Du kan ikke nullstille din egen tilgang." in page
    assert signed_in(client)


# Disabling and enabling


def test_a_disabled_user_is_signed_out_at_once_and_cannot_sign_in(app, client, admin, db):
    ola_user = add_user(db, "ola", "interviewer")
    ola = app.test_client()
    sign_in(ola, "ola", PASSWORD)
    assert signed_in(ola)

    response = post_action(client, ola_user.id, "deaktiver")
    assert response.status_code == 303
    assert "ola er deaktivert og logget ut." in client.get("/admin/brukere").get_data(True)

    assert not signed_in(ola)
    refused = sign_in(ola, "ola", PASSWORD)
    assert refused.status_code == 401
    assert "Feil brukernavn eller passord." in refused.get_data(True)
    assert not fresh(db, "ola").active


def test_a_disabled_users_link_does_not_work_until_enabled(app, client, admin, db):
    path = invite(client, "kari")
    post_action(client, fresh(db, "kari").id, "deaktiver")
    assert app.test_client().get(path).status_code == 410
    post_action(client, fresh(db, "kari").id, "aktiver")
    assert app.test_client().get(path).status_code == 200


def test_an_enabled_user_can_sign_in_again(app, client, admin, db):
    ola = add_user(db, "ola", "interviewer")
    post_action(client, ola.id, "deaktiver")
    post_action(client, ola.id, "aktiver")
    assert fresh(db, "ola").active
    assert sign_in(app.test_client(), "ola", PASSWORD).status_code == 302


def test_an_admin_cannot_disable_themself(client, admin, db):
    add_user(db, "eva", "admin")  # not the last admin: the rule is about oneself
    response = post_action(client, admin.id, "deaktiver")
    assert response.status_code == 303
    assert "Du kan ikke deaktivere deg selv." in client.get("/admin/brukere").get_data(True)
    assert fresh(db, "admin").active
    assert signed_in(client)


def test_the_last_active_admin_cannot_be_disabled(client, admin, db):
    eva = add_user(db, "eva", "admin")
    assert post_action(client, eva.id, "deaktiver").status_code == 303
    assert not fresh(db, "eva").active
    with pytest.raises(accounts.AccountError) as refused:
        accounts.set_active(db, admin.id, False)
    assert refused.value.code == "last_admin"
    assert fresh(db, "admin").active


def test_an_admin_may_disable_another_admin(client, admin, db):
    eva = add_user(db, "eva", "admin")
    post_action(client, eva.id, "deaktiver")
    assert not fresh(db, "eva").active


@pytest.mark.parametrize("action", ["deaktiver", "aktiver", "ny-lenke"])
def test_an_unknown_user_id_is_404_and_changes_nothing(client, admin, db, action):
    assert post_action(client, 999_999, action).status_code == 404
    assert fresh(db, "admin").active


# Inviting


def test_a_taken_username_is_refused_with_a_message(client, admin, db):
    add_user(db, "kari", "analyst")
    response = client.post(
        "/admin/brukere",
        data={"csrf_token": csrf(client, "/admin/brukere"), "username": "kari", "role": "admin"},
    )
    assert response.status_code == 303
    page = client.get("/admin/brukere").get_data(True)
    assert "Brukernavnet er tatt." in page
    assert "/passord/" not in page
    assert fresh(db, "kari").role == "analyst"


@pytest.mark.parametrize(
    ("username", "role"),
    [("", "analyst"), (" kari", "analyst"), ("k" * 121, "analyst"), ("kari", "superuser")],
)
def test_bad_invitations_create_nobody(client, admin, db, username, role):
    response = client.post(
        "/admin/brukere",
        data={"csrf_token": csrf(client, "/admin/brukere"), "username": username, "role": role},
    )
    assert response.status_code == 303
    assert "/passord/" not in client.get("/admin/brukere").get_data(True)
    db.rollback()
    assert db.scalars(select(User.username)).all() == ["admin"]


def test_the_user_list_shows_roles_and_states_in_norwegian(client, admin, db):
    add_user(db, "ola", "interviewer")
    disabled = add_user(db, "per", "analyst")
    accounts.set_active(db, disabled.id, False)
    page = client.get("/admin/brukere").get_data(True)
    for expected in ("administrator", "intervjuer", "analytiker", "Aktiv", "Deaktivert"):
        assert expected in page


# Throttling


def sign_in_from(app, address: str, username: str, password: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return sign_in(client, username, password)


def test_five_failures_from_one_client_make_it_wait_a_minute_for_that_name(app, db):
    add_user(db, "ola", "interviewer")
    add_user(db, "kari", "analyst")
    for _ in range(5):
        assert sign_in_from(app, "10.0.0.9", "ola", "feil passord").status_code == 401
    waiting = sign_in_from(app, "10.0.0.9", "ola", PASSWORD)
    assert waiting.status_code == 429
    assert "Prøv igjen om 1 minutt." in waiting.get_data(True)
    # no lock on the account: ola from elsewhere, and kari from the same client, get in
    assert sign_in_from(app, "10.0.0.1", "ola", PASSWORD).status_code == 302
    assert sign_in_from(app, "10.0.0.9", "kari", PASSWORD).status_code == 302
    assert fresh(db, "ola").locked_until is None


def test_the_wait_grows_with_the_failures(app, db, monkeypatch):
    add_user(db, "ola", "interviewer")
    now = [1_000_000.0]
    monkeypatch.setattr("time.time", lambda: now[0])
    waits = []
    for _ in range(4):  # four rounds of five failures, each round after the last wait
        for _ in range(5):
            sign_in_from(app, "10.0.0.9", "ola", "feil passord")
        refused = sign_in_from(app, "10.0.0.9", "ola", PASSWORD)
        waits.append(refused.status_code)
        now[0] += 61
    assert waits == [429, 429, 429, 429]
    text = sign_in_from(app, "10.0.0.9", "ola", PASSWORD).get_data(True)
    assert "Prøv igjen om" in text and "minutter." in text
    minutes = int(text.split("Prøv igjen om ")[1].split(" ")[0])
    assert 50 < minutes <= 60  # 20 failures: the hour's tier, not the minute's
    now[0] += 3600
    assert sign_in_from(app, "10.0.0.9", "ola", PASSWORD).status_code == 302


def test_bogus_sign_ins_from_one_client_do_not_block_other_clients(app, db):
    add_user(db, "ola", "interviewer")
    for number in range(31):
        sign_in_from(app, "10.0.0.66", f"bogus{number}", "feil passord")
    assert sign_in_from(app, "10.0.0.66", "ola", PASSWORD).status_code == 429
    assert sign_in_from(app, "10.0.0.1", "ola", PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_failures(app, db):
    add_user(db, "ola", "interviewer")
    for _ in range(4):
        sign_in_from(app, "10.0.0.9", "ola", "feil passord")
    assert sign_in_from(app, "10.0.0.9", "ola", PASSWORD).status_code == 302
    for _ in range(4):
        assert sign_in_from(app, "10.0.0.9", "ola", "feil passord").status_code == 401


def test_no_client_address_is_kept_by_the_limiter(app, db):
    from surveyapp.web.limits import limiter

    sign_in_from(app, "10.1.2.3", "ola", "feil passord")
    held = repr(vars(limiter.limiter.storage))
    assert "10.1.2.3" not in held and "ola" not in held


def test_unknown_usernames_are_refused_like_wrong_passwords(app):
    for _ in range(5):
        response = sign_in(app.test_client(), "finnes-ikke", "feil passord")
        assert response.status_code == 401
        assert "Feil brukernavn eller passord." in response.get_data(True)


# Who may use the user pages


def user_routes(user_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", "/admin/brukere"),
        ("POST", "/admin/brukere"),
        ("POST", f"/admin/brukere/{user_id}/deaktiver"),
        ("POST", f"/admin/brukere/{user_id}/aktiver"),
        ("POST", f"/admin/brukere/{user_id}/ny-lenke"),
    ]


@pytest.mark.parametrize("role", ["interviewer", "analyst"])
def test_non_admins_get_403_on_every_user_route(app, db, role):
    target = add_user(db, "admin", "admin", ADMIN_PASSWORD)
    add_user(db, "ola", role)
    client = app.test_client()
    sign_in(client, "ola", PASSWORD)
    token = csrf(client)
    for method, path in user_routes(target.id):
        data = {"csrf_token": token, "username": "ny", "role": "admin"}
        response = client.open(path, method=method, data=data if method == "POST" else None)
        assert response.status_code == 403, (method, path)
    stored = fresh(db, "admin")
    assert stored.active and accounts.has_password(stored)
    assert db.scalars(select(User.username).order_by(User.username)).all() == ["admin", "ola"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    target = add_user(db, "admin", "admin", ADMIN_PASSWORD)
    token = csrf(client)
    for method, path in user_routes(target.id):
        response = client.open(
            path, method=method, data={"csrf_token": token} if method == "POST" else None
        )
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/logg-inn")
    assert fresh(db, "admin").active


# What is stored


def test_no_password_or_token_is_stored_in_clear(app, client, admin, db):
    first = invite(client, "kari")
    choose_password(app.test_client(), first, "kari-sitt-hemmelige-passord")
    second = reset(client, fresh(db, "kari"))
    secrets = [ADMIN_PASSWORD, "kari-sitt-hemmelige-passord", first, second]
    secrets = [s.removeprefix("/passord/") for s in secrets]
    db.rollback()
    stored = []
    for table in ("user_account", "one_time_token"):
        for row in db.execute(text(f"SELECT * FROM {table}")):
            stored.extend(str(value) for value in row)
    everything = "\n".join(stored)
    for secret in secrets:
        assert secret not in everything
    assert all(
        h.startswith("scrypt:") or h == accounts.UNUSABLE_PASSWORD
        for h in db.scalars(select(User.password_hash))
    )
