"""The matching engine: pure (NumPy + standard library, no Django).

Scores candidates against one work opportunity (``top_candidates``) and opportunities for one
candidate (``top_opportunities``), with a per-factor breakdown, each factor in 0..1:

* ``skills``: weighted coverage of the opportunity's tasks. A task the candidate has counts 1,
  a task the candidate only knows through experience in the same occupation group (ISCO 3-digit,
  the opportunity's group or the groups the taxonomy links to that task) counts
  ``Weights.partial_credit``; rarer skills weigh more (``log((1 + N) / (1 + df)) + 1`` over the
  active pool). No tasks listed: neutral 0.5.
* ``wishes``: half the kind of work (opportunity kind in the wished kinds), half the wished tasks
  (share of the candidate's wished tasks, up to three, that the opportunity offers); an empty
  wish is neutral 0.5.
* ``hours``: overlap of wanted and offered hours per week (0.5 when either is unknown).
* ``travel``: equirectangular distance (about the opportunity's latitude) against the
  candidate's maximum: 1 up to 60 % of it, a smoothstep down to 0 at 150 %; unknown maximum uses
  ``DEFAULT_MAX_KM``; unknown location is neutral 0.5.
* ``availability``: 1 if available on the start date, then linearly down to 0 at 60 days late.
* ``requirements``: share of the must-haves met (driving licence, Dutch level 0..6 = none, A1..C2).
  ``Mode.BREED`` ranks everyone and flags what is missing; ``Mode.STRIKT`` leaves them out.

Protected attributes (age, sex, origin, nationality, health, household) are not inputs: the
fact types have no field for them. Candidates that are removed, inactive or not eligible are
never returned.

Storage (``FeatureMatrix``, about 150 bytes per candidate): float32 coordinates, packed small
codes (hours, wished kinds, requirements + validity) whose per-opportunity factor is one table
look-up over the distinct codes, skills / experience groups / wished tasks as CSR rows plus an
inverted index (key -> ascending rows). Updates append rows and mark old ones inactive;
``compact`` (automatic past 25 % waste) rebuilds.

Cost of ``top_candidates``: O(n) for about 25 in-place float32 vector passes (travel,
availability, three table gathers, the sum, ``argpartition``), plus O(sum of the posting-list
lengths of the opportunity's tasks and group) for skills and wished tasks, plus O(k x tasks)
Python work for the k breakdowns. So it grows linearly with the pool, and with the number of
tasks only through how many candidates hold them.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
DEFAULT_MAX_KM = 25.0
LATE_DAYS_TO_ZERO = 60.0
HOURS_GAP_TO_ZERO = 12.0
MAX_WISHED_TASKS_COUNTED = 3
NEUTRAL = 0.5
AVAILABLE_NOW = np.iinfo(np.int32).min
_EPOCH = dt.date(1970, 1, 1)

FACTORS = ("skills", "wishes", "hours", "travel", "availability", "requirements")
DUTCH_LEVEL_LABELS = {0: "geen", 1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"}
REQ_DRIVING_LICENCE = "driving_licence"
REQ_DUTCH = "dutch_level"


class Mode(enum.StrEnum):
    BREED = "breed"  # rank everyone, flag missing must-haves
    STRIKT = "strikt"  # leave out whoever misses a must-have


@dataclass(frozen=True, slots=True)
class Weights:
    skills: float = 0.35
    wishes: float = 0.15
    hours: float = 0.10
    travel: float = 0.20
    availability: float = 0.10
    requirements: float = 0.10
    partial_credit: float = 0.5

    def factor_weights(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in FACTORS}

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if any(v < 0 for v in values) or sum(self.factor_weights().values()) <= 0:
            raise ValueError("weights must be non-negative and not all zero")
        if self.partial_credit > 1:
            raise ValueError("partial_credit must be in 0..1")


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """What matching may know about a candidate. Deliberately no protected attributes."""

    id: int
    skills: tuple[int, ...] = ()
    experience_groups: tuple[int, ...] = ()  # ISCO 3-digit occupation groups
    wished_kinds: tuple[int, ...] = ()  # small ints 0..14
    wished_skills: tuple[int, ...] = ()
    lat: float | None = None
    lon: float | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    max_travel_km: float | None = None
    available_from: dt.date | None = None
    has_driving_licence: bool = False
    dutch_level: int = 0
    eligible: bool = True


PROTECTED_ATTRIBUTES = frozenset(
    {"birth_date", "age", "sex", "gender", "origin", "nationality", "health", "household"}
)


def candidate_facts_from(record: Mapping[str, object]) -> CandidateFacts:
    """Project a candidate record onto the facts matching may use; every other key (the
    protected attributes included) is ignored, so it can never reach a score."""
    allowed = {f.name for f in fields(CandidateFacts)}
    return CandidateFacts(**{k: v for k, v in record.items() if k in allowed})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class OpportunityFacts:
    id: int = 0
    tasks: tuple[int, ...] = ()
    occupation_group: int | None = None
    task_groups: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    kind: int | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    lat: float | None = None
    lon: float | None = None
    start_date: dt.date | None = None
    requires_driving_licence: bool = False
    min_dutch_level: int = 0


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate_id: int
    score: float
    factors: dict[str, float]
    matched_skills: tuple[int, ...]
    partial_skills: tuple[int, ...]
    missing_skills: tuple[int, ...]
    missing_requirements: tuple[str, ...]
    distance_km: float | None
    hours_wanted: tuple[int, int] | None
    opportunity_id: int = 0


def _days(d: dt.date | None, default: int) -> int:
    return default if d is None else (d - _EPOCH).days


def _hours(lo: int | None, hi: int | None) -> tuple[int, int] | None:
    if lo is None and hi is None:
        return None
    a = lo if lo is not None else hi
    b = hi if hi is not None else lo
    assert a is not None and b is not None
    return (min(a, b), max(a, b))


def _kind_mask(kinds: Iterable[int]) -> int:
    mask = 0
    for k in kinds:
        if not 0 <= k < 15:
            raise ValueError("kind codes must be in 0..14")
        mask |= 1 << k
    return mask


def _requirement_count(opp: OpportunityFacts) -> int:
    return int(opp.requires_driving_licence) + int(opp.min_dutch_level > 0)


def idf(n_active: int, df: int) -> float:
    """Rarity weight of a skill held by ``df`` of ``n_active`` candidates."""
    return math.log((1 + n_active) / (1 + df)) + 1.0


# --------------------------------------------------------------------------------------------
# Scalar reference scorer (one pair at a time). Used for ``top_opportunities``, as the
# correctness reference in the tests and as the per-candidate baseline in the benchmark.
# --------------------------------------------------------------------------------------------


def _smooth_travel(d: float, max_km: float) -> float:
    t = min(1.0, max(0.0, (d - 0.6 * max_km) / (0.9 * max_km)))
    return 1.0 - t * t * (3.0 - 2.0 * t)


def _hours_fit(want: tuple[int, int] | None, offer: tuple[int, int] | None) -> float:
    if want is None or offer is None:
        return NEUTRAL
    overlap = min(want[1], offer[1]) - max(want[0], offer[0])
    if overlap < 0:
        return 0.5 * max(0.0, 1.0 + overlap / HOURS_GAP_TO_ZERO)
    span = min(want[1] - want[0], offer[1] - offer[0])
    return 0.5 + 0.5 * (overlap / span if span > 0 else 1.0)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance about ``lat2`` (fine within the Netherlands)."""
    x = math.radians(lon1 - lon2) * math.cos(math.radians(lat2))
    y = math.radians(lat1 - lat2)
    return EARTH_RADIUS_KM * math.sqrt(x * x + y * y)


