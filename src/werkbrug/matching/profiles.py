"""The anonymous profile an employer sees of a proposed candidate.

It holds what someone can and wants (tasks, experience as occupations and years, hours,
distance rounded up to 5 km, availability, must-haves) and nothing that identifies them: no
name, contact details, birth date, address, employer names, free text or health. It is
frozen on the shortlist entry when the candidate is proposed, so the employer's portal never
reads the candidate record."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from werkbrug.candidates.models import Candidate, WorkExperience
from werkbrug.matching import engine, facts
from werkbrug.matching.selectors import requirement_labels

MAX_TASKS = 12
MAX_EXPERIENCE = 5
DISTANCE_STEP_KM = 5


def anonymous_profile(
    candidate: Candidate,
    suggestion: engine.Suggestion | None,
    opportunity: engine.OpportunityFacts,
) -> dict[str, Any]:
    skill_ids = list(candidate.skills.values_list("pk", flat=True))
    matched = set(suggestion.matched_skills) if suggestion else set()
    labels = facts.skill_labels([*skill_ids, *opportunity.tasks])
    tasks = sorted(labels, key=lambda i: (i not in matched, labels[i]))[:MAX_TASKS]
    # Experience as the occupation from the task list, never the role as typed (free text
    # can name a person or a former employer); unclassified experience is left out.
    experience = [
        {"role": occupation, "years": _years(start, end), "paid": paid}
        for occupation, start, end, paid in WorkExperience.objects.filter(
            candidate=candidate, occupation__isnull=False
        )
        .order_by("-from_year")
        .values_list("occupation__label", "from_year", "to_year", "paid")[:MAX_EXPERIENCE]
    ]
    me = facts.candidate_facts(candidate.region_id, [candidate.pk])[0]
    hours = ""
    if me.hours_min or me.hours_max:
        lo, hi = me.hours_min or me.hours_max, me.hours_max or me.hours_min
        hours = f"{lo} uur" if lo == hi else f"{lo}–{hi} uur"
    # Distance in steps of 5 km: enough to judge the journey, too coarse to point at a street.
    distance = None
    if suggestion is not None and suggestion.distance_km is not None:
        distance = DISTANCE_STEP_KM * math.ceil(max(suggestion.distance_km, 0.1) / DISTANCE_STEP_KM)
    # The explanation without the exact distance (the profile gives it rounded).
    explanation = ""
    if suggestion is not None:
        explanation = engine.explain_nl(
            dataclasses.replace(suggestion, distance_km=None),
            labels,
            min_dutch_level=opportunity.min_dutch_level,
        )
    return {
        "explanation": explanation,
        "score": round(suggestion.score * 100) if suggestion else None,
        "tasks": [labels[i] for i in tasks],
        "matched_tasks": [labels[i] for i in tasks if i in matched],
        "missing": requirement_labels(suggestion, opportunity.min_dutch_level)
        if suggestion
        else [],
        "experience": experience,
        "hours": hours,
        "distance_km": distance,
        "available_from": me.available_from.isoformat() if me.available_from else None,
        "driving_licence": me.has_driving_licence,
        "dutch_level": engine.DUTCH_LEVEL_LABELS.get(me.dutch_level, "") if me.dutch_level else "",
        "education_level": candidate.education_level,
        "opportunity_tasks": len(opportunity.tasks),
    }


def _years(start: int | None, end: int | None) -> str:
    if not start:
        return str(end or "")
    if not end:
        return f"sinds {start}"
    return str(start) if end == start else f"{start}–{end}"
