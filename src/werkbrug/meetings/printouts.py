"""Printouts for the day of a prettig gesprek: a table card per employer and a personal
schedule per candidate, as PDF (fpdf2) and as print-friendly HTML built from the same data.

``table_cards`` and ``schedule`` read through the access layer with the acting staff member
and return plain data (dataclasses); ``table_cards_pdf`` and ``schedule_pdf`` only lay that
data out. What a table card shows about a candidate is deliberately little, because it lies
on the employer's table:

* candidates the actor may not see at all: not named, only counted ("1 more candidate");
* candidates the actor sees only as an anonymous regional-pool profile: "Candidate", their
  tasks and the hours they want;
* candidates the actor sees in full: their first name, tasks and hours, and, only when the
  candidate's consent to share with *this* employer is in force, a short line from what
  they are good at (``talents``).

No surname, contact details, benefit or case information is ever printed. Helvetica covers
latin-1 only, so every text goes through ``data_export.pdf_safe``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkbrug.candidates.data_export import pdf_safe
from werkbrug.candidates.models import Candidate, Consent, ConsentScope
from werkbrug.candidates.selectors import with_access_flag
from werkbrug.core import access
from werkbrug.employers.models import Employer
from werkbrug.meetings.models import Conversation, Invitation, Meeting, Response

MAX_TASKS = 6
TALENTS_LENGTH = 140


# --- Plain data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """One candidate at a table, as the card may show them."""

    name: str
    tasks: tuple[str, ...] = ()
    hours: str = ""
    talents: str = ""  # only with consent to share with this employer


@dataclass(frozen=True)
class TableRound:
    number: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    seats: tuple[Seat, ...] = ()
    hidden: int = 0  # candidates at the table the actor may not see (counted, not named)


@dataclass(frozen=True)
class TableCard:
    table: int
    employer: str
    place: str
    rounds: tuple[TableRound, ...]


@dataclass(frozen=True)
class MeetingHeading:
    title: str
    location: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class TableCards:
    meeting: MeetingHeading
    cards: tuple[TableCard, ...]
    generated_at: dt.datetime = field(default_factory=timezone.localtime)


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    employer: str = ""  # empty: no conversation this round
    place: str = ""
    table: int | None = None


@dataclass(frozen=True)
class Schedule:
    meeting: MeetingHeading
    candidate: str
    rows: tuple[ScheduleRow, ...]
    generated_at: dt.datetime = field(default_factory=timezone.localtime)


# --- Reading (through the access layer) -------------------------------------------------------


def round_times(meeting: Meeting, number: int) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of round ``number`` (1-based), in local time."""
    start, end = meeting.round_times(number)
    return timezone.localtime(start), timezone.localtime(end)


def _heading(meeting: Meeting) -> MeetingHeading:
    return MeetingHeading(
        title=meeting.title,
        location=meeting.location,
        starts_at=timezone.localtime(meeting.starts_at),
        ends_at=timezone.localtime(meeting.ends_at),
    )


def tables(meeting: Meeting) -> list[Employer]:
    """The employers' tables, numbered as listed (1, 2, ...): employers who were invited and
    did not decline, and any employer with a seat in the plan, by name."""
    invited = meeting.invitations.filter(employer__isnull=False).exclude(response=Response.NO)
    planned = meeting.conversations.values("employer_id")
    return list(
        Employer.objects.filter(Q(pk__in=invited.values("employer_id")) | Q(pk__in=planned))
        .select_related("municipality")
        .order_by("name", "id")
    )


def _place(employer: Employer) -> str:
    if employer.city:
        return employer.city
    return employer.municipality.name if employer.municipality_id else ""


def hours_wished(candidate: Candidate) -> str:
    low, high = candidate.wished_hours_min, candidate.wished_hours_max
    if low and high and low != high:
        return _("%(low)s-%(high)s hours a week") % {"low": low, "high": high}
    if low or high:
        return _("%(hours)s hours a week") % {"hours": low or high}
    if candidate.hours_available:
        return _("%(hours)s hours a week") % {"hours": candidate.hours_available}
    return ""


