"""A report as plain data: what the workbook, the dashboard and the CLI render.

Built by reports.summary.build_report from counts aggregated in SQL, after disclosure
control: a suppressed figure is None here, with the reason beside it, and nothing that
could recover it is present.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# the value stored for a question shown and left unanswered
from surveyapp.db.models import SKIPPED as SKIPPED

TOTAL = "_total"  # the column for all of Trøndelag
POOLED = "_pooled"  # units with too few responses each, pooled into one column
DECLINED = "_declined"  # "Vil ikke svare"
MISSING = "_missing"  # «Ikke besvart»: shown the question but left it unanswered
NOT_ASKED = "_not_asked"  # never shown the question: protected like a figure, never a row

# Marks on a comparison (docs/reports.md): set only where the difference is clear at the 5 %
# level; NOT_CLEAR (the empty string) everywhere else, including where nothing was compared.
ABOVE = "above"  # a column clearly above the rest of Trøndelag
BELOW = "below"  # a column clearly below the rest of Trøndelag
UP = "up"  # a period clearly above the period before it
DOWN = "down"  # a period clearly below the period before it
NOT_CLEAR = ""

SCORE = "score"  # an indicator: the mean of its items' 0-100 scores
SHARE = "share"  # an indicator: the percentage giving a counted answer (mean over its items)


@dataclass(frozen=True)
class Filters:
    """Which of the fixed cuts a report shows (docs/disclosure-design.md).

    `period` is a half-year id such as "2026-H1" (None: the latest period that has ended, or
    the running one when none has); `mode` and `group` None mean both modes and all groups;
    `level` the columns: units, official DPS areas, health trusts or Trøndelag alone.
    """

    period: str | None = None
    mode: str | None = None  # "self" or "interview"
    group: tuple[str, str] | None = None  # a declared report group and value ("rolle", "pasient")
    # "unit", "area", "trust" or "region" (a ReportingLevel's value): which columns are shown.
    # None: the finest level the questionnaire may be reported at.
    level: str | None = None


@dataclass(frozen=True)
class Column:
    key: str  # a DPS id, POOLED, TOTAL, or an area's or trust's key ("_omrade_<id>", ...)
    label: str
    responses: int  # shown only where protection allows; a column without it is not shown
    units: tuple[str, ...] = ()  # names of the units in a pooled, area or trust column


@dataclass(frozen=True)
class Comparison:
    """One figure against another, on the figure's own scale: a column against the rest of
    Trøndelag (the total minus the column: never a total that contains it; where the total
    column is not shown, the other columns added up, see Report.rest_label), or a period
    against the period before it. Present only where both sides can be computed from shown
    figures; where either side is hidden or has no answers, the figure's comparison is None.
    """

    other: float | None  # the rest's value (or the earlier period's)
    difference: float | None  # this minus other
    low: float | None  # the 95 % interval of the difference (None: too few to say)
    high: float | None
    p_value: float | None  # two-sided; None where there is nothing to test
    mark: str = NOT_CLEAR  # ABOVE/BELOW (UP/DOWN between periods) only when p < 0.05


@dataclass(frozen=True)
class Cell:
    count: int | None  # None: suppressed
    percent: float | None  # share of those who answered, 0..1 (None for declined/missing, hidden)
    # the 95 % Wilson interval of `percent`, 0..1, from `count` and the column's `answered`;
    # None wherever percent is None
    low: float | None = None
    high: float | None = None
    versus_rest: Comparison | None = None  # shares 0..1; None in the total column

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Row:
    value: str  # the option's value, or DECLINED / MISSING
    label: str
    cells: dict[str, Cell]  # column key -> cell


@dataclass(frozen=True)
class Statistic:
    mean: float | None
    median: float | None  # None when hidden, or when no answer is a number
    hidden: bool = False  # hidden to protect anonymity: rendered «skjult», like a hidden count
    # the median hidden: it is shown only where the shown counts fix it (then it adds nothing)
    median_hidden: bool = False
    # the 95 % t interval of `mean`, from the shown counts of the scale's values; None where
    # the mean is None, below two answers, and for number questions (their spread is not
    # published)
    low: float | None = None
    high: float | None = None
    versus_rest: Comparison | None = None  # means; None in the total column
    # decimals the mean is published with: 1 where the exact mean would pin a hidden count
    # (the protection then models the interval one decimal gives), else 2
    decimals: int = 2

    @property
    def shown_decimals(self) -> int:
        """Decimals a reader is shown: one, or none where the mean is published so."""
        return min(self.decimals, 1)


@dataclass(frozen=True)
class QuestionTable:
    answer_id: str  # question id, or "<matrix id>.<item id>"
    question_id: str
    text: str  # the question (and matrix item) in the report's language
    page: str  # the section's title
    kind: str  # the question type
    multiple: bool  # several options per respondent: percentages do not add up to 100
    rows: list[Row]  # the options, then "Vil ikke svare", then "Ikke besvart"
    answered: dict[str, int | None]  # per column: respondents who gave an answer
    statistics: dict[str, Statistic] = field(default_factory=dict)  # scales and numbers


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator in one column, 0-100. `score` None: hidden (`hidden`, rendered «skjult»:
    a figure it is computed from is hidden) or nobody answered its items (`hidden` False)."""

    score: float | None
    low: float | None = None  # the 95 % interval, 0..100 (None: hidden, or too few answers)
    high: float | None = None
    n: int | None = None  # answers to the item with the fewest (SCORE: values on the scale)
    hidden: bool = False
    versus_rest: Comparison | None = None  # None in the total column


