"""The Excel workbook: renders a Report (figures already aggregated and protected) as is.

It computes no figures and never touches the database. Every label is a Norwegian
bokmål source string passed through the caller's gettext; every text is written as text,
never as a formula, whatever it starts with.

The layout (docs/reports-layout.md): "Sammendrag" on one portrait A4 page (what the survey
is, who publishes it, the period, responses and key indicators per unit, a chart with the
intervals as error bars), one compact portrait sheet per column (named by the unit's short
name from the registry), the comparison of every share with colours that follow each scale's
direction, the approved free text, and "Om tallene" with the method and the versions.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import textwrap
from collections.abc import Callable, Mapping
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumDataSource, NumRef
from openpyxl.chart.error_bar import ErrorBars
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.chart.text import Text as ChartText
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import CHART_NS, DRAWING_NS
from openpyxl.xml.functions import fromstring, tostring

from surveyapp.reports.labels import (
    HIGH,
    LOW,
    MIDDLE,
    column_short_name,
    option_directions,
    share_hidden,
    statistic_hidden,
)
from surveyapp.reports.model import (
    ABOVE,
    BELOW,
    DECLINED,
    MISSING,
    TOTAL,
    Cell,
    Column,
    IndicatorRow,
    IndicatorValue,
    QuestionTable,
    Report,
)

Gettext = Callable[[str], str]

HEADER_FILL = PatternFill("solid", fgColor="083F77")
HEADER_FONT = Font(bold=True, color="FFFFFF")
PAGE_FILL = PatternFill("solid", fgColor="DCE6F1")
ABOVE_FILL = PatternFill("solid", fgColor="D6E6F5")  # a mark: clearly above the rest
BELOW_FILL = PatternFill("solid", fgColor="FBE3CF")  # clearly below
TITLE_FONT = Font(bold=True, size=14)
PAGE_FONT = Font(bold=True, size=12)
BOLD_FONT = Font(bold=True)
DEFAULT_FONT = Font()
NOTE_FONT = Font(italic=True, color="555555")
SMALL_NOTE_FONT = Font(italic=True, color="555555", size=9)
TOP_LINE = Border(top=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
RIGHT = Alignment(horizontal="right", vertical="top")
TOP = Alignment(vertical="top")
COUNT, PERCENT, DECIMAL, SCORE_FORMAT = "0", "0.0%", "0.0", "0"
ROW_HEIGHT_CM = 0.53  # a row of the default height (15 pt)
MARGINS_INCH = (0.6, 0.6)  # left and right, top and bottom
A4_PORTRAIT_CM = (21.0 - 2 * 2.54 * MARGINS_INCH[0], 29.7 - 2 * 2.54 * MARGINS_INCH[1])
CM_PER_WIDTH = 0.19  # one unit of column width in Excel (7 pixels and a bit)
UNIT_WIDTHS = [38, 8, 8, 12]  # a column's sheet: answer, count, percent, interval
CHART_WIDTH_CM = 8.5  # a question's chart, beside its table
CHART_CM_PER_BAR = 0.62  # room for one bar and its label, so LibreOffice prints every label
CHART_EXTRA_CM = 1.6  # the title and the axis
PAGE_WIDTH = 85  # a column of text about as wide as A4 portrait
MAX_CELL_TEXT = 32767  # Excel's limit
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
MAX_CHART_TITLE = 60
# the comparison's shading per direction: white (0 %) to the colour (100 %)
DIRECTION_COLOURS = {HIGH: "5B9BD5", MIDDLE: "BFBFBF", LOW: "E8955A"}
UP_MARK, DOWN_MARK = "▲", "▼"


def _identity(text: str) -> str:
    return text


def report_workbook(
    report: Report,
    gettext: Gettext = _identity,
    *,
    publisher: str | None = None,
    short_names: Mapping[str, str] | None = None,
) -> Workbook:
    """The workbook a forum member hands on: summary, one sheet per column, comparison,
    free text and how the figures are made.

    `publisher` (SURVEYAPP_PUBLISHER) is named on the summary; none: no sender is claimed.
    `short_names` (unit id -> short name, from the registry) name the units' sheets."""
    if short_names is None:
        short_names = _registry_short_names()
    workbook = Workbook()
    workbook.properties.creator = publisher or "Brukerstemmen"
    workbook.properties.title = report.title
    fixed = [
        gettext("Sammendrag"),
        gettext("Sammenligning"),
        gettext("Fritekst"),
        gettext("Om tallene"),
    ]
    taken: set[str] = set()  # the fixed names first, so that no unit takes one of them
    summary, comparison, free_text, about = (_sheet_name(name, taken) for name in fixed)
    workbook.active.title = summary
    _write_summary(workbook.active, report, gettext, publisher, short_names)
    for column in report.columns:
        name = _sheet_name(column_short_name(column, short_names), taken)
        _write_column_sheet(workbook.create_sheet(name), report, column, gettext)
    _write_comparison(workbook.create_sheet(comparison), report, gettext, short_names)
    _write_free_texts(workbook.create_sheet(free_text), report, gettext)
    _write_about(workbook.create_sheet(about), report, gettext)
    return workbook


def save_workbook(
    report: Report,
    path: Path | str,
    gettext: Gettext = _identity,
    *,
    publisher: str | None = None,
    short_names: Mapping[str, str] | None = None,
) -> Path:
    """Write the workbook; without a `publisher`, the running app's PUBLISHER setting."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if publisher is None:
        publisher = app_publisher()
    report_workbook(report, gettext, publisher=publisher, short_names=short_names).save(path)
    return path


def app_publisher() -> str | None:
    """SURVEYAPP_PUBLISHER of the running app (the CLI export and the web alike), if set."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    return (current_app.config.get("PUBLISHER") or "").strip() or None


