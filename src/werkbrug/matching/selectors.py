"""Reads for matching: suggestions both ways, with their explanations, and shortlists.

Which candidates may appear is decided by the candidate scope rule (``candidates.scopes``):
the suggestions are drawn only from the rows it allows, consent included, checked on every
request. A candidate the actor does not see in full (another municipality's candidate in the
regional pool) comes back with ``full_access=False``; pages and the API then show the
anonymous profile only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import Candidate, Sex
from werkbrug.candidates.scopes import annotate_full_access, scope_parts
from werkbrug.core import access
from werkbrug.employers.models import Employer, WorkOpportunity
from werkbrug.matching import engine, facts, fairness, index
from werkbrug.matching.models import MatchEvent, MatchEventKind, ShortlistEntry

DEFAULT_K = 20
MAX_K = 200
DEFAULT_WEIGHTS = engine.Weights()

FACTOR_LABELS = {
    "skills": _("Tasks and experience"),
    "wishes": _("Wishes"),
    "hours": _("Hours"),
    "travel": _("Travel"),
    "availability": _("Available"),
    "requirements": _("Must-haves"),
}


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    value: float
    weight: float

    @property
    def percent(self) -> int:
        return round(self.value * 100)


@dataclass
class Explained:
    """A suggestion with everything a person needs to judge it."""

    suggestion: engine.Suggestion
    explanation: str
    matched: list[str]
    partial: list[str]
    missing: list[str]
    missing_requirements: list[str]
    factors: list[Factor]

    @property
    def percent(self) -> int:
        return round(self.suggestion.score * 100)

    @property
    def distance_km(self) -> int | None:
        d = self.suggestion.distance_km
        return None if d is None else round(d)


@dataclass
class CandidateSuggestion(Explained):
    candidate: Candidate = field(default=None)  # type: ignore[assignment]
    rank: int = 0
    full_access: bool = False
    entry: ShortlistEntry | None = None


@dataclass
class WorkSuggestion(Explained):
    employer: Employer = field(default=None)  # type: ignore[assignment]
    opportunity: WorkOpportunity | None = None


def parse_mode(value: str | None) -> engine.Mode:
    try:
        return engine.Mode(value or engine.Mode.BREED)
    except ValueError:
        return engine.Mode.BREED


def requirement_labels(s: engine.Suggestion, min_dutch_level: int) -> list[str]:
    out = []
    for req in s.missing_requirements:
        if req == engine.REQ_DRIVING_LICENCE:
            out.append("rijbewijs B")
        elif req == engine.REQ_DUTCH:
            out.append(f"Nederlands {engine.DUTCH_LEVEL_LABELS.get(min_dutch_level, '')}".strip())
    return out


def explain(
    s: engine.Suggestion,
    labels: dict[int, str],
    opportunity: engine.OpportunityFacts,
    weights: engine.Weights = DEFAULT_WEIGHTS,
) -> Explained:
    def names(ids: Sequence[int]) -> list[str]:
        return [labels.get(i, f"taak {i}") for i in ids]

    w = weights.factor_weights()
    return Explained(
        suggestion=s,
        explanation=engine.explain_nl(s, labels, min_dutch_level=opportunity.min_dutch_level),
        matched=names(s.matched_skills),
        partial=names(s.partial_skills),
        missing=names(s.missing_skills),
        missing_requirements=requirement_labels(s, opportunity.min_dutch_level),
        factors=[
            Factor(key, str(FACTOR_LABELS[key]), s.factors[key], w[key]) for key in engine.FACTORS
        ],
    )


def _require_suggest(actor: access.Actor) -> None:
    if not access.can(actor, "matching.suggest"):
        raise PermissionDenied


def opportunity_facts_for(opportunity: WorkOpportunity) -> engine.OpportunityFacts:
    """The facts of one opportunity, open or not (a filled one can still be looked at)."""
    region_id = opportunity.employer.region_id
    found = index.for_region(region_id).opportunities.get(opportunity.pk)
    if found is not None:
        return found
    loaded = facts.opportunity_facts(region_id, [opportunity.pk], open_only=False)
    return loaded[opportunity.pk] or engine.OpportunityFacts(id=opportunity.pk)


def visible_candidate_ids(actor: access.Actor, region_id: int) -> tuple[list[int], set[int]]:
    """The eligible candidates of the region the actor may see (scope rule, consent
    included), and which of those they see in full."""
    allowed: list[int] = []
    full: set[int] = set()
    for i, part in enumerate(scope_parts(actor)):
        ids = list(
            part.filter(facts.eligible_q(), region_id=region_id).values_list("pk", flat=True)
        )
        allowed += ids
        if i == 0 and access.can(actor, "candidates.view"):
            full.update(ids)
    return allowed, full


def candidates_for_opportunity(
    actor: access.Actor,
    opportunity: WorkOpportunity,
    *,
    k: int = DEFAULT_K,
    mode: engine.Mode = engine.Mode.BREED,
    record: bool = True,
) -> list[CandidateSuggestion]:
    """The k best candidates the actor may see for this opportunity, best first. Each shown
    suggestion is stored as an event (once a day) for the fairness report."""
    _require_suggest(actor)
    if not access.scoped(WorkOpportunity, actor).filter(pk=opportunity.pk).exists():
        raise PermissionDenied
    k = max(1, min(int(k), MAX_K))
    region_id = opportunity.employer.region_id
    region_index = index.for_region(region_id)
    opp = opportunity_facts_for(opportunity)
    allowed, full = visible_candidate_ids(actor, region_id)
    found = region_index.candidates_for(opp, k=k, mode=mode, allowed_ids=allowed)
    ids = [s.candidate_id for s in found]
    candidates = Candidate.objects.in_bulk(ids)
    entries = {e.candidate_id: e for e in ShortlistEntry.objects.filter(opportunity=opportunity)}
    labels = facts.skill_labels(opp.tasks)
    out = []
    for rank, s in enumerate(found, start=1):
        if s.candidate_id not in candidates:
            continue  # removed since the index last caught up
        e = explain(s, labels, opp)
        out.append(
            CandidateSuggestion(
                **e.__dict__,
                candidate=candidates[s.candidate_id],
                rank=rank,
                full_access=s.candidate_id in full,
                entry=entries.get(s.candidate_id),
            )
        )
    if record and out:
        today = timezone.localdate()
        MatchEvent.objects.bulk_create(
            [
                MatchEvent(
                    kind=MatchEventKind.SUGGESTED,
                    region_id=region_id,
                    opportunity=opportunity,
                    candidate_id=c.candidate.pk,
                    on=today,
                    rank=c.rank,
                )
                for c in out
            ],
            ignore_conflicts=True,
        )
    return out


def candidate_facts_for(candidate: Candidate) -> engine.CandidateFacts:
    region_index = index.for_region(candidate.region_id)
    found = region_index.facts_of(candidate.pk)
    if found is None:  # not looking for work now: score on the stored record all the same
        found = facts.candidate_facts(candidate.region_id, [candidate.pk])[0]
    return found


def work_for_candidate(
    actor: access.Actor,
    candidate: Candidate,
    *,
    k: int = 10,
    mode: engine.Mode = engine.Mode.BREED,
) -> tuple[list[WorkSuggestion], list[WorkSuggestion]]:
    """Open work that fits the candidate, and employers without open work who are worth
    asking (sector, work they had before, distance): ask for work, not vacancies."""
    _require_suggest(actor)
    if not access.scoped(Candidate, actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied
    k = max(1, min(int(k), MAX_K))
    region_index = index.for_region(candidate.region_id)
    me = candidate_facts_for(candidate)
    found_work, found_employers = region_index.work_for(me, k=k, mode=mode)
    opportunities = WorkOpportunity.objects.select_related("employer").in_bulk(
        [s.opportunity_id for s in found_work]
    )
    employers = Employer.objects.in_bulk([s.opportunity_id for s in found_employers])
    skill_ids = set(me.skills)
    for s in [*found_work, *found_employers]:
        skill_ids.update(s.matched_skills, s.partial_skills, s.missing_skills)
    labels = facts.skill_labels(skill_ids)
    work = []
    for s in found_work:
        o = opportunities.get(s.opportunity_id)
        if o is not None:
            e = explain(
                s, labels, region_index.opportunities.get(o.pk) or engine.OpportunityFacts()
            )
            work.append(WorkSuggestion(**e.__dict__, employer=o.employer, opportunity=o))
    asks = []
    for s in found_employers:
        emp = employers.get(s.opportunity_id)
        if emp is not None:
            e = explain(s, labels, engine.OpportunityFacts())
            e.explanation = explain_employer(s, labels, region_index.employers.get(emp.pk), me)
            asks.append(WorkSuggestion(**e.__dict__, employer=emp))
    return work, asks


def explain_employer(
    s: engine.Suggestion,
    labels: dict[int, str],
    employer: engine.OpportunityFacts | None,
    candidate: engine.CandidateFacts,
) -> str:
    """Why it is worth asking this employer for work, in Dutch."""
    parts = []
    if (
        employer is not None
        and employer.kind is not None
        and employer.kind in candidate.wished_kinds
    ):
        parts.append(f"sector past bij de wens ({facts.kind_label(employer.kind).lower()})")
    if s.matched_skills:
        parts.append(
            "had eerder werk met " + ", ".join(labels.get(i, "") for i in s.matched_skills)
        )
    elif s.partial_skills:
        parts.append("verwant werk: " + ", ".join(labels.get(i, "") for i in s.partial_skills))
    if s.distance_km is not None:
        parts.append(f"op {round(s.distance_km)} km")
    return "vraag naar werk: " + "; ".join(parts) if parts else "vraag naar werk"


def with_full_access(
    queryset: QuerySet[ShortlistEntry], actor: access.Actor
) -> QuerySet[ShortlistEntry]:
    """Annotate ``full_access``: whether the actor sees the entry's candidate in full (the
    others are pool candidates of another municipality: shown anonymously)."""
    return annotate_full_access(queryset, actor)


def shortlist_for(actor: access.Actor, opportunity: WorkOpportunity) -> QuerySet[ShortlistEntry]:
    return with_full_access(
        access.scoped(ShortlistEntry, actor)
        .filter(opportunity=opportunity)
        .select_related("candidate", "added_by")
        .order_by("number"),
        actor,
    )


def shortlists_of_employer(actor: access.Actor, employer: Employer) -> QuerySet[ShortlistEntry]:
    """Every shortlist entry of the employer's opportunities the actor may see (360° page)."""
    return with_full_access(
        access.scoped(ShortlistEntry, actor)
        .filter(opportunity__employer=employer)
        .select_related("opportunity", "candidate")
        .order_by("-opportunity__opened_on", "opportunity_id", "number"),
        actor,
    )


