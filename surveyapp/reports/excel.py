"""The Excel workbook: renders a Report (figures already aggregated and protected) as is.

It computes no figures and never touches the database. Every label is a Norwegian
bokmål source string passed through the caller's gettext; every text is written as text,
never as a formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable
from copy import copy
from functools import cache, lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

from babel.core import UnknownLocaleError
from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import CHART_NS, DRAWING_NS
from openpyxl.xml.functions import fromstring, tostring

from surveyapp.reports.labels import share_hidden, statistic_hidden
from surveyapp.reports.model import (
    DECLINED,
    MISSING,
    TOTAL,
    Cell,
    Column,
    QuestionTable,
    Report,
)

Gettext = Callable[[str], str]

HEADER_FILL = PatternFill("solid", fgColor="083F77")
HEADER_FONT = Font(bold=True, color="FFFFFF")
PAGE_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=14)
PAGE_FONT = Font(bold=True, size=12)
BOLD_FONT = Font(bold=True)
DEFAULT_FONT = Font()
NOTE_FONT = Font(italic=True, color="555555")
TOP_LINE = Border(top=Side(style="thin"))
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="top", horizontal="right")
RIGHT = Alignment(horizontal="right", vertical="top")
TOP = Alignment(vertical="top")
COUNT, PERCENT, DECIMAL = "0", "0.0%", "0.0"
ROW_HEIGHT_CM = 0.53  # a row of the default height (15 pt)
MARGINS_INCH = (0.75, 0.6)  # left and right, top and bottom: two questions fit on a page
A4_LANDSCAPE_CM = (29.7 - 2 * 2.54 * MARGINS_INCH[0], 21.0 - 2 * 2.54 * MARGINS_INCH[1])
CM_PER_WIDTH = 0.19  # one unit of column width in Excel (7 pixels and a bit)
CHART_WIDTH_CM = 15
PAGE_WIDTH = 85  # a column of text about as wide as A4 portrait
MAX_CELL_TEXT = 32767  # Excel's limit
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def _identity(text: str) -> str:
    return text


def report_workbook(report: Report, gettext: Gettext = _identity) -> Workbook:
    """The workbook a forum member hands on: overview, one sheet per column, comparison,
    free text and how the figures are made."""
    workbook = Workbook()
    workbook.properties.creator = "Brukerstemmen"
    workbook.properties.title = report.title
    fixed = [
        gettext("Oversikt"),
        gettext("Sammenligning"),
        gettext("Fritekst"),
        gettext("Om tallene"),
    ]
    taken: set[str] = set()  # the fixed names first, so that no unit takes one of them
    overview, comparison, free_text, about = (_sheet_name(name, taken) for name in fixed)
    workbook.active.title = overview
    _write_overview(workbook.active, report, gettext)
    for column in report.columns:
        _write_column_sheet(
            workbook.create_sheet(_sheet_name(column.label, taken)), report, column, gettext
        )
    _write_comparison(workbook.create_sheet(comparison), report, gettext)
    _write_free_texts(workbook.create_sheet(free_text), report, gettext)
    _write_about(workbook.create_sheet(about), report, gettext)
    return workbook


def save_workbook(report: Report, path: Path | str, gettext: Gettext = _identity) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    report_workbook(report, gettext).save(path)
    return path


# --- sheets ---------------------------------------------------------------------------


def _write_overview(ws: Worksheet, report: Report, gettext: Gettext) -> None:
    _widths(ws, [34, 70, 14])
    _put(ws, 1, 1, report.title, font=TITLE_FONT)
    _put(ws, 2, 1, gettext("Sammendrag fra Brukerstemmen i Trøndelag"), font=NOTE_FONT)
    filters = report.filters
    pairs = [
        (gettext("Laget"), _date(report.generated_on, report.language)),
        (gettext("Periode"), _period(report, gettext)),
        (gettext("Svarmåte"), _mode(filters.mode, gettext)),
        (gettext("Gruppe"), _group(report, gettext)),
        (
            gettext("Minste antall som vises"),
            gettext("%(n)s: færre svar enn dette vises aldri") % {"n": report.min_count},
        ),
    ]
    row = 4
    for label, value in pairs:
        _put(ws, row, 1, label, font=BOLD_FONT)
        _put(ws, row, 2, value, alignment=WRAP)
        row += 1

    row += 1
    header = [gettext("Kolonne"), gettext("Enheter som inngår"), gettext("Antall svar")]
    body = [[c.label, ", ".join(c.units), c.responses] for c in report.columns]
    if report.total_note and not any(c.key == TOTAL for c in report.columns):
        body.append([gettext("Trøndelag i alt"), report.total_note, None])
    row = _table(ws, row, header, body, [None, None, COUNT])

    row += 1
    not_shown = ", ".join(report.not_shown) or gettext("Ingen")
    _put(ws, row, 1, gettext("Enheter som ikke vises"), font=BOLD_FONT)
    _put(ws, row, 2, not_shown, alignment=WRAP)
    row += 2
    versions = [
        [gettext("versjon %(id)s") % {"id": version_id}, content_hash]
        for version_id, content_hash in report.versions
    ]
    _table(ws, row, [gettext("Versjoner som er med"), gettext("Kontrollsum")], versions, [])
    _print_setup(ws, landscape=False, title_rows=None)


def _write_column_sheet(ws: Worksheet, report: Report, column: Column, gettext: Gettext) -> None:
    _widths(ws, [50, 14, 14, 3])
    hidden = _hidden_text(report, gettext)
    _put(ws, 1, 1, column.label, font=TITLE_FONT)
    _put(ws, 2, 1, gettext("Antall svar"), font=BOLD_FONT)
    _put(ws, 2, 2, column.responses, number_format=COUNT)
    row = 3
    if column.units:
        members = gettext("Består av: %(units)s") % {"units": ", ".join(column.units)}
        _put(ws, row, 1, members, alignment=WRAP)
        row += 1
    _put(ws, row, 1, _hidden_note(report, gettext), font=NOTE_FONT, alignment=WRAP)
    row += 2

    page, blocks = None, []
    for table in report.tables:
        start = row
        if table.page != page:
            page = table.page
            for col in range(1, 4):
                ws.cell(row, col).fill = PAGE_FILL
            _put(ws, row, 1, page, font=PAGE_FONT, alignment=WRAP)
            row += 2
        row = _question_block(ws, row, table, column.key, hidden, gettext) + 1
        blocks.append((start, row))
    _keep_blocks_on_one_page(ws, blocks)
    ws.freeze_panes = "A3"
    _print_setup(ws, landscape=True, title_rows="1:2")


def _question_block(
    ws: Worksheet, top: int, table: QuestionTable, key: str, hidden: str, gettext: Gettext
) -> int:
    """One question on a column's sheet: its table, with a bar chart beside it; returns
    the first row below both."""
    _put(ws, top, 1, _question_text(table, gettext), font=BOLD_FONT, alignment=WRAP)
    options, others = _split_rows(table)
    answered = table.answered.get(key)
    body = [
        [_option_label(r.label, r.cells.get(key), answered, gettext)]
        + list(_count_and_share(r.cells.get(key), answered, hidden))
        for r in options
    ]
    body.append([gettext("Svarte på spørsmålet"), hidden if answered is None else answered])
    body += [[r.label, _count_and_share(r.cells.get(key), answered, hidden)[0]] for r in others]
    header = [gettext("Svar"), gettext("Antall"), gettext("Prosent")]
    end = _table(ws, top + 1, header, body, [None, COUNT, PERCENT])
    for col in range(1, 4):  # a line above "answered", the base of the percentages
        ws.cell(top + 2 + len(options), col).border = TOP_LINE
    statistic = table.statistics.get(key)
    if statistic and (statistic_hidden(statistic) or statistic.mean is not None):
        for label, value in [
            (gettext("Gjennomsnitt"), statistic.mean),
            (gettext("Median"), statistic.median),
        ]:
            _put(ws, end, 1, label)
            _put(
                ws, end, 2, hidden if statistic_hidden(statistic) else value, number_format=DECIMAL
            )
            end += 1
    chart_rows = _bar_chart(ws, table.text, top + 1, len(options)) if options else 0
    return max(end, top + 1 + chart_rows)


def _write_comparison(ws: Worksheet, report: Report, gettext: Gettext) -> None:
    _widths(ws, [50, 30, *([16] * len(report.columns))])
    hidden = _hidden_text(report, gettext)
    _put(ws, 1, 1, gettext("Sammenligning: prosent av dem som svarte"), font=TITLE_FONT)
    _put(ws, 2, 1, _hidden_note(report, gettext), font=NOTE_FONT, alignment=WRAP)
    header = [gettext("Spørsmål"), gettext("Svar"), *(c.label for c in report.columns)]
    body: list[list] = [[gettext("Antall svar"), None, *(c.responses for c in report.columns)]]
    for table in report.tables:
        question = _question_text(table, gettext)
        for index, option in enumerate(_split_rows(table)[0]):
            shares = [
                _count_and_share(option.cells.get(c.key), table.answered.get(c.key), hidden)[1]
                for c in report.columns
            ]
            body.append([question if index == 0 else None, option.label, *shares])
    formats = [None, None, *([PERCENT] * len(report.columns))]
    end = _table(ws, 3, header, body, formats)
    for col in range(3, 3 + len(report.columns)):
        ws.cell(4, col).number_format = COUNT
    if report.columns and end - 1 >= 5:
        cells = f"C5:{get_column_letter(2 + len(report.columns))}{end - 1}"
        ws.conditional_formatting.add(
            cells,
            ColorScaleRule(
                start_type="min", start_color="FFFFFF", end_type="max", end_color="5B9BD5"
            ),
        )
    ws.freeze_panes = "C5"
    _print_setup(ws, landscape=True, title_rows="3:4")


def _write_free_texts(ws: Worksheet, report: Report, gettext: Gettext) -> None:
    _put(ws, 1, 1, gettext("Fritekst"), font=TITLE_FONT)
    if not report.free_texts:
        _widths(ws, [PAGE_WIDTH])
        message = gettext("Fritekst vises først når en administrator har godkjent den.")
        _put(ws, 3, 1, message, alignment=WRAP)
        _print_setup(ws, landscape=False, title_rows=None)
        return
    _widths(ws, [24, 40, 90])
    note = gettext("Bare tekst som en administrator har godkjent, renset for navn og kontaktdata.")
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
            "Ingen tall under %(n)s vises. Heller ikke tall som kunne brukes til å regne ut et "
            "slikt tall, for eksempel ved å trekke de andre enhetene fra totalen eller de andre "
            "svarene fra alle som svarte, vises. I stedet står det «skjult», for små og "
            "større tall likt, så ordet sier ingenting om hvor stort tallet er."
        )
        % n,
        gettext(
            "Enheter med færre enn %(n)s svar vises ikke hver for seg, men er slått sammen i "
            "«Øvrige enheter». Blir det for få svar også samlet, er de ikke med. Oversikten "
            "viser hvilke enheter det gjelder."
        )
        % n,
        gettext(
            "Spørreskjemaet kan ha flere versjoner. Svarene er slått sammen per spørsmål, slik "
            "at samme spørsmål i ulike versjoner telles sammen. Oversikten viser hvilke "
            "versjoner som er med."
        ),
        gettext(
            "Svarene er anonyme: det lagres ikke navn, kontaktdata, IP-adresse eller "
            "klokkeslett. Fritekst er renset for navn og kontaktdata og kommer med bare når "
            "en administrator har godkjent den."
        ),
    ]
    _put(ws, 1, 1, gettext("Om tallene"), font=TITLE_FONT)
    for number, paragraph in enumerate(paragraphs, start=1):
        _put(ws, number + 2, 1, f"{number}.", alignment=TOP)
        _put(ws, number + 2, 2, paragraph, alignment=WRAP)
    _print_setup(ws, landscape=False, title_rows=None)


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


def _bar_chart(ws: Worksheet, title: str, header_row: int, options: int) -> int:
    """Horizontal bars of the percentages, beside the table; returns the rows it covers."""
    chart = _PercentBars(
        title if len(title) <= 120 else title[:117] + "...",
        values=Reference(ws, min_col=3, min_row=header_row + 1, max_row=header_row + options),
        labels=Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + options),
    )
    chart.width = CHART_WIDTH_CM
    chart.height = max(5.0, 2.5 + 0.7 * options)
    ws.add_chart(chart, f"E{header_row}")
    return math.ceil(chart.height / ROW_HEIGHT_CM) + 1


def _openpyxl_bar_chart(title: str, values: Reference, labels: Reference) -> BarChart:
    """The chart of one question as openpyxl builds it: percentages from 0 to 100 %, the
    first option on top, as in the table."""
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = title
    chart.legend = None
    chart.add_data(values, titles_from_data=False)
    chart.set_categories(labels)
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.tickLblSkip = 1  # every label, so that no «(skjult)» is left out
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.number_format = "0%"
    chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
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


def _keep_blocks_on_one_page(ws: Worksheet, blocks: list[tuple[int, int]]) -> None:
    """Page breaks between question blocks, so no table or chart is split when printed.

    Fitted to the width of A4 landscape, the sheet prints at about `scale`; assuming
    Excel's widths errs on the safe side (LibreOffice's are wider, so it shrinks more).
    """
    width = sum(ws.column_dimensions[c].width for c in "ABCD") * CM_PER_WIDTH + CHART_WIDTH_CM
    scale = min(1.0, A4_LANDSCAPE_CM[0] / width)
    room = A4_LANDSCAPE_CM[1] / scale - _rows_cm(ws, 1, 3)  # rows 1 and 2 repeat on every page
    height = _rows_cm(ws, 3, blocks[0][0]) if blocks else 0
    for start, end in blocks:
        block = _rows_cm(ws, start, end)
        if height and height + block > room:
            ws.row_breaks.append(Break(id=start - 1))
            height = 0
        height += block


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


def _hidden_text(report: Report, gettext: Gettext) -> str:
    """The one label of every hidden figure: it says nothing about the figure's size."""
    return gettext("skjult")


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


def _print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None) -> None:
    side, top = MARGINS_INCH
    ws.page_margins = PageMargins(left=side, right=side, top=top, bottom=top, header=0.3)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
