"""The tablet's JSON routes: drafts per interviewer, finalising, idempotency, roles."""

from __future__ import annotations

import json
import secrets
import threading

import pytest
from sqlalchemy import func, select

from surveyapp.collect.versions import current_version
from surveyapp.db.models import Answer, InterviewDraft, Response, User
from tests import helpers
from tests.helpers import hidden_value


def signed_in(app, db, username: str, role: str = "interviewer"):
    return helpers.signed_in(app, db, role, username)


def token(client) -> dict:
    return {"X-CSRFToken": client.get("/intervju/api/token").get_json()["token"]}


def body(db, draft_id=None, answers=None, key=None, questionnaire="leder", dps="tiller"):
    payload = {
        "draft_id": draft_id or secrets.token_urlsafe(18),
        "version_id": current_version(db, questionnaire).id,
        "dps_id": dps,
        "answers": answers if answers is not None else {"respondent": ["leder"], "har_ek": ["nei"]},
    }
    if key is not None:
        payload["key"] = key
    return payload


def responses(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Response))


@pytest.fixture
def kari(app, db):
    return signed_in(app, db, "kari")


def test_draft_is_saved_listed_and_finalised_into_an_anonymous_response(kari, db):
    draft = body(db)
    assert (
        kari.put(
            f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari)
        ).status_code
        == 200
    )
    listed = kari.get("/intervju/api/utkast").get_json()["drafts"]
    assert [d["id"] for d in listed] == [draft["draft_id"]]
    assert listed[0]["dps_name"] == "Tiller DPS"

    result = kari.post(
        "/intervju/api/fullfor", json={**draft, "key": "k" * 24}, headers=token(kari)
    )
    assert result.status_code == 201
    response = db.scalar(select(Response))
    assert (response.mode, response.dps_id) == ("interview", "tiller")
    assert db.scalar(select(func.count()).select_from(InterviewDraft)) == 0
    stored = "\n".join(str(v) for row in db.execute(select(Response.__table__)) for v in row)
    assert "kari" not in stored and str(db.scalar(select(User.id))) != response.id


def test_finalising_reports_unanswered_required_questions_and_stores_nothing(kari, db):
    result = kari.post(
        "/intervju/api/fullfor", json=body(db, answers={}, key="m" * 24), headers=token(kari)
    )
    assert result.status_code == 422
    errors = result.get_json()["errors"]
    assert {e["answer_id"] for e in errors} == {"respondent", "har_ek"}
    assert all(e["message"] for e in errors)
    assert responses(db) == 0


def test_vil_ikke_svare_answers_a_required_question_in_an_interview(kari, db):
    answers = {"respondent": ["_declined"], "har_ek": ["_declined"]}
    result = kari.post(
        "/intervju/api/fullfor", json=body(db, answers=answers, key="d" * 24), headers=token(kari)
    )
    assert result.status_code == 201
    stored = {a.question_id: a.value for a in db.scalars(select(Answer))}
    assert {q for q, v in stored.items() if v == "_declined"} == {"respondent", "har_ek"}
    assert set(stored.values()) == {"_declined", "_skipped"}  # the rest: shown, left empty


def test_another_interviewers_draft_cannot_be_seen_changed_or_finalised(app, db, kari):
    draft = body(db)
    kari.put(f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari))
    ola = signed_in(app, db, "ola")
    assert ola.get("/intervju/api/utkast").get_json()["drafts"] == []
    assert (
        ola.put(
            f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(ola)
        ).status_code
        == 403
    )
    assert (
        ola.delete(f"/intervju/api/utkast/{draft['draft_id']}", headers=token(ola)).status_code
        == 403
    )
    result = ola.post("/intervju/api/fullfor", json={**draft, "key": "o" * 24}, headers=token(ola))
    assert result.status_code == 403
    assert responses(db) == 0
    assert json.loads(db.get(InterviewDraft, draft["draft_id"]).answers) == draft["answers"]


def test_the_same_interview_sent_twice_at_once_is_stored_once(app, db, kari):
    ola_tablet = app.test_client()
    ola_tablet.set_cookie("session", kari.get_cookie("session").value)
    payload = {**body(db), "key": "same-key-" + "x" * 20}
    results = []

    def send(client):
        results.append(
            client.post("/intervju/api/fullfor", json=payload, headers=token(client)).status_code
        )

    threads = [threading.Thread(target=send, args=(c,)) for c in (kari, ola_tablet)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201, 201]
    assert responses(db) == 1


