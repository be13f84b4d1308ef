"""Approving free text: the review services (approve, redact, reject and their rules) and
the admin pages, and that only approved text reaches a report or a workbook."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets

import pytest
from sqlalchemy import select

from surveyapp.collect import review
from surveyapp.collect.submission import DECLINED
from surveyapp.db.models import Answer, AuditEntry, Response, User
from surveyapp.reports.excel import report_workbook
from surveyapp.reports.summary import build_report
from tests.helpers import FAST_HASH, hidden_value, signed_in, store_responses

LATER = dt.date(2027, 1, 5)  # free text is published once its half-year (2026-H2) has ended

SECRET = "test-secret"  # the app fixture's SECRET_KEY
REF = re.compile(r"/admin/fritekst/svar/([0-9a-f]{32})/godkjenn")


def respond(app, dps_id: str, answers: dict, times: int = 1) -> list[str]:
    """Store responses to `flyt` as a respondent would; returns their ids."""
    return store_responses(app, dps_id, [answers] * times)


def admin_user(db, username: str = "admin") -> User:
    user = User(username=username, password_hash=FAST_HASH, role="admin")
    db.add(user)
    db.commit()
    return user


def sign_in(app, db, role: str = "admin"):
    return signed_in(app, db, role)


def refs_on(html: str) -> list[str]:
    return REF.findall(html)


def ref_of(db, text: str) -> str:
    """The page reference of the pending text `text` (as the review page would show it)."""
    items = review.pending(db, "flyt", "nidaros", 100, secret=SECRET)
    return next(item.ref for item in items if item.text == text)


def post(client, path: str, **form):
    csrf = hidden_value(client.get("/logg-inn").get_data(True), "csrf_token")
    return client.post(path, data={"csrf_token": csrf, **form})


def stored(db, text: str) -> Answer | None:
    db.expire_all()
    return db.scalar(select(Answer).where(Answer.value == text))


def report_texts(db) -> list[str]:
    return [t.text for t in build_report(db, "flyt", min_count=5, today=LATER).free_texts]


def workbook_texts(db) -> list[str]:
    sheet = report_workbook(build_report(db, "flyt", min_count=5, today=LATER))["Fritekst"]
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]


# -- the redaction rule (no database) ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "stored_as"),
    [
        ("Kari på Tiller var flink", "[fjernet] på Tiller var flink", None),
        ("Kari på Tiller var flink", "var flink", None),
        ("Kari på Tiller var flink.", "[fjernet] var flink.", None),
        ("Ring meg på [fjernet], hilsen Ola", "Ring meg", None),
        ("Ring meg på [fjernet], hilsen Ola", "Ring meg på [fjernet], hilsen [fjernet]", None),
        (
            "Første linje\nAndre linje",
            "Første linje\r\n[fjernet] linje",
            "Første linje\n[fjernet] linje",
        ),
        ("Bra hjelp fra Ola", "  Bra hjelp  ", "Bra hjelp"),
    ],
)
def test_a_redaction_may_remove_words_or_replace_them_with_the_marker(old, new, stored_as):
    assert review.check_redaction(old, new) == (stored_as or new)


@pytest.mark.parametrize(
    "new",
    [
        "Kari på Tiller var veldig flink",  # a new word
        "Tiller på Kari var flink",  # words moved
        "Kari på Tiller var flinkere",  # a word changed
        "kari på Tiller var flink",  # a word's case changed
        "KaripåTiller var flink",  # words run together
        "[Fjernet] på Tiller var flink",  # not the marker
        "Kari på Tiller var flink!",  # punctuation added
    ],
)
def test_a_redaction_that_adds_anything_is_refused(new):
    with pytest.raises(review.ReviewError) as refused:
        review.check_redaction("Kari på Tiller var flink", new)
    assert refused.value.code == "words_added"


@pytest.mark.parametrize("new", ["", "   ", "[fjernet]", "[fjernet] . [fjernet]"])
def test_a_redaction_that_leaves_no_words_is_refused(new):
    with pytest.raises(review.ReviewError) as refused:
        review.check_redaction("Kari var flink.", new)
    assert refused.value.code == "empty"


def test_a_redaction_longer_than_the_limit_is_refused():
    old = "ord " * 2000
    with pytest.raises(review.ReviewError) as refused:
        review.check_redaction(old, "[fjernet] " * 1000)
    assert refused.value.code == "too_long"


def test_a_reference_is_stable_keyed_and_does_not_show_the_response_id():
    response_id = secrets.token_hex(16)
    ref = review.reference(SECRET, response_id, "bra", 0)
    assert ref == review.reference(SECRET, response_id, "bra", 0)
    assert ref != review.reference("another-secret", response_id, "bra", 0)
    assert ref != review.reference(SECRET, response_id, "kort", 0)
    assert response_id not in ref and ref not in response_id


# -- the services ----------------------------------------------------------------------------


def test_pending_counts_are_per_questionnaire_and_dps_and_count_only_free_text(app, db):
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Bra mat"], "kort": ["Fint"]}, 2)
    respond(app, "tiller", {"rolle": ["pasient"], "bra": ["God tone"]})
    respond(app, "tiller", {"rolle": ["pasient"], "antall": ["3"], "kort": [DECLINED]})
    assert review.pending_counts(db) == {("flyt", "nidaros"): 4, ("flyt", "tiller"): 1}
    assert review.pending_total(db) == 5
    groups = review.pending_overview(db)
    assert [(g.questionnaire, g.dps, g.count) for g in groups] == [
        ("Testskjema", "Nidaros DPS", 4),
        ("Testskjema", "Tiller DPS", 1),
    ]


def test_pending_texts_come_with_their_question_and_no_response_id(app, db):
    (response_id,) = respond(app, "nidaros", {"bra": ["Bra mat"], "kort": ["Fint"]})
    respond(app, "tiller", {"bra": ["Ikke herfra"]})
    items = review.pending(db, "flyt", "nidaros", 10, secret=SECRET)
    assert [(i.question, i.text) for i in items] == [
        ("Hva fungerer bra?", "Bra mat"),
        ("Ett ord om DPS-et", "Fint"),
    ]
    assert all(response_id not in item.ref for item in items)
    assert len(review.pending(db, "flyt", "nidaros", 1, secret=SECRET)) == 1


def test_approving_lets_the_text_into_the_report(app, db):
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Bra mat"]}, 5)
    admin = admin_user(db)
    assert report_texts(db) == []
    source = review.approve(db, ref_of(db, "Bra mat"), secret=SECRET, user=admin)
    assert source == review.Source("flyt", "nidaros")
    assert report_texts(db) == ["Bra mat"]
    assert review.pending_total(db) == 4


def test_redacting_stores_the_shorter_text_approved(app, db):
    respond(app, "nidaros", {"bra": ["Terapeuten med rødt hår var flink"]})
    admin = admin_user(db)
    ref = ref_of(db, "Terapeuten med rødt hår var flink")
    review.redact(db, ref, "Terapeuten med [fjernet] var flink", secret=SECRET, user=admin)
    answer = stored(db, "Terapeuten med [fjernet] var flink")
    assert answer.review == "approved"
    assert stored(db, "Terapeuten med rødt hår var flink") is None


def test_a_refused_redaction_changes_nothing(app, db):
    respond(app, "nidaros", {"bra": ["Sykepleieren på natt var flink"]})
    admin = admin_user(db)
    ref = ref_of(db, "Sykepleieren på natt var flink")
    with pytest.raises(review.ReviewError) as refused:
        review.redact(db, ref, "Sykepleieren på natt var veldig flink", secret=SECRET, user=admin)
    assert refused.value.code == "words_added"
    assert refused.value.source == review.Source("flyt", "nidaros")
    assert stored(db, "Sykepleieren på natt var flink").review == "pending"
    assert db.scalar(select(AuditEntry)) is None


def test_rejecting_deletes_the_text_and_keeps_the_rest_of_the_response(app, db):
    (response_id,) = respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Jeg var her"]})
    admin = admin_user(db)
    review.reject(db, ref_of(db, "Jeg var her"), secret=SECRET, user=admin)
    db.expire_all()
    answers = db.scalars(select(Answer).where(Answer.response_id == response_id)).all()
    given = [(a.question_id, a.value) for a in answers if a.value != "_skipped"]
    assert given == [("rolle", "pasient")]
    assert "bra" not in {a.question_id for a in answers}
    assert db.get(Response, response_id) is not None


def test_an_unknown_or_already_decided_reference_is_refused(app, db):
    respond(app, "nidaros", {"bra": ["Bra mat"]})
    admin = admin_user(db)
    ref = ref_of(db, "Bra mat")
    review.approve(db, ref, secret=SECRET, user=admin)
    for decide in (review.approve, review.reject):
        for unknown in (ref, "0" * 32, "ikke-en-referanse"):
            with pytest.raises(review.ReviewError) as refused:
                decide(db, unknown, secret=SECRET, user=admin)
            assert refused.value.code == "unknown"
    assert review.pending(db, "flyt", "nidaros", 10, secret="another-secret") == []


def test_each_decision_is_audited_without_the_text(app, db):
    texts = ["Maten var god", "Ventetiden var lang", "Legen var grei"]
    for text in texts:
        respond(app, "nidaros", {"bra": [text]})
    admin = admin_user(db)
    review.approve(db, ref_of(db, "Maten var god"), secret=SECRET, user=admin)
    review.redact(
        db, ref_of(db, "Ventetiden var lang"), "[fjernet] var lang", secret=SECRET, user=admin
    )
    review.reject(db, ref_of(db, "Legen var grei"), secret=SECRET, user=admin)
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == [review.APPROVE, review.REDACT, review.REJECT]
    for entry in entries:
        assert (entry.username, entry.questionnaire_id) == ("admin", "flyt")
        assert json.loads(entry.details) == {"dps": "nidaros", "count": 1}
        for word in ("Maten", "Ventetiden", "Legen", "god", "lang", "grei", "fjernet"):
            assert word not in entry.details + entry.action


# -- the pages -------------------------------------------------------------------------------


def test_admin_sees_the_pending_count_on_the_front_page_and_per_unit(app, db):
    respond(app, "nidaros", {"bra": ["Bra mat"], "kort": ["Fint"]})
    respond(app, "tiller", {"bra": ["God tone"]})
    client = sign_in(app, db)
    assert "Fritekst til godkjenning (3)" in client.get("/").get_data(True)
    page = client.get("/admin/fritekst").get_data(True)
    assert "3 tekster venter på godkjenning." in page
    assert "Nidaros DPS" in page and "Tiller DPS" in page and "Testskjema" in page
    assert "/admin/fritekst/flyt/nidaros" in page and "/admin/fritekst/flyt/tiller" in page


def test_others_see_no_pending_count_on_the_front_page(app, db):
    respond(app, "nidaros", {"bra": ["Bra mat"]})
    for role in ("analyst", "interviewer"):
        assert "Fritekst til godkjenning" not in sign_in(app, db, role).get("/").get_data(True)
    assert "Fritekst til godkjenning" not in app.test_client().get("/").get_data(True)


def test_review_page_shows_each_text_with_its_question_and_three_choices(app, db):
    (response_id,) = respond(app, "nidaros", {"bra": ["Bra mat"], "kort": ["Fint"]})
    client = sign_in(app, db)
    response = client.get("/admin/fritekst/flyt/nidaros")
    page = response.get_data(True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Hva fungerer bra?" in page and "Bra mat" in page
    assert "Ett ord om DPS-et" in page and "Fint" in page
    assert page.count("<fieldset") == 2 and page.count('name="csrf_token"') >= 4
    for label in ("Godkjenn", "Rediger og godkjenn", "Avvis"):
        assert label in page
    assert len(set(refs_on(page))) == 2
    assert response_id not in page


def test_approving_on_the_page_puts_the_text_in_the_report_and_the_workbook(app, db):
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Godkjent tekst"]})
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Avvist tekst"]})
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Ventende tekst"]})
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Naboen min sa hei"]})
    respond(app, "nidaros", {"rolle": ["pasient"]})
    client = sign_in(app, db)
    assert report_texts(db) == [] and not {"Godkjent tekst"} & set(workbook_texts(db))

    response = post(client, f"/admin/fritekst/svar/{ref_of(db, 'Godkjent tekst')}/godkjenn")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/fritekst/flyt/nidaros")
    assert "Teksten er godkjent" in client.get(response.headers["Location"]).get_data(True)
    post(client, f"/admin/fritekst/svar/{ref_of(db, 'Avvist tekst')}/avvis", confirm="yes")
    post(
        client,
        f"/admin/fritekst/svar/{ref_of(db, 'Naboen min sa hei')}/rediger",
        text="[fjernet] min sa hei",
    )

    assert sorted(report_texts(db)) == ["Godkjent tekst", "[fjernet] min sa hei"]
    in_workbook = workbook_texts(db)
    assert "Godkjent tekst" in in_workbook and "[fjernet] min sa hei" in in_workbook
    for never in ("Avvist tekst", "Ventende tekst", "Naboen min sa hei"):
        assert never not in in_workbook and never not in report_texts(db)
    assert stored(db, "Avvist tekst") is None
    page = client.get("/admin/fritekst/flyt/nidaros").get_data(True)
    assert "Ventende tekst" in page and "1 tekst venter på godkjenning." in page


def test_a_redaction_that_adds_words_is_refused_with_a_message(app, db):
    respond(app, "nidaros", {"bra": ["Sykepleieren på natt var flink"]})
    client = sign_in(app, db)
    path = f"/admin/fritekst/svar/{ref_of(db, 'Sykepleieren på natt var flink')}/rediger"
    response = post(client, path, text="Sykepleieren på natt var veldig flink")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(True)
    assert "Du kan bare fjerne ord" in page and "Ingenting er endret." in page
    assert stored(db, "Sykepleieren på natt var flink").review == "pending"
    assert stored(db, "Sykepleieren på natt var veldig flink") is None
    assert db.scalar(select(AuditEntry)) is None


def test_a_redaction_that_is_too_long_or_empty_is_refused_with_a_message(app, db):
    respond(app, "nidaros", {"bra": ["Sykepleieren på natt var flink"]})
    client = sign_in(app, db)
    path = f"/admin/fritekst/svar/{ref_of(db, 'Sykepleieren på natt var flink')}/rediger"
    response = post(client, path, text="[fjernet] " * 500)
    assert "Teksten er for lang" in client.get(response.headers["Location"]).get_data(True)
    response = post(client, path, text="[fjernet]")
    assert "ingen ord igjen" in client.get(response.headers["Location"]).get_data(True)
    assert stored(db, "Sykepleieren på natt var flink").review == "pending"


def test_unknown_texts_units_and_questionnaires_are_not_found(app, db):
    respond(app, "nidaros", {"bra": ["Bra mat"]})
    client = sign_in(app, db)
    for action in ("godkjenn", "rediger", "avvis"):
        for ref in ("0" * 32, "x"):
            response = post(client, f"/admin/fritekst/svar/{ref}/{action}", text="Bra")
            assert response.status_code == 404
            confirmed = post(client, f"/admin/fritekst/svar/{ref}/{action}", confirm="yes")
            assert confirmed.status_code == 404
    assert client.get("/admin/fritekst/flyt/ukjent").status_code == 404
    assert client.get("/admin/fritekst/ukjent/nidaros").status_code == 404
    assert client.get("/admin/fritekst/flyt/tiller").status_code == 200  # nothing waiting
    assert stored(db, "Bra mat").review == "pending"


def test_a_decision_without_a_csrf_token_is_refused(app, db):
    respond(app, "nidaros", {"bra": ["Bra mat"]})
    client = sign_in(app, db)
    response = client.post(f"/admin/fritekst/svar/{ref_of(db, 'Bra mat')}/godkjenn")
    assert response.status_code == 400
    assert stored(db, "Bra mat").review == "pending"


@pytest.mark.parametrize("role", ["anonymous", "interviewer", "analyst"])
def test_only_admins_review_free_text(app, db, role):
    respond(app, "nidaros", {"bra": ["Bra mat"]})
    client = app.test_client() if role == "anonymous" else sign_in(app, db, role)
    expected = 302 if role == "anonymous" else 403
    for path in ("/admin/fritekst", "/admin/fritekst/flyt/nidaros"):
        response = client.get(path)
        assert response.status_code == expected
        assert "Bra mat" not in response.get_data(True)
    response = post(client, f"/admin/fritekst/svar/{ref_of(db, 'Bra mat')}/godkjenn")
    assert response.status_code == expected
    assert stored(db, "Bra mat").review == "pending"


def test_the_audit_log_page_lists_decisions_without_their_text(app, db):
    respond(app, "nidaros", {"bra": ["Hemmelig innhold"]})
    client = sign_in(app, db)
    post(client, f"/admin/fritekst/svar/{ref_of(db, 'Hemmelig innhold')}/godkjenn")
    response = client.get("/admin/logg")
    assert response.status_code == 200
    assert "Hemmelig" not in response.get_data(True)
    entry = db.scalar(select(AuditEntry))
    assert (entry.action, entry.username) == (review.APPROVE, "admin")
    assert "Hemmelig" not in entry.details


def test_rejecting_on_the_page_asks_first_and_deletes_only_when_confirmed(app, db):
    respond(app, "nidaros", {"rolle": ["pasient"], "bra": ["Kanskje avvist"]})
    client = sign_in(app, db)
    ref = ref_of(db, "Kanskje avvist")
    page = client.get("/admin/fritekst/flyt/nidaros").get_data(True)
    assert f'href="/admin/fritekst/svar/{ref}/avvis"' in page  # a link to the question, no form
    asked = client.get(f"/admin/fritekst/svar/{ref}/avvis")
    assert asked.status_code == 200
    html = asked.get_data(True)
    assert "Kanskje avvist" in html and "Ja, slett teksten for godt" in html and "Avbryt" in html
    assert post(client, f"/admin/fritekst/svar/{ref}/avvis").status_code == 200  # asks again
    assert stored(db, "Kanskje avvist").review == "pending"
    done = post(client, f"/admin/fritekst/svar/{ref}/avvis", confirm="yes")
    assert done.status_code == 303
    assert stored(db, "Kanskje avvist") is None


def test_the_review_page_shuffles_each_question_on_its_own(app, db):
    for number in range(8):
        respond(app, "nidaros", {"bra": [f"bra nummer {number}"], "kort": [f"kort {number}"]})
    items = review.pending(db, "flyt", "nidaros", 100, secret=SECRET)
    by_question: dict[str, list[int]] = {}
    for item in items:
        by_question.setdefault(item.question, []).append(int(item.text.split()[-1]))
    orders = list(by_question.values())
    assert len(orders) == 2 and sorted(orders[0]) == sorted(orders[1]) == list(range(8))
    assert orders[0] != orders[1]  # the k-th texts of two questions are not one respondent's
    assert review.pending(db, "flyt", "nidaros", 100, secret=SECRET) == items  # stable
