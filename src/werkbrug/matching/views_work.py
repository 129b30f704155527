"""Staff pages of matching: the work that fits one candidate (open work, and employers without
open work who are worth asking), and the fairness report with its XLSX download.

Views translate HTTP to selector calls; the rules live in ``matching.selectors`` (who may see
what, how suggestions are scored and explained) and ``matching.fairness`` (the arithmetic).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from werkbrug.candidates import links, profile
from werkbrug.candidates.models import Candidate, Sex
from werkbrug.candidates.selectors import with_access_flag
from werkbrug.core import access
from werkbrug.core.views_base import access_rule
from werkbrug.employers.io_services import CONTENT_TYPES
from werkbrug.matching import engine, facts, fairness, selectors

PURPOSE_WORK = "work for candidate"
MODE_PARAM = "modus"
WORK_K = 10
DEFAULT_PERIOD_DAYS = 90

#: The profile items that feed matching: shown (with a link to fill them in) when missing.
MATCHING_ITEMS = (
    "skills",
    "work_experience",
    "wishes",
    "address",
    "coordinates",
    "travel",
    "wished_hours",
)

MODES = (
    (engine.Mode.BREED, gettext_lazy("Broad: everyone, missing must-haves marked")),
    (engine.Mode.STRIKT, gettext_lazy("Strict: only work whose must-haves are met")),
)


def _actor(request: HttpRequest) -> access.Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


# --- Work for a candidate -------------------------------------------------------------------


def _candidate(actor: access.Actor, uuid: Any) -> Candidate:
    """The candidate with the relations the hints read; 404 outside scope; the read is logged.
    ``full_access`` says whether the actor sees the whole record or the anonymous profile."""
    queryset = with_access_flag(
        Candidate.objects.select_related("municipality").prefetch_related(
            "skills", "wished_skills", "wished_occupations", "experience"
        ),
        actor,
    )
    return access.get_for_view(queryset, actor, uuid, purpose=PURPOSE_WORK)


def _missing(actor: access.Actor, candidate: Candidate) -> list[dict[str, Any]]:
    """What is missing from the profile that matching uses, with where to fill it in; only
    for someone who may change the record."""
    if not (candidate.full_access and access.can(actor, "candidates.edit")):  # type: ignore[attr-defined]
        return []
    filled = profile.filled_items(candidate)
    return links.missing_items(candidate, tuple(c for c in MATCHING_ITEMS if not filled[c]))


def _eligible(candidate: Candidate) -> bool:
    """Work is only suggested to people looking for work who can be deployed now."""
    return Candidate.objects.filter(pk=candidate.pk).filter(facts.eligible_q()).exists()


@access_rule("matching.suggest")
@require_GET
def work(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Open work that fits the candidate, and employers to ask for work."""
    actor = _actor(request)
    candidate = _candidate(actor, uuid)
    mode = selectors.parse_mode(request.GET.get(MODE_PARAM))
    found, asks = selectors.work_for_candidate(actor, candidate, k=WORK_K, mode=mode)
    return render(
        request,
        "matching/work.html",
        {
            "candidate": candidate,
            "full": candidate.full_access,  # type: ignore[attr-defined]
            "work": found,
            "asks": asks,
            "mode": mode.value,
            "modes": [(m.value, label) for m, label in MODES],
            "mode_param": MODE_PARAM,
            "missing": _missing(actor, candidate),
            "eligible": _eligible(candidate),
        },
    )


