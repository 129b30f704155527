"""Which steering records an actor may see: those of their own region, with
``monitoring.view``. Time entries: their own, or everyone's for who manages programmes."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.monitoring.models import KpiValue, Observation, Programme, Target, TimeEntry


def _region(prefix: str):  # noqa: ANN202 - a scope rule factory
    def rule(actor: Actor) -> Q | bool:
        if actor.is_superuser:
            return True
        if actor.is_staff_member and actor.region_id and can(actor, "monitoring.view"):
            return Q(**{f"{prefix}region_id": actor.region_id})
        return False

    return rule


scope_rule(Programme)(_region(""))
scope_rule(Target)(_region("programme__"))
scope_rule(Observation)(_region(""))
scope_rule(KpiValue)(_region(""))


@scope_rule(TimeEntry)
def _time(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if not (actor.is_staff_member and actor.region_id):
        return False
    if can(actor, "monitoring.manage"):
        return Q(programme__region_id=actor.region_id)
    if can(actor, "monitoring.log_time"):
        return Q(staff_id=actor.staff_id, programme__region_id=actor.region_id)
    return False
