"""The Excel workbook: renders a SummaryReport, computes nothing of its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from surveyapp.reports.summary import SummaryReport, build_summary

HEADER_FILL = PatternFill("solid", fgColor="083F77")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SUPPRESSED_NOTE = "færre enn %d"


def summary_workbook(report: SummaryReport) -> Workbook:
    workbook = Workbook()
    overview = workbook.active
    overview.title = "Oversikt"
    overview.append([report.title])
    overview["A1"].font = Font(bold=True, size=14)
    overview.append(["Laget", dt.date.today().isoformat()])
    overview.append(["Minste antall som vises", report.min_count])
    overview.append([])
    overview.append(["DPS", "Antall svar"])
    _style_header(overview, overview.max_row)
    for column in report.columns:
        overview.append([column.label, column.responses])
    if report.not_shown:
        overview.append([])
        overview.append(
            [
                f"Ikke vist (færre enn {report.min_count} svar, også samlet):",
                ", ".join(report.not_shown),
            ]
        )
    pooled = [c for c in report.columns if c.units]
    if pooled:
        overview.append([])
        overview.append(["Øvrige enheter består av:", ", ".join(pooled[0].units)])
    overview.append([])
    overview.append(
        [
            f"Tall under {report.min_count} vises ikke, og heller ikke tall som kunne brukes "
            "til å regne dem ut. Fritekst er ikke med før den er godkjent."
        ]
    )
    overview.column_dimensions["A"].width = 48
    overview.column_dimensions["B"].width = 16

    sheet = workbook.create_sheet("Svar per DPS")
    sheet.append(["Spørsmål", "Svar"] + [c.label for c in report.columns])
    _style_header(sheet, 1)
    suppressed = SUPPRESSED_NOTE % report.min_count
    previous_question = None
    for row in report.rows:
        question = row.question if row.answer_id != previous_question else ""
        previous_question = row.answer_id
        sheet.append([question, row.option] + [suppressed if c is None else c for c in row.cells])
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 34
    for index in range(3, 3 + len(report.columns)):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    for cells in sheet.iter_rows(min_row=2):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in cells[2:]:
            cell.alignment = Alignment(horizontal="right")
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return workbook


def _style_header(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def write_summary_workbook(
    session: Session,
    questionnaire_id: str,
    *,
    min_count: int,
    exports_dir: Path,
    output: Path | None = None,
) -> Path:
    report = build_summary(session, questionnaire_id, min_count)
    path = (
        output or exports_dir / f"brukerstemmen-{questionnaire_id}-{dt.date.today():%Y-%m-%d}.xlsx"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    summary_workbook(report).save(path)
    return path
