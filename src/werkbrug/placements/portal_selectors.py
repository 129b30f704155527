"""Reads for the placement pages of the portals (``placements/portal.py``): "Onze
plaatsingen" for an employer's contact person and "Mijn werk" for a candidate.

Every query starts at the access layer (``placements/scopes.py``: an employer sees the
placements at their own company, a candidate their own). What leaves here is what the pages
show and nothing more:

* an employer sees the job, the dates, the kind and contract, the grants, who does the
  aftercare and when the next check-in is; the person's first name only while the person's
  consent to share with *that* employer is in force (read through the candidate scope rule,
  which asks for the same consent). Never the notes of a check-in, health or benefit data;
* the cost sheet ("Wat kost het mij?") is built from the placement (hours, wage), its grants
  (forfaitaire LKS, LKV) and the latest loonwaarde assessment. Which LKV rate applies follows
  from the candidate's banenafspraak registration, a record employers do not see: it is
  looked up here for that one purpose, and only the resulting rate reaches the sheet;
* a candidate sees their placements, their jobcoaches in force and their aftercare contact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, When

from werkbrug.candidates.models import (
    Candidate,
    Consent,
    ConsentScope,
    MembershipStatus,
    TargetGroup,
    TargetGroupMembership,
)
from werkbrug.core import access
from werkbrug.placements.models import (
    WITH_BENEFIT_KEPT,
    AftercareCheck,
    GrantKind,
    GrantStatus,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Placement,
)
from werkbrug.placements.selectors import OPEN
from werkbrug.regions.models import Staff
from werkbrug.rules.calculator import HUNDRED, Facts, LkvGroup, Situation

#: The cost sheet looks this far ahead (the calculator's three years).
COST_SHEET_MONTHS = 36

#: Grants that count on the cost sheet: all but a refusal.
_COUNTING = Q(status__in=[s for s in GrantStatus.values if s != GrantStatus.REFUSED])


# --- Who to call -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone to contact, with how to reach them (empty when nothing is known)."""

    name: str
    phone: str = ""
    email: str = ""
    organisation: str = ""


def staff_contact(staff: Staff) -> Person:
    """A staff member as a contact: their own phone and e-mail, else their organisation's."""
    organisation = staff.organisation
    return Person(
        name=str(staff),
        phone=staff.phone or organisation.phone,
        email=staff.user.email or organisation.email,
        organisation=organisation.name,
    )


def aftercare_contacts(placement: Placement, *, today: dt.date) -> list[Person]:
    """Who does the aftercare, and their substitute while they are away."""
    owner = placement.owner
    contacts = [staff_contact(owner)]
    substitute = owner.substitute
    if owner.is_away_on(today) and substitute is not None and substitute.active:
        contacts.append(staff_contact(substitute))
    return contacts


def _staff_related(prefix: str) -> list[str]:
    return [
        f"{prefix}owner__user",
        f"{prefix}owner__organisation",
        f"{prefix}owner__substitute__user",
        f"{prefix}owner__substitute__organisation",
    ]


def _open_checks(actor: access.Actor) -> Prefetch:
    """The check-ins still to come, first one first (``placement.open_checks``)."""
    return Prefetch(
        "checks",
        queryset=access.scoped(AftercareCheck, actor)
        .filter(done_on__isnull=True)
        .order_by("due_on", "id"),
        to_attr="open_checks",
    )


def _open_first(queryset: QuerySet[Placement]) -> QuerySet[Placement]:
    return queryset.annotate(
        closed=Case(When(status__in=OPEN, then=0), default=1, output_field=IntegerField())
    ).order_by("closed", "-start_on", "-id")


def next_check(placement: Placement) -> AftercareCheck | None:
    """The next check-in (prefetched with ``_open_checks``)."""
    checks = getattr(placement, "open_checks", None)
    return checks[0] if checks else None


def is_paid(placement: Placement) -> bool:
    """A job with a wage: the employer pays wage costs (no benefit kept)."""
    return placement.wage_pct_of_wml is not None and placement.kind not in WITH_BENEFIT_KEPT


# --- The employer: "Onze plaatsingen" --------------------------------------------------------


def employer_placements(*, actor: access.Actor) -> QuerySet[Placement]:
    """The placements at the actor's own companies, the running ones first, each with
    ``name_shared`` (the person's consent to share with this employer is in force), its grants
    and its check-ins to come. The candidate's record is not loaded."""
    name_shared = Exists(
        Consent.objects.filter(
            candidate_id=OuterRef("candidate_id"),
            employer_id=OuterRef("employer_id"),
            scope=ConsentScope.SHARE_WITH_EMPLOYER,
            withdrawn_at__isnull=True,
        )
    )
    grants = access.scoped(InstrumentGrant, actor).order_by("start_on", "id")
    queryset = (
        access.scoped(Placement, actor)
        .select_related("employer", *_staff_related(""))
        .annotate(name_shared=name_shared)
        .prefetch_related(Prefetch("grants", queryset=grants, to_attr="shown_grants"))
        .prefetch_related(_open_checks(actor))
    )
    return _open_first(queryset)


