"""Reads of candidate records, always through the access layer (core.access.scoped).

Every candidate row carries ``full_access``: True when the actor may see the whole record,
False when they see it only as an anonymous regional-pool profile (candidates/scopes.py).
Pages and the API leave identity, contact details and case records out when it is False.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from werkbrug.candidates import scopes
from werkbrug.candidates.models import (
    Candidate,
    CandidateLanguage,
    Consent,
    HealthProfile,
    JourneyStatus,
    MembershipStatus,
    Return,
    ServiceEpisode,
    Signal,
    SignalDecision,
    TargetGroupMembership,
)
from werkbrug.candidates.services import policy_for
from werkbrug.core import access
from werkbrug.core.pagination import DEFAULT_CAP, capped_count

SORTS = {
    "naam": ("last_name", "first_name", "id"),
    "-naam": ("-last_name", "-first_name", "-id"),
    "laatste_contact": ("last_contact_at", "last_name", "id"),
    "-laatste_contact": ("-last_contact_at", "last_name", "id"),
    "trede": ("ladder_step", "last_name", "id"),
    "-trede": ("-ladder_step", "last_name", "id"),
}

#: Statuses in which the candidate is being worked with (the contact norm applies).
ACTIVE_STATUSES = (
    JourneyStatus.HANDED_OVER,
    JourneyStatus.CONTACTED,
    JourneyStatus.INVITED,
    JourneyStatus.MET_EMPLOYERS,
    JourneyStatus.MATCHED,
    JourneyStatus.PLACED,
    JourneyStatus.AFTERCARE,
)


@dataclass(frozen=True)
class CaseloadFilter:
    search: str = ""
    mine: bool = False  # only people I work with (as client manager or consultant)
    pool: bool = False  # only the regional pool of other municipalities
    municipality_id: int | None = None
    status: str = ""
    segment: str = ""
    ladder_step: int | None = None
    target_group: str = ""
    not_seen: bool = False
    incomplete: bool = False
    sort: str = "naam"
    today: dt.date = field(default_factory=timezone.localdate)


def with_access_flag(queryset: QuerySet[Candidate], actor: access.Actor) -> QuerySet[Candidate]:
    full = scopes.full_access_q(actor)
    if full is None:
        return queryset.annotate(full_access=Value(False, output_field=BooleanField()))
    if full == Q():
        return queryset.annotate(full_access=Value(True, output_field=BooleanField()))
    return queryset.annotate(full_access=Case(When(full, then=Value(True)), default=Value(False)))


def incomplete_q() -> Q:
    """The required items of completeness.py as one SQL condition (a test keeps them in step)."""
    has = {
        relation: Exists(model.objects.filter(**{link: OuterRef("pk")}))
        for relation, model, link in (
            ("languages", CandidateLanguage, "candidate_id"),
            ("skills", Candidate.skills.through, "candidate_id"),
            ("wished_occupations", Candidate.wished_occupations.through, "candidate_id"),
            ("wished_skills", Candidate.wished_skills.through, "candidate_id"),
        )
    }
    return (
        (Q(phone="") & Q(email=""))
        | Q(street="")
        | Q(postcode="")
        | Q(city="")
        | Q(benefit_type="")
        | Q(ladder_step__isnull=True)
        | Q(segment="")
        | Q(education_level__isnull=True)
        | ~Q(has["languages"])
        | Q(driving_licence__isnull=True)
        | Q(hours_available__isnull=True)
        | Q(available_from__isnull=True)
        | Q(talents="")
        | ~Q(has["skills"])
        | (Q(wished_work_kinds=[]) & ~Q(has["wished_occupations"]) & ~Q(has["wished_skills"]))
        | (Q(max_travel_minutes__isnull=True) & Q(max_travel_km__isnull=True))
        | Q(client_manager__isnull=True)
    )


def not_seen_q(*, weeks: int, now: dt.datetime | None = None) -> Q:
    threshold = (now or timezone.now()) - dt.timedelta(weeks=weeks)
    return Q(status__in=ACTIVE_STATUSES) & (
        Q(last_contact_at__lt=threshold) | Q(last_contact_at__isnull=True)
    )


def expired_membership_q(today: dt.date) -> Q:
    return Q(
        Exists(
            TargetGroupMembership.objects.filter(
                candidate_id=OuterRef("pk"),
                status=MembershipStatus.GRANTED,
                valid_to__lt=today,
            )
        )
    )


def _filtered(
    queryset: QuerySet[Candidate], *, actor: access.Actor, flt: CaseloadFilter
) -> QuerySet[Candidate]:
    """Apply the caseload filter to a queryset already limited to what the actor may see."""
    full = scopes.full_access_q(actor)
    if flt.search:
        term = " ".join(flt.search.split())
        by_name = Q()
        for word in term.split(" "):
            by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        # Names are searched only among records the actor may see in full: a name search must
        # not reveal who is in the anonymous pool.
        condition = by_name & (full if full is not None else Q(pk__in=[]))
        condition |= Q(talents__icontains=term)
        queryset = queryset.filter(condition)
    if flt.mine and actor.staff_id:
        queryset = queryset.filter(
            Q(client_manager_id=actor.staff_id) | Q(consultant_id=actor.staff_id)
        )
    if flt.pool and full is not None:
        queryset = queryset.exclude(full)
    if flt.municipality_id:
        queryset = queryset.filter(municipality_id=flt.municipality_id)
    if flt.status:
        queryset = queryset.filter(status=flt.status)
    if flt.segment:
        queryset = queryset.filter(segment=flt.segment)
    if flt.ladder_step:
        queryset = queryset.filter(ladder_step=flt.ladder_step)
    if flt.target_group:
        queryset = queryset.filter(
            Exists(
                TargetGroupMembership.objects.filter(
                    candidate_id=OuterRef("pk"),
                    group=flt.target_group,
                    status=MembershipStatus.GRANTED,
                ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=flt.today))
            )
        )
    if flt.not_seen and actor.region_id:
        queryset = queryset.filter(
            not_seen_q(weeks=policy_for(actor.region_id).weeks_without_contact)
        )
    if flt.incomplete:
        queryset = queryset.filter(incomplete_q())
    return queryset


def caseload(*, actor: access.Actor, flt: CaseloadFilter | None = None) -> QuerySet[Candidate]:
    flt = flt or CaseloadFilter()
    queryset = with_access_flag(access.scoped(Candidate, actor), actor)
    return (
        _filtered(queryset, actor=actor, flt=flt)
        .select_related("municipality", "client_manager__user", "consultant__user")
        .order_by(*SORTS.get(flt.sort, SORTS["naam"]))
    )


def caseload_count(
    *, actor: access.Actor, flt: CaseloadFilter | None = None, cap: int = DEFAULT_CAP
) -> int:
    """How many rows ``caseload`` lists, up to ``cap + 1`` ("more than cap"). Counted per
    disjoint part of the actor's scope (scopes.scope_parts), which PostgreSQL answers far
    faster than the combined rule."""
    flt = flt or CaseloadFilter()
    total = 0
    for part in scopes.scope_parts(actor):
        total += capped_count(_filtered(part, actor=actor, flt=flt), cap)
        if total > cap:
            return cap + 1
    return total


def tab_counts(*, actor: access.Actor, cap: int = DEFAULT_CAP) -> dict[str, int]:
    """The counts of the caseload tabs: ``all``, ``mine``, ``municipality`` and ``pool`` count
    the same rows as ``caseload`` with ``CaseloadFilter()``, ``(mine=True)``,
    ``(municipality_id=actor.municipality_id)`` and ``(pool=True)`` (0 for a tab the actor does
    not have). Each count stops at ``cap + 1`` (shown as "more than ``cap``")."""
    full = scopes.full_access_q(actor)
    counts = {"all": caseload_count(actor=actor, cap=cap), "mine": 0, "municipality": 0}
    if actor.staff_id:
        counts["mine"] = caseload_count(actor=actor, flt=CaseloadFilter(mine=True), cap=cap)
    if actor.municipality_id:
        counts["municipality"] = caseload_count(
            actor=actor, flt=CaseloadFilter(municipality_id=actor.municipality_id), cap=cap
        )
    counts["pool"] = (
        caseload_count(actor=actor, flt=CaseloadFilter(pool=True), cap=cap)
        if full is not None and full != Q()
        else counts["all"]
    )
    return counts


def candidate_for_view(*, actor: access.Actor, uuid: object, purpose: str) -> Candidate:
    """One candidate with what the candidate page shows; 404 outside scope; the read is logged."""
    queryset = with_access_flag(
        Candidate.objects.select_related(
            "municipality", "region", "client_manager__user", "consultant__user", "user"
        ).prefetch_related(
            "skills",
            "wished_skills",
            "wished_occupations",
            "languages",
            "experience__occupation",
        ),
        actor,
    )
    return access.get_for_view(queryset, actor, uuid, purpose=purpose)


def case_records(candidate: Candidate, *, actor: access.Actor) -> dict[str, object]:
    """The case file of a fully visible candidate: each list through its own scope rule."""
    return {
        "ladder_history": list(
            access.scoped(candidate.ladder_history.all(), actor).select_related(
                "recorded_by__user"
            )[:12]
        ),
        "target_groups": list(access.scoped(candidate.target_groups.all(), actor)),
        "consents": consent_history(candidate, actor=actor),
        "handovers": list(
            access.scoped(candidate.handovers.all(), actor).select_related(
                "from_staff__user", "to_staff__user"
            )
        ),
        "contacts": list(
            access.scoped(candidate.contacts.all(), actor).select_related("staff__user")[:20]
        ),
        "appointments": list(
            access.scoped(candidate.appointments.all(), actor)
            .filter(starts_at__gte=timezone.now() - dt.timedelta(hours=2), cancelled=False)
            .select_related("staff__user")
        ),
        "episodes": list(access.scoped(candidate.episodes.all(), actor)),
        "returns": list(
            access.scoped(candidate.returns.all(), actor).select_related(
                "sent_by__user", "receiver__user", "acknowledged_by__user"
            )
        ),
        "signals": list(
            access.scoped(candidate.signals.all(), actor).select_related(
                "reported_by__user", "decided_by__user"
            )
        ),
        "health": health_for(candidate, actor=actor),
    }


def health_for(candidate: Candidate, *, actor: access.Actor) -> HealthProfile | None:
    """The candidate's health and limitations, if the actor may see them (scopes._health)."""
    return access.scoped(HealthProfile.objects.filter(candidate=candidate), actor).first()


