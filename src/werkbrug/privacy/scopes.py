"""Which privacy records an actor may see: requests about candidates whose whole file the staff
member may see (their own municipality, caseload or team; see candidates.scopes); retention
settings and runs for the administrator of the region."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.candidates.scopes import full_access_q
from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.privacy.models import (
    DataSubjectRequest,
    RequestEvent,
    RetentionPolicy,
    RetentionRun,
)


def _requests(prefix: str):  # noqa: ANN202 - a scope rule factory
    def rule(actor: Actor) -> Q | bool:
        if actor.is_superuser:
            return True
        if not (actor.is_staff_member and actor.region_id and can(actor, "privacy.requests")):
            return False
        full = full_access_q(actor, f"{prefix}candidate__")
        if full is None:
            return False
        return Q(**{f"{prefix}region_id": actor.region_id}) & full

    return rule


def _retention(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and actor.region_id and can(actor, "privacy.retention"):
        return Q(region_id=actor.region_id)
    return False


scope_rule(DataSubjectRequest)(_requests(""))
scope_rule(RequestEvent)(_requests("request__"))
scope_rule(RetentionPolicy)(_retention)
scope_rule(RetentionRun)(_retention)
