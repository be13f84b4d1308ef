"""Admin pages: collection links per DPS and questionnaire, with printable QR posters."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from surveyapp.collect.links import LinkError, all_links, close_link, create_link
from surveyapp.collect.versions import current_versions, questionnaire_of
from surveyapp.db.models import CollectionLink
from surveyapp.db.seed import active_units
from surveyapp.questionnaire import Mode
from surveyapp.web import db_session
from surveyapp.web.auth import require_role

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