def _registry_short_names() -> dict[str, str]:
    from surveyapp.registry import RegistryError, short_names

    try:
        return short_names()
    except RegistryError:
        return {}


# --- sheets ---------------------------------------------------------------------------


def _write_summary(ws: Worksheet, report: Report, gettext: Gettext, publisher, short_names):
    """One portrait A4 page: what, who, when, how many, the indicators and a chart."""
    indicators = report.indicators
    widths = [30, 9] + [18] * len(indicators) if indicators else [34, 12, 46]
    _widths(ws, widths)
    span = len(widths)
    _put(ws, 1, 1, report.title, font=TITLE_FONT)
    about = gettext(
        "Brukerstemmen er en anonym kartlegging av hvordan pasienter, pårørende og ansatte "
        "opplever DPS-ene i Trøndelag. Her er svarene på «%(title)s», per enhet."
    ) % {"title": report.title}
    row = _put_span(ws, 2, span, about, alignment=WRAP) + 1
    pairs = []
    if publisher:
        pairs.append((gettext("Utgitt av"), publisher))
    pairs += [
        (gettext("Periode"), _period(report, gettext)),
        (gettext("Utvalg"), f"{_mode(report.filters.mode, gettext)}; {_group(report, gettext)}"),
        (gettext("Laget"), _date(report.generated_on, report.language)),
    ]
    for label, value in pairs:
        _put(ws, row, 1, label, font=BOLD_FONT)
        _put_span(ws, row, span, value, first=2, alignment=WRAP)
        row += 1
    row += 1
    hidden = gettext("skjult")
    if indicators:
        header = [gettext("Enhet"), gettext("Antall svar"), *(i.name for i in indicators)]
        body = []
        for column in report.columns:
            values = [i.values.get(column.key) for i in indicators]
            body.append(
                [column.label, column.responses]
                + [_indicator_text(v, report.language, hidden) for v in values]
            )
        top = row
        row = _table(ws, row, header, body, [None, COUNT] + [None] * len(indicators))
        for index, column in enumerate(report.columns, start=1):
            for offset, indicator in enumerate(indicators):
                value = indicator.values.get(column.key)
                cell = ws.cell(top + index, 3 + offset)
                cell.alignment = RIGHT
                fill = _mark_fill(value.versus_rest if value else None)
                if fill:
                    cell.fill = fill
        row = _put_span(ws, row, span, _marks_legend(gettext), font=SMALL_NOTE_FONT) + 1
        # the chart shows the indicator that most columns can show (the first of those)
        charted = max(indicators, key=lambda i: sum(v.score is not None for v in i.values.values()))
        row = _indicator_chart(ws, row, report, charted, gettext, short_names, span)
    else:
        header = [gettext("Enhet"), gettext("Antall svar"), gettext("Enheter som inngår")]
        body = [[c.label, c.responses, ", ".join(c.units)] for c in report.columns]
        row = _table(ws, row, header, body, [None, COUNT, None])
        if report.columns:
            row = _responses_chart(ws, row, report, gettext, short_names, span) + 1
    if report.total_note and not any(c.key == TOTAL for c in report.columns):
        row = _put_span(ws, row, span, report.total_note, font=SMALL_NOTE_FONT) + 1
    if report.not_shown:
        text = gettext(
            "Ikke vist, for å verne små grupper (for få svar, eller tall som sammen med de "
            "andre kolonnene ville avsløre dem): %(units)s"
        ) % {"units": ", ".join(report.not_shown)}
        row = _put_span(ws, row, span, text, font=SMALL_NOTE_FONT) + 1
    for caveat in report.caveats:
        row = _put_span(ws, row, span, caveat, font=SMALL_NOTE_FONT)
    row = _put_span(ws, row, span, _hidden_note(report, gettext), font=SMALL_NOTE_FONT)
    more = gettext(
        "Hver enhet har sitt eget ark; «Sammenligning» viser alle svar side om side, og «Om "
        "tallene» forklarer hvordan tallene er laget."
    )
    row = _put_span(ws, row, span, more, font=SMALL_NOTE_FONT)
    ws.print_area = f"A1:{get_column_letter(span)}{row}"  # the charts' figures stand beside it
    wide = len(indicators) > 3  # a column per indicator: on its side, to stay readable
    _print_setup(ws, landscape=wide, title_rows=None, one_page=True)


