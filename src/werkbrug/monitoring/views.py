"""The steering pages: the dashboard (region, municipality, team or staff member), one KPI in
detail, and the programmes with their targets. Numbers only; the charts are SVG made on the
server (``monitoring.charts``) with the same numbers in a table beside them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from werkbrug.core import access
from werkbrug.core.views_base import access_rule
from werkbrug.monitoring import charts, kpis, selectors, targets
from werkbrug.monitoring.forms import DashboardFilter, year_range
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


def _change(kpi: Kpi, now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "="
    sign = "+" if diff > 0 else "−"
    return f"{sign}{number(abs(diff), kpi.unit)}"


def _kpi_rows(
    actor: access.Actor,
    *,
    dimension: Dimension,
    member: int,
    start: dt.date,
    end: dt.date,
) -> dict[str, list[KpiRow]]:
    """Per theme, each KPI valid in the period: the value, last year's over the same months,
    and the trend."""
    last_start = start.replace(year=start.year - 1)
    last_end = end.replace(year=end.year - 1)
    out: dict[str, list[KpiRow]] = {theme: [] for theme in kpis.THEMES_NL}
    for code in kpis.codes():
        kpi = kpis.current(code, end - dt.timedelta(days=1))
        if kpi is None:
            continue
        cell = {"dimension": dimension, "members": [member]}
        value = kpis.value_of(kpi, selectors.amount_over(actor, kpi, start=start, end=end, **cell))
        previous = kpis.value_of(
            kpi, selectors.amount_over(actor, kpi, start=last_start, end=last_end, **cell)
        )
        out[kpi.theme].append(
            KpiRow(
                kpi=kpi,
                value=value,
                previous=previous,
                shown=number(value, kpi.unit),
                previous_shown=number(previous, kpi.unit),
                change=_change(kpi, value, previous),
                trend_break=kpis.trend_break(code, last_start, end),
            )
        )
    return out


def _current_municipalities(actor: access.Actor, *, start: dt.date) -> dict[int, str]:
    """The region's municipalities that still existed at ``start`` (merged ones drop out)."""
    return dict(
        Municipality.objects.filter(region_id=actor.region_id)
        .exclude(ended_on__lte=start)
        .order_by("name")
        .values_list("pk", "name")
    )


def _unit(kpi: Kpi) -> str:
    """The unit a chart shows: none for a count (the title says what is counted)."""
    return "" if kpi.unit == "aantal" else kpi.unit


def _comparisons(actor: access.Actor, *, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    names = _current_municipalities(actor, start=start)
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
            unit=_unit(kpi),
        )
        out.append(
            {
                "kpi": kpi,
                "rows": [(name, number(value, kpi.unit)) for name, value in rows],
                "svg": mark_safe(svg),  # noqa: S308 - charts escapes every text it draws
            }
        )
    return out


def _year_on_year(
    actor: access.Actor, kpi: Kpi, *, dimension: Dimension, member: int, year: int, end: dt.date
) -> dict[str, Any]:
    """``kpi`` per month of ``year`` (up to ``end``) beside the same months a year before."""
    cell = {"dimension": dimension, "member": member, "granularity": selectors.Granularity.MONTH}
    now = selectors.series(actor, kpi, start=dt.date(year, 1, 1), end=end, **cell)
    before = selectors.series(
        actor, kpi, start=dt.date(year - 1, 1, 1), end=end.replace(year=end.year - 1), **cell
    )
    labels = [selectors.MONTHS_NL[p.start.month - 1] for p in now]
    svg = charts.bar_chart(
        title=f"{kpi.name_nl} per maand",
        labels=labels,
        series=[
            charts.Series(str(year), [p.value for p in now]),
            charts.Series(str(year - 1), [p.value for p in before]),
        ],
        unit=_unit(kpi),
    )
    return {
        "kpi": kpi,
        "svg": mark_safe(svg),  # noqa: S308 - escaped by charts
        "rows": [
            (label, number(a.value, kpi.unit), number(b.value, kpi.unit))
            for label, a, b in zip(labels, now, before, strict=True)
        ],
        "years": (year, year - 1),
    }


def _targets(actor: access.Actor, programmes: Any, *, on: dt.date) -> list[Any]:
    """Each programme with its targets' attainment on ``on``."""
    out = []
    for programme in programmes:
        rows = selectors.target_rows(actor, programme, on=on)
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
                "fee": targets.fee_due(
                    sum(
                        int(row.realised)
                        for row in rows
                        if row.target.kpi in (programme.fee_kpis or [])
                    ),
                    programme.fee_per_result,
                )
                if programme.fee_per_result is not None
                else None,
            }
        )
    return out


def _filter(request: HttpRequest, actor: access.Actor) -> DashboardFilter:
    form = DashboardFilter(request.GET or None, actor=actor)
    if request.GET:
        form.is_valid()
    return form


