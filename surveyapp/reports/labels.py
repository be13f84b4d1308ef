"""When a figure is hidden: one rule for the workbook, the dashboard and their charts.

A hidden figure gets one label, «skjult», whatever its size; these say which figures are
hidden, beyond a hidden count (Cell.suppressed): a share whose base (those who answered)
is hidden, and a hidden mean or median.
"""

from __future__ import annotations

from collections.abc import Mapping

from surveyapp.reports.model import DECLINED, MISSING, Cell, Column, QuestionTable, Row, Statistic


def share_hidden(cell: Cell | None, answered: int | None) -> bool:
    """An option's share is hidden where its count is, or where the base is hidden."""
    if cell is None:
        return False
    return cell.suppressed or (cell.percent is None and answered is None)


def row_share_hidden(row: Row, cell: Cell | None, answered: int | None) -> bool:
    """As share_hidden, for a table's row: "Vil ikke svare" and "Ikke besvart" have no
    share, so theirs is never hidden."""
    return row.value not in (DECLINED, MISSING) and share_hidden(cell, answered)


def statistic_hidden(statistic: Statistic | None, name: str = "mean") -> bool:
    """Whether the mean (or the median) is hidden to protect anonymity."""
    if statistic is None:
        return False
    return statistic.median_hidden if name == "median" else statistic.hidden


# Where an option lies on its scale, for colours that follow the scale's direction.
HIGH, MIDDLE, LOW = "high", "middle", "low"
ORDERED_KINDS = ("scale", "matrix")


def scale_values(table: QuestionTable) -> list[tuple[str, float]]:
    """The options of an ordered scale with their numbers, lowest first: the run of
    consecutive numbers its options start with (so «Ikke aktuelt», 9 after 1-5, is not one
    of them); empty for a question whose answers have no order."""
    if table.kind not in ORDERED_KINDS or not table.statistics:
        return []
    run: list[tuple[str, float]] = []
    for row in table.rows:
        if row.value in (DECLINED, MISSING):
            continue
        try:
            number = float(row.value)
        except ValueError:
            break
        if run and number != run[-1][1] + 1:
            break  # «Ikke aktuelt» and anything after it
        run.append((row.value, number))
    return run if len(run) > 1 else []


def option_directions(table: QuestionTable) -> dict[str, str]:
    """Option value -> HIGH, MIDDLE or LOW for an ordered scale (the upper, middle and lower
    third of its values), MIDDLE for every option of a question whose answers have no order;
    nothing for «Ikke aktuelt», "Vil ikke svare" and "Ikke besvart".

    A scale is ordered when it has numbers (a mean is reported); the questionnaires write
    every ordered scale from worst to best, so HIGH is the good end."""
    run = scale_values(table)
    if not run:
        if table.kind in ORDERED_KINDS and table.statistics:
            return {}  # numbers without a scale of options
        options = [row.value for row in table.rows if row.value not in (DECLINED, MISSING)]
        return {value: MIDDLE for value in options}
    low, high = run[0][1], run[-1][1]
    directions = {}
    for value, number in run:
        position = (number - low) / (high - low)
        directions[value] = LOW if position < 1 / 3 else HIGH if position > 2 / 3 else MIDDLE
    return directions


def column_short_name(column: Column, short_names: Mapping[str, str]) -> str:
    """A column's name where room is short (a sheet's name, a chart's label): the unit's
    short name from the registry, else its label."""
    return short_names.get(column.key) or column.label
