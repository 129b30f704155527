"""The one-page PDF (fpdf2) of a "Wat kost het mij?" calculation (``rules.cost_sheet``), to
leave with the employer.

The PDF uses Helvetica with the Windows-1252 encoding, so the euro sign and Dutch letters
print as they are; any other character goes through ``data_export.pdf_safe``. It fits on one
A4 page for up to five periods: the periods are columns of one table, every explanation is
printed once below it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from werkbrug.candidates.data_export import pdf_safe
from werkbrug.rules.calculator import euro
from werkbrug.rules.cost_sheet import (
    Calculation,
    explanations,
    minus,
    period_label,
    relief_rows,
    situation_text,
    tell_text,
)

# --- PDF --------------------------------------------------------------------------------------

BLUE = (21, 66, 115)
LIGHT_BLUE = (229, 238, 247)
GREY = (90, 90, 90)
LIGHT_GREY = (243, 243, 243)
WARNING = (255, 244, 206)
WIDTH = 174  # A4 minus 18 mm margins


LABEL_WIDTH = 54


def safe(text: str) -> str:
    """Text Helvetica in Windows-1252 can print; the rest as ``pdf_safe`` makes it."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            out.append(pdf_safe(char))
        else:
            out.append(char if char >= " " or char == "\n" else " ")
    return "".join(out)


#: Tried in turn until the sheet fits on one page (long explanations, many periods).
SCALES = (1.0, 0.92, 0.85, 0.78, 0.72)


def _document(title: str) -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(safe(title))
    pdf.set_author("Werkbrug")
    pdf.set_creator("Werkbrug")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(18, 14, 18)
    return pdf


class _Writer:
    """Writes on the PDF with every font size and line height times ``scale``."""

    def __init__(self, pdf: Any, scale: float) -> None:
        self.pdf, self.scale = pdf, scale

    def font(self, size: float, style: str = "") -> None:
        self.pdf.set_font("Helvetica", style=style, size=size * self.scale)

    def ln(self, height: float) -> None:
        self.pdf.ln(height * self.scale)

    def text(self, height: float, text: str, **kwargs: Any) -> None:
        kwargs.setdefault("align", "L")
        self.pdf.multi_cell(
            0, height * self.scale, safe(text), new_x="LMARGIN", new_y="NEXT", **kwargs
        )

    def labelled(self, size: float, height: float, label: str, text: str) -> None:
        """ "Label: text" with the label in bold, wrapping under itself."""
        self.font(size, "B")
        self.pdf.write(height * self.scale, safe(f"{label}: "))
        self.font(size)
        self.pdf.write(height * self.scale, safe(text))
        self.pdf.ln(height * self.scale * 1.1)

    def heading(self, text: str) -> None:
        self.ln(2.5)
        self.font(10.5, "B")
        self.pdf.set_text_color(*BLUE)
        self.text(5.5, text)
        self.pdf.set_text_color(0, 0, 0)

    def table(self, columns: int, width: float) -> Any:
        from fpdf.fonts import FontFace

        self.font(9)
        return self.pdf.table(
            width=LABEL_WIDTH + width * columns,
            col_widths=(LABEL_WIDTH, *([width] * columns)),
            align="LEFT",
            headings_style=FontFace(emphasis="BOLD", fill_color=LIGHT_BLUE),
            line_height=4.8 * self.scale,
            padding=(0.8 * self.scale, 1.5),
            text_align=("LEFT", *(["RIGHT"] * columns)),
            borders_layout="HORIZONTAL_LINES",
        )


def cost_sheet_pdf(calculation: Calculation) -> bytes:
    """One A4 page: smaller print when the content needs it."""
    for scale in SCALES:
        pdf = _render(calculation, scale)
        if pdf.page_no() == 1:
            break
    return bytes(pdf.output())


