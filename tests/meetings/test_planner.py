"""The table planner of a prettig gesprek (``werkbrug.meetings.planner``): pure tests, no database.

Random instances come with a *witness*: a valid seating drawn first, from which pins, pinned
rounds and absences are taken, so every generated input is feasible by construction. Fit
values are whole thousandths (the planner scores fit in thousandths, ``SCALE``); finer values
are checked at the end.

Independent oracles: ``validate`` (itself tested case by case), a small max-flow written here
for the best possible coverage, and CP-SAT (``plan_cp_sat``) for the optimum on small inputs.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.meetings.planner import (
    Plan,
    PlanError,
    PlanInput,
    Seat,
    greedy,
    plan,
    plan_cp_sat,
    validate,
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLVER = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

thousandths = st.integers(0, 1000).map(lambda n: n / 1000)


# --- Instances ---------------------------------------------------------------------------------


@st.composite
def instances(
    draw,
    *,
    max_employers: int = 6,
    max_candidates: int = 25,
    max_rounds: int = 4,
    pins: bool = True,
    wishes: bool = False,
    forbid: bool = True,
    time_limit: float = 10.0,
) -> PlanInput:
    """A feasible input. ``wishes`` adds what breaks the structure (absences, pinned rounds)."""
    n_e = draw(st.integers(0, max_employers))
    n_c = draw(st.integers(0, max_candidates))
    rounds = draw(st.integers(1, max_rounds))
    employers = draw(st.lists(st.integers(1, 99), min_size=n_e, max_size=n_e, unique=True))
    candidates = draw(st.lists(st.integers(100, 999), min_size=n_c, max_size=n_c, unique=True))
    capacity: int | dict[int, int]
    if draw(st.booleans()):
        capacity = draw(st.integers(0, 3))
    else:  # per employer; an employer left out of the mapping has capacity 0
        capacity = {e: draw(st.integers(0, 3)) for e in employers if draw(st.integers(0, 5))}
    cap = (lambda e: capacity.get(e, 0)) if isinstance(capacity, dict) else (lambda e: capacity)
    pairs = [(c, e) for c in candidates for e in employers]
    mask = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    values = draw(st.lists(thousandths, min_size=len(pairs), max_size=len(pairs)))
    fit = {p: v for p, v, keep in zip(pairs, values, mask, strict=True) if keep}
    forbidden: frozenset[tuple[int, int]] = frozenset()
    if forbid and pairs:
        forbidden = frozenset(draw(st.sets(st.sampled_from(pairs), max_size=len(pairs) // 3)))
    min_conversations = draw(st.integers(0, 2))

    # The witness: a valid seating, round by round.
    rnd = draw(st.randoms(use_true_random=False))
    witness: list[Seat] = []
    met: set[tuple[int, int]] = set()
    for r in range(rounds):
        filled: dict[int, int] = defaultdict(int)
        for c in rnd.sample(candidates, len(candidates)):
            options = [
                e
                for e in employers
                if (c, e) not in forbidden and (c, e) not in met and filled[e] < cap(e)
            ]
            if options and rnd.random() < 0.8:
                e = rnd.choice(options)
                filled[e] += 1
                met.add((c, e))
                witness.append(Seat(round=r, employer=e, candidate=c))

    absent: dict[int, frozenset[int]] = {}
    pinned_rounds: dict[tuple[int, int], int] = {}
    if wishes:
        seated = defaultdict(set)
        for s in witness:
            seated[s.candidate].add(s.round)
        for c in candidates:
            free = [r for r in range(rounds) if r not in seated[c]]
            gone = frozenset(r for r in free if rnd.random() < 0.4)
            if gone:
                absent[c] = gone
        for s in witness:
            if rnd.random() < 0.15:
                pinned_rounds[(s.candidate, s.employer)] = s.round
    pinned: list[tuple[int, int]] = []
    if pins:
        pinned = [
            (s.candidate, s.employer)
            for s in witness
            if (s.candidate, s.employer) not in pinned_rounds and rnd.random() < 0.2
        ]
    return PlanInput(
        employers=employers,
        candidates=candidates,
        rounds=rounds,
        capacity=capacity,
        fit=fit,
        min_conversations=min_conversations,
        pinned=pinned,
        pinned_rounds=pinned_rounds,
        forbidden=forbidden,
        absent=absent,
        time_limit=time_limit,
    )


small = {"max_employers": 4, "max_candidates": 8, "max_rounds": 3}


# --- Independent helpers -----------------------------------------------------------------------


def score(data: PlanInput, seats: list[Seat]) -> tuple[int, float]:
    """(coverage, fit) of seats, computed here and not by the planner."""
    per: dict[int, int] = defaultdict(int)
    for s in seats:
        per[s.candidate] += 1
    coverage = sum(min(n, data.min_conversations) for n in per.values())
    return coverage, sum(data.fit.get((s.candidate, s.employer), 0.0) for s in seats)


def max_coverage(data: PlanInput) -> int:
    """The best coverage any plan can reach, for inputs without pins or round wishes.

    A max flow (Edmonds-Karp): source -> candidate (min(min_conversations, rounds)) ->
    employer (1 per allowed pair) -> sink (capacity x rounds). Every valid plan gives such a
    flow; every such flow can be seated in rounds (Koenig), so the maximum is exact."""
    source, sink = ("s",), ("t",)
    cap: dict[tuple, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for c in data.candidates:
        cap[source][("c", c)] += min(data.min_conversations, data.rounds)
        for e in data.employers:
            if data.capacity_of(e) and (c, e) not in data.forbidden:
                cap[("c", c)][("e", e)] += 1
    for e in data.employers:
        cap[("e", e)][sink] += data.capacity_of(e) * data.rounds
    total = 0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v, left in list(cap[u].items()):
                if left > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return total
        path, v = [], sink
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[u][v] for u, v in path)
        for u, v in path:
            cap[u][v] -= push
            cap[v][u] += push
        total += push


def assert_consistent(data: PlanInput, result) -> None:
    """The plan's own numbers describe its seats."""
    coverage, fit = score(data, result.seats)
    assert result.coverage == coverage
    assert result.fit == pytest.approx(fit, abs=1e-6)
    assert result.objective == pytest.approx(result.coverage_bonus * coverage + fit, abs=1e-6)
    assert len(set(result.seats)) == len(result.seats)


