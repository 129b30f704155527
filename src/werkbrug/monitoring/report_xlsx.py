"""The council report's tables as a workbook (openpyxl), one sheet per table, numbers as
numbers (not text) so a policy officer can go on calculating: Samenvatting, Doelen, one sheet
per theme, Per maand, Per gemeente and Definities."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from werkbrug.core.spreadsheets import spreadsheet_safe
from werkbrug.monitoring.reports import CouncilReport

HEADER_FILL = PatternFill("solid", fgColor="E5EEF7")


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet = workbook.create_sheet(title[:31])
    # Headings can hold names people typed (a group, a municipality): never a formula either.
    sheet.append([spreadsheet_safe(h) if isinstance(h, str) else h for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append(
            [
                float(value)
                if isinstance(value, Decimal)
                else spreadsheet_safe(value)
                if isinstance(value, str)
                else value
                for value in row
            ]
        )
    for index, column in enumerate(header, start=1):
        longest = max([len(str(column))] + [len(str(r[index - 1] or "")) for r in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 70)
    sheet.freeze_panes = "A2"


def workbook(sheets: list[tuple[str, list[str], list[list[object]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows)."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        _sheet(book, title, header, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_xlsx(report: CouncilReport) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Samenvatting"
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([spreadsheet_safe(f"{report.region}; vergeleken met {report.previous_period}.")])
    summary.append([])
    for sentence in report.summary:
        summary.append([spreadsheet_safe(sentence)])
    summary.column_dimensions["A"].width = 120
    for row in summary.iter_rows(min_row=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    _sheet(
        workbook,
        "Doelen",
        [
            "Programma",
            "Indicator",
            "Gemeente",
            "Doel",
            "Gerealiseerd",
            "Van doel (%)",
            "Status",
            "Toelichting",
        ],
        [
            [
                t.programme,
                t.kpi,
                t.municipality,
                t.target_value,
                t.realised_value,
                t.pct_value,
                t.status_nl,
                t.warning,
            ]
            for t in report.targets
        ],
    )
    for theme, rows in report.themes:
        _sheet(
            workbook,
            theme,
            [
                "Code",
                "Indicator",
                "Eenheid",
                report.period,
                report.previous_period,
                "Trendbreuk",
                "Kleine aantallen",
            ],
            [
                [
                    row.code,
                    row.name,
                    row.unit,
                    row.value,
                    row.previous,
                    "ja" if row.trend_break else "nee",
                    "ja" if row.small else "nee",
                ]
                for row in rows
            ],
        )
    if report.monthly_values:
        year, before = report.monthly_years
        _sheet(
            workbook,
            "Per maand",
            ["Maand", f"{report.monthly_title} {year}", str(before)],
            [list(row) for row in report.monthly_values],
        )
    if report.comparison_values:
        _sheet(
            workbook,
            "Per gemeente",
            ["Gemeente", report.comparison_title],
            [list(row) for row in report.comparison_values],
        )
    _sheet(
        workbook,
        "Definities",
        ["Code", "Versie", "Indicator", "Definitie", "Bron"],
        [
            [row.code, row.version, row.name, row.definition, row.source]
            for _theme, rows in report.themes
            for row in rows
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
