"""PostgreSQL restarted in the middle of a burst of submissions: the clients are told to try
again (503, their answers handed back), and after retrying every response is stored once."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from surveyapp.collect.versions import current_version
from surveyapp.db import make_engine
from surveyapp.db.models import Response
from tests.conftest import make_link

CLIENTS, EACH = 6, 5  # EACH: submissions per client after the restart


def restart_postgres() -> None:
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def submit_until_stored(session, base: str, token: str, fields: list, outcomes: list) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            response = session.post(
                f"{base}/s/{token}", data=fields, allow_redirects=False, timeout=30
            )
        except requests.RequestException:
            outcomes.append("connection")
            time.sleep(0.2)
            continue
        outcomes.append(response.status_code)
        if response.status_code == 303:
            return
        assert response.status_code == 503, response.status_code
        assert "Send igjen" in response.text  # the answers came back, ready to resend
        time.sleep(0.2)
    raise AssertionError("never stored")


@pytest.mark.serial  # the restart cuts every other test's connections too
@pytest.mark.skipif(shutil.which("pg_ctlcluster") is None, reason="needs a local PostgreSQL")
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_restart_during_a_burst_loses_and_duplicates_nothing(app, database_url, live_server):
    app.config["SUBMIT_RATE"] = ""  # a burst from one address is what the limit stops
    token = make_link(app)
    with app.extensions["db_sessionmaker"]() as session:
        version = current_version(session, "flyt").id
    client = requests.Session()
    page = client.get(f"{live_server}/s/{token}").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    outcomes: list = []
    errors: list = []
    submitted: list = []
    restarted = threading.Event()

    def fields() -> list:
        return [
            ("csrf_token", csrf),
            ("version", str(version)),
            ("page", "3"),
            ("key", secrets.token_urlsafe(18)),
            ("js", "1"),
            ("action", "next"),
            ("q:rolle", "pasient"),
            ("q:kort", "trygt"),
        ]

    def client_thread():
        sender = requests.Session()
        sender.cookies.update(client.cookies)
        after_restart = 0
        while after_restart < EACH:  # keep sending through the restart and a while after
            job = fields()
            try:
                submit_until_stored(sender, live_server, token, job, outcomes)
                submitted.append(job)
            except AssertionError as exc:
                errors.append(str(exc))
                return
            after_restart += restarted.is_set()
        sender.close()

    threads = [threading.Thread(target=client_thread) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    while len(outcomes) < 10:  # the burst is under way
        time.sleep(0.05)
    restart_postgres()
    restarted.set()
    for thread in threads:
        thread.join(180)
    assert errors == []
    engine = make_engine(database_url)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Response))
        keys = connection.scalar(select(func.count(func.distinct(Response.submission_key))))
    engine.dispose()
    assert stored == keys == len(submitted)  # every one stored, none twice
