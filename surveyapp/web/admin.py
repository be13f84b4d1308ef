"""Admin pages: collection links per DPS and questionnaire with printable QR posters,
user accounts (invitations, access resets, disabling), the log of actions (handlingslogg),
and a preview of every questionnaire version; plus the admin menu every admin page shows."""

from __future__ import annotations

from pathlib import Path

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime, get_locale, gettext, ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from surveyapp import accounts, audit
from surveyapp.collect.links import LinkError, all_links, close_link, create_link
from surveyapp.collect.submission import DECLINED, text_limit
from surveyapp.collect.versions import current_versions, questionnaire_of
from surveyapp.config import is_loopback_url
from surveyapp.db import bounded_int
from surveyapp.db.models import CollectionLink, QuestionnaireVersion, User
from surveyapp.db.seed import active_units, all_units
from surveyapp.questionnaire import Mode, QuestionType, load_file
from surveyapp.reports.filters import describe, parse_filters
from surveyapp.reports.model import POOLED, TOTAL
from surveyapp.web import db_session
from surveyapp.web.auth import account_error_message, require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")


def public_address(endpoint: str, **values) -> str:
    """An address to hand out (links, posters, one-time links): SURVEYAPP_PUBLIC_URL and the
    path, as the command line prints them, whatever address the admin opened the page at."""
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, **values)


def public_url(link: CollectionLink) -> str:
    return public_address("public.start", token=link.token)


def _sender_warnings() -> dict:
    """What to set before printing posters: a public address people can reach, a sender."""
    return {
        "address_unset": is_loopback_url(current_app.config["PUBLIC_BASE_URL"]),
        "public_base_url": current_app.config["PUBLIC_BASE_URL"],
        "publisher_unset": not current_app.config.get("PUBLISHER"),
    }


# The admin menu: (endpoint, label), and the pages that belong to each entry.
MENU_SECTIONS = {
    "admin.links": ("admin.links", "admin.create", "admin.close"),
    "admin.users": ("admin.users", "admin.invite", "admin.disable", "admin.enable", "admin.reset"),
    "admin.previews": ("admin.previews", "admin.preview"),
    "data.overview": ("data.overview", "data.confirm", "data.delete"),
    "review.overview": ("review.overview", "review.texts", "review.reject"),
    "admin.audit_log": ("admin.audit_log",),
    "reports.index": ("reports.index",),
}


@bp.app_template_global()
def admin_menu() -> list[dict]:
    """The admin menu's entries; the one the page belongs to says so (aria-current)."""
    labels = {
        "admin.links": gettext("Lenker og plakater"),
        "admin.users": gettext("Brukere"),
        "admin.previews": gettext("Forhåndsvisning"),
        "data.overview": gettext("Lagrede svar"),
        "review.overview": gettext("Fritekst til godkjenning"),
        "admin.audit_log": gettext("Handlingslogg"),
        "reports.index": gettext("Rapporter"),
    }
    entries = []
    for endpoint, members in MENU_SECTIONS.items():
        current = None
        if request.endpoint == endpoint:
            current = "page"
        elif request.endpoint in members:
            current = "true"
        entries.append({"url": url_for(endpoint), "label": labels[endpoint], "current": current})
    return entries


@bp.get("/lenker")
@require_role("admin")
def links():
    session = db_session()
    versions = current_versions(session)
    language = str(get_locale())
    return render_template(
        "admin/links.html",
        links=all_links(session),
        titles={v.questionnaire_id: questionnaire_of(v).title.get_text(language) for v in versions},
        units=active_units(session),
        questionnaires=[
            (v.questionnaire_id, questionnaire_of(v))
            for v in versions
            if Mode.SELF in questionnaire_of(v).modes
        ],
        public_url=public_url,
        **_sender_warnings(),
    )


@bp.post("/lenker")
@require_role("admin")
def create():
    try:
        link = create_link(
            db_session(), request.form.get("dps", ""), request.form.get("questionnaire", "")
        )
    except LinkError:
        flash(gettext("Velg et DPS og et skjema fra listene."))
        return redirect(url_for("admin.links"), code=303)
    flash(gettext("Lenken er laget: %(url)s", url=public_url(link)))
    return redirect(url_for("admin.links"), code=303)