# --- 1. Every plan is valid --------------------------------------------------------------------


@PROPERTY
@given(instances())
def test_plan_breaks_no_rule_and_keeps_every_pin(data):
    """The planner's seats pass ``validate`` (one table per round, capacity, no repeated or
    forbidden pair, pins met) and its reported coverage/fit/objective describe those seats."""
    result = plan(data)
    assert validate(data, result.seats) == []
    met = {(s.candidate, s.employer) for s in result.seats}
    assert set(data.pinned) <= met
    assert all(0 <= s.round < data.rounds for s in result.seats)
    assert_consistent(data, result)


@SOLVER
@given(instances(wishes=True, max_candidates=15))
def test_plan_with_round_wishes_breaks_no_rule(data):
    """With absences and pinned rounds too (and plain pins beside them): no candidate is seated
    in an absent round, every pinned pair meets (in its pinned round, when given), and the rest
    of the rules hold."""
    result = plan(data)
    assert validate(data, result.seats) == []
    assert set(data.pinned) <= {(s.candidate, s.employer) for s in result.seats}
    rounds_of = {(s.candidate, s.employer): s.round for s in result.seats}
    for pair, r in data.pinned_rounds.items():
        assert rounds_of[pair] == r
    for s in result.seats:
        assert s.round not in data.absent.get(s.candidate, frozenset())
    assert_consistent(data, result)


@PROPERTY
@given(instances(pins=False, wishes=True))
def test_greedy_breaks_no_rule_without_pins(data):
    """The greedy baseline's seats pass ``validate`` (absences included) when nothing is
    pinned. (With pins it can miss one and then refuses: see the tests at the end.)"""
    result = greedy(data)
    assert result.method == "greedy"
    assert result.bound is None and result.gap is None
    assert validate(data, result.seats) == []
    assert_consistent(data, result)


