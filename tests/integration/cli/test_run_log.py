"""`surveyapp run`'s request log: no address, no time of day, no token, nothing for /s/."""

from __future__ import annotations

import logging
import re

import requests


def test_the_request_log_has_no_token_no_time_and_no_public_lines(
    app, runner, live_server, caplog, token
):
    setup = re.search(r"/oppsett/(\S+)", runner.invoke(args=["init"]).output).group(1)
    caplog.set_level(logging.INFO, logger="werkzeug")
    with requests.Session() as browser:
        browser.get(f"{live_server}/oppsett/{setup}?x=1")
        browser.get(f"{live_server}/passord/hemmelig-lenke-123")
        browser.get(f"{live_server}/s/{token}")
        browser.post(f"{live_server}/s/{token}", data={"page": "0"})
        browser.get(f"{live_server}/s/{token}/takk")
        browser.get(f"{live_server}/logg-inn")
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    log = "\n".join(lines)
    assert '"GET /oppsett/…" 200' in log
    assert '"GET /passord/…" 410' in log
    assert '"GET /logg-inn" 200' in log
    assert setup not in log and "hemmelig" not in log and token not in log
    assert "/s/" not in log
    assert not re.search(r"\d\d:\d\d:\d\d|\d{4}-\d\d-\d\d|/\w{3}/\d{4}", log)
    assert "127.0.0.1" not in log


def test_redacted_path_hides_every_token():
    from surveyapp.web import redacted_path

    assert redacted_path("/oppsett/abc?x=1") == "/oppsett/…"
    assert redacted_path("/passord/abc") == "/passord/…"
    assert redacted_path("/s/abc/takk") == "/s/…/takk"
    assert redacted_path("/intervju/api/utkast/d123") == "/intervju/api/utkast/…"
    assert redacted_path("/rapporter/pasient?dps=a") == "/rapporter/pasient"


def test_an_error_on_a_route_with_a_token_is_logged_without_the_token(app, caplog, monkeypatch):
    from surveyapp import accounts

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts, "valid_token", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    caplog.set_level(logging.ERROR)
    response = app.test_client().get("/oppsett/hemmelig-token-42")
    assert response.status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/oppsett/…" in logged
    assert "hemmelig-token-42" not in logged
