"""Reads for placements: the lists (through the scope rule), one placement with its chain,
the aftercare due for a person, and the alerts before a planned end."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from werkbrug.core import access
from werkbrug.placements.durability import CheckIn, Stretch, lasted
from werkbrug.placements.models import (
    AftercareCheck,
    InstrumentGrant,
    Placement,
    PlacementStatus,
)

OPEN = (PlacementStatus.PLANNED, PlacementStatus.RUNNING)


def placements(actor: access.Actor) -> QuerySet[Placement]:
    return access.scoped(Placement, actor).select_related(
        "candidate", "employer", "opportunity", "owner__user"
    )


def placement_list(
    actor: access.Actor,
    *,
    staff_id: int | None = None,
    statuses: tuple[str, ...] = (),
    ending_soon: QuerySet[AftercareCheck] | None = None,
) -> QuerySet[Placement]:
    """The list: of whom ``staff_id`` looks after (None: all the actor may see), in
    ``statuses``, only those with a "before the end" alert in ``ending_soon``; each with the
    date of its next open check-in (``next_check_on``), newest first, in one query."""
    queryset = placements(actor)
    if staff_id is not None:
        queryset = queryset.filter(owner_id=staff_id)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if ending_soon is not None:
        queryset = queryset.filter(pk__in=ending_soon.values("placement_id"))
    return queryset.annotate(
        next_check_on=Min("checks__due_on", filter=Q(checks__done_on__isnull=True))
    ).order_by("-start_on", "-id")


def placement_for_view(actor: access.Actor, uuid: object) -> Placement:
    """One placement (the read is logged: it describes a person)."""
    queryset = (
        placements(actor)
        .select_related(
            "preceded_by",
            "rule_set",
            "conversation__meeting",
            "shortlist_entry__opportunity__employer",
        )
        .prefetch_related(
            Prefetch("checks", queryset=AftercareCheck.objects.order_by("due_on", "id")),
            Prefetch(
                "grants",
                queryset=InstrumentGrant.objects.select_related("rule_set", "arranged_by__user"),
            ),
            "assessments",
        )
    )
    return access.get_for_view(queryset, actor, uuid, purpose="placement")


def placed_from(
    actor: access.Actor, *, conversations: Iterable[int] = (), shortlist_entries: Iterable[int] = ()
) -> dict[tuple[str, int], Placement]:
    """The first placement the actor may see that came from each conversation or shortlist
    entry, keyed ``("conversation", id)`` or ``("shortlist_entry", id)``; so the meeting page
    and the shortlist say "Placed" with a link where they would otherwise offer "Place"."""
    conversations, shortlist_entries = set(conversations), set(shortlist_entries)
    if not (conversations or shortlist_entries) or not access.can(actor, "placements.view"):
        return {}
    rows = (
        access.scoped(Placement, actor)
        .filter(Q(conversation_id__in=conversations) | Q(shortlist_entry_id__in=shortlist_entries))
        .only("uuid", "status", "start_on", "conversation_id", "shortlist_entry_id")
        .order_by("-start_on", "-id")  # the earliest is written last, so it stays
    )
    out: dict[tuple[str, int], Placement] = {}
    for p in rows:
        if p.conversation_id in conversations:
            out[("conversation", p.conversation_id)] = p
        if p.shortlist_entry_id in shortlist_entries:
            out[("shortlist_entry", p.shortlist_entry_id)] = p
    return out


def chain(placement: Placement) -> list[Placement]:
    """The placement with those it continues and those that continue it, oldest first."""
    out = [placement]
    current = placement
    while current.preceded_by_id:
        current = Placement.objects.get(pk=current.preceded_by_id)
        out.insert(0, current)
    current = placement
    while (nxt := Placement.objects.filter(preceded_by=current).first()) is not None:
        out.append(nxt)
        current = nxt
    return out


def checks_due(
    actor: access.Actor, *, staff_id: int | None, on: dt.date | None = None
) -> QuerySet[AftercareCheck]:
    """Open check-ins of the placements someone looks after, due on or before ``on``."""
    on = on or timezone.localdate()
    return (
        access.scoped(AftercareCheck, actor)
        .filter(done_on__isnull=True, due_on__lte=on, placement__owner_id=staff_id)
        .select_related("placement__candidate", "placement__employer")
        .order_by("due_on", "id")
    )


def ending_soon(
    actor: access.Actor, *, on: dt.date | None = None, staff_id: int | None = None
) -> QuerySet[AftercareCheck]:
    """The "before the end: next step" alerts that have come (open placements only): extend,
    convert, or a next placement. With ``staff_id``: only of the placements they look after."""
    on = on or timezone.localdate()
    mine = {"placement__owner_id": staff_id} if staff_id is not None else {}
    return (
        access.scoped(AftercareCheck, actor)
        .filter(**mine)
        .filter(
            kind=AftercareCheck.Kind.BEFORE_END,
            done_on__isnull=True,
            due_on__lte=on,
            placement__status__in=OPEN,
        )
        .select_related("placement__candidate", "placement__employer", "placement__owner__user")
        .order_by("placement__planned_end_on", "id")
    )


@dataclass(frozen=True)
class Durability:
    """Of the chains of work that started in a period: how many were still working after 6
    and 12 months (D1), of those whose day has come."""

    started: int
    known_6: int
    lasted_6: int
    known_12: int
    lasted_12: int

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return None if whole == 0 else part / whole


def durability(
    actor: access.Actor, *, start_from: dt.date, start_to: dt.date, today: dt.date | None = None
) -> Durability:
    """D1 over the chains (a placement with the ones continuing it) whose first placement
    started in [start_from, start_to]; three queries."""
    today = today or timezone.localdate()
    rows = list(
        placements(actor)
        .select_related(None)
        .only("pk", "preceded_by_id", "start_on", "ended_on", "status")
    )
    by_pk = {p.pk: p for p in rows}
    next_of = {p.preceded_by_id: p for p in rows if p.preceded_by_id}
    checks: dict[int, list[CheckIn]] = defaultdict(list)
    for placement_id, done_on, still in AftercareCheck.objects.filter(
        placement_id__in=by_pk, done_on__isnull=False
    ).values_list("placement_id", "done_on", "still_working"):
        checks[placement_id].append(CheckIn(done_on, still))
    counts = [0, 0, 0, 0, 0]
    for first in rows:
        if first.preceded_by_id or not start_from <= first.start_on <= start_to:
            continue
        chain, current = [first], first
        while current.pk in next_of:
            current = next_of[current.pk]
            chain.append(current)
        stretches = [Stretch(p.start_on, p.ended_on) for p in chain]
        found = [c for p in chain for c in checks[p.pk]]
        counts[0] += 1
        for i, months in ((1, 6), (3, 12)):
            answer = lasted(months, stretches, found, today=today)
            if answer is not None:
                counts[i] += 1
                counts[i + 1] += answer
    return Durability(*counts)
