"""Reads of the organisation model, always through the access layer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from werkbrug.core import access
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team


def regions(*, actor: access.Actor) -> QuerySet[Region]:
    return (
        access.scoped(Region, actor)
        .select_related("centrumgemeente")
        .annotate(municipality_count=Count("municipalities", distinct=True))
        .order_by("name")
    )


def region(*, actor: access.Actor, uuid: Any) -> Region:
    return access.get_for_view(Region, actor, uuid, purpose="view region")


def municipalities(
    *, actor: access.Actor, search: str = "", include_ended: bool = True
) -> QuerySet[Municipality]:
    queryset = access.scoped(Municipality, actor).select_related("region")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(cbs_code__icontains=search))
    if not include_ended:
        queryset = queryset.filter(ended_on__isnull=True)
    return queryset.prefetch_related("composed_of").order_by("name")


def municipality(*, actor: access.Actor, uuid: Any) -> Municipality:
    return access.get_for_view(Municipality, actor, uuid, purpose="view municipality")


def organisations(*, actor: access.Actor, search: str = "") -> QuerySet[Organisation]:
    queryset = access.scoped(Organisation, actor).select_related("region", "municipality")
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.annotate(staff_count=Count("staff", distinct=True)).order_by("name")


def organisation(*, actor: access.Actor, uuid: Any) -> Organisation:
    return access.get_for_view(Organisation, actor, uuid, purpose="view organisation")


def teams(*, actor: access.Actor) -> QuerySet[Team]:
    return (
        access.scoped(Team, actor)
        .select_related("organisation", "municipality", "lead__user")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("organisation__name", "name")
    )


def team(*, actor: access.Actor, uuid: Any) -> Team:
    return access.get_for_view(Team, actor, uuid, purpose="view team")


def staff_list(*, actor: access.Actor, search: str = "", role: str = "") -> QuerySet[Staff]:
    queryset = access.scoped(Staff, actor).select_related(
        "user", "organisation", "municipality", "team__organisation", "substitute__user"
    )
    if search:
        queryset = queryset.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__username__icontains=search)
        )
    if role:
        queryset = queryset.filter(user__role_grants__role=role)
    return queryset.prefetch_related("user__role_grants").order_by(
        "user__last_name", "user__first_name", "id"
    )


def staff_member(*, actor: access.Actor, uuid: Any, purpose: str) -> Staff:
    queryset = access.scoped(Staff, actor).select_related(
        "user", "organisation", "municipality", "team", "substitute__user"
    )
    return access.get_for_view(queryset, actor, uuid, purpose=purpose)


def team_members(*, actor: access.Actor, team_id: int | None) -> QuerySet[Staff]:
    if team_id is None:
        return Staff.objects.none()
    return (
        access.scoped(Staff, actor)
        .filter(team_id=team_id, active=True)
        .select_related("user", "substitute__user")
        .prefetch_related("user__role_grants")
    )


def substitute_choices(*, actor: access.Actor, exclude_id: int | None = None) -> QuerySet[Staff]:
    queryset = access.scoped(Staff, actor).filter(active=True).select_related("user")
    if exclude_id is not None:
        queryset = queryset.exclude(id=exclude_id)
    return queryset
