"""The placements in the portals.

* "Onze plaatsingen" (employer's contact person, ``portal.employer``): the people placed at
  their company, each with the job, the dates, the grants, who does the aftercare and when
  the next check-in is, and per paid job "Wat kost het mij?" as a one-page PDF calculated
  from the placement itself. A person is named by first name only, and only while they
  consent to share with that employer; otherwise "Your employee".
* "Mijn werk" (candidate, ``portal.candidate``): my placements, my jobcoach, my aftercare
  contact and, in plain words, what happens next.

Reads go through ``placements.portal_selectors`` (scoped by ``placements/scopes.py``). The
employer's reads of a placement are written to the access log, as the other employer pages
do; a candidate reading their own record is not (as in the rest of their portal).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from werkbrug.candidates.portal import own_candidate
from werkbrug.core import audit
from werkbrug.core.views_base import access_rule
from werkbrug.employers import selectors as employer_selectors
from werkbrug.placements import portal_selectors, services
from werkbrug.placements.models import AftercareCheck, Placement, PlacementStatus
from werkbrug.placements.selectors import OPEN
from werkbrug.rules import cost_sheet, cost_sheet_pdf
from werkbrug.rules.calculator import CalculationError, euro

EMPLOYER = "portal.employer"
CANDIDATE = "portal.candidate"
PAGE_SIZE = 20
LIST_PURPOSE = "Werkgeversportaal: onze plaatsingen"
COST_PURPOSE = "Werkgeversportaal: wat kost het mij"

STATUS_BADGE = {
    PlacementStatus.PLANNED: "badge-info",
    PlacementStatus.RUNNING: "badge-success",
    PlacementStatus.CONVERTED: "badge-neutral",
    PlacementStatus.ENDED: "badge-neutral",
}


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _check_text(check: AftercareCheck | None, *, today: dt.date) -> str:
    """When we next check how it goes, for the employer."""
    if check is None:
        return ""
    if check.due_on < today:
        return _("Soon: we will contact you.")
    return _day(check.due_on)


def _grant_row(grant: Any) -> dict[str, Any]:
    amount = ""
    if grant.amount is not None:
        amount = euro(grant.amount).replace("€ ", "€\u00a0")  # never "€" alone at a line end
        if grant.amount_per:
            amount = f"{amount} {grant.get_amount_per_display()}"
    return {
        "label": grant.get_kind_display(),
        "status": grant.get_status_display(),
        "amount": amount,
        "start": grant.start_on,
        "end": grant.end_on,
    }


def _employer_row(placement: Placement, name: str, *, today: dt.date) -> dict[str, Any]:
    return {
        "placement": placement,
        "name": name,
        "is_open": placement.status in OPEN,
        "badge": STATUS_BADGE.get(placement.status, "badge-neutral"),
        "grants": [_grant_row(g) for g in placement.shown_grants],  # type: ignore[attr-defined]
        "contacts": portal_selectors.aftercare_contacts(placement, today=today),
        "next_check": _check_text(portal_selectors.next_check(placement), today=today),
        "paid": portal_selectors.is_paid(placement),
    }


@access_rule(EMPLOYER)
def employer_placements(request: HttpRequest) -> HttpResponse:
    """Onze plaatsingen: the people at work with us through the municipality."""
    actor = request.actor  # type: ignore[attr-defined]
    companies = list(employer_selectors.portal_employers(actor=actor))
    if not companies:
        return render(request, "employers/portal/not_linked.html", {})
    page = Paginator(portal_selectors.employer_placements(actor=actor), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    placements = list(page.object_list)
    names = portal_selectors.first_names(actor=actor, placements=placements)
    today = timezone.localdate()
    audit.log_accesses(placements, purpose=LIST_PURPOSE)
    rows = [
        _employer_row(placement, names.get(placement.candidate_id, ""), today=today)
        for placement in placements
    ]
    return render(
        request,
        "placements/portal_employer.html",
        {
            "companies": companies,
            "page": page,
            "current": [row for row in rows if row["is_open"]],
            "earlier": [row for row in rows if not row["is_open"]],
            "several_companies": len({p.employer_id for p in placements}) > 1,
        },
    )


def _cost_sheet_name(placement: Placement) -> str:
    job = slugify(placement.job_title) or "plaatsing"
    return f"wat-kost-het-{job}-{placement.start_on.isoformat()}.pdf"


@access_rule(EMPLOYER)
def employer_cost_sheet(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Wat kost het mij? for one paid placement at my company: one A4 page with the monthly
    wage cost, the instruments and the net amount, with the rules of the start date."""
    actor = request.actor  # type: ignore[attr-defined]
    placement = portal_selectors.employer_placement(actor=actor, uuid=uuid, purpose=COST_PURPOSE)
    inputs = portal_selectors.cost_inputs(actor=actor, placement=placement)
    if inputs is None:
        messages.info(request, _("You pay no wage for this placement, so there is no cost sheet."))
        return redirect("placements:portal_employer")
    try:
        calculation = cost_sheet.calculate(
            region_id=placement.region_id,
            situation=inputs.situation,
            facts=inputs.facts,
            start_date=inputs.start_date,
        )
    except CalculationError:
        messages.error(
            request,
            _("We cannot calculate the costs of this job yet. Please ask your contact person."),
        )
        return redirect("placements:portal_employer")
    response = HttpResponse(
        cost_sheet_pdf.cost_sheet_pdf(calculation), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_cost_sheet_name(placement)}"'
    response["Cache-Control"] = "no-store"
    return response


