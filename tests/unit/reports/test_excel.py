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
from surveyapp.reports.model import (
    DECLINED,
    MISSING,
    POOLED,
    TOTAL,
    Cell,
    Column,
    Filters,
    FreeText,
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
        Row("3", "Svært fornøyd", cells((31, 0.775), (5, 0.455), (5, 0.625), (31, 0.525))),
        Row(DECLINED, "Vil ikke svare", cells((0, None), (0, None), (0, None), (0, None))),
        Row(MISSING, "Ikke besvart", cells((0, None), (1, None), (1, None), (2, None))),
    ],
    answered={"nidaros": 40, "orkdal": 11, POOLED: 8, TOTAL: 59},
    statistics={
        "nidaros": Statistic(2.7, 3.0),
        "orkdal": Statistic(2.45, 3.0),
        POOLED: Statistic(None, None, hidden=True),
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
        "Oversikt",
        "Nidaros DPS",
        "St. Olavs hospital- DPS -Orkdal",
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
    ws = workbook["Nidaros DPS"]
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
    assert "Gjennomsnitt" not in {row[0].value for row in workbook["Nidaros DPS"].iter_rows()}


def test_a_share_whose_base_is_hidden_says_skjult_beside_its_count():
    rows = [
        Row("1", "Lite fornøyd", cells((7, None), (0, 0.0), HIDDEN, (7, 0.119))),
        *SCALE.rows[1:],
    ]
    answered = dict(SCALE.answered, nidaros=None)
    table = replace(SCALE, rows=rows, answered=answered)
    workbook = report_workbook(make_report(tables=[table]))
    found = table_after(workbook["Nidaros DPS"], SCALE.text)
    assert found["Lite fornøyd (skjult)"][0].value == 7
    assert found["Lite fornøyd (skjult)"][1].value == "skjult"
    assert found["Svarte på spørsmålet"][0].value == "skjult"
    comparison = {r[1]: r[2] for r in workbook["Sammenligning"].iter_rows(values_only=True)}
    assert comparison["Lite fornøyd"] == "skjult"


SIZE_CLAIM = re.compile(r"færre enn|fewer than|mindre enn|<\s*\d|\b[1-4]\b", re.IGNORECASE)


def test_no_hidden_figure_is_given_a_size(workbook):
    """The sheets with figures say «skjult» and nothing about how small a figure is."""
    for ws in [*workbook.worksheets[1 : 1 + len(COLUMNS)], workbook["Sammenligning"]]:
        texts = [v for v in all_values(ws) if isinstance(v, str)]
        assert ("skjult" in texts) == (
            ws.title in ("Nidaros DPS", "Øvrige enheter", "Sammenligning")
        )
        for value in texts:
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
    for name in ["Nidaros DPS", "Øvrige enheter", "Sammenligning"]:
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
    ws = load_workbook(save_workbook(make_report(), tmp_path / "report.xlsx"))["Nidaros DPS"]
    first_row = {cell.value: cell.row + 2 for cell in ws["A"] if cell.value}  # below the header
    headings = [SCALE.text, CHOICE.text + " (flere svar mulig)"]
    for chart, question, heading in zip(ws._charts, [SCALE, CHOICE], headings, strict=True):
        assert chart.title.tx.rich.p[0].r[0].t == question.text
        first, last = first_row[heading], first_row[heading] + 2  # three options each
        series = chart.series[0]
        assert series.val.numRef.f == f"'Nidaros DPS'!$C${first}:$C${last}"
        assert series.cat.numRef.f == f"'Nidaros DPS'!$A${first}:$A${last}"
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


def test_comparison_shows_percent_per_option_and_column_with_a_colour_scale(workbook):
    ws = workbook["Sammenligning"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[2]
    assert header[2:] == tuple(c.label for c in COLUMNS)
    assert rows[3][2:] == tuple(c.responses for c in COLUMNS)
    body = {(r[1]): r[2:] for r in rows[4:]}
    for question in (SCALE, CHOICE):
        for row in question.rows:
            if row.value in (DECLINED, MISSING):
                assert row.label not in body
                continue
            for value, key in zip(body[row.label], KEYS, strict=True):
                cell = row.cells[key]
                expected = "skjult" if cell.suppressed else pytest.approx(cell.percent)
                assert value == expected
    rules = [rule for rng in ws.conditional_formatting for rule in rng.rules]
    assert [rule.type for rule in rules] == ["colorScale"]
    assert ws.freeze_panes == "C5"


def test_text_that_looks_like_a_formula_stays_text(workbook, tmp_path):
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    texts = all_values(workbook["Fritekst"])
    for text in ["=1+1", "@SUM(A1)", "-2", "\tTAB"]:
        assert text in texts
    assert CHOICE.text + " (flere svar mulig)" in all_values(workbook["Nidaros DPS"])

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
    assert "Fritekst vises først når en administrator har godkjent den." in all_values(ws)


def test_overview_states_filters_threshold_columns_and_versions(workbook):
    values = all_values(workbook["Oversikt"])
    text = " | ".join(map(str, values))
    assert "1. januar 2026 til 30. juni 2026" in text
    assert "Egenutfylling" in values
    assert "Bare de som svarte «Samtaler» på «=Hva har hjulpet deg?»" in values
    assert "5: færre svar enn dette vises aldri" in values
    assert "Tiller DPS, Stjørdal DPS" in values
    assert [c.responses for c in COLUMNS] == [v for v in values if isinstance(v, int)][:4]
    assert "Kolstad DPS" in values
    assert "versjon 2" in values and "d4e5f6" in values
    assert "20. november 2026" in values


def test_overview_explains_a_missing_total():
    note = "Totalen vises ikke: den kunne avsløre en liten enhet."
    report = make_report(columns=COLUMNS[:3], total_note=note)
    values = all_values(report_workbook(report)["Oversikt"])
    assert "Trøndelag i alt" in values and note in values


def test_about_sheet_explains_threshold_and_pooling(workbook):
    text = " ".join(map(str, all_values(workbook["Om tallene"])))
    assert "Ingen tall under 5 vises" in text
    assert "«Øvrige enheter»" in text
    assert "«Ikke aktuelt»" in text


def test_sheet_names_are_valid_and_unique_for_long_and_odd_names():
    labels = ["A" * 40, "A" * 40 + "x", "Oversikt", "a/b:c*d?e[f]g\\h", "'sitert'", "History", "  "]
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
    assert names[3] == "Oversikt (2)"


def shouting(message: str) -> str:
    """A fake translation: upper case, placeholders kept as a translator keeps them."""
    return re.sub(r"(%\(\w+\)s)|([^%]+)", lambda m: m.group(1) or m.group(2).upper(), message)


def test_labels_go_through_gettext():
    workbook = report_workbook(make_report(), gettext=shouting)
    assert workbook.sheetnames[0] == "OVERSIKT"
    assert workbook.sheetnames[-3:] == ["SAMMENLIGNING", "FRITEKST", "OM TALLENE"]
    ws = workbook["Nidaros DPS"]
    table = table_after(ws, SCALE.text)
    assert table["Lite fornøyd (SKJULT)"][0].value == "SKJULT"
    assert "SVAR" in all_values(ws) and "PROSENT" in all_values(ws)


def test_sheets_are_set_up_for_printing_and_reading(workbook):
    ws = workbook["Nidaros DPS"]
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    assert workbook["Sammenligning"].print_title_rows == "$3:$4"
    assert workbook["Om tallene"].column_dimensions["B"].width == 85
    assert table_after(ws, SCALE.text)  # question texts wrap:
    question = next(r[0] for r in ws.iter_rows() if r[0].value == SCALE.text)
    assert question.alignment.wrap_text


@pytest.mark.skipif(
    shutil.which("libreoffice") is None and not os.environ.get("CI"),
    reason="needs libreoffice: `make test` installs it, and in CI this test must run",
)
def test_libreoffice_opens_the_workbook_and_prints_it_as_pdf(tmp_path):
    path = save_workbook(make_report(), tmp_path / "rapport.xlsx")
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
        timeout=120,
    )
    pdf = tmp_path / "rapport.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    assert load_workbook(path).sheetnames == report_workbook(make_report()).sheetnames


def test_pages_break_between_questions_never_inside_a_table_or_chart():
    tables = [
        QuestionTable(**{**SCALE.__dict__, "answer_id": f"q{i}", "text": f"Spørsmål {i}"})
        for i in range(12)
    ]
    ws = report_workbook(make_report(tables=tables))["Nidaros DPS"]
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
    ws = report_workbook(make_report(tables=tables))["Nidaros DPS"]
    assert len(ws.row_breaks.brk) <= len(tables) // 2
