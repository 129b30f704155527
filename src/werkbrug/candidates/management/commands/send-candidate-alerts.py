"""werkbrug send-candidate-alerts: e-mail each consultant their candidate alerts (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from werkbrug.candidates import alerts


class Command(BaseCommand):
    help = (
        "Send each consultant one e-mail with candidates not seen for too long and service "
        "periods reaching 12 or 24 months today."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = alerts.send()
        self.stdout.write(f"{sent} kandidaatsignalering(en) verstuurd.")
