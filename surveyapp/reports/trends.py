"""Each indicator per published period and column, and where it clearly changed.

Built from the reports of the ended periods (build_report for each, so each period's
figures are that period's own protected figures and nothing new is disclosed). A change
from one period to the next is marked only where it is clear at the 5 % level (Newcombe for
a share, Welch for a score), treating the two periods as independent samples.
"""

from __future__ import annotations

from surveyapp.questionnaire import Questionnaire
from surveyapp.reports.indicators import difference, inputs, scale_of
from surveyapp.reports.model import DOWN, UP, Report, TrendPoint, Trends, TrendSeries
from surveyapp.reports.uncertainty import comparison


def build_trends(questionnaire: Questionnaire, reports: list[Report]) -> Trends:
    """The trends over `reports`, one per period, oldest first (published ones only)."""
    reports = [report for report in reports if report.published]
    keys: list[str] = []
    labels: dict[str, str] = {}
    for report in reversed(reports):  # the newest report's columns first, and their labels
        for column in report.columns:
            if column.key not in labels:
                keys.append(column.key)
                labels[column.key] = column.label
    tables = [{t.answer_id: t for t in report.tables} for report in reports]
    columns = [{c.key: c for c in report.columns} for report in reports]
    series = []
    for indicator in questionnaire.indicators:
        rows = [{row.id: row for row in report.indicators}.get(indicator.id) for report in reports]
        for key in keys:
            points = []
            for i, report in enumerate(reports):
                shown = rows[i].values.get(key) if rows[i] else None
                change = None
                if i and shown is not None and points[-1].value is not None:
                    change = _change(indicator, questionnaire, tables, columns, i, key)
                points.append(TrendPoint(report.period, shown, change))
            if any(point.value is not None for point in points):
                series.append(TrendSeries(indicator.id, key, labels[key], points))
    return Trends([report.period for report in reports], series)


def _change(indicator, questionnaire, tables, columns, i, key):
    """The later period (i) against the one before it, in one column; None where the
    column does not hold the same units in both (a pool whose members changed)."""
    if columns[i][key].units != columns[i - 1][key].units:
        return None
    later = inputs(indicator, questionnaire, tables[i], key)
    earlier = inputs(indicator, questionnaire, tables[i - 1], key)
    found = difference(later, earlier)
    return comparison(found, scale_of(indicator), up=UP, down=DOWN) if found else None
