"""Who sees which organisational records. Staff see their own region; a functional
administrator manages their own region; superusers see everything. Portal users (employers,
candidates) see none of these tables."""

from __future__ import annotations

from django.db.models import Q

from werkbrug.core.access import Actor, scope_rule
from werkbrug.core.roles import Role
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team


def _staff_region(actor: Actor, path: str) -> Q | bool:
    if actor.is_superuser:
        return True
    if not actor.is_staff_member or actor.region_id is None:
        return False
    return Q(**{path: actor.region_id})


@scope_rule(Region)
def _regions(actor: Actor) -> Q | bool:
    return _staff_region(actor, "id")


@scope_rule(Municipality)
def _municipalities(actor: Actor) -> Q | bool:
    return _staff_region(actor, "region_id")


@scope_rule(Organisation)
def _organisations(actor: Actor) -> Q | bool:
    return _staff_region(actor, "region_id")


@scope_rule(Team)
def _teams(actor: Actor) -> Q | bool:
    return _staff_region(actor, "organisation__region_id")


@scope_rule(Staff)
def _staff(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.staff_id is None:
        return False
    if actor.has_role(Role.RESEARCHER) and not actor.has_role(
        Role.FUNCTIONAL_ADMIN, Role.TEAM_LEAD, Role.RELATIONSHIP_MANAGER, Role.CLIENT_MANAGER
    ):
        return Q(id=actor.staff_id)  # researchers see no colleagues' personal data
    return Q(organisation__region_id=actor.region_id)
