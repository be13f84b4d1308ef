"""Intervals and comparisons on a report's tables, from the figures the tables already show.

Every figure added here is computed from shown counts only: a percentage's Wilson interval
from its count and the column's `answered`; a mean's t interval from the shown counts of
each value on the scale (the spread follows from them); a column against the rest of
Trøndelag from the column's counts and the total's, the rest being the total minus the
column (where the total column is not shown: the other columns whose figure is shown, added
up). Where a figure it needs is hidden, the added figure is None, so nothing here can reveal
what disclosure control hid (docs/reports.md, docs/disclosure-design.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

from surveyapp.questionnaire import Question
from surveyapp.reports.estimate import (
    Difference,
    Proportion,
    ValueCounts,
    compare_means,
    compare_proportions,
    estimate_mean,
    wilson_interval,
)
from surveyapp.reports.model import (
    ABOVE,
    BELOW,
    DECLINED,
    MISSING,
    NOT_CLEAR,
    TOTAL,
    Cell,
    Comparison,
    QuestionTable,
    Row,
    Statistic,
)

T = TypeVar("T")

# What a column is compared with: the total minus the column, or (the total not shown) the
# other columns of the table added up.
REST_LABELS = {
    "nb": {
        "total": "resten av Trøndelag",
        "others": "de andre enhetene i tabellen der tallet vises",
    },
    "nn": {
        "total": "resten av Trøndelag",
        "others": "dei andre einingane i tabellen der talet blir vist",
    },
    "en": {
        "total": "the rest of Trøndelag",
        "others": "the other units in the table where the figure is shown",
    },
}

CAVEATS = {
    "nb": [
        "Intervallene viser hvor mye et tall kunne ha variert av tilfeldigheter alene (95 %"
        " konfidensintervall). Et DPS er merket som over eller under resten av Trøndelag bare"
        " der forskjellen er tydelig på 5 %-nivået; uten merke kan forskjellen like gjerne være"
        " tilfeldig.",
        "De som svarer, har selv valgt å svare. De kan ha andre erfaringer enn de som ikke"
        " svarer, og det viser ikke intervallene.",
        "Tallene er ikke justert for forskjeller mellom DPS-ene i hvem pasientene er (alder,"
        " hvor syke de er, hva slags behandling de får).",
        "Vi vet ikke hvor mange som fikk tilbud om å svare, og kjenner derfor ikke svarprosenten.",
    ],
    "nn": [
        "Intervalla viser kor mykje eit tal kunne ha variert av tilfeldigheiter åleine (95 %"
        " konfidensintervall). Eit DPS er merkt som over eller under resten av Trøndelag berre"
        " der skilnaden er tydeleg på 5 %-nivået; utan merke kan skilnaden like gjerne vere"
        " tilfeldig.",
        "Dei som svarar, har sjølve valt å svare. Dei kan ha andre erfaringar enn dei som ikkje"
        " svarar, og det viser ikkje intervalla.",
        "Tala er ikkje justerte for skilnader mellom DPS-a i kven pasientane er (alder, kor"
        " sjuke dei er, kva slags behandling dei får).",
        "Vi veit ikkje kor mange som fekk tilbod om å svare, og kjenner difor ikkje svarprosenten.",
    ],
    "en": [
        "The intervals show how much a figure could have varied by chance alone (95 %"
        " confidence intervals). A DPS is marked as above or below the rest of Trøndelag only"
        " where the difference is clear at the 5 % level; without a mark the difference may"
        " just as well be chance.",
        "Those who answer chose to answer. Their experience may differ from that of those who"
        " do not, and the intervals do not show that.",
        "The figures are not adjusted for differences between the DPS units in who their"
        " patients are (age, how ill they are, what treatment they receive).",
        "We do not know how many were invited to answer, so the response rate is unknown.",
    ],
}


def caveats(language: str) -> list[str]:
    return list(CAVEATS.get(language, CAVEATS["nb"]))


def rest_label(keys: list[str], language: str) -> str | None:
    """What the columns of a report are compared with; None when there is nothing to
    compare a column with (a single column)."""
    labels = REST_LABELS.get(language, REST_LABELS["nb"])
    if TOTAL in keys:
        return labels["total"] if len(keys) > 1 else None
    return labels["others"] if len(keys) > 1 else None


def rest(
    key: str,
    figures: dict[str, T | None],
    add: Callable[[list[T]], T],
    minus: Callable[[T, T], T],
) -> tuple[T, T] | None:
    """(the column's figure, the rest's) for column `key`, from every column's figure (None
    where hidden). Where the total column is shown, the rest is the total minus the column
    (no comparison where the total's figure is hidden); where it is not, the rest is the
    other columns whose figure is shown, added up (the columns of one level do not overlap).
    None in the total column and where the column's own figure is hidden."""
    own = figures.get(key)
    if key == TOTAL or own is None:
        return None
    if TOTAL in figures:
        total = figures[TOTAL]
        return None if total is None else (own, minus(total, own))
    others = [figure for k, figure in figures.items() if k != key and figure is not None]
    return (own, add(others)) if others else None


def add_proportions(parts: list[Proportion]) -> Proportion:
    return Proportion(sum(p.successes for p in parts), sum(p.n for p in parts))


def add_counts(parts: list[ValueCounts]) -> ValueCounts:
    return ValueCounts.of([pair for part in parts for pair in part.counts])


def comparison(
    difference: Difference, scale: float = 1.0, up: str = ABOVE, down: str = BELOW
) -> Comparison | None:
    """A Difference as the report shows it (`scale` 100 puts shares on 0-100); None where
    there was nothing to compare with (an empty rest)."""
    if difference.difference is None:
        return None
    mark = NOT_CLEAR
    if difference.clear:
        mark = up if difference.difference > 0 else down

    def scaled(value: float | None) -> float | None:
        return None if value is None else value * scale

    interval = difference.interval
    return Comparison(
        other=scaled(difference.second),
        difference=scaled(difference.difference),
        low=scaled(interval.low) if interval else None,
        high=scaled(interval.high) if interval else None,
        p_value=difference.p_value,
        mark=mark,
    )


def numeric_options(question: Question) -> list[tuple[str, float]]:
    """The scale's values as numbers ("Ikke aktuelt" is not one); empty when not a
    numeric scale."""
    if question.scale is None or not question.scale.numeric:
        return []
    return [(choice.value, float(choice.value)) for choice in question.scale.options]


def value_counts(
    table: QuestionTable, key: str, numeric: list[tuple[str, float]]
) -> ValueCounts | None:
    """How many gave each value of the scale in column `key`, from the shown cells; None
    when any of them is hidden."""
    rows = {row.value: row for row in table.rows}
    counts = []
    for value, number in numeric:
        row = rows.get(value)
        cell = row.cells.get(key) if row else None
        if cell is None or cell.count is None:
            return None
        counts.append((number, cell.count))
    return ValueCounts.of(counts)


def with_uncertainty(table: QuestionTable, question: Question) -> QuestionTable:
    """The table with an interval on every percentage and mean, and each column compared
    with the rest of Trøndelag where the total column is shown."""
    rows = [_row(table, row) for row in table.rows]
    numeric = numeric_options(question)
    counts = {
        key: None if statistic.hidden or not numeric else value_counts(table, key, numeric)
        for key, statistic in table.statistics.items()
    }
    statistics = {
        key: _statistic(key, statistic, counts) for key, statistic in table.statistics.items()
    }
    return dataclasses.replace(table, rows=rows, statistics=statistics)


def _row(table: QuestionTable, row: Row) -> Row:
    if row.value in (DECLINED, MISSING):  # counts without a percentage
        return row
    figures = {key: _proportion(table, row, key) for key in row.cells}
    cells = {}
    for key, cell in row.cells.items():
        proportion = figures[key]
        if proportion is None or not proportion.n or cell.percent is None:
            cells[key] = cell
            continue
        interval = wilson_interval(proportion.successes, proportion.n)
        pair = rest(key, figures, add_proportions, Proportion.minus)
        versus = comparison(compare_proportions(*pair)) if pair else None
        cells[key] = dataclasses.replace(
            cell, low=interval.low, high=interval.high, versus_rest=versus
        )
    return dataclasses.replace(row, cells=cells)


def _proportion(table: QuestionTable, row: Row, key: str) -> Proportion | None:
    """The cell's count of those who answered; None where either is hidden (a column
    nobody answered in is 0 of 0, which the rest can add up)."""
    cell: Cell | None = row.cells.get(key)
    n = table.answered.get(key)
    if cell is None or cell.count is None or n is None:
        return None
    return Proportion(cell.count, n)


def _statistic(key: str, statistic: Statistic, counts: dict[str, ValueCounts | None]) -> Statistic:
    """A mean with its interval and comparison; `counts` holds every column's shown counts
    (None where the mean is hidden or not a scale's: a number question's spread is not
    shown)."""
    values = counts[key]
    if values is None or not values.n:
        return statistic
    interval = estimate_mean(values).interval
    pair = rest(key, counts, add_counts, ValueCounts.minus)
    return dataclasses.replace(
        statistic,
        low=interval.low if interval else None,
        high=interval.high if interval else None,
        versus_rest=comparison(compare_means(*pair)) if pair else None,
    )