def short_talents(text: str, limit: int = TALENTS_LENGTH) -> str:
    """The first sentence of what someone is good at, cut at a word within ``limit``."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    for end in (". ", "! ", "? "):
        cut = text.find(end)
        if 0 < cut < limit:
            return text[: cut + 1]
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + "..."


def table_cards(actor: access.Actor, meeting: Meeting) -> TableCards:
    """One card per table: per round who sits there, as far as the actor may show them."""
    employers = tables(meeting)
    visible = list(
        access.scoped(Conversation, actor)
        .filter(meeting=meeting)
        .values_list("round", "employer_id", "candidate_id")
    )
    totals = Counter(meeting.conversations.values_list("round", "employer_id"))
    candidate_ids = {c for _r, _e, c in visible}
    candidates = {
        c.pk: c
        for c in with_access_flag(
            access.scoped(Candidate, actor).filter(pk__in=candidate_ids), actor
        ).prefetch_related("skills")
    }
    shared = set(
        access.scoped(Consent, actor)
        .filter(
            candidate_id__in=candidate_ids,
            scope=ConsentScope.SHARE_WITH_EMPLOYER,
            withdrawn_at__isnull=True,
        )
        .values_list("candidate_id", "employer_id")
    )
    seated: dict[tuple[int, int], list[Seat]] = {}
    for round_, employer_id, candidate_id in visible:
        candidate = candidates.get(candidate_id)
        if candidate is None:
            continue  # counted as hidden below
        seat = _seat(
            candidate, full=candidate.full_access, shared=(candidate_id, employer_id) in shared
        )
        seated.setdefault((round_, employer_id), []).append(seat)
    # An employer checked in as absent keeps their number (printed schedules stay right),
    # but gets no card once their table is empty.
    absent = set(
        meeting.invitations.filter(employer__isnull=False, present=False).values_list(
            "employer_id", flat=True
        )
    )
    seated_employers = {e for _r, e in totals}
    cards = []
    for number, employer in enumerate(employers, start=1):
        if employer.pk in absent and employer.pk not in seated_employers:
            continue
        rounds = []
        for r in range(1, meeting.rounds + 1):
            seats = sorted(seated.get((r, employer.pk), []), key=lambda s: s.name.casefold())
            start, end = round_times(meeting, r)
            rounds.append(
                TableRound(
                    number=r,
                    starts_at=start,
                    ends_at=end,
                    seats=tuple(seats),
                    hidden=max(0, totals.get((r, employer.pk), 0) - len(seats)),
                )
            )
        cards.append(
            TableCard(
                table=number, employer=employer.name, place=_place(employer), rounds=tuple(rounds)
            )
        )
    return TableCards(meeting=_heading(meeting), cards=tuple(cards))


def _seat(candidate: Candidate, *, full: bool, shared: bool) -> Seat:
    tasks = tuple(sorted((s.label for s in candidate.skills.all()), key=str.casefold))[:MAX_TASKS]
    return Seat(
        name=candidate.first_name if full else _("Candidate"),
        tasks=tasks,
        hours=hours_wished(candidate),
        talents=short_talents(candidate.talents) if full and shared else "",
    )


def schedule(actor: access.Actor, meeting: Meeting, candidate: Candidate) -> Schedule:
    """The candidate's own rounds: when, at which employer's table. ``candidate`` must come
    from ``access.get_for_view`` (or another scoped read) so the actor may see them; a
    candidate who was not invited to the meeting has no schedule (``Invitation.DoesNotExist``)."""
    access.scoped(Invitation, actor).get(meeting=meeting, candidate=candidate)
    full = with_access_flag(Candidate.objects.filter(pk=candidate.pk), actor).first()
    numbers = {e.pk: n for n, e in enumerate(tables(meeting), start=1)}
    seats = {
        c.round: c.employer
        for c in access.scoped(Conversation, actor)
        .filter(meeting=meeting, candidate=candidate)
        .select_related("employer__municipality")
    }
    rows = []
    for r in range(1, meeting.rounds + 1):
        start, end = round_times(meeting, r)
        employer = seats.get(r)
        rows.append(
            ScheduleRow(
                number=r,
                starts_at=start,
                ends_at=end,
                employer=employer.name if employer else "",
                place=_place(employer) if employer else "",
                table=numbers.get(employer.pk) if employer else None,
            )
        )
    name = candidate.full_name if full is not None and full.full_access else _("Candidate")
    return Schedule(meeting=_heading(meeting), candidate=name, rows=tuple(rows))


# --- PDF --------------------------------------------------------------------------------------

BLUE = (21, 66, 115)
LIGHT_BLUE = (229, 238, 247)
GREY = (90, 90, 90)


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%d-%m-%Y %H:%M")


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def _document(title: str, footer_note: str) -> Any:
    from fpdf import FPDF

    class _Document(FPDF):
        #: Repeated at the top of a page a card runs on to (not on its first page).
        running_head = ""
        first_page = 0

        def header(self) -> None:
            if self.running_head and self.page_no() != self.first_page:
                self.set_font("Helvetica", style="B", size=9)
                self.set_text_color(*GREY)
                self.cell(0, 6, pdf_safe(self.running_head), new_x="LMARGIN", new_y="NEXT")
                self.ln(2)
                self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.set_text_color(*GREY)
            self.cell(
                0,
                6,
                pdf_safe(
                    f"{footer_note}  -  "
                    + _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
                ),
                align="C",
            )

    pdf = _Document(format="A4")
    pdf.set_title(pdf_safe(title))
    pdf.set_author("Werkbrug")
    pdf.set_creator("Werkbrug")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 15, 18)
    pdf.alias_nb_pages()
    return pdf


def _line(pdf: Any, height: float, text: str, **kwargs: Any) -> None:
    kwargs.setdefault("align", "L")
    pdf.multi_cell(0, height, pdf_safe(text), new_x="LMARGIN", new_y="NEXT", **kwargs)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _meeting_line(meeting: MeetingHeading) -> str:
    return f"{meeting.title}  -  {_when(meeting.starts_at)}-{_time(meeting.ends_at)}  -  " + (
        meeting.location
    )


def table_cards_pdf(data: TableCards) -> bytes:
    pdf = _document(
        _("Table cards: %(title)s") % {"title": data.meeting.title},
        _("Only for use at this meeting; please leave this card on the table."),
    )
    for card in data.cards:
        pdf.running_head = ""
        pdf.first_page = pdf.page_no() + 1
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.set_text_color(*BLUE)
        _line(pdf, 6, _("Table %(number)s") % {"number": card.table})
        pdf.set_font("Helvetica", style="B", size=24)
        pdf.set_text_color(0, 0, 0)
        _line(pdf, 11, card.employer)
        pdf.set_font("Helvetica", size=9)
        pdf.set_text_color(*GREY)
        if card.place:
            _line(pdf, 5, card.place)
        _line(pdf, 5, _meeting_line(data.meeting))
        pdf.ln(3)
        for table_round in card.rounds:
            pdf.running_head = _("Table %(number)s: %(employer)s - round %(round)s (continued)") % {
                "number": card.table,
                "employer": _short(card.employer),
                "round": table_round.number,
            }
            if pdf.will_page_break(24):
                pdf.add_page()
            pdf.set_fill_color(*LIGHT_BLUE)
            pdf.set_text_color(*BLUE)
            pdf.set_font("Helvetica", style="B", size=12)
            _line(
                pdf,
                8,
                _("Round %(number)s  %(start)s-%(end)s")
                % {
                    "number": table_round.number,
                    "start": _time(table_round.starts_at),
                    "end": _time(table_round.ends_at),
                },
                fill=True,
                padding=(0, 2),
            )
            pdf.set_text_color(0, 0, 0)
            pdf.ln(1)
            if not table_round.seats and not table_round.hidden:
                pdf.set_font("Helvetica", style="I", size=10)
                pdf.set_text_color(*GREY)
                _line(pdf, 6, _("No one at this table this round."))
                pdf.set_text_color(0, 0, 0)
            for seat in table_round.seats:
                if pdf.will_page_break(16):
                    pdf.add_page()
                pdf.set_font("Helvetica", style="B", size=13)
                _line(pdf, 7, seat.name)
                pdf.set_font("Helvetica", size=11)
                details = []
                if seat.tasks:
                    details.append(_("Tasks: %(tasks)s") % {"tasks": ", ".join(seat.tasks)})
                if seat.hours:
                    details.append(_("Wants to work: %(hours)s") % {"hours": seat.hours})
                for text in details:
                    _line(pdf, 5.5, text)
                if seat.talents:
                    pdf.set_font("Helvetica", style="I", size=11)
                    _line(pdf, 5.5, _("Good at: %(talents)s") % {"talents": seat.talents})
                pdf.ln(2)
            if table_round.hidden:
                pdf.set_font("Helvetica", style="I", size=10)
                pdf.set_text_color(*GREY)
                _line(pdf, 5, more_candidates(table_round.hidden))
                pdf.set_text_color(0, 0, 0)
            pdf.ln(2)
    if not data.cards:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        _line(pdf, 7, _("No employers have a table yet."))
    return bytes(pdf.output())


def more_candidates(count: int) -> str:
    return ngettext(
        "And %(count)s more candidate (not shown).",
        "And %(count)s more candidates (not shown).",
        count,
    ) % {"count": count}


def schedule_pdf(data: Schedule) -> bytes:
    from fpdf.fonts import FontFace

    pdf = _document(
        _("Your schedule: %(title)s") % {"title": data.meeting.title},
        _("Werkbrug - prettig gesprek"),
    )
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=11)
    pdf.set_text_color(*BLUE)
    _line(pdf, 6, _("Your schedule"))
    pdf.set_font("Helvetica", style="B", size=22)
    pdf.set_text_color(0, 0, 0)
    _line(pdf, 10, data.candidate)
    pdf.set_font("Helvetica", size=11)
    _line(pdf, 6, data.meeting.title)
    pdf.set_text_color(*GREY)
    pdf.set_font("Helvetica", size=10)
    _line(
        pdf,
        5,
        _("%(date)s, %(start)s-%(end)s at %(place)s")
        % {
            "date": data.meeting.starts_at.strftime("%d-%m-%Y"),
            "start": _time(data.meeting.starts_at),
            "end": _time(data.meeting.ends_at),
            "place": data.meeting.location,
        },
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(5)
    heading = FontFace(emphasis="BOLD", fill_color=LIGHT_BLUE)
    pdf.set_font("Helvetica", size=11)
    with pdf.table(
        col_widths=(14, 24, 46, 16),
        headings_style=heading,
        line_height=7,
        padding=1.5,
        text_align="LEFT",
        v_align="TOP",
    ) as table:
        header = table.row()
        for title in (_("Round"), _("Time"), _("Employer"), _("Table")):
            header.cell(pdf_safe(title))
        for row in data.rows:
            line = table.row()
            line.cell(str(row.number))
            line.cell(f"{_time(row.starts_at)}-{_time(row.ends_at)}")
            if row.employer:
                employer = row.employer + (f"\n{row.place}" if row.place else "")
                line.cell(pdf_safe(employer))
                line.cell(pdf_safe(_("Table %(number)s") % {"number": row.table}))
            else:
                line.cell(pdf_safe(_("Break: no conversation this round")))
                line.cell("-")
    pdf.ln(5)
    pdf.set_font("Helvetica", size=10)
    _line(
        pdf,
        5,
        _(
            "Each round you talk with an employer at their table. There are no wrong answers "
            "and you do not need a CV: tell them what you like doing and what you are good at."
        ),
    )
    return bytes(pdf.output())
