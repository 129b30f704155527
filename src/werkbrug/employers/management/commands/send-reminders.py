"""werkbrug send-reminders: e-mail everyone their due actions and questions (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from werkbrug.employers import reminders


class Command(BaseCommand):
    help = "Send each person one e-mail with today's due actions and employer questions."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders.send()
        self.stdout.write(f"{sent} herinnering(en) verstuurd.")