def _render(calculation: Calculation, scale: float) -> Any:
    from fpdf.fonts import FontFace

    sheet = calculation.sheet
    title = _("What does it cost me?")
    pdf = _document(title)
    w = _Writer(pdf, scale)
    pdf.add_page()
    w.font(20, "B")
    pdf.set_text_color(*BLUE)
    w.text(9, title)
    w.font(8.5)
    pdf.set_text_color(*GREY)
    w.text(
        4.5,
        _("Calculated on %(date)s with the rules valid on the start date %(start)s.")
        % {
            "date": calculation.generated_at.strftime("%d-%m-%Y"),
            "start": calculation.start_date.strftime("%d-%m-%Y"),
        },
    )
    pdf.set_text_color(0, 0, 0)
    w.ln(1.5)
    w.font(10)
    w.text(5, _("Situation: %(situation)s.") % {"situation": situation_text(calculation)})

    # The periods as columns.
    w.heading(_("Per month"))
    periods = sheet.periods
    total = FontFace(emphasis="BOLD", fill_color=LIGHT_GREY)
    with w.table(len(periods), min(30.0, (WIDTH - LABEL_WIDTH) / max(1, len(periods)))) as table:
        row = table.row()
        row.cell("")
        for period in periods:
            row.cell(safe(period_label(period)))
        for index, line in enumerate(periods[0].costs if periods else ()):
            row = table.row()
            row.cell(safe(line.label_nl))
            for period in periods:
                row.cell(safe(euro(period.costs[index].per_month)))
        row = table.row(style=FontFace(emphasis="BOLD"))
        row.cell(safe(_("Wage costs")))
        for period in periods:
            row.cell(safe(euro(period.cost)))
        for _code, label, lines in relief_rows(sheet):
            row = table.row()
            row.cell(safe(label))
            for found in lines:
                row.cell(safe(minus(found.per_month)) if found else "-")
        row = table.row(style=total)
        row.cell(safe(_("Net per month")))
        for period in periods:
            row.cell(safe(euro(period.net)))

    # The years as columns.
    years = sheet.year_totals()
    if years:
        w.heading(_("Per year"))
        with w.table(len(years), min(26.0, (WIDTH - LABEL_WIDTH) / len(years))) as table:
            row = table.row()
            row.cell("")
            for year, _cost, _net in years:
                row.cell(safe(_("Year %(year)s") % {"year": year}))
            row = table.row()
            row.cell(safe(_("Wage costs")))
            for _year, cost, _net in years:
                row.cell(safe(euro(cost)))
            row = table.row(style=total)
            row.cell(safe(_("After the instruments")))
            for _year, _cost, net in years:
                row.cell(safe(euro(net)))

    if calculation.tell_employer:
        w.ln(3)
        pdf.set_fill_color(*WARNING)
        for advice in calculation.tell_employer:
            w.font(10, "B")
            w.text(5.5, f"{tell_text(advice)}: {advice.why_nl}", fill=True, padding=(1, 2))

    w.heading(_("Instruments that fit"))
    applying = calculation.applying
    for advice in applying:
        w.labelled(8.5, 4.2, f"- {advice.label_nl}", advice.why_nl)
    if not applying:
        w.font(8.5)
        w.text(4.2, _("None of the instruments applies with what is known."))

    w.heading(_("How it is calculated"))
    for label, explanation in explanations(sheet):
        w.labelled(7.5, 3.6, label, explanation)
    w.font(7.5)
    for note in sheet.notes_nl:
        w.text(3.6, f"- {note}")

    w.ln(2.5)
    pdf.set_draw_color(*GREY)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + WIDTH, pdf.get_y())
    w.ln(1.5)
    w.font(7)
    pdf.set_text_color(*GREY)
    rule_set = calculation.rule_set
    w.text(
        3.3,
        _("Rules: %(name)s, valid from %(date)s. Source: %(source)s")
        % {
            "name": rule_set.name,
            "date": rule_set.valid_from.strftime("%d-%m-%Y"),
            "source": rule_set.source,
        },
    )
    pdf.set_text_color(0, 0, 0)
    w.ln(1)
    w.font(8.5, "B")
    w.text(4.5, _("Werkbrug advises; the municipality decides."))
    return pdf
