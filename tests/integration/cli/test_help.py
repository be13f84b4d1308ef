"""`surveyapp --help` and every command's help: the tool's own, in bokmål, without Flask's
generic options; Click's own texts (usage, errors) in bokmål too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from surveyapp.cli import cli

SURVEYAPP = Path(sys.executable).with_name("surveyapp")


def all_commands(group: click.Group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*path, name))


def test_the_installed_command_describes_the_tool_without_flask_options():
    result = subprocess.run(
        [SURVEYAPP, "--help"], capture_output=True, text=True, check=True, timeout=60
    )
    out = result.stdout
    assert out.startswith("Bruk: surveyapp [VALG] KOMMANDO [ARGUMENTER]...")
    assert "Brukerstemmen: spørreskjema og intervjuer" in out
    for flask_option in ("--env-file", "-e,", "--app", "-A,", "python-dotenv", "FLASK_"):
        assert flask_option not in out
    assert "Valg:" in out and "Kommandoer:" in out
    for name in (
        "init",
        "check",
        "user",
        "link",
        "export",
        "protect",
        "purge",
        "backup",
        "restore",
        "run",
    ):
        assert f"\n  {name} " in out


@pytest.mark.parametrize("path", [p for p, _ in all_commands(cli)], ids=" ".join)
def test_every_command_and_subcommand_has_help_in_bokmal(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command = dict(all_commands(cli))[path]
    assert str(command.help).strip(), f"{' '.join(path)} has no help text"
    assert result.output.startswith(f"Bruk: surveyapp {' '.join(path)} [VALG]")
    for english in ("Usage:", "Options:", "Show this message", "[required]", "TEXT", "INTEGER"):
        assert english not in result.output
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "help" and not param.hidden:
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help text"


def test_clicks_own_refusals_are_in_bokmal_and_say_what_is_accepted():
    runner = CliRunner()
    missing = runner.invoke(cli, ["link", "create"])
    assert missing.exit_code == 2
    assert missing.output.splitlines() == [
        "Bruk: surveyapp link create [VALG]",
        "Skriv «surveyapp link create --help» for hjelp.",
        "",
        "Feil: Mangler valget '--dps'.",
    ]
    unknown = runner.invoke(cli, ["lenke"])
    assert "Feil: Kommandoen 'lenke' finnes ikke." in unknown.output
    choice = runner.invoke(cli, ["export", "--questionnaire", "pasient", "--language", "se"])
    assert "Feil: Ugyldig verdi for '--language': 'se' er ikke en av 'nb', 'nn', 'en'." in (
        choice.output
    )


def test_run_still_serves(tmp_path):
    """`surveyapp run` (what `make run` calls) still starts the server."""
    import os
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {
        "SURVEYAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "SURVEYAPP_SECRET_KEY": "x" * 40,
    }
    subprocess.run([SURVEYAPP, "init"], env=env, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen(
        [SURVEYAPP, "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        import requests

        for _ in range(100):
            try:
                response = requests.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert response.status_code == 200
        assert "Brukerstemmen" in response.text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_refused_setting_is_one_line_in_bokmal_without_a_traceback(tmp_path):
    import os

    env = os.environ | {
        "SURVEYAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "SURVEYAPP_RETENTION_MONTHS": "to år",
    }
    result = subprocess.run(
        [SURVEYAPP, "user", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Feil: SURVEYAPP_RETENTION_MONTHS må være et helt antall måneder (1 eller flere), "
        "ikke 'to år'.\n"
    )
