"""Reads of the employer register, always through the access layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from werkbrug.core import access
from werkbrug.employers.models import (
    VISIT_CHANNELS,
    Action,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityStatus,
    OpportunityStatusChange,
    WorkOpportunity,
)
from werkbrug.employers.norms import Norm, contact_norm, is_cold, norm_from_counts, response_due
from werkbrug.employers.services import handler_for, policy_for

SORTS = {
    "naam": ("name", "id"),
    "-naam": ("-name", "-id"),
    "laatste_contact": ("last_contact_on", "name"),
    "-laatste_contact": ("-last_contact_on", "name"),
    "gemeente": ("municipality__name", "name"),
    "fase": ("phase", "name"),
}


@dataclass(frozen=True)
class EmployerFilter:
    search: str = ""
    municipality_id: int | None = None
    phase: str = ""
    owner_id: int | None = None
    relation: str = ""  # "warm" | "koud"
    ambassador: bool | None = None
    sort: str = "naam"
    today: dt.date = field(default_factory=timezone.localdate)


def employers(*, actor: access.Actor, flt: EmployerFilter | None = None) -> QuerySet[Employer]:
    flt = flt or EmployerFilter()
    queryset = access.scoped(Employer, actor).filter(merged_into__isnull=True)
    if flt.search:
        term = flt.search.strip()
        digits = term.replace(" ", "")
        condition = Q(name__icontains=term) | Q(city__icontains=term)
        if digits.isdigit():
            condition |= Q(kvk_number__startswith=digits)
        if len(digits) >= 4 and digits[:4].isdigit():
            condition |= Q(postcode__istartswith=term.upper()[:7])
        queryset = queryset.filter(condition)
    if flt.municipality_id:
        queryset = queryset.filter(municipality_id=flt.municipality_id)
    if flt.phase:
        queryset = queryset.filter(phase=flt.phase)
    if flt.owner_id:
        queryset = queryset.filter(Q(owner_id=flt.owner_id) | Q(substitute_id=flt.owner_id))
    if flt.ambassador is not None:
        queryset = queryset.filter(ambassador=flt.ambassador)
    if flt.relation and actor.region_id:
        norm = policy_for(actor.region_id)
        threshold = flt.today - dt.timedelta(days=norm.cold_after_days)
        warm = Q(last_contact_on__gte=threshold)
        queryset = queryset.filter(
            warm if flt.relation == "warm" else ~warm | Q(last_contact_on__isnull=True)
        )
    return queryset.select_related("municipality", "owner__user", "substitute__user").order_by(
        *SORTS.get(flt.sort, SORTS["naam"])
    )


def employer(*, actor: access.Actor, uuid: Any) -> Employer:
    queryset = access.scoped(Employer, actor).select_related(
        "municipality",
        "owner__user",
        "owner__organisation",
        "substitute__user",
        "merged_into",
        "brought_in_by",
        "region",
    )
    return access.get_for_view(queryset, actor, uuid, purpose="employer record")


@dataclass(frozen=True)
class TimelineItem:
    at: dt.datetime
    kind: str  # contact | question | opportunity | status
    obj: Any


def timeline(*, actor: access.Actor, employer: Employer, limit: int = 60) -> list[TimelineItem]:
    """Contacts, questions, opportunities and their status changes, newest first."""
    tz = timezone.get_current_timezone()
    moments = (
        access.scoped(ContactMoment, actor)
        .filter(employer=employer)
        .select_related("contact_person", "recorded_by__user")
        .prefetch_related("staff__user", "actions__owner__user")
        .order_by("-date", "-id")[:limit]
    )
    questions = (
        access.scoped(EmployerQuestion, actor)
        .filter(employer=employer)
        .select_related("assigned_to__user", "contact_person")
        .order_by("-received_at")[:limit]
    )
    opportunities = (
        access.scoped(WorkOpportunity, actor)
        .filter(employer=employer)
        .order_by("-opened_on")[:limit]
    )
    changes = (
        access.scoped(OpportunityStatusChange, actor)
        .filter(opportunity__employer=employer)
        .exclude(from_status="")
        .select_related("opportunity", "by")
        .order_by("-at")[:limit]
    )
    items = [
        TimelineItem(dt.datetime.combine(m.date, dt.time(12), tzinfo=tz), "contact", m)
        for m in moments
    ]
    items += [TimelineItem(q.received_at, "question", q) for q in questions]
    items += [TimelineItem(_opened_at(o, tz), "opportunity", o) for o in opportunities]
    items += [TimelineItem(c.at, "status", c) for c in changes]
    return sorted(items, key=lambda i: i.at, reverse=True)[:limit]


def _opened_at(opportunity: WorkOpportunity, tz: Any) -> dt.datetime:
    """When the opportunity was registered: its creation time, unless it was back-dated."""
    created = timezone.localtime(opportunity.created_at)
    if created.date() == opportunity.opened_on:
        return created
    return dt.datetime.combine(opportunity.opened_on, dt.time(9), tzinfo=tz)


@dataclass(frozen=True)
class EmployerSummary:
    norm_status: Any
    cold: bool
    next_action: Action | None
    handler: Any
    open_questions: int
    open_opportunities: int


def summary(
    *, actor: access.Actor, employer: Employer, today: dt.date | None = None
) -> EmployerSummary:
    today = today or timezone.localdate()
    norm = policy_for(employer.region_id)
    contacts = ContactMoment.objects.filter(
        employer=employer, date__gt=today - dt.timedelta(days=365)
    )
    pairs = [(d, c in VISIT_CHANNELS) for d, c in contacts.values_list("date", "channel")]
    return EmployerSummary(
        norm_status=contact_norm(pairs, on=today, norm=norm),
        cold=is_cold(employer.last_contact_on, on=today, norm=norm),
        next_action=access.scoped(Action, actor)
        .filter(employer=employer, done_at__isnull=True)
        .select_related("owner__user")
        .order_by("due_on")
        .first(),
        handler=handler_for(employer, on=today),
        open_questions=EmployerQuestion.objects.filter(
            employer=employer, answered_at__isnull=True
        ).count(),
        open_opportunities=WorkOpportunity.objects.filter(
            employer=employer,
            status__in=[
                OpportunityStatus.OPEN,
                OpportunityStatus.PROPOSED,
                OpportunityStatus.INTRODUCTION,
            ],
        ).count(),
    )


def contact_persons(*, actor: access.Actor, employer: Employer) -> QuerySet[ContactPerson]:
    return access.scoped(ContactPerson, actor).filter(employer=employer, active=True)


def tasks_for(
    *, actor: access.Actor, staff_id: int | None, on: dt.date, include_later: bool = False
) -> QuerySet[Action]:
    """Open actions of a person due on or before ``on`` (or all open ones), including those
    of colleagues they are standing in for today."""
    if staff_id is None:
        return Action.objects.none()
    from werkbrug.regions.models import Staff

    covering = [
        s.pk
        for s in Staff.objects.filter(substitute_id=staff_id, away_from__lte=on).filter(
            Q(away_until__isnull=True) | Q(away_until__gte=on)
        )
    ]
    queryset = access.scoped(Action, actor).filter(
        Q(owner_id=staff_id) | Q(owner_id__in=covering), done_at__isnull=True
    )
    if not include_later:
        queryset = queryset.filter(due_on__lte=on)
    return queryset.select_related("employer", "owner__user").order_by("due_on", "id")


@dataclass(frozen=True)
class OverdueEmployer:
    employer: Employer
    status: Any


def overdue_contact_norm(
    *, actor: access.Actor, owner_ids: list[int] | None = None, today: dt.date | None = None
) -> list[OverdueEmployer]:
    """Employers (of the given relationship managers) that do not meet the contact norm.
    Prospects without any contact are not in scope of the norm (they are acquisition work)."""
    today = today or timezone.localdate()
    if actor.region_id is None:
        return []
    norm = policy_for(actor.region_id)
    queryset = employers(actor=actor).exclude(phase="prospect")
    if owner_ids is not None:
        queryset = queryset.filter(owner_id__in=owner_ids)
    year_ago = today - dt.timedelta(days=365)
    in_year = Q(contact_moments__date__gt=year_ago)
    queryset = queryset.annotate(
        n_contacts=Count("contact_moments", filter=in_year),
        n_visits=Count(
            "contact_moments", filter=in_year & Q(contact_moments__channel__in=VISIT_CHANNELS)
        ),
    ).filter(Q(n_contacts__lt=norm.contacts_per_year) | Q(n_visits__lt=norm.visits_per_year))
    return [
        OverdueEmployer(emp, norm_from_counts(emp.n_contacts, emp.n_visits, norm=norm))
        for emp in queryset.order_by("last_contact_on", "name")[:500]
    ]


@dataclass(frozen=True)
class OverdueQuestion:
    question: EmployerQuestion
    due: dt.datetime


def open_questions(
    *, actor: access.Actor, assigned_ids: list[int] | None = None
) -> list[OverdueQuestion]:
    """Unanswered questions with their due moment under the response norm, overdue first."""
    if actor.region_id is None and not actor.is_superuser:
        return []
    queryset = (
        access.scoped(EmployerQuestion, actor)
        .filter(answered_at__isnull=True)
        .select_related("employer", "assigned_to__user")
    )
    if assigned_ids is not None:
        queryset = queryset.filter(assigned_to_id__in=assigned_ids)
    norm = policy_for(actor.region_id) if actor.region_id else Norm()
    items = [
        OverdueQuestion(q, response_due(timezone.localtime(q.received_at), norm=norm))
        for q in queryset[:1000]
    ]
    return sorted(items, key=lambda i: i.due)


def opportunities(
    *,
    actor: access.Actor,
    status: str = "",
    kind: str = "",
    latent: bool | None = None,
    municipality_id: int | None = None,
    search: str = "",
) -> QuerySet[WorkOpportunity]:
    queryset = access.scoped(WorkOpportunity, actor).filter(employer__merged_into__isnull=True)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if latent is not None:
        queryset = queryset.filter(latent=latent)
    if municipality_id:
        queryset = queryset.filter(employer__municipality_id=municipality_id)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(employer__name__icontains=search))
    return queryset.select_related("employer__municipality", "employer__owner__user").order_by(
        "-opened_on", "-id"
    )


def opportunity(*, actor: access.Actor, uuid: Any) -> WorkOpportunity:
    queryset = access.scoped(WorkOpportunity, actor).select_related(
        "employer__owner__user", "employer__substitute__user"
    )
    return access.get_for_view(queryset, actor, uuid, purpose="work opportunity")


def question(*, actor: access.Actor, uuid: Any) -> EmployerQuestion:
    queryset = access.scoped(EmployerQuestion, actor).select_related(
        "employer", "assigned_to__user", "contact_person"
    )
    return access.get_for_view(queryset, actor, uuid, purpose="employer question")


def portal_employers(*, actor: access.Actor) -> QuerySet[Employer]:
    """The companies a werkgever contact person belongs to (usually one)."""
    return (
        access.scoped(Employer, actor)
        .filter(merged_into__isnull=True)
        .select_related("owner__user", "owner__organisation", "substitute__user")
        .distinct()
    )


# --- Reads for the staff pages (employers/views.py, employers/panels.py) ---------------------


def contact_person(*, actor: access.Actor, uuid: Any) -> ContactPerson:
    """One contact person by public id (the read is logged: it is personal data)."""
    queryset = access.scoped(ContactPerson, actor).select_related("employer")
    return access.get_for_view(queryset, actor, uuid, purpose="edit contact person")


def action(*, actor: access.Actor, uuid: Any) -> Action:
    """One agreed action (task) by public id."""
    queryset = access.scoped(Action, actor).select_related("employer", "owner__user")
    return access.get_for_view(queryset, actor, uuid, purpose="complete action")


def overdue_contact_norm_counts(
    *, actor: access.Actor, owner_ids: list[int], today: dt.date | None = None
) -> dict[int, int]:
    """Per relationship manager: how many of their employers are below the contact norm. The
    same rule as ``overdue_contact_norm``, counted in one query and without its row cap."""
    from collections import Counter

    today = today or timezone.localdate()
    if actor.region_id is None or not owner_ids:
        return {}
    norm = policy_for(actor.region_id)
    in_year = Q(contact_moments__date__gt=today - dt.timedelta(days=365))
    owners = (
        employers(actor=actor)
        .exclude(phase="prospect")
        .filter(owner_id__in=owner_ids)
        .annotate(
            n_contacts=Count("contact_moments", filter=in_year),
            n_visits=Count(
                "contact_moments", filter=in_year & Q(contact_moments__channel__in=VISIT_CHANNELS)
            ),
        )
        .filter(Q(n_contacts__lt=norm.contacts_per_year) | Q(n_visits__lt=norm.visits_per_year))
        .values_list("owner_id", flat=True)
    )
    return dict(Counter(owners))


def opportunity_history(
    *, actor: access.Actor, opportunity: WorkOpportunity
) -> QuerySet[OpportunityStatusChange]:
    """The status changes of one work opportunity, oldest first."""
    return (
        access.scoped(OpportunityStatusChange, actor)
        .filter(opportunity=opportunity)
        .select_related("by")
        .order_by("at", "id")
    )
