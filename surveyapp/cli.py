"""The `surveyapp` command: init, check, user, link, export, purge, backup, restore, run
(also `flask --app surveyapp`).

The command speaks bokmål throughout, Click's own texts ("Usage:", "Error:") included.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext
from flask_babel import gettext, lazy_gettext, ngettext
from werkzeug.serving import WSGIRequestHandler, run_simple

from surveyapp.questionnaire import Problem, load_directory, load_file


def N_(text: str) -> str:
    """Marks a text for the catalogue where it cannot be translated yet (Click reads it
    later, or needs a plain str); `gettext` translates it where it is shown."""
    return text


def _db():
    return current_app.extensions["db_sessionmaker"]()


def format_problem(problem: Problem) -> str:
    """`file:line:col: message`, the message in the CLI's language."""
    return f"{problem.file}:{problem.line}:{problem.col}: {problem.translate(gettext)}"


@click.command(
    "init",
    help=lazy_gettext(
        "Oppdaterer databasen og laster inn DPS-registeret og skjemaene. Så lenge ingen "
        "bruker finnes, skrives en engangslenke for den første administratoren."
    ),
)
@with_appcontext
def init_command() -> None:
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


@click.command(
    "check",
    help=lazy_gettext(
        "Sjekker skjemafiler (FIL ...). Hver feil skrives som fil:linje:kolonne: melding, og "
        "da er avslutningskoden 1. En tekst som mangler et språk filen lover (languages), "
        "gir bare en advarsel."
    ),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(), metavar="FIL...")
def check_command(paths: tuple[str, ...]) -> None:
    from surveyapp.questionnaire.translations_check import missing_translations

    failed = False
    for path in paths:
        result = load_file(Path(path))
        for problem in result.problems:
            click.echo(format_problem(problem))
        failed = failed or bool(result.problems)
        if result.problems:
            continue
        warnings = missing_translations(result.questionnaire)
        for warning in warnings:
            click.echo(format_missing_translation(warning))
        if warnings:
            click.echo(
                ngettext(
                    "%(path)s: OK, men %(num)s tekst mangler en oversettelse.",
                    "%(path)s: OK, men %(num)s tekster mangler en oversettelse.",
                    len(warnings),
                    path=path,
                )
            )
        else:
            click.echo(gettext("%(path)s: OK", path=path))
    sys.exit(1 if failed else 0)


def format_missing_translation(warning) -> str:
    """`file:line: advarsel: spørsmålet «id» mangler teksten på engelsk (en).`"""
    languages = {"nn": gettext("nynorsk"), "en": gettext("engelsk")}
    places = {
        "question": gettext("spørsmålet «%(id)s»", id=warning.id),
        "page": gettext("siden «%(id)s»", id=warning.id),
        "scale": gettext("skalaen «%(id)s»", id=warning.id),
        "questionnaire": gettext("skjemaet «%(id)s»", id=warning.id),
    }
    fields = {
        "text": gettext("teksten"),
        "help": gettext("hjelpeteksten"),
        "required_message": gettext("meldingen når svaret mangler"),
        "unit": gettext("enheten"),
        "interviewer_note": gettext("merknaden til intervjueren"),
        "choice": gettext("svaralternativet «%(value)s»", value=warning.detail),
        "item": gettext("delspørsmålet «%(value)s»", value=warning.detail),
        "title": gettext("tittelen"),
        "description": gettext("beskrivelsen"),
        "intro": gettext("innledningen"),
    }
    message = gettext(
        "advarsel: %(place)s mangler %(field)s på %(language)s (%(code)s).",
        place=places.get(warning.where, warning.id),
        field=fields.get(warning.field, warning.field),
        language=languages.get(warning.language, warning.language),
        code=warning.language,
    )
    return f"{warning.file}:{warning.line}: {message}"


_questionnaire_option = click.option(
    "--questionnaire",
    "questionnaire_id",
    required=True,
    metavar="ID",
    help=lazy_gettext("skjemaets id, for eksempel pasient"),
)


@click.group(
    "link",
    help=lazy_gettext(
        "Lenker til skjemaet for selvutfylling, én per DPS og skjema (plakatene lages på "
        "nettsiden Lenker og plakater)."
    ),
)
def link_group() -> None:
    pass