def score_pair(
    cand: CandidateFacts,
    opp: OpportunityFacts,
    *,
    skill_weight: Callable[[int], float] | None = None,
    weights: Weights = Weights(),
    mode: Mode = Mode.BREED,
) -> Suggestion | None:
    """Score one candidate for one opportunity; ``None`` if left out (ineligible / strikt)."""
    if not cand.eligible:
        return None
    sw = skill_weight or (lambda _s: 1.0)
    tasks = tuple(dict.fromkeys(opp.tasks))
    have = set(cand.skills)
    exp = set(cand.experience_groups)
    matched, partial, missing = [], [], []
    total_w = got = 0.0
    for t in tasks:
        w = sw(t)
        total_w += w
        groups = set(opp.task_groups.get(t, ()))
        if opp.occupation_group is not None:
            groups.add(opp.occupation_group)
        if t in have:
            got += w
            matched.append(t)
        elif groups & exp and weights.partial_credit > 0:
            got += w * weights.partial_credit
            partial.append(t)
        else:
            missing.append(t)
    skills = got / total_w if tasks else NEUTRAL

    kinds = set(cand.wished_kinds)
    kind_fit = NEUTRAL if not kinds or opp.kind is None else float(opp.kind in kinds)
    wished = set(cand.wished_skills)
    if wished:
        hits = len(wished & set(tasks))
        task_wish = min(1.0, hits / min(len(wished), MAX_WISHED_TASKS_COUNTED))
    else:
        task_wish = NEUTRAL
    wishes = 0.5 * kind_fit + 0.5 * task_wish

    want = _hours(cand.hours_min, cand.hours_max)
    hours = _hours_fit(want, _hours(opp.hours_min, opp.hours_max))

    dist: float | None = None
    travel = NEUTRAL
    if None not in (cand.lat, cand.lon, opp.lat, opp.lon):
        dist = distance_km(cand.lat, cand.lon, opp.lat, opp.lon)  # type: ignore[arg-type]
        travel = _smooth_travel(dist, float(cand.max_travel_km or DEFAULT_MAX_KM))

    availability = 1.0
    if opp.start_date is not None and cand.available_from is not None:
        late = (cand.available_from - opp.start_date).days
        availability = 1.0 if late <= 0 else max(0.0, 1.0 - late / LATE_DAYS_TO_ZERO)

    missing_req = []
    if opp.requires_driving_licence and not cand.has_driving_licence:
        missing_req.append(REQ_DRIVING_LICENCE)
    if cand.dutch_level < opp.min_dutch_level:
        missing_req.append(REQ_DUTCH)
    n_req = _requirement_count(opp)
    requirements = 1.0 - len(missing_req) / n_req if n_req else 1.0
    if mode is Mode.STRIKT and missing_req:
        return None

    factors = {
        "skills": skills,
        "wishes": wishes,
        "hours": hours,
        "travel": travel,
        "availability": availability,
        "requirements": requirements,
    }
    fw = weights.factor_weights()
    score = sum(fw[f] * factors[f] for f in FACTORS) / sum(fw.values())
    return Suggestion(
        candidate_id=cand.id,
        score=score,
        factors=factors,
        matched_skills=tuple(matched),
        partial_skills=tuple(partial),
        missing_skills=tuple(missing),
        missing_requirements=tuple(missing_req),
        distance_km=dist,
        hours_wanted=want,
        opportunity_id=opp.id,
    )


