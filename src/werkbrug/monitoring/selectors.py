"""Reads of the monitoring app: KPI series and comparisons from the computed values, the
programmes with the attainment of their targets.

Every read takes the actor and stays within their region (``access.scoped``); the values
are counts, so every role with ``monitoring.view`` sees the whole region's numbers. A few
queries per page, whatever the size of the region: the values are pre-computed per month
(``services.refresh``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from werkbrug.core import access
from werkbrug.monitoring import kpis, targets
from werkbrug.monitoring.kpis import Amount, Dimension, Grain, Kpi
from werkbrug.monitoring.models import KpiRefresh, KpiValue, Observation, Programme, Target


class Granularity:
    MONTH = "maand"
    QUARTER = "kwartaal"
    YEAR = "jaar"
    ALL = (MONTH, QUARTER, YEAR)


MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def bucket(day: dt.date, granularity: str) -> dt.date:
    """The first day of the month, quarter or year ``day`` falls in."""
    if granularity == Granularity.YEAR:
        return dt.date(day.year, 1, 1)
    if granularity == Granularity.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day.replace(day=1)


def bucket_label(start: dt.date, granularity: str) -> str:
    if granularity == Granularity.YEAR:
        return str(start.year)
    if granularity == Granularity.QUARTER:
        return f"K{(start.month - 1) // 3 + 1} {start.year}"
    return f"{MONTHS_NL[start.month - 1]} {start.year}"


def buckets(start: dt.date, end: dt.date, granularity: str) -> list[dt.date]:
    """The periods of ``granularity`` that begin in [bucket(start), end)."""
    out, day = [], bucket(start, granularity)
    while day < end:
        out.append(day)
        step = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}[granularity]
        month = day.month - 1 + step
        day = dt.date(day.year + month // 12, month % 12 + 1, 1)
    return out


@dataclass(frozen=True)
class Point:
    start: dt.date
    label: str
    amount: Amount
    value: Decimal | None


def _values(actor: access.Actor) -> QuerySet[KpiValue]:
    """The computed values of the actor's own region (also for a superuser, who may see every
    region's: a dashboard is always one region's)."""
    return access.scoped(KpiValue, actor).filter(region_id=actor.region_id)


def granularity_for(kpi: Kpi, wanted: str) -> str:
    """A YEAR-grain KPI (unique relations, the contact norm) has only yearly values."""
    return Granularity.YEAR if kpi.grain == Grain.YEAR else wanted


def series(
    actor: access.Actor,
    kpi: Kpi,
    *,
    dimension: Dimension = Dimension.REGION,
    member: int = 0,
    start: dt.date,
    end: dt.date,
    granularity: str = Granularity.MONTH,
    part: str = "",
) -> list[Point]:
    """The KPI per month, quarter or year in [start, end), for one cell; one query."""
    granularity = granularity_for(kpi, granularity)
    rows = _values(actor).filter(
        kpi=kpi.code,
        kpi_version=kpi.version,
        dimension=dimension,
        member=member,
        part=part,
        period_start__gte=bucket(start, Granularity.YEAR if kpi.grain == Grain.YEAR else "maand"),
        period_start__lt=end,
    )
    grouped: dict[dt.date, list[tuple[dt.date, Amount]]] = defaultdict(list)
    for period, numerator, denominator in rows.values_list(
        "period_start", "numerator", "denominator"
    ):
        grouped[bucket(period, granularity)].append((period, Amount(numerator, denominator)))
    out = []
    month_grain = kpi.grain == Grain.MONTH
    for b in buckets(start, end, granularity):
        # A stock is the bucket's last month measured (zero when nothing is stored for it).
        last = None
        if kpi.kind == kpis.Kind.STOCK:
            following = buckets(b, dt.date(b.year + 2, 1, 1), granularity)[1]
            last = min(following, end) - dt.timedelta(days=1)
            last = last.replace(day=1) if month_grain else dt.date(last.year, 1, 1)
        amount = kpis.total(kpi, grouped.get(b, []), last=last)
        out.append(Point(b, bucket_label(b, granularity), amount, kpis.value_of(kpi, amount)))
    return out


def amount_over(
    actor: access.Actor,
    kpi: Kpi,
    *,
    dimension: Dimension = Dimension.REGION,
    members: Iterable[int] = (0,),
    start: dt.date,
    end: dt.date,
) -> Amount:
    """The KPI over [start, end) for one or more cells together (a programme's
    municipalities): sums over whole periods of the KPI (a year-grain KPI from 1 January), or
    for a STOCK the period's last month (zero when nothing is stored for it)."""
    rows = _values(actor).filter(
        kpi=kpi.code,
        kpi_version=kpi.version,
        dimension=dimension,
        member__in=list(members),
        part="",
        period_start__gte=kpis.period_of(kpi, start),
        period_start__lt=end,
    )
    if kpi.kind == kpis.Kind.STOCK:
        rows = rows.filter(period_start=kpis.period_of(kpi, end - dt.timedelta(days=1)))
    totals = rows.aggregate(n=Sum("numerator"), d=Sum("denominator"))
    return Amount(totals["n"] or Decimal(0), totals["d"] or Decimal(0))