@link_group.command(
    "create",
    help=lazy_gettext(
        "Lager en lenke for ett DPS og ett skjema og skriver adressen (den begynner med "
        "SURVEYAPP_PUBLIC_URL)."
    ),
)
@click.option(
    "--dps",
    "dps_id",
    required=True,
    metavar="ID",
    help=lazy_gettext("DPS-ets id, for eksempel nidaros"),
)
@_questionnaire_option
@with_appcontext
def link_create(dps_id: str, questionnaire_id: str) -> None:
    from surveyapp.collect.links import create_link
    from surveyapp.collect.versions import current_versions, questionnaire_of
    from surveyapp.db.seed import active_units
    from surveyapp.questionnaire import Mode

    with _db() as session:
        units = [unit.id for unit in active_units(session)]
        if dps_id not in units:
            raise click.ClickException(
                gettext(
                    "Ukjent eller nedlagt DPS: %(id)s. Velg en av: %(ids)s.",
                    id=dps_id,
                    ids=", ".join(units),
                )
            )
        modes = {v.questionnaire_id: questionnaire_of(v).modes for v in current_versions(session)}
        self_fill = [qid for qid, m in modes.items() if Mode.SELF in m]
        if questionnaire_id not in self_fill:
            message = (
                gettext(
                    "Skjemaet %(id)s er en intervjuguide og har ingen lenke for selvutfylling.",
                    id=questionnaire_id,
                )
                if questionnaire_id in modes
                else gettext("Ukjent skjema: %(id)s.", id=questionnaire_id)
            )
            raise click.ClickException(
                message + " " + gettext("Velg en av: %(ids)s.", ids=", ".join(self_fill))
            )
        link = create_link(session, dps_id, questionnaire_id)
        click.echo(_public_link(link))


@link_group.command(
    "list",
    help=lazy_gettext(
        "Skriver alle lenkene, nyeste først: nummer, DPS, skjema, åpen eller stengt, adresse."
    ),
)
@with_appcontext
def link_list() -> None:
    from surveyapp.collect.links import all_links

    with _db() as session:
        for link in all_links(session):
            state = gettext("åpen") if link.is_open else gettext("stengt")
            click.echo(
                f"{link.id}\t{link.dps_id}\t{link.questionnaire_id}\t{state}\t{_public_link(link)}"
            )


def _public_link(link) -> str:
    return f"{_public_base_url()}/s/{link.token}"


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
        "user_unknown": gettext(
            "Fant ingen bruker med det brukernavnet. «surveyapp user list» viser brukerne."
        ),
        "user_disabled": gettext("Brukeren er deaktivert. Aktiver brukeren først."),
        "last_admin": gettext("Dette er den siste aktive administratoren og kan ikke deaktiveres."),
    }
    return click.ClickException(
        messages.get(exc.code) or gettext("Ukjent feil (%(code)s).", code=exc.code)
    )


@click.group(
    "user",
    help=lazy_gettext(
        "Brukerkontoer: invitere, deaktivere, aktivere, nullstille tilgang og liste dem."
    ),
)
def user_group() -> None:
    pass


_USERNAME_HELP = lazy_gettext("brukernavnet")
_NAME = "NAVN"


@user_group.command(
    "create",
    help=lazy_gettext(
        "Lager en bruker og skriver en engangslenke der brukeren velger sitt eget passord."
    ),
)
@click.option("--username", required=True, metavar=_NAME, help=_USERNAME_HELP)
@click.option("--role", required=True, help=lazy_gettext("admin, interviewer eller analyst"))
@with_appcontext
def user_create(username: str, role: str) -> None:
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


@user_group.command(
    "disable", help=lazy_gettext("Deaktiverer en bruker og logger brukeren ut med en gang.")
)
@click.option("--username", required=True, metavar=_NAME, help=_USERNAME_HELP)
@with_appcontext
def user_disable(username: str) -> None:
    _set_active(username, False)
    click.echo(gettext("%(username)s er deaktivert og logget ut.", username=username))


@user_group.command("enable", help=lazy_gettext("Aktiverer en deaktivert bruker igjen."))
@click.option("--username", required=True, metavar=_NAME, help=_USERNAME_HELP)
@with_appcontext
def user_enable(username: str) -> None:
    _set_active(username, True)
    click.echo(gettext("%(username)s er aktivert igjen.", username=username))


