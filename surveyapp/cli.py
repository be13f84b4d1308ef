"""The `surveyapp` command: init, check, user, link, export, run (also `flask --app surveyapp`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext
from werkzeug.serving import WSGIRequestHandler, run_simple

from surveyapp.questionnaire import Problem, load_directory, load_file


def _db():
    return current_app.extensions["db_sessionmaker"]()


def format_problem(problem: Problem) -> str:
    """`file:line:col: message`, the message in the CLI's language."""
    return f"{problem.file}:{problem.line}:{problem.col}: {problem.translate(gettext)}"


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Migrate the database, load the DPS registry and the questionnaires."""
    from surveyapp.accounts import issue_first_admin_token
    from surveyapp.collect.versions import sync_versions
    from surveyapp.db import upgrade
    from surveyapp.db.seed import sync_registry
    from surveyapp.registry import RegistryError, load_registry

    upgrade(current_app.extensions["db_engine"])
    try:
        areas, units = load_registry()
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    questionnaires, problems = load_directory(Path(current_app.config["QUESTIONNAIRES_DIR"]))
    if problems:
        for problem in problems:
            click.echo(format_problem(problem), err=True)
        raise click.ClickException(
            gettext("Skjemaene har feil (se over). Ingenting er lastet inn.")
        )
    with _db() as session, session.begin():
        counts = sync_registry(session, areas, units)
        changed = sync_versions(session, questionnaires)
    click.echo(
        gettext(
            "Databasen er klar. DPS-er nye: %(added)s, endret: %(updated)s, "
            "deaktivert: %(deactivated)s.",
            **counts,
        )
    )
    click.echo(
        gettext(
            "Skjemaer lastet: %(n)s. Nye versjoner: %(changed)s",
            n=len(questionnaires),
            changed=", ".join(changed) or "-",
        )
    )
    with _db() as session:
        token = issue_first_admin_token(session)
    if token:
        base = _public_base_url()
        click.echo(gettext("Lag den første administratoren med denne engangslenken:"))
        click.echo(f"  {base}/oppsett/{token}")


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def check_command(paths: tuple[str, ...]) -> None:
    """Check questionnaire files; print every problem as file:line:col: message."""
    failed = False
    for path in paths:
        result = load_file(Path(path))
        for problem in result.problems:
            click.echo(format_problem(problem))
        failed = failed or bool(result.problems)
        if not result.problems:
            click.echo(f"{path}: OK")
    sys.exit(1 if failed else 0)


@click.group("link")
def link_group() -> None:
    """Public collection links per DPS and questionnaire."""


@link_group.command("create")
@click.option("--dps", "dps_id", required=True, help="DPS id, e.g. nidaros")
@click.option("--questionnaire", "questionnaire_id", required=True, help="e.g. pasient")
@with_appcontext
def link_create(dps_id: str, questionnaire_id: str) -> None:
    from surveyapp.collect.links import LinkError, create_link

    with _db() as session:
        try:
            link = create_link(session, dps_id, questionnaire_id)
        except LinkError as exc:
            raise click.ClickException(str(exc)) from exc
        base = _public_base_url()
        click.echo(f"{base}/s/{link.token}")


@link_group.command("list")
@with_appcontext
def link_list() -> None:
    from surveyapp.collect.links import all_links

    with _db() as session:
        for link in all_links(session):
            state = "open" if link.is_open else "closed"
            click.echo(
                f"{link.id}\t{link.dps_id}\t{link.questionnaire_id}\t{state}\t/s/{link.token}"
            )


def _public_base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def _account_error(exc) -> click.ClickException:
    from surveyapp.accounts import MAX_USERNAME_LENGTH, ROLES

    messages = {
        "role_invalid": gettext("Ukjent rolle. Velg en av: %(roles)s.", roles=", ".join(ROLES)),
        "username_invalid": gettext(
            "Brukernavnet må ha 1 til %(n)s tegn og ikke begynne eller slutte med mellomrom.",
            n=MAX_USERNAME_LENGTH,
        ),
        "username_taken": gettext("Brukernavnet er tatt."),
        "user_unknown": gettext("Fant ingen bruker med det brukernavnet."),
        "user_disabled": gettext("Brukeren er deaktivert. Aktiver brukeren først."),
        "last_admin": gettext("Dette er den siste aktive administratoren og kan ikke deaktiveres."),
    }
    return click.ClickException(messages.get(exc.code, exc.code))


@click.group("user")
def user_group() -> None:
    """User accounts: invite, disable, enable, reset access, list."""


@user_group.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, help="admin, interviewer or analyst")
@with_appcontext
def user_create(username: str, role: str) -> None:
    """Create a user and print a one-time link for choosing a password."""
    from surveyapp.accounts import AccountError, create_user

    with _db() as session:
        try:
            _, token = create_user(session, username, role)
        except AccountError as exc:
            raise _account_error(exc) from exc
    click.echo(f"{_public_base_url()}/passord/{token}")


def _set_active(username: str, active: bool) -> None:
    from surveyapp.accounts import AccountError, find_user, set_active

    with _db() as session:
        try:
            set_active(session, find_user(session, username).id, active)
        except AccountError as exc:
            raise _account_error(exc) from exc


@user_group.command("disable")
@click.option("--username", required=True)
@with_appcontext
def user_disable(username: str) -> None:
    """Disable a user and end their sessions at once."""
    _set_active(username, False)
    click.echo(gettext("%(username)s er deaktivert og logget ut.", username=username))


@user_group.command("enable")
@click.option("--username", required=True)
@with_appcontext
def user_enable(username: str) -> None:
    """Enable a disabled user again."""
    _set_active(username, True)
    click.echo(gettext("%(username)s er aktivert igjen.", username=username))


@user_group.command("reset")
@click.option("--username", required=True)
@with_appcontext
def user_reset(username: str) -> None:
    """Sign a user out everywhere, void their password, print a new one-time link."""
    from surveyapp.accounts import AccountError, find_user, reset_access

    with _db() as session:
        try:
            token = reset_access(session, find_user(session, username).id)
        except AccountError as exc:
            raise _account_error(exc) from exc
    click.echo(f"{_public_base_url()}/passord/{token}")


@user_group.command("list")
@with_appcontext
def user_list() -> None:
    """Every user: name, role, active or disabled."""
    from surveyapp.accounts import all_users, has_password

    with _db() as session:
        for user in all_users(session):
            state = "active" if user.active else "disabled"
            if user.active and not has_password(user):
                state = "invited"
            click.echo(f"{user.username}\t{user.role}\t{state}")


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--output", type=click.Path(dir_okay=False), help="default: exports/<name>.xlsx")
@with_appcontext
def export_command(questionnaire_id: str, output: str | None) -> None:
    """Write an Excel summary per DPS into exports/ (small counts suppressed)."""
    from surveyapp.reports.excel import write_summary_workbook

    with _db() as session:
        try:
            path = write_summary_workbook(
                session,
                questionnaire_id,
                min_count=current_app.config["MIN_CELL_COUNT"],
                exports_dir=Path(current_app.config["EXPORTS_DIR"]),
                output=Path(output) if output else None,
            )
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(str(path))


class _NoAddressRequestHandler(WSGIRequestHandler):
    """The development server's request log, without the client's IP address."""

    def address_string(self) -> str:
        return "-"


@click.command("run")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--debug/--no-debug", default=False)
@with_appcontext
def run_command(host: str, port: int, debug: bool) -> None:
    """Serve the app (development server; use gunicorn in production)."""
    click.echo(gettext("Brukerstemmen kjører på http://%(host)s:%(port)s", host=host, port=port))
    run_simple(
        host,
        port,
        current_app._get_current_object(),
        threaded=True,
        use_debugger=debug,
        request_handler=_NoAddressRequestHandler,
    )


def init_app(app: Flask) -> None:
    for command in (
        init_command,
        check_command,
        user_group,
        link_group,
        export_command,
        run_command,
    ):
        app.cli.add_command(command)


def main() -> None:
    from surveyapp import create_app

    FlaskGroup(create_app=create_app, add_default_commands=False, add_version_option=False)(
        prog_name="surveyapp"
    )