def by_member(
    actor: access.Actor, kpi: Kpi, *, dimension: Dimension, start: dt.date, end: dt.date
) -> dict[int, Amount]:
    """The KPI over [start, end) per member of ``dimension`` (municipalities side by side);
    one query."""
    rows = _values(actor).filter(
        kpi=kpi.code,
        kpi_version=kpi.version,
        dimension=dimension,
        part="",
        period_start__gte=kpis.period_of(kpi, start),
        period_start__lt=end,
    )
    per: dict[int, list[tuple[dt.date, Amount]]] = defaultdict(list)
    for member, period, numerator, denominator in rows.values_list(
        "member", "period_start", "numerator", "denominator"
    ):
        per[member].append((period, Amount(numerator, denominator)))
    last = kpis.period_of(kpi, end - dt.timedelta(days=1)) if kpi.kind == kpis.Kind.STOCK else None
    return {member: kpis.total(kpi, amounts, last=last) for member, amounts in per.items()}


def parts(
    actor: access.Actor,
    kpi: Kpi,
    *,
    dimension: Dimension = Dimension.REGION,
    member: int = 0,
    start: dt.date,
    end: dt.date,
) -> dict[str, Amount]:
    """A KPI with a breakdown (placements by kind, returns by reason) over [start, end)."""
    rows = (
        _values(actor)
        .filter(
            kpi=kpi.code,
            kpi_version=kpi.version,
            dimension=dimension,
            member=member,
            period_start__gte=start,
            period_start__lt=end,
        )
        .exclude(part="")
        .values_list("part")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
    )
    return {part: Amount(n, d) for part, n, d in rows}


def observations(actor: access.Actor, code: str) -> QuerySet[Observation]:
    """Figures from outside Werkbrug for KPI ``code``: other regions, earlier years, reports."""
    return (
        access.scoped(Observation, actor)
        .filter(kpi=code)
        .select_related("municipality")
        .order_by("-start_on", "area", "municipality__name")
    )


def last_refresh(actor: access.Actor) -> KpiRefresh | None:
    if not actor.region_id:
        return None
    return KpiRefresh.objects.filter(region_id=actor.region_id).first()


# --- Programmes and targets ------------------------------------------------------------------


def programmes(actor: access.Actor) -> QuerySet[Programme]:
    return access.scoped(Programme, actor).prefetch_related(
        "municipalities",
        Prefetch("targets", queryset=Target.objects.select_related("municipality")),
    )


def programme_for_view(actor: access.Actor, uuid: object) -> Programme:
    return access.get_for_view(programmes(actor), actor, uuid, purpose="programme")


@dataclass(frozen=True)
class TimeSummary:
    hours: Decimal
    by_activity: list[tuple[str, Decimal]]
    agreed_hours: Decimal | None  # capacity × weeks so far × 8 hours a day
    weeks: int


HOURS_A_DAY = Decimal(8)