def consent_history(candidate: Candidate, *, actor: access.Actor) -> list[Consent]:
    """Every consent of the candidate the actor may see, newest first (withdrawn ones too)."""
    return list(
        access.scoped(Consent.objects.filter(candidate=candidate), actor)
        .select_related("employer", "granted_by", "withdrawn_by")
        .order_by("-granted_at", "-id")
    )


def consent_for(candidate: Candidate, uuid: object, *, actor: access.Actor) -> Consent | None:
    """One consent of the candidate by its public id, if the actor may see it."""
    return (
        access.scoped(Consent.objects.filter(candidate=candidate), actor)
        .select_related("employer", "candidate")
        .filter(uuid=uuid)
        .first()
    )


# --- Alerts and data quality ---------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeAlert:
    episode: ServiceEpisode
    months: int
    kind: str  # "first" (12 months) or "max" (2-year term reached or near)


def episode_alerts(
    *, actor: access.Actor, today: dt.date | None = None
) -> QuerySet[ServiceEpisode]:
    """Open service periods past the first alert (12 months by default), oldest first."""
    today = today or timezone.localdate()
    months = policy_for(actor.region_id).first_alert_months if actor.region_id else 12
    threshold = _months_back(today, months)
    return (
        access.scoped(ServiceEpisode, actor)
        .filter(end__isnull=True, start__lte=threshold)
        .select_related("candidate__municipality", "candidate__consultant__user")
        .order_by("start")
    )