@user_group.command(
    "reset",
    help=lazy_gettext(
        "Logger brukeren ut overalt, gjør passordet ugyldig og skriver en ny engangslenke."
    ),
)
@click.option("--username", required=True, metavar=_NAME, help=_USERNAME_HELP)
@with_appcontext
def user_reset(username: str) -> None:
    from surveyapp.accounts import AccountError, find_user, reset_access

    with _db() as session:
        try:
            token = reset_access(session, find_user(session, username).id)
        except AccountError as exc:
            raise _account_error(exc) from exc
    click.echo(f"{_public_base_url()}/passord/{token}")


@user_group.command(
    "list",
    help=lazy_gettext(
        "Skriver alle brukerne: brukernavn, rolle og status (aktiv, invitert eller deaktivert)."
    ),
)
@with_appcontext
def user_list() -> None:
    from surveyapp.accounts import all_users, has_password

    with _db() as session:
        for user in all_users(session):
            state = gettext("aktiv") if user.active else gettext("deaktivert")
            if user.active and not has_password(user):
                state = gettext("invitert")
            click.echo(f"{user.username}\t{user.role}\t{state}")


def _export_filters(questionnaire_id, period, mode, group, level, retired):
    """The export's filters, read by the one validation the dashboard uses (reports.filters):
    a period that exists, a mode and a group the questionnaire offers; --from, --to and
    --version are refused, and so is a level finer than the questionnaire's reporting level."""
    from surveyapp.collect.versions import current_version, questionnaire_of
    from surveyapp.periods import today
    from surveyapp.reports.filters import (
        GROUP,
        LEVEL,
        MODE,
        PERIOD,
        allowed_groups,
        group_choices,
        mode_choices,
        parse_filters,
        problem_text,
    )
    from surveyapp.reports.summary import choosable_periods

    with _db() as session:
        version = current_version(session, questionnaire_id)
        if version is None:
            raise click.ClickException(_unknown_questionnaire(session, questionnaire_id))
        questionnaire = questionnaire_of(version)
        periods = [p.id for p in choosable_periods(session, questionnaire_id, today())]
    args = {PERIOD: period, MODE: mode, GROUP: group, LEVEL: level, **retired}
    parsed = parse_filters(
        {k: v for k, v in args.items() if v},
        periods=periods,
        modes=mode_choices(questionnaire),
        groups=allowed_groups(group_choices(questionnaire, "nb")),
        finest=questionnaire.reporting.level,
    )
    if parsed.problems:
        raise click.UsageError(
            "\n".join(problem_text(p, gettext) for p in parsed.problems)
            + "\n"
            + gettext("Perioder som kan velges: %(periods)s", periods=", ".join(periods))
        )
    return parsed.filters


def _unknown_questionnaire(session, questionnaire_id: str) -> str:
    from surveyapp.collect.versions import current_versions

    ids = ", ".join(v.questionnaire_id for v in current_versions(session))
    return gettext("Ukjent skjema: %(id)s. Velg en av: %(ids)s.", id=questionnaire_id, ids=ids)


