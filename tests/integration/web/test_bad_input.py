"""Tampered, broken and oversized submissions: a clear answer, and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyapp.db.models import Answer, Response
from tests.helpers import Respondent, form_fields


def nothing_stored(db) -> bool:
    return (
        db.scalar(select(func.count()).select_from(Response)) == 0
        and db.scalar(select(func.count()).select_from(Answer)) == 0
    )


def on_last_page(client, token) -> Respondent:
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({})
    assert "Til slutt" in respondent.html
    return respondent


def test_unknown_question_id_is_refused_whole(client, db, token):
    respondent = on_last_page(client, token)
    response = respondent.post({"q:finnes_ikke": "x"})
    assert response.status_code == 400
    assert "Ingenting er lagret" in respondent.html
    assert nothing_stored(db)


def test_value_not_among_the_choices_gets_a_message_beside_the_field(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    response = respondent.post({"q:rolle": "sjef"})
    assert response.status_code == 200
    assert "Velg ett av svaralternativene." in respondent.html
    assert nothing_stored(db)


def test_text_over_the_limit_is_refused_with_a_message(client, db, token):
    respondent = on_last_page(client, token)
    respondent.post({"q:bra": "x" * 51})
    assert "Teksten er for lang: høyst 50 tegn." in respondent.html
    assert nothing_stored(db)


@pytest.mark.parametrize(
    ("value", "message"),
    [("mange", "Skriv et tall"), ("2,5", "Skriv et helt tall"), ("101", "fra 0 til 100")],
)
def test_number_out_of_bounds_or_not_a_number_gets_a_message(client, db, token, value, message):
    respondent = on_last_page(client, token)
    respondent.post({"q:antall": value})
    assert message in respondent.html
    assert nothing_stored(db)


def test_two_values_for_a_single_choice_are_refused(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": ["pasient", "parorende"]})
    assert "Velg bare ett svar." in respondent.html


def test_exclusive_choice_cannot_be_combined(client, db, token):
    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({"q:mott": "ja", "q:hvordan": ["hap", "vet_ikke"]})
    assert "kan ikke kombineres" in respondent.html


@pytest.mark.parametrize("field", ["version", "page", "key"])
def test_tampered_form_state_is_refused(client, db, token, field):
    respondent = on_last_page(client, token)
    respondent.html = respondent.html.replace(
        f'name="{field}" value="', f'name="{field}" value="!9'
    )
    response = respondent.post({})
    assert response.status_code == 400
    assert nothing_stored(db)


def test_version_of_another_questionnaire_is_refused(app, client, db, token):
    from surveyapp.collect.versions import current_version

    other = current_version(db, "pasient").id
    respondent = on_last_page(client, token)
    fields = [(n, str(other) if n == "version" else v) for n, v in form_fields(respondent.html)]
    response = client.post(f"/s/{token}", data=dict(fields + [("action", "next")]))
    assert response.status_code == 400
    assert nothing_stored(db)


def test_missing_or_wrong_csrf_token_is_refused(client, db, token):
    respondent = on_last_page(client, token)
    respondent.html = respondent.html.replace(
        'name="csrf_token" value="', 'name="csrf_token" value="x'
    )
    response = respondent.post({})
    assert response.status_code == 400
    assert "Skjemaet er utløpt" in respondent.html
    fields = [(n, v) for n, v in form_fields(on_last_page(client, token).html) if n != "csrf_token"]
    assert client.post(f"/s/{token}", data=dict(fields)).status_code == 400
    assert nothing_stored(db)


def test_a_request_body_of_many_megabytes_is_refused(client, db, token):
    respondent = on_last_page(client, token)
    response = respondent.post({"q:bra": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413
    assert "for stort" in respondent.html
    assert nothing_stored(db)


def test_control_characters_are_removed_from_free_text(client, db, token):
    respondent = on_last_page(client, token)
    respondent.post({"q:kort": "tr\x00ygt\x1b"})
    assert db.scalar(select(Answer.value).where(Answer.question_id == "kort")) == "trygt"
