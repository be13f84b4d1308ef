"""Reports for the forum (analysts) and admins: the comparison of DPS units, one unit's
page and the workbook download.

Every figure comes from the one Report that reports.summary.build_report makes; the
pages and the workbook only render it. Every page view and every download is a release of
figures, and is written to the audit log with its filters (admin.audit_log lists them).
"""

from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal, format_percent, get_locale, gettext
from flask_login import current_user

from surveyapp import audit
from surveyapp.collect.versions import current_version, current_versions, questionnaire_of
from surveyapp.reports import labels, periods, svg
from surveyapp.reports.excel import save_workbook
from surveyapp.reports.filters import (
    FilterProblem,
    ParsedFilters,
    allowed_groups,
    describe,
    filter_args,
    group_choices,
    mode_choices,
    parse_filters,
    problem_text,
)
from surveyapp.reports.model import Filters, Report
from surveyapp.reports.summary import build_report, choosable_periods
from surveyapp.web import db_session
from surveyapp.web.auth import require_role

bp = Blueprint("reports", __name__)

PREFIX = "/rapporter"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_request
def _not_cached(response):
    """Reports are read on shared laptops: keep them out of caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_filter("percent")
def percent_text(share: float) -> str:
    """A share (0 to 1, as the Report has it) as a percentage the way the workbook shows
    it: one decimal, rounded half up as Excel does, in the page's language: "54,5 %"."""
    share = (Decimal(str(share)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) / 100
    pattern = get_locale().percent_formats[None].pattern.replace("#,##0", "#,##0.0", 1)
    return format_percent(share, format=pattern)


def number_text(value: float) -> str:
    """A mean or median with one decimal, rounded half up as in the workbook: "2,5"."""
    return format_decimal(
        Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP), format="#,##0.0"
    )


@bp.get(f"{PREFIX}/")
@require_role("analyst", "admin")
def index():
    versions = current_versions(db_session())
    return render_template(
        "reports/index.html",
        questionnaires=[(v.questionnaire_id, questionnaire_of(v)) for v in versions],
    )


@bp.get(f"{PREFIX}/<questionnaire_id>")
@require_role("analyst", "admin")
def comparison(questionnaire_id: str):
    context = _filter_context(questionnaire_id)
    if context["parsed"].problems:  # refused: nothing is shown for a filter we do not offer
        return render_template("reports/comparison.html", report=None, **context), 400
    report = _build(questionnaire_id, context["parsed"].filters)
    _describe_period(context, report)
    page = render_template("reports/comparison.html", report=report, **context)
    _log_release(audit.VIEW_COMPARISON, questionnaire_id, _shown_args(context, report))
    return page


@bp.get(f"{PREFIX}/<questionnaire_id>/enhet/<column_key>")
@require_role("analyst", "admin")
def column(questionnaire_id: str, column_key: str):
    context = _filter_context(questionnaire_id)
    if context["parsed"].problems:
        return render_template("reports/comparison.html", report=None, **context), 400
    report = _build(questionnaire_id, context["parsed"].filters)
    if not report.published:
        return redirect(
            url_for(
                "reports.comparison",
                questionnaire_id=questionnaire_id,
                **request.args.to_dict(False),
            ),
            303,
        )
    _describe_period(context, report)
    shown = next((c for c in report.columns if c.key == column_key), None)
    if shown is None:
        abort(404)
    page = render_template("reports/column.html", report=report, column=shown, **context)
    _log_release(audit.VIEW_UNIT, questionnaire_id, _shown_args(context, report), unit=shown.key)
    return page


@bp.get(f"{PREFIX}/<questionnaire_id>/excel")
@require_role("analyst", "admin")
def workbook(questionnaire_id: str):
    context = _filter_context(questionnaire_id)
    parsed: ParsedFilters = context["parsed"]
    if parsed.problems:  # never hand out an unfiltered workbook for a filtered request
        back = url_for(
            "reports.comparison", questionnaire_id=questionnaire_id, **request.args.to_dict(False)
        )
        return redirect(back, 303)
    report = _build(questionnaire_id, parsed.filters)
    if not report.published:  # a running period has no workbook, only progress
        back = url_for(
            "reports.comparison", questionnaire_id=questionnaire_id, **request.args.to_dict(False)
        )
        return redirect(back, 303)
    with tempfile.TemporaryDirectory() as directory:
        path = save_workbook(report, Path(directory) / "rapport.xlsx", gettext)
        data = path.read_bytes()
    _log_release(audit.DOWNLOAD_WORKBOOK, questionnaire_id, _shown_args(context, report))
    return send_file(
        BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name=f"brukerstemmen-{questionnaire_id}-{report.period}-{report.generated_on}.xlsx",
    )


