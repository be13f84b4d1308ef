"""The respondent's side: a public link per DPS, a paged anonymous form, a thank-you page.

Answers from earlier pages travel along as hidden fields, so nothing is kept on the
server or in a cookie until the last page is sent. Works the same without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.lists import format_list
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, gettext, refresh
from sqlalchemy.exc import OperationalError

from surveyapp.collect import paging
from surveyapp.collect.links import find_link
from surveyapp.collect.submission import (
    DECLINED,
    AnswerError,
    KeyReused,
    TamperedSubmission,
    new_submission_key,
    parse_form,
    store_response,
    text_limit,
    visible_questions,
)
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db import bounded_int
from surveyapp.db.models import CollectionLink, DpsUnit, QuestionnaireVersion
from surveyapp.db.seed import active_units
from surveyapp.questionnaire import Questionnaire, QuestionType, visibility_plan
from surveyapp.web import db_session, limits

bp = Blueprint("public", __name__, url_prefix="/s")

_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # links are secrets.token_urlsafe(12)


@bp.after_request
def _no_store(response):
    # A shared waiting-room tablet must not show the last person's answers on "Back".
    response.headers["Cache-Control"] = "no-store"
    return response


def _find_link_or_404(token: str) -> CollectionLink:
    link = find_link(db_session(), token)
    if link is None:
        abort(404)
    return link


@bp.app_template_global()
def scale_point(question, option) -> dict | None:
    """A point of a numbered scale as the form shows it: its number, and its words if any
    ("0", "Svært dårlig"); None for any other option (words only, as written)."""
    scale = question.scale
    if not numbered_scale(question) or option not in scale.options:
        return None
    words = option.label.get_text(str(get_locale()))
    return {"number": option.value, "anchor": None if words == option.value else words}


@bp.get("/<token>")
def start(token: str):
    link = _find_link_or_404(token)
    version = current_version(db_session(), link.questionnaire_id) if link.is_open else None
    if version is None:
        return render_template("public/closed.html", link=link), 410
    questionnaire = questionnaire_of(version)
    return _render_page(
        link, version, questionnaire, {}, paging.first_page(questionnaire, {}), new_submission_key()
    )


@bp.post("/<token>")
def submit(token: str):
    if not _TOKEN_PATTERN.match(token):  # before anything is counted or looked up
        abort(404)
    if limits.public_post_wait() is not None:
        message = gettext("Det kommer svært mange svar akkurat nå. Vent litt og prøv igjen.")
        fields = [(k, v) for k, v in request.form.items(multi=True) if k != "action"]
        return render_template("public/retry.html", fields=fields, message=message), 429
    link = _find_link_or_404(token)
    if not link.is_open:
        return render_template("public/closed.html", link=link), 410
    version, page_index, key = _read_state(link.questionnaire_id)
    questionnaire = questionnaire_of(version)
    try:
        answers = parse_form(questionnaire, request.form.items(multi=True))
    except TamperedSubmission:
        abort(400)
    action = request.form.get("action", "next")
    dps_ids = [unit.id for unit in _dps_choices(questionnaire)]

    if action.startswith("lang:"):
        if action[5:] in current_app.config["LANGUAGES"]:
            session["lang"] = action[5:]
            refresh()
        return _render_page(link, version, questionnaire, answers, page_index, key)
    if action == "show":
        # the browser moves through its history (Back, Forward) or reopens the link: the
        # page as it was, with the answers the browser kept; nothing is checked or stored
        return _render_page(link, version, questionnaire, answers, page_index, key)
    shown = None if request.form.get("js") == "1" else set(request.form.get("shown", "").split())
    step = paging.advance(questionnaire, answers, page_index, action, dps_ids=dps_ids, shown=shown)
    if not step.store:
        notice = None
        if step.notice == "new_questions":
            notice = gettext("Svarene dine gjorde at flere spørsmål ble vist. Se over siden.")
        return _render_page(
            link, version, questionnaire, step.answers, step.page, key, step.errors, notice
        )
    try:
        store_response(
            db_session(),
            version=version,
            questionnaire=questionnaire,
            dps_id=link.dps_id,
            mode="self",
            answers=step.answers,
            submission_key=key,
            today=dt.date.today(),
            date_precision=current_app.config["DATE_PRECISION"],
        )
    except KeyReused:
        # this form was sent before with other answers (the first ones are kept)
        return render_template("public/already_sent.html", link=link), 409
    except OperationalError:
        db_session().rollback()
        current_app.logger.exception("storing a response failed")
        notice = gettext(
            "Vi klarte ikke å lagre svarene akkurat nå. Svarene dine er ikke borte: "
            "trykk «Send inn» igjen om litt."
        )
        return _render_page(
            link, version, questionnaire, answers, page_index, key, notice=notice, status=503
        )
    return redirect(url_for("public.thanks", token=link.token), code=303)


@bp.get("/<token>/takk")
def thanks(token: str):
    link = find_link(db_session(), token)
    if link is None:
        abort(404)
    return render_template("public/thanks.html", link=link)


def _dps_choices(questionnaire: Questionnaire) -> list[DpsUnit]:
    """The units a DPS question may name (queried only when the questionnaire has one)."""
    if not any(q.type is QuestionType.DPS for q in questionnaire.questions()):
        return []
    return active_units(db_session())


def _read_state(questionnaire_id: str) -> tuple[QuestionnaireVersion, int, str]:
    """The version, page and submission key the form carries; anything odd is a 400."""
    form = request.form
    version_id, page = bounded_int(form.get("version", "")), bounded_int(form.get("page", ""))
    key = form.get("key", "")
    if version_id is None or page is None or not _KEY_PATTERN.match(key):
        abort(400)
    version = db_session().get(QuestionnaireVersion, version_id)
    if version is None or version.questionnaire_id != questionnaire_id:
        abort(400)
    if page >= len(questionnaire_of(version).pages):
        abort(400)
    return version, page, key


def _render_page(
    link,
    version: QuestionnaireVersion,
    questionnaire: Questionnaire,
    answers: dict[str, list[str]],
    page_index: int,
    key: str,
    errors: list[AnswerError] = (),
    notice: str | None = None,
    status: int = 200,
):
    page = questionnaire.pages[page_index]
    visible = visible_questions(questionnaire, answers)
    on_page = {aid for q in page.questions for aid in q.answer_ids}
    carried = [(aid, v) for aid, values in answers.items() if aid not in on_page for v in values]
    number, total = paging.progress(questionnaire, answers, page_index)
    html = render_template(
        "public/form.html",
        link=link,
        version=version,
        questionnaire=questionnaire,
        page=page,
        page_index=page_index,
        answers=answers,
        carried=carried,
        visible=visible,
        errors={e.answer_id: error_message(e, questionnaire, answers) for e in errors},
        notice=notice,
        key=key,
        progress_number=number,
        progress_total=total,
        is_last=paging.next_page(questionnaire, answers, page_index) is None,
        units=_dps_choices(questionnaire),
        declined=DECLINED,
        text_limit=text_limit,
        conditions=visibility_plan(questionnaire),
    )
    return html, status


def error_message(
    error: AnswerError, questionnaire: Questionnaire, answers: dict[str, list[str]] | None = None
) -> str:
    """The message shown beside a field, in the page's language. With the answers given, an
    answer that may not be combined with others is named as chosen; without them (the
    interview's checks in the browser), by every such answer of the question."""
    language = str(get_locale())
    question = questionnaire.question(error.answer_id.split(".")[0])
    chosen = (answers or {}).get(error.answer_id, [])
    if error.code == "required":
        if question.required_message is not None:
            return question.required_message.get_text(language)
        return gettext("Dette spørsmålet må besvares.")
    if error.code == "exclusive_choice" or (
        error.code == "invalid_choice" and DECLINED in chosen and len(chosen) > 1
    ):
        return _not_combined(question, chosen, language)
    messages = {
        "invalid_choice": gettext("Velg ett av svaralternativene."),
        "one_value_only": gettext("Velg bare ett svar."),
        "not_a_number": gettext("Skriv et tall, for eksempel 40."),
        "not_integer": gettext("Skriv et helt tall, uten desimaler."),
        "too_long": gettext(
            "Teksten er for lang: høyst %(max)s tegn.", max=error.params.get("max")
        ),
    }
    if error.code == "out_of_range":
        low, high = error.params.get("min"), error.params.get("max")
        if low is not None and high is not None:
            return gettext("Skriv et tall fra %(min)s til %(max)s.", min=_fmt(low), max=_fmt(high))
        if low is not None:
            return gettext("Skriv et tall som er minst %(min)s.", min=_fmt(low))
        return gettext("Skriv et tall som er høyst %(max)s.", max=_fmt(high))
    return messages.get(error.code, gettext("Svaret kunne ikke brukes."))


def _not_combined(question, chosen: list[str], language: str) -> str:
    """«"Vet ikke" kan ikke kombineres med andre svar.», naming the answer (or answers)."""
    exclusive = [c for c in question.choices if c.exclusive]
    named = [c.label.get_text(language) for c in exclusive if c.value in chosen]
    if DECLINED in chosen:
        named.append(gettext("Vil ikke svare"))
    if not named:
        named = [c.label.get_text(language) for c in exclusive]
    quoted = [gettext("«%(answer)s»", answer=text) for text in named]
    return gettext(
        "%(answers)s kan ikke kombineres med andre svar.",
        answers=format_list(quoted, style="or", locale=language),
    )


def numbered_scale(question) -> bool:
    """Whether a scale question shows its points as numbers (0 to 10, say), with the
    scale's words beside the points that have them: a scale made `from`/`to`, whose other
    points are named by their numbers."""
    scale = question.scale
    return bool(
        scale and scale.numeric and any(o.label.get_text("nb") == o.value for o in scale.options)
    )


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number).replace(".", ",")
