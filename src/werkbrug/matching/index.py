"""The in-memory matching index of each region, kept current from the change journal.

Each process holds, per region, the candidates' feature matrix (``engine.FeatureMatrix``) and
the facts of the open opportunities and of the employers. It is built from the database the
first time a region is used after start (``warm`` builds all regions at once) and from then on
brought up to date on every use by reading the journal rows (``IndexChange``) written since:
only the candidates, opportunities and employers named there are reloaded. Because the journal
is a table, a change made by one process (a web worker, a command, an import) reaches every
other process on its next request; nothing is rebuilt per request.

Who may see which candidate is *not* decided here: callers pass the rows allowed by the
candidate scope rule (``access.scoped``), which checks consent on every query.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Max, Q
from django.utils import timezone

from werkbrug.employers.models import WorkOpportunity
from werkbrug.matching import engine, facts
from werkbrug.matching.models import IndexChange

#: Journal rows older than this are deleted when an index is built ...
JOURNAL_KEEP = dt.timedelta(days=2)
#: ... and an index older than this is rebuilt on its next use, so a process that did not
#: use a region for a long time never depends on rows that may have been deleted.
REBUILD_AFTER = dt.timedelta(days=1)
#: A journal id skipped while reading (its transaction had not committed yet, or was rolled
#: back) is looked for again on every use for this long.
GAP_PATIENCE = dt.timedelta(hours=1)
#: How many journal ids below the position a build checks for such gaps.
BUILD_GAP_WINDOW = 500


@dataclass
class RegionIndex:
    region_id: int
    matrix: engine.FeatureMatrix
    opportunities: dict[int, engine.OpportunityFacts]
    employers: dict[int, engine.OpportunityFacts]
    employer_of: dict[int, int]  # open opportunity id -> employer id
    last_change_id: int
    built_at: dt.datetime
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Journal ids below ``last_change_id`` not seen yet (id -> when first missed). Ids are
    #: handed out when a row is inserted, not when its transaction commits: a long transaction
    #: can commit a lower id after a higher one was read.
    gaps: dict[int, dt.datetime] = field(default_factory=dict)

    def catch_up(self) -> None:
        """Apply the journal rows written since the last use (and any gap that filled)."""
        with self.lock:
            # Every region's rows are read (few, since the last use) so that a missing id is
            # a real gap and not another region's change.
            since = Q(id__gt=self.last_change_id)
            if self.gaps:
                since |= Q(id__in=list(self.gaps))
            rows = list(
                IndexChange.objects.filter(since)
                .order_by("id")
                .values_list("id", "region_id", "entity", "object_id")
            )
            now = timezone.now()
            seen = {r[0] for r in rows}
            for gap in seen & self.gaps.keys():
                del self.gaps[gap]
            if rows:
                for missing in range(self.last_change_id + 1, max(seen)):
                    if missing not in seen:
                        self.gaps.setdefault(missing, now)
            for gap, missed_at in list(self.gaps.items()):
                if now - missed_at > GAP_PATIENCE:
                    del self.gaps[gap]
            changes = [(i, e, o) for i, region, e, o in rows if region == self.region_id]
            self.apply(changes)
            if rows:
                self.last_change_id = max(self.last_change_id, max(seen))

    def apply(self, changes: list[tuple[int, str, int]]) -> None:
        """Reload the objects named in these journal rows (id, entity, object id); call with
        the lock held."""
        if not changes:
            return
        by_entity: dict[str, set[int]] = {"c": set(), "o": set(), "e": set()}
        for _id, entity, object_id in changes:
            by_entity[entity].add(object_id)
        opportunity_ids, employer_ids = by_entity["o"], by_entity["e"]
        # An employer's location and sector are part of each of its opportunities, and the
        # tasks of its opportunities part of the employer's own facts.
        for pk, employer_id in WorkOpportunity.objects.filter(
            Q(employer_id__in=employer_ids) | Q(pk__in=opportunity_ids)
        ).values_list("pk", "employer_id"):
            opportunity_ids.add(pk)
            employer_ids.add(employer_id)
        if by_entity["c"]:
            loaded = {f.id: f for f in facts.candidate_facts(self.region_id, by_entity["c"])}
            for cid in by_entity["c"]:
                if cid in loaded and loaded[cid].eligible:
                    self.matrix.upsert(loaded[cid])
                else:
                    self.matrix.remove(cid)
        if opportunity_ids:
            for pk, f in facts.opportunity_facts(self.region_id, opportunity_ids).items():
                self.opportunities.pop(pk, None)
                self.employer_of.pop(pk, None)
                if f is not None:
                    self.opportunities[pk] = f
            still_open = [pk for pk in opportunity_ids if pk in self.opportunities]
            self.employer_of.update(
                WorkOpportunity.objects.filter(pk__in=still_open).values_list("pk", "employer_id")
            )
        if employer_ids:
            for pk, f in facts.employer_facts(self.region_id, employer_ids).items():
                self.employers.pop(pk, None)
                if f is not None:
                    self.employers[pk] = f
        self.last_change_id = max(self.last_change_id, max(c[0] for c in changes))

    # ---- scoring (under the lock: another thread may be applying changes) -----------------
    def candidates_for(
        self,
        opportunity: engine.OpportunityFacts,
        *,
        k: int,
        mode: engine.Mode,
        allowed_ids: Iterable[int],
    ) -> list[engine.Suggestion]:
        """The k best of the allowed candidates for this opportunity."""
        with self.lock:
            mask = self.matrix.mask_for(allowed_ids)
            return engine.top_candidates(self.matrix, opportunity, k, mode=mode, allowed_rows=mask)

    def work_for(
        self, candidate: engine.CandidateFacts, *, k: int, mode: engine.Mode
    ) -> tuple[list[engine.Suggestion], list[engine.Suggestion]]:
        """The k best open opportunities for this candidate, and the k best employers without
        an open opportunity to ask for work (their ``opportunity_id`` is the employer id)."""
        with self.lock:
            weight = self.matrix.skill_weight
            opportunities = engine.top_opportunities(
                candidate, list(self.opportunities.values()), k, mode=mode, skill_weight=weight
            )
            with_open_work = set(self.employer_of.values())
            askable = [f for pk, f in self.employers.items() if pk not in with_open_work]
            employers = engine.top_opportunities(candidate, askable, k, skill_weight=weight)
        return opportunities, employers

    def score(
        self, candidate: engine.CandidateFacts, opportunity: engine.OpportunityFacts
    ) -> engine.Suggestion | None:
        with self.lock:
            return engine.score_pair(candidate, opportunity, skill_weight=self.matrix.skill_weight)

    def facts_of(self, candidate_id: int) -> engine.CandidateFacts | None:
        """The candidate's facts as the matrix holds them (None when not in it)."""
        with self.lock:
            rows = np.flatnonzero((self.matrix.candidate_ids == candidate_id) & self.matrix.valid)
            return self.matrix.facts_at(int(rows[0])) if len(rows) else None