@PROPERTY
@given(instances(wishes=True))
def test_greedy_with_pins_is_valid_or_refuses_in_dutch(data):
    """With pins the greedy baseline either returns a valid plan or raises PlanError saying
    which pin it could not seat; it never returns a plan that breaks a pin."""
    try:
        result = greedy(data)
    except PlanError as error:
        assert "vaste koppeling" in str(error).lower()  # Dutch, names the pin
        return
    assert validate(data, result.seats) == []
    assert_consistent(data, result)


def greedy_or_none(data: PlanInput) -> Plan | None:
    try:
        return greedy(data)
    except PlanError:
        return None


# --- 2. The planner is never worse than the greedy ---------------------------------------------


@SOLVER
@given(instances(wishes=True))
def test_plan_is_lexicographically_at_least_greedy(data):
    """Coverage first, fit second: the planner's (coverage, fit) is >= the greedy's whenever
    the greedy plan is valid (a valid greedy plan is a feasible plan), and so is the objective."""
    best, base = plan(data), greedy_or_none(data)
    if base is None:  # the greedy could not seat a pin (it says so): nothing to compare with
        return
    assert (best.coverage, best.fit + 1e-6) >= (base.coverage, base.fit)
    assert best.objective >= base.objective - 1e-6
    assert best.coverage_bonus == base.coverage_bonus


# --- 3. Flow plans are proven optimal and equal the CP-SAT optimum -----------------------------


@SOLVER
@given(instances(**small))
def test_flow_plan_is_proven_optimal_and_equals_cp_sat_optimum(data):
    """Structured input: method "flow", gap 0 (bound = objective), and CP-SAT on the whole
    model, solved to proven optimality, reaches the same objective (so the same coverage)."""
    assert data.structured
    best = plan(data)
    exact = plan_cp_sat(data)
    assert best.method == "flow"
    assert best.gap == pytest.approx(0.0, abs=1e-9) and best.optimal
    assert exact.method == "cp-sat" and exact.optimal
    assert validate(data, exact.seats) == []
    assert best.objective == pytest.approx(exact.objective, abs=1e-6)
    assert best.coverage == exact.coverage
    # Each bound really bounds the other method's plan.
    assert best.bound >= exact.objective - 1e-6
    assert exact.bound >= best.objective - 1e-6


@SOLVER
@given(instances(wishes=True, **small))
def test_plan_with_round_wishes_reaches_the_cp_sat_optimum(data):
    """Non-structured input (pins too): the planner uses CP-SAT (after the flow, or on the
    whole problem), its bound is not below the CP-SAT optimum, its gap matches its bound, and
    on these small inputs it reaches the optimum: best coverage, then best fit."""
    best = plan(data)
    exact = plan_cp_sat(data)
    if not data.structured:
        assert best.method != "flow"
    assert exact.optimal
    assert validate(data, exact.seats) == []
    assert best.objective <= exact.objective + 1e-6
    assert best.bound >= exact.objective - 1e-6
    assert best.gap is not None and 0 <= best.gap <= 1
    if best.bound > 0:
        assert best.gap == pytest.approx((best.bound - best.objective) / best.bound, abs=1e-9)
    assert best.objective == pytest.approx(exact.objective, abs=1e-6)
    assert best.coverage == exact.coverage


# --- 4. Coverage -------------------------------------------------------------------------------


@PROPERTY
@given(instances(pins=False, forbid=False))
def test_every_candidate_gets_min_conversations_when_seats_allow(data):
    """When the seats allow it, every candidate gets ``min_conversations`` conversations.

    "Allow" exactly (Hall's condition for this b-matching): min_conversations <= rounds and
    sum over tables of min(capacity x rounds, candidates) >= candidates x min_conversations.
    (The plain seat count is not enough: a candidate meets each employer once, so a big table
    cannot give one candidate two conversations.)"""
    m = data.min_conversations
    n = len(data.candidates)
    seats = sum(min(data.capacity_of(e) * data.rounds, n) for e in data.employers)
    result = plan(data)
    conversations = result.conversations()
    if n == 0 or (m <= data.rounds and seats >= n * m):
        assert all(conversations.get(c, 0) >= m for c in data.candidates)
        assert result.coverage == n * m
    else:
        assert result.coverage < n * m
    assert result.coverage == max_coverage(data)


