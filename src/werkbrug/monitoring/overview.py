"""What the dashboard, the KPI page and the council report show: the KPI rows with last
year's figures, the targets with their attainment, the year-on-year chart and the
municipalities side by side, as numbers in Dutch notation and SVG charts. Reads go through
``monitoring.selectors`` with the actor; the views and the report renderers only lay it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from werkbrug.core import access
from werkbrug.monitoring import charts, kpis, selectors, targets
from werkbrug.monitoring.kpis import Dimension, Kpi
from werkbrug.regions.models import Municipality

STATUS_BADGES = {
    targets.TargetStatus.ACHIEVED: "badge-success",
    targets.TargetStatus.WITHIN_TOLERANCE: "badge-success",
    targets.TargetStatus.ON_TRACK: "badge-info",
    targets.TargetStatus.BEHIND: "badge-warning",
    targets.TargetStatus.MISSED: "badge-danger",
}
NO_DATA = "geen_gegevens"
STATUS_LABELS = {
    targets.TargetStatus.ACHIEVED: gettext_lazy("Achieved"),
    targets.TargetStatus.WITHIN_TOLERANCE: gettext_lazy("Within tolerance"),
    targets.TargetStatus.ON_TRACK: gettext_lazy("On track"),
    targets.TargetStatus.BEHIND: gettext_lazy("Behind"),
    targets.TargetStatus.MISSED: gettext_lazy("Not achieved"),
    NO_DATA: gettext_lazy("No data"),
}
#: The KPIs compared between municipalities on the region's dashboard.
COMPARED = ("K1", "K4", "K2B", "D1-6")


def number(value: Decimal | None, unit: str = "") -> str:
    """Dutch notation: 1.234 or 12,5; a percentage with " %"; a dash for no value."""
    if value is None:
        return "–"
    places = 0 if value == value.to_integral_value() else 1
    text = f"{value:,.{places}f}".replace(",", "·").replace(".", ",").replace("·", ".")
    return f"{text} %" if unit == "%" else text


#: The headline figures at the top of the dashboard.
HEADLINES = ("K1", "K4", "K2B", "M1", "C2", "D1-6")


@dataclass
class KpiRow:
    kpi: Kpi
    value: Decimal | None
    previous: Decimal | None
    shown: str
    previous_shown: str
    change: str
    trend_break: bool
    cases: Decimal = Decimal(0)  # how many facts the value rests on
    previous_cases: Decimal = Decimal(0)


def change(kpi: Kpi, now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "="
    sign = "+" if diff > 0 else "−"
    return f"{sign}{number(abs(diff), kpi.unit)}"


def _cell_amounts(
    actor: access.Actor, *, dimension: Dimension, member: int, start: dt.date, end: dt.date
) -> dict[tuple[str, int], list[tuple[dt.date, kpis.Amount]]]:
    """Every KPI's stored amounts for one cell in [start, end), by (code, version): one query
    for the whole page instead of a few per KPI."""
    from werkbrug.monitoring.models import KpiValue

    out: dict[tuple[str, int], list[tuple[dt.date, kpis.Amount]]] = {}
    rows = (
        access.scoped(KpiValue, actor)
        .filter(
            dimension=dimension,
            member=member,
            part="",
            period_start__gte=dt.date(start.year, 1, 1),
            period_start__lt=end,
        )
        .values_list("kpi", "kpi_version", "period_start", "numerator", "denominator")
    )
    for code, version, period, numerator, denominator in rows:
        out.setdefault((code, version), []).append((period, kpis.Amount(numerator, denominator)))
    return out


def _over(
    kpi: Kpi,
    amounts: list[tuple[dt.date, kpis.Amount]],
    start: dt.date,
    end: dt.date,
) -> kpis.Amount:
    """The KPI's value over [start, end) from its stored amounts (a stock: on the last month
    or year of the period, zero when nothing is stored for it)."""
    inside = [(p, a) for p, a in amounts if kpis.period_of(kpi, start) <= p < end]
    last = kpis.period_of(kpi, end - dt.timedelta(days=1)) if kpi.kind == kpis.Kind.STOCK else None
    if kpi.kind != kpis.Kind.STOCK and kpi.grain == kpis.Grain.MONTH:
        inside = [(p, a) for p, a in inside if p >= start]
    return kpis.total(kpi, inside, last=last)


def kpi_rows(
    actor: access.Actor,
    *,
    dimension: Dimension,
    member: int,
    start: dt.date,
    end: dt.date,
) -> dict[str, list[KpiRow]]:
    """Per theme, each KPI valid in the period: the value, and last year's over the same
    months; two queries whatever the number of KPIs."""
    last_start = kpis.a_year_before(start)
    last_end = kpis.a_year_before_end(end)
    cell = {"dimension": dimension, "member": member}
    now_amounts = _cell_amounts(actor, start=start, end=end, **cell)
    before_amounts = _cell_amounts(actor, start=last_start, end=last_end, **cell)
    out: dict[str, list[KpiRow]] = {theme: [] for theme in kpis.THEMES_NL}
    for code in kpis.codes():
        kpi = kpis.current(code, end - dt.timedelta(days=1))
        if kpi is None:
            continue
        key = (kpi.code, kpi.version)
        amount = _over(kpi, now_amounts.get(key, []), start, end)
        before = _over(kpi, before_amounts.get(key, []), last_start, last_end)
        value, previous = kpis.value_of(kpi, amount), kpis.value_of(kpi, before)
        out[kpi.theme].append(
            KpiRow(
                kpi=kpi,
                value=value,
                previous=previous,
                shown=number(value, kpi.unit),
                previous_shown=number(previous, kpi.unit),
                change=change(kpi, value, previous),
                trend_break=kpis.trend_break(code, last_start, end),
                cases=amount.denominator,
                previous_cases=before.denominator,
            )
        )
    return out


def current_municipalities(actor: access.Actor, *, start: dt.date) -> dict[int, str]:
    """The region's municipalities that still existed at ``start`` (merged ones drop out)."""
    return dict(
        Municipality.objects.filter(region_id=actor.region_id)
        .exclude(ended_on__lte=start)
        .order_by("name")
        .values_list("pk", "name")
    )


