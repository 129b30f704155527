"""Writes of the monitoring app. The main one: ``refresh`` rebuilds a region's KPI values
from its records (a daily task and ``werkbrug refresh-kpis``); dashboards and reports then
read a small table instead of counting millions of records on every page."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from werkbrug.monitoring import facts, kpis
from werkbrug.monitoring.models import KpiRefresh, KpiValue

#: The first month computed: Werkbrug has no records before this (older figures are
#: imported as observations).
HISTORY_START = dt.date(2010, 1, 1)
BATCH = 2000


@dataclass(frozen=True)
class Refreshed:
    facts: int
    values: int
    seconds: float


def refresh(*, region_id: int, today: dt.date | None = None) -> Refreshed:
    """Recompute every KPI (all versions) of the region, for every month (year) from
    ``HISTORY_START`` up to and including today (a placement starting later this month does
    not count yet; this month's stock is today's), in every dimension; replace the
    region's values in one transaction, so a dashboard never sees half a refresh."""
    started = time.monotonic()
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=1)  # up to and including today: nothing counts early
    ctx = facts.Context(region_id, today)
    by_stream: dict[str, list[kpis.Kpi]] = defaultdict(list)
    for kpi in kpis.DEFINITIONS:
        by_stream[kpi.stream].append(kpi)
    rows: list[KpiValue] = []
    fact_count = 0
    for stream, defined in sorted(by_stream.items()):
        measurers = [kpis.Measurer(k, start=HISTORY_START, end=end) for k in defined]
        for fact in facts.STREAMS[stream](ctx):
            fact_count += 1
            for measurer in measurers:
                measurer.add(fact)
        for measurer in measurers:
            kpi = measurer.kpi
            for dimension in kpis.Dimension:
                for (period, member, part), amount in measurer.table(dimension).items():
                    rows.append(
                        KpiValue(
                            region_id=region_id,
                            kpi=kpi.code,
                            kpi_version=kpi.version,
                            grain=kpi.grain,
                            period_start=period,
                            dimension=dimension,
                            member=member,
                            part=part[:40],
                            numerator=amount.numerator,
                            denominator=amount.denominator,
                        )
                    )
    with transaction.atomic():
        KpiValue.objects.filter(region_id=region_id).delete()
        KpiValue.objects.bulk_create(rows, batch_size=BATCH)
        seconds = time.monotonic() - started
        KpiRefresh.objects.update_or_create(
            region_id=region_id,
            defaults={
                "refreshed_at": timezone.now(),
                "seconds": seconds,
                "facts": fact_count,
                "values": len(rows),
            },
        )
    return Refreshed(facts=fact_count, values=len(rows), seconds=seconds)