@bp.post("/lenker/<int:link_id>/steng")
@require_role("admin")
def close(link_id: int):
    close_link(db_session(), link_id)
    flash(gettext("Lenken er stengt og tar ikke lenger imot svar."))
    return redirect(url_for("admin.links"), code=303)


@bp.get("/lenker/<int:link_id>/plakat")
@require_role("admin")
def poster(link_id: int):
    link = db_session().get(CollectionLink, link_id)
    if link is None:
        abort(404)
    url = public_url(link)
    qr_svg = segno.make(url, error="m").svg_inline(scale=10, border=2, title=url)
    return render_template(
        "admin/poster.html",
        link=link,
        url=url,
        qr_svg=Markup(qr_svg),
        publisher=current_app.config.get("PUBLISHER"),
        contact=current_app.config.get("CONTACT"),
        **_sender_warnings(),
    )


def role_labels() -> dict[str, str]:
    return {
        "admin": gettext("administrator"),
        "interviewer": gettext("intervjuer"),
        "analyst": gettext("analytiker"),
    }


def _show_link_once(username: str, token: str) -> None:
    """Keep a new set-password link for the next page view only; it is never logged."""
    url = public_address("auth.set_password", token=token)
    session["new_user_link"] = {"username": username, "url": url}


def _back_to_users():
    return redirect(url_for("admin.users"), code=303)


