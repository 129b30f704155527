"""Builders for candidate tests: a candidate with a complete (or deliberately incomplete)
profile, in a place made by tests_support.make_region.

    candidate = make_candidate(regions["own"], client_manager=people["klantmanager"].staff)
    incomplete = make_candidate(regions["own"], complete=False)
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from django.utils import timezone

from werkbrug.candidates.models import Candidate, CandidateLanguage, Consent, WorkExperience
from werkbrug.core.bsn import protect_bsn
from werkbrug.core.validators import generate_bsn
from werkbrug.taxonomy.models import Occupation, Skill

_bsn_rng = random.Random(2026)
_counter = itertools.count(1)


def fresh_bsn() -> str:
    return generate_bsn(_bsn_rng)


def make_candidate(
    place: dict[str, Any],
    *,
    complete: bool = True,
    municipality: Any = None,
    client_manager: Any = None,
    consultant: Any = None,
    user: Any = None,
    **fields: Any,
) -> Candidate:
    n = next(_counter)
    protected = protect_bsn(fields.pop("bsn", None) or fresh_bsn())
    values: dict[str, Any] = {
        "first_name": f"Kandidaat{n}",
        "last_name": "Jansen",
        "birth_date": dt.date(1988, 3, 14),
    }
    if complete:
        values.update(
            email=f"kandidaat{n}@example.nl",
            phone="0612345678",
            street="Molenstraat 12",
            postcode="6511 AB",
            city="Nijmegen",
            benefit_type="pw_bijstand",
            benefit_start=dt.date(2024, 2, 1),
            ladder_step=4,
            segment="werkklant",
            education_level=3,
            driving_licence=False,
            transport="fiets",
            hours_available=24,
            available_from=timezone.localdate(),
            talents="Ik werk graag met mijn handen en ben altijd op tijd.",
            wished_work_kinds=["productie_logistiek"],
            max_travel_minutes=30,
        )
    values.update(fields)
    candidate = Candidate.objects.create(
        region=place["region"],
        municipality=municipality or place["municipalities"][0],
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        client_manager=client_manager,
        consultant=consultant,
        user=user,
        **values,
    )
    if complete:
        CandidateLanguage.objects.create(candidate=candidate, language="Nederlands", level="B1")
        skill = Skill.objects.order_by("id").first() or Skill.objects.create(
            uri="test:skill:orders", label="Orders verzamelen", source="curated"
        )
        candidate.skills.add(skill)
    return candidate


def any_occupation() -> Occupation:
    return Occupation.objects.order_by("id").first() or Occupation.objects.create(
        uri="test:occupation:orderpicker", isco_code="9321", label="Orderpicker", source="curated"
    )


def add_experience(candidate: Candidate, role: str = "Orderpicker") -> WorkExperience:
    return WorkExperience.objects.create(candidate=candidate, role=role, employer_name="Jumbo")


def give_consent(candidate: Candidate, scope: str, *, by: Any, employer: Any = None) -> Consent:
    return Consent.objects.create(
        candidate=candidate,
        scope=scope,
        employer=employer,
        granted_at=timezone.now(),
        granted_by=by,
        granted_via="persoonlijk",
    )