# --------------------------------------------------------------------------------------------
# Columnar candidate pool
# --------------------------------------------------------------------------------------------


class _SetColumn:
    """A set of ints per row: forward CSR (growable) + inverted index key -> sorted rows.

    Appended rows go to a small per-key delta list until the next compaction; ``df`` counts the
    active rows per key.
    """

    def __init__(self, indptr: npt.NDArray[np.int64], indices: npt.NDArray[np.int32]) -> None:
        n = len(indptr) - 1
        self.indptr = indptr.astype(np.int64, copy=True)
        self.indices = indices.astype(np.int32, copy=True)
        self.n_rows = n
        self.n_entries = int(indptr[-1])
        row_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
        order = np.argsort(self.indices[: self.n_entries], kind="stable")
        keys = self.indices[order]
        self.inv_rows = row_of[order]
        uniq, starts, counts = np.unique(keys, return_index=True, return_counts=True)
        self.span: dict[int, tuple[int, int]] = {
            int(k): (int(s), int(s + c)) for k, s, c in zip(uniq, starts, counts, strict=True)
        }
        self.df: dict[int, int] = {int(k): int(c) for k, c in zip(uniq, counts, strict=True)}
        self.delta: dict[int, list[int]] = {}
        self.n_delta = 0

    def row(self, r: int) -> npt.NDArray[np.int32]:
        return self.indices[self.indptr[r] : self.indptr[r + 1]]

    def posting(self, key: int) -> npt.NDArray[np.int32]:
        s, e = self.span.get(key, (0, 0))
        base = self.inv_rows[s:e]
        extra = self.delta.get(key)
        if extra:
            return np.concatenate([base, np.asarray(extra, dtype=np.int32)])
        return base

    def append(self, values: Sequence[int]) -> None:
        vals = np.unique(np.asarray(values, dtype=np.int32))
        need = self.n_entries + len(vals)
        if need > len(self.indices):
            self.indices = np.resize(self.indices, max(need, 2 * len(self.indices) + 16))
        if self.n_rows + 2 > len(self.indptr):
            self.indptr = np.resize(self.indptr, 2 * len(self.indptr) + 16)
        self.indices[self.n_entries : need] = vals
        self.n_entries = need
        r = self.n_rows
        self.n_rows += 1
        self.indptr[self.n_rows] = need
        for v in vals.tolist():
            self.delta.setdefault(v, []).append(r)
            self.df[v] = self.df.get(v, 0) + 1
        self.n_delta += len(vals)

    def deactivate(self, r: int) -> None:
        for v in self.row(r).tolist():
            self.df[v] -= 1

    @property
    def nbytes(self) -> int:
        return int(
            self.indptr[: self.n_rows + 1].nbytes
            + self.indices[: self.n_entries].nbytes
            + self.inv_rows.nbytes
            + 4 * self.n_delta
        )


