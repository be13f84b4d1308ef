"""`surveyapp export`: the report's workbook in exports/, with filters, an audit entry, and
the same figures as the report itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.db.models import AuditEntry
from surveyapp.reports.summary import build_report
from tests.helpers import store_responses

LATER = dt.date(2027, 1, 5)


@pytest.fixture(autouse=True)
def later(monkeypatch):
    """The responses here are from 2026-H2 (the helpers' day); exported after it ended."""
    from surveyapp import periods

    monkeypatch.setattr(periods, "today", lambda: LATER)


def export(runner, *args) -> Path:
    result = runner.invoke(args=["export", "--questionnaire", "flyt", *args])
    assert result.exit_code == 0, result.output
    return Path(result.output.strip().splitlines()[-1])


def comparison(path: Path, sheet: str = "Sammenligning") -> dict[tuple[str, str], list]:
    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[1] in ("Svar", "Answer"))
    rows = rows[header + 2 :]  # below the header and the response counts
    table, question = {}, None
    for row in rows:
        question = row[0] or question
        table[(question, row[1])] = list(row[2:])
    return table


def test_export_writes_the_reports_figures_into_exports_with_a_clear_name(app, runner, db):
    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 6 + [{"rolle": ["parorende"]}] * 5)
    store_responses(app, "tiller", [{"rolle": ["pasient"]}] * 7)
    path = export(runner)
    assert path.parent == Path(app.config["EXPORTS_DIR"])
    assert path.name == f"brukerstemmen-flyt-2026-H2-{dt.date.today()}.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "Sammendrag"
    assert {"Nidaros", "Tiller", "Sammenligning", "Fritekst", "Om tallene"} <= set(
        workbook.sheetnames
    )
    report = build_report(db, "flyt", min_count=5, today=LATER)
    shares = comparison(path)[("Hvem svarer?", "Pasient")]
    expected = [
        row.cells[c.key].percent for row in report.tables[0].rows[:1] for c in report.columns
    ]
    assert shares == expected == [6 / 11, 1.0, 13 / 18]


def test_filters_narrow_the_export_and_name_the_file(app, runner, db):
    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 5)
    store_responses(app, "nidaros", [{"rolle": ["parorende"]}] * 5, mode="interview")
    path = export(runner, "--mode", "interview", "--group", "rolle:parorende")
    assert path.name.startswith("brukerstemmen-flyt-2026-H2-interview-rolle-parorende-")
    summary = [r for r in load_workbook(path)["Sammendrag"].iter_rows(values_only=True) if r[0]]
    assert any(r[0] == "Nidaros DPS" and r[1] == 5 for r in summary)
    assert any(r[0] == "Utvalg" and "Intervju" in r[1] for r in summary)


def test_no_number_in_the_workbook_is_a_count_below_the_threshold(app, runner):
    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 8 + [{"rolle": ["parorende"]}] * 2)
    path = export(runner)
    shares = comparison(path)[("Hvem svarer?", "Pasient")]
    assert shares[0] == "skjult"
    unit_sheet = next(n for n in load_workbook(path).sheetnames if n.startswith("Nidaros"))
    rows = {r[0]: r[1] for r in load_workbook(path)[unit_sheet].iter_rows(values_only=True)}
    assert rows["Pasient (skjult)"] == rows["Pårørende (skjult)"] == "skjult"


def test_every_export_is_written_to_the_audit_log_with_its_filters(app, runner, db):
    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 5)
    export(runner, "--period", "2026-H2", "--mode", "self")
    entry = db.scalar(select(AuditEntry))
    assert entry.action == "export" and entry.questionnaire_id == "flyt"
    assert entry.username.startswith("cli:")
    details = json.loads(entry.details)
    assert details["periode"] == "2026-H2" and details["modus"] == "self"
    assert details["fil"].endswith(".xlsx")


def test_bad_filters_get_a_clear_message_and_write_nothing(app, runner):
    def refused(*args):
        result = runner.invoke(args=["export", "--questionnaire", "flyt", *args])
        assert result.exit_code != 0
        return result.output

    assert "datoer eller skjemaversjoner («fra»)" in refused("--from", "2026-03-01")
    assert "datoer eller skjemaversjoner («versjon»)" in refused("--version", "3")
    assert "Velg en gruppe fra listen." in refused("--group", "rolle")
    assert "Velg en gruppe fra listen." in refused("--group", "alder:u30")  # not declared
    assert "et halvår, for eksempel 2026-H1" in refused("--period", "2026-03")
    assert "Velg svarmåte fra listen." in refused("--mode", "telefon")
    assert not list(Path(app.config["EXPORTS_DIR"]).glob("*.xlsx"))


def test_a_running_period_is_not_exported(app, runner, monkeypatch):
    from surveyapp import periods

    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 6)
    monkeypatch.setattr(periods, "today", lambda: dt.date(2026, 12, 1))
    result = runner.invoke(args=["export", "--questionnaire", "flyt"])
    assert result.exit_code != 0 and "2027-01-01" in result.output
    assert not list(Path(app.config["EXPORTS_DIR"]).glob("*.xlsx"))


def test_export_of_an_unknown_questionnaire_says_so(runner):
    result = runner.invoke(args=["export", "--questionnaire", "finnes_ikke"])
    assert result.exit_code != 0
    assert "finnes_ikke" in result.output


def test_export_names_the_publisher_from_the_setting(app, runner):
    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 5)
    app.config["PUBLISHER"] = "Helsepolitisk forum i Trondheim"
    summary = list(load_workbook(export(runner))["Sammendrag"].iter_rows(values_only=True))
    assert ("Utgitt av", "Helsepolitisk forum i Trondheim") in [tuple(r[:2]) for r in summary]


def test_export_in_english(app, runner):
    store_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 5)
    path = export(runner, "--language", "en")
    assert ("Who is answering?", "Patient") in comparison(path, "Comparison")
