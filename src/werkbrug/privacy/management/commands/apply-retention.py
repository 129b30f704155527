"""Daily: apply the retention periods of every region (or one), or preview what is due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from werkbrug.core import audit
from werkbrug.privacy import services
from werkbrug.regions.models import Region


class Command(BaseCommand):
    help = "Erase or anonymise personal data past its retention period (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--region", help="only this region (its code)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what is due, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        regions = Region.objects.order_by("pk")
        if options["region"]:
            regions = regions.filter(code=options["region"])
            if not regions.exists():
                raise CommandError(f"Unknown region: {options['region']}")
        with audit.acting_as(None, channel="retention"):
            for region in regions:
                run = services.apply_retention(
                    region=region, dry_run=options["dry_run"], started_by=""
                )
                counts = ", ".join(f"{k}={v}" for k, v in run.counts.items())
                verb = "due" if options["dry_run"] else "done"
                self.stdout.write(f"{region.code}: {verb}: {counts}")
