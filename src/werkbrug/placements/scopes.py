"""Which placements an actor may see: staff of the region with ``placements.view``, and only
placements of candidates they may see in full (the candidate scope rule, consent included).
Grants, assessments and checks follow their placement; jobcoach assignments their candidate."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.candidates.scopes import full_access_q
from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.placements.models import (
    AftercareCheck,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Placement,
)


def _placements(actor: Actor, prefix: str = "") -> Q | bool:
    if actor.is_superuser:
        return True
    if not (actor.is_staff_member and actor.region_id and can(actor, "placements.view")):
        return False
    full = full_access_q(actor, f"{prefix}candidate__")
    if full is None:
        return False
    return Q(**{f"{prefix}region_id": actor.region_id}) & full


def _parts(actor: Actor) -> Q | bool:
    return _placements(actor, "placement__")


scope_rule(Placement)(_placements)
for _model in (AftercareCheck, InstrumentGrant, LoonwaardeAssessment):
    scope_rule(_model)(_parts)


@scope_rule(JobcoachAssignment)
def _jobcoaches(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if not (actor.is_staff_member and actor.region_id and can(actor, "placements.view")):
        return False
    full = full_access_q(actor, "candidate__")
    return False if full is None else full