def time_summary(actor: access.Actor, programme: Programme, *, on: dt.date) -> TimeSummary:
    """Hours logged against the programme (by activity) against the agreed capacity up to
    ``on``; one query. The actor sees their own hours, or everyone's with monitoring.manage."""
    from werkbrug.monitoring.models import Activity, TimeEntry

    rows = (
        access.scoped(TimeEntry, actor)
        .filter(programme=programme, on__lt=on)
        .values_list("activity")
        .annotate(h=Sum("hours"))
    )
    per = dict(rows)
    labels = dict(Activity.choices)
    by_activity = [(str(labels[a]), per[a]) for a in Activity.values if a in per]
    total = sum(per.values(), Decimal(0))
    until = min(on, programme.end_on)
    weeks = max((until - programme.start_on).days, 0) // 7
    agreed = (
        programme.capacity_days_per_week * HOURS_A_DAY * weeks
        if programme.capacity_days_per_week is not None
        else None
    )
    return TimeSummary(hours=total, by_activity=by_activity, agreed_hours=agreed, weeks=weeks)


@dataclass(frozen=True)
class TargetRow:
    target: Target
    kpi: Kpi | None
    realised: Decimal
    observed: Decimal  # the part of ``realised`` from imported figures
    attainment: targets.Attainment
    #: Nothing recorded or imported for the period, which lies before Werkbrug's first
    #: records: the status cannot be judged (a zero would wrongly read as "not met").
    no_data: bool = False


def first_period(actor: access.Actor) -> dt.date | None:
    """The first month with a computed value in the actor's region: Werkbrug's records begin.

    Every fact counts in the region cell, so that cell's first period is the region's; reading
    only it lets the (region, dimension, member, …) index answer instead of every cell's rows.
    """
    return (
        _values(actor)
        .filter(dimension=Dimension.REGION, member=0)
        .order_by("period_start")
        .values_list("period_start", flat=True)
        .first()
    )


@dataclass(frozen=True)
class _Plan:
    """What one target is measured on: the KPI version, the cell(s) and the period."""

    programme: Programme
    target: Target
    kpi: Kpi | None
    dimension: Dimension
    members: list[int]
    on: dt.date


def _plan(programme: Programme, target: Target, on: dt.date, municipalities: list[int]) -> _Plan:
    kpi = kpis.current(target.kpi, min(on, target.end_on - dt.timedelta(days=1)))
    members = [target.municipality_id] if target.municipality_id else municipalities
    dimension = Dimension.MUNICIPALITY
    if not members:
        dimension, members = Dimension.REGION, [0]
    return _Plan(programme, target, kpi, dimension, members, on + dt.timedelta(days=1))


def _computed(
    plan: _Plan, values: dict[tuple[int, str, int, str, int], list[tuple[dt.date, Amount]]]
) -> Amount:
    """The computed values over the target's period for its cells together: summed, or for a
    STOCK the latest month stored (summed over the cells)."""
    kpi, target = plan.kpi, plan.target
    if kpi is None:
        return Amount()
    found = [
        (period, amount)
        for member in plan.members
        for period, amount in values.get(
            (plan.programme.region_id, kpi.code, kpi.version, plan.dimension, member), []
        )
        if kpis.period_of(kpi, target.start_on) <= period < target.end_on
    ]
    if kpi.kind == kpis.Kind.STOCK:
        # The stock on the target's last month (or today's, while it runs); zero if none.
        last = kpis.period_of(kpi, min(plan.on, target.end_on) - dt.timedelta(days=1))
        found = [(period, amount) for period, amount in found if period == last]
    out = Amount()
    for _period, amount in found:
        out += amount
    return out


def _observed(plan: _Plan, figures: list[Observation]) -> Decimal:
    """Imported figures that count as realisation: of the target's municipality; for a
    target of the whole programme the region's own figures (no municipality, no other area)
    when there are any for the period, else the programme's municipalities' together.
    ``figures``: the region's figures of the KPI within the target's period."""
    if not plan.target.municipality_id:
        whole = [f.value for f in figures if f.municipality_id is None and not f.area]
        if whole:
            return sum(whole, Decimal(0))
    return sum((f.value for f in figures if f.municipality_id in plan.members), Decimal(0))


