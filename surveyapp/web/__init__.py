"""The web layer: thin views over the services, one blueprint per audience."""

from __future__ import annotations

import re
import time
import types

from flask import (
    Flask,
    Request,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale, gettext
from flask_login import LoginManager, current_user, logout_user, user_logged_in
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from surveyapp.db import MAX_ID, bounded_int
from surveyapp.db.models import User

login_manager = LoginManager()


def db_session() -> Session:
    """The request's database session, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in user, unless disabled or signed out everywhere since (session_version)."""
    user_id, _, version = (bounded_int(part) for part in session_id.partition(":"))
    if user_id is None or version is None:
        return None
    user = db_session().get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


# Path segments that are secrets (collection links, one-time links) or name an interview.
_SECRET_SEGMENT = re.compile(r"^(/(?:s|oppsett|passord|intervju/api/utkast)/)[^/]+")


def redacted_path(path: str) -> str:
    """A request path fit for a log: no query string, and "…" for every token in it."""
    return _SECRET_SEGMENT.sub(r"\1…", path.split("?", 1)[0])


def _log_exception(app: Flask, exc_info) -> None:
    """Flask's own log line for a 500, with the path redacted (it named the token)."""
    app.logger.error(
        "Exception on %s [%s]", redacted_path(request.path), request.method, exc_info=exc_info
    )


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits up to MAX_ID, so that an id the database
    cannot hold (10**25, or 2**40 on PostgreSQL) is a 404 like any unknown id."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


class JSONWithoutNul(DefaultJSONProvider):
    """Request bodies lose their NUL characters as they are read: no database stores one
    (PostgreSQL refuses them), and no tablet should lose an interview over one."""

    def loads(self, s, **kwargs):
        return _without_nul(super().loads(s, **kwargs))


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


class RequestWithoutNul(Request):
    """Form fields lose their NUL characters as they are read (a pasted text may carry one;
    its answers are not refused for it), like JSON bodies (JSONWithoutNul)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any("\x00" in k or "\x00" in v for k, v in form.items(multi=True)):
            self.__dict__["form"] = ImmutableMultiDict(
                [(_without_nul(k), _without_nul(v)) for k, v in form.items(multi=True)]
            )


def init_app(app: Flask) -> None:
    from surveyapp.web import (
        admin,
        auth,
        data,
        interview,
        limits,
        pages,
        public,
        reports,
        review,
    )

    # before any blueprint's rules are bound to the map
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = JSONWithoutNul(app)
    app.request_class = RequestWithoutNul
    app.log_exception = types.MethodType(_log_exception, app)
    login_manager.init_app(app)
    limits.init_app(app)
    if app.config["PROXY_COUNT"]:  # the client's address, for the rate limits, from the proxy
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"]
        )
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.unauthorized_handler(_unauthorized)
    for blueprint in (
        pages.bp,
        public.bp,
        auth.bp,
        admin.bp,
        interview.bp,
        reports.bp,
        review.bp,
        data.bp,
    ):
        app.register_blueprint(blueprint)

    app.jinja_env.globals.update(current_language=lambda: str(get_locale()))
    app.jinja_env.filters["t"] = _translated
    app.before_request(_refuse_nul)
    app.before_request(_end_old_sessions)
    app.before_request(_remember_language)
    app.after_request(_security_headers)
    user_logged_in.connect(_note_sign_in_time, app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(DataError, _data_error)
    app.register_error_handler(HTTPException, _http_error)


def _unauthorized():
    """JSON routes answer 401 (the tablet keeps its data and asks to sign in again);
    pages send the browser to the sign-in page."""
    if request.path.startswith("/intervju/api/"):
        return jsonify(status="signed_out"), 401
    return redirect(url_for("auth.login"))


def _translated(text, language: str | None = None) -> str:
    """A questionnaire text in the page's language, falling back to bokmål."""
    if text is None:
        return ""
    return text.get_text(language or str(get_locale()))


def _refuse_nul() -> None:
    """A NUL byte in the path or the query is refused (400) before any view reads it: no
    link holds one, and no database column may store one. (Form fields and JSON bodies, which
    hold what people typed, are cleaned instead: RequestWithoutNul, JSONWithoutNul.)"""
    fields = request.args.items(multi=True)
    if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in fields):
        raise BadRequest()


def _note_sign_in_time(_app, user) -> None:
    session["signed_in_at"] = int(time.time())


def _end_old_sessions() -> None:
    """A session ends SESSION_HOURS after its sign-in, however busy it has been since."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    signed_in_at = session.get("signed_in_at")
    limit = current_app.config["SESSION_HOURS"] * 3600
    if not isinstance(signed_in_at, int) or time.time() - signed_in_at > limit:
        logout_user()
        session.pop("signed_in_at", None)


def _remember_language() -> None:
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen


def _security_headers(response):
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    # What a signed-in user sees (reports, drafts, tokens) stays out of every cache.
    if request.endpoint != "static" and (
        request.path.startswith("/intervju/api/") or current_user.is_authenticated
    ):
        response.headers["Cache-Control"] = "no-store"
    return response


def _database_unavailable(error: OperationalError):
    """The database did not answer (restart, lock, network): nothing was stored, and the
    request can be sent again. A respondent gets the answers back in a form to resend."""
    current_app.logger.warning("database unavailable: %s", error.__class__.__name__)
    if "db_session" in g:
        g.db_session.rollback()
    message = gettext("Vi får ikke lagret noe akkurat nå. Ingenting er lagret. Prøv igjen om litt.")
    if request.path.startswith("/intervju/api/"):
        return jsonify(status="unavailable", message=message), 503
    if request.method == "POST" and request.endpoint == "public.submit":
        fields = [(k, v) for k, v in request.form.items(multi=True) if k != "action"]
        return render_template("public/retry.html", fields=fields, message=message), 503
    return render_template("error.html", status=503, message=message), 503


def _data_error(error: DataError):
    """A value the database refused (a number too large, a character it cannot store):
    nothing was stored, and the request is answered 400, never 500."""
    current_app.logger.warning("database refused a value: %s", error.orig.__class__.__name__)
    if "db_session" in g:
        g.db_session.rollback()
    message = gettext("Forespørselen kunne ikke leses. Ingenting er lagret.")
    if request.path.startswith("/intervju/api/"):
        return jsonify(status="refused", reason="value", message=message), 400
    return render_template("error.html", status=400, message=message), 400


def _csrf_error(error: CSRFError):
    message = gettext(
        "Skjemaet er utløpt, eller det ble ikke sendt fra denne siden. "
        "Gå tilbake, last inn siden på nytt og prøv igjen."
    )
    return render_template("error.html", status=400, message=message), 400


def _http_error(error: HTTPException):
    messages = {
        400: gettext("Forespørselen kunne ikke leses. Ingenting er lagret."),
        403: gettext("Du har ikke tilgang til denne siden."),
        404: gettext("Vi fant ikke siden du lette etter."),
        405: gettext("Denne handlingen er ikke tillatt her."),
        410: gettext("Denne siden er ikke lenger i bruk."),
        413: gettext("Det som ble sendt, var for stort. Ingenting er lagret."),
        429: gettext("For mange forsøk. Vent litt og prøv igjen."),
    }
    message = messages.get(error.code, gettext("Noe gikk galt. Ingenting er lagret."))
    return render_template("error.html", status=error.code, message=message), error.code
