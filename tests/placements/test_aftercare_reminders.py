"""The daily aftercare reminder: one mail per person with their check-ins due, naming the job
and employer but never the candidate; once a day; to the stand-in while the owner is away;
and planned placements whose start has come become running."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from werkbrug.core.access import actor_for
from werkbrug.placements import reminders, services
from werkbrug.placements.models import Contract, Placement, PlacementKind, PlacementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world, people):
    rm = actor_for(people["relatiemanager"])
    start = timezone.localdate() - dt.timedelta(days=40)
    return services.place(
        actor=rm,
        placement=Placement(
            candidate=world["good"],
            employer=world["employer"],
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.NONE,
            job_title="Orderpicker",
            hours_per_week=Decimal(24),
            start_on=start,
            planned_end_on=start + dt.timedelta(days=60),
        ),
    )


def test_one_mail_with_the_checks_due_without_the_candidates_name(
    placed, world, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes on commit
        sent = reminders.send(base_url="https://werkbrug.example.nl")
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == [people["relatiemanager"].email]
    assert "Orderpicker, Logistiek Centrum Wijchen" in message.body
    assert f"https://werkbrug.example.nl/plaatsingen/{placed.uuid}/" in message.body
    assert world["good"].first_name not in message.body
    assert world["good"].last_name not in message.body
    # The first-week check, month 1, the three-way conversation and the alert before the end.
    assert message.body.count("\n- ") + message.body.startswith("- ") >= 3
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send(base_url="https://werkbrug.example.nl") == 0  # once a day
    assert len(mail.outbox) == 1


def test_the_stand_in_gets_it_while_the_owner_is_away(
    placed, people, django_capture_on_commit_callbacks
):
    owner = people["relatiemanager"].staff
    owner.substitute = people["teamleider"].staff
    owner.away_from = timezone.localdate() - dt.timedelta(days=1)
    owner.away_until = timezone.localdate() + dt.timedelta(days=5)
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send(base_url="https://werkbrug.example.nl")
    (message,) = mail.outbox
    assert message.to == [people["teamleider"].email]


@override_settings(PUBLIC_URL="https://werkbrug.example.nl")
def test_the_daily_command_starts_planned_placements_and_reminds(placed):
    Placement.objects.filter(pk=placed.pk).update(status=PlacementStatus.PLANNED)
    out = io.StringIO()
    call_command("send-aftercare-reminders", stdout=out)
    assert "1 plaatsing(en) gestart; 1 nazorgherinnering(en) verstuurd." in out.getvalue()
    placed.refresh_from_db()
    assert placed.status == PlacementStatus.RUNNING