def _indicator_chart(ws, row, report, indicator: IndicatorRow, gettext, short_names, span) -> int:
    """Bars of one indicator per column with its 95 % interval as error bars. The figures
    the chart reads stand beside the page (outside the print area), as numbers."""
    data_col = span + 2
    heads = [gettext("Enhet"), indicator.name, gettext("minus"), gettext("pluss")]
    for offset, head in enumerate(heads):
        _put(ws, row, data_col + offset, head, font=SMALL_NOTE_FONT)
    first = row + 1
    for index, column in enumerate(report.columns):
        value = indicator.values.get(column.key) or IndicatorValue(None)
        shown = value.score is not None
        name = column_short_name(column, short_names)
        label = name if shown else f"{name} ({_no_score_text(value, gettext)})"
        r = first + index
        _put(ws, r, data_col, label)
        _put(ws, r, data_col + 1, value.score if shown else None, number_format=SCORE_FORMAT)
        if shown and value.low is not None and value.high is not None:
            _put(ws, r, data_col + 2, value.score - value.low, number_format=DECIMAL)
            _put(ws, r, data_col + 3, value.high - value.score, number_format=DECIMAL)
    last = first + len(report.columns) - 1
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = _chart_title(
        gettext("%(indicator)s (0–100), med 95 %% konfidensintervall")
        % {"indicator": indicator.name},
        size=1000,
    )
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=data_col + 1, min_row=first, max_row=last), titles_from_data=False
    )
    chart.set_categories(Reference(ws, min_col=data_col, min_row=first, max_row=last))
    letter = get_column_letter
    sheet = ws.title.replace("'", "''")

    def amounts(col: int) -> NumDataSource:
        return NumDataSource(
            numRef=NumRef(f=f"'{sheet}'!${letter(col)}${first}:${letter(col)}${last}")
        )

    chart.series[0].errBars = ErrorBars(
        errBarType="both",
        errValType="cust",
        minus=amounts(data_col + 2),
        plus=amounts(data_col + 3),
    )
    _axes(chart, maximum=100, number_format="0")
    chart.width = sum(ws.column_dimensions[letter(c)].width for c in range(1, span + 1)) * 0.19
    chart.height = CHART_EXTRA_CM + 0.75 * len(report.columns)
    ws.add_chart(chart, f"A{row}")
    return row + math.ceil(chart.height / ROW_HEIGHT_CM) + 1


def _responses_chart(ws, row, report, gettext, short_names, span: int) -> int:
    """Without indicators: bars of the responses per column. The chart reads the columns'
    short names and counts from beside the page (outside the print area)."""
    data_col = span + 2
    columns = len(report.columns)
    top = row - 1
    for index, column in enumerate(report.columns, start=1):
        _put(ws, top + index, data_col, column_short_name(column, short_names))
        _put(ws, top + index, data_col + 1, column.responses, number_format=COUNT)
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = _chart_title(gettext("Antall svar per enhet"), size=1000)
    chart.legend = None
    values = Reference(ws, min_col=data_col + 1, min_row=top + 1, max_row=top + columns)
    chart.add_data(values)
    chart.set_categories(Reference(ws, min_col=data_col, min_row=top + 1, max_row=top + columns))
    _axes(chart, maximum=None, number_format="0")
    chart.width = 16
    chart.height = CHART_EXTRA_CM + 0.75 * columns
    ws.add_chart(chart, f"A{row}")
    return row + math.ceil(chart.height / ROW_HEIGHT_CM) + 1


def _write_column_sheet(ws: Worksheet, report: Report, column: Column, gettext: Gettext) -> None:
    _widths(ws, UNIT_WIDTHS)
    hidden = gettext("skjult")
    _put(ws, 1, 1, column.label, font=TITLE_FONT)
    responses = gettext("%(n)s svar, %(period)s") % {
        "n": column.responses,
        "period": _period(report, gettext),
    }
    _put(ws, 2, 1, responses, font=BOLD_FONT)
    row = 3
    if column.units:
        members = gettext("Består av: %(units)s") % {"units": ", ".join(column.units)}
        row = _put_span(ws, row, 4, members, alignment=WRAP)
    row = _put_span(ws, row, 4, _hidden_note(report, gettext), font=SMALL_NOTE_FONT)
    if report.indicators:
        row = _column_indicators(ws, row + 1, report, column, gettext, hidden)
    row += 1
    page, blocks = None, []
    titles = chart_titles(report.tables)
    for table, title in zip(report.tables, titles, strict=True):
        start = row
        if table.page != page:
            page = table.page
            for col in range(1, 5):
                ws.cell(row, col).fill = PAGE_FILL
            _put(ws, row, 1, page, font=PAGE_FONT)
            row += 1
        row = _question_block(ws, row, report, table, column.key, hidden, gettext, title) + 1
        blocks.append((start, row))
    scale = _keep_blocks_on_one_page(ws, blocks)
    ws.freeze_panes = "A3"
    _print_setup(ws, landscape=False, title_rows="1:2", scale=scale)


def _column_indicators(ws, row, report, column, gettext, hidden) -> int:
    """The key indicators of one column: score, interval, and against the rest."""
    header = [
        gettext("Indikator (0–100)"),
        gettext("Skår"),
        gettext("95 % KI"),
        gettext("Mot resten"),
    ]
    body = []
    for indicator in report.indicators:
        value = indicator.values.get(column.key) or IndicatorValue(None)
        if value.score is None:
            body.append([indicator.name, _no_score_text(value, gettext), None, None])
            continue
        interval = _interval_text(value.low, value.high, report.language, digits=0)
        body.append(
            [indicator.name, value.score, interval, _versus_text(value.versus_rest, gettext)]
        )
    top = row
    end = _table(ws, row, header, body, [None, SCORE_FORMAT, None, None])
    for index, indicator in enumerate(report.indicators, start=1):
        value = indicator.values.get(column.key)
        fill = _mark_fill(value.versus_rest if value else None)
        if fill:
            ws.cell(top + index, 4).fill = fill
    if column.key != TOTAL:
        end = _put_span(ws, end, 4, _marks_legend(gettext), font=SMALL_NOTE_FONT)
    return end


