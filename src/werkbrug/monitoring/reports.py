"""The council report: per municipality (or the whole region) and period, what was achieved
against the same period a year before, the targets and whether they are met, the charts, the
definitions, and a short summary written from the numbers. ``council_report`` gathers it (as
the actor: counts only, never names); ``report_pdf`` and ``report_xlsx`` lay it out.

The summary is generated, not typed: one sentence per notable change (a KPI that rose or fell
by at least ``NOTABLE_CHANGE_PCT`` percent, on at least ``SMALL_NUMBER`` cases), one on the
targets, and a warning per target that is falling behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from werkbrug.core import access
from werkbrug.monitoring import charts, index, kpis, overview, selectors, targets
from werkbrug.monitoring.kpis import Dimension
from werkbrug.monitoring.models import KpiRefresh
from werkbrug.regions.models import Municipality, Region

NOTABLE_CHANGE_PCT = Decimal(10)
SMALL_NUMBER = index.SMALL_NUMBER
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def nl_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def period_label(start: dt.date, end: dt.date) -> str:
    """ "2026", "januari tot en met november 2026", "1 maart 2025 tot en met 28 februari 2026"."""
    last = end - dt.timedelta(days=1)
    if start.month == 1 and start.day == 1 and last.month == 12 and last.day == 31:
        return str(start.year) if start.year == last.year else f"{start.year}-{last.year}"
    if start.day == 1 and start.year == last.year:
        if start.month == last.month:
            return f"{MONTHS_NL[start.month - 1]} {start.year}"
        return f"{MONTHS_NL[start.month - 1]} tot en met {nl_date(last)}"
    return f"{nl_date(start)} tot en met {nl_date(last)}"


@dataclass
class ReportRow:
    code: str
    name: str
    unit: str
    value: Decimal | None
    previous: Decimal | None
    shown: str
    previous_shown: str
    change: str
    definition: str
    source: str
    version: int
    trend_break: bool
    small: bool  # a share or mean on fewer cases than SMALL_NUMBER: read with care
    cases: Decimal = Decimal(0)
    previous_cases: Decimal = Decimal(0)

    @property
    def comparable(self) -> bool:
        """Enough cases in both periods to call a change notable: a count of at least
        ``SMALL_NUMBER``; a share or mean on at least that many cases each time."""
        if self.unit == "aantal":
            return max(self.value or 0, self.previous or 0) >= SMALL_NUMBER
        return min(self.cases, self.previous_cases) >= SMALL_NUMBER


@dataclass
class ReportTarget:
    programme: str
    kpi: str
    municipality: str
    target: str
    realised: str
    pct: str
    status: str  # targets.TargetStatus, or overview.NO_DATA
    warning: str
    #: The same as numbers, for the workbook.
    target_value: Decimal | None = None
    realised_value: Decimal | None = None
    pct_value: Decimal | None = None

    @property
    def status_nl(self) -> str:
        """The status in Dutch: a council report is Dutch, whatever the reader's language."""
        if self.status == overview.NO_DATA:
            return "Geen gegevens"
        return targets.STATUS_LABELS_NL[targets.TargetStatus(self.status)]


