"""Reads for the pages that manage programmes and log hours: one target or time entry of a
programme, the hours of a month (the actor's own, or everyone's for who manages programmes:
``monitoring.scopes``) and those hours per person. Every read goes through the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from werkbrug.core import access
from werkbrug.monitoring.models import Programme, Target, TimeEntry
from werkbrug.regions.models import Municipality, Staff


def target_for_view(actor: access.Actor, programme: Programme, uuid: Any) -> Target:
    """A target of ``programme`` by its public id; 404 when it is not one the actor sees."""
    targets = Target.objects.filter(programme=programme).select_related("municipality")
    return access.get_for_view(targets, actor, uuid, purpose="programme")


def time_entry_for_view(actor: access.Actor, programme: Programme, uuid: Any) -> TimeEntry:
    """Hours logged against ``programme`` that the actor sees (their own, or everyone's with
    ``monitoring.manage``); 404 otherwise."""
    entries = TimeEntry.objects.filter(programme=programme)
    return access.get_for_view(entries, actor, uuid, purpose="programme")


def time_entries(
    actor: access.Actor, programme: Programme, *, start: dt.date, end: dt.date
) -> QuerySet[TimeEntry]:
    """The hours the actor sees on days in [start, end), newest first."""
    return (
        access.scoped(TimeEntry, actor)
        .filter(programme=programme, on__gte=start, on__lt=end)
        .select_related("staff__user")
        .order_by("-on", "-id")
    )


@dataclass(frozen=True)
class PersonHours:
    staff_id: int
    name: str
    hours: Decimal


def hours_per_person(
    actor: access.Actor, programme: Programme, *, start: dt.date, end: dt.date
) -> list[PersonHours]:
    """The hours in [start, end) per person the actor sees, most first; two queries."""
    totals = dict(
        access.scoped(TimeEntry, actor)
        .filter(programme=programme, on__gte=start, on__lt=end)
        .values_list("staff_id")
        .annotate(h=Sum("hours"))
    )
    people = Staff.objects.filter(pk__in=totals).select_related("user")
    rows = [PersonHours(s.pk, str(s), totals[s.pk]) for s in people]
    return sorted(rows, key=lambda r: (-r.hours, r.name))


def region_municipalities(actor: access.Actor) -> QuerySet[Municipality]:
    """The municipalities a programme of the actor's region may cover (ended ones too: a
    programme may lie in the past)."""
    return Municipality.objects.filter(region_id=actor.region_id).order_by("name")


def target_municipalities(programme: Programme) -> QuerySet[Municipality]:
    """Where a target of ``programme`` may be set: the programme's municipalities, or any of
    the region's for a programme of the whole region."""
    own = programme.municipalities.all()
    if own.exists():
        return own.order_by("name")
    return Municipality.objects.filter(region_id=programme.region_id).order_by("name")