def _months_back(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def open_returns(*, actor: access.Actor) -> QuerySet[Return]:
    return (
        access.scoped(Return, actor)
        .filter(acknowledged_at__isnull=True)
        .select_related("candidate", "sent_by__user", "receiver__user")
        .order_by("on")
    )


def pending_signals(*, actor: access.Actor) -> QuerySet[Signal]:
    return (
        access.scoped(Signal, actor)
        .filter(decision=SignalDecision.PENDING)
        .select_related("candidate", "reported_by__user")
        .order_by("occurred_on")
    )


QUALITY_CHECKS = ("onvolledig", "niet_gezien", "geen_opleiding", "doelgroep_verlopen", "termijn")


def quality_queryset(
    check: str, *, actor: access.Actor, today: dt.date | None = None
) -> QuerySet[Candidate]:
    """The candidates failing one data-quality check (records the actor sees in full)."""
    today = today or timezone.localdate()
    full = scopes.full_access_q(actor)
    base = access.scoped(Candidate, actor).filter(full if full is not None else Q(pk__in=[]))
    base = base.exclude(status__in=[JourneyStatus.OUTCOME])
    if check == "onvolledig":
        base = base.filter(incomplete_q())
    elif check == "niet_gezien":
        weeks = policy_for(actor.region_id).weeks_without_contact if actor.region_id else 6
        base = base.filter(not_seen_q(weeks=weeks))
    elif check == "geen_opleiding":
        base = base.filter(education_level__isnull=True)
    elif check == "doelgroep_verlopen":
        base = base.filter(expired_membership_q(today))
    elif check == "termijn":
        months = policy_for(actor.region_id).first_alert_months if actor.region_id else 12
        base = base.filter(
            Exists(
                ServiceEpisode.objects.filter(
                    candidate_id=OuterRef("pk"),
                    end__isnull=True,
                    start__lte=_months_back(today, months),
                )
            )
        )
    else:
        raise ValueError(f"Unknown data-quality check {check!r}")
    return base.select_related("municipality", "client_manager__user", "consultant__user").order_by(
        "last_name", "first_name", "id"
    )


def quality_counts(*, actor: access.Actor, today: dt.date | None = None) -> dict[str, int]:
    return {
        check: quality_queryset(check, actor=actor, today=today).count() for check in QUALITY_CHECKS
    }


def shared_with_my_company(*, actor: access.Actor) -> QuerySet[Candidate]:
    """For an employer's contact person: the candidates who consented to share with them."""
    return (
        access.scoped(Candidate, actor)
        .prefetch_related(
            "skills",
            Prefetch(
                "languages",
                queryset=access.scoped(CandidateLanguage, actor).order_by("id"),
            ),
        )
        .order_by("first_name", "last_name")
    )


def counts_by_status(*, actor: access.Actor) -> dict[str, int]:
    rows = access.scoped(Candidate, actor).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}
