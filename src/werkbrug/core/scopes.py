"""Scope rules for the kernel's own tables."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, scope_rule
from werkbrug.core.models import AccessLogEntry, BackgroundJob, ChangeLogEntry
from werkbrug.core.roles import Role


def _audit_trail(actor: Actor) -> Q | bool:
    """A functional administrator sees what was done by people of their own region; entries
    of the system itself (demo seeding, scheduled jobs) are for system administrators."""
    if actor.is_superuser:
        return True
    if actor.has_role(Role.FUNCTIONAL_ADMIN) and actor.region_id is not None:
        return Q(region_id=actor.region_id)
    return False


scope_rule(ChangeLogEntry)(_audit_trail)
scope_rule(AccessLogEntry)(_audit_trail)


@scope_rule(BackgroundJob)
def _jobs(actor: Actor) -> Q | bool:
    return Q(started_by_id=actor.user_id)