@bp.get("/brukere")
@require_role("admin")
def users():
    response = make_response(
        render_template(
            "admin/users.html",
            users=accounts.all_users(db_session()),
            roles=role_labels(),
            new_link=session.pop("new_user_link", None),
            has_password=accounts.has_password,
            link_hours=accounts.SET_PASSWORD_HOURS,
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the page may show a one-time link
    return response


@bp.post("/brukere")
@require_role("admin")
def invite():
    try:
        user, token = accounts.create_user(
            db_session(), request.form.get("username", ""), request.form.get("role", "")
        )
    except accounts.AccountError as exc:
        flash(account_error_message(exc.code))
        return _back_to_users()
    _show_link_once(user.username, token)
    flash(gettext("Brukeren %(username)s er laget.", username=user.username))
    return _back_to_users()


def _refused(error: accounts.AccountError):
    """An account action that was refused: unknown users are a 404, the rest a message."""
    if error.code == "user_unknown":
        abort(404)
    flash(account_error_message(error.code))
    return _back_to_users()


@bp.post("/brukere/<int:user_id>/deaktiver")
@require_role("admin")
def disable(user_id: int):
    try:
        user = accounts.set_active(db_session(), user_id, False, by=current_user.id)
    except accounts.AccountError as exc:
        return _refused(exc)
    flash(gettext("%(username)s er deaktivert og logget ut.", username=user.username))
    return _back_to_users()


@bp.post("/brukere/<int:user_id>/aktiver")
@require_role("admin")
def enable(user_id: int):
    try:
        user = accounts.set_active(db_session(), user_id, True, by=current_user.id)
    except accounts.AccountError as exc:
        return _refused(exc)
    flash(gettext("%(username)s er aktivert igjen.", username=user.username))
    return _back_to_users()


@bp.post("/brukere/<int:user_id>/ny-lenke")
@require_role("admin")
def reset(user_id: int):
    try:
        token = accounts.reset_access(db_session(), user_id, by=current_user.id)
    except accounts.AccountError as exc:
        return _refused(exc)
    username = db_session().get(User, user_id).username
    _show_link_once(username, token)
    flash(
        gettext(
            "Tilgangen til %(username)s er nullstilt: det gamle passordet virker ikke lenger, "
            "og brukeren er logget ut.",
            username=username,
        )
    )
    return _back_to_users()


@bp.get("/logg")
@require_role("admin")
def audit_log():
    """The log of actions: every release of figures (page views, downloads, exports), every
    deletion, free-text decision, backup and restore, newest first, in words."""
    session = db_session()
    questionnaires = {v.questionnaire_id: questionnaire_of(v) for v in current_versions(session)}
    language = str(get_locale())
    labels = action_labels()
    units = {u.id: u.name for u in all_units(session)}
    units |= {POOLED: gettext("Øvrige enheter"), TOTAL: gettext("Trøndelag i alt")}
    titles = {qid: q.title.get_text(language) for qid, q in questionnaires.items()}
    entries = []
    for entry in audit.recent(session):
        questionnaire = questionnaires.get(entry.questionnaire_id or "")
        details = audit.details_of(entry)
        release = entry.action in audit.RELEASES
        entries.append(
            {
                "at": format_datetime(entry.at, "short"),
                "iso": entry.at.isoformat(timespec="minutes"),
                "username": entry.username,
                "action": labels.get(entry.action, entry.action),
                "what": _release_target(details, units) if release else "",
                "questionnaire": titles.get(entry.questionnaire_id or "")
                or entry.questionnaire_id
                or "",
                "details": (
                    _filters_in_words(audit.release_filters(entry), questionnaire, language)
                    if release
                    else describe_details(details, units, titles)
                ),
            }
        )
    return render_template("admin/audit_log.html", entries=entries)


def action_labels() -> dict[str, str]:
    return {
        audit.VIEW_COMPARISON: gettext("Så sammenligningen"),
        audit.VIEW_UNIT: gettext("Så en enhets side"),
        audit.DOWNLOAD_WORKBOOK: gettext("Lastet ned regneark"),
        audit.EXPORT: gettext("Eksporterte regneark"),
        "delete-responses": gettext("Slettet svar"),
        "purge-responses": gettext("Slettet svar eldre enn oppbevaringstiden"),
        "approve-free-text": gettext("Godkjente fritekst"),
        "redact-free-text": gettext("Redigerte og godkjente fritekst"),
        "reject-free-text": gettext("Avviste og slettet fritekst"),
        "backup": gettext("Tok sikkerhetskopi"),
        "restore": gettext("Gjenopprettet fra sikkerhetskopi"),
    }


def _release_target(details: dict, units: dict[str, str]) -> str:
    """The unit a page showed, or the file an export wrote."""
    if details.get(audit.UNIT):
        unit = str(details[audit.UNIT])
        return gettext("Enhet: %(unit)s", unit=units.get(unit, unit))
    if details.get(audit.FILE):
        return gettext("Fil: %(file)s", file=details[audit.FILE])
    return ""


def _filters_in_words(filters: dict, questionnaire, language: str) -> str:
    """A release's filters as the report pages describe them; as they were stored when
    they can no longer be read (a filter that has since gone)."""
    parsed = parse_filters(filters)
    if parsed.problems:
        return _details_in_words(filters)
    return describe(parsed.filters, gettext, language=language, questionnaire=questionnaire)


def describe_details(details: dict, units: dict[str, str], titles: dict[str, str]) -> str:
    """An entry's details in words: {"questionnaire_id": "pasient", "responses": 31,
    "answers": 540} is «31 svar (540 svarverdier) på skjemaet «Pasienter og pårørende»».
    A key this does not know is shown as it was stored, never dropped."""
    details = dict(details)
    parts = []
    responses = details.pop("responses", details.pop("svar", None))
    answers = details.pop("answers", None)
    if responses is not None:
        text = ngettext("%(num)s svar", "%(num)s svar", _count(responses))
        if answers is not None:
            values = ngettext("%(num)s svarverdi", "%(num)s svarverdier", _count(answers))
            text = f"{text} ({values})"
        parts.append(text)
    if "count" in details:
        parts.append(ngettext("%(num)s tekst", "%(num)s tekster", _count(details.pop("count"))))
    questionnaire_id = details.pop("questionnaire_id", None)
    if questionnaire_id:
        title = titles.get(questionnaire_id, questionnaire_id)
        parts.append(gettext("på skjemaet «%(title)s»", title=title))
    dps = details.pop("dps_id", None) or details.pop("dps", None)
    if dps:
        parts.append(gettext("fra %(unit)s", unit=units.get(dps, dps)))
    if "months" in details:
        months = _count(details.pop("months"))
        parts.append(
            ngettext(
                "sendt før %(date)s (oppbevaringstid %(num)s måned)",
                "sendt før %(date)s (oppbevaringstid %(num)s måneder)",
                months,
                date=str(details.pop("before", "?")),
            )
        )
    if details.get(audit.FILE):
        parts.append(gettext("fil: %(file)s", file=details.pop(audit.FILE)))
    for key, value in sorted(details.items()):
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {shown}")
    return " ".join(parts)


def _count(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _details_in_words(details: dict) -> str:
    """Filters that can no longer be read, as they were stored."""

    def text(value) -> str:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)

    return "; ".join(f"{key}: {text(value)}" for key, value in sorted(details.items()))


@bp.get("/skjema")
@require_role("admin")
def previews():
    """Every stored version of every questionnaire, newest first, and the files in the
    questionnaires folder not loaded yet (a changed file before `surveyapp init`)."""
    session = db_session()
    language = str(get_locale())
    questionnaires: dict[str, dict] = {}
    stored_hashes = set()
    versions = session.scalars(
        select(QuestionnaireVersion).order_by(QuestionnaireVersion.id.desc())
    )
    for version in versions:
        questionnaire = questionnaire_of(version)
        stored_hashes.add(version.content_hash)
        entry = questionnaires.setdefault(
            version.questionnaire_id,
            {"id": version.questionnaire_id, "title": "", "versions": []},
        )
        if version.current or not entry["title"]:
            entry["title"] = questionnaire.title.get_text(language)
        entry["versions"].append(
            {
                "id": version.id,
                "current": version.current,
                "loaded": format_datetime(version.loaded_at, "short"),
                "modes": [str(mode) for mode in questionnaire.modes],
                "pages": len(questionnaire.pages),
                "questions": len(questionnaire.questions()),
            }
        )
    unloaded = []
    for path in _questionnaire_files():
        result = load_file(path)
        if result.questionnaire is None:
            unloaded.append({"file": path.name, "problems": len(result.problems)})
        elif result.questionnaire.content_hash not in stored_hashes:
            questionnaire = result.questionnaire
            unloaded.append(
                {
                    "file": path.name,
                    "title": questionnaire.title.get_text(language),
                    "id": questionnaire.id,
                    "modes": [str(mode) for mode in questionnaire.modes],
                    "problems": 0,
                }
            )
    return render_template(
        "admin/previews.html",
        questionnaires=sorted(questionnaires.values(), key=_by_id),
        unloaded=unloaded,
    )


def _by_id(entry: dict) -> str:
    return entry["id"]


def _questionnaire_files() -> list[Path]:
    folder = Path(current_app.config["QUESTIONNAIRES_DIR"])
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@bp.get("/skjema/<questionnaire_id>/<int:version_id>")
@require_role("admin")
def preview(questionnaire_id: str, version_id: int):
    """One stored questionnaire version as respondents or interviewers see it."""
    version = db_session().get(QuestionnaireVersion, version_id)
    if version is None or version.questionnaire_id != questionnaire_id:
        abort(404)
    return _render_preview(
        questionnaire_of(version),
        gettext("versjon %(id)s", id=version.id),
        lambda **args: url_for(
            "admin.preview", questionnaire_id=questionnaire_id, version_id=version_id, **args
        ),
    )


@bp.get("/skjema/fil/<name>")
@require_role("admin")
def preview_file(name: str):
    """A file in the questionnaires folder as it stands now, loaded or not."""
    path = next((p for p in _questionnaire_files() if p.name == name), None)
    questionnaire = load_file(path).questionnaire if path is not None else None
    if questionnaire is None:
        abort(404)
    return _render_preview(
        questionnaire,
        gettext("filen %(name)s, som ikke er lastet inn", name=name),
        lambda **args: url_for("admin.preview_file", name=name, **args),
    )


def _render_preview(questionnaire, label: str, page_url):
    """The questionnaire as respondents (modus=self, one page at a time) or interviewers
    (modus=interview, every section) see it. Only GET: nothing is stored, no link or token
    is used, and the page has no form to send."""
    modes = [str(mode) for mode in questionnaire.modes]
    mode = request.args.get("modus") or modes[0]
    if mode not in modes:
        abort(404)
    pages = questionnaire.pages
    page_number = bounded_int(request.args.get("side", "1") or "1")
    if page_number is None or not 1 <= page_number <= len(pages):
        abort(404)
    needs_units = any(q.type is QuestionType.DPS for q in questionnaire.questions())
    return render_template(
        "admin/preview.html",
        label=label,
        page_url=page_url,
        questionnaire=questionnaire,
        mode=mode,
        modes=modes,
        pages=pages if mode == "interview" else [pages[page_number - 1]],
        page_number=page_number,
        page_count=len(pages),
        visible={q.id for q in questionnaire.questions()},  # every question, conditions noted
        units=active_units(db_session()) if needs_units else [],
        declined=DECLINED,
        text_limit=text_limit,
    )
