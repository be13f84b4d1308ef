"""The `surveyapp` command: init, check, user, link, export, purge, backup, restore, run
(also `flask --app surveyapp`)."""

from __future__ import annotations

import datetime as dt
import re
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


def _export_filters(questionnaire_id, period, mode, group, retired):
    """The export's filters, read by the one validation the dashboard uses (reports.filters):
    a period that exists, a mode and a group the questionnaire offers; --from, --to and
    --version are refused."""
    from surveyapp.collect.versions import current_version, questionnaire_of
    from surveyapp.reports.filters import (
        GROUP,
        MODE,
        PERIOD,
        allowed_groups,
        group_choices,
        mode_choices,
        parse_filters,
        problem_text,
    )
    from surveyapp.reports.periods import today
    from surveyapp.reports.summary import choosable_periods

    with _db() as session:
        version = current_version(session, questionnaire_id)
        if version is None:
            raise click.ClickException(gettext("Ukjent skjema: %(id)s", id=questionnaire_id))
        questionnaire = questionnaire_of(version)
        periods = [p.id for p in choosable_periods(session, questionnaire_id, today())]
    args = {PERIOD: period, MODE: mode, GROUP: group, **retired}
    parsed = parse_filters(
        {k: v for k, v in args.items() if v},
        periods=periods,
        modes=mode_choices(questionnaire),
        groups=allowed_groups(group_choices(questionnaire, "nb")),
    )
    if parsed.problems:
        raise click.UsageError(
            "\n".join(problem_text(p, gettext) for p in parsed.problems)
            + "\n"
            + gettext("Perioder som kan velges: %(periods)s", periods=", ".join(periods))
        )
    return parsed.filters


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--period", help="a half-year, e.g. 2026-H1 (default: the latest that has ended)")
@click.option("--mode", help="self or interview (default: both)")
@click.option("--group", help="a report group and value, e.g. rolle:pasient")
@click.option("--language", type=click.Choice(["nb", "nn", "en"]), default="nb")
@click.option("--output", type=click.Path(dir_okay=False), help="default: exports/<name>.xlsx")
@click.option("--from", "date_from", hidden=True)
@click.option("--to", "date_to", hidden=True)
@click.option("--version", "version_ids", multiple=True, hidden=True)
@with_appcontext
def export_command(
    questionnaire_id, period, mode, group, language, output, date_from, date_to, version_ids
) -> None:
    """Write the Excel workbook of one period into exports/ (protected as the dashboard is)."""
    from flask_babel import force_locale

    from surveyapp.reports.excel import save_workbook
    from surveyapp.reports.model import Filters
    from surveyapp.reports.summary import build_report

    retired = {"fra": date_from, "til": date_to, "versjon": list(version_ids)}
    filters = _export_filters(questionnaire_id, period, mode, group, retired)
    with _db() as session, click.progressbar(length=3, label=gettext("Eksporterer")) as bar:
        try:
            report = build_report(
                session,
                questionnaire_id,
                filters=filters,
                language=language,
                min_count=current_app.config["MIN_CELL_COUNT"],
                secret=str(current_app.config["SECRET_KEY"]).encode(),
            )
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
        if not report.published:
            raise click.ClickException(
                gettext(
                    "Halvåret %(period)s er ikke over; tallene kan eksporteres fra %(date)s.",
                    period=report.period,
                    date=report.publish_on.isoformat(),
                )
            )
        filters = Filters(report.period, filters.mode, filters.group)
        bar.update(1)
        path = (
            Path(output)
            if output
            else export_path(
                current_app.config["EXPORTS_DIR"], export_name(questionnaire_id, filters)
            )
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        with force_locale(language):
            save_workbook(report, path, gettext)
        bar.update(1)
        _audit_export(session, questionnaire_id, filters, str(path))
        bar.update(1)
    click.echo(str(path))


def export_path(exports_dir: str | Path, name: str) -> Path:
    """Where an export named `name` goes: a file directly inside the exports folder, whatever
    the name holds (a filter value such as "../../x" becomes part of the file name, never a
    way out of the folder)."""
    directory = Path(exports_dir).resolve()
    safe = re.sub(r"[^\w.-]+", "_", name).lstrip(".") or "export.xlsx"
    path = (directory / safe).resolve()
    if path.parent != directory:
        raise click.ClickException(f"the export would be written outside {directory}")
    return path


def export_name(questionnaire_id: str, filters) -> str:
    """brukerstemmen-pasient-2026-H1[-self][-rolle-pasient]-2026-11-24.xlsx"""
    parts = ["brukerstemmen", questionnaire_id]
    if filters.period:
        parts.append(filters.period)
    if filters.mode:
        parts.append(filters.mode)
    if filters.group:
        parts.append("-".join(filters.group))
    parts.append(dt.date.today().isoformat())
    return "-".join(parts) + ".xlsx"


def _audit_export(session, questionnaire_id: str, filters, target: str) -> None:
    """An audit entry for an export, with the filters as the dashboard writes them."""
    import getpass

    from surveyapp import audit
    from surveyapp.reports.filters import filter_args

    audit.record_release(
        session,
        None,
        audit.EXPORT,
        questionnaire_id,
        filter_args(filters),
        file=target,
        username=f"cli:{getpass.getuser()}",
    )


@click.command("demo-data")
@click.option("--responses", "count", type=click.IntRange(1, 2_000_000), required=True)
@click.option("--questionnaire", "questionnaire_id", default="pasient", show_default=True)
@click.option("--seed", type=int, default=None)
@with_appcontext
def demo_data_command(count: int, questionnaire_id: str, seed: int | None) -> None:
    """Fill the database with synthetic responses (refused if it holds real ones)."""
    from surveyapp.demo import RealResponsesPresent, fill_demo_data

    with _db() as session, click.progressbar(length=count, label=gettext("Lager demodata")) as bar:
        try:
            fill_demo_data(
                session,
                questionnaire_id,
                count,
                seed=seed,
                date_precision=current_app.config["DATE_PRECISION"],
                progress=bar.update,
            )
        except RealResponsesPresent as exc:
            raise click.ClickException(
                gettext(
                    "Databasen har ekte svar. Demodata lages bare i en database uten ekte svar."
                )
            ) from exc
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(gettext("%(n)s syntetiske svar er lagt inn.", n=count))


def _cli_actor():
    import getpass

    from surveyapp.collect.lifecycle import Actor

    return Actor(username=f"cli:{getpass.getuser()}")


@click.command("purge")
@click.option(
    "--months",
    type=click.IntRange(min=1),
    help="delete responses older than this many calendar months (default: "
    "SURVEYAPP_RETENTION_MONTHS)",
)
@click.option("--dry-run", is_flag=True, help="only count what would be deleted")
@with_appcontext
def purge_command(months: int | None, dry_run: bool) -> None:
    """Delete responses older than the retention period, written to the audit log."""
    from flask_babel import ngettext

    from surveyapp.collect.lifecycle import count_older_than, purge_cutoff, purge_older_than

    months = months or current_app.config.get("RETENTION_MONTHS")
    if not months:
        raise click.ClickException(
            gettext(
                "Ingen oppbevaringstid er satt. Bruk --months N, eller sett "
                "SURVEYAPP_RETENTION_MONTHS. Ingenting er slettet."
            )
        )
    today = dt.date.today()
    cutoff = purge_cutoff(months, today).isoformat()
    with _db() as session:
        if dry_run:
            n = count_older_than(session, months, today)
            click.echo(
                ngettext(
                    "%(num)s svar er fra før %(cutoff)s og ville blitt slettet. "
                    "Ingenting er slettet (--dry-run).",
                    "%(num)s svar er fra før %(cutoff)s og ville blitt slettet. "
                    "Ingenting er slettet (--dry-run).",
                    n,
                    cutoff=cutoff,
                )
            )
            return
        n = purge_older_than(session, months, today, by=_cli_actor())
    click.echo(
        ngettext(
            "%(num)s svar fra før %(cutoff)s er slettet.",
            "%(num)s svar fra før %(cutoff)s er slettet.",
            n,
            cutoff=cutoff,
        )
    )


def _backup_error(exc, path: Path) -> click.ClickException:
    values = exc.values
    kinds = {"sqlite": "SQLite", "postgresql": "PostgreSQL", None: gettext("ukjent")}
    messages = {
        "file_missing": lambda: gettext("Fant ingen fil: %(path)s", path=str(path)),
        "not_a_file": lambda: gettext("%(path)s er en mappe, ikke en fil.", path=str(path)),
        "wrong_format": lambda: gettext(
            "Filen er ikke en sikkerhetskopi for denne databasen (fant: %(found)s, "
            "databasen er %(expected)s). Ingenting er endret.",
            found=kinds.get(values.get("found"), values.get("found")),
            expected=kinds.get(values.get("expected"), values.get("expected")),
        ),
        "not_a_surveyapp_backup": lambda: gettext(
            "Filen er ikke en sikkerhetskopi av Brukerstemmen. Ingenting er endret."
        ),
        "schema_mismatch": lambda: gettext(
            "Sikkerhetskopien gjelder skjemaet %(found)s i PostgreSQL, men databasen bruker "
            "%(expected)s. Ingenting er endret.",
            **values,
        ),
        "has_responses": lambda: gettext(
            "Databasen har %(n)s svar. Gjenoppretting erstatter alt som er der; bruk --yes "
            "hvis det er meningen. Ingenting er endret.",
            **values,
        ),
        "tool_missing": lambda: gettext(
            "Fant ikke %(tool)s. Installer PostgreSQL-klientverktøyene (for eksempel "
            "pakken postgresql-client) i samme versjon som serveren.",
            **values,
        ),
        "tool_failed": lambda: gettext(
            "%(tool)s feilet. Ingenting er endret. Melding: %(message)s", **values
        ),
        "sqlite_failed": lambda: gettext(
            "SQLite kunne ikke lese eller skrive filen: %(message)s", **values
        ),
        "unsupported_database": lambda: gettext(
            "Sikkerhetskopier støttes bare for SQLite og PostgreSQL, ikke %(dialect)s.", **values
        ),
    }
    message = messages.get(exc.code)
    return click.ClickException(message() if message else exc.code)


def _audit_backup(action: str, result) -> None:
    """A backup or a restore in the audit log: who (the CLI user), which file, how many
    responses it held."""
    from surveyapp import audit

    with _db() as session:
        audit.record(
            session,
            _cli_actor(),
            action,
            None,
            {"fil": str(Path(result.path).resolve()), "svar": result.responses},
        )


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a backup of the whole database to PATH (SQLite file or pg_dump archive)."""
    from surveyapp.db.backup import BackupError, backup

    try:
        result = backup(current_app.extensions["db_engine"], path)
    except BackupError as exc:
        raise _backup_error(exc, path) from exc
    _audit_backup("backup", result)
    click.echo(
        gettext(
            "Sikkerhetskopien er skrevet til %(path)s (%(n)s svar).",
            path=str(result.path),
            n=result.responses,
        )
    )


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="replace a database that holds responses")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in PATH (stop the app first)."""
    from surveyapp.db.backup import BackupError, restore

    try:
        result = restore(current_app.extensions["db_engine"], path, overwrite=yes)
    except BackupError as exc:
        raise _backup_error(exc, path) from exc
    _audit_backup("restore", result)  # into the restored log, which the restore replaced
    click.echo(
        gettext(
            "Databasen er gjenopprettet fra %(path)s (%(n)s svar). Kjør «surveyapp init» "
            "hvis sikkerhetskopien er fra en eldre versjon av Brukerstemmen.",
            path=str(result.path),
            n=result.responses,
        )
    )


class _NoAddressRequestHandler(WSGIRequestHandler):
    """The development server's request log: no client address, no time of day, no token
    (redacted_path), and no line at all for the public form (/s/...), whose lines counted
    and timed the responses as they were stored."""

    def address_string(self) -> str:
        return "-"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = getattr(self, "path", "")
        if path == "/s" or path.startswith("/s/"):
            return
        from surveyapp.web import redacted_path

        self.log("info", '"%s %s" %s', self.command, redacted_path(path), code)

    def log(self, type: str, message: str, *args) -> None:
        from werkzeug._internal import _log

        _log(type, f"{message}\n", *args)


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
        demo_data_command,
        purge_command,
        backup_command,
        restore_command,
        run_command,
    ):
        app.cli.add_command(command)


def main() -> None:
    from surveyapp import create_app_for_process

    FlaskGroup(
        create_app=create_app_for_process, add_default_commands=False, add_version_option=False
    )(prog_name="surveyapp")
