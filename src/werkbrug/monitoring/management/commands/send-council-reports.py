"""werkbrug send-council-reports: queue the monthly council report for every subscriber who
has not had last month's yet (run daily after refresh-kpis; sends once per month)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from werkbrug.monitoring import report_services


class Command(BaseCommand):
    help = "Queue the monthly council report for every subscriber who has not had it yet."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = report_services.queue_monthly()
        self.stdout.write(f"{count} raadsrapportage(s) in de wachtrij gezet.")
