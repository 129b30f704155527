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
    return access.scoped(KpiValue, actor)


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
    municipalities): sums, or for a STOCK the last month's. Periods are the KPI's own."""
    rows = _values(actor).filter(
        kpi=kpi.code,
        kpi_version=kpi.version,
        dimension=dimension,
        member__in=list(members),
        part="",
        period_start__gte=start,
        period_start__lt=end,
    )
    if kpi.kind == kpis.Kind.STOCK:
        last = rows.order_by("-period_start").values_list("period_start", flat=True).first()
        rows = rows.filter(period_start=last) if last else rows.none()
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
        period_start__gte=start,
        period_start__lt=end,
    )
    per: dict[int, list[tuple[dt.date, Amount]]] = defaultdict(list)
    for member, period, numerator, denominator in rows.values_list(
        "member", "period_start", "numerator", "denominator"
    ):
        per[member].append((period, Amount(numerator, denominator)))
    return {member: kpis.total(kpi, amounts) for member, amounts in per.items()}


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
    """The first month with a computed value in the actor's region: Werkbrug's records begin."""
    return _values(actor).order_by("period_start").values_list("period_start", flat=True).first()


def _has_observations(target: Target) -> bool:
    return Observation.objects.filter(
        region_id=target.programme.region_id,
        kpi=target.kpi,
        start_on__gte=target.start_on,
        end_on__lte=target.end_on,
    ).exists()


def _observed(target: Target, members: list[int]) -> Decimal:
    """Imported figures that count as realisation: of the target's municipality; for a
    target of the whole programme the region's own figures (no municipality, no other area)
    when there are any for the period, else the programme's municipalities' together."""
    rows = Observation.objects.filter(
        region_id=target.programme.region_id,
        kpi=target.kpi,
        start_on__gte=target.start_on,
        end_on__lte=target.end_on,
    )
    if not target.municipality_id:
        whole = rows.filter(municipality__isnull=True, area="")
        if whole.exists():
            return whole.aggregate(v=Sum("value"))["v"] or Decimal(0)
    own = rows.filter(municipality_id__in=members)
    return own.aggregate(v=Sum("value"))["v"] or Decimal(0)


def target_rows(
    actor: access.Actor, programme: Programme, *, on: dt.date | None = None
) -> list[TargetRow]:
    """Each target of the programme with its realisation (computed values plus imported
    figures of the same municipalities and period) and its status on ``on``."""
    on = on or timezone.localdate()
    municipalities = [m.pk for m in programme.municipalities.all()]
    first = first_period(actor)
    out = []
    for target in programme.targets.all():
        kpi = kpis.current(target.kpi, min(on, target.end_on - dt.timedelta(days=1)))
        members = [target.municipality_id] if target.municipality_id else municipalities
        dimension = Dimension.MUNICIPALITY
        if not members:
            dimension, members = Dimension.REGION, [0]
        computed = Decimal(0)
        amount = Amount()
        if kpi is not None:
            amount = amount_over(
                actor,
                kpi,
                dimension=dimension,
                members=members,
                start=target.start_on,
                end=target.end_on,
            )
            computed = kpis.value_of(kpi, amount) or Decimal(0)
        observed = _observed(target, members)
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
        no_data = (
            amount.denominator == 0
            and not observed
            and (first is None or target.end_on <= first)
            and not _has_observations(target)
        )
        out.append(TargetRow(target, kpi, realised, Decimal(observed), attainment, no_data))
    return out
