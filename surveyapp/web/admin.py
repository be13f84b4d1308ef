"""Admin pages: collection links per DPS and questionnaire with printable QR posters,
user accounts (invitations, access resets, disabling), and the audit log."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime, get_locale, gettext
from flask_login import current_user
from markupsafe import Markup

from surveyapp import accounts, audit
from surveyapp.collect.links import LinkError, all_links, close_link, create_link
from surveyapp.collect.versions import current_versions, questionnaire_of
from surveyapp.db.models import CollectionLink, User
from surveyapp.db.seed import active_units, all_units
from surveyapp.questionnaire import Mode
from surveyapp.reports.filters import describe, parse_filters
from surveyapp.reports.model import POOLED, TOTAL
from surveyapp.web import db_session
from surveyapp.web.auth import account_error_message, require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")


def public_url(link: CollectionLink) -> str:
    return url_for("public.start", token=link.token, _external=True)


@bp.get("/lenker")
@require_role("admin")
def links():
    session = db_session()
    versions = current_versions(session)
    return render_template(
        "admin/links.html",
        links=all_links(session),
        units=active_units(session),
        questionnaires=[
            (v.questionnaire_id, questionnaire_of(v))
            for v in versions
            if Mode.SELF in questionnaire_of(v).modes
        ],
        public_url=public_url,
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
    return render_template("admin/poster.html", link=link, url=url, qr_svg=Markup(qr_svg))


def role_labels() -> dict[str, str]:
    return {
        "admin": gettext("administrator"),
        "interviewer": gettext("intervjuer"),
        "analyst": gettext("analytiker"),
    }


def _show_link_once(username: str, token: str) -> None:
    """Keep a new set-password link for the next page view only; it is never logged."""
    url = url_for("auth.set_password", token=token, _external=True)
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
    """Every release of figures (page views, downloads, exports) and every deletion or
    free-text decision, newest first, in words."""
    session = db_session()
    questionnaires = {v.questionnaire_id: questionnaire_of(v) for v in current_versions(session)}
    language = str(get_locale())
    labels = action_labels()
    units = {u.id: u.name for u in all_units(session)}
    units |= {POOLED: gettext("Øvrige enheter"), TOTAL: gettext("Trøndelag i alt")}
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
                "questionnaire": (
                    questionnaire.title.get_text(language)
                    if questionnaire
                    else entry.questionnaire_id or ""
                ),
                "filters": (
                    _filters_in_words(audit.release_filters(entry), questionnaire, language)
                    if release
                    else _details_in_words(details)
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


def _details_in_words(details: dict) -> str:
    def text(value) -> str:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)

    return "; ".join(f"{key}: {text(value)}" for key, value in sorted(details.items()))
