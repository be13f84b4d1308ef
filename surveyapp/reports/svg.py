"""Charts as server-side SVG strings: no script, no chart library, nothing fetched.

Each chart is a list of horizontal bars, each with its text label and its value written
beside it, so nothing is told by colour alone. A hidden figure (a hidden count, a share
whose base is hidden, a hidden mean) is drawn as a grey hatched box labelled with the
(already translated) word for hidden, «skjult», and nothing about its size; a figure that
does not exist (nobody answered) gets its own text and no bar. The SVG has role="img", a
<title>, and a <desc> that reads out every value; a viewBox lets it scale to its
container's width. All text is escaped.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from surveyapp.reports.labels import share_hidden, statistic_hidden
from surveyapp.reports.model import DECLINED, MISSING, Cell, Column, IndicatorRow, QuestionTable

WIDTH = 400  # viewBox units; the chart is drawn at 100 % of its container's width
FONT_SIZE = 15
CHAR_WIDTH = FONT_SIZE * 0.56  # an average glyph, for breaking labels into lines
LINE_HEIGHT = 19
BAR_HEIGHT = 17
ROW_GAP = 8
GROUP_GAP = 10
VALUE_WIDTH = 66  # room right of the longest bar for "100,0 %"
LABEL_WIDTH = 136  # the label column, when labels stand beside their bars
SUPPRESSED_WIDTH = 26

# Colours meet WCAG 2.1 AA on white: text 16:1, bars 6.3:1 (non-text needs 3:1).
INK = "#1b1b1f"
BAR = "#0b5cad"
TRACK = "#e8ecf0"
HATCH = "#4a4f57"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no bar (hidden, or no share to show)
    text: str = ""  # the value as written beside the bar, e.g. "42 %", or why there is none
    suppressed: bool = False  # hidden: drawn hatched, labelled with the word for hidden
    low: float | None = None  # a 95 % interval, drawn as a whisker across the bar's end
    high: float | None = None
    interval_text: str = ""  # the interval as words for the description, e.g. "95 % KI 4,0–4,4"


@dataclass(frozen=True)
class Group:
    label: str | None  # a heading over the group's bars, or None for a plain chart
    bars: Sequence[Bar]


def percent_text(share: float) -> str:
    """The default way of writing a share as a percentage (the web passes a localised one)."""
    return f"{share * 100:.1f}\u00a0%"


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    suppressed_label: str,
    maximum: float = 100.0,
    minimum: float = 0.0,
    labels_beside: bool = False,
    value_width: float | None = None,
) -> Markup:
    """Horizontal bars, one per label: a question's options within one column."""
    return grouped_bar_chart(
        [Group(None, bars)],
        chart_id=chart_id,
        title=title,
        suppressed_label=suppressed_label,
        maximum=maximum,
        minimum=minimum,
        labels_beside=labels_beside,
        value_width=value_width,
    )


def grouped_bar_chart(
    groups: Sequence[Group],
    *,
    chart_id: str,
    title: str,
    suppressed_label: str,
    maximum: float = 100.0,
    minimum: float = 0.0,
    labels_beside: bool = False,
    value_width: float | None = None,
) -> Markup:
    """Bars in groups under a heading each: the columns for each option.

    Labels stand above their bars (room for long option texts), or beside them
    (`labels_beside`, compact for short names such as the DPS units)."""
    chart_id = _safe_id(chart_id)
    layout = _Layout(
        chart_id, suppressed_label, maximum, labels_beside, minimum, value_width or VALUE_WIDTH
    )
    for index, group in enumerate(groups):
        if index:
            layout.y += GROUP_GAP
        if group.label:
            for line in _lines(group.label, WIDTH):
                layout.y += LINE_HEIGHT
                layout.parts.append(_text(0, layout.y, line, bold=True))
            layout.y += 6
        for bar in group.bars:
            layout.add(bar, group.label)
    height = max(int(layout.y + 0.999), LINE_HEIGHT)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="{FONT_SIZE}" fill="{INK}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(". ".join(layout.descriptions))}</desc>'
        f"<defs>{_hatch_pattern(layout.pattern_id)}</defs>" + "".join(layout.parts) + "</svg>"
    )
    return Markup(svg)


def column_chart(
    table: QuestionTable,
    column_key: str,
    *,
    chart_id: str,
    title: str,
    suppressed_label: str,
    no_share_label: str = "–",
    format_percent: Callable[[float], str] = percent_text,
) -> Markup:
    """One question in one column: a bar per option with the share who chose it."""
    answered = table.answered.get(column_key)
    bars = [
        _share_bar(row.label, row.cells.get(column_key), answered, format_percent, no_share_label)
        for row in option_rows(table)
    ]
    return bar_chart(
        bars, chart_id=chart_id, title=title, suppressed_label=suppressed_label, maximum=1.0
    )


