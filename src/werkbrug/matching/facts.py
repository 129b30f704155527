"""From database records to the engine's facts (``engine.CandidateFacts`` / ``OpportunityFacts``).

The projection is where privacy is decided: only the fields below reach the engine. Birth date,
sex, household, health, origin and nationality are never read here.

Every loader takes ids in bulk and runs a fixed number of queries, whatever the number of ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from werkbrug.candidates.models import (
    Candidate,
    CandidateLanguage,
    Deployability,
    JourneyStatus,
    Transport,
    WorkExperience,
)
from werkbrug.employers.models import Employer, OpportunityStatus, WorkOpportunity
from werkbrug.matching import engine
from werkbrug.matching.sectors import work_kind_for_sbi
from werkbrug.taxonomy.models import OccupationSkill, Skill, WorkKind

#: Journey statuses in which someone is looking for work (not placed, returned or finished).
SEEKING = (
    JourneyStatus.IN_CASELOAD,
    JourneyStatus.HANDED_OVER,
    JourneyStatus.CONTACTED,
    JourneyStatus.INVITED,
    JourneyStatus.MET_EMPLOYERS,
    JourneyStatus.MATCHED,
)
#: Opportunities that still look for people.
OPEN_STATUSES = (
    OpportunityStatus.OPEN,
    OpportunityStatus.PROPOSED,
    OpportunityStatus.INTRODUCTION,
)
WORK_KIND_CODES: tuple[str, ...] = tuple(WorkKind.values)
#: Kilometres per minute of travel, by the candidate's means of transport (door to door).
KM_PER_MINUTE = {
    Transport.CAR: 0.8,
    Transport.MOPED: 0.5,
    Transport.BICYCLE: 0.25,
    Transport.NONE: 0.4,  # public transport
    "": 0.4,
}
DUTCH_LEVELS = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "moedertaal": 6}
DUTCH_NAMES = {"nederlands", "dutch", "nl", "nederlandse taal"}


def kind_index(code: str | None) -> int | None:
    return WORK_KIND_CODES.index(code) if code in WORK_KIND_CODES else None


def kind_label(index: int | None) -> str:
    return str(WorkKind(WORK_KIND_CODES[index]).label) if index is not None else ""


def isco_group(isco_code: str | None) -> int | None:
    code = (isco_code or "")[:3]
    return int(code) if len(code) == 3 and code.isdigit() else None


def eligible_q(prefix: str = "") -> Q:
    """Candidates who can be suggested: looking for work and deployable."""
    return Q(**{f"{prefix}status__in": SEEKING}) & ~Q(
        **{
            f"{prefix}deployability__in": (
                Deployability.TEMPORARILY_NOT,
                Deployability.STRUCTURALLY_NOT,
            )
        }
    )


def candidate_facts(
    region_id: int, ids: Iterable[int] | None = None
) -> list[engine.CandidateFacts]:
    """Facts for the region's candidates (all, or the given ids); ineligible ones come back
    with ``eligible=False`` so that the matrix drops them."""
    qs = Candidate.objects.filter(region_id=region_id)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(
        qs.annotate(
            is_eligible=Q(eligible_q()),
        ).values_list(
            "pk",
            "is_eligible",
            "latitude",
            "longitude",
            "wished_work_kinds",
            "wished_hours_min",
            "wished_hours_max",
            "hours_available",
            "max_travel_km",
            "max_travel_minutes",
            "transport",
            "available_from",
            "driving_licence",
        )
    )
    pks = [r[0] for r in rows]
    skills: dict[int, list[int]] = defaultdict(list)
    for cid, sid in Candidate.skills.through.objects.filter(candidate_id__in=pks).values_list(
        "candidate_id", "skill_id"
    ):
        skills[cid].append(sid)
    wished: dict[int, list[int]] = defaultdict(list)
    for cid, sid in Candidate.wished_skills.through.objects.filter(
        candidate_id__in=pks
    ).values_list("candidate_id", "skill_id"):
        wished[cid].append(sid)
    wished_kinds: dict[int, set[int]] = defaultdict(set)
    for cid, kind in Candidate.wished_occupations.through.objects.filter(
        candidate_id__in=pks
    ).values_list("candidate_id", "occupation__work_kind"):
        if (i := kind_index(kind)) is not None:
            wished_kinds[cid].add(i)
    groups: dict[int, set[int]] = defaultdict(set)
    for cid, isco in WorkExperience.objects.filter(
        candidate_id__in=pks, occupation__isnull=False
    ).values_list("candidate_id", "occupation__isco_code"):
        if (g := isco_group(isco)) is not None:
            groups[cid].add(g)
    dutch: dict[int, int] = {}
    for cid, language, level in CandidateLanguage.objects.filter(candidate_id__in=pks).values_list(
        "candidate_id", "language", "level"
    ):
        if language.strip().lower() in DUTCH_NAMES:
            dutch[cid] = max(dutch.get(cid, 0), DUTCH_LEVELS.get(level, 0))
    facts = []
    for (
        pk,
        is_eligible,
        lat,
        lon,
        kinds,
        h_min,
        h_max,
        h_available,
        km,
        minutes,
        transport,
        available_from,
        licence,
    ) in rows:
        travel = (
            float(km) if km else (minutes * KM_PER_MINUTE.get(transport, 0.4) if minutes else None)
        )
        kind_set = wished_kinds[pk] | {i for k in kinds or () if (i := kind_index(k)) is not None}
        facts.append(
            engine.CandidateFacts(
                id=pk,
                skills=tuple(sorted(set(skills[pk]))),
                experience_groups=tuple(sorted(groups[pk])),
                wished_kinds=tuple(sorted(kind_set)),
                wished_skills=tuple(sorted(set(wished[pk]))),
                lat=float(lat) if lat is not None else None,
                lon=float(lon) if lon is not None else None,
                hours_min=h_min,
                hours_max=h_max or h_available,
                max_travel_km=travel,
                available_from=available_from,
                has_driving_licence=bool(licence),
                dutch_level=dutch.get(pk, 0),
                eligible=bool(is_eligible),
            )
        )
    return facts


@dataclass(frozen=True, slots=True)
class WorkSource:
    """What an opportunity or employer facts row points to (for pages and the API)."""

    opportunity_id: int | None
    employer_id: int
    latent: bool = False


def _skill_groups(skill_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    out: dict[int, set[int]] = defaultdict(set)
    for sid, isco in OccupationSkill.objects.filter(skill_id__in=list(skill_ids)).values_list(
        "skill_id", "occupation__isco_code"
    ):
        if (g := isco_group(isco)) is not None:
            out[sid].add(g)
    return {sid: tuple(sorted(gs)) for sid, gs in out.items()}


def _point(lat: object, lon: object) -> tuple[float | None, float | None]:
    if lat is None or lon is None:
        return None, None
    return float(lat), float(lon)  # type: ignore[arg-type]


def opportunity_facts(
    region_id: int, ids: Iterable[int] | None = None, *, open_only: bool = True
) -> dict[int, engine.OpportunityFacts | None]:
    """Facts for the region's open opportunities (all, or the given ids; a given id that is no
    longer open maps to None). ``open_only=False`` loads given ids whatever their status."""
    qs = WorkOpportunity.objects.filter(employer__region_id=region_id)
    if ids is not None:
        ids = list(ids)
        qs = qs.filter(pk__in=ids)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES, employer__merged_into__isnull=True)
    rows = list(
        qs.values_list(
            "pk",
            "occupation__isco_code",
            "occupation_code",
            "occupation__work_kind",
            "employer__sbi_code",
            "hours_min",
            "hours_max",
            "employer__latitude",
            "employer__longitude",
            "start_date",
            "driving_licence",
            "language_level",
        )
    )
    tasks: dict[int, list[int]] = defaultdict(list)
    for oid, sid in WorkOpportunity.skills.through.objects.filter(
        workopportunity_id__in=[r[0] for r in rows]
    ).values_list("workopportunity_id", "skill_id"):
        tasks[oid].append(sid)
    groups = _skill_groups({s for ts in tasks.values() for s in ts})
    out: dict[int, engine.OpportunityFacts | None] = dict.fromkeys(ids or (), None)
    for pk, isco, code, kind, sbi, h_min, h_max, lat, lon, start, licence, level in rows:
        la, lo = _point(lat, lon)
        ts = tuple(sorted(set(tasks[pk])))
        out[pk] = engine.OpportunityFacts(
            id=pk,
            tasks=ts,
            occupation_group=isco_group(isco or code),
            task_groups={t: groups.get(t, ()) for t in ts},
            kind=kind_index(kind or work_kind_for_sbi(sbi)),
            hours_min=h_min,
            hours_max=h_max,
            lat=la,
            lon=lo,
            start_date=start,
            requires_driving_licence=licence,
            min_dutch_level=DUTCH_LEVELS.get(level, 0),
        )
    return out


def employer_facts(
    region_id: int, ids: Iterable[int] | None = None
) -> dict[int, engine.OpportunityFacts | None]:
    """Facts for employers as a place to *ask* for work: their sector's kind of work, the tasks
    of work they had before, their location. Keyed by employer id; merged records map to None."""
    qs = Employer.objects.filter(region_id=region_id)
    if ids is not None:
        ids = list(ids)
        qs = qs.filter(pk__in=ids)
    rows = list(
        qs.filter(merged_into__isnull=True).values_list("pk", "sbi_code", "latitude", "longitude")
    )
    tasks: dict[int, set[int]] = defaultdict(set)
    for eid, sid in WorkOpportunity.skills.through.objects.filter(
        workopportunity__employer_id__in=[r[0] for r in rows]
    ).values_list("workopportunity__employer_id", "skill_id"):
        tasks[eid].add(sid)
    groups = _skill_groups({s for ts in tasks.values() for s in ts})
    out: dict[int, engine.OpportunityFacts | None] = dict.fromkeys(ids or (), None)
    for pk, sbi, lat, lon in rows:
        la, lo = _point(lat, lon)
        ts = tuple(sorted(tasks[pk]))
        out[pk] = engine.OpportunityFacts(
            id=pk,
            tasks=ts,
            task_groups={t: groups.get(t, ()) for t in ts},
            kind=kind_index(work_kind_for_sbi(sbi)),
            lat=la,
            lon=lo,
        )
    return out


def skill_labels(ids: Iterable[int]) -> dict[int, str]:
    return {
        pk: label.lower()
        for pk, label in Skill.objects.filter(pk__in=list(ids)).values_list("pk", "label")
    }
