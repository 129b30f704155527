"""From records to facts: one function per stream of ``monitoring.kpis``.

Each stream reads one region's records with ``values_list`` (no model instances, an iterator
for the large ones) and yields ``kpis.Fact``: the day it counts, the cell (municipality, team,
staff member) and what the KPI needs. Which cell:

- employer facts: the employer's municipality and its relationship manager (owner);
- candidate facts: the candidate's municipality and their consultant (or else their client
  manager), at the moment of computing: a dashboard shows today's caseloads;
- placement facts: the candidate's municipality and the placement's owner;
- meeting facts: the meeting's municipality, no staff member.

This is a system computation over the whole region (the values are counts, never names);
who may see which records is decided where the records are shown: the drill-down reads
through the access layer (``monitoring.selectors.records_behind``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.db.models import F, Min, Q
from django.db.models.functions import Coalesce

from werkbrug.monitoring import kpis
from werkbrug.monitoring.kpis import ONE, ZERO, Fact

CHUNK = 5000
#: Fewer hours a week than this is part-time work (K5).
FULL_TIME_HOURS = Decimal(36)
#: Follow-ups of a conversation that lead towards work (M3).
WORK_FOLLOW_UPS = (
    "kennismaking",
    "proefplaats",
    "werkervaringsplaats",
    "sollicitatie",
    "baanaanbod",
)


class Context:
    """What every stream of one region needs: the region, its staff's teams, the day."""

    def __init__(self, region_id: int, today: dt.date) -> None:
        from werkbrug.regions.models import Staff

        self.region_id = region_id
        self.today = today
        self.team_of: dict[int, int | None] = dict(
            Staff.objects.filter(organisation__region_id=region_id).values_list("pk", "team_id")
        )

    def team(self, staff_id: int | None) -> int | None:
        return self.team_of.get(staff_id) if staff_id else None