@click.command(
    "export",
    help=lazy_gettext(
        "Skriver regnearket for ett halvår i exports/, beskyttet slik nettsidene er, og "
        "fører eksporten i handlingsloggen."
    ),
)
@_questionnaire_option
@click.option(
    "--period",
    help=lazy_gettext("et halvår, for eksempel 2026-H1 (standard: det siste som er over)"),
)
@click.option("--mode", help=lazy_gettext("self eller interview (standard: begge)"))
@click.option("--group", help=lazy_gettext("en rapportgruppe og verdi, for eksempel rolle:pasient"))
@click.option(
    "--level",
    help=lazy_gettext(
        "enhet, område, foretak eller trondelag (standard: det fineste skjemaet kan vises på)"
    ),
)
@click.option(
    "--language",
    type=click.Choice(["nb", "nn", "en"]),
    default="nb",
    help=lazy_gettext("språket i regnearket"),
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help=lazy_gettext("filen som skrives (standard: exports/<navn>.xlsx)"),
)
@click.option("--from", "date_from", hidden=True)
@click.option("--to", "date_to", hidden=True)
@click.option("--version", "version_ids", multiple=True, hidden=True)
@with_appcontext
def export_command(
    questionnaire_id, period, mode, group, level, language, output, date_from, date_to, version_ids
) -> None:
    from dataclasses import replace

    from flask_babel import force_locale

    from surveyapp.reports.excel import save_workbook
    from surveyapp.reports.summary import build_report

    retired = {"fra": date_from, "til": date_to, "versjon": list(version_ids)}
    filters = _export_filters(questionnaire_id, period, mode, group, level, retired)
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
            raise click.ClickException(_unknown_questionnaire(session, questionnaire_id)) from exc
        if not report.published:
            raise click.ClickException(
                gettext(
                    "Halvåret %(period)s er ikke over; tallene kan eksporteres fra %(date)s.",
                    period=report.period,
                    date=report.publish_on.isoformat(),
                )
            )
        filters = replace(filters, period=report.period)
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
        raise click.ClickException(
            gettext("Eksporten ville blitt skrevet utenfor %(folder)s.", folder=str(directory))
        )
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


@click.command(
    "demo-data",
    help=lazy_gettext(
        "Fyller databasen med syntetiske svar for å prøve rapportene (nektes hvis den har "
        "ekte svar)."
    ),
)
@click.option(
    "--responses",
    "count",
    type=click.IntRange(1, 2_000_000),
    required=True,
    help=lazy_gettext("hvor mange svar i hvert av de to siste avsluttede halvårene"),
)
@click.option(
    "--questionnaire",
    "questionnaire_id",
    default="pasient",
    show_default=True,
    help=lazy_gettext("skjemaets id"),
)
@click.option(
    "--seed", type=int, default=None, help=lazy_gettext("samme tall gir de samme svarene")
)
@with_appcontext
def demo_data_command(count: int, questionnaire_id: str, seed: int | None) -> None:
    from surveyapp.collect.versions import current_version
    from surveyapp.demo import RealResponsesPresent, closed_half_years, fill_demo_data
    from surveyapp.periods import period_of

    with _db() as session:
        if current_version(session, questionnaire_id) is None:
            raise click.ClickException(_unknown_questionnaire(session, questionnaire_id))
    today = dt.date.today()  # one day for the periods filled and those the message names
    periods = closed_half_years(today)
    with (
        _db() as session,
        click.progressbar(length=count * len(periods), label=gettext("Lager demodata")) as bar,
    ):
        try:
            done = fill_demo_data(
                session,
                questionnaire_id,
                count,
                seed=seed,
                today=today,
                date_precision=current_app.config["DATE_PRECISION"],
                progress=bar.update,
            )
        except RealResponsesPresent as exc:
            raise click.ClickException(
                gettext(
                    "Databasen har ekte svar. Demodata lages bare i en database uten ekte svar."
                )
            ) from exc
    click.echo(
        ngettext(
            "%(total)s syntetiske svar er lagt inn: %(num)s i hvert av halvårene %(first)s og "
            "%(second)s.",
            "%(total)s syntetiske svar er lagt inn: %(num)s i hvert av halvårene %(first)s og "
            "%(second)s.",
            count,
            total=done,
            first=period_of(periods[0][0]).id,
            second=period_of(periods[1][0]).id,
        )
    )
    # the ended half-years' protection, decided now rather than on the first dashboard view
    _warm()


def _cli_actor():
    import getpass

    from surveyapp.collect.lifecycle import Actor

    return Actor(username=f"cli:{getpass.getuser()}")


@click.command(
    "purge",
    help=lazy_gettext(
        "Sletter svarene fra hvert halvår som sluttet for mer enn oppbevaringstiden siden, og "
        "fører slettingen i handlingsloggen."
    ),
)
@click.option(
    "--months",
    type=click.IntRange(min=1),
    help=lazy_gettext(
        "slett svarene fra halvår som sluttet for mer enn så mange kalendermåneder siden "
        "(standard: SURVEYAPP_RETENTION_MONTHS)"
    ),
)
@click.option("--dry-run", is_flag=True, help=lazy_gettext("bare tell hva som ville blitt slettet"))
@with_appcontext
def purge_command(months: int | None, dry_run: bool) -> None:
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
    if n:
        from surveyapp.reports import publication

        publication.discard()  # the decided figures held the deleted responses' counts
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
    return click.ClickException(
        message() if message else gettext("Ukjent feil (%(code)s).", code=exc.code)
    )


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


