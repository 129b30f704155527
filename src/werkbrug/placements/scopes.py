"""Which placements an actor may see: staff of the region with ``placements.view``, and only
placements of candidates they may see in full (the candidate scope rule, consent included).
Grants, assessments and checks follow their placement; jobcoach assignments their candidate.

The portals (``placements/portal.py``): an employer's contact person (``portal.employer``)
sees the placements at their own company while their contact-person record is active, with
the grants, loonwaarde assessments and check-in dates that belong to them; a candidate
(``portal.candidate``) sees their own placements, check-ins and jobcoaches. What of a row a
portal page shows is chosen by the page (never notes, never health or benefit data).
"""

from __future__ import annotations

from django.db.models import Q

from werkbrug.candidates.scopes import full_access_q
from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.employers.models import ContactPerson
from werkbrug.placements.models import (
    AftercareCheck,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Placement,
)


def _portal(actor: Actor, prefix: str, *, candidates: bool = True) -> Q | None:
    """Portal users: the placements at their own company (an employer's contact person) or
    their own (a candidate, when ``candidates``); None for everybody else."""
    if actor.is_staff_member:
        return None
    found: Q | None = None
    if can(actor, "portal.employer"):
        own_companies = ContactPerson.objects.filter(user_id=actor.user_id, active=True)
        found = Q(**{f"{prefix}employer_id__in": own_companies.values("employer_id")})
    if candidates and can(actor, "portal.candidate"):
        own = Q(**{f"{prefix}candidate__user_id": actor.user_id})
        found = own if found is None else found | own
    return found


def _placements(actor: Actor, prefix: str = "", *, candidates: bool = True) -> Q | bool:
    if actor.is_superuser:
        return True
    if not (actor.is_staff_member and actor.region_id and can(actor, "placements.view")):
        portal = _portal(actor, prefix, candidates=candidates)
        return False if portal is None else portal
    full = full_access_q(actor, f"{prefix}candidate__")
    if full is None:
        return False
    return Q(**{f"{prefix}region_id": actor.region_id}) & full


def _parts(actor: Actor) -> Q | bool:
    return _placements(actor, "placement__")


def _employer_parts(actor: Actor) -> Q | bool:
    """Grants and assessments: staff, and the employer they are about; not the candidate's
    portal (it does not show them)."""
    return _placements(actor, "placement__", candidates=False)


scope_rule(Placement)(_placements)
scope_rule(AftercareCheck)(_parts)
for _model in (InstrumentGrant, LoonwaardeAssessment):
    scope_rule(_model)(_employer_parts)


@scope_rule(JobcoachAssignment)
def _jobcoaches(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if not (actor.is_staff_member and actor.region_id and can(actor, "placements.view")):
        # The candidate's own jobcoaches (employers get none: their portal does not show them).
        if not actor.is_staff_member and can(actor, "portal.candidate"):
            return Q(candidate__user_id=actor.user_id)
        return False
    full = full_access_q(actor, "candidate__")
    return False if full is None else full