@dataclass(frozen=True)
class IndicatorRow:
    """A key indicator declared in the questionnaire (docs/questionnaire-format.md)."""

    id: str
    name: str  # in the report's language
    description: str | None
    kind: str  # SCORE or SHARE
    answer_ids: tuple[str, ...]  # the items it stands on
    values: dict[str, IndicatorValue]  # column key -> value, for every column of the report


@dataclass(frozen=True)
class TrendPoint:
    period: str
    value: IndicatorValue | None  # None: the column was not in that period's report
    # against the point before it (later minus earlier, mark UP/DOWN); None for the first
    # point, or where either point has no score or a pooled column's units changed
    change: Comparison | None = None


@dataclass(frozen=True)
class TrendSeries:
    indicator_id: str
    column_key: str  # a DPS id, POOLED or TOTAL
    label: str
    points: list[TrendPoint]  # one per period of Trends.periods, same order


@dataclass(frozen=True)
class Trends:
    """Every indicator per published period and column, each period from its own protected
    report (build_report per period): nothing here that those reports do not show."""

    periods: list[str]  # the ended periods, oldest first, up to the report's own
    series: list[TrendSeries]  # indicator by indicator, columns in the report's order


@dataclass(frozen=True)
class FreeText:
    dps_label: str  # the column the text belongs to (a pooled unit's text says "Øvrige enheter")
    question: str
    text: str


@dataclass(frozen=True)
class Progress:
    """Fieldwork in a running period: responses of one DPS, rounded down to a multiple of
    the threshold (None: fewer than the threshold, or none)."""

    dps_label: str
    at_least: int | None


@dataclass(frozen=True)
class Report:
    questionnaire_id: str
    title: str
    language: str
    min_count: int
    filters: Filters
    columns: list[Column]
    tables: list[QuestionTable]
    versions: list[tuple[int, str]]  # (version id, content hash) of every version included
    not_shown: list[str]  # units left out entirely (too few, even pooled)
    total_note: str | None  # why the total column is missing, if it is
    free_texts: list[FreeText] = field(default_factory=list)  # approved texts only
    generated_on: dt.date = field(default_factory=dt.date.today)
    period: str = ""  # the period's id, e.g. "2026-H1"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    published: bool = True  # False while the period runs: only `progress` is shown
    publish_on: dt.date | None = None  # the first day the period's figures are shown
    progress: list[Progress] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)  # every period that can be chosen
    hidden_columns: list[str] = field(default_factory=list)  # columns this cut cannot show
    indicators: list[IndicatorRow] = field(default_factory=list)  # in the questionnaire's order
    caveats: list[str] = field(default_factory=list)  # what the intervals and marks cannot see
    # what `versus_rest` compares with, e.g. «resten av Trøndelag» (the total minus the
    # column), or «de andre enhetene i tabellen» where the total column is not shown; None
    # when there is nothing to compare with
    rest_label: str | None = None
    trends: Trends | None = None  # build_report(..., trends=True); None when not asked for
    # the group asked for is not a report group of the questionnaire the period was asked
    # with (a later version added it): the period has no figures for it
    group_not_cut: bool = False
