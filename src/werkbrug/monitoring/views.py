"""The steering pages: the dashboard (region, municipality, team or staff member), one KPI in
detail, and the programmes with their targets. Numbers only; the charts are SVG made on the
server (``monitoring.charts``) with the same numbers in a table beside them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from werkbrug.core import access
from werkbrug.core.views_base import access_rule
from werkbrug.evaluation import selectors as evaluation_selectors
from werkbrug.monitoring import (
    drilldown,
    index_report,
    kpis,
    overview,
    report_xlsx,
    selectors,
)
from werkbrug.monitoring.forms import DashboardFilter, IndexForm, year_range
from werkbrug.monitoring.kpis import Dimension


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
    themes = overview.kpi_rows(actor, dimension=dimension, member=member, start=start, end=end)
    by_code = {row.kpi.code: row for rows in themes.values() for row in rows}
    placements = kpis.current("K4", end - dt.timedelta(days=1))
    running = selectors.programmes(actor).filter(start_on__lt=end, end_on__gt=start)
    municipality = member if dimension == Dimension.MUNICIPALITY else None
    if municipality is not None:
        running = running.filter(municipalities=municipality).distinct()
    chosen = form.cleaned_data.get("gemeente") if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "scope_name": name,
        "dimension": dimension,
        "year": year,
        "up_to": min(today, end - dt.timedelta(days=1)),
        "query": request.GET.urlencode(),
        "headlines": [by_code[code] for code in overview.HEADLINES if code in by_code],
        "themes": [(kpis.THEMES_NL[theme], rows) for theme, rows in themes.items() if rows],
        "monthly": overview.year_on_year(
            actor, placements, dimension=dimension, member=member, year=year, end=end
        )
        if placements
        else None,
        "programmes": overview.programme_targets(
            actor, running, on=min(today, end), municipality_id=municipality
        ),
        # The council report of what is shown: this municipality, this year.
        "report_query": (f"gemeente={chosen.uuid}&" if chosen else "")
        + f"van={start:%Y-%m-%d}&tot={end - dt.timedelta(days=1):%Y-%m-%d}",
        "comparisons": overview.comparisons(actor, start=start, end=end)
        if dimension == Dimension.REGION
        else [],
        "refreshed": selectors.last_refresh(actor),
        # Complaints and satisfaction (evaluation app): the region's or this municipality's.
        "service_quality": evaluation_selectors.service_quality(
            actor.region_id, municipality_id=municipality, years=range(year - 2, year + 1)
        )
        if dimension in (Dimension.REGION, Dimension.MUNICIPALITY)
        else [],
        "filtered": bool(request.GET),
        "can_manage": access.can(actor, "monitoring.manage"),
    }
    return render(request, "monitoring/dashboard.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(stem: str, sheets: list[tuple[str, list[str], list[list[Any]]]]) -> HttpResponse:
    """The tables of a page as a workbook: one sheet per table, numbers as numbers."""
    response = HttpResponse(report_xlsx.workbook(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


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
    page = overview.kpi_page(
        actor,
        kpi,
        dimension=dimension,
        member=member,
        name=name,
        year=year,
        start=start,
        end=end,
        granularity=granularity,
    )
    if request.GET.get("formaat") == "xlsx":
        return _xlsx(
            f"{kpi.code}-{year}",
            [
                ("Verloop", ["Periode", kpi.name_nl], page["point_values"]),
                (f"Per gemeente {year}", ["Gemeente", kpi.name_nl], page["municipality_values"]),
                (f"Uitgesplitst {year}", ["Deel", kpi.name_nl], page["part_values"]),
            ],
        )
    context = {
        "kpi": kpi,
        "versions": versions,
        "form": form,
        "scope_name": name,
        "year": year,
        "trend_svg": page["trend_svg"],
        "points": page["points"],
        "municipalities": page["municipalities"],
        "parts": page["parts"],
        "observations": selectors.observations(actor, kpi.code),
        "can_manage": access.can(actor, "monitoring.manage"),
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/kpi_detail.html", context)


@access_rule("monitoring.view")
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    rows = []
    for programme in selectors.programmes(actor):
        judged = selectors.target_rows(actor, programme, on=min(today, programme.end_on))
        rows.append(
            {
                "programme": programme,
                "running": programme.start_on <= today < programme.end_on,
                "statuses": overview.status_counts(judged),
            }
        )
    return render(
        request,
        "monitoring/programme_list.html",
        {"rows": rows, "can_manage": access.can(actor, "monitoring.manage")},
    )


@access_rule("monitoring.view")
@require_GET
def programme_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programme = selectors.programme_for_view(actor, uuid)
    today = timezone.localdate()
    on = min(today, programme.end_on)
    (judged,) = overview.programme_targets(actor, [programme], on=on)
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
            "can_manage": access.can(actor, "monitoring.manage"),
            "can_log_time": access.can(actor, "monitoring.log_time"),
        },
    )


@access_rule("monitoring.view")
@require_GET
def kpi_records(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind one KPI in the chosen cell and year (see monitoring.drilldown)."""
    actor = request.actor  # type: ignore[attr-defined]
    versions = kpis.for_code(code)
    if not versions or not actor.region_id:
        raise Http404
    today = timezone.localdate()
    form = _filter(request, actor)
    dimension, member, name = form.cell()
    year = form.year()
    start, end = year_range(year, today)
    kpi = kpis.current(code, end - dt.timedelta(days=1)) or versions[-1]
    behind = drilldown.records_behind(
        actor, kpi, dimension=dimension, member=member, start=start, end=end, today=today
    )
    return render(
        request,
        "monitoring/kpi_records.html",
        {
            "kpi": kpi,
            "behind": behind,
            "scope_name": name,
            "year": year,
            "query": request.GET.urlencode(),
            "stock": kpi.kind == kpis.Kind.STOCK,
            "up_to": min(today, end - dt.timedelta(days=1)),
        },
    )


