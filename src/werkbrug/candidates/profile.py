"""What a candidate's profile holds, for completeness and for the anonymous view.

``completeness_for`` feeds the pure ``completeness.assess`` from a Candidate (using prefetched
relations when the caller prefetched them). ``ITEM_LABELS`` are the names a client manager
sees in the list of what is missing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.completeness import Completeness, assess
from werkbrug.candidates.models import Candidate

ITEM_LABELS = {
    "contact": _("Phone number or e-mail address"),
    "address": _("Address (street, postcode and place)"),
    "benefit": _("Benefit"),
    "ladder_step": _("Participation ladder step"),
    "segment": _("Segment (work, development or participation client)"),
    "education_level": _("Highest education completed"),
    "languages": _("Languages spoken"),
    "driving_licence": _("Driving licence (yes or no)"),
    "hours_available": _("Hours available per week"),
    "available_from": _("Available from"),
    "talents": _("What the candidate is good at"),
    "skills": _("Tasks and skills"),
    "wishes": _("Wishes: kinds of work, occupations or tasks"),
    "travel": _("Maximum travel time or distance"),
    "client_manager": _("Client manager"),
    "work_experience": _("Work experience"),
    "development_goals": _("What the candidate wants to learn"),
    "coordinates": _("Location on the map (coordinates)"),
    "benefit_start": _("Benefit start date"),
    "wished_hours": _("Wished hours per week"),
    "informed": _("Told what to expect"),
    "profile_confirmed": _("Profile confirmed recently"),
}

PROFILE_STALE_MONTHS_DEFAULT = 6


def _count(candidate: Candidate, relation: str) -> int:
    cache = getattr(candidate, "_prefetched_objects_cache", {})
    if relation in cache:
        return len(cache[relation])
    return getattr(candidate, relation).count()


def confirmed_recently(
    candidate: Candidate, *, stale_months: int, now: dt.datetime | None = None
) -> bool:
    """The candidate confirmed their profile within the region's ``stale_months``."""
    confirmed = candidate.profile_confirmed_at
    if confirmed is None:
        return False
    return (now or timezone.now()) - confirmed <= dt.timedelta(days=round(stale_months * 30.44))


def filled_items(
    candidate: Candidate,
    *,
    now: dt.datetime | None = None,
    stale_months: int = PROFILE_STALE_MONTHS_DEFAULT,
) -> dict[str, bool]:
    now = now or timezone.now()
    c = candidate
    return {
        "contact": bool(c.phone or c.email),
        "address": bool(c.street and c.postcode and c.city),
        "benefit": bool(c.benefit_type),
        "ladder_step": c.ladder_step is not None,
        "segment": bool(c.segment),
        "education_level": c.education_level is not None,
        "languages": _count(c, "languages") > 0,
        "driving_licence": c.driving_licence is not None,
        "hours_available": c.hours_available is not None,
        "available_from": c.available_from is not None,
        "talents": bool(c.talents.strip()),
        "skills": _count(c, "skills") > 0,
        "wishes": bool(c.wished_work_kinds)
        or _count(c, "wished_occupations") > 0
        or _count(c, "wished_skills") > 0,
        "travel": c.max_travel_minutes is not None or c.max_travel_km is not None,
        "client_manager": c.client_manager_id is not None,
        "work_experience": _count(c, "experience") > 0,
        "development_goals": bool(c.development_goals.strip()),
        "coordinates": c.latitude is not None and c.longitude is not None,
        "benefit_start": c.benefit_start is not None,
        "wished_hours": c.wished_hours_min is not None or c.wished_hours_max is not None,
        "informed": c.informed_at is not None,
        "profile_confirmed": confirmed_recently(c, stale_months=stale_months, now=now),
    }


def completeness_for(candidate: Candidate, **kwargs: object) -> Completeness:
    return assess(filled_items(candidate, **kwargs))  # type: ignore[arg-type]


def missing_labels(codes: tuple[str, ...]) -> list[str]:
    return [str(ITEM_LABELS[code]) for code in codes]
