"""Hypothesis throws hostile form posts at the public form: never a 500, never a half-written
response, and every stored response came from a request that was told it was stored."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from surveyapp.collect.versions import current_version
from surveyapp.db.models import Answer, Response
from tests.conftest import make_link
from tests.helpers import hidden_value

NAMES = st.sampled_from(
    [
        "q:rolle",
        "q:alder",
        "q:mott",
        "q:hjalp",
        "q:hvordan",
        "q:involvert.info",
        "q:antall",
        "q:bra",
        "q:kort",
        "q:finnes_ikke",
        "page",
        "version",
        "key",
        "js",
        "shown",
        "action",
        "csrf_token",
        "q:",
        "q:rolle.x",
        "💥",
    ]
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "pasient",
            "parorende",
            "ja",
            "nei",
            "4",
            "9",
            "_declined",
            "hap",
            "vet_ikke",
            "0",
            "3",
            "-1",
            "1e309",
            "nan",
            "next",
            "back",
            "lang:en",
            "lang:xx",
            "",
        ]
    ),
    st.text(max_size=300),
)
OK = {200, 303, 400, 404, 410, 413, 429}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=st.lists(st.tuples(NAMES, VALUES), max_size=25), keep_state=st.booleans())
def test_hostile_posts_never_break_or_half_write(app, fields, keep_state):
    client = app.test_client()
    token = app.extensions.setdefault("fuzz_link", make_link(app))
    page = client.get(f"/s/{token}").get_data(True)
    state = []
    if keep_state:
        with app.extensions["db_sessionmaker"]() as session:
            version = current_version(session, "flyt").id
        state = [
            ("csrf_token", hidden_value(page, "csrf_token")),
            ("version", str(version)),
            ("page", "3"),
            ("key", hidden_value(page, "key")),
        ]
    response = client.post(f"/s/{token}", data=MultiDict(state + fields))
    assert response.status_code in OK, response.status_code
    with app.extensions["db_sessionmaker"]() as session:
        stored = session.scalar(select(func.count()).select_from(Response))
        orphans = session.scalar(
            select(func.count())
            .select_from(Answer)
            .where(~Answer.response_id.in_(select(Response.id)))
        )
    assert orphans == 0
    stored_before = app.extensions.get("fuzz_stored", 0)
    assert stored - stored_before == (1 if response.status_code == 303 else 0)
    app.extensions["fuzz_stored"] = stored