@access_rule("monitoring.view")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.region_id:
        raise Http404
    today = timezone.localdate()
    form = _filter(request, actor)
    dimension, member, name = form.cell()
    year = form.year()
    start, end = year_range(year, today)
    themes = _kpi_rows(actor, dimension=dimension, member=member, start=start, end=end)
    by_code = {row.kpi.code: row for rows in themes.values() for row in rows}
    placements = kpis.current("K4", end - dt.timedelta(days=1))
    running = selectors.programmes(actor).filter(start_on__lt=end, end_on__gt=start)
    context = {
        "form": form,
        "scope_name": name,
        "dimension": dimension,
        "year": year,
        "up_to": min(today, end - dt.timedelta(days=1)),
        "query": request.GET.urlencode(),
        "headlines": [by_code[code] for code in HEADLINES if code in by_code],
        "themes": [(kpis.THEMES_NL[theme], rows) for theme, rows in themes.items() if rows],
        "monthly": _year_on_year(
            actor, placements, dimension=dimension, member=member, year=year, end=end
        )
        if placements
        else None,
        "programmes": _targets(actor, running, on=min(today, end)),
        "comparisons": _comparisons(actor, start=start, end=end)
        if dimension == Dimension.REGION
        else [],
        "refreshed": selectors.last_refresh(actor),
        "filtered": bool(request.GET),
    }
    return render(request, "monitoring/dashboard.html", context)


@access_rule("monitoring.view")
@require_GET
def kpi_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One KPI: its definition (every version), the trend, the municipalities side by side,
    a breakdown when it has one, and figures from outside Werkbrug."""
    actor = request.actor  # type: ignore[attr-defined]
    versions = kpis.for_code(code)
    if not versions or not actor.region_id:
        raise Http404
    today = timezone.localdate()
    form = _filter(request, actor)
    dimension, member, name = form.cell()
    year = form.year()
    granularity = form.granularity()
    start, end = year_range(year, today)
    kpi = kpis.current(code, end - dt.timedelta(days=1)) or versions[-1]
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
    trend = charts.line_chart(
        title=kpi.name_nl,
        labels=[p.label for p in points],
        series=[charts.Series(name or "Regio", [p.value for p in points])],
        unit=_unit(kpi),
    )
    names = _current_municipalities(actor, start=start)
    amounts = selectors.by_member(
        actor, kpi, dimension=Dimension.MUNICIPALITY, start=start, end=end
    )
    municipalities = [
        (name_, number(kpis.value_of(kpi, amounts[pk]), kpi.unit) if pk in amounts else "–")
        for pk, name_ in names.items()
    ]
    parts = []
    if kpi.breakdown:
        labels = _part_labels(kpi)
        parts = [
            (labels.get(part, part), number(kpis.value_of(kpi, amount), kpi.unit))
            for part, amount in sorted(
                selectors.parts(
                    actor, kpi, dimension=dimension, member=member, start=start, end=end
                ).items()
            )
        ]
    context = {
        "kpi": kpi,
        "versions": versions,
        "form": form,
        "scope_name": name,
        "year": year,
        "trend_svg": mark_safe(trend),  # noqa: S308 - escaped by charts
        "points": [(p.label, number(p.value, kpi.unit)) for p in points],
        "municipalities": municipalities,
        "parts": parts,
        "observations": selectors.observations(actor, kpi.code),
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/kpi_detail.html", context)


def _part_labels(kpi: Kpi) -> dict[str, str]:
    """The Dutch names of a breakdown's parts (a placement kind, a return reason)."""
    from werkbrug.candidates.models import ReturnReason
    from werkbrug.placements.models import PlacementKind

    if kpi.breakdown == "soort:":
        return {value: str(label) for value, label in PlacementKind.choices}
    if kpi.breakdown == "reden:":
        return {value: str(label) for value, label in ReturnReason.choices}
    return {}


@access_rule("monitoring.view")
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    rows = []
    for programme in selectors.programmes(actor):
        judged = selectors.target_rows(actor, programme, on=min(today, programme.end_on))
        counts: dict[str, int] = {}
        for row in judged:
            key = NO_DATA if row.no_data else row.attainment.status
            counts[key] = counts.get(key, 0) + 1
        rows.append(
            {
                "programme": programme,
                "running": programme.start_on <= today < programme.end_on,
                "statuses": [
                    (STATUS_BADGES[status], STATUS_LABELS[status], counts[status])
                    for status in targets.TargetStatus
                    if counts.get(status)
                ]
                + (
                    [("badge-neutral", STATUS_LABELS[NO_DATA], counts[NO_DATA])]
                    if counts.get(NO_DATA)
                    else []
                ),
            }
        )
    return render(request, "monitoring/programme_list.html", {"rows": rows})


@access_rule("monitoring.view")
@require_GET
def programme_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programme = selectors.programme_for_view(actor, uuid)
    today = timezone.localdate()
    on = min(today, programme.end_on)
    (judged,) = _targets(actor, [programme], on=on)
    return render(
        request,
        "monitoring/programme_detail.html",
        {
            "programme": programme,
            "p": judged,
            "on": on,
            "over": today >= programme.end_on,
            "time": selectors.time_summary(actor, programme, on=today),
            "municipalities": list(programme.municipalities.all()),
        },
    )


urlpatterns = [
    path("sturing/", dashboard, name="dashboard"),
    path("sturing/programmas/", programme_list, name="programmes"),
    path("sturing/programmas/<uuid:uuid>/", programme_detail, name="programme"),
    path("sturing/kpi/<str:code>/", kpi_detail, name="kpi"),
]
