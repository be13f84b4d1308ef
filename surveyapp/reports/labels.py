"""When a figure is hidden: one rule for the workbook, the dashboard and their charts.

A hidden figure gets one label, «skjult», whatever its size; these say which figures are
hidden, beyond a hidden count (Cell.suppressed): a share whose base (those who answered)
is hidden, and a hidden mean or median.
"""

from __future__ import annotations

from surveyapp.reports.model import DECLINED, MISSING, Cell, Row, Statistic


def share_hidden(cell: Cell | None, answered: int | None) -> bool:
    """An option's share is hidden where its count is, or where the base is hidden."""
    if cell is None:
        return False
    return cell.suppressed or (cell.percent is None and answered is None)


def row_share_hidden(row: Row, cell: Cell | None, answered: int | None) -> bool:
    """As share_hidden, for a table's row: "Vil ikke svare" and "Ikke besvart" have no
    share, so theirs is never hidden."""
    return row.value not in (DECLINED, MISSING) and share_hidden(cell, answered)


def statistic_hidden(statistic: Statistic | None) -> bool:
    return statistic is not None and statistic.hidden
