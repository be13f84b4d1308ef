"""The anonymity promise, proved on a real HTTP server: nothing about the device, the
network, the session or the time of day reaches the database or the request log."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import requests
from sqlalchemy import select, text

from surveyapp.db.models import Base
from tests.helpers import form_fields

USER_AGENT = "Mozilla/5.0 (Brukerstemmen-anonymity-probe-7f3a9)"
FORWARDED_FOR = "203.0.113.77"
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b")


def submit_over_http(base_url: str, token: str) -> requests.Session:
    browser = requests.Session()
    browser.headers.update({"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_FOR})
    html = browser.get(f"{base_url}/s/{token}").text
    for answers in ({"q:rolle": "pasient"}, {"q:mott": "nei"}, {"q:bra": "Trygge folk"}):
        # as a browser running the page's script: conditions already applied (js=1)
        fields = [(n, v) for n, v in form_fields(html) if n != "js"]
        fields += list(answers.items()) + [("js", "1"), ("action", "next")]
        response = browser.post(f"{base_url}/s/{token}", data=fields)
        assert response.status_code == 200
        html = response.text
    assert "Takk for at du svarte" in html
    return browser


def every_stored_value(db) -> list[str]:
    values = []
    for table in Base.metadata.sorted_tables:
        for row in db.execute(select(table)):
            values.extend(str(v) for v in row)
    return values


def test_no_device_network_session_or_time_of_day_is_stored(app, db, token, live_server, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    browser = submit_over_http(live_server, token)
    cookies = [c.value for c in browser.cookies]
    assert cookies, "the form sets a session cookie (for CSRF); its value must not be stored"

    stored = "\n".join(every_stored_value(db))
    for secret in [USER_AGENT, "anonymity-probe", FORWARDED_FOR, "127.0.0.1", *cookies]:
        assert secret not in stored
    response_rows = db.execute(text("SELECT * FROM response")).all()
    answer_rows = db.execute(text("SELECT * FROM answer")).all()
    assert len(response_rows) == 1 and answer_rows
    for row in response_rows + answer_rows:
        for value in row:
            assert not TIME_OF_DAY.search(str(value)), f"time of day stored: {value!r}"

    url = app.config["SQLALCHEMY_DATABASE_URL"]
    if url.startswith("sqlite"):
        db.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        path = Path(url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        for secret in [USER_AGENT, FORWARDED_FOR, *cookies]:
            assert secret.encode() not in raw

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert (
        "/s/" not in logged
    )  # the public form leaves no line (tests/integration/cli/test_run_log.py)
    assert "127.0.0.1" not in logged and FORWARDED_FOR not in logged


def test_response_columns_are_exactly_those_the_promise_allows():
    columns = set(Base.metadata.tables["response"].columns.keys())
    assert columns == {
        "id",
        "questionnaire_version_id",
        "dps_id",
        "mode",
        "submitted_on",
        "date_precision",
        "submission_key",
        # an HMAC of the submission keyed with the client's key (not stored): nothing the
        # answers do not already say, and not even that to anyone without the key
        "payload_hash",
        "synthetic",
    }


def test_answer_columns_add_nothing_a_response_does_not_already_store():
    columns = set(Base.metadata.tables["answer"].columns.keys())
    assert columns == {
        "response_id",
        "question_id",
        "position",
        "value",
        "number",
        "review",
        # copies of the response's own columns, for counting without a join
        "questionnaire_version_id",
        "dps_id",
        "mode",
        "submitted_on",
    }


def test_free_text_is_scrubbed_before_it_is_stored(client, db, token):
    from tests.helpers import Respondent

    respondent = Respondent(client, token)
    respondent.start()
    respondent.post({"q:rolle": "pasient"})
    respondent.post({})
    respondent.post({"q:bra": "Ring 912 34 567", "q:kort": "ola@example.no"})
    stored = dict(db.execute(text("SELECT question_id, value FROM answer")).all())
    assert stored["bra"] == "Ring [fjernet]"
    assert stored["kort"] == "[fjernet]"
