"""Index figures per municipality (WerkBedrijf Bijlage 2): a KPI per year as an index on a
chosen base year (= 100), so municipalities of different sizes can be compared; years with
few cases are flagged (an index on 8 placements jumps). Figures imported for a municipality
(years before Werkbrug) fill the years without computed values.

And where the work is: placements by the candidate's municipality against the employer's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from werkbrug.core import access
from werkbrug.monitoring import index, kpis, selectors
from werkbrug.monitoring.kpis import Dimension, Kpi
from werkbrug.monitoring.models import Observation
from werkbrug.regions.models import Municipality


@dataclass(frozen=True)
class IndexRow:
    name: str
    values: dict[int, Decimal | None]
    indices: dict[int, int | None]
    small: set[int]
    imported: set[int]  # years taken from imported figures


@dataclass(frozen=True)
class IndexTable:
    kpi: Kpi
    base_year: int
    years: list[int]
    rows: list[IndexRow]  # the region first, then each municipality


def _yearly(
    actor: access.Actor, kpi: Kpi, dimension: Dimension, years: list[int]
) -> dict[int, dict[int, Decimal | None]]:
    """Per member, per year: the KPI's value (from the computed monthly or yearly values)."""
    out: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for year in years:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        for member, amount in selectors.by_member(
            actor, kpi, dimension=dimension, start=start, end=end
        ).items():
            out[member][year] = kpis.value_of(kpi, amount)
    return out


def index_table(
    actor: access.Actor, code: str, *, base_year: int, last_year: int, first_year: int
) -> IndexTable | None:
    kpi = kpis.current(code, dt.date(last_year, 12, 31)) or (kpis.for_code(code) or [None])[-1]
    if kpi is None:
        return None
    years = list(range(first_year, last_year + 1))
    municipalities = list(
        Municipality.objects.filter(region_id=actor.region_id)
        .exclude(ended_on__lte=dt.date(first_year, 1, 1))
        .order_by("name")
    )
    region = _yearly(actor, kpi, Dimension.REGION, years).get(0, {})
    per = _yearly(actor, kpi, Dimension.MUNICIPALITY, years)
    imported: dict[int | None, dict[int, Decimal]] = defaultdict(dict)
    for municipality_id, start, end, value in (
        access.scoped(Observation, actor)
        .filter(kpi=code, area="")
        .values_list("municipality_id", "start_on", "end_on", "value")
    ):
        # Whole calendar years only: an index compares years.
        if start.month == 1 and start.day == 1 and end == dt.date(start.year + 1, 1, 1):
            imported[municipality_id][start.year] = value

    def row(name: str, computed: dict[int, Decimal | None], extra: dict[int, Decimal]) -> IndexRow:
        values: dict[int, Decimal | None] = {}
        taken: set[int] = set()
        for year in years:
            value = computed.get(year)
            if value is None and year in extra:
                value = extra[year]
                taken.add(year)
            values[year] = value
        return IndexRow(
            name=name,
            values=values,
            indices=index.index_series(values, base_year),
            small=index.small_numbers(values) if kpi.kind == kpis.Kind.COUNT else set(),
            imported=taken,
        )

    rows = [row("Regio", region, imported.get(None, {}))]
    rows += [row(m.name, per.get(m.pk, {}), imported.get(m.pk, {})) for m in municipalities]
    return IndexTable(kpi=kpi, base_year=base_year, years=years, rows=rows)


@dataclass(frozen=True)
class WhereTable:
    municipalities: list[str]
    counts: dict[tuple[str, str], int]  # (candidate's municipality, employer's) → placements
    row_totals: dict[str, int]
    column_totals: dict[str, int]
    total: int

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        """Per candidate's municipality: the counts per employer's municipality and the total."""
        return [
            (
                home,
                [self.counts.get((home, work), 0) for work in self.municipalities],
                self.row_totals[home],
            )
            for home in self.municipalities
        ]


def where_the_work_is(actor: access.Actor, *, year: int) -> WhereTable:
    """Placements started in ``year`` in the actor's region: the candidate's municipality
    (rows) against the employer's (columns). Counts only, one query."""
    from werkbrug.placements.models import Placement

    rows = (
        Placement.objects.filter(
            region_id=actor.region_id,
            start_on__gte=dt.date(year, 1, 1),
            start_on__lt=dt.date(year + 1, 1, 1),
        )
        .values_list("candidate__municipality__name", "employer__municipality__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    for home, work, n in rows:
        key = (home or "Onbekend", work or "Buiten de regio of onbekend")
        counts[key] = counts.get(key, 0) + n
    names = sorted({k[0] for k in counts} | {k[1] for k in counts})
    row_totals = {name: sum(n for (h, _w), n in counts.items() if h == name) for name in names}
    column_totals = {name: sum(n for (_h, w), n in counts.items() if w == name) for name in names}
    return WhereTable(names, counts, row_totals, column_totals, sum(counts.values()))
