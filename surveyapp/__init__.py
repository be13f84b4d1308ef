"""Brukerstemmen: a survey and interview tool for the user voice at DPS units in Trøndelag."""

from __future__ import annotations

import gc
import os
import secrets
from importlib import resources
from urllib.parse import urlencode

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel
from flask_wtf import CSRFProtect

from surveyapp.config import settings_from_environment
from surveyapp.db import make_engine, make_sessionmaker

# Each language by its own short name, as the switch at the top of every page shows it.
LANGUAGES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
MAX_REQUEST_BYTES = 256 * 1024

babel = Babel()
csrf = CSRFProtect()


class UnsafeConfiguration(RuntimeError):
    """The app refuses to start outside development with unsafe settings."""


def select_locale() -> str:
    if not has_request_context():  # the CLI speaks the source language
        return "nb"
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default="nb")


def language_url(code: str) -> str:
    """This page in another language: its path and query as they are, with `lang` set (an
    interview form keeps its draft, `?utkast=...`)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(settings_from_environment(app.instance_path))
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        BABEL_DEFAULT_LOCALE="nb",
        BABEL_TRANSLATION_DIRECTORIES=str(resources.files("surveyapp.translations")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a respondent may take an hour over a form
        LANGUAGES=LANGUAGES,
    )
    # Outside development cookies travel over HTTPS only.
    secure = app.config["ENV"] != "development"
    app.config.update(SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_SECURE=secure)
    if test_config:
        app.config.update(test_config)
    _check_secret_key(app)

    engine = make_engine(app.config["SQLALCHEMY_DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = make_sessionmaker(engine)

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["language_url"] = language_url
    csrf.init_app(app)

    from surveyapp import cli, web
    from surveyapp.web import assets

    web.init_app(app)
    assets.init_app(app)  # static files: hashed names, compressed, cached for a year
    cli.init_app(app)

    @app.teardown_appcontext
    def close_db_session(_exc: BaseException | None) -> None:
        db_session = g.pop("db_session", None)
        if db_session is not None:
            db_session.close()

    return app


def create_app_for_process() -> Flask:
    """The app of a process that runs it until it ends: the `surveyapp` command and gunicorn.

    What exists by now (modules, the app and its configuration) lives as long as the
    process, so it is taken out of the garbage collector's rounds (`gc.freeze`). Otherwise
    every full collection walks all of it again, some 125,000 objects: one of those took
    50 ms in the middle of a report export. Tests call create_app and leave the collector
    alone, since they start many apps in one process.
    """
    app = create_app()
    gc.freeze()
    return app


MIN_SECRET_KEY_BYTES = 32


def _check_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    # the key signs the session cookie: a short one is guessed, and an admin's forged
    if app.config["ENV"] != "development" and key and len(str(key).encode()) < MIN_SECRET_KEY_BYTES:
        raise UnsafeConfiguration(
            f"SURVEYAPP_SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes outside "
            "development; make one with: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if key:
        return
    if app.config["ENV"] != "development" and not app.config.get("TESTING"):
        raise UnsafeConfiguration(
            "SURVEYAPP_SECRET_KEY must be set outside development (SURVEYAPP_ENV=development)"
        )
    # Development: a key kept in instance/ so sessions survive restarts of `make run`.
    key_file = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(key_file):
        with open(key_file, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
        os.chmod(key_file, 0o600)
    with open(key_file, encoding="ascii") as handle:
        app.config["SECRET_KEY"] = handle.read().strip()