@click.command(
    "backup",
    help=lazy_gettext(
        "Skriver en sikkerhetskopi av hele databasen til FIL (en SQLite-fil eller et "
        "pg_dump-arkiv)."
    ),
)
@click.argument("path", type=click.Path(path_type=Path), metavar="FIL")
@with_appcontext
def backup_command(path: Path) -> None:
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


@click.command(
    "restore",
    help=lazy_gettext(
        "Erstatter innholdet i databasen med sikkerhetskopien i FIL (stopp appen først)."
    ),
)
@click.argument("path", type=click.Path(path_type=Path), metavar="FIL")
@click.option("--yes", is_flag=True, help=lazy_gettext("erstatt også en database som har svar"))
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    from surveyapp.db.backup import BackupError, restore

    try:
        result = restore(current_app.extensions["db_engine"], path, overwrite=yes)
    except BackupError as exc:
        raise _backup_error(exc, path) from exc
    _audit_backup("restore", result)  # into the restored log, which the restore replaced
    from surveyapp.reports import publication

    publication.discard()  # decided from the data the restore replaced
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


@click.command(
    "run",
    help=lazy_gettext(
        "Kjører appen med utviklingsserveren (bruk gunicorn i drift, se docs/deployment.md)."
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=lazy_gettext("adressen"))
@click.option("--port", default=5000, type=int, show_default=True, help=lazy_gettext("porten"))
@click.option(
    "--debug/--no-debug",
    default=False,
    help=lazy_gettext("Werkzeugs feilsøker i nettleseren (bare på egen maskin)"),
)
@with_appcontext
def run_command(host: str, port: int, debug: bool) -> None:
    click.echo(gettext("Brukerstemmen kjører på http://%(host)s:%(port)s", host=host, port=port))
    # the ended periods' protection is decided in the background, ahead of the first view
    app = current_app._get_current_object()
    threading.Thread(target=_warm_in_background, args=(app,), daemon=True).start()
    run_simple(
        host,
        port,
        current_app._get_current_object(),
        threaded=True,
        use_debugger=debug,
        request_handler=_NoAddressRequestHandler,
    )


def _warm() -> list[tuple[str, str]]:
    from surveyapp import periods
    from surveyapp.reports import publication

    with _db() as session:
        return publication.warm(session, periods.today(), current_app.config["MIN_CELL_COUNT"])


def _warm_in_background(app: Flask) -> None:
    with app.app_context():
        try:
            _warm()
        except Exception:  # a view decides it again; the server must not stop for this
            app.logger.exception("could not decide the protection ahead of the first view")


@click.command(
    "protect",
    help=lazy_gettext(
        "Beregner vernet av tallene for hvert halvår som er over, så den første visningen "
        "ikke må vente. Kjør det når et halvår er over; med SURVEYAPP_PROTECTION_CACHE deler "
        "alle prosessene resultatet (docs/deployment.md)."
    ),
)
@with_appcontext
def protect_command() -> None:
    done = _warm()
    if not done:
        click.echo(gettext("Ingen halvår er over ennå: ingenting å beregne."))
    for questionnaire_id, period in done:
        click.echo(
            gettext(
                "%(questionnaire)s, %(period)s: beregnet",
                questionnaire=questionnaire_id,
                period=period,
            )
        )


COMMANDS = (
    init_command,
    check_command,
    user_group,
    link_group,
    export_command,
    protect_command,
    demo_data_command,
    purge_command,
    backup_command,
    restore_command,
    run_command,
)


def init_app(app: Flask) -> None:
    """The commands on the app's own group too, for `flask --app surveyapp`."""
    for command in COMMANDS:
        app.cli.add_command(command)


cli = click.Group(
    "surveyapp",
    help=lazy_gettext(
        "Brukerstemmen: spørreskjema og intervjuer om brukermedvirkning ved DPS-ene i "
        "Trøndelag. Kommandoene gjør databasen klar, sjekker skjemaer, lager brukere og "
        "lenker, eksporterer regneark og kjører appen. Innstillingene leses fra "
        "SURVEYAPP_*-variablene (se README.md). Skriv «surveyapp KOMMANDO --help» for mer."
    ),
    commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _bokmal_usage(command: click.Command) -> None:
    """Bokmål in the usage lines Click builds from names: [VALG], KOMMANDO, TEKST, N, FIL."""
    command.options_metavar = N_("[VALG]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = N_("KOMMANDO [ARGUMENTER]...")
        for subcommand in command.commands.values():
            _bokmal_usage(subcommand)
    metavars = {
        "text": N_("TEKST"),
        "integer": "N",
        "integer range": "N",
        "path": N_("FIL"),
        "file": N_("FIL"),
    }
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None:
            param.metavar = metavars.get(param.type.name)


_bokmal_usage(cli)


def main() -> None:
    """The `surveyapp` command: a plain Click group (no Flask options such as --app or
    --env-file); a command that needs the app creates it (ScriptInfo, with_appcontext)."""
    cli(prog_name="surveyapp", obj=ScriptInfo(create_app=_create_app, set_debug_flag=False))


def _create_app() -> Flask:
    """The app, or a plain message (no traceback) when a setting is refused."""
    from surveyapp import UnsafeConfiguration, create_app_for_process

    try:
        return create_app_for_process()
    except (ValueError, UnsafeConfiguration) as exc:
        raise click.ClickException(str(exc)) from exc


# Click marks its own texts ("Usage:", "Error: ...") for the standard library's gettext,
# which reads compiled catalogues found through the process's locale (LANG). The command
# speaks bokmål whatever LANG says, so Click's modules get a gettext that looks the text up
# here (in the app's catalogue, like every other text) and keeps Click's text otherwise.
CLICK_TEXTS = {
    "Usage:": N_("Bruk:"),
    "required": N_("må oppgis"),
    "Options": N_("Valg"),
    "Commands": N_("Kommandoer"),
    "Show this message and exit.": N_("Vis denne hjelpeteksten og avslutt."),
    "Error: {message}": N_("Feil: {message}"),
    "Try '{command} {option}' for help.": N_("Skriv «{command} {option}» for hjelp."),
    "Missing option": N_("Mangler valget"),
    "Missing argument": N_("Mangler argumentet"),
    "Missing parameter": N_("Mangler parameteren"),
    "No such command {name!r}.": N_("Kommandoen {name!r} finnes ikke."),
    "No such option {name!r}.": N_("Valget {name!r} finnes ikke."),
    "Did you mean {possibility}?": N_("Mente du {possibility}?"),
    "(Did you mean one of: {possibilities}?)": N_("(Mente du en av: {possibilities}?)"),
    "Invalid value for {param_hint}: {message}": N_("Ugyldig verdi for {param_hint}: {message}"),
    "Invalid value: {message}": N_("Ugyldig verdi: {message}"),
    "{value!r} is not {choice}.": N_("{value!r} er ikke {choice}."),
    "{value!r} is not one of {choices}.": N_("{value!r} er ikke en av {choices}."),
    "{value!r} is not a valid {number_type}.": N_("{value!r} er ikke et gyldig tall."),
    "{value} is not in the range {range}.": N_("{value} er utenfor området {range}."),
    "Option {name!r} requires an argument.": N_("Valget {name!r} trenger en verdi."),
    "Option {name!r} requires {nargs} arguments.": N_("Valget {name!r} trenger {nargs} verdier."),
    "Got unexpected extra argument ({args})": N_("Fikk et argument for mye ({args})"),
    "Got unexpected extra arguments ({args})": N_("Fikk argumenter for mye ({args})"),
    "Missing command.": N_("Mangler en kommando."),
    "Aborted!": N_("Avbrutt!"),
    "default: {default}": N_("standard: {default}"),
    "Could not open file {filename!r}: {message}": N_(
        "Kunne ikke åpne filen {filename!r}: {message}"
    ),
}


def _click_gettext(message: str) -> str:
    text = CLICK_TEXTS.get(message)
    return gettext(text) if text else message


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _click_gettext(singular if n == 1 else plural)


def _speak_bokmal_in_click() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        module._ = _click_gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext


_speak_bokmal_in_click()