@PROPERTY
@given(instances(pins=False))
def test_coverage_is_the_maximum_possible(data):
    """With forbidden pairs and uneven tables too, coverage equals the true maximum (an
    independent max flow), for the planner; the greedy never exceeds it."""
    best = max_coverage(data)
    assert plan(data).coverage == best
    assert greedy(data).coverage <= best


def test_coverage_comes_before_fit():
    """A candidate with low fit still gets a seat instead of a second, better conversation for
    someone who already has one."""
    data = PlanInput(
        employers=[1, 2],
        candidates=[100, 200],
        rounds=2,
        capacity=1,
        fit={(100, 1): 1.0, (100, 2): 1.0, (200, 1): 0.0},
        forbidden=frozenset({(200, 2)}),
        min_conversations=1,
    )
    # Seats: table 1 twice, table 2 twice; 200 can only sit at table 1.
    result = plan(data)
    assert result.conversations().get(200) == 1
    assert result.coverage == 2
    assert validate(data, result.seats) == []


def test_coverage_when_seats_do_not_allow_it():
    """Five candidates, one table of one seat, two rounds: two candidates are covered."""
    data = PlanInput(employers=[1], candidates=[100, 101, 102, 103, 104], rounds=2, capacity=1)
    result = plan(data)
    assert result.coverage == 2 == plan_cp_sat(data).coverage
    assert validate(data, result.seats) == []


# --- 5. Pins, pinned rounds, absences and inputs the planner refuses ---------------------------


def test_pinned_pair_meets_even_with_zero_fit():
    """A pinned pair with no fit meets although better pairs compete for the only seat."""
    data = PlanInput(
        employers=[1],
        candidates=[100, 101],
        rounds=1,
        capacity=1,
        fit={(101, 1): 1.0},
        pinned=[(100, 1)],
    )
    result = plan(data)
    assert result.seats == [Seat(round=0, employer=1, candidate=100)]
    assert validate(data, result.seats) == []


def test_pinned_round_is_kept_and_solved_with_cp_sat():
    """A pair pinned to round 2 meets in round 2; the input is no longer structured and the
    plan comes from CP-SAT (alone or after the flow)."""
    data = PlanInput(
        employers=[1, 2],
        candidates=[100, 101],
        rounds=2,
        capacity=1,
        fit={(100, 1): 1.0, (101, 1): 0.9},
        pinned_rounds={(100, 1): 1},
    )
    assert not data.structured
    result = plan(data)
    assert "cp-sat" in result.method and result.method != "flow"
    assert Seat(round=1, employer=1, candidate=100) in result.seats
    assert validate(data, result.seats) == []
    assert result.optimal


def test_absent_round_is_respected_and_solved_with_cp_sat():
    """A candidate absent in round 1 is seated only in round 2, via CP-SAT."""
    data = PlanInput(
        employers=[1, 2],
        candidates=[100, 101],
        rounds=2,
        capacity=1,
        fit={(100, 1): 1.0, (100, 2): 1.0, (101, 1): 0.5},
        absent={100: frozenset({0})},
    )
    assert not data.structured
    result = plan(data)
    assert "cp-sat" in result.method
    assert [s.round for s in result.seats if s.candidate == 100] == [1]
    assert validate(data, result.seats) == []
    assert result.coverage == 2


def base(**changes) -> PlanInput:
    fields = {"employers": [1, 2], "candidates": [100, 101], "rounds": 2, "capacity": 1}
    fields.update(changes)
    return PlanInput(**fields)


