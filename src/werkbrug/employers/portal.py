"""The employer portal ("Mijn bedrijf"): what an employer's contact person sees and does.

One face with a named backup (R01), fast answers with a stated deadline (R02), plain language
and little to fill in (R03), the status of their work with its history (R05). The portal shows
the employer's own company only, and never candidates: employers do not browse the pool (R06).

Reads go through ``employers.selectors`` (scoped to the companies the user is a contact
person of), writes through ``employers.services``. The company is always taken from the
user's own companies, never from a field in the request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.employers import portal_forms, selectors, services
from werkbrug.employers.models import (
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityStatus,
    OpportunityStatusChange,
    WorkOpportunity,
)
from werkbrug.employers.norms import Norm, response_due
from werkbrug.matching import selectors as matching_selectors
from werkbrug.regions.models import Staff

PERMISSION = "portal.employer"
SESSION_KEY = "portal_employer"
CHOICE_PARAM = "bedrijf"

#: The pipeline in the employer's words.
PLAIN_STATUS = {
    OpportunityStatus.OPEN: gettext_lazy("We are looking for suitable people"),
    OpportunityStatus.PROPOSED: gettext_lazy("We have found candidates for you"),
    OpportunityStatus.INTRODUCTION: gettext_lazy("An introduction is planned"),
    OpportunityStatus.FILLED: gettext_lazy("Filled"),
    OpportunityStatus.LAPSED: gettext_lazy("Stopped without filling"),
}
STATUS_BADGE = {
    OpportunityStatus.OPEN: "badge-info",
    OpportunityStatus.PROPOSED: "badge-info",
    OpportunityStatus.INTRODUCTION: "badge-info",
    OpportunityStatus.FILLED: "badge-success",
    OpportunityStatus.LAPSED: "badge-neutral",
}
OPEN_STATUSES = (
    OpportunityStatus.OPEN,
    OpportunityStatus.PROPOSED,
    OpportunityStatus.INTRODUCTION,
)


# --- Which company -------------------------------------------------------------------------


@dataclass(frozen=True)
class Companies:
    all: list[Employer]
    current: Employer | None  # None: none linked, or a choice is needed


def companies(request: HttpRequest) -> Companies:
    """The user's companies and the one they are working with. A choice in the request must be
    one of their own companies (anything else is 404); it is remembered in the session."""
    actor = request.actor  # type: ignore[attr-defined]
    own = list(selectors.portal_employers(actor=actor))
    by_uuid = {str(e.uuid): e for e in own}
    asked = request.POST.get(CHOICE_PARAM) or request.GET.get(CHOICE_PARAM)
    if asked:
        if asked not in by_uuid:
            raise Http404
        request.session[SESSION_KEY] = asked
        return Companies(own, by_uuid[asked])
    if len(own) == 1:
        return Companies(own, own[0])
    return Companies(own, by_uuid.get(request.session.get(SESSION_KEY, "")))


def _no_company(request: HttpRequest, found: Companies, *, next_url: str) -> HttpResponse:
    """The page for a user without a company, or with several and none chosen yet."""
    if not found.all:
        return render(request, "employers/portal/not_linked.html", {})
    return render(
        request,
        "employers/portal/choose.html",
        {"companies": found.all, "next_url": next_url, "param": CHOICE_PARAM},
    )


def _me(actor: access.Actor, employer: Employer) -> ContactPerson | None:
    """The user's own contact-person record at this company."""
    return (
        selectors.contact_persons(actor=actor, employer=employer)
        .filter(user_id=actor.user_id)
        .first()
    )


# --- What the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class ContactCard:
    """Who the employer deals with: one face, a named backup, and who answers today."""

    owner: Staff
    phone: str
    email: str
    substitute: Staff | None
    handler: Staff
    owner_away: bool


def contact_card(actor: access.Actor, employer: Employer, *, today: dt.date) -> ContactCard:
    owner = employer.owner
    summary = selectors.summary(actor=actor, employer=employer, today=today)
    substitute = employer.substitute or owner.substitute
    return ContactCard(
        owner=owner,
        phone=owner.phone or owner.organisation.phone,
        email=owner.user.email or owner.organisation.email,
        substitute=substitute,
        handler=summary.handler,
        owner_away=owner.is_away_on(today),
    )


def _work(actor: access.Actor, employer: Employer) -> list[WorkOpportunity]:
    """The company's work, newest first, each with its status history (oldest first)."""
    history = access.scoped(OpportunityStatusChange, actor).order_by("at", "id")
    return list(
        selectors.opportunities(actor=actor)
        .filter(employer=employer)
        .prefetch_related(Prefetch("status_changes", queryset=history, to_attr="history"))
    )


def work_row(opportunity: WorkOpportunity, *, today: dt.date) -> dict[str, Any]:
    end = opportunity.closed_on or today
    return {
        "opportunity": opportunity,
        "plain_status": PLAIN_STATUS[opportunity.status],
        "badge": STATUS_BADGE[opportunity.status],
        "is_open": opportunity.status in OPEN_STATUSES,
        "days": (end - opportunity.opened_on).days,
        "time_to_fill": opportunity.time_to_fill_days,
    }


def _history_rows(changes: Any) -> list[dict[str, Any]]:
    return [
        {"at": c.at, "plain_status": PLAIN_STATUS[c.to_status], "note": c.note} for c in changes
    ]


