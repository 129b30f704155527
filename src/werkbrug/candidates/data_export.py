"""Download my data (AVG inzage, art. 15): everything Werkbrug holds about one candidate.

``collect`` builds one dict, read through the access layer with the acting user (the
candidate themselves), so it can never show more than they may see. ``as_json`` writes that
dict (UTF-8, indented, dates ISO 8601); ``as_pdf`` renders the same content with fpdf2's
built-in Helvetica. Helvetica covers latin-1 only: ``pdf_safe`` keeps Dutch letters (ë, é,
ï, ...) and turns anything else into a close latin-1 letter or '?', so a name in Arabic
script or an emoji in free text never breaks the download.

The structure::

    {"title": ..., "generated_at": datetime, "candidate": "Name",
     "sections": {key: {"title": str, "items": [{label: value, ...}, ...]}}}

Each item maps readable labels to values (str, int, bool, date, datetime or None).

Apps that hold more about a candidate (meetings, placements) add their sections with
``register_section`` when they load, so this module needs no knowledge of them; the sections
follow the built-in ones, in the order of registration.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    CandidateContact,
    CandidateLanguage,
    Consent,
    Handover,
    HealthProfile,
    LadderStepChange,
    Return,
    ServiceEpisode,
    Signal,
    TargetGroupMembership,
    WorkExperience,
)
from werkbrug.core import access
from werkbrug.core.bsn import reveal_bsn

#: Section keys in the order they appear (tests check that every one is present).
SECTION_KEYS = (
    "details",
    "skills",
    "wishes",
    "languages",
    "experience",
    "target_groups",
    "health",
    "consents",
    "handovers",
    "contacts",
    "appointments",
    "service_periods",
    "returns",
    "signals",
    "ladder_history",
    "shortlists",
    "suggestions",
)


#: What a section's rows come from: the candidate (read as the actor) and the actor.
SectionItems = Callable[[Candidate, access.Actor], list[dict[str, Any]]]


@dataclass(frozen=True)
class ExtraSection:
    """A section another app adds: ``items(candidate, actor)`` returns its rows; the
    candidate was read through the access layer with ``actor``."""

    key: str
    title: str  # a lazy translation
    items: SectionItems


_EXTRA_SECTIONS: dict[str, ExtraSection] = {}


def register_section(
    key: str,
    title: str,
    items: SectionItems,
) -> None:
    if key in SECTION_KEYS:
        raise ValueError(f"{key!r} is a built-in section of the data export")
    _EXTRA_SECTIONS[key] = ExtraSection(key, title, items)


def section_keys() -> tuple[str, ...]:
    """Every section's key, in the order of the export: the built-in ones, then the apps'."""
    return SECTION_KEYS + tuple(_EXTRA_SECTIONS)


#: Candidate fields left out of "details": technical or shown elsewhere.
_SKIP_FIELDS = frozenset(
    {"id", "uuid", "version", "bsn_pseudonym", "bsn_encrypted", "user", "region"}
)


def _label(model: type[models.Model], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _value(instance: models.Model, field: models.Field) -> Any:
    """A field's value as a person reads it: choice labels, names of related records."""
    if field.choices:
        raw = getattr(instance, field.attname)
        if raw in (None, ""):
            return None
        return str(getattr(instance, f"get_{field.name}_display")())
    if field.is_relation:
        related = getattr(instance, field.name)
        return str(related) if related is not None else None
    value = getattr(instance, field.attname)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def fields(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    model = type(instance)
    return {_label(model, n): _value(instance, model._meta.get_field(n)) for n in names}


def _section(title: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"title": title, "items": items}


def staff_name(staff: Any) -> str | None:
    return str(staff) if staff is not None else None


def _user(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def collect(candidate: Candidate, *, actor: access.Actor) -> dict[str, Any]:
    """Everything about ``candidate`` that ``actor`` may see, as one dict (see module doc)."""
    record = (
        access.scoped(Candidate, actor)
        .select_related("municipality", "client_manager__user", "consultant__user")
        .get(pk=candidate.pk)
    )

    def scoped(model: type[models.Model]) -> models.QuerySet:
        return access.scoped(model, actor).filter(candidate=record)

    details: dict[str, Any] = {_("Name"): record.full_name}
    details[_("Citizen service number (BSN)")] = reveal_bsn(record.bsn_encrypted)
    for field in record._meta.concrete_fields:
        if field.name in _SKIP_FIELDS:
            continue
        details[_label(Candidate, field.name)] = _value(record, field)
    details[_label(Candidate, "wished_work_kinds")] = ", ".join(record.wished_work_kind_labels())

    skills = [
        {_("Task or skill"): s.label, _("Kind"): s.get_kind_display()}
        for s in record.skills.order_by("label")
    ]
    wishes = [
        {_("Kind of wish"): _("Kind of work"), _("What"): label}
        for label in record.wished_work_kind_labels()
    ]
    wishes += [
        {_("Kind of wish"): _("Occupation"), _("What"): o.label}
        for o in record.wished_occupations.order_by("label")
    ]
    wishes += [
        {_("Kind of wish"): _("Task"), _("What"): s.label}
        for s in record.wished_skills.order_by("label")
    ]
    languages = [
        fields(row, ("language", "level")) for row in scoped(CandidateLanguage).order_by("id")
    ]
    experience = [
        fields(
            row,
            ("role", "employer_name", "occupation", "from_year", "to_year", "paid", "description"),
        )
        for row in scoped(WorkExperience).select_related("occupation")
    ]
    target_groups = [
        fields(row, ("group", "status", "decided_by", "valid_from", "valid_to", "next_check_on"))
        for row in scoped(TargetGroupMembership)
    ]
    health = [
        fields(
            row,
            (
                "self_rated_health",
                "has_limitation",
                "nature",
                "structural",
                "limitations",
                "adjustments_needed",
            ),
        )
        for row in scoped(HealthProfile)
    ]
    consents = []
    for row in scoped(Consent).select_related("employer", "granted_by", "withdrawn_by"):
        item = fields(row, ("scope", "employer", "granted_at"))
        item[_("Given by")] = _user(row.granted_by)
        item[_label(Consent, "granted_via")] = _value(row, Consent._meta.get_field("granted_via"))
        item[_("In force")] = row.in_force
        item[_label(Consent, "withdrawn_at")] = _value(row, Consent._meta.get_field("withdrawn_at"))
        item[_("Withdrawn by")] = _user(row.withdrawn_by)
        item[_label(Consent, "withdrawn_via")] = _value(
            row, Consent._meta.get_field("withdrawn_via")
        )
        consents.append(item)
    handovers = []
    for row in scoped(Handover).select_related("from_staff__user", "to_staff__user"):
        item = {_("From"): staff_name(row.from_staff)}
        item.update(fields(row, ("to_staff", "on", "completeness", "warm", "note")))
        handovers.append(item)
    contacts = [
        fields(row, ("at", "channel", "staff", "summary", "agreements"))
        for row in scoped(CandidateContact).select_related("staff__user")
    ]
    appointments = [
        fields(row, ("starts_at", "minutes", "subject", "location", "staff", "cancelled"))
        for row in scoped(Appointment).select_related("staff__user").order_by("starts_at")
    ]
    episodes = [
        fields(row, ("start", "end", "phase", "max_term_months")) for row in scoped(ServiceEpisode)
    ]
    returns = []
    for row in scoped(Return).select_related(
        "municipality", "sent_by__user", "receiver__user", "acknowledged_by__user"
    ):
        item = fields(
            row,
            (
                "on",
                "municipality",
                "reason",
                "explanation",
                "instruments_tried",
                "recommended_next_step",
                "service_months",
            ),
        )
        item[_("Sent by")] = staff_name(row.sent_by)
        item.update(fields(row, ("receiver", "acknowledged_at")))
        returns.append(item)
    signals = []
    for row in scoped(Signal).select_related("reported_by__user", "decided_by__user"):
        item = fields(row, ("kind", "occurred_on", "description"))
        item[_("Reported by")] = staff_name(row.reported_by)
        item.update(fields(row, ("decision", "decided_on", "decision_note")))
        item[_("Decided by")] = staff_name(row.decided_by)
        signals.append(item)
    ladder = []
    for row in scoped(LadderStepChange).select_related("recorded_by__user"):
        item = fields(row, ("step", "assessed_on", "note"))
        item[_("Recorded by")] = staff_name(row.recorded_by)
        ladder.append(item)
    # Matching: where Werkbrug put the person forward, and how often they were suggested.
    from werkbrug.matching.models import MatchEvent, ShortlistEntry

    shortlists = []
    for row in ShortlistEntry.objects.filter(candidate=record).select_related(
        "opportunity__employer", "added_by__user"
    ):
        item = {
            _("Work"): row.opportunity.title,
            _("Employer"): row.opportunity.employer.name,
            _("Added by"): staff_name(row.added_by),
        }
        item.update(
            fields(
                row,
                (
                    "status",
                    "score",
                    "explanation",
                    "proposed_at",
                    "employer_interest",
                    "employer_note",
                    "introduction_at",
                    "introduction_place",
                    "outcome",
                    "outcome_note",
                    "withdrawn_reason",
                ),
            )
        )
        profile = row.profile or {}
        if profile:
            item[_("What the employer saw (without your name)")] = "; ".join(
                part
                for part in (
                    ", ".join(profile.get("tasks", [])),
                    ", ".join(e.get("role", "") for e in profile.get("experience", [])),
                    profile.get("hours", ""),
                    _("within %(km)s km") % {"km": profile["distance_km"]}
                    if profile.get("distance_km")
                    else "",
                )
                if part
            )
        shortlists.append(item)
    suggested = [
        {_("Work"): title, _("Employer"): employer, _("Date"): on}
        for title, employer, on in MatchEvent.objects.filter(candidate=record, kind="gesuggereerd")
        .order_by("on")
        .values_list("opportunity__title", "opportunity__employer__name", "on")
    ]

    sections = {
        "details": _section(_("Your details"), [details]),
        "skills": _section(_("Your tasks and skills"), skills),
        "wishes": _section(_("The work you want"), wishes),
        "languages": _section(_("Languages"), languages),
        "experience": _section(_("Work experience"), experience),
        "target_groups": _section(_("Target groups and registers"), target_groups),
        "health": _section(_("Health and limitations"), health),
        "consents": _section(_("Your consents, with their history"), consents),
        "handovers": _section(_("Handovers between staff"), handovers),
        "contacts": _section(_("Conversations and contacts"), contacts),
        "appointments": _section(_("Appointments"), appointments),
        "service_periods": _section(_("Periods in service"), episodes),
        "returns": _section(_("Reports back to the municipality"), returns),
        "signals": _section(_("Reports to the benefits department"), signals),
        "ladder_history": _section(_("Participation ladder history"), ladder),
        "shortlists": _section(_("Work you were put forward for"), shortlists),
        "suggestions": _section(_("Work for which Werkbrug suggested you"), suggested),
    }
    for extra in _EXTRA_SECTIONS.values():
        sections[extra.key] = _section(str(extra.title), extra.items(record, actor))
    return {
        "title": _("Everything Werkbrug holds about you"),
        "generated_at": timezone.localtime(),
        "candidate": record.full_name,
        "sections": sections,
    }


# --- JSON ----------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)  # Decimal, UUID, lazy translations


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default).encode("utf-8")


# --- PDF -----------------------------------------------------------------------------------

#: Characters outside latin-1 that have an obvious latin-1 stand-in.
_REPLACEMENTS = {
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "−": "-",  # the minus sign
    "…": "...",
    "€": "EUR",
    "•": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}


def pdf_safe(text: str) -> str:
    """Text Helvetica (latin-1) can show: latin-1 kept, accents on other Latin letters dropped
    (ł → l is not in NFKD, so it becomes '?'), anything else '?'. Control characters other
    than newline become spaces."""
    out: list[str] = []
    for char in text:
        if char == "\n" or (" " <= char <= "~") or ("\u00a0" < char <= "\u00ff"):
            out.append(char)
            continue
        if char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
            continue
        if unicodedata.category(char).startswith("C") or char in "\t\r":
            out.append(" ")
            continue
        base = unicodedata.normalize("NFKD", char)
        kept = "".join(c for c in base if c <= "\u00ff" and not unicodedata.combining(c))
        out.append(kept if kept and all(c >= " " for c in kept) else "?")
    return "".join(out)


def display(value: Any) -> str:
    """A value as the PDF shows it: dates dd-mm-jjjj, yes/no, empty as a dash."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d-%m-%Y %H:%M")
        )
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value)
    return str(value)


def as_pdf(data: dict[str, Any]) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class _Document(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(
                0,
                6,
                pdf_safe(
                    _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
                ),
                align="C",
            )

    pdf = _Document(format="A4")
    pdf.set_title(pdf_safe(f"{data['title']} - {data['candidate']}"))
    pdf.set_author("Werkbrug")
    pdf.set_creator("Werkbrug")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(15, 15, 15)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.multi_cell(0, 9, pdf_safe(data["title"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 7, pdf_safe(data["candidate"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(
        0,
        5,
        pdf_safe(
            _("Made on %(date)s. This is your own data: keep it in a safe place.")
            % {"date": display(data["generated_at"])}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    heading_style = FontFace(emphasis="BOLD", fill_color=(229, 238, 247))

    for section in data["sections"].values():
        pdf.ln(4)
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.set_text_color(21, 66, 115)
        pdf.multi_cell(0, 8, pdf_safe(section["title"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("Helvetica", size=9)
        items = section["items"]
        if not items:
            pdf.set_text_color(90, 90, 90)
            pdf.multi_cell(0, 5, pdf_safe(_("Nothing recorded.")), new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
            continue
        columns = list(items[0])
        if len(items) > 1 and len(columns) <= 4:
            # A short list: one table, a row per item.
            with pdf.table(
                headings_style=heading_style, line_height=5, padding=1.2, text_align="LEFT"
            ) as table:
                header = table.row()
                for column in columns:
                    header.cell(pdf_safe(column))
                for item in items:
                    row = table.row()
                    for column in columns:
                        row.cell(pdf_safe(display(item.get(column))))
        else:
            # One two-column table (label, value) per item.
            for index, item in enumerate(items):
                if index:
                    pdf.ln(2)
                with pdf.table(
                    col_widths=(35, 65),
                    first_row_as_headings=False,
                    line_height=5,
                    padding=1.2,
                    text_align="LEFT",
                ) as table:
                    for label, value in item.items():
                        row = table.row()
                        row.cell(pdf_safe(label), style=FontFace(emphasis="BOLD"))
                        row.cell(pdf_safe(display(value)))
    return bytes(pdf.output())