def _csr(lists: Sequence[Sequence[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    uniq = [sorted(set(x)) for x in lists]
    indptr = np.zeros(len(uniq) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in uniq], out=indptr[1:])
    flat = [v for x in uniq for v in x]
    return indptr, np.asarray(flat, dtype=np.int32)


_DENSE: dict[str, npt.DTypeLike] = {
    "ids": np.int64,
    "lat": np.float32,  # NaN = unknown
    "lon": np.float32,
    "hours_min": np.uint8,  # hours_known False = unknown
    "hours_max": np.uint8,
    "hours_known": np.bool_,
    "max_km": np.float32,
    "available_from": np.int32,  # days since 1970-01-01; AVAILABLE_NOW = unknown/now
    "licence": np.bool_,
    "dutch": np.uint8,
    "kinds": np.uint32,  # bit mask of wished kinds
    "n_wished": np.uint8,
    "valid": np.bool_,  # eligible and not removed
}

# Internal columns: per-opportunity factors that depend on a few small fields are looked up in
# tables indexed by a packed code (one gather instead of a dozen vector passes).
_INTERNAL: dict[str, npt.DTypeLike] = {
    "ids": np.int64,
    "lat": np.float32,  # 0 when unknown (then travel_a == 0)
    "lon": np.float32,
    "hcode": np.uint16,  # hours_min * 256 + hours_max; HOURS_UNKNOWN when unknown
    "travel_a": np.float32,  # 1 / (0.9 * max_km); 0 = location unknown
    "travel_b": np.float32,  # 2/3; -0.5 when unknown (smoothstep(0.5) = neutral 0.5)
    "avail": np.float32,  # days since 1970-01-01; -1e9 = now / unknown
    "wcode": np.uint16,  # wished-kind bits 0..14, bit 15 = no wished tasks
    "n_wished": np.uint8,
    "rcode": np.uint8,  # dutch level bits 0-2, driving licence bit 3, valid bit 4
}
HOURS_UNKNOWN = 0xFFFF
MAX_HOURS = 200
R_LICENCE = 8
R_VALID = 16
W_NO_WISHED_TASKS = 1 << 15
AVAIL_NOW = -1e9


class _Codes:
    """The distinct values of a packed uint16 code column; rows hold an index into them, so a
    per-opportunity table is computed over the distinct values only (usually a few hundred)."""

    def __init__(self, codes: npt.NDArray[np.uint16]) -> None:
        uniq, inverse = np.unique(codes, return_inverse=True)
        self.values = uniq.astype(np.uint16)
        self.index = inverse.astype(np.uint16)
        self.pos = {int(v): i for i, v in enumerate(uniq.tolist())}

    def add(self, code: int) -> int:
        i = self.pos.get(code)
        if i is None:
            i = self.pos[code] = len(self.values)
            self.values = np.append(self.values, np.uint16(code))
        return i


def _internalise(dense: Mapping[str, npt.ArrayLike]) -> dict[str, npt.NDArray[Any]]:
    d = {k: np.asarray(dense[k], dtype=dt_) for k, dt_ in _DENSE.items()}
    lat = d["lat"]
    known_xy = ~(np.isnan(lat) | np.isnan(d["lon"]))
    hmin = np.minimum(d["hours_min"], MAX_HOURS).astype(np.uint16)
    hmax = np.minimum(d["hours_max"], MAX_HOURS).astype(np.uint16)
    kinds = d["kinds"]
    if np.any(kinds >= (1 << 15)):
        raise ValueError("kind codes must be in 0..14")
    mk = np.where(d["max_km"] > 0, d["max_km"], DEFAULT_MAX_KM).astype(np.float32)
    av = d["available_from"]
    out = {
        "ids": d["ids"],
        "lat": np.where(known_xy, lat, 0),
        "lon": np.where(known_xy, d["lon"], 0),
        "hcode": np.where(d["hours_known"], hmin * 256 + hmax, HOURS_UNKNOWN),
        "travel_a": np.where(known_xy, 1.0 / (0.9 * mk), 0.0),
        "travel_b": np.where(known_xy, 2.0 / 3.0, -0.5),
        "avail": np.where(av == AVAILABLE_NOW, AVAIL_NOW, av),
        "wcode": kinds | np.where(d["n_wished"] == 0, W_NO_WISHED_TASKS, 0),
        "n_wished": d["n_wished"],
        "rcode": np.minimum(d["dutch"], 6)
        | np.where(d["licence"], R_LICENCE, 0)
        | np.where(d["valid"], R_VALID, 0),
    }
    return {k: np.array(out[k], dtype=dt_) for k, dt_ in _INTERNAL.items()}


class FeatureMatrix:
    """Columnar candidate pool, built once, updated incrementally (append / mark inactive)."""

    COMPACT_FRACTION = 0.25

    def __init__(
        self,
        dense: Mapping[str, npt.ArrayLike],
        skills: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]],
        groups: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]],
        wished: tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]],
        *,
        internal: bool = False,
    ) -> None:
        """Build from columns (see ``_DENSE``) and (indptr, indices) pairs; see ``from_facts``."""
        self._cols: dict[str, npt.NDArray[Any]] = (
            {k: np.array(dense[k], dtype=dt_) for k, dt_ in _INTERNAL.items()}
            if internal
            else _internalise(dense)
        )
        self.n = len(self._cols["ids"])
        self.codes = {name: _Codes(self._cols[name]) for name in ("hcode", "wcode")}
        self._cols["hidx"] = self.codes["hcode"].index
        self._cols["widx"] = self.codes["wcode"].index
        self.skills = _SetColumn(*skills)
        self.groups = _SetColumn(*groups)
        self.wished = _SetColumn(*wished)
        valid = self.valid
        self.n_active = int(valid.sum())
        self.n_inactive_rows = self.n - self.n_active
        for col in (self.skills, self.groups, self.wished):
            for r in np.flatnonzero(~valid).tolist():
                col.deactivate(r)

    # ---- construction -------------------------------------------------------------------
    @staticmethod
    def _dense_row(c: CandidateFacts) -> dict[str, Any]:
        h = _hours(c.hours_min, c.hours_max)
        nan = float("nan")
        return {
            "ids": c.id,
            "lat": nan if c.lat is None or c.lon is None else c.lat,
            "lon": nan if c.lat is None or c.lon is None else c.lon,
            "hours_min": min(255, h[0]) if h else 0,
            "hours_max": min(255, h[1]) if h else 0,
            "hours_known": h is not None,
            "max_km": float(c.max_travel_km or DEFAULT_MAX_KM),
            "available_from": _days(c.available_from, int(AVAILABLE_NOW)),
            "licence": c.has_driving_licence,
            "dutch": c.dutch_level,
            "kinds": _kind_mask(c.wished_kinds),
            "n_wished": min(255, len(set(c.wished_skills))),
            "valid": c.eligible,
        }

    @classmethod
    def from_facts(cls, facts: Sequence[CandidateFacts]) -> FeatureMatrix:
        ids = [c.id for c in facts]
        if len(set(ids)) != len(ids):
            raise ValueError("candidate ids must be unique")
        rows = [cls._dense_row(c) for c in facts]
        dense = {k: [r[k] for r in rows] for k in _DENSE}
        return cls(
            dense,
            _csr([c.skills for c in facts]),
            _csr([c.experience_groups for c in facts]),
            _csr([c.wished_skills for c in facts]),
        )

    # ---- incremental updates ------------------------------------------------------------
    def _rows_of(self, candidate_id: int) -> npt.NDArray[np.intp]:
        c = self._cols
        return np.flatnonzero((c["ids"][: self.n] == candidate_id) & self.valid)

    def remove(self, candidate_id: int) -> bool:
        """Take a candidate out (consent withdrawn, left the caseload). O(n) scan, no rebuild."""
        rows = self._rows_of(candidate_id)
        for r in rows.tolist():
            self._cols["rcode"][r] &= np.uint8(~R_VALID & 0xFF)
            for col in (self.skills, self.groups, self.wished):
                col.deactivate(r)
            self.n_active -= 1
            self.n_inactive_rows += 1
        self._maybe_compact()
        return len(rows) > 0

    def upsert(self, facts: CandidateFacts) -> None:
        """Add or replace a candidate: the old row is marked inactive, a new row appended."""
        old = self._rows_of(facts.id)
        for r in old.tolist():
            self._cols["rcode"][r] &= np.uint8(~R_VALID & 0xFF)
            for col in (self.skills, self.groups, self.wished):
                col.deactivate(r)
            self.n_active -= 1
            self.n_inactive_rows += 1
        if self.n + 1 > len(self._cols["ids"]):
            cap = 2 * len(self._cols["ids"]) + 16
            self._cols = {k: np.resize(v, cap) for k, v in self._cols.items()}
        row = _internalise({k: [v] for k, v in self._dense_row(facts).items()})
        for k, v in row.items():
            self._cols[k][self.n] = v[0]
        self._cols["hidx"][self.n] = self.codes["hcode"].add(int(row["hcode"][0]))
        self._cols["widx"][self.n] = self.codes["wcode"].add(int(row["wcode"][0]))
        self.skills.append(facts.skills)
        self.groups.append(facts.experience_groups)
        self.wished.append(facts.wished_skills)
        if facts.eligible:
            self.n_active += 1
        else:
            self.n_inactive_rows += 1
            for col in (self.skills, self.groups, self.wished):
                col.deactivate(self.n)
        self.n += 1
        self._maybe_compact()

    def _maybe_compact(self) -> None:
        delta = self.skills.n_delta + self.groups.n_delta + self.wished.n_delta
        base = max(1, self.skills.n_entries + self.groups.n_entries + self.wished.n_entries)
        if self.n_inactive_rows > self.COMPACT_FRACTION * max(self.n, 64) or (
            delta > self.COMPACT_FRACTION * base and delta > 256
        ):
            self.compact()

    def compact(self) -> None:
        """Drop inactive rows and fold the deltas into the inverted indexes (a rebuild)."""
        keep = np.flatnonzero(self.valid)

        def sub(col: _SetColumn) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
            starts, ends = col.indptr[keep], col.indptr[keep + 1]
            lens = ends - starts
            indptr = np.zeros(len(keep) + 1, dtype=np.int64)
            np.cumsum(lens, out=indptr[1:])
            take = np.repeat(starts - indptr[:-1], lens) + np.arange(indptr[-1])
            return indptr, col.indices[take]

        dense = {k: self._cols[k][keep] for k in _INTERNAL}
        fresh = FeatureMatrix(
            dense, sub(self.skills), sub(self.groups), sub(self.wished), internal=True
        )
        self.__dict__.update(fresh.__dict__)

    # ---- reads --------------------------------------------------------------------------
    def col(self, name: str) -> npt.NDArray[Any]:
        return self._cols[name][: self.n]

    def facts_at(self, r: int) -> CandidateFacts:
        """The facts stored in row ``r`` (coordinates and travel maximum as float32; without a
        location the travel maximum is not kept)."""
        c = self._cols
        hcode, wcode, rcode = int(c["hcode"][r]), int(c["wcode"][r]), int(c["rcode"][r])
        a = float(c["travel_a"][r])
        av = float(c["avail"][r])
        return CandidateFacts(
            id=int(c["ids"][r]),
            skills=tuple(self.skills.row(r).tolist()),
            experience_groups=tuple(self.groups.row(r).tolist()),
            wished_kinds=tuple(b for b in range(15) if wcode >> b & 1),
            wished_skills=tuple(self.wished.row(r).tolist()),
            lat=float(c["lat"][r]) if a > 0 else None,
            lon=float(c["lon"][r]) if a > 0 else None,
            hours_min=None if hcode == HOURS_UNKNOWN else hcode >> 8,
            hours_max=None if hcode == HOURS_UNKNOWN else hcode & 0xFF,
            max_travel_km=1.0 / (0.9 * a) if a > 0 else None,
            available_from=None if av == AVAIL_NOW else _EPOCH + dt.timedelta(days=int(av)),
            has_driving_licence=bool(rcode & R_LICENCE),
            dutch_level=rcode & 7,
            eligible=bool(rcode & R_VALID),
        )

    @property
    def valid(self) -> npt.NDArray[np.bool_]:
        valid: npt.NDArray[np.bool_] = (self.col("rcode") & R_VALID) != 0
        return valid

    @property
    def candidate_ids(self) -> npt.NDArray[np.int64]:
        return self.col("ids")

    def mask_for(self, candidate_ids: Iterable[int]) -> npt.NDArray[np.bool_]:
        """Row mask for ``allowed_rows`` (e.g. the candidates a user may see)."""
        wanted = np.fromiter(candidate_ids, dtype=np.int64)
        return np.isin(self.candidate_ids, wanted)

    def skill_weight(self, skill: int) -> float:
        return idf(self.n_active, self.skills.df.get(skill, 0))

    @property
    def nbytes(self) -> int:
        dense = sum(v[: self.n].nbytes for v in self._cols.values())
        dense += sum(c.values.nbytes for c in self.codes.values())
        return int(dense + self.skills.nbytes + self.groups.nbytes + self.wished.nbytes)


