"""Building a Report: one cut (period, mode, group) of the protected system of a period.

The one code path behind the workbook, the dashboard and the CLI export. A period's answers
are published only after it has ended; while it runs, only fieldwork progress is shown. For an
ended period every cell any cut can show is protected together (reports.publication), once,
and every view reads its figures off that one decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac

from sqlalchemy.orm import Session

from surveyapp import periods as _periods
from surveyapp.collect.versions import current_version, questionnaire_of
from surveyapp.db import snapshot
from surveyapp.periods import Period, parse_period, period_of, periods_until
from surveyapp.questionnaire import Question, QuestionType, ReportingLevel
from surveyapp.questionnaire.conditions import values_equal
from surveyapp.reports import aggregate, publication, uncertainty
from surveyapp.reports.indicators import indicator_rows
from surveyapp.reports.model import (
    DECLINED,
    MISSING,
    TOTAL,
    Cell,
    Column,
    Filters,
    FreeText,
    Progress,
    QuestionTable,
    Report,
    Row,
    Statistic,
    Trends,
)
from surveyapp.reports.trends import build_trends

_TEXT_KINDS = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}

LABELS = {
    "nb": {
        "declined": "Vil ikke svare",
        "missing": "Ikke besvart",
        "pooled": "Øvrige enheter",
        "area": "Øvrige i DPS-området %(area)s",
        "area_column": "DPS-området %(area)s",
        "total": "Trøndelag i alt",
        "no_total": "Kolonner uten antall svar er ikke vist: de kunne ellers avsløre små grupper.",
    },
    "nn": {
        "declined": "Vil ikkje svare",
        "missing": "Ikkje svart på",
        "pooled": "Andre einingar",
        "area": "Andre i DPS-området %(area)s",
        "area_column": "DPS-området %(area)s",
        "total": "Trøndelag i alt",
        "no_total": "Kolonnar utan tal på svar er ikkje viste: dei kunne elles avsløre små "
        "grupper.",
    },
    "en": {
        "declined": "Prefer not to answer",
        "missing": "Not answered",
        "pooled": "Other units",
        "area": "Others in the %(area)s DPS area",
        "area_column": "The %(area)s DPS area",
        "total": "Trøndelag in total",
        "no_total": "Columns without a response count are not shown: they could otherwise "
        "reveal small groups.",
    },
}


def build_report(
    session: Session,
    questionnaire_id: str,
    *,
    filters: Filters | None = None,
    min_count: int = 5,
    language: str = "nb",
    today: dt.date | None = None,
    secret: bytes = b"",
    trends: bool = False,
) -> Report:
    """The report of one cut. `secret` keys the order of free text (the app's secret key);
    `trends` adds the indicators of every ended period up to this one (Report.trends)."""
    with snapshot(session.get_bind()) as reading:  # every figure from one view of the data
        options = (min_count, language, today or _periods.today(), secret)
        report = _report(reading, questionnaire_id, filters or Filters(), *options)
        if not trends:
            return report
        return dataclasses.replace(
            report, trends=_trends(reading, questionnaire_id, report, options)
        )


def _trends(session: Session, questionnaire_id: str, report: Report, options) -> Trends:
    """Each ended period up to the report's own, from that period's own report."""
    today = options[2]
    ended = [
        period
        for period in map(parse_period, reversed(report.periods))
        if period.published(today) and period.id <= report.period
    ]
    reports = [
        report
        if period.id == report.period
        else _report(
            session,
            questionnaire_id,
            dataclasses.replace(report.filters, period=period.id),
            *options,
        )
        for period in ended
    ]
    questionnaire = questionnaire_of(current_version(session, questionnaire_id))
    return build_trends(questionnaire, reports)


def choosable_periods(session: Session, questionnaire_id: str, today: dt.date) -> list[Period]:
    """The periods a report can be asked for, newest first."""
    scope = aggregate.Scope(session, questionnaire_id)
    return periods_until(aggregate.first_response_day(scope), today)


def default_period(periods: list[Period], today: dt.date) -> Period:
    """The latest period that has ended, or the running one when none has."""
    ended = [p for p in periods if p.published(today)]
    return ended[0] if ended else periods[0]


def _report(
    session: Session,
    questionnaire_id: str,
    filters: Filters,
    min_count: int,
    language: str,
    today: dt.date,
    secret: bytes,
) -> Report:
    version = current_version(session, questionnaire_id)
    if version is None:
        raise LookupError(f"unknown questionnaire: {questionnaire_id}")
    questionnaire = questionnaire_of(version)
    labels = LABELS.get(language, LABELS["nb"])
    scope = aggregate.Scope(session, questionnaire_id)
    periods = periods_until(aggregate.first_response_day(scope), today)
    period = parse_period(filters.period) if filters.period else default_period(periods, today)
    if period is None:
        raise ValueError(f"not a period: {filters.period}")
    scope.period = period
    units = {unit.id: unit for unit in scope.units}
    base = dict(
        questionnaire_id=questionnaire_id,
        title=questionnaire.title.get_text(language),
        language=language,
        min_count=min_count,
        filters=filters,
        generated_on=today,
        period=period.id,
        period_start=period.start,
        period_end=period.end,
        publish_on=period.publish_on,
        periods=[p.id for p in periods],
    )
    if not period.published(today):
        return Report(
            columns=[],
            tables=[],
            versions=[],
            not_shown=[],
            total_note=None,
            published=False,
            progress=_progress(scope, units, min_count),
            **base,
        )
    # The period is decided and shown with the questionnaire it was asked with (a later
    # version would decide its published figures again, differently); a level either version
    # forbids is not shown.
    current, questionnaire = questionnaire, publication.asked_with(scope, questionnaire)
    finest = max(current.reporting.level, questionnaire.reporting.level, key=lambda v: v.rank)
    level = ReportingLevel(filters.level) if filters.level else finest
    if level.rank < finest.rank:
        raise ValueError(f"{questionnaire_id} is not reported per {level}")
    system = publication.protected_system(scope, questionnaire, min_count)
    base["group_not_cut"] = bool(filters.group) and (
        filters.group[0] not in questionnaire.report_groups
    )
    cut = (filters.group[1] if filters.group else None, filters.mode)
    layout = [c for c in system.layout.columns if c.kind in publication.LEVEL_KINDS[level]]
    shown_keys = [c.key for c in layout if system.count_shown(cut, c.key)]
    columns = []
    for column in layout:
        if column.key not in shown_keys:
            continue
        label = _column_label(column, labels)
        units = column.unit_names if column.kind in ("pool", "area", "trust") else ()
        columns.append(Column(column.key, label, system.count(cut, column.key), units))
    hidden = [_column_label(c, labels) for c in layout if c.key not in shown_keys]
    tables = []
    for page in questionnaire.pages:
        for question in page.questions:
            if question.type is QuestionType.INFO or question.type in _TEXT_KINDS:
                continue
            for answer_id, text in _answer_ids_with_text(question, language):
                tables.append(
                    _table(
                        system,
                        cut,
                        shown_keys,
                        question,
                        answer_id,
                        text,
                        page.title.get_text(language),
                        units,
                        labels,
                        language,
                    )
                )
    main_view = cut == (None, None)
    return Report(
        indicators=indicator_rows(questionnaire, tables, shown_keys, language),
        caveats=uncertainty.caveats(language),
        rest_label=uncertainty.rest_label(shown_keys, language),
        columns=columns,
        tables=tables,
        versions=[(v, scope.content_hashes[v]) for v in system.versions],
        not_shown=hidden,
        total_note=labels["no_total"] if hidden else None,
        free_texts=(
            _free_texts(scope, questionnaire, system, columns, tables, language, secret)
            if main_view
            else []
        ),
        hidden_columns=hidden,
        **base,
    )


def _column_label(column, labels) -> str:
    if column.key == TOTAL:
        return labels["total"]
    if column.kind == "area":
        return labels["area_column"] % {"area": column.area_name}
    if column.kind == "trust":
        return column.area_name
    if column.area_name:
        return labels["area"] % {"area": column.area_name}
    if column.unit_names and len(column.members) > 1 or column.pooled:
        return labels["pooled"]
    return column.unit_names[0]


def _progress(scope, units, min_count: int) -> list[Progress]:
    """Responses per DPS so far, rounded down to a multiple of the threshold."""
    per_dps = aggregate.responses_per_dps(scope)
    rows = []
    for unit in sorted(units.values(), key=lambda u: u.sort_order):
        n = per_dps.get(unit.id, 0)
        if not unit.active and not n:
            continue
        rows.append(Progress(unit.name, n // min_count * min_count if n >= min_count else None))
    return rows


def _answer_ids_with_text(question: Question, language: str):
    text = question.text.get_text(language)
    if question.type is QuestionType.MATRIX:
        # a title without closing punctuation ("Samarbeidet med NAV") is joined by a colon
        joint = " " if text.rstrip().endswith(("?", ".", "!", ":")) else ": "
        for item in question.items:
            yield f"{question.id}.{item.id}", f"{text}{joint}{item.text.get_text(language)}"
    else:
        yield question.id, text


def _table(
    system, cut, keys, question, answer_id, text, page, units, labels, language
) -> QuestionTable:
    multiple = question.type is QuestionType.MULTIPLE_CHOICE
    options = (
        [] if question.type is QuestionType.NUMBER else list(_options_in(question, units, language))
    )
    figures = system.figures(answer_id)

    def shown(row: str, key: str) -> int | None:
        return figures.shown((cut, key, row))

    answered = {k: shown(publication.ANSWERED, k) for k in keys}

    def cell(row_key: str, key: str, with_percent: bool) -> Cell:
        count = shown(row_key, key)
        if count is None:
            return Cell(None, None)
        percent = None
        if with_percent and answered[key]:
            percent = count / answered[key]
        return Cell(count, percent)

    rows = [Row(value, label, {k: cell(value, k, True) for k in keys}) for value, label in options]
    rows.append(Row(DECLINED, labels["declined"], {k: cell(DECLINED, k, False) for k in keys}))
    rows.append(Row(MISSING, labels["missing"], {k: cell(MISSING, k, False) for k in keys}))
    stats = {}
    if _numeric(question):
        for k in keys:
            mean = figures.mean((cut, k))
            # no mean where people answered: hidden to protect anonymity («skjult»)
            hidden = mean is None and answered[k] != 0
            median = figures.median((cut, k))
            stats[k] = Statistic(
                mean,
                median,
                hidden=hidden,
                median_hidden=median is None and answered[k] != 0,
                decimals=figures.mean_decimals((cut, k)),
            )
    table = QuestionTable(
        answer_id, question.id, text, page, question.type.value, multiple, rows, answered, stats
    )
    return uncertainty.with_uncertainty(table, question)


def _options_in(question, units, language):
    if question.type is QuestionType.DPS:
        return [(u.id, u.name) for u in units.values()]
    return [(c.value, c.label.get_text(language)) for c in question.options()]


def _numeric(question: Question) -> bool:
    if question.type is QuestionType.NUMBER:
        return True
    return question.scale is not None and question.scale.numeric


def text_order_key(secret: bytes, answer_id: str, text: str) -> str:
    """Where a free text stands among the texts of its question: an HMAC of the text, keyed
    with the app's secret, so the order says nothing about when it was written or who wrote
    the texts next to it, and is not the same from one question to the next."""
    message = f"{answer_id}\x00{text}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _free_texts(scope, questionnaire, system, columns, tables, language, secret) -> list[FreeText]:
    """Approved texts of the columns shown in the main view, in an order keyed by HMAC."""
    shown = {c.key: c for c in columns if c.key != TOTAL}
    column_of = {
        dps: shown[c.key] for c in system.layout.columns if c.key in shown for dps in c.members
    }
    by_id = {t.answer_id: t for t in tables}
    asked = {q.id for q in questionnaire.questions()}
    found = []
    for dps_id, answer_id, text in aggregate.approved_free_texts(scope):
        column = column_of.get(dps_id)
        # a question an older version had and the period's (newest) one dropped: no table,
        # no place in the report
        if column is None or answer_id not in asked:
            continue
        question = questionnaire.question(answer_id)
        if not _asked_shown(question, questionnaire.page_of(answer_id), by_id, column.key):
            continue
        found.append(
            (
                answer_id,
                text_order_key(secret, answer_id, text),
                FreeText(column.label, question.text.get_text(language), text),
            )
        )
    order = {q.id: i for i, q in enumerate(questionnaire.questions())}
    found.sort(key=lambda t: (order.get(t[0], len(order)), t[1]))
    return [t[2] for t in found]


def _asked_shown(question, page, tables: dict, key: str) -> bool:
    """Whether the report shows, in this column, how many were asked this question. A text is
    shown only then: it says that someone in the column met the question's condition, and
    the number of texts would otherwise bound a hidden count from below (a hidden «Nei» at a
    unit and two texts to «Hvorfor ikke?» there: at least two said no). For `q == "v"` and
    `q in [...]` the cells of those values must be shown; for any other condition, every
    figure of the questions it reads."""
    for condition in (question.show_if, page.show_if):
        if condition is None:
            continue
        ast = condition.ast
        simple = ast.get("op") in ("==", "in") and len(condition.references) == 1
        for ref in condition.references:
            table = tables.get(ref)
            if table is None or not simple and table.answered.get(key) is None:
                return False
            rows = table.rows
            if simple:
                values = ast.get("values", [ast.get("value")])
                rows = [r for r in rows if any(values_equal(r.value, v) for v in values)]
                if not rows:
                    return False  # a value no row holds: nothing says how many were asked
            if any(row.cells[key].count is None for row in rows):
                return False
    return True


__all__ = ["build_report", "choosable_periods", "default_period", "period_of", "text_order_key"]
