"""The evaluation tables as the report prints them (groups as columns, percentages, N, the
test with its marks), and as files: XLSX (one sheet per table, numbers as numbers), PDF
(fpdf2, one table after another) and the anonymised answers as CSV for researchers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from werkbrug.core.spreadsheets import spreadsheet_safe
from werkbrug.evaluation.selectors import Cell, EffectRow, GroupTable
from werkbrug.evaluation.stats import ChiSquareResult
from werkbrug.monitoring.report_xlsx import workbook
from werkbrug.rules.cost_sheet_pdf import BLUE, GREY, LIGHT_BLUE, safe


def p_text(p: float) -> str:
    """p as the report prints it: three decimals without the leading zero, '< .001' below."""
    if p < 0.001:
        return "< .001"
    return f"{p:.3f}".lstrip("0")


def chi_text(chi: ChiSquareResult | None) -> str:
    if chi is None:
        return ""
    text = f"χ² = {chi.statistic:.2f}, df = {chi.dof}, p = {p_text(chi.p_value)}{chi.mark}"
    text += f", Cramér's V = {chi.cramers_v:.2f}"
    if chi.fisher_p_value is not None:
        text += "; " + _("Fisher's exact test p = %(p)s") % {"p": p_text(chi.fisher_p_value)}
    return text


def cell_text(cell: Cell, min_cell: int) -> str:
    if cell.complementary:
        return "•"
    if cell.suppressed:
        return f"< {min_cell}"
    percentage = cell.percentage
    return f"{percentage:.1f}".replace(".", ",") if percentage is not None else "–"


def table_grid(table: GroupTable, first: str = "") -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one table: an answer (or ``first``: what the rows are) per row, a
    group per column (percentages; suppressed cells '< n'), then N, the means and the tests."""
    header = [first or _("Answer")] + [f"{column} (%)" for column in table.columns]
    rows: list[list[Any]] = [
        [label] + [cell_text(c, table.min_cell) for c in cells]
        for label, cells in zip(table.row_labels, table.cells, strict=True)
    ]
    rows.append(["N"] + list(table.n))
    if table.means:
        rows.append([_("Mean")] + [_num(m) for m in table.means])
        rows.append([_("Standard deviation")] + [_num(s) for s in table.sds])
    return header, rows


def tests_lines(table: GroupTable) -> list[str]:
    lines = []
    if table.chi is not None:
        lines.append(chi_text(table.chi))
        if table.chi.warning:
            lines.append(table.chi.warning)
    if table.t is not None:
        t = table.t
        lines.append(
            f"t = {t.statistic:.2f}, df = {t.dof:.1f}, p = {p_text(t.p_value)}{t.mark}, "
            f"Cohen's d = {t.cohens_d:.2f}"
        )
    if table.mann_whitney is not None:
        mw = table.mann_whitney
        lines.append(f"Mann-Whitney U = {mw.statistic:.1f}, p = {p_text(mw.p_value)}{mw.mark}")
    if table.note:
        lines.append(table.note)
    return lines


def effect_grid(
    rows: Sequence[EffectRow], labels: tuple[str, str]
) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Outcome"),
        f"{labels[0]} (%)",
        f"{labels[1]} (%)",
        _("Difference (percentage points)"),
        _("95% interval"),
        "p",
    ]
    out: list[list[Any]] = []
    for row in rows:
        d = row.difference
        out.append(
            [
                row.outcome,
                f"{_num(row.participant_pct)} ({row.participants}/{row.participants_n})",
                f"{_num(row.control_pct)} ({row.controls}/{row.controls_n})",
                _num(round(100 * d.difference, 1)) if d else "–",
                f"{_num(round(100 * d.ci_low, 1))} – {_num(round(100 * d.ci_high, 1))}"
                if d
                else "–",
                (p_text(row.chi.p_value) + row.chi.mark) if row.chi else "–",
            ]
        )
    return header, out


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value}".replace(".", ",")


def tables_xlsx(tables: Sequence[GroupTable]) -> bytes:
    """One sheet per table ("Tabel 1", ...: question texts hold characters a sheet name may
    not), the question in the first row."""
    sheets = []
    for number, table in enumerate(tables, start=1):
        header, rows = table_grid(table)
        rows += [[line] for line in tests_lines(table)]
        rows = [[table.title]] + rows
        width = len(header)
        sheets.append((f"Tabel {number}", header, [r + [None] * (width - len(r)) for r in rows]))
    return workbook(sheets or [(_("Tables"), [_("No answers yet")], [])])


def answers_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """The anonymised answers, ';'-separated as Dutch Excel expects, UTF-8 with BOM; a text
    that starts like a formula is made harmless."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tables_pdf(title: str, subtitle: str, tables: Sequence[GroupTable]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(safe(title))
    pdf.set_author("Werkbrug")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(174, 8, safe(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(174, 5, safe(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    for number, table in enumerate(tables, start=1):
        header, rows = table_grid(table)
        height = 12 + 6 * (len(rows) + 1)
        if pdf.will_page_break(height):
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.multi_cell(
            174, 5, safe(f"Tabel {number}. {table.title}"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", size=8)
        first = 174 - 30 * (len(header) - 1)
        widths = (first,) + (30,) * (len(header) - 1)
        with pdf.table(
            col_widths=widths,
            text_align=("LEFT",) + ("RIGHT",) * (len(header) - 1),
            headings_style=_heading_style(),
            line_height=5,
        ) as grid:
            for row in [header] + rows:
                line = grid.row()
                for value in row:
                    line.cell(safe(str(value)))
        for text in tests_lines(table):
            pdf.multi_cell(
                174, 4.5, safe(text.replace("χ²", "Chi²")), new_x="LMARGIN", new_y="NEXT"
            )
    pdf.ln(4)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        174,
        4,
        safe(
            _(
                "* p < .05, ** p < .01 (Pearson's chi-square test). Cells with fewer respondents "
                "than the smallest cell size are shown as '< n'; '•' is hidden so that such a "
                "cell cannot be worked out from the others."
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _heading_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=LIGHT_BLUE)
