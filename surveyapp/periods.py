"""The fixed periods reports are cut by: calendar half-years, `2026-H1` and `2026-H2`.

A period's answers are published only after it has ended (today > end): `submitted_on` is the
server's date at receipt, so an ended period receives no new responses and its figures never
change (docs/disclosure-design.md). The retention purge deletes whole periods for the same
reason (collect/lifecycle.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID = re.compile(r"(\d{4})-H([12])")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def id(self) -> str:
        return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"

    def published(self, today: dt.date) -> bool:
        return today > self.end

    @property
    def publish_on(self) -> dt.date:
        """The first day its figures are shown."""
        return self.end + dt.timedelta(days=1)


def today() -> dt.date:
    """The server's date: what decides whether a period has ended (tests replace it)."""
    return dt.date.today()


def period_of(day: dt.date) -> Period:
    if day.month <= 6:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 6, 30))
    return Period(dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))


def parse_period(text: str) -> Period | None:
    """`2026-H1` -> the period, or None when the text is not a period id."""
    match = _ID.fullmatch(text.strip())
    if not match:
        return None
    year, half = int(match[1]), int(match[2])
    if not 2000 <= year <= 2999:
        return None
    return period_of(dt.date(year, 1 if half == 1 else 7, 1))


def periods_until(first: dt.date | None, today: dt.date) -> list[Period]:
    """Every period from the one holding `first` up to the running one, newest first."""
    current = period_of(today)
    if first is None or first > today:
        return [current]
    periods = []
    period = period_of(first)
    while period <= current:
        periods.append(period)
        period = period_of(period.end + dt.timedelta(days=1))
    return periods[::-1]