REFUSED = {
    "more pinned than the table holds in a round": (
        base(pinned_rounds={(100, 1): 0, (101, 1): 0}),
        r"Te veel vaste koppelingen aan de tafel van werkgever 1 in ronde 1",
    ),
    "pinned pair also forbidden": (
        base(pinned=[(100, 2)], forbidden=frozenset({(100, 2)})),
        r"Vaste koppeling 100–2 is ook als 'nooit' opgegeven",
    ),
    "pinned round pair also forbidden": (
        base(pinned_rounds={(100, 2): 1}, forbidden=frozenset({(100, 2)})),
        r"Vaste koppeling 100–2 is ook als 'nooit' opgegeven",
    ),
    "pinned candidate not taking part": (
        base(pinned=[(999, 1)]),
        r"Vaste koppeling 999–1: kandidaat of werkgever doet niet mee",
    ),
    "pinned employer not taking part": (
        base(pinned_rounds={(100, 7): 0}),
        r"Vaste koppeling 100–7: kandidaat of werkgever doet niet mee",
    ),
    "no rounds": (base(rounds=0), r"minstens één ronde"),
    "negative rounds": (base(rounds=-1), r"minstens één ronde"),
    "duplicate employer": (base(employers=[1, 2, 1]), r"werkgever staat twee keer"),
    "duplicate candidate": (base(candidates=[100, 100]), r"kandidaat staat twee keer"),
    "pinned round that does not exist": (
        base(pinned_rounds={(100, 1): 2}),
        r"Vaste koppeling 100–1: ronde 3 bestaat niet",
    ),
    "pinned in an absent round": (
        base(pinned_rounds={(100, 1): 0}, absent={100: frozenset({0})}),
        r"Vaste koppeling 100–1: de kandidaat is in ronde 1 afwezig",
    ),
    "more pins than rounds": (
        base(employers=[1, 2, 3], pinned=[(100, 1), (100, 2), (100, 3)]),
        r"Kandidaat 100 heeft meer vaste koppelingen dan rondes",
    ),
    "negative capacity": (
        base(capacity={1: 1, 2: -1}),
        r"De tafel van werkgever 2 heeft een negatieve capaciteit",
    ),
    "negative minimum": (base(min_conversations=-1), r"minimum aantal gesprekken"),
}


@pytest.mark.parametrize("method", [plan, plan_cp_sat, greedy], ids=lambda f: f.__name__)
@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_infeasible_input_is_refused_in_dutch(case, method):
    """Each impossible input raises PlanError (a ValueError) naming the problem in Dutch, from
    every entry point."""
    data, message = REFUSED[case]
    with pytest.raises(PlanError, match=message):
        method(data)
    assert issubclass(PlanError, ValueError)


@pytest.mark.parametrize(
    "data",
    [
        base(pinned=[(100, 1), (101, 1)], rounds=1),  # one seat at table 1
        base(pinned=[(100, 2)], capacity={1: 1}),  # table 2 has no seats
    ],
    ids=["table too small for its pins", "pin at a closed table"],
)
def test_pins_that_do_not_fit_are_refused_in_dutch(data):
    """Pins that pass the quick checks but cannot all be seated raise PlanError in Dutch."""
    with pytest.raises(PlanError, match=r"Vaste koppeling|geen plan mogelijk"):
        plan(data)
    with pytest.raises(PlanError, match=r"geen plan mogelijk"):
        plan_cp_sat(data)


# --- 6. Edge cases -----------------------------------------------------------------------------


EDGE = {
    "no candidates": base(candidates=[]),
    "no employers": base(employers=[]),
    "no one at all": base(employers=[], candidates=[]),
    "capacity 0 everywhere": base(capacity=0, fit={(100, 1): 1.0}),
    "capacity mapping empty": base(capacity={}),
    "no minimum": base(min_conversations=0, fit={(100, 1): 0.5}),
}


@pytest.mark.parametrize("data", list(EDGE.values()), ids=list(EDGE))
@pytest.mark.parametrize("method", [plan, plan_cp_sat, greedy], ids=lambda f: f.__name__)
def test_edge_inputs_give_a_valid_plan(data, method):
    """Empty or seatless inputs give a valid plan (empty when no one can sit), not an error."""
    result = method(data)
    assert validate(data, result.seats) == []
    assert result.coverage == max_coverage(data)
    if not data.candidates or not data.employers or not any(map(data.capacity_of, [1, 2])):
        assert result.seats == [] and result.fit == 0 and result.coverage == 0
    if method is not greedy:
        assert result.optimal


def test_no_minimum_still_seats_pairs_with_fit():
    """With min_conversations 0 coverage is 0 but the fit still fills the seats."""
    result = plan(EDGE["no minimum"])
    assert result.coverage == 0
    assert result.fit == pytest.approx(0.5)