@dataclass
class CouncilReport:
    region: str
    municipality: str  # empty: the whole region
    start: dt.date
    end: dt.date  # exclusive
    generated_at: dt.datetime
    refreshed_at: dt.datetime | None
    summary: list[str]
    themes: list[tuple[str, list[ReportRow]]]
    targets: list[ReportTarget]
    monthly_title: str = ""
    monthly_svg: str = ""
    monthly_rows: list[tuple[str, str, str]] = field(default_factory=list)
    monthly_values: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)
    monthly_years: tuple[int, int] = (0, 0)
    comparison_title: str = ""
    comparison_svg: str = ""
    comparison_rows: list[tuple[str, str]] = field(default_factory=list)
    comparison_values: list[tuple[str, Decimal | None]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.municipality or self.region

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    @property
    def previous_period(self) -> str:
        return period_label(kpis.a_year_before(self.start), kpis.a_year_before_end(self.end))

    @property
    def title(self) -> str:
        return f"Resultaten {self.where}, {self.period}"

    @property
    def file_stem(self) -> str:
        slug = "".join(c if c.isalnum() else "-" for c in self.where.lower()).strip("-")
        return f"raadsrapportage-{slug}-{self.start:%Y%m}-{self.end - dt.timedelta(days=1):%Y%m}"


def council_report(
    actor: access.Actor,
    *,
    municipality: Municipality | None,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> CouncilReport:
    """Everything the report shows, for the actor's region or one of its municipalities."""
    today = today or timezone.localdate()
    region = Region.objects.get(pk=actor.region_id)
    dimension = Dimension.MUNICIPALITY if municipality else Dimension.REGION
    member = municipality.pk if municipality else 0
    previous_start = kpis.a_year_before(start)
    previous_end = kpis.a_year_before_end(end)
    themes = []
    for theme, rows in overview.kpi_rows(
        actor, dimension=dimension, member=member, start=start, end=end
    ).items():
        if not rows:
            continue
        out = []
        for row in rows:
            kpi = row.kpi
            out.append(
                ReportRow(
                    code=kpi.code,
                    name=kpi.name_nl,
                    unit=kpi.unit,
                    value=row.value,
                    previous=row.previous,
                    shown=row.shown,
                    previous_shown=row.previous_shown,
                    change=row.change,
                    definition=kpi.definition_nl,
                    source=kpi.source_nl,
                    version=kpi.version,
                    trend_break=row.trend_break,
                    small=kpi.kind != kpis.Kind.COUNT and 0 < row.cases < SMALL_NUMBER,
                    cases=row.cases,
                    previous_cases=row.previous_cases,
                )
            )
        themes.append((kpis.THEMES_NL[theme], out))

    on = min(today, end)
    programmes = selectors.programmes(actor).filter(start_on__lt=end, end_on__gt=start)
    if municipality is not None:
        programmes = programmes.filter(municipalities=municipality).distinct()
    report_targets = []
    for judged in overview.programme_targets(actor, programmes, on=on):
        for t in judged["rows"]:
            row = t["row"]
            if municipality is not None and row.target.municipality_id not in (
                None,
                municipality.pk,
            ):
                continue
            report_targets.append(
                ReportTarget(
                    programme=judged["programme"].name,
                    kpi=row.kpi.name_nl if row.kpi else row.target.kpi,
                    municipality=str(row.target.municipality or "Alle"),
                    target=t["target"],
                    realised=t["realised"],
                    pct=t["pct"],
                    status=overview.NO_DATA if row.no_data else str(row.attainment.status),
                    warning="" if row.no_data else row.attainment.warning_nl,
                    target_value=row.target.value,
                    realised_value=row.realised,
                    pct_value=row.attainment.pct_of_target,
                )
            )

    report = CouncilReport(
        region=region.name,
        municipality=municipality.name if municipality else "",
        start=start,
        end=end,
        generated_at=timezone.localtime(),
        refreshed_at=KpiRefresh.objects.filter(region=region)
        .values_list("refreshed_at", flat=True)
        .first(),
        summary=[],
        themes=themes,
        targets=report_targets,
    )
    placements = kpis.current("K4", end - dt.timedelta(days=1))
    if placements is not None and start.year == (end - dt.timedelta(days=1)).year:
        monthly = overview.year_on_year(
            actor, placements, dimension=dimension, member=member, year=start.year, end=end
        )
        report.monthly_title = f"{placements.name_nl} per maand"
        report.monthly_svg = str(monthly["svg"])
        report.monthly_rows = monthly["rows"]
        report.monthly_values = monthly["values"]
        report.monthly_years = monthly["years"]
    if municipality is None:
        comparisons = overview.comparisons(actor, start=start, end=end)
        if comparisons:
            first = comparisons[0]
            report.comparison_title = f"{first['kpi'].name_nl} per gemeente"
            report.comparison_svg = str(first["svg"])
            report.comparison_rows = first["rows"]
            report.comparison_values = first["values"]
    report.summary = summary(report, previous_start=previous_start, previous_end=previous_end)
    return report


def summary(report: CouncilReport, *, previous_start: dt.date, previous_end: dt.date) -> list[str]:
    """A few sentences in Dutch on what changed and how the targets stand."""
    sentences = []
    rows = [row for _theme, rows in report.themes for row in rows]
    notable = []
    for row in rows:
        if row.value is None or row.previous is None or row.previous == 0:
            continue
        change_pct = (row.value - row.previous) / abs(row.previous) * 100
        if abs(change_pct) >= NOTABLE_CHANGE_PCT and row.comparable:
            notable.append((abs(change_pct), row, change_pct))
    notable.sort(key=lambda item: (-item[0], item[1].code))
    for _size, row, change_pct in notable[:4]:
        direction = "meer" if change_pct > 0 else "minder"
        if row.unit in ("aantal",):
            sentences.append(
                f"{row.name}: {row.shown}, {overview.number(abs(row.value - row.previous))} "
                f"{direction} dan in {report.previous_period} ({row.previous_shown})."
            )
        else:
            word = "hoger" if change_pct > 0 else "lager"
            sentences.append(
                f"{row.name}: {row.shown}, {word} dan in {report.previous_period} "
                f"({row.previous_shown})."
            )
    if not notable and rows:
        sentences.append(
            f"Geen grote veranderingen ten opzichte van {report.previous_period}: geen "
            f"indicator met ten minste {SMALL_NUMBER} gevallen veranderde "
            f"{overview.number(NOTABLE_CHANGE_PCT)} % of meer."
        )
    judged = [t for t in report.targets if t.status != overview.NO_DATA]
    if judged:
        sentences.append(_targets_sentence(judged))
        behind = [
            t
            for t in judged
            if t.status in (targets.TargetStatus.BEHIND, targets.TargetStatus.MISSED)
        ]
        for t in behind[:3]:
            where = "" if t.municipality == "Alle" else f" in {t.municipality}"
            sentences.append(f"{t.kpi}{where}: {t.realised} van {t.target} ({t.pct}).")
    small = [row.name for row in rows if row.small]
    if small:
        sentences.append(
            "Let op: kleine aantallen bij "
            + ", ".join(small[:4])
            + "; een percentage op weinig gevallen schommelt sterk."
        )
    return sentences


def _targets_sentence(judged: list[ReportTarget]) -> str:
    """ "Het doel is behaald." / "Van de 7 doelen zijn er 3 behaald; 2 lopen achter en 1 is
    niet behaald." """
    met = sum(
        1
        for t in judged
        if t.status in (targets.TargetStatus.ACHIEVED, targets.TargetStatus.WITHIN_TOLERANCE)
    )
    behind = sum(1 for t in judged if t.status == targets.TargetStatus.BEHIND)
    missed = sum(1 for t in judged if t.status == targets.TargetStatus.MISSED)
    if len(judged) == 1:
        if met:
            return "Het doel is behaald."
        if behind:
            return "Het doel loopt achter."
        return "Het doel is niet behaald." if missed else "Het doel is op koers."
    parts = []
    if behind:
        parts.append(f"{behind} {'loopt' if behind == 1 else 'lopen'} achter")
    if missed:
        parts.append(f"{missed} {'is' if missed == 1 else 'zijn'} niet behaald")
    head = f"Van de {len(judged)} doelen {'is' if met == 1 else 'zijn'} er {met} behaald"
    return head + ("; " + " en ".join(parts) if parts else "") + "."


def chart_for_pdf(svg: str) -> bytes:
    return charts.svg_for_pdf(svg)
