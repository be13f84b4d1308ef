"""Admin pages for approving free text: the pending counts per questionnaire and DPS, and
one card per pending text with three choices (approve, redact and approve, reject).

The rules live in collect.review; these views parse the form, call one service, and send
the browser back with a message (303).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext
from flask_login import current_user

from surveyapp.collect import review
from surveyapp.web import db_session
from surveyapp.web.auth import require_role

bp = Blueprint("review", __name__, url_prefix="/admin/fritekst")

PAGE_SIZE = 25  # texts per page; the next ones show as these are decided


@bp.after_request
def _not_cached(response):
    """Pending free text is not yet cleared for anyone but admins: keep it out of caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def pending_free_texts() -> int:
    """How many free texts wait for approval (the front page shows it to admins)."""
    return review.pending_total(db_session())


@bp.get("")
@require_role("admin")
def overview():
    groups = review.pending_overview(db_session(), _language())
    return render_template(
        "review/overview.html", groups=groups, total=sum(g.count for g in groups)
    )


@bp.get("/<questionnaire_id>/<dps_id>")
@require_role("admin")
def texts(questionnaire_id: str, dps_id: str):
    session = db_session()
    group = review.pending_group(session, questionnaire_id, dps_id, _language())
    if group is None:
        abort(404)
    items = review.pending(
        session,
        questionnaire_id,
        dps_id,
        PAGE_SIZE,
        secret=current_app.secret_key,
        language=_language(),
    )
    return render_template(
        "review/texts.html", group=group, items=items, max_length=review.REDACTION_MAX
    )


@bp.post("/svar/<ref>/godkjenn")
@require_role("admin")
def approve(ref: str):
    source = _decide(review.approve, ref)
    flash(gettext("Teksten er godkjent og kommer med i rapportene."))
    return _back(source)


@bp.post("/svar/<ref>/rediger")
@require_role("admin")
def redact(ref: str):
    text = request.form.get("text", "")
    try:
        source = _decide(review.redact, ref, text)
    except review.ReviewError as error:
        flash(redaction_message(error.code))
        return _back(error.source)
    flash(gettext("Den redigerte teksten er godkjent og kommer med i rapportene."))
    return _back(source)


@bp.route("/svar/<ref>/avvis", methods=["GET", "POST"])
@require_role("admin")
def reject(ref: str):
    """Rejecting deletes the text for good, so it takes two steps: this page shows the text
    and asks; only its own form (confirm=yes) deletes."""
    if request.method == "POST" and request.form.get("confirm") == "yes":
        source = _decide(review.reject, ref)
        flash(gettext("Teksten er avvist og slettet. Den kommer aldri med i rapportene."))
        return _back(source)
    try:
        item, source = review.find_pending(
            db_session(), ref, secret=current_app.secret_key, language=_language()
        )
    except review.ReviewError:
        abort(404)
    return render_template("review/confirm_reject.html", item=item, source=source)


def redaction_message(code: str) -> str:
    nothing_changed = gettext("Ingenting er endret.")
    message = {
        "words_added": gettext(
            "Du kan bare fjerne ord, eller bytte dem ut med [fjernet], ikke skrive inn nye "
            "ord eller tegn."
        ),
        "empty": gettext(
            "Det er ingen ord igjen i teksten. Velg «Avvis» hvis ingenting av den skal være med."
        ),
        "too_long": gettext(
            "Teksten er for lang: den kan ha høyst %(n)s tegn.", n=review.REDACTION_MAX
        ),
    }.get(code, gettext("Teksten kunne ikke lagres."))
    return f"{message} {nothing_changed}"


def _decide(service, ref: str, *args) -> review.Source:
    """Call one decision service; an unknown (or already decided) text is a 404."""
    try:
        return service(db_session(), ref, *args, secret=current_app.secret_key, user=current_user)
    except review.ReviewError as error:
        if error.code == "unknown" or error.source is None:
            abort(404)
        raise


def _back(source: review.Source):
    return redirect(
        url_for("review.texts", questionnaire_id=source.questionnaire_id, dps_id=source.dps_id),
        code=303,
    )


def _language() -> str:
    return str(get_locale())
