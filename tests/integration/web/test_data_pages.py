"""/admin/data: response counts, and deleting all responses of a questionnaire or a DPS
only after the admin has typed its id on a second page."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from surveyapp.collect.lifecycle import DELETE_RESPONSES
from surveyapp.db.models import Answer, AuditEntry, Response
from tests.helpers import hidden_value, signed_in, store_one

ANSWERS = {
    "flyt": {"rolle": ["pasient"], "mott": ["nei"]},
    "leder": {"respondent": ["leder"], "har_ek": ["nei"]},
}


def store(db, questionnaire_id: str, dps_id: str) -> str:
    return store_one(db, questionnaire_id, dps_id, ANSWERS[questionnaire_id])


@pytest.fixture
def stored(db) -> dict[tuple[str, str], list[str]]:
    """flyt: 3 at Nidaros, 1 at Tiller; leder: 2 at Nidaros."""
    plan = {("flyt", "nidaros"): 3, ("flyt", "tiller"): 1, ("leder", "nidaros"): 2}
    return {key: [store(db, *key) for _ in range(n)] for key, n in plan.items()}


@pytest.fixture
def admin(app, db):
    return signed_in(app, db, "admin")


def remaining(db) -> set[str]:
    db.rollback()  # see what the requests committed
    return set(db.scalars(select(Response.id)))


def confirm_page(client, **target) -> tuple[str, str]:
    response = client.get("/admin/data/slett", query_string=target)
    assert response.status_code == 200
    html = response.get_data(True)
    return html, hidden_value(html, "csrf_token")


def test_overview_shows_counts_per_questionnaire_and_per_dps(admin, stored):
    page = admin.get("/admin/data")
    assert page.status_code == 200
    html = page.get_data(True)
    assert "6 svar er lagret i alt." in html
    assert "Testskjema (<code>flyt</code>)</th>\n      <td>4</td>" in html
    assert "(<code>nidaros</code>)</th>\n      <td>5</td>" in html
    assert 'href="/admin/data/slett?questionnaire=leder"' in html
    assert 'href="/admin/data/slett?dps=tiller"' in html
    assert 'href="/admin/data/slett?dps=orkdal"' not in html  # nothing to delete there


def test_admin_deletes_a_questionnaire_after_typing_its_id(admin, db, stored):
    html, csrf = confirm_page(admin, questionnaire="flyt")
    assert "Dette sletter 4 svar på skjemaet" in html
    assert "Skriv «flyt» for å bekrefte" in html
    assert remaining(db) == {r for ids in stored.values() for r in ids}  # nothing yet

    response = admin.post(
        "/admin/data/slett",
        data={"csrf_token": csrf, "questionnaire": "flyt", "confirmation": " flyt "},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/data")
    assert "4 svar er slettet." in admin.get("/admin/data").get_data(True)
    assert remaining(db) == set(stored["leder", "nidaros"])
    assert set(db.scalars(select(Answer.response_id))) == set(stored["leder", "nidaros"])
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == DELETE_RESPONSES))
    assert (entry.username, entry.questionnaire_id) == ("admin", "flyt")
    assert json.loads(entry.details)["responses"] == 4


def test_admin_deletes_a_dps_after_typing_its_id(admin, db, stored):
    html, csrf = confirm_page(admin, dps="nidaros")
    assert "Dette sletter 5 svar fra dette DPS-et" in html
    # what the deletion does to published figures (docs/disclosure-design.md, «Deletion»)
    assert "kan trekke de nye fra og se hva de slettede svarene var" in html
    assert "kan trekke de nye fra" not in confirm_page(admin, questionnaire="flyt")[0]
    # the rows of the answers given and of the questions shown but skipped
    rows = db.scalar(select(func.count()).where(Answer.dps_id == "nidaros"))
    db.rollback()
    response = admin.post(
        "/admin/data/slett",
        data={"csrf_token": csrf, "dps": "nidaros", "confirmation": "nidaros"},
    )
    assert response.status_code == 303
    assert "5 svar er slettet." in admin.get("/admin/data").get_data(True)
    assert remaining(db) == set(stored["flyt", "tiller"])
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == DELETE_RESPONSES))
    assert json.loads(entry.details) == {"dps_id": "nidaros", "responses": 5, "answers": rows}
    assert admin.get("/admin/logg").status_code == 200  # the log shows the entry


@pytest.mark.parametrize("typed", ["", "tiller", "slett", "nidaros-"])
def test_a_wrong_confirmation_deletes_nothing_and_says_why(admin, db, stored, typed):
    _, csrf = confirm_page(admin, dps="nidaros")
    response = admin.post(
        "/admin/data/slett",
        data={"csrf_token": csrf, "dps": "nidaros", "confirmation": typed},
    )
    assert response.status_code == 422
    html = response.get_data(True)
    assert "Du skrev ikke «nidaros». Ingenting er slettet." in html
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert remaining(db) == {r for ids in stored.values() for r in ids}
    assert db.scalar(select(AuditEntry)) is None


def test_deleting_needs_the_csrf_token(admin, db, stored):
    response = admin.post("/admin/data/slett", data={"dps": "nidaros", "confirmation": "nidaros"})
    assert response.status_code == 400
    assert len(remaining(db)) == 6


@pytest.mark.parametrize(
    "target",
    [
        {},
        {"dps": "finnes-ikke"},
        {"questionnaire": "finnes-ikke"},
        {"dps": "nidaros", "questionnaire": "flyt"},
    ],
)
def test_an_unknown_target_goes_back_to_the_overview_with_a_message(admin, db, stored, target):
    response = admin.get("/admin/data/slett", query_string=target)
    assert response.status_code == 303
    assert "Velg et skjema eller et DPS fra listene." in admin.get("/admin/data").get_data(True)
    _, csrf = confirm_page(admin, dps="tiller")
    confirmation = target.get("dps") or target.get("questionnaire") or ""
    response = admin.post(
        "/admin/data/slett", data={"csrf_token": csrf, "confirmation": confirmation, **target}
    )
    assert response.status_code == 303
    assert len(remaining(db)) == 6


def test_a_dps_without_responses_has_nothing_to_confirm(admin, stored):
    html, _ = confirm_page(admin, dps="orkdal")
    assert "Det finnes ingen svar å slette." in html
    assert 'name="confirmation"' not in html


@pytest.mark.parametrize("role", ["analyst", "interviewer"])
def test_only_admins_may_delete(app, db, stored, role):
    client = signed_in(app, db, role)
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    assert client.get("/admin/data").status_code == 403
    response = client.post(
        "/admin/data/slett",
        data={"csrf_token": csrf, "dps": "nidaros", "confirmation": "nidaros"},
    )
    assert response.status_code == 403
    assert len(remaining(db)) == 6


def test_anonymous_visitors_are_sent_to_sign_in(client, db, stored):
    response = client.get("/admin/data")
    assert response.status_code == 302 and "/logg-inn" in response.headers["Location"]