def test_min_conversations_above_rounds_gives_every_round():
    """Asking for more conversations than rounds: everyone talks in every round (coverage
    counts at most ``rounds`` per candidate) and the plan is still optimal."""
    data = PlanInput(
        employers=[1, 2, 3], candidates=[100, 101, 102], rounds=2, capacity=1, min_conversations=5
    )
    result = plan(data)
    assert validate(data, result.seats) == []
    assert result.conversations() == {100: 2, 101: 2, 102: 2}
    assert result.coverage == 6 == max_coverage(data)
    assert result.optimal
    assert plan_cp_sat(data).coverage == 6


@PROPERTY
@given(instances(pins=False))
def test_all_fit_zero_still_valid_and_coverage_maximal(data):
    """Without any fit (all zero, or no fit given at all) the plan is valid, has fit 0 and
    the best possible coverage."""
    for fit in ({pair: 0.0 for pair in data.fit}, {}):
        flat = PlanInput(
            employers=data.employers,
            candidates=data.candidates,
            rounds=data.rounds,
            capacity=data.capacity,
            fit=fit,
            min_conversations=data.min_conversations,
            forbidden=data.forbidden,
        )
        result = plan(flat)
        assert validate(flat, result.seats) == []
        assert result.fit == 0
        assert result.coverage == max_coverage(flat)
        assert result.optimal


# --- 7. validate catches each broken rule ------------------------------------------------------


V = PlanInput(
    employers=[1, 2],
    candidates=[100, 101, 102],
    rounds=2,
    capacity={1: 1, 2: 2},
    pinned=[(100, 1)],
    pinned_rounds={(101, 2): 1},
    forbidden=frozenset({(102, 1)}),
    absent={102: frozenset({0})},
)
GOOD = [Seat(0, 2, 100), Seat(0, 1, 101), Seat(1, 1, 100), Seat(1, 2, 101), Seat(1, 2, 102)]

BROKEN = {
    "candidate at two tables in a round": (
        [Seat(0, 1, 100), Seat(0, 2, 100), Seat(1, 2, 101)],
        ["Ronde 1: kandidaat 100 zit aan 2 tafels."],
    ),
    "table over capacity": (
        [Seat(0, 1, 100), Seat(0, 1, 101), Seat(1, 2, 101)],
        ["Ronde 1: aan de tafel van werkgever 1 zitten 2 kandidaten (plaats voor 1)."],
    ),
    "repeated pair": (
        [Seat(0, 1, 100), Seat(1, 1, 100), Seat(1, 2, 101)],
        ["Kandidaat 100 spreekt werkgever 1 2 keer."],
    ),
    "forbidden pair": (
        [Seat(0, 1, 100), Seat(1, 2, 101), Seat(1, 1, 102)],
        ["Kandidaat 102 en werkgever 1 mogen niet."],
    ),
    "absent round": (
        [Seat(0, 1, 100), Seat(1, 2, 101), Seat(0, 2, 102)],
        ["Ronde 1: kandidaat 102 is dan afwezig."],
    ),
    "missing pin": ([Seat(1, 2, 101)], ["Vaste koppeling 100–1 ontbreekt."]),
    "missing pinned-round pair": (
        [Seat(0, 1, 100)],
        ["Vaste koppeling 101–2 hoort in ronde 2."],
    ),
    "wrong pinned round": (
        [Seat(0, 1, 100), Seat(0, 2, 101)],
        ["Vaste koppeling 101–2 hoort in ronde 2."],
    ),
    "unknown candidate": (
        [Seat(0, 1, 100), Seat(1, 2, 101), Seat(0, 2, 555)],
        ["Ronde 1: 555 of 2 doet niet mee."],
    ),
    "unknown employer": (
        [Seat(0, 1, 100), Seat(1, 2, 101), Seat(1, 9, 102)],
        ["Ronde 2: 102 of 9 doet niet mee."],
    ),
    "round that does not exist": (
        [Seat(0, 1, 100), Seat(1, 2, 101), Seat(2, 2, 102)],
        ["Ronde 3 bestaat niet."],
    ),
}


