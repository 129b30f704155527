"""The council report as a PDF (fpdf2): a title, the summary, the targets, the figures per
theme with last year's beside them, the charts (the same SVG as on the dashboard, through
``charts.svg_for_pdf``) with their numbers, and the definitions. Helvetica in Windows-1252,
so the euro sign and Dutch letters print as they are (``rules.cost_sheet_pdf.safe``)."""

from __future__ import annotations

import io
from typing import Any

from fpdf.fonts import FontFace

from werkbrug.monitoring import charts
from werkbrug.monitoring.reports import CouncilReport, nl_date
from werkbrug.rules.cost_sheet_pdf import BLUE, GREY, LIGHT_BLUE, WARNING, safe

WIDTH = 174
WHITE = (255, 255, 255)


def _document(report: CouncilReport) -> Any:
    from fpdf import FPDF

    class Document(FPDF):  # type: ignore[misc]
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.set_text_color(*GREY)
            self.cell(
                0,
                5,
                safe(f"{report.title} · Werkbrug · pagina {self.page_no()} van {{nb}}"),
                align="C",
            )

    pdf = Document(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(safe(report.title))
    pdf.set_author("Werkbrug")
    pdf.set_creator("Werkbrug")
    pdf.set_subject(safe(f"Raadsrapportage {report.where}"))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(18, 16, 18)
    pdf.alias_nb_pages()
    return pdf


def _heading(pdf: Any, text: str, size: int = 13, *, keep_with: float = 24) -> None:
    """A heading, on a new page when it and the first ``keep_with`` mm after it do not fit."""
    if pdf.will_page_break(keep_with):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("Helvetica", style="B", size=size)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(WIDTH, 7, safe(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", size=9)


def _chart(pdf: Any, svg: str, height_guess: float = 80) -> None:
    if not svg:
        return
    if pdf.will_page_break(height_guess):
        pdf.add_page()
    pdf.image(
        io.BytesIO(charts.svg_for_pdf(svg)),
        x=pdf.l_margin,
        w=WIDTH,
        alt_text=safe(charts.text_alternative(svg)),
    )
    pdf.ln(2)


def _table(
    pdf: Any,
    header: list[str],
    rows: list[list[str]],
    widths: tuple[int, ...],
    *,
    size: int = 8,
    align: tuple[str, ...] | None = None,
) -> None:
    """A table: text columns left, numbers right (``align`` per column; default the first
    left, the rest right)."""
    pdf.set_font("Helvetica", size=size)
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD", fill_color=LIGHT_BLUE),
        cell_fill_color=WHITE,
        cell_fill_mode="ALL",
        line_height=4.6,
        padding=1.1,
        text_align=align or ("LEFT", *("RIGHT",) * (len(widths) - 1)),
        width=WIDTH,
    ) as table:
        head = table.row()
        for cell in header:
            head.cell(safe(cell))
        for values in rows:
            row = table.row()
            for cell in values:
                row.cell(safe(cell))


def report_pdf(report: CouncilReport) -> bytes:
    pdf = _document(report)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(WIDTH, 9, safe(report.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*GREY)
    pdf.set_font("Helvetica", size=9)
    made = f"Gemaakt op {nl_date(report.generated_at.date())}"
    if report.refreshed_at is not None:
        made += f"; cijfers bijgewerkt op {nl_date(report.refreshed_at.date())}"
    pdf.multi_cell(
        WIDTH,
        5,
        safe(f"{report.region} · vergeleken met {report.previous_period} · {made}."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)

    _heading(pdf, "Samenvatting")
    pdf.set_font("Helvetica", size=10)
    for sentence in report.summary:
        pdf.multi_cell(WIDTH, 5.2, safe(f"- {sentence}"), align="L", new_x="LMARGIN", new_y="NEXT")

    if report.targets:
        _heading(pdf, "Doelen")
        _table(
            pdf,
            ["Indicator", "Gemeente", "Doel", "Gerealiseerd", "Van doel", "Status"],
            [
                [t.kpi, t.municipality, t.target, t.realised, t.pct, t.status_nl]
                for t in report.targets
            ],
            (52, 30, 18, 24, 20, 30),
            align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        )
        warnings = [t for t in report.targets if t.warning and t.status == "achter"]
        for t in warnings[:6]:
            pdf.set_fill_color(*WARNING)
            pdf.set_font("Helvetica", size=8)
            pdf.multi_cell(
                WIDTH,
                4.4,
                safe(f"{t.kpi} ({t.municipality}). {t.warning}"),
                fill=True,
                align="L",
                new_x="LMARGIN",
                new_y="NEXT",
            )

    if report.monthly_svg:
        _heading(pdf, report.monthly_title, keep_with=90)
        _chart(pdf, report.monthly_svg)
        year, before = report.monthly_years
        _table(
            pdf,
            ["Maand", str(year), str(before)],
            [list(row) for row in report.monthly_rows],
            (80, 47, 47),
        )

    for theme, rows in report.themes:
        _heading(pdf, theme)
        _table(
            pdf,
            ["Indicator", report.period, report.previous_period, "Verschil"],
            [
                [
                    f"{row.name} ({row.code})"
                    + (" *" if row.trend_break else "")
                    + (" (kleine aantallen)" if row.small else ""),
                    row.shown,
                    row.previous_shown,
                    row.change or "-",
                ]
                for row in rows
            ],
            (86, 30, 30, 28),
        )
    if any(row.trend_break for _theme, rows in report.themes for row in rows):
        pdf.set_font("Helvetica", size=8)
        pdf.multi_cell(
            WIDTH,
            4.4,
            safe("* De definitie veranderde in deze periode (trendbreuk): vergelijk met zorg."),
            new_x="LMARGIN",
            new_y="NEXT",
        )

    if report.comparison_svg:
        _heading(pdf, report.comparison_title, keep_with=100)
        _chart(pdf, report.comparison_svg, height_guess=90)

    _heading(pdf, "Definities")
    pdf.set_font("Helvetica", size=8)
    for _theme, rows in report.themes:
        for row in rows:
            if pdf.will_page_break(12):
                pdf.add_page()
            pdf.set_font("Helvetica", style="B", size=8)
            pdf.multi_cell(
                WIDTH,
                4.2,
                safe(f"{row.code} {row.name} (versie {row.version})"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.set_font("Helvetica", size=8)
            pdf.multi_cell(
                WIDTH,
                4.2,
                safe(f"{row.definition} Bron: {row.source}."),
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(1)
    return bytes(pdf.output())
