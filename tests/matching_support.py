"""A small matching world: a warehouse in Wijchen that needs order pickers, and candidates
around Nijmegen with and without warehouse experience. Import ``world`` as a fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from candidates_support import make_candidate
from werkbrug.candidates.models import WorkExperience
from werkbrug.employers.models import ContactPerson, Employer, OpportunityStatus, WorkOpportunity
from werkbrug.matching import index
from werkbrug.taxonomy.models import Occupation, Skill

WIJCHEN = (Decimal("51.80900"), Decimal("5.72600"))
NIJMEGEN = (Decimal("51.84200"), Decimal("5.85300"))  # about 9 km from Wijchen
ZAANSTAD = (Decimal("52.43800"), Decimal("4.82600"))  # about 100 km away

WAREHOUSE_TASKS = ["Orders verzamelen", "Pallets stapelen", "Orders inpakken en verzendklaar maken"]


def skill(label: str) -> Skill:
    return Skill.objects.get(label=label)


def make_opportunity(employer: Employer, **fields: Any) -> WorkOpportunity:
    tasks = fields.pop("tasks", WAREHOUSE_TASKS)
    values: dict[str, Any] = {
        "title": "Orderpicker",
        "tasks": tasks,
        "occupation_code": "9321",
        "hours_min": 24,
        "hours_max": 32,
        "start_date": timezone.localdate() + dt.timedelta(days=14),
        "status": OpportunityStatus.OPEN,
        "opened_on": timezone.localdate(),
    }
    values.update(fields)
    opportunity = WorkOpportunity.objects.create(employer=employer, **values)
    opportunity.skills.set(Skill.objects.filter(label__in=tasks))
    opportunity.occupation = Occupation.objects.filter(isco_code=values["occupation_code"]).first()
    opportunity.save()
    return opportunity


def picker(place: dict[str, Any], *, near: bool = True, experienced: bool = True, **fields: Any):
    lat, lon = NIJMEGEN if near else ZAANSTAD
    fields.setdefault("latitude", lat)
    fields.setdefault("longitude", lon)
    fields.setdefault("wished_hours_min", 24)
    fields.setdefault("wished_hours_max", 32)
    fields.setdefault("max_travel_km", 20)
    candidate = make_candidate(place, **fields)
    candidate.skills.clear()
    if experienced:
        candidate.skills.add(*Skill.objects.filter(label__in=WAREHOUSE_TASKS[:2]))
        WorkExperience.objects.create(
            candidate=candidate,
            role="Orderpicker",
            employer_name="Distributiecentrum",
            occupation=Occupation.objects.filter(isco_code="9321").first(),
            from_year=2019,
            to_year=2023,
        )
    else:
        candidate.skills.add(skill("Kassa bedienen"))
    return candidate


@pytest.fixture
def world(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    index.forget()
    own = regions["own"]
    rm = people["relatiemanager"].staff
    employer = Employer.objects.create(
        region=own["region"],
        name="Logistiek Centrum Wijchen",
        municipality=own["municipalities"][1],
        sbi_code="52101",
        latitude=WIJCHEN[0],
        longitude=WIJCHEN[1],
        owner=rm,
    )
    ContactPerson.objects.create(
        employer=employer, name="Petra Hendriks", user=people["werkgever"], email="petra@example.nl"
    )
    opportunity = make_opportunity(employer)
    return {
        "place": own,
        "rm": rm,
        "employer": employer,
        "opportunity": opportunity,
        "good": picker(own, client_manager=people["klantmanager"].staff),
        "far": picker(own, near=False),
        "cashier": picker(own, experienced=False),
    }