# --- The fairness report --------------------------------------------------------------------


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    van = forms.DateField(
        label=gettext_lazy("From"),
        widget=_date_widget(),
        error_messages={
            "required": gettext_lazy("Fill in the start date of the period."),
            "invalid": gettext_lazy(
                "Not a valid date: write the start date as dd-mm-yyyy, for example 01-03-2026."
            ),
        },
    )
    tot = forms.DateField(
        label=gettext_lazy("Until"),
        widget=_date_widget(),
        error_messages={
            "required": gettext_lazy("Fill in the end date of the period."),
            "invalid": gettext_lazy(
                "Not a valid date: write the end date as dd-mm-yyyy, for example 31-05-2026."
            ),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("'Until' cannot be before 'From'."))
        return data


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 90 days, today included."""
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def _period_form(request: HttpRequest) -> PeriodForm:
    if "van" in request.GET or "tot" in request.GET:
        return PeriodForm(request.GET)
    start, end = default_period(timezone.localdate())
    return PeriodForm({"van": start.isoformat(), "tot": end.isoformat()})


@dataclass(frozen=True)
class CellView:
    """One cell as shown: a small count is "< 5", a cell hidden so that a small one cannot be
    worked out is "–"; neither shows a share or a ratio."""

    count: int
    small: bool  # hidden (the template shows count_text instead of the count)
    percent: int | None
    ratio: float | None
    flagged: bool
    below_minimum: bool = False

    @classmethod
    def of(cls, cell: fairness.Cell) -> CellView:
        hide = cell.hidden
        return cls(
            count=cell.count,
            small=hide,
            percent=None if hide or cell.share is None else round(cell.share * 100),
            ratio=None if hide else cell.ratio,
            flagged=cell.flagged,
            below_minimum=cell.small,
        )

    @property
    def count_text(self) -> str:
        if not self.small:
            return str(self.count)
        return f"< {fairness.MIN_CELL}" if self.below_minimum else "–"


def group_label(dimension: str, group: str) -> str:
    if group == fairness.UNKNOWN:
        return _("Unknown")
    if dimension == "sex":
        return str(Sex(group).label) if group in Sex.values else group
    return group


def _table(dimension: str, rows: list[fairness.Row], steps: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "group": group_label(dimension, row.group),
            "pool": CellView.of(row.pool),
            "steps": [CellView.of(row.steps[kind]) for kind in steps],
            "flagged": any(row.steps[kind].flagged for kind in steps),
        }
        for row in rows
    ]


def _report_context(actor: access.Actor, start: dt.date, end: dt.date) -> dict[str, Any]:
    report = selectors.fairness_report(actor, start, end)
    kinds = [kind for kind, _label in report.steps]
    tables = [
        {"key": "age", "title": _("By age"), "rows": _table("age", report.by_age, kinds)},
        {"key": "sex", "title": _("By sex"), "rows": _table("sex", report.by_sex, kinds)},
    ]
    return {
        "report": report,
        "steps": [
            {"kind": kind, "label": label, "size": report.step_sizes.get(kind, 0)}
            for kind, label in report.steps
        ],
        "tables": tables,
        "flagged": any(row["flagged"] for table in tables for row in table["rows"]),
    }


@access_rule("matching.fairness")
@require_GET
def fairness_page(request: HttpRequest) -> HttpResponse:
    """Who is reached at each step of matching, by age band and sex, against the pool."""
    actor = _actor(request)
    form = _period_form(request)
    context: dict[str, Any] = {
        "form": form,
        "min_cell": fairness.MIN_CELL,
        "min_step": fairness.MIN_STEP,
        "flag_below": fairness.FLAG_BELOW,
    }
    if form.is_valid():
        context.update(_report_context(actor, form.cleaned_data["van"], form.cleaned_data["tot"]))
    return render(request, "matching/fairness.html", context)


def fairness_workbook(context: dict[str, Any]) -> bytes:
    """The report's tables as an XLSX file: an overview sheet and one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    report = context["report"]
    steps = context["steps"]
    bold = Font(bold=True)
    flag_fill = PatternFill("solid", fgColor="FFE699")
    book = Workbook()
    overview = book.active
    overview.title = _sheet_title(_("Overview"))

    def text(sheet: Any, row: int, column: int, value: Any, *, font: Any = None) -> Any:
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        if font is not None:
            cell.font = font
        return cell

    lines: list[tuple[str, Any]] = [
        (_("Fairness report"), ""),
        (_("From"), report.start),
        (_("Until"), report.end),
        (_("People in the pool"), report.pool_size),
        *((step["label"], step["size"]) for step in steps),
    ]
    for number, (label, value) in enumerate(lines, start=1):
        text(overview, number, 1, label, font=bold)
        cell = text(overview, number, 2, value)
        if isinstance(value, dt.date):
            cell.number_format = "DD-MM-YYYY"
    notes = [
        _("Counted from the stored events of the period: each person once per step."),
        _(
            "Pool: the region's candidates looking for work at the end of the period, plus "
            "everyone reached in it."
        ),
        _(
            "Share: of everyone reached at that step. Ratio: that share divided by the group's "
            "share of the pool."
        ),
        _(
            "A ratio below %(flag)s is marked for a person to look into (the four-fifths rule of "
            "thumb). It is a signal, not a verdict, and nothing is decided automatically."
        )
        % {"flag": fairness.FLAG_BELOW},
        _("Fewer than %(n)s people are shown as '< %(n)s', without share or ratio.")
        % {"n": fairness.MIN_CELL},
    ]
    start = len(lines) + 2
    for offset, note in enumerate(notes):
        text(overview, start + offset, 1, note)
    overview.column_dimensions["A"].width = 40
    overview.column_dimensions["B"].width = 14

    for table in context["tables"]:
        sheet = book.create_sheet(_sheet_title(table["title"]))
        headings = [_("Group"), _("Pool: number"), _("Pool: share (%)")]
        for step in steps:
            headings += [
                _("%(step)s: number of people") % {"step": step["label"]},
                _("%(step)s: share (%%)") % {"step": step["label"]},
                _("%(step)s: ratio") % {"step": step["label"]},
            ]
        for column, heading in enumerate(headings, start=1):
            text(sheet, 1, column, heading, font=bold)
            sheet.column_dimensions[get_column_letter(column)].width = max(12, len(heading) + 2)
        for number, row in enumerate(table["rows"], start=2):
            values: list[tuple[Any, bool]] = [
                (row["group"], False),
                (_number(row["pool"].count_text), False),
                (row["pool"].percent, False),
            ]
            for cell in row["steps"]:
                values += [
                    (_number(cell.count_text), False),
                    (cell.percent, False),
                    (_ratio(cell), cell.flagged),
                ]
            for column, (value, flagged) in enumerate(values, start=1):
                written = text(sheet, number, column, value)
                if flagged:
                    written.fill = flag_fill
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: Any) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "", str(title))[:31] or "Sheet"


def _number(value: Any) -> Any:
    """Counts as numbers where they are numbers ("< 5" stays text)."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _ratio(cell: CellView) -> float | None:
    return None if cell.ratio is None else round(cell.ratio, 2)


@access_rule("matching.fairness")
@require_GET
def fairness_xlsx(request: HttpRequest) -> HttpResponse:
    """The same tables as a spreadsheet."""
    actor = _actor(request)
    form = _period_form(request)
    if not form.is_valid():
        return render(
            request,
            "matching/fairness.html",
            {"form": form, "min_cell": fairness.MIN_CELL, "flag_below": fairness.FLAG_BELOW},
            status=400,
        )
    start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
    content = fairness_workbook(_report_context(actor, start, end))
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="eerlijkheid-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response


urlpatterns = [
    path("kandidaten/<uuid:uuid>/werk/", work, name="work"),
    path("matching/eerlijkheid/", fairness_page, name="fairness"),
    path("matching/eerlijkheid/xlsx/", fairness_xlsx, name="fairness_xlsx"),
]
