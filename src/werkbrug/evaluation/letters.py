"""Printed invitations: one A4 letter per person invited by letter, with their personal link
written out and as a QR code to scan with a phone (the Werktop candidates got a letter with
a URL). Names and addresses appear only here, for the team lead or administrator who sends
them (``evaluation.send``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import segno
from django.utils import timezone

from werkbrug.evaluation import services
from werkbrug.evaluation.models import Invitation, Survey
from werkbrug.rules.cost_sheet_pdf import BLUE, GREY, safe

WIDTH = 174


def _address(invitation: Invitation) -> list[str]:
    if invitation.candidate_id:
        c = invitation.candidate
        return [f"{c.first_name} {c.last_name}", c.street, f"{c.postcode}  {c.city}".strip()]
    if invitation.contact_person_id:
        person = invitation.contact_person
        employer = person.employer
        return [employer.name, f"t.a.v. {person.name}"]
    return []


def _qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def letters_pdf(survey: Survey, invitations: Sequence[Invitation], base_url: str) -> bytes:
    from fpdf import FPDF

    pdf: Any = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(safe(f"Uitnodigingen {survey.title}"))
    pdf.set_author("Werkbrug")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=False)
    today = timezone.localdate()
    for invitation in invitations:
        url = services.survey_url(invitation, base_url)
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_y(45)
        for line in _address(invitation):
            if line:
                pdf.cell(WIDTH, 5, safe(line), new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(85)
        pdf.set_text_color(*GREY)
        pdf.cell(WIDTH, 5, safe(f"Datum: {today:%d-%m-%Y}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(6)
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.set_text_color(*BLUE)
        pdf.multi_cell(WIDTH, 7, safe(survey.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("Helvetica", size=10)
        pdf.ln(2)
        name = _address(invitation)[0] if invitation.candidate_id else ""
        greeting = f"Beste {invitation.candidate.first_name}," if name else "Geachte heer, mevrouw,"
        body = [
            greeting,
            "",
            "Wij willen graag weten hoe het met u gaat en wat u vindt van de hulp bij het vinden "
            "van werk. Wilt u daarvoor een vragenlijst invullen?",
            "",
            "Uw antwoorden zijn anoniem: niemand kan zien wie welk antwoord gaf. Meedoen is "
            "vrijwillig en heeft geen gevolgen voor uw uitkering.",
            "",
            "Scan de code hieronder met de camera van uw telefoon, of typ het adres over in "
            f"uw browser. De link werkt tot en met {survey.closes_on:%d-%m-%Y}.",
        ]
        if survey.incentive:
            body += ["", f"Als dank: {survey.incentive}."]
        for line in body:
            pdf.multi_cell(WIDTH, 5, safe(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        y = pdf.get_y()
        pdf.image(io.BytesIO(_qr_png(url)), x=pdf.l_margin, y=y, w=40, alt_text="QR-code")
        pdf.set_xy(pdf.l_margin + 46, y + 8)
        pdf.set_font("Courier", size=8)
        pdf.multi_cell(WIDTH - 46, 4, safe(url), new_x="LMARGIN", new_y="NEXT")
        pdf.set_xy(pdf.l_margin, y + 46)
        pdf.set_font("Helvetica", size=10)
        for line in ["Hartelijk dank voor uw hulp.", "", "Met vriendelijke groet,", "Werkbrug"]:
            pdf.cell(WIDTH, 5, safe(line), new_x="LMARGIN", new_y="NEXT")
    if not invitations:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(WIDTH, 6, safe("Er zijn geen brieven te versturen."))
    return bytes(pdf.output())
