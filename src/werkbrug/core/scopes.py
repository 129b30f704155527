"""Scope rules for the kernel's own tables."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, scope_rule
from werkbrug.core.models import AccessLogEntry, BackgroundJob, ChangeLogEntry
from werkbrug.core.roles import Role


@scope_rule(ChangeLogEntry)
def _change_log(actor: Actor) -> Q | bool:
    return actor.is_superuser or actor.has_role(Role.FUNCTIONAL_ADMIN)


@scope_rule(AccessLogEntry)
def _access_log(actor: Actor) -> Q | bool:
    return actor.is_superuser or actor.has_role(Role.FUNCTIONAL_ADMIN)


@scope_rule(BackgroundJob)
def _jobs(actor: Actor) -> Q | bool:
    return Q(started_by_id=actor.user_id)