def _question_block(
    ws: Worksheet,
    top: int,
    report: Report,
    table: QuestionTable,
    key: str,
    hidden: str,
    gettext: Gettext,
    title: str,
) -> int:
    """One question on a column's sheet: its table, with a bar chart beside it; returns
    the first row below both."""
    after = _put_span(ws, top, 4, _question_text(table, gettext), font=BOLD_FONT, alignment=WRAP)
    options, others = _split_rows(table)
    answered = table.answered.get(key)
    body = []
    for r in options:
        cell = r.cells.get(key)
        count, share = _count_and_share(cell, answered, hidden)
        interval = None
        if cell is not None and cell.low is not None and not isinstance(share, str):
            interval = _interval_text(cell.low * 100, cell.high * 100, report.language, 0, "%")
            interval += _versus_suffix(cell.versus_rest)
        body.append([_option_label(r.label, cell, answered, gettext), count, share, interval])
    body.append([gettext("Svarte på spørsmålet"), hidden if answered is None else answered])
    body += [[r.label, _count_and_share(r.cells.get(key), answered, hidden)[0]] for r in others]
    header = [gettext("Svar"), gettext("Antall"), gettext("Prosent"), gettext("95 % KI")]
    end = _table(ws, after, header, body, [None, COUNT, PERCENT, None])
    for r in range(after + 1, after + 1 + len(options)):
        ws.cell(r, 4).alignment = RIGHT
    for col in range(1, 5):  # a line above "answered", the base of the percentages
        ws.cell(after + 1 + len(options), col).border = TOP_LINE
    statistic = table.statistics.get(key)
    if statistic and (statistic_hidden(statistic) or statistic.mean is not None):
        is_hidden = statistic_hidden(statistic)
        _put(ws, end, 1, gettext("Gjennomsnitt"))
        precision = DECIMAL if statistic.shown_decimals else COUNT
        _put(ws, end, 2, hidden if is_hidden else statistic.mean, number_format=precision)
        if not is_hidden and statistic.low is not None:
            text = _interval_text(statistic.low, statistic.high, report.language, 1)
            _put(ws, end, 4, text + _versus_suffix(statistic.versus_rest), alignment=RIGHT)
        _put(ws, end + 1, 1, gettext("Median"))
        median_hidden = statistic_hidden(statistic, "median")
        median = hidden if median_hidden else statistic.median
        _put(ws, end + 1, 2, median, number_format=DECIMAL)
        end += 2
    labels = [str(ws.cell(after + 1 + i, 1).value) for i in range(len(options))]
    chart_rows = _bar_chart(ws, title, after, labels, CHART_WIDTH_CM) if options else 0
    return max(end, after + chart_rows)


def _write_comparison(ws: Worksheet, report: Report, gettext: Gettext, short_names) -> None:
    """Every share side by side. The shading follows each scale's direction (blue: the high
    end, orange: the low end, grey: the middle or answers without an order), darker for a
    larger share, so a bad answer is never shaded like a good one."""
    columns = report.columns
    _widths(ws, [44, 26, *([11] * len(columns))])
    span = 2 + len(columns)
    hidden = gettext("skjult")
    _put(ws, 1, 1, gettext("Sammenligning: prosent av dem som svarte"), font=TITLE_FONT)
    legend = [
        _hidden_note(report, gettext),
        gettext(
            "«–»: ingen ved enheten svarte på spørsmålet, så det finnes ingen prosent. "
            "▲ og ▼: klart over eller under resten av Trøndelag (5 %-nivået)."
        ),
        gettext(
            "Farger: blått er svar i den øvre enden av skalaen, oransje i den nedre, grått midt "
            "på skalaen eller svar uten rekkefølge; jo sterkere farge, desto større andel. "
            "«Ikke aktuelt» og de som ikke svarte, har ingen farge."
        ),
    ]
    row = 2
    for text in legend:
        row = _put_span(ws, row, min(span, 6), text, font=SMALL_NOTE_FONT)
    header_row = row
    header = [
        gettext("Spørsmål"),
        gettext("Svar"),
        *(column_short_name(c, short_names) for c in columns),
    ]
    body: list[list] = [[gettext("Antall svar"), None, *(c.responses for c in columns)]]
    shaded: dict[str, list[int]] = {HIGH: [], MIDDLE: [], LOW: []}
    marks = []
    for table in report.tables:
        question = _question_text(table, gettext)
        directions = option_directions(table)
        for index, option in enumerate(_split_rows(table)[0]):
            shares = []
            for c in columns:
                cell = option.cells.get(c.key)
                share = _count_and_share(cell, table.answered.get(c.key), hidden)[1]
                shares.append("–" if share is None else share)
                marks.append(cell.versus_rest if cell is not None else None)
            body.append([question if index == 0 else None, option.label, *shares])
            direction = directions.get(option.value)
            if direction:
                shaded[direction].append(header_row + len(body))
    formats = [None, None, *([PERCENT] * len(columns))]
    end = _table(ws, header_row, header, body, formats)
    for col in range(3, 3 + len(columns)):
        ws.cell(header_row + 1, col).number_format = COUNT
        ws.cell(header_row, col).alignment = WRAP_RIGHT
    mark_cells = iter(marks)
    for r in range(header_row + 2, end):
        for col in range(3, 3 + len(columns)):
            cell = ws.cell(r, col)
            if cell.value == "–":
                cell.alignment = RIGHT
            suffix = _versus_suffix(next(mark_cells, None))
            if suffix and isinstance(cell.value, float):
                cell.number_format = f'0.0%"{suffix}"'
    last = get_column_letter(2 + len(columns))
    for direction, rows in shaded.items():
        if not rows or not columns:
            continue
        ranges = " ".join(f"C{r}:{last}{r}" for r in rows)
        ws.conditional_formatting.add(
            ranges,
            ColorScaleRule(
                start_type="num",
                start_value=0,
                start_color="FFFFFF",
                end_type="num",
                end_value=1,
                end_color=DIRECTION_COLOURS[direction],
            ),
        )
    ws.freeze_panes = f"C{header_row + 2}"
    _print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row + 1}")


