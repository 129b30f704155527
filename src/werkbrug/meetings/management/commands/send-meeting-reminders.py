"""werkbrug send-meeting-reminders: remind invitees of a meeting in the coming days (run
daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from werkbrug.meetings import services


class Command(BaseCommand):
    help = (
        "E-mail everyone invited to a meeting in the coming two days a reminder with their "
        "answer link: those who said yes and those who have not answered (once each)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = reverse("meetings:answer", kwargs={"token": "TOKEN"})
        sent = services.send_reminders(answer_url=f"{settings.PUBLIC_URL}{path}")
        self.stdout.write(f"{sent} herinnering(en) voor bijeenkomsten verstuurd.")
