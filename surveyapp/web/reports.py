"""Reports for the forum (analysts) and admins: the comparison of DPS units, one unit's
page and the workbook download.

Every figure comes from the one Report that reports.summary.build_report makes; the
pages and the workbook only render it. Every page view and every download is a release of
figures, and is written to the audit log with its filters (admin.audit_log lists them).

The figures of a period that has ended do not change, so its Report is built once per
(questionnaire, filters, language, threshold, day, data fingerprint) and kept in memory; a
new response, a new version or a newly approved free text changes the fingerprint. Pages are
sent gzip-compressed to browsers that accept it.
"""

from __future__ import annotations

import gzip
import tempfile
import threading
from collections import OrderedDict
from dataclasses import replace
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
from markupsafe import Markup
from sqlalchemy import func, select

from surveyapp import audit, periods
from surveyapp.collect.versions import current_version, current_versions, questionnaire_of
from surveyapp.db.models import Answer, Response
from surveyapp.registry import RegistryError, short_names
from surveyapp.reports import aggregate, labels, svg
from surveyapp.reports.excel import app_publisher, save_workbook
from surveyapp.reports.filters import (
    FilterProblem,
    ParsedFilters,
    allowed_groups,
    describe,
    filter_args,
    group_choices,
    level_choices,
    mode_choices,
    parse_filters,
    problem_text,
)
from surveyapp.reports.model import ABOVE, BELOW, Filters, Report
from surveyapp.reports.summary import build_report, choosable_periods, default_period
from surveyapp.web import db_session
from surveyapp.web.auth import require_role

bp = Blueprint("reports", __name__)

PREFIX = "/rapporter"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


COMPRESS_MIN_BYTES = 1024
COMPRESSIBLE = ("text/html", "text/csv", "application/json", "image/svg+xml")


@bp.after_request
def _not_cached(response):
    """Reports are read on shared laptops: keep them out of caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def _compressed(response):
    """Send pages gzip-compressed where the browser accepts it: a comparison is 300 KB of
    HTML and a tenth of that compressed."""
    accepts = request.accept_encodings["gzip"] or request.accept_encodings["*"]
    response.vary.add("Accept-Encoding")
    if (
        not accepts
        or response.direct_passthrough
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
    ):
        return response
    data = response.get_data()
    if len(data) < COMPRESS_MIN_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    return response


@bp.app_template_filter("percent")
def percent_text(share: float) -> str:
    """A share (0 to 1, as the Report has it) as a percentage the way the workbook shows
    it: one decimal, rounded half up as Excel does, in the page's language: "54,5 %"."""
    share = (Decimal(str(share)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP) / 100
    pattern = get_locale().percent_formats[None].pattern.replace("#,##0", "#,##0.0", 1)
    return format_percent(share, format=pattern)


def number_text(value: float, decimals: int = 1) -> str:
    """A mean or median with one decimal (or none, for a mean published so), rounded half up
    as in the workbook: "2,5"."""
    step, pattern = (Decimal("0.1"), "#,##0.0") if decimals else (Decimal("1"), "#,##0")
    return format_decimal(Decimal(str(value)).quantize(step, ROUND_HALF_UP), format=pattern)


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
    report = _build(questionnaire_id, context["parsed"].filters, context["period_choices"])
    _describe_period(context, report)
    running = _running_progress(questionnaire_id, context, report)
    # the same Report has the same filters, so the summary's links are the same too
    summary = _fragment(report, "summary", "reports/_summary.html", args=context["args"])
    questions = _fragment(report, "comparison", "reports/_comparison_questions.html")
    page = render_template(
        "reports/comparison.html",
        report=report,
        running=running,
        summary=summary,
        questions=questions,
        **context,
    )
    _log_release(audit.VIEW_COMPARISON, questionnaire_id, _shown_args(context, report))
    return page


@bp.get(f"{PREFIX}/<questionnaire_id>/enhet/<column_key>")
@require_role("analyst", "admin")
def column(questionnaire_id: str, column_key: str):
    context = _filter_context(questionnaire_id)
    if context["parsed"].problems:
        return render_template("reports/comparison.html", report=None, **context), 400
    report = _build(questionnaire_id, context["parsed"].filters, context["period_choices"])
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
    questions = _fragment(
        report, f"column:{shown.key}", "reports/_column_questions.html", column=shown
    )
    page = render_template(
        "reports/column.html", report=report, column=shown, questions=questions, **context
    )
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
    report = _build(questionnaire_id, parsed.filters, context["period_choices"])
    if not report.published:  # a running period has no workbook, only progress
        back = url_for(
            "reports.comparison", questionnaire_id=questionnaire_id, **request.args.to_dict(False)
        )
        return redirect(back, 303)
    with tempfile.TemporaryDirectory() as directory:
        path = save_workbook(
            report, Path(directory) / "rapport.xlsx", gettext, publisher=app_publisher()
        )
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
        finest=questionnaire.reporting.level,
    )
    return {
        "questionnaire": questionnaire,
        "period_choices": choices,
        "mode_choices": modes,
        "group_choices": groups,
        "level_choices": level_options(questionnaire.reporting.level, gettext),
        "parsed": parsed,
        "problems": [(p.argument, problem_message(p)) for p in parsed.problems],
        "args": filter_args(parsed.filters),
        "description": describe(
            parsed.filters, gettext, language=language, questionnaire=questionnaire
        ),
    }


