"""werkbrug send-aftercare-reminders: e-mail everyone their aftercare check-ins due (run
daily); planned placements whose start has come are marked running first."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from werkbrug.placements import reminders, services


class Command(BaseCommand):
    help = "Mark started placements running and send each person their aftercare check-ins due."

    def handle(self, *args: Any, **options: Any) -> None:
        started = services.start_due()
        sent = reminders.send(base_url=settings.PUBLIC_URL)
        self.stdout.write(
            f"{started} plaatsing(en) gestart; {sent} nazorgherinnering(en) verstuurd."
        )