def test_a_draft_started_on_an_older_version_is_finalised_against_it(app, db, kari, runner):
    from pathlib import Path

    old = body(db)
    kari.put(f"/intervju/api/utkast/{old['draft_id']}", json=old, headers=token(kari))
    path = Path(app.config["QUESTIONNAIRES_DIR"]) / "leder.yaml"
    path.write_text(
        path.read_text("utf-8").replace("Hva er din rolle ved DPS-et?", "Hvilken rolle har du?"),
        "utf-8",
    )
    assert runner.invoke(args=["init"]).exit_code == 0
    assert current_version(db, "leder").id != old["version_id"]

    result = kari.post("/intervju/api/fullfor", json={**old, "key": "v" * 24}, headers=token(kari))
    assert result.status_code == 201
    assert db.scalar(select(Response)).questionnaire_version_id == old["version_id"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"answers": {"finnes_ikke": ["x"]}}, "unknown_question"),
        ({"answers": {"respondent": "leder"}}, "answers"),
        ({"answers": {"respondent": [1]}}, "answers"),
        ({"version_id": 99999}, "version"),
        ({"version_id": "1"}, "version"),
        ({"dps_id": "oslo"}, "dps"),
        ({"draft_id": "kort"}, "draft_id"),
        ({"key": "x"}, "key"),
    ],
)
def test_malformed_interviews_are_refused_with_a_reason(kari, db, change, reason):
    payload = {**body(db, key="g" * 24), **change}
    result = kari.post("/intervju/api/fullfor", json=payload, headers=token(kari))
    assert result.status_code == 400
    assert result.get_json()["reason"] == reason
    assert responses(db) == 0


def test_a_self_fill_questionnaire_cannot_be_sent_as_an_interview(kari, db):
    result = kari.post(
        "/intervju/api/fullfor",
        json=body(db, questionnaire="pasient", answers={}, key="p" * 24),
        headers=token(kari),
    )
    assert result.status_code == 400
    assert result.get_json()["reason"] == "not_an_interview"


def test_an_expired_session_gets_401_so_the_tablet_keeps_its_data(app, db, kari):
    anonymous = app.test_client()
    assert anonymous.get("/intervju/api/utkast").status_code == 401
    assert anonymous.post("/intervju/api/fullfor", json={}).status_code in (400, 401)
    assert anonymous.get("/intervju/").status_code == 302  # pages go to the sign-in page


def test_without_a_csrf_token_nothing_is_stored(kari, db):
    assert kari.post("/intervju/api/fullfor", json=body(db, key="c" * 24)).status_code == 400
    assert responses(db) == 0


def test_an_analyst_cannot_start_interviews(app, db):
    analyst = signed_in(app, db, "anna", role="analyst")
    csrf = {"X-CSRFToken": hidden_value(analyst.get("/").get_data(True), "csrf_token")}
    assert analyst.get("/intervju/").status_code == 403
    assert analyst.get("/intervju/api/utkast").status_code == 403
    assert (
        analyst.post("/intervju/api/fullfor", json=body(db, key="a" * 24), headers=csrf).status_code
        == 403
    )
    assert responses(db) == 0


def test_interviewer_notes_are_shown_in_the_form_and_never_stored(kari, db):
    version = current_version(db, "leder")
    page = kari.get(f"/intervju/skjema/{version.id}").get_data(True)
    assert "Til intervjueren:" in page
    kari.post("/intervju/api/fullfor", json=body(db, key="n" * 24), headers=token(kari))
    stored = [a.value for a in db.scalars(select(Answer))]
    assert stored and not any("intervjueren" in value for value in stored)


def test_logout_clears_the_browsers_storage_for_this_site(kari):
    csrf = hidden_value(kari.get("/").get_data(True), "csrf_token")
    response = kari.post("/logg-ut", data={"csrf_token": csrf})
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_reused_key_with_another_interview_gets_409_and_keeps_the_draft(kari, db):
    first = body(db, answers={"respondent": ["leder"], "har_ek": ["nei"]})
    assert (
        kari.post(
            "/intervju/api/fullfor", json={**first, "key": "K" * 24}, headers=token(kari)
        ).status_code
        == 201
    )
    other = body(db, answers={"respondent": ["ansatt"], "har_ek": ["nei"]})
    kari.put(f"/intervju/api/utkast/{other['draft_id']}", json=other, headers=token(kari))

    result = kari.post(
        "/intervju/api/fullfor", json={**other, "key": "K" * 24}, headers=token(kari)
    )
    assert result.status_code == 409
    assert result.get_json()["status"] == "key_reused" and result.get_json()["message"]
    assert responses(db) == 1
    db.expire_all()
    kept = db.get(InterviewDraft, other["draft_id"])
    assert kept is not None and json.loads(kept.answers) == other["answers"]
    assert {
        a.value for a in db.scalars(select(Answer).where(Answer.question_id == "respondent"))
    } == {"leder"}


