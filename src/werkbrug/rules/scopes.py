"""Which rule sets an actor may see: the national ones and their own region's, with
``rules.view``."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.rules.models import RuleSet


@scope_rule(RuleSet)
def _rule_sets(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and can(actor, "rules.view"):
        return Q(region__isnull=True) | Q(region_id=actor.region_id)
    return False