# --- The candidate ---------------------------------------------------------------------------


def _next_step(placement: Placement, *, today: dt.date, alert_weeks: int) -> list[str]:
    """What happens next with this job, in plain words."""
    lines = []
    check = portal_selectors.next_check(placement)
    owner = str(placement.owner)
    if check is not None:
        if check.due_on < today:
            lines.append(
                _("%(name)s will contact you soon to hear how your work is going.")
                % {"name": owner}
            )
        elif check.kind == AftercareCheck.Kind.THREE_WAY:
            lines.append(
                _(
                    "On %(date)s %(name)s talks with you and your employer about how your "
                    "work is going."
                )
                % {"date": _day(check.due_on), "name": owner}
            )
        else:
            lines.append(
                _("On %(date)s %(name)s will ask you how your work is going.")
                % {"date": _day(check.due_on), "name": owner}
            )
    end = placement.planned_end_on
    if end is not None and today <= end <= today + dt.timedelta(weeks=alert_weeks):
        lines.append(
            _(
                "Your contract ends on %(date)s. Your consultant will talk with you and your "
                "employer about the next step."
            )
            % {"date": _day(end)}
        )
    return lines


@access_rule(CANDIDATE)
def candidate_placements(request: HttpRequest) -> HttpResponse:
    """Mijn werk: where I work, who helps me there and what happens next."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor)
    today = timezone.localdate()
    placements = list(portal_selectors.candidate_placements(actor=actor)[:PAGE_SIZE])
    current, earlier = [], []
    alert_weeks: dict[int, int] = {}  # region → weeks before a planned end (its aftercare plan)
    for placement in placements:
        if placement.status in OPEN:
            if placement.region_id not in alert_weeks:
                template = services.template_for(placement.region_id)
                alert_weeks[placement.region_id] = template.end_alert_weeks
            current.append(
                {
                    "placement": placement,
                    "next_steps": _next_step(
                        placement, today=today, alert_weeks=alert_weeks[placement.region_id]
                    ),
                    "contacts": portal_selectors.aftercare_contacts(placement, today=today),
                }
            )
        else:
            earlier.append({"placement": placement})
    return render(
        request,
        "placements/portal_candidate.html",
        {
            "candidate": candidate,
            "current": current,
            "earlier": earlier,
            "jobcoaches": portal_selectors.jobcoaches(actor=actor, on=today),
            "active": "work",
        },
    )


urlpatterns = [
    path("mijn-bedrijf/plaatsingen/", employer_placements, name="portal_employer"),
    path(
        "mijn-bedrijf/plaatsingen/<uuid:uuid>/wat-kost-het.pdf",
        employer_cost_sheet,
        name="portal_cost_sheet",
    ),
    path("mijn-werk/", candidate_placements, name="portal_candidate"),
]