# why a text may be missing, said always (a note only where texts were left out would say
# that there were some): docs/disclosure-design.md, «Free text»
def _follow_up_note(gettext: Gettext) -> str:
    return gettext(
        "Tekster til et oppfølgingsspørsmål vises bare for enheter der tabellen viser hvor mange "
        "som fikk spørsmålet."
    )


def _write_free_texts(ws: Worksheet, report: Report, gettext: Gettext) -> None:
    _put(ws, 1, 1, gettext("Fritekst"), font=TITLE_FONT)
    if not report.free_texts:
        _widths(ws, [PAGE_WIDTH])
        message = " ".join(
            [
                gettext("Fritekst vises først når en administrator har godkjent den."),
                _follow_up_note(gettext),
            ]
        )
        _put(ws, 3, 1, message, alignment=WRAP)
        _print_setup(ws, landscape=False, title_rows=None)
        return
    _widths(ws, [24, 40, 90])
    note = " ".join(
        [
            gettext(
                "Bare tekst som en administrator har godkjent, renset for navn og kontaktdata."
            ),
            _follow_up_note(gettext),
        ]
    )
    _put(ws, 2, 1, note, font=NOTE_FONT)
    order = {c.label: index for index, c in enumerate(report.columns)}
    texts = sorted(report.free_texts, key=lambda t: order.get(t.dps_label, len(order)))
    header = [gettext("DPS"), gettext("Spørsmål"), gettext("Tekst")]
    _table(ws, 3, header, [[t.dps_label, t.question, t.text] for t in texts], [])
    ws.freeze_panes = "A4"
    _print_setup(ws, landscape=True, title_rows="3:3")


def _write_about(ws: Worksheet, report: Report, gettext: Gettext) -> None:
    _widths(ws, [4, PAGE_WIDTH])  # numbered: LibreOffice scales no sheet of one column
    n = {"n": report.min_count}
    paragraphs = [
        gettext("Prosent er regnet av dem som svarte på spørsmålet."),
        gettext(
            "«Vil ikke svare» og «Ikke besvart» vises som egne linjer med antall, men uten "
            "prosent, og de er ikke med i grunnlaget for prosentene."
        ),
        gettext(
            "Der det er mulig å velge flere svar, kan prosentene til sammen bli mer enn hundre."
        ),
        gettext(
            "For skalaer og tall vises gjennomsnitt og median. Svaret «Ikke aktuelt» er ikke "
            "med i utregningen."
        ),
        gettext(
            "Et gjennomsnitt uten desimal er rundet av til et helt tall, for å verne "
            "anonymiteten: med én desimal kunne det vært brukt til å regne ut et skjult tall."
        ),
        gettext(
            "«95 % KI» er et 95 % konfidensintervall: med så mange svar ligger den sanne "
            "verdien trolig innenfor. For prosenter er det Wilsons intervall, for "
            "gjennomsnitt og indikatorer et t-intervall. Færre svar gir bredere intervall."
        ),
        gettext(
            "Indikatorene er regnet om til en skala fra 0 til 100, slik de nasjonale "
            "PasOpp-undersøkelsene gjør. ▲ og ▼ betyr at enheten er klart over eller under "
            "resten av Trøndelag (de andre enhetene til sammen), på 5 %-nivået. Uten merke kan "
            "forskjellen være tilfeldig."
        ),
        gettext(
            "Ingen tall under %(n)s vises. Heller ikke tall som kunne brukes til å regne ut et "
            "slikt tall, for eksempel ved å trekke de andre enhetene fra totalen eller de andre "
            "svarene fra alle som svarte, vises. I stedet står det «skjult», for små og "
            "større tall likt, så ordet sier ingenting om hvor stort tallet er."
        )
        % n,
        gettext(
            "Enheter med færre enn %(n)s svar vises ikke hver for seg, men er slått sammen i "
            "«Øvrige enheter». Blir det for få svar også samlet, er de ikke med. Også «Trøndelag i "
            "alt» kan være skjult: sammen med enhetene som vises, ville det vise svarene i de "
            "minste enhetene. Sammendraget viser hvilke kolonner det gjelder."
        )
        % n,
        gettext(
            "Spørreskjemaet kan ha flere versjoner. Svarene er slått sammen per spørsmål, slik "
            "at samme spørsmål i ulike versjoner telles sammen. Versjonene som er med, står "
            "nederst, hver med sin kontrollsum."
        ),
        gettext(
            "Svarene er anonyme: det lagres ikke navn, kontaktdata, IP-adresse eller "
            "klokkeslett. Fritekst er renset for navn og kontaktdata og kommer med bare når "
            "en administrator har godkjent den."
        ),
        *report.caveats,
    ]
    _put(ws, 1, 1, gettext("Om tallene"), font=TITLE_FONT)
    row = 3
    for number, paragraph in enumerate(paragraphs, start=1):
        _put(ws, row, 1, f"{number}.", alignment=TOP)
        _put(ws, row, 2, paragraph, alignment=WRAP)
        row += 1
    row += 1
    _put(ws, row, 2, gettext("Minste antall som vises: %(n)s") % n)
    row += 2
    _put(ws, row, 2, gettext("Versjoner av skjemaet som er med"), font=BOLD_FONT)
    for version_id, content_hash in report.versions:
        row += 1
        text = gettext("versjon %(id)s") % {"id": version_id}
        _put(ws, row, 2, f"{text}: {content_hash}", alignment=WRAP)
    _print_setup(ws, landscape=False, title_rows=None)