def level_options(finest, gettext) -> list[tuple[str, str]]:
    """The levels (`nivå`) the questionnaire may be shown at, finest first, with their names;
    none to choose when there is only one."""
    names = {
        "enhet": gettext("Per enhet (DPS)"),
        "område": gettext("Per DPS-område"),
        "foretak": gettext("Per helseforetak"),
        "trondelag": gettext("Trøndelag i alt"),
    }
    words = level_choices(finest)
    return [(word, names[word]) for word in words] if len(words) > 1 else []


def _log_release(action: str, questionnaire_id: str, filters: dict, **extra) -> None:
    """One audit entry for figures that are about to leave: the filters that made them."""
    audit.record_release(db_session(), current_user, action, questionnaire_id, filters, **extra)


def _shown_filters(context: dict, report: Report) -> Filters:
    """The filters of what is shown: the period the report covers, also when none was asked
    for."""
    filters = context["parsed"].filters
    return replace(filters, period=report.period)


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


def _build(questionnaire_id: str, filters: Filters, choices: list) -> Report:
    """The report of one cut, from the cache when its period's data are what they were
    (`choices`: the periods that can be chosen, newest first)."""
    session = db_session()
    language = _language()
    today = periods.today()
    min_count = current_app.config["MIN_CELL_COUNT"]
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = None
    try:
        period = (
            next((p for p in choices if p.id == filters.period), None)
            if filters.period
            else (default_period(choices, today) if choices else None)
        )
        if period is not None:  # a running period's progress changes with its responses too
            data = _data_key(questionnaire_id, period)
            key = (questionnaire_id, filters, language, min_count, today, data)
            cached = _reports.get(key)
            if cached is not None:
                return cached
        report = build_report(
            session,
            questionnaire_id,
            filters=filters,
            min_count=min_count,
            language=language,
            today=today,
            secret=secret,
        )
    except LookupError:
        abort(404)
    if key is not None:
        _reports.put(key, report)
    return report


def _data_key(questionnaire_id: str, period) -> tuple:
    """Cheap evidence that the figures of an ended period are what they were: its responses
    (how many, the first and last of their random ids: stored answers never change, and a
    deleted response changes these), the questionnaire's versions, and its approved free
    texts (how many, which, and how long: an admin may approve, redact or withdraw one)."""
    session = db_session()
    scope = aggregate.Scope(session, questionnaire_id)
    scope.period = period
    responses = session.execute(
        select(func.count(), func.min(Response.id), func.max(Response.id)).where(
            *scope.on(Response)
        )
    ).one()
    approved = session.execute(
        select(
            func.count(),
            func.min(Answer.response_id),
            func.max(Answer.response_id),
            func.sum(func.length(Answer.value)),
        ).where(Answer.review == "approved", *scope.on(Answer))
    ).one()
    return tuple(responses), tuple(scope.versions), tuple(approved)


