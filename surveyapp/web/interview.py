"""The interviewer's side: start an interview, work offline, save drafts, finalise.

The pages are an app shell the service worker keeps for offline use; the tablet keeps
drafts and finished interviews in IndexedDB and talks to the JSON routes below when it
has network. Every finished interview carries an idempotency key.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from surveyapp.collect.drafts import (
    DraftForbidden,
    InvalidInterview,
    delete_draft,
    finalise,
    own_drafts,
    read_payload,
    save_draft,
)
from surveyapp.collect.submission import DECLINED, text_limit
from surveyapp.collect.versions import current_versions, questionnaire_of
from surveyapp.db.models import QuestionnaireVersion
from surveyapp.db.seed import active_units
from surveyapp.questionnaire import Mode, visibility, visibility_plan
from surveyapp.web import db_session
from surveyapp.web.auth import require_role
from surveyapp.web.public import error_message

bp = Blueprint("interview", __name__, url_prefix="/intervju")
INTERVIEWING_ROLES = ("interviewer", "admin")
# What a tablet keeps for working offline, besides the pages themselves.
OFFLINE_ASSETS = (
    "css/app.css",
    "js/conditions.js",
    "js/form.js",
    "js/offline.js",
    "js/logout.js",
    "js/interview.js",
)


def _interview_versions() -> list[QuestionnaireVersion]:
    return [
        v for v in current_versions(db_session()) if Mode.INTERVIEW in questionnaire_of(v).modes
    ]


@bp.get("/")
@require_role(*INTERVIEWING_ROLES)
def home():
    guides = [
        {
            "version_id": v.id,
            "questionnaire_id": v.questionnaire_id,
            "title": questionnaire_of(v).title.get_text("nb"),
        }
        for v in _interview_versions()
    ]
    units = [{"id": u.id, "name": u.name} for u in active_units(db_session())]
    return render_template(
        "interview/home.html",
        guides=guides,
        units=units,
        guide_urls=[url_for("interview.form", version_id=g["version_id"]) for g in guides],
        static_urls=[url_for("static", filename=name) for name in OFFLINE_ASSETS],
    )


@bp.get("/skjema/<int:version_id>")
@require_role(*INTERVIEWING_ROLES)
def form(version_id: int):
    version = db_session().get(QuestionnaireVersion, version_id)
    if version is None or Mode.INTERVIEW not in questionnaire_of(version).modes:
        abort(404)
    questionnaire = questionnaire_of(version)
    return render_template(
        "interview/form.html",
        version=version,
        questionnaire=questionnaire,
        units=active_units(db_session()),
        plan=visibility_plan(questionnaire),
        visible=visibility(questionnaire, {}).questions,
        required=[aid for q in questionnaire.questions() if q.required for aid in q.answer_ids],
        declined=DECLINED,
        text_limit=text_limit,
    )


@bp.get("/svarkort")
@require_role(*INTERVIEWING_ROLES)
def showcard():
    """The answer scales of the interview guides, large, to print and show the interviewee."""
    scales: dict[tuple[tuple[str, ...], str | None], None] = {}
    for version in _interview_versions():
        for scale in questionnaire_of(version).scales.values():
            if scale.numeric and len(scale.options) >= 4:
                labels = tuple(o.label.get_text("nb") for o in scale.options)
                extra = scale.not_applicable
                scales[(labels, extra.label.get_text("nb") if extra else None)] = None
    return render_template("interview/showcard.html", scales=list(scales))


@bp.get("/sw.js")
def service_worker():
    """Served from /intervju/ so that it controls the interview pages."""
    response = send_file(
        current_app.static_folder + "/js/sw.js", mimetype="text/javascript", max_age=0
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


# --- JSON routes for the tablet -----------------------------------------------------------


@bp.get("/api/token")
@require_role(*INTERVIEWING_ROLES)
def token():
    """A fresh CSRF token: the cached pages may hold one from an earlier session."""
    return jsonify(token=generate_csrf())


@bp.get("/api/utkast")
@require_role(*INTERVIEWING_ROLES)
def drafts():
    return jsonify(
        drafts=[
            {
                "id": d.id,
                "version_id": d.questionnaire_version_id,
                "questionnaire_id": d.version.questionnaire_id,
                "title": questionnaire_of(d.version).title.get_text("nb"),
                "dps_id": d.dps_id,
                "dps_name": d.dps.name,
                "answers": json.loads(d.answers),
                "updated_at": d.updated_at.isoformat(timespec="seconds") + "Z",
            }
            for d in own_drafts(db_session(), current_user.id)
        ]
    )


@bp.put("/api/utkast/<draft_id>")
@require_role(*INTERVIEWING_ROLES)
def put_draft(draft_id: str):
    payload = _payload()
    if payload.draft_id != draft_id:
        return _refused("draft_id", 400)
    try:
        save_draft(db_session(), payload, current_user.id)
    except DraftForbidden:
        abort(403)
    return jsonify(status="saved")


@bp.delete("/api/utkast/<draft_id>")
@require_role(*INTERVIEWING_ROLES)
def remove_draft(draft_id: str):
    try:
        delete_draft(db_session(), draft_id, current_user.id)
    except DraftForbidden:
        abort(403)
    return jsonify(status="deleted")


@bp.post("/api/fullfor")
@require_role(*INTERVIEWING_ROLES)
def finalise_interview():
    payload = _payload()
    try:
        response_id, errors = finalise(
            db_session(),
            payload,
            current_user.id,
            str(request.get_json(silent=True).get("key", "")),
            today=dt.date.today(),
            date_precision=current_app.config["DATE_PRECISION"],
        )
    except DraftForbidden:
        abort(403)
    except InvalidInterview as exc:
        return _refused(exc.reason, 400)
    if errors:
        return jsonify(
            status="invalid",
            errors=[
                {"answer_id": e.answer_id, "message": error_message(e, payload.questionnaire)}
                for e in errors
            ],
        ), 422
    return jsonify(status="stored"), 201


def _payload():
    try:
        return read_payload(db_session(), request.get_json(silent=True))
    except InvalidInterview as exc:
        abort(_refused(exc.reason, 400))


def _refused(reason: str, status: int):
    message = gettext("Intervjuet kunne ikke tas imot: skjemaet eller svarene er ugyldige.")
    response = jsonify(status="refused", reason=reason, message=message)
    response.status_code = status
    return response