def proposals_for_employer(actor: access.Actor) -> QuerySet[ShortlistEntry]:
    """The candidates proposed to the employer's company (portal): anonymous profiles."""
    return (
        access.scoped(ShortlistEntry, actor)
        .select_related("opportunity")
        .order_by("-proposed_at", "number")
    )


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


FAIRNESS_STEPS = (
    MatchEventKind.SUGGESTED,
    MatchEventKind.SHORTLISTED,
    MatchEventKind.PROPOSED,
    MatchEventKind.INTRODUCED,
    MatchEventKind.HIRED,
)


@dataclass
class FairnessReport:
    start: dt.date
    end: dt.date
    pool_size: int
    step_sizes: dict[str, int]
    by_age: list[fairness.Row]
    by_sex: list[fairness.Row]

    @property
    def steps(self) -> list[tuple[str, str]]:
        return [(k.value, str(k.label)) for k in FAIRNESS_STEPS]


def fairness_report(actor: access.Actor, start: dt.date, end: dt.date) -> FairnessReport:
    """How the people reached by suggestions, shortlists, proposals, introductions and hires
    in ``start``..``end`` are spread over age bands and sex, against the pool: everyone reached
    in the period plus the region's candidates registered by its end who are looking for work
    today (Werkbrug keeps no dated history of the journey status, so for a period long ago
    the pool is an approximation). Ages on the last day of the period. Counted from the
    stored events (a person once per step), never from scores."""
    access.require(actor, "matching.fairness")
    if actor.region_id is None:
        raise PermissionDenied
    events = MatchEvent.objects.filter(region_id=actor.region_id, on__gte=start, on__lte=end)
    reached: dict[str, set[int]] = {k.value: set() for k in FAIRNESS_STEPS}
    for kind, cid in events.values_list("kind", "candidate_id").distinct():
        reached[kind].add(cid)
    everyone = set().union(*reached.values())
    seeking = Candidate.objects.filter(region_id=actor.region_id, created_at__date__lte=end).filter(
        facts.eligible_q()
    )
    people = {
        pk: (birth, sex)
        for pk, birth, sex in Candidate.objects.filter(
            Q(pk__in=seeking.values("pk")) | Q(pk__in=list(everyone))
        ).values_list("pk", "birth_date", "sex")
    }

    def age_of(pk: int) -> str:
        return fairness.age_band(age_on(people[pk][0], end))

    def sex_of(pk: int) -> str:
        return people[pk][1] or fairness.UNKNOWN

    def rows(group_of: Callable[[int], str], groups: Sequence[str]) -> list[fairness.Row]:
        return fairness.distribution(
            [group_of(pk) for pk in people],
            {k: [group_of(pk) for pk in ids if pk in people] for k, ids in reached.items()},
            groups,
        )

    return FairnessReport(
        start=start,
        end=end,
        pool_size=len(people),
        step_sizes={k: len(v) for k, v in reached.items()},
        by_age=rows(age_of, [b[2] for b in fairness.AGE_BANDS] + [fairness.UNKNOWN]),
        by_sex=rows(sex_of, [*Sex.values, fairness.UNKNOWN]),
    )
