"""The interviewer's side: start an interview, work offline, save drafts, finalise.

The pages are an app shell the service worker keeps for offline use; the tablet keeps
drafts and finished interviews in IndexedDB and talks to the JSON routes below when it
has network. Every finished interview carries an idempotency key.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

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
from flask_babel import get_locale, gettext, ngettext
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
from surveyapp.collect.rules import CODES, answer_rules, error_params
from surveyapp.collect.submission import DECLINED, AnswerError, KeyReused, text_limit
from surveyapp.collect.versions import current_versions, questionnaire_of
from surveyapp.db.models import QuestionnaireVersion
from surveyapp.db.seed import active_units
from surveyapp.questionnaire import Mode, Questionnaire, QuestionType, visibility, visibility_plan
from surveyapp.web import db_session
from surveyapp.web.assets import asset
from surveyapp.web.auth import require_role
from surveyapp.web.public import error_message

bp = Blueprint("interview", __name__, url_prefix="/intervju")
INTERVIEWING_ROLES = ("interviewer", "admin")
# What a tablet keeps for working offline, besides the pages themselves.
OFFLINE_ASSETS = (
    "css/app.css",
    "favicon.svg",
    "js/conditions.js",
    "js/validation.js",
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
        static_urls=[asset(name) for name in OFFLINE_ASSETS],
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
        checks=_checks(questionnaire),
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


def _checks(questionnaire: Questionnaire) -> dict:
    """The server's rules for the browser (collect/rules.py), each answer's name, and every
    message the rules can give, in the page's language: the browser adds none of its own."""
    rules = answer_rules(questionnaire)
    messages = {
        answer_id: {
            code: error_message(
                AnswerError(answer_id, code, error_params(rule, code)), questionnaire
            )
            for code in CODES[rule["kind"]]
        }
        for answer_id, rule in rules["answers"].items()
    }
    labels = {answer_id: question_label(questionnaire, answer_id) for answer_id in rules["order"]}
    return {"rules": rules, "messages": messages, "labels": labels}


def question_label(questionnaire: Questionnaire, answer_id: str) -> str:
    """What the interviewer reads as the question: a matrix item with its matrix."""
    language = str(get_locale())
    question_id, _, item_id = answer_id.partition(".")
    question = questionnaire.question(question_id)
    text = question.text.get_text(language)
    if question.type is QuestionType.MATRIX and item_id:
        item = next(i for i in question.items if i.id == item_id)
        return f"{text} – {item.text.get_text(language)}"
    return text


def plural_forms(counted: Callable[[int], str]) -> dict[str, str]:
    """A counted message in every plural form of the page's language, for the browser:
    CLDR category (Babel's rule for the locale) -> the catalogue's text (`counted(n)`, an
    ngettext with "{n}" where the count goes) for a count of that category. The browser
    picks the category of its count with Intl.PluralRules for the same language, and
    "other" where that is missing."""
    rule = get_locale().plural_form
    forms: dict[str, str] = {}
    for count in range(200):
        forms.setdefault(rule(count), counted(count))
    forms.setdefault("other", counted(1000))
    return forms


@bp.app_context_processor
def _plural_texts():
    """Counted texts the interview pages' scripts show (the counter, signing out)."""

    def interview_plurals() -> dict:
        return {
            "waiting": plural_forms(
                lambda count: ngettext(
                    "%(n)s intervju venter på sending",
                    "%(n)s intervjuer venter på sending",
                    count,
                    n="{n}",
                )
            ),
            "unsent": plural_forms(
                lambda count: ngettext(
                    "%(n)s intervju er ikke sendt ennå.",
                    "%(n)s intervjuer er ikke sendt ennå.",
                    count,
                    n="{n}",
                )
            ),
            "rejected": plural_forms(
                lambda count: ngettext(
                    "%(n)s intervju ble ikke tatt imot av serveren.",
                    "%(n)s intervjuer ble ikke tatt imot av serveren.",
                    count,
                    n="{n}",
                )
            ),
            "returned": plural_forms(
                lambda count: ngettext(
                    "%(n)s intervju ble sendt, men ikke tatt imot: rett det i utkastet og send"
                    " det igjen.",
                    "%(n)s intervjuer ble sendt, men ikke tatt imot: rett dem i utkastene og"
                    " send dem igjen.",
                    count,
                    n="{n}",
                )
            ),
            "unsaved": plural_forms(
                lambda count: ngettext(
                    "%(n)s utkast er ikke lagret på serveren.",
                    "%(n)s utkast er ikke lagret på serveren.",
                    count,
                    n="{n}",
                )
            ),
        }

    return {"interview_plurals": interview_plurals}


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
    except KeyReused:
        message = gettext(
            "Intervjuet ble ikke lagret: sendingen hadde samme nøkkel som et annet intervju. "
            "Utkastet er tatt vare på; send det på nytt."
        )
        return jsonify(status="key_reused", message=message), 409
    if errors:
        named = [
            {
                "answer_id": e.answer_id,
                "question": question_label(payload.questionnaire, e.answer_id),
                "message": error_message(e, payload.questionnaire, payload.answers),
            }
            for e in errors
        ]
        message = gettext("Intervjuet ble ikke tatt imot. Rett dette og send igjen:")
        return jsonify(status="invalid", message=message, errors=named), 422
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