def comparison_chart(
    table: QuestionTable,
    columns: Sequence[Column],
    *,
    chart_id: str,
    title: str,
    suppressed_label: str,
    no_share_label: str = "–",
    format_percent: Callable[[float], str] = percent_text,
    labels: Sequence[str] | None = None,
) -> Markup:
    """One question across columns: for each option, a bar per column (named by `labels`,
    short names, where given)."""
    names = list(labels) if labels is not None else [c.label for c in columns]
    groups = [
        Group(
            row.label,
            [
                _share_bar(
                    name,
                    row.cells.get(c.key),
                    table.answered.get(c.key),
                    format_percent,
                    no_share_label,
                )
                for c, name in zip(columns, names, strict=True)
            ],
        )
        for row in option_rows(table)
    ]
    return grouped_bar_chart(
        groups,
        chart_id=chart_id,
        title=title,
        suppressed_label=suppressed_label,
        maximum=1.0,
        labels_beside=True,
    )


def mean_chart(
    table: QuestionTable,
    columns: Sequence[Column],
    *,
    chart_id: str,
    title: str,
    suppressed_label: str,
    no_value_label: str = "–",
    maximum: float | None = None,
    minimum: float = 0.0,
    format_number: Callable[..., str] = lambda value, decimals=1: f"{value:.{decimals}f}",
    labels: Sequence[str] | None = None,
    marks: Callable[[object], str] = lambda versus: "",
    format_interval: Callable[[float, float], str] | None = None,
) -> Markup:
    """The mean per column, with its 95 % interval as a whisker where the report has one,
    from `minimum` (the scale's lowest value). Without a maximum, the bars are drawn against
    the largest mean. A hidden mean is drawn as hidden; a mean that does not exist gets
    `no_value_label`. `labels` (short names) replace the columns' labels; `marks` turns a
    comparison with the rest into text after the value ("▲")."""
    statistics = [table.statistics.get(c.key) for c in columns]
    values = [getattr(s, "mean", None) for s in statistics]
    top = maximum if maximum is not None else max((v for v in values if v is not None), default=0)
    names = list(labels) if labels is not None else [c.label for c in columns]
    bars = [
        Bar(name, None, suppressed=True)
        if statistic_hidden(s)
        else Bar(
            name,
            v,
            no_value_label
            if v is None
            else format_number(v, s.shown_decimals) + marks(s.versus_rest),
            low=s.low if v is not None else None,
            high=s.high if v is not None else None,
            interval_text=_interval_words(s, format_interval) if v is not None else "",
        )
        for name, s, v in zip(names, statistics, values, strict=True)
    ]
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=title,
        suppressed_label=suppressed_label,
        maximum=top or 1.0,
        minimum=minimum,
        labels_beside=True,
    )


def indicator_chart(
    indicator: IndicatorRow,
    columns: Sequence[Column],
    *,
    chart_id: str,
    title: str,
    suppressed_label: str,
    no_value_label: str = "–",
    format_number: Callable[[float], str] = lambda value: f"{value:.0f}",
    labels: Sequence[str] | None = None,
    marks: Callable[[object], str] = lambda versus: "",
    format_interval: Callable[[float, float], str] | None = None,
) -> Markup:
    """An indicator (0-100) per column with its 95 % interval as a whisker."""
    names = list(labels) if labels is not None else [c.label for c in columns]
    bars = []
    for name, column in zip(names, columns, strict=True):
        value = indicator.values.get(column.key)
        if value is not None and value.hidden:
            bars.append(Bar(name, None, suppressed=True))
        elif value is None or value.score is None:
            bars.append(Bar(name, None, no_value_label))
        else:
            bars.append(
                Bar(
                    name,
                    value.score,
                    format_number(value.score) + marks(value.versus_rest),
                    low=value.low,
                    high=value.high,
                    interval_text=_interval_words(value, format_interval),
                )
            )
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=title,
        suppressed_label=suppressed_label,
        maximum=100.0,
        labels_beside=True,
    )


def _interval_words(figure, format_interval) -> str:
    low, high = getattr(figure, "low", None), getattr(figure, "high", None)
    if format_interval is None or low is None or high is None:
        return ""
    return format_interval(low, high)


def option_rows(table: QuestionTable) -> list:
    """The rows that are options (not "Vil ikke svare" or "Ikke besvart", which have no share)."""
    return [row for row in table.rows if row.value not in (DECLINED, MISSING)]


def bar_width(
    value: float,
    maximum: float = 100.0,
    area: float = WIDTH - VALUE_WIDTH,
    minimum: float = 0.0,
) -> float:
    """How long a bar is in viewBox units: its share of the way from minimum to maximum,
    within the bar area."""
    if maximum <= minimum:
        return 0.0
    return round(min(max((value - minimum) / (maximum - minimum), 0.0), 1.0) * area, 2)