_indexes: dict[int, RegionIndex] = {}
_registry_lock = threading.Lock()


def build(region_id: int) -> RegionIndex:
    """Build a region's index from the database (the journal position is read first, so a
    change made while building is applied again on the next use)."""
    now = timezone.now()
    last = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0
    # Ids just below the position that are not there yet may belong to transactions still
    # running: look for them again (see ``RegionIndex.gaps``).
    recent = set(
        IndexChange.objects.filter(id__gt=last - BUILD_GAP_WINDOW).values_list("id", flat=True)
    )
    gaps = {i: now for i in range(max(1, last - BUILD_GAP_WINDOW + 1), last) if i not in recent}
    IndexChange.objects.filter(at__lt=now - JOURNAL_KEEP).delete()
    candidates = [f for f in facts.candidate_facts(region_id) if f.eligible]
    opportunities = {k: v for k, v in facts.opportunity_facts(region_id).items() if v is not None}
    return RegionIndex(
        region_id=region_id,
        matrix=engine.FeatureMatrix.from_facts(candidates),
        opportunities=opportunities,
        employer_of=dict(
            WorkOpportunity.objects.filter(pk__in=list(opportunities)).values_list(
                "pk", "employer_id"
            )
        ),
        employers={k: v for k, v in facts.employer_facts(region_id).items() if v is not None},
        last_change_id=last,
        built_at=now,
        gaps=gaps,
    )


def for_region(region_id: int) -> RegionIndex:
    """The region's index, brought up to date with the journal (one indexed query when
    nothing changed)."""
    with _registry_lock:
        index = _indexes.get(region_id)
        if index is None or timezone.now() - index.built_at > REBUILD_AFTER:
            index = _indexes[region_id] = build(region_id)
            return index
    index.catch_up()
    return index


def warm() -> list[int]:
    """Build the index of every region (at start, so the first request is fast)."""
    from werkbrug.regions.models import Region

    built = []
    for region_id in Region.objects.values_list("pk", flat=True):
        index = build(region_id)
        with _registry_lock:
            _indexes[region_id] = index
        built.append(region_id)
    return built


def forget() -> None:
    """Drop every built index (tests that reset the database; the next use rebuilds)."""
    with _registry_lock:
        _indexes.clear()