def test_validate_accepts_a_valid_plan():
    """The reference plans break no rule (so each case below breaks exactly one)."""
    assert validate(V, GOOD) == []
    assert validate(V, [Seat(0, 1, 100), Seat(1, 2, 101)]) == []


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_validate_names_each_broken_rule_in_dutch(case):
    """One broken rule gives exactly one Dutch message naming the round/people involved."""
    seats, expected = BROKEN[case]
    assert validate(V, seats) == expected


def test_validate_lists_every_broken_rule_at_once():
    """Several broken rules are all reported, not just the first."""
    seats = [Seat(0, 1, 100), Seat(0, 1, 101), Seat(0, 2, 102), Seat(1, 1, 102)]
    problems = validate(V, seats)
    assert any("zitten 2 kandidaten" in p for p in problems)
    assert any("afwezig" in p for p in problems)
    assert any("mogen niet" in p for p in problems)
    assert any("hoort in ronde 2" in p for p in problems)
    assert len(problems) == 4


# --- 8. Determinism ----------------------------------------------------------------------------


@PROPERTY
@given(instances())
def test_structured_plan_is_deterministic(data):
    """The same structured input gives the same seats (and greedy seats) twice."""
    assert plan(data).seats == plan(data).seats
    first = greedy_or_none(data)
    assert first is None or first.seats == greedy(data).seats


def test_greedy_with_round_wishes_is_deterministic():
    data = PlanInput(
        employers=[1, 2, 3],
        candidates=list(range(100, 112)),
        rounds=3,
        capacity=2,
        fit={(c, e): ((c * 7 + e * 13) % 10) / 10 for c in range(100, 112) for e in (1, 2, 3)},
        absent={100: frozenset({0})},
        pinned_rounds={(101, 2): 2},
    )
    assert greedy(data).seats == greedy(data).seats


def round_wishes_instance() -> PlanInput:
    """3 tables of 3 x 26 candidates x 3 rounds, random fits, each candidate absent in a round
    with chance 0.3 (fixed seed). Several optimal round assignments exist."""
    rng = random.Random(19)
    sizes = [rng.randint(3, 6), rng.randint(10, 30), rng.randint(3, 5), rng.randint(1, 3)]
    assert sizes == [3, 26, 3, 3]  # the seed was picked with these draws
    employers, candidates, rounds = [1, 2, 3], list(range(100, 126)), 3
    fit = {(c, e): rng.randint(0, 1000) / 1000 for c in candidates for e in employers}
    absent = {c: frozenset(r for r in range(rounds) if rng.random() < 0.3) for c in candidates}
    return PlanInput(
        employers=employers,
        candidates=candidates,
        rounds=rounds,
        capacity=3,
        fit=fit,
        min_conversations=rng.randint(1, 2),
        absent=absent,
    )


def test_plan_with_round_wishes_is_deterministic():
    """Up to 40 runs (stopping at the first difference) give the same seats. Observed on this
    instance: 7 different seatings in 30 runs, the commonest 12 times, so a false pass (40
    equal runs) is practically impossible."""
    data = round_wishes_instance()
    first = plan(data).seats
    for _ in range(40):
        assert plan(data).seats == first


def test_plan_with_round_wishes_has_a_reproducible_objective():
    """Whatever the seats, repeated runs reach the same (optimal) objective."""
    data = round_wishes_instance()
    runs = [plan(data) for _ in range(3)]
    assert len({round(r.objective, 6) for r in runs}) == 1
    assert all(r.optimal and validate(data, r.seats) == [] for r in runs)


# --- Former bugs (regression tests) ---------------------------------------------------------------


GREEDY_LOSES_PINS = {
    # Pins in fit order: (100,1) r1, (101,3) r1, (101,2) r2; then (100,2) finds 100 busy in
    # round 1 and table 2 full in round 2, though 100-2 r1, 100-1 r2 would have worked.
    "pins coloured first-fit": PlanInput(
        employers=[1, 2, 3],
        candidates=[100, 101],
        rounds=2,
        capacity=1,
        fit={(100, 1): 0.9, (101, 3): 0.8, (101, 2): 0.7, (100, 2): 0.6},
        pinned=[(100, 1), (101, 3), (101, 2), (100, 2)],
    ),
    # The better-fit plain pin takes round 1, where the other pair is pinned.
    "plain pin takes a pinned round": PlanInput(
        employers=[1, 2],
        candidates=[100],
        rounds=2,
        capacity=1,
        fit={(100, 1): 0.9, (100, 2): 0.1},
        pinned=[(100, 1)],
        pinned_rounds={(100, 2): 0},
    ),
}


