"""Signing in and out, the one-time link that creates the first admin, and the one-time
links with which invited users (and users whose access was reset) choose a password."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, login_user, logout_user

from surveyapp import accounts
from surveyapp.web import db_session, limits

bp = Blueprint("auth", __name__)


def require_role(*roles: str):
    """Only signed-in users with one of these roles; others get 403 (or the login page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def account_error_message(code: str) -> str:
    return {
        "token_invalid": gettext("Lenken er brukt, utløpt eller ugyldig."),
        "username_invalid": gettext(
            "Skriv et brukernavn på høyst 120 tegn, uten mellomrom først eller sist."
        ),
        "username_taken": gettext("Brukernavnet er tatt. Velg et annet."),
        "password_too_short": gettext(
            "Passordet må ha minst %(n)s tegn.", n=accounts.MIN_PASSWORD_LENGTH
        ),
        "password_mismatch": gettext(
            "Passordene er ikke like. Skriv det samme passordet to ganger."
        ),
        "role_invalid": gettext("Velg en rolle fra listen."),
        "user_unknown": gettext("Vi fant ikke brukeren."),
        "user_disabled": gettext("Brukeren er deaktivert. Aktiver brukeren først."),
        "cannot_disable_self": gettext("Du kan ikke deaktivere deg selv."),
        "cannot_reset_self": gettext(
            "Du kan ikke nullstille din egen tilgang. Be en annen administrator om det."
        ),
        "last_admin": gettext("Dette er den siste aktive administratoren og kan ikke deaktiveres."),
    }.get(code, gettext("Kontoen kunne ikke lages."))


def _token_gone():
    return render_template(
        "error.html", status=410, message=account_error_message("token_invalid")
    ), 410


def _check_repeated(password: str) -> None:
    """The password typed twice, the same both times (before anything is stored)."""
    if password != request.form.get("password_repeat", ""):
        raise accounts.AccountError("password_mismatch")


@bp.route("/oppsett/<token>", methods=["GET", "POST"])
def setup(token: str):
    session = db_session()
    if accounts.valid_token(session, token, accounts.FIRST_ADMIN) is None:
        return _token_gone()
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        try:
            _check_repeated(password)
            user = accounts.redeem_token(session, token, request.form.get("username", ""), password)
        except accounts.AccountError as exc:
            error = account_error_message(exc.code)
        else:
            login_user(user)
            flash(gettext("Kontoen er laget, og du er logget inn."))
            return redirect(url_for("pages.home"))
    return render_template(
        "auth/setup.html",
        error=error,
        username=request.form.get("username", ""),
        min_length=accounts.MIN_PASSWORD_LENGTH,
    )


@bp.route("/passord/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Where an invited user, or one whose access was reset, chooses a password."""
    session = db_session()
    row = accounts.valid_token(session, token, accounts.SET_PASSWORD)
    if row is None:
        return _token_gone()
    user = accounts.token_user(session, row)
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        try:
            _check_repeated(password)
            user = accounts.redeem_token(session, token, "", password)
        except accounts.AccountError as exc:
            error = account_error_message(exc.code)
        else:
            login_user(user)
            flash(gettext("Passordet er lagret, og du er logget inn."))
            return redirect(url_for("pages.home"))
    return render_template(
        "auth/set_password.html",
        error=error,
        username=user.username,
        min_length=accounts.MIN_PASSWORD_LENGTH,
    )


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    error, status = None, 200
    if request.method == "POST":
        username = request.form.get("username", "")
        wait = limits.sign_in_wait(username)
        if wait is not None:
            error = ngettext(
                "For mange mislykkede forsøk. Prøv igjen om %(num)s minutt.",
                "For mange mislykkede forsøk. Prøv igjen om %(num)s minutter.",
                wait.minutes,
            )
            status = 429
        else:
            user = accounts.authenticate(db_session(), username, request.form.get("password", ""))
            if user is not None:
                limits.forget_failed_sign_ins(username)
                login_user(user)
                return redirect(url_for("pages.home"))
            limits.count_failed_sign_in(username)
            error, status = gettext("Feil brukernavn eller passord."), 401
    return render_template("auth/login.html", error=error), status


@bp.post("/logg-ut")
def logout():
    """Sign out, and have the browser forget this site's stored data and caches.

    On an interviewer's tablet the page's script has already sent what waited (or the
    interviewer chose to discard it); this clears what a script could not reach."""
    if current_user.is_authenticated:
        accounts.end_sessions(db_session(), current_user.id)
    logout_user()
    response = redirect(url_for("pages.home"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