def first_names(*, actor: access.Actor, placements: list[Placement]) -> dict[int, str]:
    """Candidate id → first name, for the placed people who share their name with the
    employer of their placement. The names are read through the candidate scope rule, which
    itself asks for a consent to share with the actor's company: both must hold."""
    ids = {p.candidate_id for p in placements if getattr(p, "name_shared", False)}
    if not ids:
        return {}
    rows = access.scoped(Candidate, actor).filter(pk__in=ids).values_list("pk", "first_name")
    return dict(rows)


def employer_placement(*, actor: access.Actor, uuid: Any, purpose: str) -> Placement:
    """One placement at the actor's own company (404 otherwise); the read is logged."""
    queryset = access.scoped(Placement, actor).select_related("employer")
    return access.get_for_view(queryset, actor, uuid, purpose=purpose)


@dataclass(frozen=True)
class CostInputs:
    """What the cost sheet of one placement is calculated from."""

    situation: Situation
    facts: Facts
    start_date: dt.date


def _has_banenafspraak(placement: Placement) -> bool:
    """Whether the person is in the banenafspraak register at the start of the placement or
    since (an LKV needs a doelgroepverklaring, which can follow the start). Only the answer
    leaves this function: employers do not see target-group memberships."""
    return (
        TargetGroupMembership.objects.filter(
            candidate_id=placement.candidate_id,
            group=TargetGroup.JOB_AGREEMENT,
            status=MembershipStatus.GRANTED,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=placement.start_on))
        .exists()
    )


def cost_inputs(*, actor: access.Actor, placement: Placement) -> CostInputs | None:
    """The situation for the cost sheet of a paid placement (None for a placement without
    wage): its hours and wage; loonkostensubsidie when a grant for it counts, with the
    loonwaarde of the latest assessment and the forfait when the grant is forfaitair; the LKV
    of an LKV grant, at the banenafspraak rate or the other one; 36 months from the start.

    The advisor gets only what the situation says (no age, health or benefit)."""
    if not is_paid(placement):
        return None
    kinds = set(
        access.scoped(InstrumentGrant, actor)
        .filter(placement=placement)
        .filter(_COUNTING)
        .values_list("kind", flat=True)
    )
    lks = bool(kinds & {GrantKind.LKS, GrantKind.LKS_FORFAIT})
    loonwaarde: Decimal | None = None
    if lks:
        latest = (
            access.scoped(LoonwaardeAssessment, actor)
            .filter(placement=placement)
            .order_by("-assessed_on", "-id")
            .first()
        )
        loonwaarde = latest.pct if latest is not None else None
    lkv = LkvGroup.NONE
    if GrantKind.LKV in kinds:
        # The calculator's "other" LKV rate (older or occupationally disabled employee) is the
        # same amount for both; its label is the calculator's.
        lkv = LkvGroup.BANENAFSPRAAK if _has_banenafspraak(placement) else LkvGroup.OTHER
    wage = placement.wage_pct_of_wml or HUNDRED
    situation = Situation(
        hours_per_week=placement.hours_per_week,
        wage_pct_of_wml=wage,
        loonwaarde_pct=loonwaarde,
        forfait=lks and GrantKind.LKS_FORFAIT in kinds,
        lkv_group=lkv,
        months=COST_SHEET_MONTHS,
    )
    facts = Facts(
        in_lks_target_group=lks,
        in_banenafspraak_register=lkv == LkvGroup.BANENAFSPRAAK,
        wage_pct_of_wml=wage,
        hours_per_week=placement.hours_per_week,
        lkv_group=lkv,
    )
    return CostInputs(situation=situation, facts=facts, start_date=placement.start_on)


# --- The candidate: "Mijn werk" --------------------------------------------------------------


def candidate_placements(*, actor: access.Actor) -> QuerySet[Placement]:
    """The actor's own placements, the running ones first, with their check-ins to come."""
    queryset = (
        access.scoped(Placement, actor)
        .select_related("employer", *_staff_related(""))
        .prefetch_related(_open_checks(actor))
    )
    return _open_first(queryset)


def jobcoaches(*, actor: access.Actor, on: dt.date) -> list[JobcoachAssignment]:
    """The actor's own jobcoaches in force on ``on``."""
    return list(
        access.scoped(JobcoachAssignment, actor)
        .filter(start_on__lte=on)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
        .order_by("start_on", "id")
    )