# --- the parts of a figure ------------------------------------------------------------


def _number(value: float, language: str, digits: int) -> str:
    """Rounded half up, as Excel rounds the percentages beside it."""
    pattern = "0" if digits == 0 else "0." + "0" * digits
    value = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    try:
        return format_decimal(value, format=pattern, locale=language)
    except (UnknownLocaleError, ValueError):
        return f"{value:.{digits}f}"


def _interval_text(low, high, language: str, digits: int = 0, unit: str = "") -> str:
    """An interval as a reader writes it: "28–39 %", "3,9–4,3"."""
    if low is None or high is None:
        return ""
    text = f"{_number(low, language, digits)}–{_number(high, language, digits)}"
    return f"{text}\u00a0{unit}" if unit else text


def _versus_suffix(versus) -> str:
    """▲ or ▼ after a figure clearly above or below the rest of Trøndelag."""
    mark = getattr(versus, "mark", "")
    return f" {UP_MARK}" if mark == ABOVE else f" {DOWN_MARK}" if mark == BELOW else ""


def _versus_text(versus, gettext: Gettext) -> str:
    mark = getattr(versus, "mark", "")
    if mark == ABOVE:
        return f"{UP_MARK} " + gettext("over")
    if mark == BELOW:
        return f"{DOWN_MARK} " + gettext("under")
    return ""


def _mark_fill(versus):
    mark = getattr(versus, "mark", "")
    return ABOVE_FILL if mark == ABOVE else BELOW_FILL if mark == BELOW else None


def _marks_legend(gettext: Gettext) -> str:
    return gettext(
        "Tall i parentes: 95 %% konfidensintervall. ▲ klart over og ▼ klart under resten av "
        "Trøndelag (5 %%-nivået); uten merke kan forskjellen være tilfeldig."
    ).replace("%%", "%")


def _indicator_text(value: IndicatorValue | None, language: str, hidden: str) -> str:
    """ "72 (68–76) ▲" for the summary; «skjult» when hidden, "–" without answers."""
    if value is None or value.score is None:
        return hidden if value is not None and value.hidden else "–"
    text = _number(value.score, language, 0)
    if value.low is not None and value.high is not None:
        text += f" ({_interval_text(value.low, value.high, language)})"
    return text + _versus_suffix(value.versus_rest)


def _no_score_text(value: IndicatorValue, gettext: Gettext) -> str:
    return gettext("skjult") if value.hidden else gettext("ingen svar")


def chart_titles(tables: list[QuestionTable]) -> list[str]:
    """A short title per table's chart: a matrix item alone (what its rows share, the
    question, stands above the table), else the question, cut to fit two lines."""
    by_question: dict[str, list[str]] = {}
    for table in tables:
        by_question.setdefault(table.question_id, []).append(table.text)
    titles = []
    for table in tables:
        texts = by_question[table.question_id]
        text = table.text
        if len(texts) > 1:
            shared = os.path.commonprefix(texts)
            shared = shared[: shared.rfind(" ") + 1] if " " in shared else ""
            text = text[len(shared) :].strip() or text
            text = text[:1].upper() + text[1:]  # the item's words read as a title
        if len(text) > MAX_CHART_TITLE:
            text = text[: MAX_CHART_TITLE - 1].rstrip() + "…"
        titles.append(text)
    return titles


def _chart_title(text: str, size: int = 900) -> Title:
    """A chart title in a given size (hundredths of a point), not bold-and-huge."""
    properties = CharacterProperties(sz=size, b=True)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=properties), r=[RegularTextRun(rPr=properties, t=text)]
    )
    return Title(tx=ChartText(rich=RichText(p=[paragraph])), overlay=False)


def _font_size(size: int) -> RichText:
    properties = CharacterProperties(sz=size)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties, r=[])
    return RichText(p=[paragraph])


def _axes(chart: BarChart, maximum: float | None, number_format: str) -> None:
    """Axes every chart shares: the first category on top, every label printed, small
    type so that LibreOffice has room for all of them."""
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.tickLblSkip = 1  # every label, so that no «(skjult)» is left out
    chart.x_axis.txPr = _font_size(800)
    chart.y_axis.txPr = _font_size(700)
    chart.y_axis.scaling.min = 0
    if maximum is not None:
        chart.y_axis.scaling.max = maximum
    chart.y_axis.number_format = number_format
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    chart.gapWidth = 40


# --- helpers --------------------------------------------------------------------------