# --------------------------------------------------------------------------------------------
# Vectorised scoring
# --------------------------------------------------------------------------------------------


def _hours_table(
    codes: npt.NDArray[np.uint16], offer: tuple[int, int] | None
) -> npt.NDArray[np.float32]:
    """Hours fit for each packed (hours_min, hours_max) code against one offer."""
    code = codes.astype(np.int64)
    lo = (code >> 8).astype(np.float64)
    hi = (code & 0xFF).astype(np.float64)
    if offer is None:
        table = np.full(len(code), NEUTRAL)
    else:
        overlap = np.minimum(hi, offer[1]) - np.maximum(lo, offer[0])
        span = np.minimum(hi - lo, offer[1] - offer[0])
        ratio = np.divide(overlap, span, out=np.ones_like(overlap), where=span > 0)
        table = np.where(
            overlap >= 0,
            0.5 + 0.5 * ratio,
            0.5 * np.maximum(0.0, 1.0 + overlap / HOURS_GAP_TO_ZERO),
        )
    table[code == HOURS_UNKNOWN] = NEUTRAL
    return table.astype(np.float32)


def _wish_table(codes: npt.NDArray[np.uint16], kind: int | None) -> npt.NDArray[np.float32]:
    """Wish factor without the wished-task hits, for each packed wish code."""
    code = codes.astype(np.int64)
    kinds = code & (W_NO_WISHED_TASKS - 1)
    if kind is None:
        kind_fit = np.full(len(code), NEUTRAL)
    else:
        kind_fit = np.where(kinds == 0, NEUTRAL, (kinds >> kind) & 1).astype(np.float64)
    table = 0.5 * kind_fit + np.where(code & W_NO_WISHED_TASKS, 0.5 * NEUTRAL, 0.0)
    return table.astype(np.float32)


