"""Property tests for the pure matching engine (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.matching import engine
from werkbrug.matching.engine import (
    CandidateFacts,
    FeatureMatrix,
    Mode,
    OpportunityFacts,
    Weights,
    candidate_facts_from,
    explain_nl,
    idf,
    score_pair,
    top_candidates,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SKILLS = st.integers(1, 12)
GROUPS = st.sampled_from([931, 932, 933, 941])
BASE_DAY = dt.date(2026, 3, 1)
DEFAULT_WEIGHTS = Weights()


def coords():
    return st.one_of(st.none(), st.tuples(st.floats(51.7, 52.0), st.floats(5.6, 6.1)))


@st.composite
def candidates(draw, cid: int = 0) -> CandidateFacts:
    c = draw(coords())
    hmin = draw(st.one_of(st.none(), st.integers(0, 40)))
    return CandidateFacts(
        id=cid,
        skills=tuple(draw(st.lists(SKILLS, max_size=6))),
        experience_groups=tuple(draw(st.lists(GROUPS, max_size=2))),
        wished_kinds=tuple(draw(st.lists(st.integers(0, 5), max_size=3))),
        wished_skills=tuple(draw(st.lists(SKILLS, max_size=4))),
        lat=c[0] if c else None,
        lon=c[1] if c else None,
        hours_min=hmin,
        hours_max=None if hmin is None else hmin + draw(st.integers(0, 16)),
        max_travel_km=draw(st.one_of(st.none(), st.integers(2, 60))),
        available_from=draw(
            st.one_of(st.none(), st.dates(BASE_DAY - dt.timedelta(30), BASE_DAY + dt.timedelta(90)))
        ),
        has_driving_licence=draw(st.booleans()),
        dutch_level=draw(st.integers(0, 6)),
        eligible=draw(st.sampled_from([True, True, True, False])),
    )


@st.composite
def pools(draw, min_size: int = 1, max_size: int = 40) -> list[CandidateFacts]:
    n = draw(st.integers(min_size, max_size))
    return [draw(candidates(cid=i + 1)) for i in range(n)]


@st.composite
def opportunities(draw) -> OpportunityFacts:
    c = draw(coords())
    tasks = tuple(draw(st.lists(SKILLS, max_size=6)))
    hmin = draw(st.one_of(st.none(), st.integers(4, 36)))
    task_groups = {t: (draw(GROUPS),) for t in tasks if draw(st.booleans())}
    return OpportunityFacts(
        id=draw(st.integers(1, 1000)),
        tasks=tasks,
        occupation_group=draw(st.one_of(st.none(), GROUPS)),
        task_groups=task_groups,
        kind=draw(st.one_of(st.none(), st.integers(0, 5))),
        hours_min=hmin,
        hours_max=None if hmin is None else hmin + draw(st.integers(0, 12)),
        lat=c[0] if c else None,
        lon=c[1] if c else None,
        start_date=draw(st.one_of(st.none(), st.just(BASE_DAY))),
        requires_driving_licence=draw(st.booleans()),
        min_dutch_level=draw(st.integers(0, 4)),
    )


def brute_force(pool, opp, k, mode=Mode.BREED, weights=DEFAULT_WEIGHTS):
    """Independent per-candidate scorer: the scalar reference with IDF from the pool."""
    active = [c for c in pool if c.eligible]
    df: dict[int, int] = {}
    for c in active:
        for s in set(c.skills):
            df[s] = df.get(s, 0) + 1

    def weight(s: int) -> float:
        return math.log((1 + len(active)) / (1 + df.get(s, 0))) + 1

    # the engine keeps coordinates in float32 (about 0.5 m); score the same positions
    pool = [f32_coords(c) for c in pool]
    opp = f32_coords(opp)
    scored = [
        s
        for c in pool
        if (s := score_pair(c, opp, skill_weight=weight, weights=weights, mode=mode))
    ]
    scored.sort(key=lambda s: (-s.score, s.candidate_id))
    return scored[:k], {s.candidate_id: s for s in scored}


def f32_coords(facts):
    if facts.lat is None or facts.lon is None:
        return facts
    return dataclasses.replace(
        facts, lat=float(np.float32(facts.lat)), lon=float(np.float32(facts.lon))
    )


def assert_same_topk(got, expected, by_id):
    assert len(got) == len(expected)
    assert [g.score for g in got] == pytest.approx([e.score for e in expected], abs=1e-5)
    for g in got:
        ref = by_id[g.candidate_id]
        assert g.score == pytest.approx(ref.score, abs=1e-5)
        for name in engine.FACTORS:
            assert g.factors[name] == pytest.approx(ref.factors[name], abs=1e-5), name
        assert g.matched_skills == ref.matched_skills
        assert g.partial_skills == ref.partial_skills
        assert g.missing_skills == ref.missing_skills
        assert g.missing_requirements == ref.missing_requirements
        if ref.distance_km is None:
            assert g.distance_km is None
        else:
            assert g.distance_km == pytest.approx(ref.distance_km, rel=1e-4, abs=1e-3)


@SETTINGS
@given(pool=pools(), opp=opportunities(), k=st.integers(1, 50), mode=st.sampled_from(Mode))
def test_top_k_equals_brute_force(pool, opp, k, mode):
    got = top_candidates(FeatureMatrix.from_facts(pool), opp, k, mode=mode)
    expected, by_id = brute_force(pool, opp, k, mode)
    assert_same_topk(got, expected, by_id)


@SETTINGS
@given(pool=pools(), opp=opportunities(), w=st.lists(st.floats(0.01, 5), min_size=7, max_size=7))
def test_custom_weights_equal_brute_force(pool, opp, w):
    weights = Weights(*w[:6], partial_credit=min(1.0, w[6] / 5))
    got = top_candidates(FeatureMatrix.from_facts(pool), opp, 10, weights=weights)
    expected, by_id = brute_force(pool, opp, 10, weights=weights)
    assert_same_topk(got, expected, by_id)


@SETTINGS
@given(pool=pools(), opp=opportunities(), data=st.data())
def test_adding_a_task_the_candidate_has_never_lowers_their_score(pool, opp, data):
    cand = data.draw(st.sampled_from(pool))
    matrix = FeatureMatrix.from_facts(pool)
    if not cand.eligible:
        return
    extra = data.draw(st.integers(1, 12))
    cand2 = dataclasses.replace(cand, skills=(*cand.skills, extra))
    opp2 = dataclasses.replace(opp, tasks=(*opp.tasks, extra))
    # the opportunity asks one more thing the candidate has
    if extra in cand.skills:
        before = score_of(matrix, opp, cand.id)
        assert score_of(matrix, opp2, cand.id) >= before - 1e-6
    # the candidate gains a skill the opportunity asks for (rarity weights shift with it)
    if extra in opp.tasks:
        before = score_of(matrix, opp, cand.id)
        pool2 = [cand2 if c.id == cand.id else c for c in pool]
        assert score_of(FeatureMatrix.from_facts(pool2), opp, cand.id) >= before - 1e-6


def score_of(matrix, opp, cid):
    (s,) = [s for s in top_candidates(matrix, opp, matrix.n) if s.candidate_id == cid]
    return s.score


@SETTINGS
@given(
    d1=st.floats(0, 200),
    d2=st.floats(0, 200),
    max_km=st.one_of(st.none(), st.integers(1, 80)),
)
def test_farther_never_scores_higher_on_travel(d1, d2, max_km):
    near, far = sorted((d1, d2))
    opp = OpportunityFacts(lat=52.0, lon=5.9)
    ky = 1 / (math.radians(1.0) * engine.EARTH_RADIUS_KM)
    pool = [
        CandidateFacts(id=1, lat=52.0 + near * ky, lon=5.9, max_travel_km=max_km),
        CandidateFacts(id=2, lat=52.0 - far * ky, lon=5.9, max_travel_km=max_km),
    ]
    res = {s.candidate_id: s for s in top_candidates(FeatureMatrix.from_facts(pool), opp, 2)}
    assert res[1].factors["travel"] >= res[2].factors["travel"] - 1e-6
    ref = [score_pair(c, opp) for c in pool]
    assert ref[0].factors["travel"] >= ref[1].factors["travel"]


def test_travel_decays_smoothly_from_sixty_percent_to_one_and_a_half_times_max():
    assert engine._smooth_travel(0.0, 10) == 1.0
    assert engine._smooth_travel(6.0, 10) == 1.0
    assert 0 < engine._smooth_travel(10.0, 10) < 1
    assert engine._smooth_travel(15.0, 10) == 0.0


PROTECTED = st.fixed_dictionaries(
    {
        "birth_date": st.dates(dt.date(1950, 1, 1), dt.date(2008, 1, 1)),
        "age": st.integers(16, 70),
        "sex": st.sampled_from(["m", "v", "x", ""]),
        "origin": st.text(max_size=5),
        "nationality": st.sampled_from(["NL", "SY", "PL", "TR", "MA"]),
        "health": st.sampled_from([None, 1, 2, 3, 4, 5]),
        "household": st.integers(0, 6),
    }
)


@SETTINGS
@given(pool=pools(max_size=15), opp=opportunities(), data=st.data())
def test_protected_attributes_never_change_any_score(pool, opp, data):
    def records():
        return [
            {**{f.name: getattr(c, f.name) for f in dataclasses.fields(c)}, **data.draw(PROTECTED)}
            for c in pool
        ]

    runs = []
    for _ in range(2):
        facts = [candidate_facts_from(r) for r in records()]
        res = top_candidates(FeatureMatrix.from_facts(facts), opp, len(pool))
        runs.append([(s.candidate_id, s.score, s.factors) for s in res])
    assert runs[0] == runs[1]


def test_protected_attributes_are_not_fields_of_any_input():
    names = {
        f.name
        for cls in (CandidateFacts, OpportunityFacts, Weights)
        for f in dataclasses.fields(cls)
    }
    assert not names & engine.PROTECTED_ATTRIBUTES
    with pytest.raises(TypeError):
        CandidateFacts(id=1, sex="v")  # type: ignore[call-arg]


@SETTINGS
@given(pool=pools(), opp=opportunities(), data=st.data())
def test_removed_candidate_is_never_returned(pool, opp, data):
    matrix = FeatureMatrix.from_facts(pool)
    removed = set(data.draw(st.lists(st.sampled_from([c.id for c in pool]), max_size=len(pool))))
    for cid in removed:
        matrix.remove(cid)
    got = top_candidates(matrix, opp, len(pool))
    returned = {s.candidate_id for s in got}
    assert not returned & removed
    assert returned == {c.id for c in pool if c.eligible and c.id not in removed}


@SETTINGS
@given(pool=pools(), opp=opportunities())
def test_strikt_filters_what_breed_flags(pool, opp):
    matrix = FeatureMatrix.from_facts(pool)
    breed = top_candidates(matrix, opp, len(pool), mode=Mode.BREED)
    strikt = top_candidates(matrix, opp, len(pool), mode=Mode.STRIKT)
    assert [s.candidate_id for s in strikt] == [
        s.candidate_id for s in breed if not s.missing_requirements
    ]
    for s in breed:
        c = next(c for c in pool if c.id == s.candidate_id)
        flagged = set(s.missing_requirements)
        assert (engine.REQ_DRIVING_LICENCE in flagged) == (
            opp.requires_driving_licence and not c.has_driving_licence
        )
        assert (engine.REQ_DUTCH in flagged) == (c.dutch_level < opp.min_dutch_level)


@SETTINGS
@given(
    pool=pools(max_size=25),
    extra=pools(max_size=15),
    opp=opportunities(),
    data=st.data(),
)
def test_incremental_upsert_and_remove_equal_a_rebuild(pool, extra, opp, data):
    matrix = FeatureMatrix.from_facts(pool)
    current = {c.id: c for c in pool}
    ops = data.draw(st.lists(st.tuples(st.booleans(), st.integers(0, 40)), max_size=30))
    for is_upsert, i in ops:
        if is_upsert:
            c = dataclasses.replace(extra[i % len(extra)], id=1 + i)
            matrix.upsert(c)
            current[c.id] = c
        else:
            matrix.remove(1 + i)
            current.pop(1 + i, None)
    rebuilt = FeatureMatrix.from_facts(list(current.values()))
    assert matrix.n_active == rebuilt.n_active
    k = max(1, len(current))
    got = top_candidates(matrix, opp, k)
    expected = top_candidates(rebuilt, opp, k)
    assert [(s.candidate_id, s.matched_skills) for s in got] == [
        (s.candidate_id, s.matched_skills) for s in expected
    ]
    assert [s.score for s in got] == pytest.approx([s.score for s in expected], abs=1e-6)
    matrix.compact()
    assert [s.candidate_id for s in top_candidates(matrix, opp, k)] == [
        s.candidate_id for s in expected
    ]


def test_allowed_rows_restricts_the_result():
    pool = [CandidateFacts(id=i, skills=(1,)) for i in range(1, 11)]
    matrix = FeatureMatrix.from_facts(pool)
    got = top_candidates(
        matrix, OpportunityFacts(tasks=(1,)), 10, allowed_rows=matrix.mask_for([2, 5])
    )
    assert sorted(s.candidate_id for s in got) == [2, 5]


def test_rare_skills_weigh_more_and_experience_gives_partial_credit():
    pool = [CandidateFacts(id=i, skills=(1,)) for i in range(1, 20)] + [
        CandidateFacts(id=50, skills=(2,)),
        CandidateFacts(id=51, skills=(1,), experience_groups=(932,)),
    ]
    matrix = FeatureMatrix.from_facts(pool)
    assert matrix.skill_weight(2) > matrix.skill_weight(1) == pytest.approx(idf(21, 20))
    opp = OpportunityFacts(tasks=(1, 2), occupation_group=932)
    res = {s.candidate_id: s for s in top_candidates(matrix, opp, 50)}
    assert res[50].factors["skills"] > res[1].factors["skills"]
    assert res[51].partial_skills == (2,) and res[51].missing_skills == ()
    assert res[51].factors["skills"] > res[1].factors["skills"]
    assert res[1].missing_skills == (2,)


def test_top_opportunities_ranks_for_one_candidate():
    cand = CandidateFacts(
        id=1, skills=(1, 2), wished_kinds=(3,), lat=51.84, lon=5.86, max_travel_km=20
    )
    opps = [
        OpportunityFacts(id=10, tasks=(1, 2), kind=3, lat=51.85, lon=5.87),
        OpportunityFacts(id=11, tasks=(7,), kind=1, lat=52.37, lon=4.90),
        OpportunityFacts(
            id=12, tasks=(1,), kind=3, lat=51.90, lon=5.90, requires_driving_licence=True
        ),
    ]
    got = engine.top_opportunities(cand, opps, 2)
    assert [s.opportunity_id for s in got] == [10, 12]
    strikt = engine.top_opportunities(cand, opps, 5, mode=Mode.STRIKT)
    assert 12 not in {s.opportunity_id for s in strikt}


def test_explanation_in_dutch():
    pool = [
        CandidateFacts(
            id=7,
            skills=(1,),
            lat=51.84,
            lon=5.86,
            hours_min=24,
            hours_max=24,
            dutch_level=2,
            has_driving_licence=False,
        )
    ]
    opp = OpportunityFacts(
        tasks=(1, 2),
        lat=51.84 + 6 / 111.2,
        lon=5.86,
        hours_min=24,
        hours_max=32,
        requires_driving_licence=True,
        min_dutch_level=3,
    )
    (s,) = top_candidates(FeatureMatrix.from_facts(pool), opp, 1)
    text = explain_nl(s, {1: "orderpicken", 2: "heftruck rijden"}, min_dutch_level=3)
    assert "heeft ervaring met orderpicken" in text
    assert "woont op 6 km" in text
    assert "wil 24 uur" in text
    assert "mist: heftruck rijden, rijbewijs B, Nederlands B1" in text
    assert text.startswith("past ")


def test_matrix_memory_is_reported():
    pool = [CandidateFacts(id=i, skills=(1, 2, 3)) for i in range(100)]
    matrix = FeatureMatrix.from_facts(pool)
    assert 0 < matrix.nbytes / 100 < 300
    assert np.all(matrix.candidate_ids == np.arange(100))


@SETTINGS
@given(pool=pools(max_size=10))
def test_stored_row_round_trips_to_the_facts(pool):
    matrix = FeatureMatrix.from_facts(pool)
    for r, c in enumerate(pool):
        back = matrix.facts_at(r)
        expect = f32_coords(c)
        assert back.id == c.id
        assert set(back.skills) == set(c.skills)
        assert set(back.experience_groups) == set(c.experience_groups)
        assert set(back.wished_kinds) == set(c.wished_kinds)
        assert set(back.wished_skills) == set(c.wished_skills)
        assert (back.lat, back.lon) == (expect.lat, expect.lon)
        assert (back.hours_min, back.hours_max) == (c.hours_min, c.hours_max)
        if c.lat is not None and c.lon is not None:  # without a location the maximum is moot
            assert back.max_travel_km == pytest.approx(c.max_travel_km or engine.DEFAULT_MAX_KM)
        assert back.available_from == c.available_from
        assert (back.has_driving_licence, back.dutch_level, back.eligible) == (
            c.has_driving_licence,
            c.dutch_level,
            c.eligible,
        )


def test_kind_codes_out_of_range_are_refused():
    with pytest.raises(ValueError):
        FeatureMatrix.from_facts([CandidateFacts(id=1, wished_kinds=(15,))])
    with pytest.raises(ValueError):
        Weights(skills=-1)
    with pytest.raises(ValueError):
        FeatureMatrix.from_facts([CandidateFacts(id=1), CandidateFacts(id=1)])