def _due(question: EmployerQuestion, norm: Norm) -> dt.datetime:
    """When the answer is due under the region's response norm (R02)."""
    return response_due(timezone.localtime(question.received_at), norm=norm)


def _questions(actor: access.Actor, employer: Employer, *, limit: int = 10) -> list[dict[str, Any]]:
    queryset = (
        access.scoped(EmployerQuestion, actor)
        .filter(employer=employer)
        .select_related("assigned_to__user")
        .order_by("-received_at")[:limit]
    )
    topics = dict(portal_forms.TOPIC_CHOICES)
    norm = services.policy_for(employer.region_id)
    return [
        {"question": q, "topic": topics.get(q.topic, q.get_topic_display()), "due": _due(q, norm)}
        for q in queryset
    ]


# --- Views ---------------------------------------------------------------------------------


@access_rule(PERMISSION)
def company(request: HttpRequest) -> HttpResponse:
    """Mijn bedrijf: the company, the contact person and backup, the work and the questions."""
    actor = request.actor  # type: ignore[attr-defined]
    found = companies(request)
    employer = found.current
    if employer is None or (request.GET.get("kies") and len(found.all) > 1):
        return _no_company(
            request, Companies(found.all, None), next_url=reverse("employers:portal")
        )
    today = timezone.localdate()
    work = [work_row(o, today=today) for o in _work(actor, employer)]
    for row in work:
        row["history"] = _history_rows(row["opportunity"].history)
    return render(
        request,
        "employers/portal/company.html",
        {
            "employer": employer,
            "companies": found.all,
            "contact": contact_card(actor, employer, today=today),
            "open_work": [row for row in work if row["is_open"]],
            "closed_work": [row for row in work if not row["is_open"]],
            "questions": _questions(actor, employer, limit=5),
            "me": _me(actor, employer),
            "proposal_count": matching_selectors.proposals_for_employer(actor)
            .filter(opportunity__employer=employer)
            .count(),
        },
    )


@access_rule(PERMISSION)
def submit_work(request: HttpRequest) -> HttpResponse:
    """Offer work in plain words; the relationship manager picks it up as a new opportunity."""
    actor = request.actor  # type: ignore[attr-defined]
    found = companies(request)
    employer = found.current
    if employer is None:
        return _no_company(request, found, next_url=reverse("employers:portal_work"))
    form = portal_forms.WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.save_opportunity(
                actor=actor, opportunity=form.to_opportunity(employer)
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            contact = contact_card(actor, employer, today=timezone.localdate())
            messages.success(
                request,
                _(
                    "Thank you. We have received your work “%(title)s”. %(name)s will contact "
                    "you about it."
                )
                % {"title": opportunity.title, "name": contact.handler},
            )
            return redirect("employers:portal_opportunity", uuid=opportunity.uuid)
    return render(
        request,
        "employers/portal/work_form.html",
        {"employer": employer, "companies": found.all, "form": form},
    )


@access_rule(PERMISSION)
def ask_question(request: HttpRequest) -> HttpResponse:
    """Ask a question; it goes to the contact person, or to the backup while they are away.
    The confirmation says who answers and by when."""
    actor = request.actor  # type: ignore[attr-defined]
    found = companies(request)
    employer = found.current
    if employer is None:
        return _no_company(request, found, next_url=reverse("employers:portal_question"))
    form = portal_forms.QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.receive_question(
                actor=actor,
                employer=employer,
                question=form.cleaned_data["question"],
                topic=form.cleaned_data["topic"],
                contact_person=_me(actor, employer),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            url = reverse("employers:portal_question")
            return redirect(f"{url}?verstuurd={question.uuid}")
    sent = None
    sent_uuid = request.GET.get("verstuurd")
    if sent_uuid and request.method != "POST":
        question = selectors.question(actor=actor, uuid=sent_uuid)
        if question.employer_id != employer.pk:
            raise Http404
        sent = {
            "question": question,
            "due": _due(question, services.policy_for(employer.region_id)),
        }
    return render(
        request,
        "employers/portal/question_form.html",
        {
            "employer": employer,
            "companies": found.all,
            "form": form,
            "sent": sent,
            "contact": contact_card(actor, employer, today=timezone.localdate()),
            "questions": _questions(actor, employer),
        },
    )


@access_rule(PERMISSION)
def opportunity_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One piece of work: what was asked, where it stands, and every step so far."""
    actor = request.actor  # type: ignore[attr-defined]
    opportunity = selectors.opportunity(actor=actor, uuid=uuid)  # 404 outside own company
    employer = opportunity.employer
    today = timezone.localdate()
    row = work_row(opportunity, today=today)
    row["history"] = _history_rows(
        selectors.opportunity_history(actor=actor, opportunity=opportunity)
    )
    return render(
        request,
        "employers/portal/opportunity.html",
        {
            "employer": employer,
            "row": row,
            "opportunity": opportunity,
            "contact": contact_card(actor, employer, today=today),
        },
    )


urlpatterns = [
    path("mijn-bedrijf/", company, name="portal"),
    path("mijn-bedrijf/werk/", submit_work, name="portal_work"),
    path("mijn-bedrijf/vraag/", ask_question, name="portal_question"),
    path("mijn-bedrijf/werk/<uuid:uuid>/", opportunity_detail, name="portal_opportunity"),
]