def target_rows_for(
    actor: access.Actor, programmes: Iterable[Programme], *, on: dt.date | None = None
) -> dict[int, list[TargetRow]]:
    """``target_rows`` of several programmes (by programme id), in three queries whatever
    their number and that of their targets, when their municipalities and targets are
    prefetched (``programmes()``): the first period, the computed values, the imported
    figures."""
    on = on or timezone.localdate()
    programmes = list(programmes)
    plans = [
        _plan(programme, target, on, [m.pk for m in programme.municipalities.all()])
        for programme in programmes
        for target in programme.targets.all()
    ]
    out: dict[int, list[TargetRow]] = {programme.pk: [] for programme in programmes}
    if not plans:
        return out
    first = first_period(actor)
    regions = {plan.programme.region_id for plan in plans}
    start = min(dt.date(plan.target.start_on.year, 1, 1) for plan in plans)
    end = max(plan.target.end_on for plan in plans)
    measured = [plan for plan in plans if plan.kpi is not None]
    values: dict[tuple[int, str, int, str, int], list[tuple[dt.date, Amount]]] = defaultdict(list)
    if measured:
        rows = _values(actor).filter(
            region_id__in=regions,
            kpi__in={plan.kpi.code for plan in measured if plan.kpi},
            dimension__in={plan.dimension for plan in measured},
            member__in={member for plan in measured for member in plan.members},
            part="",
            period_start__gte=start,
            period_start__lt=end,
        )
        for region, code, version, dimension, member, period, n, d in rows.values_list(
            "region_id",
            "kpi",
            "kpi_version",
            "dimension",
            "member",
            "period_start",
            "numerator",
            "denominator",
        ):
            values[(region, code, version, dimension, member)].append((period, Amount(n, d)))
    figures: dict[tuple[int, str], list[Observation]] = defaultdict(list)
    for figure in Observation.objects.filter(
        region_id__in=regions,
        kpi__in={plan.target.kpi for plan in plans},
        start_on__gte=start,
        end_on__lte=end,
    ).only("region_id", "kpi", "municipality_id", "area", "start_on", "end_on", "value"):
        figures[(figure.region_id, figure.kpi)].append(figure)
    for plan in plans:
        target, kpi, programme = plan.target, plan.kpi, plan.programme
        amount = _computed(plan, values)
        computed = (kpis.value_of(kpi, amount) or Decimal(0)) if kpi is not None else Decimal(0)
        in_period = [
            f
            for f in figures.get((programme.region_id, target.kpi), [])
            if f.start_on >= target.start_on and f.end_on <= target.end_on
        ]
        observed = _observed(plan, in_period)
        realised = computed + observed
        attainment = targets.attainment(
            targets.Target(
                value=target.value,
                start=target.start_on,
                end=target.end_on,
                tolerance_pct=target.tolerance_pct
                if target.tolerance_pct is not None
                else programme.tolerance_pct,
                higher_is_better=kpi.higher_is_better if kpi else True,
                # A count builds up over the period; a share, mean or stock is a level.
                cumulative=kpi is None or kpi.kind == kpis.Kind.COUNT,
            ),
            realised,
            on,
        )
        counting = [
            f
            for f in in_period
            if f.municipality_id in plan.members
            or (not target.municipality_id and f.municipality_id is None and not f.area)
        ]
        no_data = (
            amount.denominator == 0
            and not counting  # another area's benchmark is no realisation
            and (first is None or target.end_on <= first)
        )
        out[programme.pk].append(
            TargetRow(target, kpi, realised, Decimal(observed), attainment, no_data)
        )
    return out


def target_rows(
    actor: access.Actor, programme: Programme, *, on: dt.date | None = None
) -> list[TargetRow]:
    """Each target of the programme with its realisation (computed values plus imported
    figures of the same municipalities and period) and its status on ``on``."""
    return target_rows_for(actor, [programme], on=on)[programme.pk]


def fee_due(programme: Programme, rows: Iterable[TargetRow]) -> Decimal | None:
    """No cure no pay: the programme's fee per result times the results (whole units) of the
    targets whose KPI earns a fee; None when the programme has no fee."""
    if programme.fee_per_result is None:
        return None
    earning = [row for row in rows if row.target.kpi in (programme.fee_kpis or [])]
    # A result counts once: per KPI the municipalities' targets, or else the programme's own.
    results = 0
    for code in {row.target.kpi for row in earning}:
        of_kpi = [row for row in earning if row.target.kpi == code]
        local = [row for row in of_kpi if row.target.municipality_id]
        results += sum(int(row.realised.to_integral_value()) for row in (local or of_kpi))
    return targets.fee_due(results, programme.fee_per_result)
