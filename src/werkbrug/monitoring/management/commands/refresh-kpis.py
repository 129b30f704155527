"""werkbrug refresh-kpis: recompute the KPI values of every region (run nightly, before the
dashboards are used and before send-council-reports)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from werkbrug.monitoring import services
from werkbrug.regions.models import Region


class Command(BaseCommand):
    help = "Recompute the KPI values of every region (or one, with --region CODE)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", help="Only this region (its code, e.g. RVN).")

    def handle(self, *args: Any, **options: Any) -> None:
        regions = Region.objects.order_by("code")
        if options.get("region"):
            regions = regions.filter(code=options["region"])
            if not regions.exists():
                self.stderr.write(f"Regio {options['region']!r} bestaat niet.")
                return
        for region in regions:
            done = services.refresh(region_id=region.pk)
            self.stdout.write(
                f"{region.name}: {done.values} waarden uit {done.facts} feiten "
                f"in {done.seconds:.1f} s."
            )