class _Layout:
    """Places bars one below the other, collecting the SVG parts and the description."""

    def __init__(
        self,
        chart_id: str,
        suppressed_label: str,
        maximum: float,
        beside: bool,
        minimum: float = 0.0,
        value_width: float = VALUE_WIDTH,
    ):
        self.pattern_id = f"{chart_id}-hatch"
        self.suppressed_label = suppressed_label
        self.maximum = maximum
        self.minimum = minimum
        self.beside = beside
        self.x = LABEL_WIDTH if beside else 0
        self.area = WIDTH - value_width - self.x
        self.parts: list[str] = []
        self.descriptions: list[str] = []
        self.y = 0.0

    def add(self, bar: Bar, group: str | None) -> None:
        if self.beside:
            lines = _lines(bar.label, LABEL_WIDTH - 8)
            top = self.y + 4
            for index, line in enumerate(lines):
                self.parts.append(_text(0, top + BAR_HEIGHT - 3 + index * LINE_HEIGHT, line))
            self.parts.append(self._bar(bar, top))
            self.y = top + max(BAR_HEIGHT, (len(lines) - 1) * LINE_HEIGHT + BAR_HEIGHT) + ROW_GAP
        else:
            for line in _lines(bar.label, WIDTH):
                self.y += LINE_HEIGHT
                self.parts.append(_text(0, self.y, line))
            self.y += 4
            self.parts.append(self._bar(bar, self.y))
            self.y += BAR_HEIGHT + ROW_GAP
        shown = self.suppressed_label if bar.suppressed else bar.text
        if bar.interval_text:
            shown += f" ({bar.interval_text})"
        self.descriptions.append(f"{group + ', ' if group else ''}{bar.label}: {shown}")

    def _bar(self, bar: Bar, y: float) -> str:
        text_y = y + BAR_HEIGHT - 3
        if bar.suppressed:
            return (
                f'<rect class="suppressed" x="{_n(self.x + 0.75)}" y="{_n(y + 0.75)}" '
                f'width="{SUPPRESSED_WIDTH}" height="{BAR_HEIGHT - 1.5}" '
                f'fill="url(#{self.pattern_id})" stroke="{HATCH}" stroke-width="1.5" '
                f'stroke-dasharray="3 2"/>'
                + _text(self.x + SUPPRESSED_WIDTH + 8, text_y, self.suppressed_label, italic=True)
            )
        if bar.value is None:
            return _text(self.x, text_y, bar.text, italic=True)
        width = bar_width(bar.value, self.maximum, self.area, self.minimum)
        end = width
        whisker = ""
        if bar.low is not None and bar.high is not None:
            low = self.x + bar_width(bar.low, self.maximum, self.area, self.minimum)
            high = self.x + bar_width(bar.high, self.maximum, self.area, self.minimum)
            middle = y + BAR_HEIGHT / 2
            whisker = (
                f'<path class="interval" d="M{_n(low)} {_n(middle)}H{_n(high)}'
                f"M{_n(low)} {_n(y + 3)}V{_n(y + BAR_HEIGHT - 3)}"
                f'M{_n(high)} {_n(y + 3)}V{_n(y + BAR_HEIGHT - 3)}" '
                f'stroke="{INK}" stroke-width="2" fill="none"/>'
            )
            end = max(width, high - self.x)
        return (
            f'<rect x="{_n(self.x)}" y="{_n(y)}" width="{_n(self.area)}" '
            f'height="{BAR_HEIGHT}" fill="{TRACK}"/>'
            f'<rect class="bar" x="{_n(self.x)}" y="{_n(y)}" width="{_n(width)}" '
            f'height="{BAR_HEIGHT}" fill="{BAR}"/>'
            + whisker
            + _text(self.x + end + 6, text_y, bar.text)
        )


def _share_bar(
    label: str,
    cell: Cell | None,
    answered: int | None,
    format_percent: Callable[[float], str],
    no_share: str,
) -> Bar:
    """An option's bar in a column: hidden where its count or its base is hidden."""
    if share_hidden(cell, answered):
        return Bar(label, None, suppressed=True)
    if cell is None or cell.percent is None:
        return Bar(label, None, no_share)
    return Bar(label, cell.percent, format_percent(cell.percent))


def _hatch_pattern(pattern_id: str) -> str:
    return (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" stroke-width="2"/></pattern>'
    )


def _text(x: float, y: float, text: str, *, bold: bool = False, italic: bool = False) -> str:
    style = (' font-weight="700"' if bold else "") + (' font-style="italic"' if italic else "")
    return f'<text x="{_n(x)}" y="{_n(y)}"{style}>{escape(text)}</text>'


def _lines(text: str, width: float) -> list[str]:
    """SVG text does not wrap: break long labels into lines that fit the width."""
    return textwrap.wrap(text, max(int(width / CHAR_WIDTH), 8), break_long_words=True) or [""]


def _safe_id(chart_id: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    return cleaned if cleaned[:1].isalpha() else f"chart-{cleaned}"


def _n(value: float) -> str:
    """A number for an attribute, without a trailing .0."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