def _employer_contacts(ctx: Context) -> Iterator[Fact]:
    from werkbrug.employers.models import VISIT_CHANNELS, ContactMoment

    rows = (
        ContactMoment.objects.filter(
            employer__region_id=ctx.region_id, employer__merged_into__isnull=True
        )
        .values_list(
            "pk",
            "date",
            "channel",
            "employer_id",
            "employer__municipality_id",
            "employer__owner_id",
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    )
    for pk, on, channel, employer, municipality, owner in rows:
        yield Fact(
            "contact",
            pk,
            on,
            municipality,
            ctx.team(owner),
            owner,
            key=employer,
            tags=frozenset({"bezoek"}) if channel in VISIT_CHANNELS else frozenset(),
        )


def first_contact(ctx: Context) -> list[Fact]:
    return kpis.first_facts(_employer_contacts(ctx))


def contact_norm(ctx: Context) -> list[Fact]:
    from werkbrug.employers.models import Employer, EmployerPolicy

    policy = EmployerPolicy.objects.filter(region_id=ctx.region_id).first()
    # A relation: an employer with a first contact (recorded, or else its earliest contact).
    relations = {
        pk: kpis.Relation(
            min(d for d in (recorded, earliest) if d), municipality, ctx.team(owner), owner
        )
        for pk, recorded, earliest, municipality, owner in Employer.objects.filter(
            region_id=ctx.region_id, merged_into__isnull=True
        )
        .annotate(earliest=Min("contact_moments__date"))
        .filter(Q(first_contact_on__isnull=False) | Q(earliest__isnull=False))
        .values_list("pk", "first_contact_on", "earliest", "municipality_id", "owner_id")
        .order_by()
        .iterator(chunk_size=CHUNK)
    }
    return kpis.contact_norm_facts(
        _employer_contacts(ctx),
        min_contacts=policy.contacts_per_year if policy else 2,
        min_visits=policy.visits_per_year if policy else 1,
        relations=relations,
        until_year=ctx.today.year,
    )


def _opportunities(ctx: Context) -> Iterable[tuple]:
    from werkbrug.employers.models import WorkOpportunity

    return (
        WorkOpportunity.objects.filter(employer__region_id=ctx.region_id)
        .values_list(
            "pk",
            "opened_on",
            "filled_on",
            "employer_id",
            "employer__municipality_id",
            "employer__owner_id",
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    )


def opportunity_opened(ctx: Context) -> Iterator[Fact]:
    for pk, opened, _filled, employer, municipality, owner in _opportunities(ctx):
        yield Fact("opportunity", pk, opened, municipality, ctx.team(owner), owner, key=employer)


def opportunity_filled(ctx: Context) -> Iterator[Fact]:
    for pk, opened, filled, employer, municipality, owner in _opportunities(ctx):
        if filled is not None:
            days = Decimal(max((filled - opened).days, 0))
            yield Fact(
                "opportunity",
                pk,
                filled,
                municipality,
                ctx.team(owner),
                owner,
                key=employer,
                value=days,
            )


def question_answered(ctx: Context) -> Iterator[Fact]:
    from django.utils import timezone

    from werkbrug.employers.models import EmployerQuestion

    rows = (
        EmployerQuestion.objects.filter(
            employer__region_id=ctx.region_id, answered_at__isnull=False
        )
        .values_list(
            "pk",
            "received_at",
            "answered_at",
            "employer_id",
            "employer__municipality_id",
            "employer__owner_id",
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    )
    for pk, received, answered, employer, municipality, owner in rows:
        hours = Decimal(max((answered - received).total_seconds(), 0) / 3600).quantize(
            Decimal("0.01")
        )
        yield Fact(
            "question",
            pk,
            timezone.localdate(answered),
            municipality,
            ctx.team(owner),
            owner,
            key=employer,
            value=hours,
        )


def employer_placement(ctx: Context, *, paid_only: bool = True) -> Iterator[Fact]:
    """K6 v2: started placements on paid work, in the employer's cell (municipality and
    relationship manager), keyed by employer."""
    from werkbrug.placements.models import WITH_BENEFIT_KEPT, Contract, Placement

    rows = Placement.objects.filter(region_id=ctx.region_id)
    if paid_only:
        rows = rows.exclude(kind__in=WITH_BENEFIT_KEPT).exclude(contract=Contract.NONE)
    for pk, start, employer, municipality, owner in (
        rows.values_list(
            "pk", "start_on", "employer_id", "employer__municipality_id", "employer__owner_id"
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        yield Fact("placement", pk, start, municipality, ctx.team(owner), owner, key=employer)


def employer_activity(ctx: Context) -> Iterator[Fact]:
    """K6 v1: every contact, opened opportunity and started placement, keyed by employer and
    in the employer's cell."""
    yield from _employer_contacts(ctx)
    yield from opportunity_opened(ctx)
    yield from employer_placement(ctx, paid_only=False)


# --- Candidates --------------------------------------------------------------------------------


def _candidate_cell(ctx: Context) -> dict[int, tuple[int | None, int | None, int | None]]:
    """Per candidate of the region: (municipality, team, staff)."""
    from werkbrug.candidates.models import Candidate

    out = {}
    for pk, municipality, staff in (
        Candidate.objects.filter(region_id=ctx.region_id)
        .annotate(responsible=Coalesce(F("consultant_id"), F("client_manager_id")))
        .values_list("pk", "municipality_id", "responsible")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        out[pk] = (municipality, ctx.team(staff), staff)
    return out


def handover(ctx: Context) -> Iterator[Fact]:
    from werkbrug.candidates.models import Handover

    for pk, on, candidate, municipality, staff in (
        Handover.objects.filter(candidate__region_id=ctx.region_id)
        .values_list("pk", "on", "candidate_id", "candidate__municipality_id", "to_staff_id")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        yield Fact("handover", pk, on, municipality, ctx.team(staff), staff, key=candidate)


def _episodes(ctx: Context) -> Iterable[tuple]:
    from werkbrug.candidates.models import ServiceEpisode

    return (
        ServiceEpisode.objects.filter(candidate__region_id=ctx.region_id)
        .values_list("pk", "start", "end", "candidate_id")
        .order_by()
        .iterator(chunk_size=CHUNK)
    )


def episode(ctx: Context) -> Iterator[Fact]:
    cells = _candidate_cell(ctx)
    for pk, start, end, candidate in _episodes(ctx):
        municipality, team, staff = cells.get(candidate, (None, None, None))
        yield Fact("episode", pk, start, municipality, team, staff, key=candidate, until=end)


def episode_ended(ctx: Context) -> Iterator[Fact]:
    cells = _candidate_cell(ctx)
    for pk, start, end, candidate in _episodes(ctx):
        if end is not None and end <= ctx.today:
            municipality, team, staff = cells.get(candidate, (None, None, None))
            yield Fact(
                "episode",
                pk,
                end,
                municipality,
                team,
                staff,
                key=candidate,
                value=Decimal(max((end - start).days, 0)),
            )


def return_(ctx: Context) -> Iterator[Fact]:
    from werkbrug.candidates.models import Return

    for pk, on, reason, candidate, municipality, staff in (
        Return.objects.filter(candidate__region_id=ctx.region_id)
        .values_list("pk", "on", "reason", "candidate_id", "municipality_id", "sent_by_id")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        yield Fact(
            "return",
            pk,
            on,
            municipality,
            ctx.team(staff),
            staff,
            key=candidate,
            tags=frozenset({f"reden:{reason}"}),
        )


# --- Meetings ----------------------------------------------------------------------------------


def meeting_held(ctx: Context) -> Iterator[Fact]:
    from django.utils import timezone

    from werkbrug.meetings.models import Meeting, MeetingStatus

    for pk, starts_at, municipality in (
        Meeting.objects.filter(region_id=ctx.region_id, status=MeetingStatus.HELD)
        .values_list("pk", "starts_at", "municipality_id")
        .order_by()
    ):
        yield Fact("meeting", pk, timezone.localdate(starts_at), municipality)


def meeting_attendance(ctx: Context) -> Iterator[Fact]:
    """M2: candidates who said yes to a held meeting; value 1 when they were there."""
    from django.utils import timezone

    from werkbrug.meetings.models import Invitation, MeetingStatus, Response

    cells = _candidate_cell(ctx)
    for pk, starts_at, candidate, present in (
        Invitation.objects.filter(
            meeting__region_id=ctx.region_id,
            meeting__status=MeetingStatus.HELD,
            candidate__isnull=False,
            response=Response.YES,
        )
        .values_list("pk", "meeting__starts_at", "candidate_id", "present")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        municipality, team, staff = cells.get(candidate, (None, None, None))
        yield Fact(
            "invitation",
            pk,
            timezone.localdate(starts_at),
            municipality,
            team,
            staff,
            key=candidate,
            value=ONE if present is not False else ZERO,
        )


def meeting_follow_up(ctx: Context) -> Iterator[Fact]:
    from django.utils import timezone

    from werkbrug.meetings.models import Conversation, Outcome

    cells = _candidate_cell(ctx)
    for pk, starts_at, candidate in (
        Conversation.objects.filter(
            meeting__region_id=ctx.region_id,
            outcome=Outcome.CLICK,
            follow_up__in=WORK_FOLLOW_UPS,
        )
        .values_list("pk", "meeting__starts_at", "candidate_id")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        municipality, team, staff = cells.get(candidate, (None, None, None))
        yield Fact(
            "conversation",
            pk,
            timezone.localdate(starts_at),
            municipality,
            team,
            staff,
            key=candidate,
        )


# --- Placements --------------------------------------------------------------------------------

_PLACEMENT_FIELDS = (
    "pk",
    "start_on",
    "kind",
    "contract",
    "hours_per_week",
    "employer_id",
    "candidate__municipality_id",
    "owner_id",
    "preceded_by_id",
    "ended_on",
)


def _placements(ctx: Context, *filters: Q) -> Iterable[tuple]:
    from werkbrug.placements.models import Placement

    return (
        Placement.objects.filter(*filters, region_id=ctx.region_id)
        .values_list(*_PLACEMENT_FIELDS)
        .order_by()
        .iterator(chunk_size=CHUNK)
    )


def _placement_fact(ctx: Context, row: tuple) -> Fact:
    pk, start, kind, _contract, hours, employer, municipality, owner, _before, _ended = row
    tags = {f"soort:{kind}"}
    if hours is not None and hours < FULL_TIME_HOURS:
        tags.add("deeltijd")
    return Fact(
        "placement",
        pk,
        start,
        municipality,
        ctx.team(owner),
        owner,
        key=employer,
        tags=frozenset(tags),
    )


def placement(ctx: Context) -> Iterator[Fact]:
    for row in _placements(ctx):
        yield _placement_fact(ctx, row)


def pending_contract(ctx: Context) -> Iterator[Fact]:
    """K2P: a regular job recorded before it starts, from the day it was recorded until its
    start (a STOCK: counted on the days in between)."""
    from django.utils import timezone

    from werkbrug.placements.models import Placement, PlacementKind

    for pk, created, start, employer, municipality, owner in (
        Placement.objects.filter(region_id=ctx.region_id, kind=PlacementKind.REGULAR)
        .values_list(
            "pk", "created_at", "start_on", "employer_id", "candidate__municipality_id", "owner_id"
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        recorded = timezone.localdate(created)
        if recorded < start:
            yield Fact(
                "placement",
                pk,
                recorded,
                municipality,
                ctx.team(owner),
                owner,
                key=employer,
                until=start,
            )


def paid_placement(ctx: Context) -> Iterator[Fact]:
    """K4: started placements on paid work (with a contract, not a benefit kept)."""
    from werkbrug.placements.models import WITH_BENEFIT_KEPT, Contract

    for row in _placements(ctx, ~Q(kind__in=WITH_BENEFIT_KEPT), ~Q(contract=Contract.NONE)):
        yield _placement_fact(ctx, row)


def conversion(ctx: Context) -> Iterator[Fact]:
    """P2: a contract continuing a work-experience place or trial placement."""
    from werkbrug.placements.models import Contract, PlacementKind

    for row in _placements(
        ctx,
        Q(preceded_by__kind__in=(PlacementKind.WORK_EXPERIENCE, PlacementKind.TRIAL)),
        ~Q(contract=Contract.NONE),
    ):
        yield _placement_fact(ctx, row)


def benefit_outflow(ctx: Context) -> Iterator[Fact]:
    """K2B: one per candidate and day whose benefit ended completely because of the work."""
    from werkbrug.placements.models import Outflow, Placement

    seen: set[tuple[int, dt.date]] = set()
    for pk, on, candidate, municipality, owner in (
        Placement.objects.filter(
            region_id=ctx.region_id, outflow=Outflow.FULL, outflow_on__isnull=False
        )
        .values_list("pk", "outflow_on", "candidate_id", "candidate__municipality_id", "owner_id")
        .order_by("outflow_on", "pk")
        .iterator(chunk_size=CHUNK)
    ):
        if (candidate, on) in seen:
            continue
        seen.add((candidate, on))
        yield Fact("placement", pk, on, municipality, ctx.team(owner), owner, key=candidate)


def lks_grant(ctx: Context) -> Iterator[Fact]:
    from werkbrug.placements.models import GrantKind, GrantStatus, InstrumentGrant

    for pk, on, municipality, owner in (
        InstrumentGrant.objects.filter(
            placement__region_id=ctx.region_id,
            kind__in=(GrantKind.LKS, GrantKind.LKS_FORFAIT),
            decided_on__isnull=False,
        )
        .filter(status__in=(GrantStatus.GRANTED, GrantStatus.RUNNING, GrantStatus.ENDED))
        .values_list(
            "pk", "decided_on", "placement__candidate__municipality_id", "placement__owner_id"
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        yield Fact("grant", pk, on, municipality, ctx.team(owner), owner)


def loonwaarde(ctx: Context) -> Iterator[Fact]:
    from werkbrug.placements.models import LoonwaardeAssessment

    for pk, on, pct, municipality, owner in (
        LoonwaardeAssessment.objects.filter(placement__region_id=ctx.region_id)
        .values_list(
            "pk",
            "assessed_on",
            "pct",
            "placement__candidate__municipality_id",
            "placement__owner_id",
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        yield Fact("assessment", pk, on, municipality, ctx.team(owner), owner, value=pct)


def _durability(ctx: Context, months: int) -> Iterator[Fact]:
    """D1: per chain (a placement and the ones continuing it), counted in the month its
    ``months`` are over: 1 when still working then, 0 when not; chains whose day has not come
    are left out."""
    from werkbrug.placements.aftercare import add_months
    from werkbrug.placements.durability import CheckIn, Stretch, lasted
    from werkbrug.placements.models import AftercareCheck

    rows = list(_placements(ctx))
    next_of = {row[8]: row for row in rows if row[8]}
    checks: dict[int, list[CheckIn]] = defaultdict(list)
    for placement_id, done_on, still in (
        AftercareCheck.objects.filter(placement__region_id=ctx.region_id, done_on__isnull=False)
        .values_list("placement_id", "done_on", "still_working")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        checks[placement_id].append(CheckIn(done_on, still))
    for first in rows:
        if first[8]:
            continue  # a continuation: counted with the chain it belongs to
        chain, current = [first], first
        while current[0] in next_of:
            current = next_of[current[0]]
            chain.append(current)
        answer = lasted(
            months,
            [Stretch(row[1], row[9]) for row in chain],
            [c for row in chain for c in checks[row[0]]],
            today=ctx.today,
        )
        if answer is None:
            continue
        fact = _placement_fact(ctx, first)
        yield Fact(
            "placement",
            fact.ref,
            add_months(first[1], months),
            fact.municipality,
            fact.team,
            fact.staff,
            key=first[5],
            value=ONE if answer else ZERO,
        )


def durability_6(ctx: Context) -> Iterator[Fact]:
    return _durability(ctx, 6)


def durability_12(ctx: Context) -> Iterator[Fact]:
    return _durability(ctx, 12)


def no_return(ctx: Context) -> Iterator[Fact]:
    """D2: per full outflow (K2B), counted 12 months later: 1 when no re-entry on benefit."""
    from werkbrug.placements.aftercare import add_months
    from werkbrug.placements.benefit_services import D2_MONTHS
    from werkbrug.placements.durability import no_return_within
    from werkbrug.placements.models import BenefitEvent, BenefitEventKind, Placement

    outflows = list(benefit_outflow(ctx))
    pseudonym = dict(
        Placement.objects.filter(pk__in=[f.ref for f in outflows]).values_list(
            "pk", "candidate__bsn_pseudonym"
        )
    )
    reentries: dict[str, list[dt.date]] = defaultdict(list)
    for code, on in (
        BenefitEvent.objects.filter(
            municipality__region_id=ctx.region_id, kind=BenefitEventKind.REENTRY
        )
        .values_list("bsn_pseudonym", "on")
        .order_by()
        .iterator(chunk_size=CHUNK)
    ):
        reentries[code].append(on)
    for fact in outflows:
        answer = no_return_within(
            D2_MONTHS, fact.on, reentries.get(pseudonym.get(fact.ref, ""), []), today=ctx.today
        )
        if answer is None:
            continue
        yield Fact(
            "placement",
            fact.ref,
            add_months(fact.on, D2_MONTHS),
            fact.municipality,
            fact.team,
            fact.staff,
            key=fact.key,
            value=ONE if answer else ZERO,
        )


STREAMS: dict[str, Callable[[Context], Iterable[Fact]]] = {
    "first_contact": first_contact,
    "contact_norm": contact_norm,
    "employer_activity": employer_activity,
    "employer_placement": employer_placement,
    "opportunity_opened": opportunity_opened,
    "opportunity_filled": opportunity_filled,
    "question_answered": question_answered,
    "handover": handover,
    "episode": episode,
    "episode_ended": episode_ended,
    "return": return_,
    "meeting_held": meeting_held,
    "meeting_attendance": meeting_attendance,
    "meeting_follow_up": meeting_follow_up,
    "placement": placement,
    "paid_placement": paid_placement,
    "pending_contract": pending_contract,
    "conversion": conversion,
    "benefit_outflow": benefit_outflow,
    "lks_grant": lks_grant,
    "loonwaarde": loonwaarde,
    "durability_6": durability_6,
    "durability_12": durability_12,
    "no_return": no_return,
}