def _requirement_tables(
    opp: OpportunityFacts, mode: Mode
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """(factor, penalty) per packed requirement code; penalty -inf = leave out."""
    code = np.arange(32)
    miss = np.zeros(32)
    if opp.requires_driving_licence:
        miss += (code & R_LICENCE) == 0
    if opp.min_dutch_level > 0:
        miss += (code & 7) < opp.min_dutch_level
    n_req = _requirement_count(opp)
    factor = 1.0 - miss / n_req if n_req else np.ones(32)
    penalty = np.where((code & R_VALID) == 0, -np.inf, 0.0)
    if mode is Mode.STRIKT:
        penalty[miss > 0] = -np.inf
    return factor.astype(np.float32), penalty.astype(np.float32)


@dataclass(slots=True)
class _Scored:
    score: npt.NDArray[np.float32]
    skills: npt.NDArray[np.float32] | None
    travel: npt.NDArray[np.float32] | None
    hours: npt.NDArray[np.float32]
    wish_base: npt.NDArray[np.float32]
    req: npt.NDArray[np.float32]
    tasks: tuple[int, ...]


def _skill_accumulate(
    m: FeatureMatrix, opp: OpportunityFacts, tasks: tuple[int, ...], pc: float
) -> npt.NDArray[np.float32]:
    """Weighted task coverage per row in 0..1: posting lists only (no n x tasks work)."""
    f32 = np.float32
    tw = {t: m.skill_weight(t) for t in tasks}
    total_w = sum(tw.values())
    by_groups: dict[frozenset[int], list[int]] = {}
    for t in tasks:
        g = set(opp.task_groups.get(t, ()))
        if opp.occupation_group is not None:
            g.add(opp.occupation_group)
        by_groups.setdefault(frozenset(g), []).append(t)
    acc = np.zeros(m.n, dtype=f32)
    single = len(by_groups) == 1
    for gset, ts in by_groups.items():
        acc_g = acc if single else np.zeros(m.n, dtype=f32)
        for t in ts:
            acc_g[m.skills.posting(t)] += f32(tw[t])
        if pc > 0 and gset:
            # related experience: a task not held counts pc (acc + pc * (W_g - acc))
            prow = np.concatenate([m.groups.posting(g) for g in sorted(gset)])
            w_g = f32(sum(tw[t] for t in ts))
            vals = f32(pc) * (w_g - acc_g[prow])  # duplicates carry equal values: set once
            if single:
                acc[prow] += vals
            else:
                acc += acc_g
                acc[prow] += vals
        elif not single:
            acc += acc_g
    acc *= f32(1.0 / total_w)
    return acc


def _score_all(m: FeatureMatrix, opp: OpportunityFacts, weights: Weights, mode: Mode) -> _Scored:
    f32 = np.float32
    n = m.n
    tasks = tuple(dict.fromkeys(opp.tasks))
    fw = weights.factor_weights()
    norm = sum(fw.values())
    c = {name: f32(fw[name] / norm) for name in FACTORS}

    # skills
    skills = None
    if tasks:
        skills = _skill_accumulate(m, opp, tasks, weights.partial_credit)
        score = skills * c["skills"]
    else:
        score = np.full(n, c["skills"] * f32(NEUTRAL), dtype=f32)

    # hours, wishes (kind part), requirements + validity: table look-ups
    hours = _hours_table(m.codes["hcode"].values, _hours(opp.hours_min, opp.hours_max))
    wish_base = _wish_table(m.codes["wcode"].values, opp.kind)
    req, penalty = _requirement_tables(opp, mode)
    tmp = np.empty(n, dtype=f32)
    if c["hours"]:
        np.take((hours * c["hours"]).astype(f32), m.col("hidx"), out=tmp)
        score += tmp
    if c["wishes"]:
        np.take((wish_base * c["wishes"]).astype(f32), m.col("widx"), out=tmp)
        score += tmp
    np.take((req * c["requirements"] + penalty).astype(f32), m.col("rcode"), out=tmp)
    score += tmp

    # wishes: wished tasks the opportunity offers (sparse: only rows in the postings)
    if tasks and c["wishes"]:
        postings = [m.wished.posting(t) for t in tasks]
        rows = np.concatenate(postings)
        if len(rows):
            hits = np.zeros(n, dtype=f32)
            for p in postings:
                hits[p] += f32(1.0)
            denom = np.minimum(m.col("n_wished")[rows], MAX_WISHED_TASKS_COUNTED).astype(f32)
            add = (c["wishes"] * f32(0.5)) * np.minimum(f32(1.0), hits[rows] / denom)
            score[rows] += add  # duplicate rows carry equal values: applied once

    # travel: equirectangular distance, smoothstep from 60 % to 150 % of the maximum
    travel = None
    if opp.lat is None or opp.lon is None:
        score += c["travel"] * f32(NEUTRAL)
    else:
        kx = f32(math.radians(1.0) * math.cos(math.radians(opp.lat)) * EARTH_RADIUS_KM)
        ky = f32(math.radians(1.0) * EARTH_RADIUS_KM)
        dx = np.subtract(m.col("lon"), f32(opp.lon), dtype=f32)
        dx *= kx
        dx *= dx
        np.subtract(m.col("lat"), f32(opp.lat), out=tmp)
        tmp *= ky
        tmp *= tmp
        dx += tmp
        np.sqrt(dx, out=dx)  # distance in km
        dx *= m.col("travel_a")
        dx -= m.col("travel_b")
        np.clip(dx, f32(0.0), f32(1.0), out=dx)  # t
        np.multiply(dx, f32(-2.0), out=tmp)
        tmp += f32(3.0)
        tmp *= dx
        tmp *= dx
        np.subtract(f32(1.0), tmp, out=tmp)
        travel = tmp
        score += travel * c["travel"]

    # availability
    if opp.start_date is None:
        score += c["availability"]
    elif c["availability"]:
        late = np.subtract(m.col("avail"), f32(_days(opp.start_date, 0)), dtype=f32)
        late *= f32(-1.0 / LATE_DAYS_TO_ZERO)
        late += f32(1.0)
        np.clip(late, f32(0.0), f32(1.0), out=late)
        late *= c["availability"]
        score += late
    return _Scored(score, skills, travel, hours, wish_base, req, tasks)


def _top_rows(score: npt.NDArray[np.float32], ids: npt.NDArray[np.int64], k: int) -> list[int]:
    """Rows of the k best finite scores, ties broken by candidate id (deterministic)."""
    n = len(score)
    if k <= 0 or n == 0:
        return []
    if k < n:
        part = np.argpartition(score, n - k)[n - k :]
        threshold = score[part].min()
        if np.isfinite(threshold):
            cand = np.flatnonzero(score >= threshold)
        else:
            cand = np.flatnonzero(np.isfinite(score))
    else:
        cand = np.arange(n)
    cand = cand[np.isfinite(score[cand])]
    order = np.lexsort((ids[cand], -score[cand]))
    return [int(r) for r in cand[order[:k]]]


def top_candidates(
    matrix: FeatureMatrix,
    opportunity: OpportunityFacts,
    k: int = 50,
    *,
    mode: Mode = Mode.BREED,
    weights: Weights = Weights(),
    allowed_rows: npt.NDArray[np.bool_] | None = None,
) -> list[Suggestion]:
    """The k best candidates for ``opportunity``, best first, each with its breakdown."""
    sc = _score_all(matrix, opportunity, weights, mode)
    if allowed_rows is not None:
        sc.score[~allowed_rows[: matrix.n]] = -np.inf
    rows = _top_rows(sc.score, matrix.candidate_ids, k)
    return [_breakdown(matrix, opportunity, r, sc, weights) for r in rows]


def _breakdown(
    m: FeatureMatrix, opp: OpportunityFacts, r: int, sc: _Scored, weights: Weights
) -> Suggestion:
    have = set(m.skills.row(r).tolist())
    exp = set(m.groups.row(r).tolist())
    matched, partial, missing = [], [], []
    for t in sc.tasks:
        g = set(opp.task_groups.get(t, ()))
        if opp.occupation_group is not None:
            g.add(opp.occupation_group)
        if t in have:
            matched.append(t)
        elif g & exp and weights.partial_credit > 0:
            partial.append(t)
        else:
            missing.append(t)
    cols = m._cols
    rcode = int(cols["rcode"][r])
    miss_req = []
    if opp.requires_driving_licence and not rcode & R_LICENCE:
        miss_req.append(REQ_DRIVING_LICENCE)
    if (rcode & 7) < opp.min_dutch_level:
        miss_req.append(REQ_DUTCH)
    hcode = int(cols["hcode"][r])
    wished_hours = None if hcode == HOURS_UNKNOWN else (hcode >> 8, hcode & 0xFF)
    wish = float(sc.wish_base[int(cols["widx"][r])])
    n_wished = int(cols["n_wished"][r])
    if n_wished and sc.tasks:
        hits = len(set(m.wished.row(r).tolist()).intersection(sc.tasks))
        wish += 0.5 * min(1.0, hits / min(n_wished, MAX_WISHED_TASKS_COUNTED))
    dist = None
    travel = NEUTRAL
    if opp.lat is not None and opp.lon is not None and cols["travel_a"][r] > 0:
        dist = distance_km(float(cols["lat"][r]), float(cols["lon"][r]), opp.lat, opp.lon)
        assert sc.travel is not None
        travel = float(sc.travel[r])
    availability = 1.0
    if opp.start_date is not None:
        late = float(cols["avail"][r]) - _days(opp.start_date, 0)
        availability = min(1.0, max(0.0, 1.0 - late / LATE_DAYS_TO_ZERO))
    factors = {
        "skills": NEUTRAL if sc.skills is None else float(sc.skills[r]),
        "wishes": wish,
        "hours": float(sc.hours[int(cols["hidx"][r])]),
        "travel": travel,
        "availability": availability,
        "requirements": float(sc.req[rcode]),
    }
    return Suggestion(
        candidate_id=int(cols["ids"][r]),
        score=float(sc.score[r]),
        factors=factors,
        matched_skills=tuple(matched),
        partial_skills=tuple(partial),
        missing_skills=tuple(missing),
        missing_requirements=tuple(miss_req),
        distance_km=dist,
        hours_wanted=wished_hours,
        opportunity_id=opp.id,
    )


def top_opportunities(
    candidate: CandidateFacts,
    opportunities: Sequence[OpportunityFacts],
    k: int = 20,
    *,
    mode: Mode = Mode.BREED,
    weights: Weights = Weights(),
    skill_weight: Callable[[int], float] | None = None,
) -> list[Suggestion]:
    """The k best opportunities for one candidate (scalar scoring: a few thousand at most).

    Pass ``skill_weight=matrix.skill_weight`` to weigh rare tasks as the other direction does.
    """
    scored = [
        s
        for o in opportunities
        if (s := score_pair(candidate, o, skill_weight=skill_weight, weights=weights, mode=mode))
    ]
    scored.sort(key=lambda s: (-s.score, s.opportunity_id))
    return scored[:k]


# --------------------------------------------------------------------------------------------
# Explanation
# --------------------------------------------------------------------------------------------


def explain_nl(
    suggestion: Suggestion,
    labels: Mapping[int, str],
    *,
    min_dutch_level: int = 0,
) -> str:
    """A short Dutch explanation, e.g. "past goed: heeft ervaring met orderpicken; woont op
    6 km; wil 24 uur; mist: rijbewijs B". ``labels`` maps skill ids to Dutch names."""

    def names(ids: Iterable[int]) -> str:
        return ", ".join(labels.get(i, f"taak {i}") for i in ids)

    s = suggestion.score
    verdict = "past goed" if s >= 0.75 else "past redelijk" if s >= 0.5 else "past matig"
    parts = []
    if suggestion.matched_skills:
        parts.append(f"heeft ervaring met {names(suggestion.matched_skills)}")
    if suggestion.partial_skills:
        parts.append(f"verwant werk gedaan voor {names(suggestion.partial_skills)}")
    if suggestion.distance_km is not None:
        parts.append(f"woont op {round(suggestion.distance_km)} km")
    if suggestion.hours_wanted is not None:
        lo, hi = suggestion.hours_wanted
        parts.append(f"wil {lo} uur" if lo == hi else f"wil {lo}–{hi} uur")
    missing = [names(suggestion.missing_skills)] if suggestion.missing_skills else []
    for req in suggestion.missing_requirements:
        if req == REQ_DRIVING_LICENCE:
            missing.append("rijbewijs B")
        elif req == REQ_DUTCH:
            level = DUTCH_LEVEL_LABELS.get(min_dutch_level, "")
            missing.append(f"Nederlands {level}".strip())
    if missing:
        parts.append("mist: " + ", ".join(missing))
    return f"{verdict}: " + "; ".join(parts) if parts else verdict
