"""Daily reminders: one e-mail per person with due actions; a colleague who is away is
covered by their substitute; running twice the same day sends nothing new (one digest per
person per day, also while a question stays open)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from werkbrug.employers import reminders
from werkbrug.employers.models import Action, Employer, EmployerQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(regions, people):
    own = regions["own"]
    return Employer.objects.create(
        region=own["region"],
        name="Bakkerij De Korenschoof",
        municipality=own["municipalities"][0],
        owner=people["relatiemanager"].staff,
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """reminders.send, with the outbox delivering when the run commits (as outside tests)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send(**kwargs)

    return run


def test_due_and_overdue_actions_are_sent_once(employer, people, send):
    today = timezone.localdate()
    rm = people["relatiemanager"].staff
    Action.objects.create(employer=employer, title="Offerte LKS nasturen", owner=rm, due_on=today)
    Action.objects.create(
        employer=employer, title="Terugbellen", owner=rm, due_on=today - dt.timedelta(days=3)
    )
    Action.objects.create(
        employer=employer, title="Later", owner=rm, due_on=today + dt.timedelta(days=3)
    )
    assert send(on=today) == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Offerte LKS nasturen" in body and "Terugbellen" in body and "Later" not in body
    assert mail.outbox[0].to == [people["relatiemanager"].email]
    assert send(on=today) == 0


def test_actions_of_someone_away_go_to_the_substitute(employer, people, send):
    today = timezone.localdate()
    rm = people["relatiemanager"].staff
    tl = people["teamleider"].staff
    rm.substitute, rm.away_from = tl, today - dt.timedelta(days=1)
    rm.save()
    Action.objects.create(employer=employer, title="Rondleiding plannen", owner=rm, due_on=today)
    send(on=today)
    assert [m.to for m in mail.outbox] == [[people["teamleider"].email]]


def test_questions_due_today_are_included(employer, people, send):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    EmployerQuestion.objects.create(
        employer=employer,
        question="Kan ik een no-riskpolis krijgen?",
        received_at=timezone.make_aware(dt.datetime.combine(monday, dt.time(9))),
        assigned_to=people["relatiemanager"].staff,
    )
    send(on=today)
    assert "no-riskpolis" in mail.outbox[0].body
    # The question is still open, but a second run the same day sends no second digest.
    assert send(on=today) == 0
    assert len(mail.outbox) == 1