def test_the_same_interview_sent_again_with_its_key_is_a_retry(kari, db):
    draft = body(db)
    kari.put(f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari))
    for _ in range(2):
        result = kari.post(
            "/intervju/api/fullfor", json={**draft, "key": "R" * 24}, headers=token(kari)
        )
        assert result.status_code == 201
    assert responses(db) == 1
    assert db.scalar(select(func.count()).select_from(InterviewDraft)) == 0


def test_a_refusal_names_the_question_and_keeps_the_draft(kari, db):
    answers = {"respondent": ["leder"], "har_ek": ["egne"], "antall_ek": ["150"]}
    draft = body(db, answers=answers)
    kari.put(f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari))
    result = kari.post(
        "/intervju/api/fullfor", json={**draft, "key": "q" * 24}, headers=token(kari)
    )
    assert result.status_code == 422
    [error] = result.get_json()["errors"]
    assert error["answer_id"] == "antall_ek"
    assert error["question"] == "Hvor mange erfaringskonsulenter jobber hos dere?"
    assert error["message"] == "Skriv et tall fra 0 til 100."
    assert responses(db) == 0
    db.expire_all()
    assert db.get(InterviewDraft, draft["draft_id"]) is not None

    corrected = {**draft, "answers": {**answers, "antall_ek": ["15"]}}
    result = kari.post(
        "/intervju/api/fullfor", json={**corrected, "key": "r" * 24}, headers=token(kari)
    )
    assert result.status_code == 201
    assert responses(db) == 1


def test_finalising_stores_the_response_and_deletes_the_draft_in_one_transaction(
    app, kari, db, monkeypatch
):
    """If deleting the draft fails, the response is not stored either (and the reverse)."""
    from surveyapp.collect import drafts

    draft = body(db)
    kari.put(f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari))
    real_delete = drafts.delete
    commits = []

    def failing_delete(*args, **kwargs):
        raise RuntimeError("the draft could not be deleted")

    monkeypatch.setattr(drafts, "delete", failing_delete)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    result = kari.post(
        "/intervju/api/fullfor", json={**draft, "key": "t" * 24}, headers=token(kari)
    )
    assert result.status_code == 500
    assert responses(db) == 0  # nothing half-done: no response without the draft's deletion
    db.expire_all()
    assert db.get(InterviewDraft, draft["draft_id"]) is not None

    monkeypatch.setattr(drafts, "delete", real_delete)
    from sqlalchemy import event

    engine = app.extensions["db_engine"]

    def count_commit(connection):
        commits.append(1)

    event.listen(engine, "commit", count_commit)
    try:
        result = kari.post(
            "/intervju/api/fullfor", json={**draft, "key": "t" * 24}, headers=token(kari)
        )
    finally:
        event.remove(engine, "commit", count_commit)
    assert result.status_code == 201
    assert len(commits) == 1
    assert responses(db) == 1
    assert db.scalar(select(func.count()).select_from(InterviewDraft)) == 0


def test_concurrent_saves_of_a_new_draft_all_succeed(app, db, kari):
    """Tablets retry: sixteen PUTs of the same new draft at once, none may fail."""
    cookie = kari.get_cookie("session").value
    draft = body(db)
    clients = []
    for _ in range(16):
        client = app.test_client()
        client.set_cookie("session", cookie)
        clients.append((client, token(client)))
    barrier = threading.Barrier(len(clients))
    results = []

    def put(client, headers):
        barrier.wait()
        response = client.put(
            f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=headers
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=put, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 16
    assert db.scalar(select(func.count()).select_from(InterviewDraft)) == 1


def test_an_upsert_does_not_take_over_another_interviewers_draft(app, db, kari):
    draft = body(db)
    assert (
        kari.put(
            f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari)
        ).status_code
        == 200
    )
    ola = signed_in(app, db, "ola")
    changed = {**draft, "answers": {"respondent": ["ansatt"]}}
    result = ola.put(f"/intervju/api/utkast/{draft['draft_id']}", json=changed, headers=token(ola))
    assert result.status_code == 403
    db.expire_all()
    stored = db.get(InterviewDraft, draft["draft_id"])
    assert json.loads(stored.answers) == draft["answers"]
    assert stored.interviewer_id == db.scalar(select(User.id).where(User.username == "kari"))


def test_a_nul_in_a_draft_is_dropped_so_the_interview_can_be_stored(kari, db):
    answers = {
        "respondent": ["leder"],
        "har_ek": ["tidligere"],
        "hvorfor_ikke_lenger": ["a\u0000b"],
    }
    draft = body(db, answers=answers)
    assert (
        kari.put(
            f"/intervju/api/utkast/{draft['draft_id']}", json=draft, headers=token(kari)
        ).status_code
        == 200
    )
    db.expire_all()
    assert "\u0000" not in db.get(InterviewDraft, draft["draft_id"]).answers
