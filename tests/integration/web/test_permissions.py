"""Every route, for every role (anonymous included), answers with the expected status.

A new route fails this test until it is added to ROUTES with its expectations.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from surveyapp.collect.links import create_link
from surveyapp.collect.versions import current_version
from surveyapp.db.models import User
from tests.helpers import hidden_value

ROLES = ("anonymous", "interviewer", "analyst", "admin")
PASSWORD = "et-langt-passord"
SIGN_IN = 302  # pages send anonymous visitors to the sign-in page
OPEN = {role: 200 for role in ROLES}


def only(*roles: str, ok: int = 200, anonymous: int = SIGN_IN) -> dict[str, int]:
    return {
        role: ok if role in roles else (anonymous if role == "anonymous" else 403) for role in ROLES
    }


# endpoint: (method, path template, form or json body, expected status per role)
ROUTES = {
    "pages.home": ("GET", "/", None, OPEN),
    "pages.privacy": ("GET", "/personvern", None, OPEN),
    "pages.accessibility": ("GET", "/tilgjengelighet", None, OPEN),
    "static": ("GET", "/static/css/app.css", None, OPEN),
    "public.start": ("GET", "/s/{link}", None, OPEN),
    "public.submit": ("POST", "/s/{link}", {"version": "x"}, {r: 400 for r in ROLES}),
    "public.thanks": ("GET", "/s/{link}/takk", None, OPEN),
    "auth.login": ("GET", "/logg-inn", None, OPEN),
    "auth.logout": ("POST", "/logg-ut", {}, {r: 302 for r in ROLES}),
    "auth.setup": ("GET", "/oppsett/ugyldig-lenke", None, {r: 410 for r in ROLES}),
    "auth.set_password": ("GET", "/passord/ugyldig-lenke", None, {r: 410 for r in ROLES}),
    "admin.links": ("GET", "/admin/lenker", None, only("admin")),
    "admin.create": (
        "POST",
        "/admin/lenker",
        {"dps": "nidaros", "questionnaire": "pasient"},
        only("admin", ok=303),
    ),
    "admin.close": ("POST", "/admin/lenker/{link_id}/steng", {}, only("admin", ok=303)),
    "admin.poster": ("GET", "/admin/lenker/{link_id}/plakat", None, only("admin")),
    "admin.users": ("GET", "/admin/brukere", None, only("admin")),
    "admin.invite": (
        "POST",
        "/admin/brukere",
        {"username": "ny", "role": "analyst"},
        only("admin", ok=303),
    ),
    "admin.disable": ("POST", "/admin/brukere/{other_id}/deaktiver", {}, only("admin", ok=303)),
    "admin.enable": ("POST", "/admin/brukere/{other_id}/aktiver", {}, only("admin", ok=303)),
    "admin.reset": ("POST", "/admin/brukere/{other_id}/ny-lenke", {}, only("admin", ok=303)),
    "reports.index": ("GET", "/rapporter/", None, only("analyst", "admin")),
    "reports.comparison": ("GET", "/rapporter/pasient", None, only("analyst", "admin")),
    # no responses yet, so only the running period: readers are sent to its fieldwork
    # progress (no column, no workbook before it has ended); the others never get that far
    "reports.column": (
        "GET",
        "/rapporter/pasient/enhet/_total",
        None,
        only("analyst", "admin", ok=303),
    ),
    "reports.workbook": (
        "GET",
        "/rapporter/pasient/excel",
        None,
        only("analyst", "admin", ok=303),
    ),
    "admin.audit_log": ("GET", "/admin/logg", None, only("admin")),
    "admin.previews": ("GET", "/admin/skjema", None, only("admin")),
    "admin.preview_file": ("GET", "/admin/skjema/fil/pasient.yaml", None, only("admin")),
    "admin.preview": (
        "GET",
        "/admin/skjema/leder/{leder}?modus=interview",
        None,
        only("admin"),
    ),
    "interview.home": ("GET", "/intervju/", None, only("interviewer", "admin")),
    "interview.form": ("GET", "/intervju/skjema/{leder}", None, only("interviewer", "admin")),
    "interview.showcard": ("GET", "/intervju/svarkort", None, only("interviewer", "admin")),
    "interview.service_worker": ("GET", "/intervju/sw.js", None, OPEN),
    "interview.token": (
        "GET",
        "/intervju/api/token",
        None,
        only("interviewer", "admin", anonymous=401),
    ),
    "interview.drafts": (
        "GET",
        "/intervju/api/utkast",
        None,
        only("interviewer", "admin", anonymous=401),
    ),
    "interview.put_draft": (
        "PUT",
        "/intervju/api/utkast/{draft}",
        "draft",
        only("interviewer", "admin", anonymous=401),
    ),
    "interview.remove_draft": (
        "DELETE",
        "/intervju/api/utkast/{draft}",
        "none",
        only("interviewer", "admin", anonymous=401),
    ),
    "interview.finalise_interview": (
        "POST",
        "/intervju/api/fullfor",
        "finalise",
        only("interviewer", "admin", ok=201, anonymous=401),
    ),
    "review.overview": ("GET", "/admin/fritekst", None, only("admin")),
    "review.texts": ("GET", "/admin/fritekst/flyt/nidaros", None, only("admin")),
    # no free text waits, so the reference is unknown: admins get 404
    "review.approve": (
        "POST",
        "/admin/fritekst/svar/" + "0" * 32 + "/godkjenn",
        {},
        only("admin", ok=404),
    ),
    "review.redact": (
        "POST",
        "/admin/fritekst/svar/" + "0" * 32 + "/rediger",
        {"text": "tekst"},
        only("admin", ok=404),
    ),
    "review.reject": (
        "POST",
        "/admin/fritekst/svar/" + "0" * 32 + "/avvis",
        {},
        only("admin", ok=404),
    ),
    "data.overview": ("GET", "/admin/data", None, only("admin")),
    "data.confirm": ("GET", "/admin/data/slett?dps=nidaros", None, only("admin")),
    # confirmed; there are no responses, so nothing is deleted either way
    "data.delete": (
        "POST",
        "/admin/data/slett",
        {"dps": "nidaros", "confirmation": "nidaros"},
        only("admin", ok=303),
    ),
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES)


FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # tests only


def signed_in_clients(app, db) -> dict:
    """One client per role, each signed in through the real sign-in form."""
    clients = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        db.add(User(username=role, password_hash=FAST_HASH, role=role))
    db.add(User(username="andre", password_hash=FAST_HASH, role="analyst"))
    db.commit()
    for role in ROLES[1:]:
        client = app.test_client()
        csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
        response = client.post(
            "/logg-inn", data={"csrf_token": csrf, "username": role, "password": PASSWORD}
        )
        assert response.status_code == 302
        clients[role] = client
    return clients


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_answers_each_role_as_expected(app, db, endpoint):
    method, template, body, expected = ROUTES[endpoint]
    clients = signed_in_clients(app, db)
    leder = current_version(db, "leder").id
    other_id = db.scalar(select(User.id).where(User.username == "andre"))
    answered = {}
    for role, client in clients.items():
        link = create_link(db, "nidaros", "pasient")  # fresh, so closing it works for each role
        values = {
            "link": link.token,
            "link_id": link.id,
            "other_id": other_id,
            "leder": leder,
            "draft": f"utkast-{role}-" + "d" * 16,
        }
        path = template.format(**values)
        csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
        if body in ("draft", "finalise", "none"):
            payload = {
                "draft_id": values["draft"],
                "version_id": leder,
                "dps_id": "tiller",
                "answers": {"respondent": ["leder"], "har_ek": ["nei"]},
                "key": f"key-{role}-" + "k" * 20,
            }
            response = client.open(
                path,
                method=method,
                headers={"X-CSRFToken": csrf},
                json=None if body == "none" else payload,
            )
        elif body is not None:
            response = client.open(path, method=method, data={"csrf_token": csrf, **body})
        else:
            response = client.open(path, method=method)
        answered[role] = response.status_code
    assert answered == expected, f"{method} {template}"
