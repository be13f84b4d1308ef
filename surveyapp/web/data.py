"""Admin pages for the stored data: how many responses each questionnaire and each DPS
holds, and deleting all responses of one of them after a typed confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, ngettext
from flask_login import current_user

from surveyapp.collect.lifecycle import (
    count_responses,
    counts_per_dps,
    counts_per_questionnaire,
    delete_responses,
    questionnaire_loaded,
)
from surveyapp.collect.versions import current_versions, questionnaire_of
from surveyapp.db.models import DpsUnit
from surveyapp.reports import publication
from surveyapp.web import db_session
from surveyapp.web.auth import require_role

bp = Blueprint("data", __name__, url_prefix="/admin/data")

QUESTIONNAIRE, DPS = "questionnaire", "dps"  # the field that names what is deleted


@dataclass(frozen=True)
class Target:
    """What an admin asked to delete the responses of."""

    kind: str  # QUESTIONNAIRE or DPS
    id: str
    name: str

    @property
    def filter(self) -> dict[str, str]:
        return {"questionnaire_id" if self.kind == QUESTIONNAIRE else "dps_id": self.id}


def _questionnaire_titles(session) -> dict[str, str]:
    language = str(get_locale())
    return {
        v.questionnaire_id: questionnaire_of(v).title.get_text(language)
        for v in current_versions(session)
    }


def _target(session, values) -> Target | None:
    """The questionnaire or DPS named in the request, if it exists."""
    questionnaire_id = values.get(QUESTIONNAIRE, "").strip()
    dps_id = values.get(DPS, "").strip()
    if questionnaire_id and not dps_id and questionnaire_loaded(session, questionnaire_id):
        name = _questionnaire_titles(session).get(questionnaire_id, questionnaire_id)
        return Target(QUESTIONNAIRE, questionnaire_id, name)
    if dps_id and not questionnaire_id:
        unit = session.get(DpsUnit, dps_id)
        if unit is not None:
            return Target(DPS, unit.id, unit.name)
    return None


def _back_to_overview():
    return redirect(url_for("data.overview"), code=303)


def _unknown_target():
    flash(gettext("Velg et skjema eller et DPS fra listene."))
    return _back_to_overview()


@bp.get("")
@require_role("admin")
def overview():
    session = db_session()
    titles = _questionnaire_titles(session)
    return render_template(
        "data/overview.html",
        questionnaires=[
            (questionnaire_id, titles.get(questionnaire_id, questionnaire_id), count)
            for questionnaire_id, count in counts_per_questionnaire(session)
        ],
        units=counts_per_dps(session),
        total=count_responses(session),
        retention_months=current_app.config.get("RETENTION_MONTHS"),
    )


def _confirmation_page(session, target: Target, error: str | None = None, status: int = 200):
    return render_template(
        "data/confirm.html",
        target=target,
        field=target.kind,
        count=count_responses(session, **target.filter),
        error=error,
    ), status


@bp.get("/slett")
@require_role("admin")
def confirm():
    session = db_session()
    target = _target(session, request.args)
    if target is None:
        return _unknown_target()
    return _confirmation_page(session, target)


@bp.post("/slett")
@require_role("admin")
def delete():
    session = db_session()
    target = _target(session, request.form)
    if target is None:
        return _unknown_target()
    typed = request.form.get("confirmation", "").strip()
    if typed.casefold() != target.id.casefold():
        error = gettext(
            "Du skrev ikke «%(word)s». Ingenting er slettet. Skriv «%(word)s» for å bekrefte.",
            word=target.id,
        )
        return _confirmation_page(session, target, error, 422)
    n = delete_responses(session, by=current_user, **target.filter)
    publication.discard()  # the decided figures held the deleted responses' counts
    flash(ngettext("%(num)s svar er slettet.", "%(num)s svar er slettet.", n))
    return _back_to_overview()
