"""Signing in and out, and the one-time link that creates the first admin."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from surveyapp import accounts
from surveyapp.web import db_session

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
        "username_invalid": gettext("Skriv et brukernavn (høyst 120 tegn)."),
        "username_taken": gettext("Brukernavnet er tatt. Velg et annet."),
        "password_too_short": gettext(
            "Passordet må ha minst %(n)s tegn.", n=accounts.MIN_PASSWORD_LENGTH
        ),
    }.get(code, gettext("Kontoen kunne ikke lages."))


@bp.route("/oppsett/<token>", methods=["GET", "POST"])
def setup(token: str):
    session = db_session()
    if accounts.valid_token(session, token) is None:
        return render_template(
            "error.html", status=410, message=account_error_message("token_invalid")
        ), 410
    error = None
    if request.method == "POST":
        try:
            user = accounts.redeem_token(
                session, token, request.form.get("username", ""), request.form.get("password", "")
            )
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


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        user = accounts.authenticate(
            db_session(), request.form.get("username", ""), request.form.get("password", "")
        )
        if user is not None:
            login_user(user)
            return redirect(url_for("pages.home"))
        error = gettext("Feil brukernavn eller passord.")
    return render_template("auth/login.html", error=error), (401 if error else 200)


@bp.post("/logg-ut")
def logout():
    logout_user()
    return redirect(url_for("pages.home"))
