"""werkbrug send-survey-reminders: remind everyone invited by e-mail to an open survey who has
not answered a week after the invitation (at most twice; run daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from werkbrug.evaluation import services
from werkbrug.evaluation.models import Survey, SurveyStatus


class Command(BaseCommand):
    help = (
        "E-mail a reminder with the same personal link to everyone invited to an open survey "
        "who has not answered after a week (at most twice each)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = reverse("evaluation:answer", kwargs={"token": "TOKEN"})
        sent = 0
        for survey in Survey.objects.filter(status=SurveyStatus.OPEN).order_by("pk"):
            sent += services.send_reminders(survey=survey, base_url=f"{settings.PUBLIC_URL}{path}")
        self.stdout.write(f"{sent} herinnering(en) voor enquêtes verstuurd.")