@pytest.mark.parametrize("case", list(GREEDY_LOSES_PINS), ids=list(GREEDY_LOSES_PINS))
def test_greedy_keeps_every_pin_or_says_it_cannot(case):
    """The baseline seats pins first-fit, so it can miss one that a valid plan keeps; then it
    refuses with a PlanError instead of returning a plan that breaks the pin."""
    data = GREEDY_LOSES_PINS[case]
    assert validate(data, plan(data).seats) == []  # a valid plan exists
    base = greedy_or_none(data)
    assert base is None or validate(data, base.seats) == []


def test_greedy_refuses_a_pin_at_a_closed_table():
    with pytest.raises(PlanError):
        greedy(base(pinned=[(100, 2)], capacity={1: 1}))


def test_plan_with_round_wishes_keeps_plain_pins():
    # Greedy seats pin 100-1 in round 1 (fit order), so 100-3 (pinned to round 1) is dropped
    # and 100-2 (fit 0.3) takes round 2: fit 0.3 beats the valid plan's 0.
    data = PlanInput(
        employers=[1, 2, 3],
        candidates=[100],
        rounds=2,
        capacity=1,
        fit={(100, 2): 0.3},
        pinned=[(100, 1)],
        pinned_rounds={(100, 3): 0},
    )
    assert validate(data, plan(data).seats) == []


def test_plan_with_round_wishes_covers_everyone_when_seats_allow():
    # 9 seats, 9 needed: 100-103 two conversations each, 104 (only in round 3) one.
    data = PlanInput(
        employers=[1, 2, 3],
        candidates=[100, 101, 102, 103, 104],
        rounds=3,
        capacity=1,
        min_conversations=2,
        pinned_rounds={(103, 3): 0, (102, 1): 2},
        absent={104: frozenset({0, 1})},
    )
    exact = plan_cp_sat(data)
    assert exact.optimal and exact.coverage == 9  # everyone covered is possible
    assert plan(data).coverage == 9


# --- Fits finer than 1/1000 --------------------------------------------------------------------


def test_cp_sat_proven_optimum_has_gap_zero_for_any_fit():
    """A fit that is not a whole thousandth does not make a proven optimum look suboptimal
    (the bound and the objective count fit in the same thousandths)."""
    data = PlanInput(employers=[1], candidates=[100], rounds=1, capacity=1, fit={(100, 1): 0.0006})
    assert plan_cp_sat(data).optimal
    assert plan(data).optimal


def test_flow_optimum_is_not_beaten_by_greedy_on_fine_fits():
    """A plan reported as proven optimal is never beaten by the greedy, even when fits differ
    by less than 1/1000 (and whichever way the flow breaks the tie)."""
    for low, high in ((0.0, 0.0004), (0.0004, 0.0)):
        data = PlanInput(
            employers=[1, 2],
            candidates=[100],
            rounds=1,
            capacity=1,
            fit={(100, 1): low, (100, 2): high},
        )
        best = plan(data)
        assert best.optimal
        assert best.bound >= greedy(data).objective


def test_a_full_table_is_busy_in_every_round_not_idle_in_one():
    """When an employer's pairs fill whole rounds, every round at that table has people: the
    colouring spreads a table's conversations instead of stacking them in the first rounds."""
    employers = [1, 2, 3]
    candidates = list(range(100, 109))
    data = PlanInput(
        employers=employers,
        candidates=candidates,
        rounds=3,
        capacity=6,
        fit={(c, e): 0.5 for c in candidates for e in employers},
        min_conversations=3,
    )
    best = plan(data)
    assert best.coverage == 27
    for e in employers:
        per_round = [len(best.at(r, e)) for r in range(3)]
        assert per_round == [3, 3, 3], (e, per_round)