def problem_message(problem: FilterProblem) -> str:
    return problem_text(problem, gettext)


def _language() -> str:
    return str(get_locale())


def _filter_context(questionnaire_id: str) -> dict:
    """The questionnaire, what the filter form offers, and the filters asked for."""
    session = db_session()
    version = current_version(session, questionnaire_id)
    if version is None:
        abort(404)
    questionnaire = questionnaire_of(version)
    language = _language()
    choices = choosable_periods(session, questionnaire_id, periods.today())
    groups = group_choices(questionnaire, language)
    modes = mode_choices(questionnaire)
    parsed = parse_filters(
        request.args,
        periods=[p.id for p in choices],
        modes=modes,
        groups=allowed_groups(groups),
    )
    return {
        "questionnaire": questionnaire,
        "period_choices": choices,
        "mode_choices": modes,
        "group_choices": groups,
        "parsed": parsed,
        "problems": [(p.argument, problem_message(p)) for p in parsed.problems],
        "args": filter_args(parsed.filters),
        "description": describe(
            parsed.filters, gettext, language=language, questionnaire=questionnaire
        ),
    }


def _log_release(action: str, questionnaire_id: str, filters: dict, **extra) -> None:
    """One audit entry for figures that are about to leave: the filters that made them."""
    audit.record_release(db_session(), current_user, action, questionnaire_id, filters, **extra)


def _shown_filters(context: dict, report: Report) -> Filters:
    """The filters of what is shown: the period the report covers, also when none was asked
    for."""
    filters = context["parsed"].filters
    return Filters(report.period, filters.mode, filters.group)


def _shown_args(context: dict, report: Report) -> dict:
    """The shown filters as query arguments, as the audit log records a release."""
    return filter_args(_shown_filters(context, report))


def _describe_period(context: dict, report: Report) -> None:
    """The selection in words names the period shown, also when none was asked for."""
    context["description"] = describe(
        _shown_filters(context, report),
        gettext,
        language=_language(),
        questionnaire=context["questionnaire"],
    )


def _build(questionnaire_id: str, filters: Filters) -> Report:
    try:
        return build_report(
            db_session(),
            questionnaire_id,
            filters=filters,
            min_count=current_app.config["MIN_CELL_COUNT"],
            language=_language(),
            secret=str(current_app.config["SECRET_KEY"]).encode(),
        )
    except LookupError:
        abort(404)


@bp.context_processor
def _chart_helpers() -> dict:
    """Charts for the report templates, with localised numbers and the word for hidden."""

    def suppressed(report: Report) -> str:
        """The one label of every hidden figure: never a claim about its size."""
        return gettext("skjult")

    def column_chart(report: Report, table, column_key: str, chart_id: str, title: str):
        if not svg.option_rows(table):
            return ""
        return svg.column_chart(
            table,
            column_key,
            chart_id=chart_id,
            title=title,
            suppressed_label=suppressed(report),
            no_share_label=gettext("ingen svar"),
            format_percent=percent_text,
        )

    def comparison_chart(report: Report, table, chart_id: str, title: str):
        if svg.option_rows(table):
            return svg.comparison_chart(
                table,
                report.columns,
                chart_id=chart_id,
                title=title,
                suppressed_label=suppressed(report),
                no_share_label=gettext("ingen svar"),
                format_percent=percent_text,
            )
        if table.statistics:
            return svg.mean_chart(
                table,
                report.columns,
                chart_id=chart_id,
                title=title,
                suppressed_label=suppressed(report),
                no_value_label=gettext("ikke noe gjennomsnitt"),
                format_number=number_text,
            )
        return ""

    return {
        "suppressed_text": suppressed,
        "share_hidden": labels.row_share_hidden,
        "statistic_hidden": labels.statistic_hidden,
        "column_chart": column_chart,
        "comparison_chart": comparison_chart,
        "number_text": number_text,
    }