class _ReportCache:
    """The last few Reports, shared by the threads of a worker, with the parts of their
    pages that depend on nothing but the Report (the questions' charts and tables)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.items: OrderedDict = OrderedDict()  # key -> report
        self.fragments: dict[int, dict[str, Markup]] = {}  # id(report) -> name -> HTML
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            report = self.items.get(key)
            if report is not None:
                self.items.move_to_end(key)
            return report

    def put(self, key, report: Report) -> None:
        with self.lock:
            self.items[key] = report
            self.items.move_to_end(key)
            self.fragments.setdefault(id(report), {})
            while len(self.items) > self.size:
                _, old = self.items.popitem(last=False)
                self.fragments.pop(id(old), None)

    def fragment(self, report: Report, name: str, render) -> Markup:
        """A cached Report's part `name`, rendered once; an uncached one's, every time."""
        with self.lock:
            known = self.fragments.get(id(report))
            html = known.get(name) if known is not None else None
        if html is not None:
            return html
        html = Markup(render())
        with self.lock:
            if known is not None and id(report) in self.fragments:
                known[name] = html
        return html

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.fragments.clear()


_reports = _ReportCache()


def _fragment(report: Report, name: str, template: str, **context) -> Markup:
    """The questions of a page: the same for every view of the same Report (they carry no
    filter links and no per-request tokens), so rendered once per cached Report."""
    return _reports.fragment(
        report, name, lambda: render_template(template, report=report, **context)
    )


def _running_progress(questionnaire_id: str, context: dict, report: Report) -> Report | None:
    """While a later period runs, the comparison of an ended one also shows the fieldwork
    of the running period (responses per unit, rounded down to the threshold)."""
    if not report.published:
        return None
    running = next((p for p in context["period_choices"] if not p.published(periods.today())), None)
    if running is None or running.id == report.period:
        return None
    filters = context["parsed"].filters
    progress = _build(
        questionnaire_id,
        replace(filters, period=running.id),
        context["period_choices"],
    )
    # nothing to show until some unit has as many responses as the threshold
    return progress if any(row.at_least for row in progress.progress) else None


def _short_names() -> dict[str, str]:
    try:
        return short_names()
    except RegistryError:
        return {}


def interval_text(low: float | None, high: float | None, kind: str = "number") -> str:
    """A 95 % interval as the page writes it: "28–39 %" (a share), "3,9–4,3" (a mean),
    "68–76" (an indicator); empty without one."""
    if low is None or high is None:
        return ""
    if kind == "percent":
        pattern = "#,##0"
        return f"{_rounded(low * 100, 0, pattern)}–{_rounded(high * 100, 0, pattern)}\u00a0%"
    if kind == "score":
        return f"{_rounded(low, 0, '#,##0')}–{_rounded(high, 0, '#,##0')}"
    return f"{number_text(low)}–{number_text(high)}"


def _rounded(value: float, digits: int, pattern: str) -> str:
    step = Decimal(1).scaleb(-digits)
    return format_decimal(Decimal(str(value)).quantize(step, ROUND_HALF_UP), format=pattern)


def mark_symbol(versus) -> str:
    """▲ or ▼ for a figure clearly above or below the rest of Trøndelag; else nothing."""
    mark = getattr(versus, "mark", "")
    return "▲" if mark == ABOVE else "▼" if mark == BELOW else ""


def mark_words(versus) -> str:
    mark = getattr(versus, "mark", "")
    if mark == ABOVE:
        return gettext("klart over resten av Trøndelag")
    if mark == BELOW:
        return gettext("klart under resten av Trøndelag")
    return ""


@bp.context_processor
def _chart_helpers() -> dict:
    """Charts for the report templates, with localised numbers and the word for hidden."""
    names = _short_names()

    def suppressed(report: Report) -> str:
        """The one label of every hidden figure: never a claim about its size."""
        return gettext("skjult")

    def short_name(column) -> str:
        return labels.column_short_name(column, names)

    def marks(versus) -> str:
        symbol = mark_symbol(versus)
        return f" {symbol}" if symbol else ""

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
        """One compact chart per question: the mean per unit with its interval for a
        scale, else the share of each answer per unit."""
        short = [short_name(c) for c in report.columns]
        scale = labels.scale_values(table)
        if table.statistics and (scale or not svg.option_rows(table)):
            return svg.mean_chart(
                table,
                report.columns,
                chart_id=chart_id,
                title=title,
                suppressed_label=suppressed(report),
                no_value_label=gettext("ikke noe gjennomsnitt"),
                format_number=number_text,
                minimum=scale[0][1] if scale else 0.0,
                maximum=scale[-1][1] if scale else None,
                labels=short,
                marks=marks,
                format_interval=lambda low, high: gettext(
                    "95 %% KI %(interval)s", interval=interval_text(low, high)
                ),
            )
        if svg.option_rows(table):
            return svg.comparison_chart(
                table,
                report.columns,
                chart_id=chart_id,
                title=title,
                suppressed_label=suppressed(report),
                no_share_label=gettext("ingen svar"),
                format_percent=percent_text,
                labels=short,
            )
        return ""

    def indicator_chart(report: Report, indicator, chart_id: str):
        return svg.indicator_chart(
            indicator,
            report.columns,
            chart_id=chart_id,
            title=gettext(
                "%(indicator)s (0–100) per enhet, med 95 %% konfidensintervall",
                indicator=indicator.name,
            ),
            suppressed_label=suppressed(report),
            no_value_label=gettext("ingen svar"),
            format_number=lambda value: _rounded(value, 0, "#,##0"),
            labels=[short_name(c) for c in report.columns],
            marks=marks,
            format_interval=lambda low, high: gettext(
                "95 %% KI %(interval)s", interval=interval_text(low, high, "score")
            ),
        )

    return {
        "suppressed_text": suppressed,
        "share_hidden": labels.row_share_hidden,
        "statistic_hidden": labels.statistic_hidden,
        "column_chart": column_chart,
        "comparison_chart": comparison_chart,
        "indicator_chart": indicator_chart,
        "number_text": number_text,
        "score_text": lambda value: _rounded(value, 0, "#,##0"),
        "interval_text": interval_text,
        "mark_symbol": mark_symbol,
        "mark_words": mark_words,
        "short_name": short_name,
    }
