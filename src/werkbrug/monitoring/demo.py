"""Demo: steering on results.

- **Werktop-gemeenten**: the Werktop programme as it ran (1-12-2012 to 1-4-2014, Zaanstad to
  1-1-2014; Van Amstel Advies; two days a week; €1,500 per outflow placement) with the contract
  targets 70/40/20 per municipality and the results of Tabel 6 as imported figures, so
  MUG-gemeenten and Doetinchem meet every target and Zaanstad none.
- **Rijk van Nijmegen**: the WerkBedrijf targets of 2016-2020 with the realisations printed in
  the evaluation (placements, part-time placements), this year's targets at demo scale judged
  on what the demo recorded, and a Werktop approach per municipality with a partner, a fee per
  result and the hours logged against it. The Werktop results and the national loonwaarde
  benchmark appear as figures from outside.
- Finally the KPI values of every region are computed, so the dashboard opens with numbers.

The reference figures come from ``monitoring/data/`` (copies of the shared reference files).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from werkbrug.core.roles import Role
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.monitoring import services
from werkbrug.monitoring.models import (
    Activity,
    Observation,
    Programme,
    ReportSubscription,
    Target,
    TargetKind,
    TimeEntry,
)
from werkbrug.placements.aftercare import add_months
from werkbrug.regions.models import Municipality, Region, Staff

DATA = Path(__file__).resolve().parent / "data"
WERKTOP_START, WERKTOP_END, ZAANSTAD_END = (
    dt.date(2012, 12, 1),
    dt.date(2014, 4, 1),
    dt.date(2014, 1, 1),
)
PARTNER = "Van Amstel Advies"


def _reference(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _year(year: int | str) -> tuple[dt.date, dt.date]:
    return dt.date(int(year), 1, 1), dt.date(int(year) + 1, 1, 1)


@seeder(order=90, name="monitoring")
def seed_monitoring(ctx: SeedContext) -> None:
    werktop = Region.objects.filter(code="WERKTOP").first()
    rvn = Region.objects.filter(code="RVN").first()
    if werktop is not None:
        _werktop(ctx, werktop)
    if rvn is not None:
        _werkbedrijf_2016_2020(ctx, rvn)
        _this_year(ctx, rvn)
        _werktop_approach(ctx, rvn)
    lead = ctx.shared.get("demo_staff", {}).get("teamleider")
    if rvn is not None and lead is not None and lead.user.email:
        ReportSubscription.objects.get_or_create(user=lead.user, region=rvn, municipality=None)
        ctx.say("De teamleider krijgt elke maand de raadsrapportage van de regio.")
    for region in Region.objects.order_by("pk"):
        result = services.refresh(region_id=region.pk)
        ctx.say(f"KPI's van {region.name}: {result.values} waarden uit {result.facts} feiten.")


def _werktop(ctx: SeedContext, region: Region) -> None:
    ref = _reference("werktop_2014.json")
    contract = ref["contract_targets"]
    targets = contract["targets_per_gemeente"]
    programme = Programme.objects.create(
        uuid=ctx.uuid(),
        region=region,
        name="Werktop",
        description="Werkgeversbenadering met relatiemanagement en prettige gesprekken; "
        "dertien maanden plus drie maanden verlenging (niet in Zaanstad).",
        partner=PARTNER,
        start_on=WERKTOP_START,
        end_on=WERKTOP_END,
        capacity_days_per_week=Decimal(contract["time_investment_days_per_week_each_party"]),
        fee_per_result=Decimal(contract["fee_per_gerealiseerde_uitstroomplaats_eur"]),
        fee_kpis=["K2"],
    )
    source = ref["tabel_6_resultaten_werktop"]["_source"]
    columns = {
        "K1": ("nieuwe_ondernemers_relatiemanagement", "deelnemende_ondernemers"),
        "K2": ("uitstroom_naar_regulier_werk", "uitstroom_regulier_werk"),
        "K3": ("werkervaringsplaatsen_met_behoud_van_uitkering", "werkervaringsplaats"),
    }
    for row in ref["tabel_6_resultaten_werktop"]["rows"]:
        municipality = Municipality.objects.filter(region=region, name=row["gemeente"]).first()
        if municipality is None:
            continue
        programme.municipalities.add(municipality)
        end = (
            ZAANSTAD_END if row["gemeente"] in contract["extension_not_applied_in"] else WERKTOP_END
        )
        for kpi, (target_key, result_key) in columns.items():
            Target.objects.create(
                uuid=ctx.uuid(),
                programme=programme,
                kpi=kpi,
                municipality=municipality,
                start_on=WERKTOP_START,
                end_on=end,
                value=Decimal(targets[target_key]),
            )
            Observation.objects.create(
                uuid=ctx.uuid(),
                region=region,
                kpi=kpi,
                municipality=municipality,
                start_on=WERKTOP_START,
                end_on=end,
                value=Decimal(row[result_key]),
                source=source,
                note="Overzichten van plaatsingen per gemeente niet compleet (voetnoot 3)."
                if kpi != "K1"
                else "",
            )
    ctx.say("Werktop: doelen 70/40/20 per gemeente met de resultaten uit Tabel 6.")


def _werkbedrijf_2016_2020(ctx: SeedContext, region: Region) -> None:
    ref = _reference("werkbedrijf_2016_2020.json")
    programme = Programme.objects.create(
        uuid=ctx.uuid(),
        region=region,
        name="WerkBedrijf Rijk van Nijmegen 2016-2020",
        description="De prestatie-indicatoren uit het protocol met de zeven gemeenteraden; de "
        "realisaties zijn overgenomen uit de evaluatie (2021).",
        start_on=dt.date(2016, 1, 1),
        end_on=dt.date(2021, 1, 1),
    )
    programme.municipalities.set(Municipality.objects.filter(region=region, ended_on__isnull=True))

    def target(kpi: str, year: str, value: int, kind: str = TargetKind.TARGET) -> None:
        start, end = _year(year)
        Target.objects.create(
            uuid=ctx.uuid(),
            programme=programme,
            kpi=kpi,
            start_on=start,
            end_on=end,
            value=Decimal(value),
            kind=kind,
        )

    def observed(kpi: str, year: str, value: float, source: str, area: str = "") -> None:
        start, end = _year(year)
        Observation.objects.create(
            uuid=ctx.uuid(),
            region=region,
            kpi=kpi,
            area=area,
            start_on=start,
            end_on=end,
            value=Decimal(str(value)),
            source=source,
        )

    outflow = ref["uitstroom_uit_bijstand_naar_werk"]
    for year, value in outflow["targets"].items():
        target("K2B", year, value)
    placements = ref["plaatsingen_op_werk_fig_4_5"]
    for year, value in placements["targets"].items():
        if not year.startswith("_"):
            target("K4", year, value)
    for year, value in placements["values"].items():
        observed("K4", year, value, placements["_source"])
    part_time = ref["plaatsingen_op_parttime_werk_fig_4_6"]
    for year, value in part_time["targets"].items():
        if not year.startswith("_"):
            target("K5", year, value)
    for year, value in part_time["values"].items():
        observed("K5", year, value, part_time["_source"])
    lks = ref["loonkostensubsidies_verstrekt"]
    for year, value in lks["values"].items():
        observed("L1", year, value, lks["_source"])
    loonwaarde = ref["gemiddelde_loonwaarde_pct"]
    for year, value in loonwaarde["values"].items():
        observed("L2", year, value, loonwaarde["_source"])
    benchmark = loonwaarde["national_benchmark"]
    for year, value in benchmark["values"].items():
        observed("L2", year, value, benchmark["_source"], area="Nederland (Divosa-benchmark)")
    ctx.say("WerkBedrijf 2016-2020: doelen en realisaties uit de evaluatie.")


def _this_year(ctx: SeedContext, region: Region) -> None:
    """This year's targets at the demo's scale: some met, some behind."""
    year = timezone.localdate().year
    start, end = _year(year)
    programme = Programme.objects.create(
        uuid=ctx.uuid(),
        region=region,
        name=f"WerkBedrijf jaardoelen {year}",
        description="De jaardoelen uit het protocol, op de schaal van de demo-regio.",
        start_on=start,
        end_on=end,
    )
    programme.municipalities.set(Municipality.objects.filter(region=region, ended_on__isnull=True))
    for kpi, value, kind in (
        ("K1", 50, TargetKind.TARGET),
        ("K4", 36, TargetKind.TARGET),
        ("K5", 24, TargetKind.TARGET),
        ("K2B", 12, TargetKind.TARGET),
        ("M1", 6, TargetKind.TARGET),
        ("D1-6", 80, TargetKind.TARGET),
        ("C2", 300, TargetKind.ESTIMATE),
    ):
        Target.objects.create(
            uuid=ctx.uuid(),
            programme=programme,
            kpi=kpi,
            start_on=start,
            end_on=end,
            value=Decimal(value),
            kind=kind,
        )


def _werktop_approach(ctx: SeedContext, region: Region) -> None:
    """The Werktop approach in three municipalities, with a partner paid per result and the
    hours the relationship managers log against it; the Werktop results as benchmarks."""
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -12)
    programme = Programme.objects.create(
        uuid=ctx.uuid(),
        region=region,
        name="Werktop-aanpak Rijk van Nijmegen",
        description="Relatiemanagement met nieuwe werkgevers, prettige gesprekken en "
        "werkervaringsplaatsen, naar het voorbeeld van Werktop: dertien maanden plus drie.",
        partner=PARTNER,
        start_on=start,
        end_on=add_months(start, 16),
        capacity_days_per_week=Decimal(2),
        fee_per_result=Decimal(1500),
        fee_kpis=["K2"],
    )
    chosen = Municipality.objects.filter(
        region=region, name__in=("Nijmegen", "Wijchen", "Druten")
    ).order_by("name")
    programme.municipalities.set(chosen)
    for municipality in chosen:
        for kpi, value in (("K1", 8), ("K2", 4), ("K3", 2)):
            Target.objects.create(
                uuid=ctx.uuid(),
                programme=programme,
                kpi=kpi,
                municipality=municipality,
                start_on=programme.start_on,
                end_on=programme.end_on,
                value=Decimal(value),
            )
    staff = list(
        Staff.objects.filter(
            organisation__region=region, user__role_grants__role=Role.RELATIONSHIP_MANAGER
        ).order_by("pk")[:3]
    )
    activities = [Activity.ACQUISITION, Activity.MEETINGS, Activity.MATCHING, Activity.AFTERCARE]
    entries = []
    day = start
    while day < today:
        if staff and day.weekday() in (1, 3):  # two days a week, shared by the team
            entries.append(
                TimeEntry(
                    uuid=ctx.uuid(),
                    programme=programme,
                    staff=ctx.rng.choice(staff),
                    on=day,
                    hours=Decimal(ctx.rng.choice(["6", "7.5", "8", "8"])),
                    activity=ctx.rng.choice(activities),
                )
            )
        day += dt.timedelta(days=1)
    TimeEntry.objects.bulk_create(entries)
    ref = _reference("werktop_2014.json")
    source = ref["tabel_6_resultaten_werktop"]["_source"]
    for row in ref["tabel_6_resultaten_werktop"]["rows"]:
        for kpi, key in (
            ("K1", "deelnemende_ondernemers"),
            ("K2", "uitstroom_regulier_werk"),
            ("K3", "werkervaringsplaats"),
        ):
            Observation.objects.create(
                uuid=ctx.uuid(),
                region=region,
                kpi=kpi,
                area=f"{row['gemeente']} (Werktop 2012-2014)",
                start_on=WERKTOP_START,
                end_on=ZAANSTAD_END if row["gemeente"] == "Zaanstad" else WERKTOP_END,
                value=Decimal(row[key]),
                source=source,
            )
    ctx.say(f"Werktop-aanpak: {len(entries)} urenregels, doelen voor {chosen.count()} gemeenten.")
