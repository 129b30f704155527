"""Meeting fixtures on top of the matching world: a meeting at the warehouse in Wijchen and a
second employer (a supermarket with till work)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from matching_support import make_opportunity
from werkbrug.employers.models import Employer
from werkbrug.meetings.models import Meeting

#: The fields of an invitation in the API (the answer link's token is never one of them).
INVITATION_FIELDS = {
    "uuid",
    "meeting",
    "employer",
    "candidate",
    "response",
    "waitlist_position",
    "present",
    "sent_at",
    "reminded_at",
    "answer_recorded",
    "table_capacity",
}


@pytest.fixture
def meeting(world: dict[str, Any], people: dict[str, Any]) -> Meeting:
    m = Meeting.objects.create(
        region=world["place"]["region"],
        title="Prettig gesprek Wijchen",
        host_employer=world["employer"],
        location="Logistiek Centrum Wijchen",
        starts_at=timezone.now() + dt.timedelta(days=10),
        rounds=3,
        table_capacity=2,
        min_conversations=1,
    )
    m.organisers.add(people["relatiemanager"].staff)
    return m


@pytest.fixture
def second_employer(world: dict[str, Any]) -> Employer:
    other = Employer.objects.create(
        region=world["place"]["region"],
        name="Supermarkt Jansen",
        municipality=world["place"]["municipalities"][0],
        sbi_code="47111",
        latitude=world["employer"].latitude,
        longitude=world["employer"].longitude,
        owner=world["rm"],
    )
    make_opportunity(
        other, title="Kassamedewerker", tasks=["Kassa bedienen"], occupation_code="5230"
    )
    return other
