"""Which meetings an actor may see: staff of the meeting's region. The invitations and
conversations name candidates, so staff see only those of candidates they may see (the
candidate scope rule, consent included) and every employer's."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.meetings.models import Conversation, Invitation, Meeting


@scope_rule(Meeting)
def _meetings(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and actor.region_id and can(actor, "meetings.view"):
        return Q(region_id=actor.region_id)
    return False


def _part(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and actor.region_id and can(actor, "meetings.view"):
        return Q(meeting__region_id=actor.region_id) & (
            Q(candidate__isnull=True)
            | Q(candidate__in=access.scoped(Candidate, actor).values("pk"))
        )
    return False


scope_rule(Invitation)(_part)
scope_rule(Conversation)(_part)