def unit(kpi: Kpi) -> str:
    """The unit a chart shows: none for a count (the title says what is counted)."""
    return "" if kpi.unit == "aantal" else kpi.unit


def comparisons(actor: access.Actor, *, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    names = current_municipalities(actor, start=start)
    out = []
    for code in COMPARED:
        kpi = kpis.current(code, end - dt.timedelta(days=1))
        if kpi is None:
            continue
        amounts = selectors.by_member(
            actor, kpi, dimension=Dimension.MUNICIPALITY, start=start, end=end
        )
        rows = [
            (name, kpis.value_of(kpi, amounts[pk]) if pk in amounts else None)
            for pk, name in names.items()
        ]
        svg = charts.hbar_chart(
            title=kpi.name_nl,
            labels=[name for name, _v in rows],
            series=[charts.Series(kpi.name_nl, [v for _n, v in rows])],
            unit=unit(kpi),
        )
        out.append(
            {
                "kpi": kpi,
                "rows": [(name, number(value, kpi.unit)) for name, value in rows],
                "values": rows,
                "svg": mark_safe(svg),  # noqa: S308 - charts escapes every text it draws
            }
        )
    return out


def year_on_year(
    actor: access.Actor, kpi: Kpi, *, dimension: Dimension, member: int, year: int, end: dt.date
) -> dict[str, Any]:
    """``kpi`` per month of ``year`` (up to ``end``) beside the same months a year before."""
    cell = {"dimension": dimension, "member": member, "granularity": selectors.Granularity.MONTH}
    now = selectors.series(actor, kpi, start=dt.date(year, 1, 1), end=end, **cell)
    before = selectors.series(
        actor, kpi, start=dt.date(year - 1, 1, 1), end=kpis.a_year_before_end(end), **cell
    )
    labels = [selectors.MONTHS_NL[p.start.month - 1] for p in now]
    svg = charts.bar_chart(
        title=f"{kpi.name_nl} per maand",
        labels=labels,
        series=[
            charts.Series(str(year), [p.value for p in now]),
            charts.Series(str(year - 1), [p.value for p in before]),
        ],
        unit=unit(kpi),
    )
    return {
        "kpi": kpi,
        "svg": mark_safe(svg),  # noqa: S308 - escaped by charts
        "rows": [
            (label, number(a.value, kpi.unit), number(b.value, kpi.unit))
            for label, a, b in zip(labels, now, before, strict=True)
        ],
        "years": (year, year - 1),
        "values": [
            (label, a.value, b.value) for label, a, b in zip(labels, now, before, strict=True)
        ],
    }


def programme_targets(
    actor: access.Actor, programmes: Any, *, on: dt.date, municipality_id: int | None = None
) -> list[Any]:
    """Each programme with its targets' attainment on ``on`` (a few queries for all); with
    ``municipality_id`` only that municipality's targets and the programme's own."""
    programmes = list(programmes)
    judged = selectors.target_rows_for(actor, programmes, on=on)
    out = []
    for programme in programmes:
        rows = [
            row
            for row in judged[programme.pk]
            if municipality_id is None or row.target.municipality_id in (None, municipality_id)
        ]
        if municipality_id is not None and not rows:
            continue
        out.append(
            {
                "programme": programme,
                "rows": [
                    {
                        "row": row,
                        "badge": "badge-neutral"
                        if row.no_data
                        else STATUS_BADGES[row.attainment.status],
                        "label": STATUS_LABELS[NO_DATA if row.no_data else row.attainment.status],
                        "realised": number(row.realised, row.kpi.unit if row.kpi else ""),
                        "target": number(row.target.value, row.kpi.unit if row.kpi else ""),
                        "pct": number(row.attainment.pct_of_target, "%"),
                        # A forecast only while the target runs and the pace means something.
                        "forecast": number(row.attainment.forecast, row.kpi.unit if row.kpi else "")
                        if row.attainment.forecast is not None
                        and on < row.target.end_on
                        and (row.kpi is None or row.kpi.kind == kpis.Kind.COUNT)
                        else "",
                    }
                    for row in rows
                ],
                "fee": selectors.fee_due(programme, rows),
            }
        )
    return out


def part_labels(kpi: Kpi) -> dict[str, str]:
    """The Dutch names of a breakdown's parts (a placement kind, a return reason)."""
    from werkbrug.candidates.models import ReturnReason
    from werkbrug.placements.models import PlacementKind

    if kpi.breakdown == "soort:":
        return {value: str(label) for value, label in PlacementKind.choices}
    if kpi.breakdown == "reden:":
        return {value: str(label) for value, label in ReturnReason.choices}
    return {}


def status_counts(rows: list[selectors.TargetRow]) -> list[tuple[str, Any, int]]:
    """(badge, label, how many) per status of a programme's targets, in the order of the
    statuses, "no data" last."""
    counts: dict[str, int] = {}
    for row in rows:
        key = NO_DATA if row.no_data else row.attainment.status
        counts[key] = counts.get(key, 0) + 1
    order = [*targets.TargetStatus, NO_DATA]
    return [
        (STATUS_BADGES.get(status, "badge-neutral"), STATUS_LABELS[status], counts[status])
        for status in order
        if counts.get(status)
    ]


def kpi_page(
    actor: access.Actor,
    kpi: Kpi,
    *,
    dimension: Dimension,
    member: int,
    name: str,
    year: int,
    start: dt.date,
    end: dt.date,
    granularity: str,
) -> dict[str, Any]:
    """One KPI's page: the trend (per month this year, or per quarter or year over five
    years), the municipalities side by side and the breakdown, as shown and as numbers."""
    trend_start = dt.date(year - 4, 1, 1) if granularity != "maand" else start
    points = selectors.series(
        actor,
        kpi,
        dimension=dimension,
        member=member,
        start=trend_start,
        end=end,
        granularity=granularity,
    )
    svg = charts.line_chart(
        title=kpi.name_nl,
        labels=[p.label for p in points],
        series=[charts.Series(name or "Regio", [p.value for p in points])],
        unit=unit(kpi),
    )
    names = current_municipalities(actor, start=start)
    amounts = selectors.by_member(
        actor, kpi, dimension=Dimension.MUNICIPALITY, start=start, end=end
    )
    municipality_values = [
        [name_, kpis.value_of(kpi, amounts[pk]) if pk in amounts else None]
        for pk, name_ in names.items()
    ]
    part_values = []
    if kpi.breakdown:
        labels = part_labels(kpi)
        part_values = [
            [labels.get(part, part), kpis.value_of(kpi, amount)]
            for part, amount in sorted(
                selectors.parts(
                    actor, kpi, dimension=dimension, member=member, start=start, end=end
                ).items()
            )
        ]
    return {
        "trend_svg": mark_safe(svg),  # noqa: S308 - charts escapes every text it draws
        "points": [(p.label, number(p.value, kpi.unit)) for p in points],
        "point_values": [[p.label, p.value] for p in points],
        "municipalities": [(n, number(v, kpi.unit)) for n, v in municipality_values],
        "municipality_values": municipality_values,
        "parts": [(n, number(v, kpi.unit)) for n, v in part_values],
        "part_values": part_values,
    }
