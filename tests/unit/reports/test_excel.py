"""The workbook renders a Report as it is: its figures, its suppression, text as text."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import Reference
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from surveyapp.reports import excel
from surveyapp.reports.excel import report_workbook, save_workbook
from surveyapp.reports.labels import HIGH, LOW, MIDDLE, option_directions
from surveyapp.reports.model import (
    ABOVE,
    BELOW,
    DECLINED,
    MISSING,
    POOLED,
    SCORE,
    TOTAL,
    Cell,
    Column,
    Comparison,
    Filters,
    FreeText,
    IndicatorRow,
    IndicatorValue,
    QuestionTable,
    Report,
    Row,
    Statistic,
)

LONG_NAME = "St. Olavs hospital: DPS [Orkdal/Øya] *med* et veldig langt navn?"
COLUMNS = [
    Column("nidaros", "Nidaros DPS", 40),
    Column("orkdal", LONG_NAME, 12),
    Column(POOLED, "Øvrige enheter", 9, ("Tiller DPS", "Stjørdal DPS")),
    Column(TOTAL, "Trøndelag", 61),
]
KEYS = [c.key for c in COLUMNS]
HIDDEN = Cell(None, None)


def cells(*values) -> dict[str, Cell]:
    """One cell per column: (count, percent) or HIDDEN."""
    return {
        key: value if isinstance(value, Cell) else Cell(*value)
        for key, value in zip(KEYS, values, strict=True)
    }


SCALE = QuestionTable(
    answer_id="fornoyd",
    question_id="fornoyd",
    text="Hvor fornøyd er du med behandlingen?",
    page="Om behandlingen",
    kind="scale",
    multiple=False,
    rows=[
        Row("1", "Lite fornøyd", cells(HIDDEN, (0, 0.0), HIDDEN, (7, 0.119))),
        Row("2", "Middels", cells(HIDDEN, (6, 0.545), HIDDEN, (21, 0.356))),
        Row(
            "3",
            "Svært fornøyd",
            cells(
                (31, 0.775, 0.625, 0.877, Comparison(0.4, 0.375, 0.1, 0.5, 0.001, ABOVE)),
                (5, 0.455),
                (5, 0.625),
                (31, 0.525, 0.4, 0.65),
            ),
        ),
        Row(DECLINED, "Vil ikke svare", cells((0, None), (0, None), (0, None), (0, None))),
        Row(MISSING, "Ikke besvart", cells((0, None), (1, None), (1, None), (2, None))),
    ],
    answered={"nidaros": 40, "orkdal": 11, POOLED: 8, TOTAL: 59},
    statistics={
        "nidaros": Statistic(2.7, 3.0, low=2.5, high=2.9),
        "orkdal": Statistic(2.45, 3.0),
        POOLED: Statistic(None, None, hidden=True, median_hidden=True),
        TOTAL: Statistic(2.41, 2.0),
    },
)
CHOICE = QuestionTable(
    answer_id="hjelp",
    question_id="hjelp",
    text="=Hva har hjulpet deg?",
    page="Hjelp",
    kind="multiple_choice",
    multiple=True,
    rows=[
        Row("samtale", "Samtaler", cells((30, 0.75), (9, 0.818), (6, 0.75), (45, 0.763))),
        Row("medisin", "+ Medisiner", cells((12, 0.3), (0, 0.0), HIDDEN, (14, 0.237))),
        Row("annet", "-Annet", cells((8, 0.2), (5, 0.455), HIDDEN, (16, 0.271))),
        Row(DECLINED, "Vil ikke svare", cells((0, None), (0, None), (0, None), (0, None))),
        Row(MISSING, "Ikke besvart", cells((0, None), (1, None), (1, None), (2, None))),
    ],
    answered={"nidaros": 40, "orkdal": 11, POOLED: 8, TOTAL: 59},
)
FREE_TEXTS = [
    FreeText("Trøndelag", "Noe mer?", "-2"),
    FreeText("Nidaros DPS", "Noe mer?", "=1+1"),
    FreeText("Øvrige enheter", "Noe mer?", "@SUM(A1)"),
    FreeText("Nidaros DPS", "Noe mer?", "\tTAB"),
]


HEARD = IndicatorRow(
    id="hort",
    name="Blir hørt",
    description=None,
    kind=SCORE,
    answer_ids=("fornoyd",),
    values={
        "nidaros": IndicatorValue(
            72.4, 68.1, 76.0, 40, versus_rest=Comparison(61.0, 11.4, 4.0, 19.0, 0.003, ABOVE)
        ),
        "orkdal": IndicatorValue(
            48.0, 35.5, 60.2, 11, versus_rest=Comparison(68.0, -20.0, -33.0, -7.0, 0.01, BELOW)
        ),
        POOLED: IndicatorValue(None, hidden=True),
        TOTAL: IndicatorValue(66.0, 62.0, 70.0, 59),
    },
)


def make_report(**changes) -> Report:
    values = dict(
        questionnaire_id="flyt",
        title="Brukerstemmen 2026",
        language="nb",
        min_count=5,
        filters=Filters(
            period="2026-H1",
            mode="self",
            group=("hjelp", "samtale"),
        ),
        columns=COLUMNS,
        tables=[SCALE, CHOICE],
        versions=[(1, "a1b2c3"), (2, "d4e5f6")],
        not_shown=["Kolstad DPS"],
        total_note=None,
        free_texts=FREE_TEXTS,
        indicators=[HEARD],
        caveats=["Svarene er ikke et tilfeldig utvalg av pasientene."],
        generated_on=dt.date(2026, 11, 20),
        period="2026-H1",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
    )
    values.update(changes)
    return Report(**values)


def all_values(ws: Worksheet) -> list:
    return [cell.value for row in ws.iter_rows() for cell in row if cell.value is not None]


def table_after(ws: Worksheet, question: str) -> dict[str, tuple]:
    """The rows of the table under a question: label -> (count, share). A hidden option's
    label ends in " (skjult)"; use `shown_label` to look it up."""
    rows = list(ws.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == question) + 2
    table = {}
    for row in rows[start:]:
        if row[0].value is None:
            break
        table[row[0].value] = (row[1], row[2])
    return table


def shown_label(row: Row, key: str, answered: int | None = 0) -> str:
    """An option's label as a unit's sheet (and so its chart) writes it."""
    cell = row.cells[key]
    if row.value in (DECLINED, MISSING):
        return row.label
    if cell.suppressed or (cell.percent is None and answered is None):
        return row.label + " (skjult)"
    return row.label


@pytest.fixture(scope="module")
def workbook():
    return report_workbook(make_report())


def test_every_sheet_is_there_in_order(workbook):
    assert workbook.sheetnames == [
        "Sammendrag",
        "Nidaros",  # the registry's short names
        "Orkdal",
        "Øvrige enheter",
        "Trøndelag",
        "Sammenligning",
        "Fritekst",
        "Om tallene",
    ]


@pytest.mark.parametrize("index", range(len(COLUMNS)))
def test_column_sheet_shows_the_reports_counts_and_percentages(workbook, index):
    column = COLUMNS[index]
    ws = workbook.worksheets[1 + index]
    for question in (SCALE, CHOICE):
        text = question.text + (" (flere svar mulig)" if question.multiple else "")
        table = table_after(ws, text)
        for row in question.rows:
            count, share = table[shown_label(row, column.key)]
            cell = row.cells[column.key]
            if cell.suppressed:
                assert (count.value, share.value) == ("skjult", "skjult")
                assert count.data_type == share.data_type == "s"
                continue
            assert count.value == cell.count and count.number_format == "0"
            if row.value in (DECLINED, MISSING):
                assert share.value is None
            else:
                assert share.value == pytest.approx(cell.percent)
                assert share.number_format == "0.0%"
        answered = table["Svarte på spørsmålet"][0]
        assert answered.value == question.answered[column.key]


def test_mean_and_median_are_shown_with_one_decimal(workbook):
    ws = workbook["Nidaros"]
    by_label = {row[0].value: row[1] for row in ws.iter_rows() if row[0].value}
    assert by_label["Gjennomsnitt"].value == 2.7
    assert by_label["Median"].value == 3.0
    assert by_label["Gjennomsnitt"].number_format == "0.0"


def test_a_hidden_mean_and_median_say_skjult_and_a_missing_one_is_left_out():
    statistics = dict(SCALE.statistics, nidaros=Statistic(None, None))  # no numeric answer
    report = make_report(tables=[replace(SCALE, statistics=statistics)])
    workbook = report_workbook(report)
    pooled = {row[0].value: row[1].value for row in workbook["Øvrige enheter"].iter_rows()}
    assert pooled["Gjennomsnitt"] == pooled["Median"] == "skjult"
    assert "Gjennomsnitt" not in {row[0].value for row in workbook["Nidaros"].iter_rows()}


def test_a_share_whose_base_is_hidden_says_skjult_beside_its_count():
    rows = [
        Row("1", "Lite fornøyd", cells((7, None), (0, 0.0), HIDDEN, (7, 0.119))),
        *SCALE.rows[1:],
    ]
    answered = dict(SCALE.answered, nidaros=None)
    table = replace(SCALE, rows=rows, answered=answered)
    workbook = report_workbook(make_report(tables=[table]))
    found = table_after(workbook["Nidaros"], SCALE.text)
    assert found["Lite fornøyd (skjult)"][0].value == 7
    assert found["Lite fornøyd (skjult)"][1].value == "skjult"
    assert found["Svarte på spørsmålet"][0].value == "skjult"
    comparison = {r[1]: r[2] for r in workbook["Sammenligning"].iter_rows(values_only=True)}
    assert comparison["Lite fornøyd"] == "skjult"


SIZE_CLAIM = re.compile(r"færre enn|fewer than|mindre enn|<\s*\d|\b[1-4]\b", re.IGNORECASE)


def test_no_hidden_figure_is_given_a_size(workbook):
    """The sheets with figures say «skjult» and nothing about how small a figure is."""
    sheets = [workbook["Sammendrag"], *workbook.worksheets[1 : 1 + len(COLUMNS)]]
    for ws in [*sheets, workbook["Sammenligning"]]:
        texts = [v for v in all_values(ws) if isinstance(v, str)]
        assert ("skjult" in texts) == (
            ws.title in ("Sammendrag", "Nidaros", "Øvrige enheter", "Sammenligning")
        )
        for value in texts:  # what is said of hidden figures, and every label beside one
            if "skjult" in value or "«" in value:
                assert not SIZE_CLAIM.search(value), (ws.title, value)


def test_no_suppressed_count_appears_as_a_number(workbook):
    for index, column in enumerate(COLUMNS):
        ws = workbook.worksheets[1 + index]
        for question in (SCALE, CHOICE):
            text = question.text + (" (flere svar mulig)" if question.multiple else "")
            table = table_after(ws, text)
            for row in question.rows:
                if row.cells[column.key].suppressed:
                    for cell in table[shown_label(row, column.key)]:
                        assert not isinstance(cell.value, int | float)


def test_suppression_is_explained_once_per_sheet(workbook):
    for name in ["Sammendrag", "Nidaros", "Øvrige enheter", "Sammenligning"]:
        notes = [
            v
            for v in all_values(workbook[name])
            if str(v).startswith("«skjult»: tallet er skjult for å verne anonymiteten.")
        ]
        assert len(notes) == 1, name


def test_every_column_sheet_has_a_bar_chart_per_question_that_overlaps_no_table(workbook):
    for ws in workbook.worksheets[1 : 1 + len(COLUMNS)]:
        assert len(ws._charts) == 2, ws.title
        question_rows = [
            row[0].row
            for row in ws.iter_rows()
            if row[0].value in (SCALE.text, CHOICE.text + " (flere svar mulig)")
        ]
        for chart, next_question in zip(ws._charts, question_rows[1:] + [None], strict=True):
            assert chart.type == "bar"
            column, first_row = coordinate_from_string(chart.anchor)
            assert column == "E"  # beside the table (A to C)
            if next_question is not None:
                assert first_row + chart.height / 0.53 < next_question


def test_charts_are_written_as_openpyxl_itself_writes_them():
    """Each chart's XML is a copy of a model chart's, with its own title and ranges."""
    ws = Workbook().active
    ws.title = "Øvrige & 'andre' <enheter>"
    values = Reference(ws, min_col=3, min_row=5, max_row=9)
    labels = Reference(ws, min_col=1, min_row=5, max_row=9)
    title = "Hvor fornøyd & <glad> er du?"
    copied = excel._PercentBars(title, values=values, labels=labels)._write()
    built = excel._openpyxl_bar_chart(title, values=values, labels=labels)._write()
    assert tostring(copied) == tostring(built)


def test_saved_charts_show_their_own_question_and_rows(tmp_path):
    ws = load_workbook(save_workbook(make_report(), tmp_path / "report.xlsx"))["Nidaros"]
    first_row = {cell.value: cell.row + 2 for cell in ws["A"] if cell.value}  # below the header
    headings = [SCALE.text, CHOICE.text + " (flere svar mulig)"]
    for chart, question, heading in zip(ws._charts, [SCALE, CHOICE], headings, strict=True):
        assert chart.title.tx.rich.p[0].r[0].t == question.text
        first, last = first_row[heading], first_row[heading] + 2  # three options each
        series = chart.series[0]
        assert series.val.numRef.f == f"'Nidaros'!$C${first}:$C${last}"
        assert series.cat.numRef.f == f"'Nidaros'!$A${first}:$A${last}"
        assert chart.x_axis.tickLblSkip == 1  # every label is printed


def test_a_hidden_bar_is_labelled_skjult_in_its_chart(tmp_path):
    """The chart reads its labels from the table, where a hidden option says so."""
    ws = load_workbook(save_workbook(make_report(), tmp_path / "report.xlsx"))["Øvrige enheter"]
    for chart, question in zip(ws._charts, [SCALE, CHOICE], strict=True):
        reference = chart.series[0].cat.numRef.f.split("!")[1].replace("$", "")
        labels = [cell.value for (cell,) in ws[reference]]
        values = [cell.value for (cell,) in ws[reference.replace("A", "C")]]
        expected = [shown_label(row, POOLED) for row in question.rows[:3]]
        assert labels == expected
        for label, value in zip(labels, values, strict=True):
            assert label.endswith(" (skjult)") == (value == "skjult")
        assert any(label.endswith(" (skjult)") for label in labels)


def test_cells_styled_from_remembered_styles_look_as_if_styled_one_by_one(monkeypatch):
    remembered = report_workbook(make_report())

    class Forgetful(dict):
        def setdefault(self, key, default=None):
            return {}

    monkeypatch.setattr(excel, "_STYLES", Forgetful())
    one_by_one = report_workbook(make_report())

    def looks(ws):
        styles = ("font", "fill", "border", "alignment", "number_format", "quotePrefix")
        return [
            (c.coordinate, *(repr(getattr(c, name)) for name in styles))
            for row in ws.iter_rows()
            for c in row
        ]

    for ws in remembered.worksheets:
        assert looks(ws) == looks(one_by_one[ws.title]), ws.title


def comparison_rows(ws) -> tuple[int, list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Spørsmål")
    return header + 1, rows[header:]


def test_comparison_shows_percent_per_option_and_column(workbook):
    ws = workbook["Sammenligning"]
    _, rows = comparison_rows(ws)
    assert rows[0][2:] == ("Nidaros", "Orkdal", "Øvrige enheter", "Trøndelag")
    assert rows[1][2:] == tuple(c.responses for c in COLUMNS)
    body = {(r[1]): r[2:] for r in rows[2:]}
    for question in (SCALE, CHOICE):
        for row in question.rows:
            if row.value in (DECLINED, MISSING):
                assert row.label not in body
                continue
            for value, key in zip(body[row.label], KEYS, strict=True):
                cell = row.cells[key]
                expected = "skjult" if cell.suppressed else pytest.approx(cell.percent)
                assert value == expected


def test_comparison_shades_each_answer_by_its_place_on_the_scale(workbook):
    """A bad answer is never shaded like a good one: the low end of a scale orange, the
    high end blue, the middle and answers without an order grey."""
    ws = workbook["Sammenligning"]
    header, rows = comparison_rows(ws)
    row_of = {r[1]: header + i for i, r in enumerate(rows) if r[1]}
    colour_of_row = {}
    for formatting in ws.conditional_formatting:
        for rule in formatting.rules:
            assert rule.type == "colorScale"
            end = rule.colorScale.color[-1].rgb[-6:]
            for cells in formatting.sqref.ranges:
                colour_of_row[cells.min_row] = end
    colours = excel.DIRECTION_COLOURS
    assert colour_of_row[row_of["Lite fornøyd"]] == colours[LOW]
    assert colour_of_row[row_of["Middels"]] == colours[MIDDLE]
    assert colour_of_row[row_of["Svært fornøyd"]] == colours[HIGH]
    assert colour_of_row[row_of["Samtaler"]] == colours[MIDDLE]  # no order among them
    assert colours[LOW] != colours[HIGH]
    assert ws.freeze_panes == f"C{header + 2}"


def test_directions_leave_out_not_applicable_and_treat_choices_as_unordered():
    rows = [Row(str(v), f"{v}", {}) for v in (1, 2, 3, 4, 5, 9)]
    grad5 = replace(SCALE, rows=rows + SCALE.rows[3:])
    assert option_directions(grad5) == {
        "1": LOW,
        "2": LOW,
        "3": MIDDLE,
        "4": HIGH,
        "5": HIGH,  # 9: «Ikke aktuelt»
    }
    ten = replace(SCALE, rows=[Row(str(v), f"{v}", {}) for v in range(11)])
    assert option_directions(ten)["9"] == HIGH and option_directions(ten)["0"] == LOW
    assert set(option_directions(CHOICE).values()) == {MIDDLE}


def test_comparison_marks_clear_differences_and_explains_blanks():
    rows = [
        Row("1", "Lite fornøyd", cells((0, None), (0, 0.0), HIDDEN, (7, 0.119))),
        *SCALE.rows[1:],
    ]
    table = replace(SCALE, rows=rows, answered=dict(SCALE.answered, nidaros=0))
    ws = report_workbook(make_report(tables=[table]))["Sammenligning"]
    header, found = comparison_rows(ws)
    blank = next(r for r in found if r[1] == "Lite fornøyd")
    assert blank[2] == "–"
    notes = " ".join(str(v) for v in all_values(ws))
    assert "«–»: ingen ved enheten svarte på spørsmålet" in notes
    marked = next(i for i, r in enumerate(found) if r[1] == "Svært fornøyd")
    assert ws.cell(header + marked, 3).number_format == '0.0%" ▲"'
    assert "▲ og ▼: klart over eller under resten av Trøndelag" in notes


def test_text_that_looks_like_a_formula_stays_text(workbook, tmp_path):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    texts = all_values(workbook["Fritekst"])
    for text in ["=1+1", "@SUM(A1)", "-2", "\tTAB"]:
        assert text in texts
    assert CHOICE.text + " (flere svar mulig)" in all_values(workbook["Nidaros"])

    path = save_workbook(make_report(), tmp_path / "report.xlsx")
    reread = load_workbook(path)
    for ws in reread.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert "=1+1" in all_values(reread["Fritekst"])


def test_free_texts_are_grouped_by_column_in_report_order(workbook):
    rows = list(workbook["Fritekst"].iter_rows(min_row=4, values_only=True))
    assert [r[0] for r in rows] == ["Nidaros DPS", "Nidaros DPS", "Øvrige enheter", "Trøndelag"]


def test_without_approved_free_text_the_sheet_says_why():
    ws = report_workbook(make_report(free_texts=[]))["Fritekst"]
    [message] = [v for v in all_values(ws) if isinstance(v, str) and "først" in v]
    assert message.startswith("Fritekst vises først når en administrator har godkjent den.")
    # always, not only where texts were left out (that would say there were some)
    assert "oppfølgingsspørsmål vises bare for enheter der tabellen viser" in message
    shown = report_workbook(make_report())["Fritekst"]
    assert any("oppfølgingsspørsmål" in str(v) for v in all_values(shown))


def test_summary_says_what_who_when_and_how_many(workbook):
    values = all_values(workbook["Sammendrag"])
    text = " | ".join(map(str, values))
    assert "Brukerstemmen er en anonym kartlegging" in text
    assert "1. januar 2026 til 30. juni 2026" in text
    assert "Egenutfylling; Bare de som svarte «Samtaler» på «=Hva har hjulpet deg?»" in values
    assert [c.responses for c in COLUMNS] == [v for v in values if isinstance(v, int)][:4]
    assert (
        "Ikke vist, for å verne små grupper (for få svar, eller tall som sammen med de andre "
        "kolonnene ville avsløre dem): Kolstad DPS"
    ) in values
    assert "20. november 2026" in values
    assert "Svarene er ikke et tilfeldig utvalg av pasientene." in values
    assert "Utgitt av" not in values  # no publisher set: no sender claimed
    assert not any("d4e5f6" in str(v) for v in values)  # versions are in «Om tallene»


def test_summary_names_the_publisher_when_one_is_set():
    workbook = report_workbook(make_report(), publisher="Helsepolitisk forum i Trondheim")
    values = all_values(workbook["Sammendrag"])
    assert values[values.index("Utgitt av") + 1] == "Helsepolitisk forum i Trondheim"


def test_summary_shows_each_indicator_per_unit_with_interval_and_mark(workbook):
    ws = workbook["Sammendrag"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["Enhet"][:3] == ("Enhet", "Antall svar", "Blir hørt")
    assert rows["Nidaros DPS"][1:3] == (40, "72 (68–76) ▲")
    assert rows[LONG_NAME][2] == "48 (36–60) ▼"
    assert rows["Øvrige enheter"][2] == "skjult"
    assert rows["Trøndelag"][2] == "66 (62–70)"
    text = " ".join(map(str, all_values(ws)))
    assert "▲ klart over og ▼ klart under resten av Trøndelag" in text


def test_summary_chart_draws_the_indicator_with_its_interval_as_error_bars(workbook):
    ws = workbook["Sammendrag"]
    (chart,) = ws._charts
    series = chart.series[0]
    bars = series.errBars
    assert bars.errValType == "cust" and bars.errBarType == "both"

    def cells(reference):
        area = reference.split("!")[1].replace("$", "")
        return [cell.value for (cell,) in ws[area]]

    scores = cells(series.val.numRef.f)
    minus, plus = cells(bars.minus.numRef.f), cells(bars.plus.numRef.f)
    assert scores == [72.4, 48.0, None, 66.0]  # the pooled column's score is hidden
    assert minus[0] == pytest.approx(72.4 - 68.1) and plus[0] == pytest.approx(76.0 - 72.4)
    labels = cells(series.cat.numRef.f)
    assert labels[:2] == ["Nidaros", "Orkdal"] and labels[2] == "Øvrige enheter (skjult)"
    # the figures the chart reads stand beside the printed page
    printed = ws.print_area.split(":")[-1].rstrip("0123456789").replace("$", "")
    column = series.val.numRef.f.split("!")[1].split("$")[1]
    assert column > printed


def test_summary_without_indicators_charts_the_responses():
    workbook = report_workbook(make_report(indicators=[]))
    ws = workbook["Sammendrag"]
    assert len(ws._charts) == 1 and ws._charts[0].series[0].errBars is None
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["Øvrige enheter"][1:3] == (9, "Tiller DPS, Stjørdal DPS")


def test_summary_explains_a_missing_total():
    note = "Totalen vises ikke: den kunne avsløre en liten enhet."
    report = make_report(columns=COLUMNS[:3], total_note=note)
    assert note in all_values(report_workbook(report)["Sammendrag"])


def test_unit_sheet_shows_intervals_marks_and_the_units_indicators(workbook):
    ws = workbook["Nidaros"]
    table = table_after(ws, SCALE.text)
    row = table["Svært fornøyd"][0].row
    assert ws.cell(row, 4).value == "63–88\u00a0% ▲"
    by_label = {r[0].value: r for r in ws.iter_rows() if r[0].value}
    assert by_label["Gjennomsnitt"][3].value == "2,5–2,9"
    assert [c.value for c in by_label["Blir hørt"][:4]] == ["Blir hørt", 72.4, "68–76", "▲ over"]
    assert [c.value for c in workbook["Orkdal"]["A"] if c.value == "Blir hørt"]


def test_about_sheet_explains_threshold_and_pooling(workbook):
    text = " ".join(map(str, all_values(workbook["Om tallene"])))
    assert "Ingen tall under 5 vises" in text
    assert "«Øvrige enheter»" in text
    assert "«Ikke aktuelt»" in text
    assert "Wilsons intervall" in text and "resten av Trøndelag" in text
    assert "versjon 2: d4e5f6" in all_values(workbook["Om tallene"])
    assert "Svarene er ikke et tilfeldig utvalg av pasientene." in text


def test_sheet_names_are_valid_and_unique_for_long_and_odd_names():
    labels = [
        "A" * 40,
        "A" * 40 + "x",
        "Sammendrag",
        "a/b:c*d?e[f]g\\h",
        "'sitert'",
        "History",
        "  ",
    ]
    columns = [Column(f"dps{i}", label, 10) for i, label in enumerate(labels)]
    tables = [
        QuestionTable(
            answer_id=t.answer_id,
            question_id=t.question_id,
            text=t.text,
            page=t.page,
            kind=t.kind,
            multiple=t.multiple,
            rows=[Row(r.value, r.label, {c.key: Cell(10, 0.5) for c in columns}) for r in t.rows],
            answered={c.key: 10 for c in columns},
        )
        for t in (SCALE, CHOICE)
    ]
    names = report_workbook(make_report(columns=columns, tables=tables)).sheetnames
    assert len(names) == len(labels) + 4
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert name.casefold() != "history"
    assert names[1:3] == ["A" * 31, "A" * 27 + " (2)"]
    assert names[3] == "Sammendrag (2)"


def shouting(message: str) -> str:
    """A fake translation: upper case, placeholders kept as a translator keeps them."""
    return re.sub(r"(%\(\w+\)s)|([^%]+)", lambda m: m.group(1) or m.group(2).upper(), message)


def test_labels_go_through_gettext():
    workbook = report_workbook(make_report(), gettext=shouting)
    assert workbook.sheetnames[0] == "SAMMENDRAG"
    assert workbook.sheetnames[-3:] == ["SAMMENLIGNING", "FRITEKST", "OM TALLENE"]
    ws = workbook["Nidaros"]
    table = table_after(ws, SCALE.text)
    assert table["Lite fornøyd (SKJULT)"][0].value == "SKJULT"
    assert "SVAR" in all_values(ws) and "PROSENT" in all_values(ws)


def test_sheets_are_set_up_for_printing_and_reading(workbook):
    ws = workbook["Nidaros"]
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "portrait"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert 50 <= ws.page_setup.scale <= 100  # a fixed scale: LibreOffice fits differently
    assert ws.print_title_rows == "$1:$2"
    header, _ = comparison_rows(workbook["Sammenligning"])
    assert workbook["Sammenligning"].print_title_rows == f"${header}:${header + 1}"
    summary = workbook["Sammendrag"].page_setup
    assert summary.fitToHeight == summary.fitToWidth == 1  # one page
    assert workbook["Om tallene"].column_dimensions["B"].width == 85
    assert table_after(ws, SCALE.text)  # question texts wrap:
    question = next(r[0] for r in ws.iter_rows() if r[0].value == SCALE.text)
    assert question.alignment.wrap_text


def pasient_sized_report() -> Report:
    """As many questions as the patient questionnaire: 22, most on the five-point scale."""
    labels = ["Ikke i det hele tatt", "I liten grad", "I noen grad", "I stor grad"]
    labels += ["I svært stor grad", "Ikke aktuelt"]
    options = [
        Row(str(n), label, cells(*[(10, 0.25, 0.14, 0.4)] * 4)) for n, label in enumerate(labels)
    ]
    text = "Hvordan har du opplevd kontakten med DPS-et? I hvilken grad har de lyttet? ({})"
    tables = [
        QuestionTable(**{**SCALE.__dict__, "rows": options + SCALE.rows[3:]})
        if i % 4
        else QuestionTable(**{**CHOICE.__dict__})
        for i in range(22)
    ]
    tables = [
        replace(t, answer_id=f"q{i}", question_id=f"q{i}", text=text.format(i))
        for i, t in enumerate(tables)
    ]
    return make_report(tables=tables)


@pytest.mark.skipif(
    shutil.which("libreoffice") is None and not os.environ.get("CI"),
    reason="needs libreoffice: `make test` installs it, and in CI this test must run",
)
def test_printed_by_libreoffice_the_summary_is_one_page_and_each_unit_at_most_six(tmp_path):
    from pypdf import PdfReader

    report = pasient_sized_report()
    path = save_workbook(report, tmp_path / "rapport.xlsx", publisher="Helsepolitisk forum")
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = [page.extract_text() for page in PdfReader(tmp_path / "rapport.pdf").pages]
    summary = " ".join(pages[0].split())
    for text in [
        "Brukerstemmen 2026",
        "Utgitt av Helsepolitisk forum",
        "1. januar 2026 til 30. juni 2026",
        "Blir hørt",
        "72 (68–76) ▲",
        "48 (36–60) ▼",
        "Svarene er ikke et tilfeldig utvalg av pasientene.",
    ]:
        assert text in summary, text
    firsts = [page.split("\n", 1)[0].strip() for page in pages]
    assert firsts[1] == "Nidaros DPS"  # the summary fits its one page
    for column in COLUMNS:
        count = firsts.count(column.label)
        assert 1 <= count <= 6, (column.label, count)
    assert load_workbook(path).sheetnames == report_workbook(report).sheetnames


def test_pages_break_between_questions_never_inside_a_table_or_chart():
    tables = [
        QuestionTable(**{**SCALE.__dict__, "answer_id": f"q{i}", "text": f"Spørsmål {i}"})
        for i in range(12)
    ]
    ws = report_workbook(make_report(tables=tables))["Nidaros"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    headings = {t.page for t in tables} | {t.text for t in tables}
    starts = {row[0].row for row in ws.iter_rows() if row[0].value in headings}
    for after in breaks:
        assert after + 1 in starts


def test_two_questions_on_the_five_point_scale_share_a_printed_page():
    labels = ["Ikke i det hele tatt", "I liten grad", "I noen grad", "I stor grad"]
    labels += ["I svært stor grad", "Ikke aktuelt"]
    options = [Row(str(n), label, cells(*[(10, 0.25)] * 4)) for n, label in enumerate(labels)]
    grad5 = QuestionTable(**{**SCALE.__dict__, "rows": options + SCALE.rows[3:]})
    text = "I hvilken grad opplever du at de som jobber der, har lyttet til deg? (spørsmål {})"
    tables = [
        QuestionTable(**{**grad5.__dict__, "answer_id": f"q{i}", "text": text.format(i)})
        for i in range(12)
    ]
    ws = report_workbook(make_report(tables=tables))["Nidaros"]
    assert len(ws.row_breaks.brk) <= len(tables) // 2
