"""Which evaluation records an actor may see: those of their own region, with the permission
that goes with them. Answers are anonymous; the registry that names people needs
``evaluation.send``."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.evaluation.models import (
    Complaint,
    ControlGroup,
    ControlGroupMember,
    Invitation,
    Response,
    Survey,
)


def _region(prefix: str, permission: str):  # noqa: ANN202 - a scope rule factory
    def rule(actor: Actor) -> Q | bool:
        if actor.is_superuser:
            return True
        if actor.is_staff_member and actor.region_id and can(actor, permission):
            return Q(**{f"{prefix}region_id": actor.region_id})
        return False

    return rule


scope_rule(Survey)(_region("", "evaluation.research"))
scope_rule(Response)(_region("survey__", "evaluation.research"))
scope_rule(ControlGroup)(_region("", "evaluation.research"))
scope_rule(ControlGroupMember)(_region("control_group__", "evaluation.send"))
scope_rule(Invitation)(_region("survey__", "evaluation.send"))
scope_rule(Complaint)(_region("", "evaluation.complaints"))