def _put(
    ws: Worksheet,
    row: int,
    column: int,
    value,
    *,
    number_format=None,
    font=None,
    alignment=None,
    fill=None,
):
    """Write one cell; text always stays text, even when it starts like a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
        cell.value = value
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # what Excel does for '=...: stays text when edited
    else:
        cell.value = value
    if number_format and isinstance(value, str):
        number_format, alignment = None, RIGHT  # "skjult" among figures
    _style(cell, font, alignment, number_format, fill)
    if alignment and alignment.wrap_text and isinstance(value, str):
        _fit_row_height(ws, cell, (font or DEFAULT_FONT).size)
    return cell


def _put_span(
    ws: Worksheet, row: int, last: int, value: str, *, first: int = 1, font=None, alignment=None
) -> int:
    """Text across columns `first` to `last` (merged), wrapped, the row made tall enough;
    returns the next row."""
    alignment = alignment or WRAP
    cell = _put(ws, row, first, value, font=font)
    cell.alignment = alignment
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    width = sum(
        ws.column_dimensions[get_column_letter(c)].width or 13 for c in range(first, last + 1)
    )
    lines = _lines(cell.value, max(int(width * 1.1) - 1, 1))  # merged: a little more fits
    size = (font or DEFAULT_FONT).size or 11
    height = lines * size * 1.3 + 3
    if height > (ws.row_dimensions[row].height or 15):
        ws.row_dimensions[row].height = height
    return row + 1


_STYLES: WeakKeyDictionary = WeakKeyDictionary()


def _style(cell, font, alignment, number_format: str | None, fill) -> None:
    """Give a cell its font, alignment, number format and fill.

    openpyxl finds each of them among the workbook's styles by comparing values, which
    took a quarter of the time to build the workbook. A combination used before is copied
    the way openpyxl copies styles itself (`cell._style`); test_excel checks that the cells
    look the same either way.
    """
    known = _STYLES.setdefault(cell.parent.parent, {})
    key = (id(font), id(alignment), number_format, id(fill))
    fresh = not cell.has_style  # as a new cell; not one with a fill or a quote prefix
    if fresh and key in known:
        cell._style = copy(known[key][-1])
        return
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    if fill:
        cell.fill = fill
    if fresh:
        known[key] = (font, alignment, fill, copy(cell._style))  # holding them keeps ids unique


def _table(
    ws: Worksheet,
    top: int,
    header: list[str],
    body: list[list],
    formats: list[str | None],
) -> int:
    """A header row and a body, formatted per column; returns the row after the table."""
    formats = formats + [None] * (len(header) - len(formats))
    for col, (label, fmt) in enumerate(zip(header, formats, strict=True), start=1):
        alignment = WRAP_RIGHT if fmt else WRAP  # figures and their headings to the right
        _put(ws, top, col, label, font=HEADER_FONT, alignment=alignment, fill=HEADER_FILL)
    for index, values in enumerate(body, start=1):
        for col, (value, fmt) in enumerate(zip(values, formats, strict=False), start=1):
            _put(ws, top + index, col, value, number_format=fmt, alignment=TOP if fmt else WRAP)
    return top + len(body) + 1


def _bar_chart(ws: Worksheet, title: str, header_row: int, labels: list[str], width: float) -> int:
    """Horizontal bars of the percentages, beside the table; returns the rows it covers.
    Tall enough for every label: LibreOffice leaves out labels that do not fit."""
    options = len(labels)
    chart = _PercentBars(
        title,
        values=Reference(ws, min_col=3, min_row=header_row + 1, max_row=header_row + options),
        labels=Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + options),
    )
    chart.width = width
    chart.height = CHART_EXTRA_CM + sum(_bar_cm(label) for label in labels)
    ws.add_chart(chart, f"E{header_row}")
    return math.ceil(chart.height / ROW_HEIGHT_CM)


def _bar_cm(label: str) -> float:
    """The height a bar needs for its label, which LibreOffice wraps at about 24 characters
    of 8-point type (more lines than fit and it leaves labels out)."""
    return max(CHART_CM_PER_BAR, 0.36 * len(textwrap.wrap(label, 24)) + 0.12)


def _openpyxl_bar_chart(title: str, values: Reference, labels: Reference) -> BarChart:
    """The chart of one question as openpyxl builds it: percentages from 0 to 100 %, the
    first option on top, as in the table, each bar with its percentage."""
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = _chart_title(title)
    chart.legend = None
    chart.add_data(values, titles_from_data=False)
    chart.set_categories(labels)
    _axes(chart, maximum=1, number_format="0%")
    chart.series[0].dLbls = DataLabelList(showVal=True, numFmt="0%", txPr=_font_size(700))
    for hidden in ("showLegendKey", "showCatName", "showSerName", "showPercent", "showBubbleSize"):
        setattr(chart.series[0].dLbls, hidden, False)
    return chart


class _PercentBars(BarChart):
    """The chart of one question, written as a copy of openpyxl's XML for a model chart.

    The charts differ only in title and ranges, and openpyxl builds the XML of each from
    some forty objects: for the 154 charts of seven units, that was more than half the time
    to write the workbook, and copying takes a quarter of it. test_excel checks that the
    copy is what openpyxl itself writes.
    """

    def __init__(self, title: str, values: Reference, labels: Reference):
        super().__init__()
        self.type = "bar"  # horizontal, as in the model
        self.text, self.values, self.labels = title, str(values), str(labels)

    def _write(self):  # what openpyxl's writer calls for the XML of each chart
        tree = fromstring(_model_chart())
        title, labels, values = _model_texts(tree)
        title.text, labels.text, values.text = self.text, self.labels, self.values
        return tree


@cache
def _model_chart() -> bytes:
    model = Reference(range_string="Model!$A$1:$A$2")
    return tostring(_openpyxl_bar_chart("Model", values=model, labels=model)._write())


def _model_texts(tree) -> list:
    """The elements of a chart's XML that hold its title, labels and values, in that order."""
    return [
        next(tree.iter(f"{{{DRAWING_NS}}}t")),
        *tree.iter(f"{{{CHART_NS}}}f"),  # the labels (c:cat) come before the values (c:val)
    ]


def _keep_blocks_on_one_page(ws: Worksheet, blocks: list[tuple[int, int]]) -> int:
    """Page breaks between question blocks, so no table or chart is split when printed;
    returns the print scale (percent) they assume.

    The scale is set, not left to "fit to width", which LibreOffice computes differently
    from Excel: at a fixed scale both put the same rows on a page. It leaves a margin for
    LibreOffice's columns, which are a little wider than Excel's.
    """
    width = sum(ws.column_dimensions[c].width for c in "ABCD") * CM_PER_WIDTH + CHART_WIDTH_CM
    scale = min(100, int(100 * A4_PORTRAIT_CM[0] / (width * 1.3)))
    # rows 1 and 2 repeat on every page
    room = A4_PORTRAIT_CM[1] * 100 / scale - _rows_cm(ws, 1, 3) - 0.5
    height = _rows_cm(ws, 3, blocks[0][0]) if blocks else 0
    for start, end in blocks:
        block = _rows_cm(ws, start, end)
        if height and height + block > room:
            ws.row_breaks.append(Break(id=start - 1))
            height = 0
        height += block
    return scale


