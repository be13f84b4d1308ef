"""The first Excel export: counts per DPS and option, and no count below the threshold."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from openpyxl import load_workbook

from surveyapp.collect.submission import store_response
from surveyapp.collect.versions import current_version, questionnaire_of


def add_responses(app, dps_id: str, answers_list: list[dict]):
    with app.extensions["db_sessionmaker"]() as session:
        version = current_version(session, "flyt")
        for answers in answers_list:
            store_response(
                session,
                version=version,
                questionnaire=questionnaire_of(version),
                dps_id=dps_id,
                mode="self",
                answers=answers,
                submission_key=secrets.token_hex(12),
                today=dt.date(2026, 11, 20),
            )


def sheet_rows(path: Path, name: str) -> list[tuple]:
    return list(load_workbook(path)[name].iter_rows(values_only=True))


def export(runner, tmp_path) -> Path:
    output = tmp_path / "out.xlsx"
    result = runner.invoke(args=["export", "--questionnaire", "flyt", "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output


def test_export_counts_per_dps_and_option(app, runner, tmp_path):
    add_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 6 + [{"rolle": ["parorende"]}] * 5)
    add_responses(app, "tiller", [{"rolle": ["pasient"]}] * 7)
    rows = sheet_rows(export(runner, tmp_path), "Svar per DPS")
    assert rows[0][:4] == ("Spørsmål", "Svar", "Nidaros DPS", "Tiller DPS")
    by_label = {(r[1]): r[2:4] for r in rows if r[0] in ("Hvem svarer?", None)}
    assert by_label["Pasient"] == (6, 7)
    assert by_label["Pårørende"] == (5, 0)


def test_no_count_below_the_threshold_is_shown_or_can_be_worked_out(app, runner, tmp_path):
    # nidaros: 8 patients, 2 next of kin -> the 2 is hidden, and so is the 8 (10 - 8 = 2)
    add_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 8 + [{"rolle": ["parorende"]}] * 2)
    rows = sheet_rows(export(runner, tmp_path), "Svar per DPS")
    cells = {r[1]: r[2] for r in rows[1:4]}
    assert cells["Pasient"] == "færre enn 5" and cells["Pårørende"] == "færre enn 5"
    for row in rows[1:]:
        for value in row[2:]:
            assert not (isinstance(value, int) and 0 < value < 5)


def test_small_units_are_pooled_and_a_small_pool_is_left_out(app, runner, tmp_path):
    add_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 5)
    add_responses(app, "stjordal", [{"rolle": ["pasient"]}] * 3)
    add_responses(app, "namsos", [{"rolle": ["pasient"]}] * 3)
    path = export(runner, tmp_path)
    header = sheet_rows(path, "Svar per DPS")[0]
    assert header[2:] == ("Nidaros DPS", "Øvrige enheter")
    overview = sheet_rows(path, "Oversikt")
    assert ("Øvrige enheter", 6) in overview
    assert not any(row[0] == "DPS Stjørdal" for row in overview)


def test_a_pool_below_the_threshold_is_named_but_not_counted(app, runner, tmp_path):
    add_responses(app, "nidaros", [{"rolle": ["pasient"]}] * 5)
    add_responses(app, "stjordal", [{"rolle": ["pasient"]}] * 3)
    path = export(runner, tmp_path)
    assert sheet_rows(path, "Svar per DPS")[0][2:] == ("Nidaros DPS",)
    overview = "\n".join(str(r) for r in sheet_rows(path, "Oversikt"))
    assert "DPS Stjørdal" in overview and ", 3)" not in overview


def test_free_text_is_not_exported_before_approval(app, runner, tmp_path):
    add_responses(app, "nidaros", [{"rolle": ["pasient"], "bra": ["Hemmelig fritekst"]}] * 5)
    path = export(runner, tmp_path)
    for name in load_workbook(path).sheetnames:
        assert "Hemmelig fritekst" not in str(sheet_rows(path, name))


def test_export_writes_into_exports_with_a_clear_name_by_default(app, runner):
    result = runner.invoke(args=["export", "--questionnaire", "flyt"])
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.parent == Path(app.config["EXPORTS_DIR"])
    assert path.name.startswith("brukerstemmen-flyt-") and path.suffix == ".xlsx"


def test_export_of_an_unknown_questionnaire_says_so(runner):
    result = runner.invoke(args=["export", "--questionnaire", "finnes_ikke"])
    assert result.exit_code != 0
    assert "finnes_ikke" in result.output