@access_rule("monitoring.view")
@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    """Index figures per municipality on a chosen base year, and where the work is."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.region_id:
        raise Http404
    today = timezone.localdate()
    form = IndexForm(request.GET or None, today=today)
    data = form.cleaned_data if request.GET and form.is_valid() else form.defaults()
    table = index_report.index_table(
        actor,
        data["indicator"],
        base_year=data["basisjaar"],
        first_year=data["van"],
        last_year=data["tot"],
    )
    where = index_report.where_the_work_is(actor, year=data["tot"])
    if request.GET.get("formaat") == "xlsx" and table is not None:
        years = [str(year) for year in table.years]
        return _xlsx(
            f"index-{table.kpi.code}-{table.base_year}",
            [
                (
                    f"Index {table.base_year}=100",
                    ["Gemeente", *years],
                    [[row.name, *row.indices.values()] for row in table.rows],
                ),
                (
                    "Aantallen",
                    ["Gemeente", *years],
                    [[row.name, *row.values.values()] for row in table.rows],
                ),
                (
                    f"Waar het werk is {data['tot']}",
                    ["Kandidaat uit \\ werkgever in", *where.municipalities, "Totaal"],
                    [[home, *counts, total] for home, counts, total in where.rows],
                ),
            ],
        )
    return render(
        request,
        "monitoring/index.html",
        {"form": form, "table": table, "where": where, "year": data["tot"]},
    )


urlpatterns = [
    path("sturing/", dashboard, name="dashboard"),
    path("sturing/index/", index_page, name="index"),
    path("sturing/kpi/<str:code>/dossiers/", kpi_records, name="kpi_records"),
    path("sturing/programmas/", programme_list, name="programmes"),
    path("sturing/programmas/<uuid:uuid>/", programme_detail, name="programme"),
    path("sturing/kpi/<str:code>/", kpi_detail, name="kpi"),
]