def _rows_cm(ws: Worksheet, first: int, end: int) -> float:
    rows = ws.row_dimensions  # looking a row up there would add it, to be written out
    return sum((rows[r].height if r in rows else None) or 15 for r in range(first, end)) * 2.54 / 72


def _split_rows(table: QuestionTable):
    """The options (charted, with percentages), then "Vil ikke svare" and "Ikke besvart"."""
    options = [r for r in table.rows if r.value not in (DECLINED, MISSING)]
    return options, [r for r in table.rows if r.value in (DECLINED, MISSING)]


def _count_and_share(cell: Cell | None, answered: int | None, hidden: str) -> tuple:
    """A cell's count and share as the sheet writes them; a hidden one says «skjult». A share
    is hidden too where its base (those who answered) is."""
    if cell is None:
        return None, None
    if cell.suppressed:
        return hidden, hidden
    if share_hidden(cell, answered):
        return cell.count, hidden
    return cell.count, cell.percent  # a share, 0 to 1, as build_report gives it


def _option_label(label: str, cell: Cell | None, answered: int | None, gettext: Gettext) -> str:
    """An option's label on a unit's sheet: «Misfornøyd (skjult)» where its share is hidden.

    The chart beside the table takes its labels from these cells, so a reader of the
    printed chart sees which bar is missing because it is hidden (LibreOffice shows no
    labels that are written into the chart itself)."""
    if share_hidden(cell, answered):
        return gettext("%(label)s (skjult)") % {"label": label}
    return label


def _question_text(table: QuestionTable, gettext: Gettext) -> str:
    if table.multiple:
        return gettext("%(question)s (flere svar mulig)") % {"question": table.text}
    return table.text


def _hidden_note(report: Report, gettext: Gettext) -> str:
    return gettext(
        "«skjult»: tallet er skjult for å verne anonymiteten. Ingen tall under %(n)s vises, og "
        "noen større tall er skjult i tillegg, slik at de små ikke kan regnes ut. I "
        "diagrammene står det «(skjult)» etter svaret, og stolpen mangler."
    ) % {"n": report.min_count}


def _period(report: Report, gettext: Gettext) -> str:
    start, end = report.period_start, report.period_end
    if start and end:
        return gettext("%(start)s til %(end)s") % {
            "start": _date(start, report.language),
            "end": _date(end, report.language),
        }
    return report.period


def _mode(mode: str | None, gettext: Gettext) -> str:
    names = {"self": gettext("Egenutfylling"), "interview": gettext("Intervju")}
    return names.get(mode, mode) if mode else gettext("Alle svarmåter")


def _group(report: Report, gettext: Gettext) -> str:
    """The group filter in words, with the question and answer texts when the report has them."""
    if report.filters.group is None:
        return gettext("Alle som svarte")
    question_id, value = report.filters.group
    question, answer = question_id, value
    for table in report.tables:
        if table.answer_id == question_id:
            question = table.text
            answer = next((r.label for r in table.rows if r.value == value), value)
    return gettext("Bare de som svarte «%(answer)s» på «%(question)s»") % {
        "answer": answer,
        "question": question,
    }


def _date(day: dt.date, language: str) -> str:
    try:
        return format_date(day, format="long", locale=language)
    except (UnknownLocaleError, ValueError):
        return day.isoformat()


def _sheet_name(label: str, taken: set[str]) -> str:
    """A valid sheet name (at most 31 characters, none of []:*?/\\), unique in `taken`."""
    base = ILLEGAL_CHARACTERS_RE.sub("", label).translate(SHEET_NAME_FORBIDDEN)
    base = " ".join(base.split()).strip("'")[:31].strip() or "DPS"
    name, number = base, 1
    while name.casefold() in taken or name.casefold() == "history":  # Excel reserves it
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
    taken.add(name.casefold())
    return name


def _fit_row_height(ws: Worksheet, cell, size: float | None) -> None:
    """Make room for wrapped text: neither Excel nor LibreOffice reliably does on opening."""
    chars = max(int(ws.column_dimensions[cell.column_letter].width or 13) - 1, 1)
    if len(cell.value) <= chars and "\n" not in cell.value:
        return  # one line
    lines = _lines(cell.value, chars)
    height = lines * (size or 11) * 1.35 + 2
    dimension = ws.row_dimensions[cell.row]
    if lines > 1 and height > (dimension.height or 15):
        dimension.height = height


@lru_cache(maxsize=4096)  # every unit's sheet has the same questions and options
def _lines(text: str, chars: int) -> int:
    return sum(len(textwrap.wrap(part, chars)) or 1 for part in text.split("\n"))


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _print_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: str | None,
    one_page: bool = False,
    scale: int | None = None,
) -> None:
    """A4 with margins; fitted to the page's width, or printed at `scale` percent."""
    side, top = MARGINS_INCH
    ws.page_margins = PageMargins(left=side, right=side, top=top, bottom=top, header=0.3)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if scale is not None:
        ws.page_setup.scale = scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if one_page else 0  # else as many pages as it takes
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
