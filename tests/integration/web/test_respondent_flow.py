"""The respondent's path through a public link, over the real HTTP stack, on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from surveyapp.collect.links import close_link
from surveyapp.db.models import Answer, CollectionLink, Response
from tests.helpers import Respondent, hidden_value


def stored_answers(db) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for row in db.scalars(select(Answer).order_by(Answer.question_id, Answer.position)):
        answers.setdefault(row.question_id, []).append(row.value)
    return answers


def response_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Response))


def fill_as_patient(respondent: Respondent):
    respondent.start()
    respondent.post({"q:rolle": "pasient", "q:alder": "u30"})
    respondent.post({"q:mott": "ja", "q:hjalp": "4", "q:hvordan": ["hap", "nav"]})
    return respondent.post({"q:antall": "12", "q:bra": "Gode samtaler", "q:kort": "trygt"})


def test_patient_fills_every_page_and_one_anonymous_response_is_stored(client, db, token):
    respondent = Respondent(client, token)
    response = fill_as_patient(respondent)

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/s/{token}/takk")
    assert "Takk for at du svarte" in client.get(response.headers["Location"]).get_data(True)
    stored = db.scalars(select(Response)).all()
    assert len(stored) == 1
    assert stored[0].dps_id == "nidaros"
    assert stored[0].mode == "self"
    assert stored[0].submitted_on == dt.date.today()
    assert stored_answers(db) == {
        "alder": ["u30"],
        "antall": ["12"],
        "bra": ["Gode samtaler"],
        "hjalp": ["4"],
        "hvordan": ["hap", "nav"],
        "kort": ["trygt"],
        "mott": ["ja"],
        "rolle": ["pasient"],
    }


def test_progress_never_goes_back_or_jumps_when_answers_hide_and_show_pages(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    assert "Side 1 av 4" in respondent.html  # the page for next of kin may still come
    respondent.post({"q:rolle": "parorende"})
    assert "Side 2 av 4" in respondent.html  # and it does
    respondent.post({}, action="back")
    assert "Side 1 av 4" in respondent.html
    respondent.post({"q:rolle": "pasient"})
    assert "Side 2 av 3" in respondent.html  # a patient has passed what hid it
    respondent.post({"q:mott": "nei", "q:onsket": "ja"})
    assert "Side 3 av 3" in respondent.html and "Send inn" in respondent.html


def test_required_question_shows_its_own_message_beside_the_field(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    response = respondent.post({})
    assert response.status_code == 200
    assert "Velg om du er pasient eller pårørende." in respondent.html
    assert 'id="q-rolle-error"' in respondent.html
    assert 'aria-invalid="true"' in respondent.html
    assert response_count(db) == 0


def test_back_and_forward_keep_answers(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "parorende", "q:alder": "30_49"})
    respondent.post({}, action="back")
    assert "Side 1 av" in respondent.html
    assert 'value="parorende" checked' in respondent.html
    assert 'value="30_49" checked' in respondent.html


def test_next_of_kin_see_their_own_page_and_patients_do_not(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "parorende"})
    respondent.post({"q:mott": "nei", "q:onsket": "ja"})
    assert "For pårørende" in respondent.html
    assert "Ble du lyttet til?" in respondent.html


def test_answers_to_hidden_questions_are_dropped_on_submit(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    # "mott" is "nei", so "hjalp" is hidden: a value sent for it anyway is not stored
    respondent.post({"q:mott": "nei", "q:hjalp": "5", "q:onsket": "ja"})
    respondent.post({})
    answers = stored_answers(db)
    assert "hjalp" not in answers
    assert answers["onsket"] == ["ja"]


def test_without_javascript_follow_up_questions_appear_before_moving_on(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    html = respondent.html
    assert 'data-question="hjalp" hidden' in html
    respondent.post({"q:mott": "ja"})
    assert "Side 2 av" in respondent.html
    assert "flere spørsmål ble vist" in respondent.html
    assert 'data-question="hjalp" hidden' not in respondent.html


def test_declining_to_answer_is_stored_but_is_not_an_answer_for_conditions(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient", "q:alder": "_declined"})
    respondent.post({"q:mott": "_declined"})
    assert "Til slutt" in respondent.html  # neither follow-up was shown
    respondent.post({})
    assert stored_answers(db) == {
        "alder": ["_declined"],
        "antall": ["_skipped"],  # shown, left empty
        "mott": ["_declined"],
        "rolle": ["pasient"],
    }


def test_a_retried_final_submission_is_stored_once(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({})
    last_page = respondent.html
    first = respondent.post({})
    respondent.html = last_page  # the browser sends the same form again
    second = respondent.post({})
    assert first.status_code == second.status_code == 303
    assert response_count(db) == 1


def test_language_switch_keeps_answers_and_shows_the_chosen_language(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"}, action="lang:en")
    assert "Who is answering?" in respondent.html
    assert 'lang="en"' in respondent.html
    assert 'value="pasient" checked' in respondent.html
    respondent.post({"q:rolle": "pasient"}, action="lang:nn")
    assert "Kven svarar?" in respondent.html
    assert "Alder" in respondent.html  # no nynorsk text: falls back to bokmål


def test_unknown_link_gets_a_friendly_404(client):
    response = client.get("/s/finnes-ikke")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.get_data(True)


def test_closed_link_gets_a_friendly_410_also_mid_form(app, client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    link = db.scalar(select(CollectionLink).where(CollectionLink.token == token))
    close_link(db, link.id)
    assert client.get(f"/s/{token}").status_code == 410
    response = respondent.post({"q:rolle": "pasient"})
    assert response.status_code == 410
    assert "Undersøkelsen er avsluttet" in respondent.html


def test_form_pages_are_not_cached_on_shared_tablets(client, token):
    response = client.get(f"/s/{token}")
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src" not in response.headers["Content-Security-Policy"]  # default-src 'self'
    assert "<script>" not in response.get_data(True)  # no inline script


def test_page_carries_a_fresh_submission_key_per_visit(client, token):
    first = client.get(f"/s/{token}").get_data(True)
    second = client.get(f"/s/{token}").get_data(True)
    assert hidden_value(first, "key") != hidden_value(second, "key")


def test_a_database_failure_shows_the_filled_form_again_and_stores_nothing(
    client, db, token, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from surveyapp.web import public

    def failing_store(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({})
    monkeypatch.setattr(public, "store_response", failing_store)
    response = respondent.post({"q:kort": "trygt"})
    assert response.status_code == 503
    assert "Svarene dine er ikke borte" in respondent.html
    assert 'value="trygt"' in respondent.html
    assert 'value="pasient"' in respondent.html  # earlier pages still carried
    assert response_count(db) == 0
    monkeypatch.undo()
    assert respondent.post({"q:kort": "trygt"}).status_code == 303
    assert response_count(db) == 1


def test_showing_a_page_again_checks_and_stores_nothing(client, db, token):
    """What the browser asks for on Back, Forward or reopening the link: the page as it was."""
    from werkzeug.datastructures import MultiDict

    from tests.helpers import form_fields

    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    fields = [(n, "0" if n == "page" else v) for n, v in form_fields(respondent.html)]
    shown = client.post(
        f"/s/{token}", data=MultiDict([*fields, ("q:antall", "150"), ("action", "show")])
    )
    html = shown.get_data(True)
    assert shown.status_code == 200
    assert hidden_value(html, "page") == "0"
    assert ("q:rolle", "pasient") in form_fields(html)  # checked again, as it was answered
    assert ("q:antall", "150") in form_fields(html)  # kept for its page, not checked
    assert "Skriv et tall" not in html
    assert response_count(db) == 0


def test_a_used_key_sent_with_other_answers_is_refused_and_the_first_answers_kept(
    client, db, token
):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient", "q:alder": "u30"})
    respondent.post({"q:mott": "ja", "q:hjalp": "4", "q:hvordan": ["hap"]})
    last_page = respondent.html
    assert respondent.post({"q:antall": "12"}).status_code == 303
    assert response_count(db) == 1

    respondent.html = last_page  # the same form sent again, with another answer
    again = respondent.post({"q:antall": "13"})
    assert again.status_code == 409
    assert "allerede sendt" in again.get_data(True)
    assert response_count(db) == 1
    assert stored_answers(db)["antall"] == ["12"]

    respondent.html = last_page  # and the same answers again: a retry, stored once
    assert respondent.post({"q:antall": "12"}).status_code == 303
    assert response_count(db) == 1


def test_an_answer_that_cannot_be_combined_is_named_in_the_message(client, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({"q:mott": "ja", "q:hvordan": ["hap", "vet_ikke"]})
    assert "«Vet ikke» kan ikke kombineres med andre svar." in respondent.html
    respondent.post({"q:mott": "ja", "q:hvordan": ["hap", "_declined"]})
    assert "«Vil ikke svare» kan ikke kombineres med andre svar." in respondent.html
