"""Small helpers the tests share: reading a rendered form like a browser would."""

from __future__ import annotations

import datetime as dt
import secrets
from html.parser import HTMLParser

from werkzeug.security import generate_password_hash


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag != "input" or "name" not in attributes:
            return
        kind = attributes.get("type", "text")
        if kind == "hidden" or (kind in ("radio", "checkbox") and "checked" in attributes):
            self.fields.append((attributes["name"], attributes.get("value") or ""))


def form_fields(html: str) -> list[tuple[str, str]]:
    """The hidden and checked fields a browser would send back (no text inputs)."""
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


def hidden_value(html: str, name: str) -> str:
    return dict(form_fields(html))[name]


class Respondent:
    """Fills a public form through the HTTP stack, page by page, as a browser without JS."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token
        self.html = ""

    def start(self, **headers):
        response = self.client.get(f"/s/{self.token}", headers=headers)
        self.html = response.get_data(as_text=True)
        return response

    def post(
        self, answers: dict[str, str | list[str]] | None = None, action: str = "next", **headers
    ):
        current = {name for name in (answers or {})}
        fields = [(n, v) for n, v in form_fields(self.html) if n not in current]
        for answer_id, value in (answers or {}).items():
            for item in value if isinstance(value, list) else [value]:
                fields.append((answer_id, item))
        fields.append(("action", action))
        response = self.client.post(f"/s/{self.token}", data=_multi(fields), headers=headers)
        self.html = response.get_data(as_text=True)
        return response


def _multi(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)


PASSWORD = "et-langt-passord"
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # tests only


def store_one(
    session,
    questionnaire_id: str,
    dps_id: str,
    answers: dict,
    *,
    mode: str = "self",
    day: dt.date = dt.date(2026, 11, 20),
) -> str:
    """Store one response in `session` as a finished submission would; returns its id."""
    from surveyapp.collect.submission import store_response
    from surveyapp.collect.versions import current_version, questionnaire_of

    version = current_version(session, questionnaire_id)
    response_id, _created = store_response(
        session,
        version=version,
        questionnaire=questionnaire_of(version),
        dps_id=dps_id,
        mode=mode,
        answers=answers,
        submission_key=secrets.token_hex(12),
        today=day,
    )
    return response_id


def store_responses(
    app,
    dps_id: str,
    answers_list: list[dict],
    *,
    questionnaire_id: str = "flyt",
    mode: str = "self",
    day: dt.date = dt.date(2026, 11, 20),
) -> list[str]:
    """Store responses as a finished submission would; returns their ids."""
    with app.extensions["db_sessionmaker"]() as session:
        return [
            store_one(session, questionnaire_id, dps_id, answers, mode=mode, day=day)
            for answers in answers_list
        ]


def signed_in(app, db, role: str, username: str | None = None):
    """A test client signed in through the sign-in form as a new user with this role."""
    from surveyapp.db.models import User

    username = username or role
    db.add(User(username=username, password_hash=FAST_HASH, role=role))
    db.commit()
    client = app.test_client()
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    response = client.post(
        "/logg-inn", data={"csrf_token": csrf, "username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client
