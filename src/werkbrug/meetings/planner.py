"""The table plan of a prettig gesprek (pure: standard library + OR-Tools, no Django).

Each employer hosts a table; in each round a table seats up to its capacity of candidates.
The planner decides who sits where, per round:

* a candidate sits at one table per round at most (a round off is allowed);
* a pair (candidate, employer) meets at most once; forbidden pairs never meet;
* every candidate gets ``min_conversations`` conversations when the seats allow it (when
  they do not, as many candidates as possible get them);
* pinned pairs meet (and in the pinned round, when one is given);
* candidates absent in a round are not seated in it;
* subject to that, the total fit is as high as possible (matching score plus a wish to meet).

**Why this is cheap to solve exactly.** Without round-specific wishes, the problem splits in
two. (1) *Which pairs meet* is a b-matching in the bipartite graph of candidates and tables
(a candidate meets at most ``rounds`` employers, a table at most ``capacity × rounds``
candidates): a min-cost flow, whose optimum is integral and proven by the flow algorithm.
(2) *In which round* each pair meets: split every table into ``capacity`` seats so that no
seat has more than ``rounds`` conversations; the result is a bipartite graph of maximum
degree ``rounds``, which König's theorem colours with ``rounds`` colours (rounds), found here
by alternating-path recolouring. So the flow's optimum is reached: proven optimal, gap 0.
The coverage rule is part of the flow's costs: each candidate's first ``min_conversations``
conversations earn ``coverage_bonus`` (larger than any fit the flow could gain by giving
them up), so coverage comes first and fit second.

When the organiser adds what breaks that structure (a pair pinned to a round, a candidate
absent in some rounds), the flow (with each candidate's available rounds) becomes a relaxation:
its optimum is still an upper bound. The planner then looks for rounds for the flow's pairs that
respect the wishes (a small CP-SAT feasibility problem); found, the bound is reached and the
plan is proven optimal ("flow+cp-sat"). Only when that fails does it solve the whole problem
with CP-SAT under a time limit, starting from the greedy plan and reporting bound and gap.
``greedy`` is the baseline: pairs by fit, each in the first round with room.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SCALE = 1000  # fit is scored in thousandths (integer costs for the solvers)


class PlanError(ValueError):
    """The input cannot be planned; the message says why, in Dutch, for the organiser."""


@dataclass(frozen=True)
class PlanInput:
    employers: Sequence[int]
    candidates: Sequence[int]
    rounds: int
    capacity: int | Mapping[int, int]  # candidates per table per round (per employer)
    fit: Mapping[tuple[int, int], float] = field(default_factory=dict)  # (candidate, employer)
    min_conversations: int = 1
    pinned: Sequence[tuple[int, int]] = ()  # (candidate, employer): must meet
    pinned_rounds: Mapping[tuple[int, int], int] = field(default_factory=dict)  # pair -> round
    forbidden: frozenset[tuple[int, int]] = frozenset()  # (candidate, employer): never
    absent: Mapping[int, frozenset[int]] = field(default_factory=dict)  # candidate -> rounds
    time_limit: float = 10.0

    def capacity_of(self, employer: int) -> int:
        if isinstance(self.capacity, Mapping):
            return int(self.capacity.get(employer, 0))
        return int(self.capacity)

    def available_rounds(self, candidate: int) -> list[int]:
        gone = self.absent.get(candidate, frozenset())
        return [r for r in range(self.rounds) if r not in gone]

    def allowed(self, candidate: int, employer: int) -> bool:
        return (candidate, employer) not in self.forbidden

    @property
    def structured(self) -> bool:
        """True when the exact flow + colouring method applies."""
        return not self.pinned_rounds and not any(self.absent.get(c) for c in self.candidates)


@dataclass(frozen=True)
class Seat:
    round: int
    employer: int
    candidate: int


@dataclass
class Plan:
    seats: list[Seat]
    method: str  # "flow", "cp-sat" or "greedy"
    fit: float  # total fit of the pairs that meet
    coverage: int  # sum over candidates of min(conversations, min_conversations)
    objective: float  # coverage_bonus * coverage + fit (what is maximised)
    bound: float | None  # proven upper bound of the objective (None: the greedy proves none)
    seconds: float
    coverage_bonus: float

    @property
    def gap(self) -> float | None:
        """Relative distance to the bound (0 = proven optimal; None without a bound)."""
        if self.bound is None:
            return None
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def optimal(self) -> bool:
        return self.gap is not None and self.gap < 1e-9

    @property
    def fit_bound(self) -> float | None:
        """Upper bound of the fit of any plan that reaches this plan's coverage."""
        if self.bound is None:
            return None
        return self.bound - self.coverage_bonus * self.coverage

    @property
    def fit_gap(self) -> float | None:
        """Relative distance of the fit to ``fit_bound`` (0 = proven optimal)."""
        bound = self.fit_bound
        if bound is None:
            return None
        return 0.0 if bound <= 0 else max(0.0, (bound - self.fit) / bound)

    def conversations(self) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for s in self.seats:
            out[s.candidate] += 1
        return dict(out)

    def at(self, round_: int, employer: int) -> list[int]:
        return sorted(
            s.candidate for s in self.seats if s.round == round_ and s.employer == employer
        )


def _check(data: PlanInput) -> None:
    if data.rounds < 1:
        raise PlanError("Er moet minstens één ronde zijn.")
    if data.min_conversations < 0:
        raise PlanError("Het minimum aantal gesprekken kan niet negatief zijn.")
    if len(set(data.employers)) != len(data.employers):
        raise PlanError("Een werkgever staat twee keer in de lijst met tafels.")
    if len(set(data.candidates)) != len(data.candidates):
        raise PlanError("Een kandidaat staat twee keer in de lijst.")
    for e in data.employers:
        if data.capacity_of(e) < 0:
            raise PlanError(f"De tafel van werkgever {e} heeft een negatieve capaciteit.")
    employers, candidates = set(data.employers), set(data.candidates)
    seats_per_round: dict[tuple[int, int], int] = defaultdict(int)
    pins = list(data.pinned) + list(data.pinned_rounds)
    for c, e in pins:
        if c not in candidates or e not in employers:
            raise PlanError(f"Vaste koppeling {c}–{e}: kandidaat of werkgever doet niet mee.")
        if (c, e) in data.forbidden:
            raise PlanError(f"Vaste koppeling {c}–{e} is ook als 'nooit' opgegeven.")
    for (c, e), r in data.pinned_rounds.items():
        if not 0 <= r < data.rounds:
            raise PlanError(f"Vaste koppeling {c}–{e}: ronde {r + 1} bestaat niet.")
        if r in data.absent.get(c, frozenset()):
            raise PlanError(f"Vaste koppeling {c}–{e}: de kandidaat is in ronde {r + 1} afwezig.")
        seats_per_round[(e, r)] += 1
        if seats_per_round[(e, r)] > data.capacity_of(e):
            raise PlanError(
                f"Te veel vaste koppelingen aan de tafel van werkgever {e} in ronde {r + 1}."
            )
    per_candidate: dict[int, int] = defaultdict(int)
    for c, _e in set(pins):
        per_candidate[c] += 1
    for c, n in per_candidate.items():
        if n > len(data.available_rounds(c)):
            raise PlanError(f"Kandidaat {c} heeft meer vaste koppelingen dan rondes.")


def _coverage_bonus(data: PlanInput) -> float:
    """More than the total fit any plan can have: coverage always comes first."""
    top = max((max(0.0, v) for v in data.fit.values()), default=0.0)
    return math.floor(top * data.rounds * max(1, len(data.candidates)) + 1)


def fit_units(data: PlanInput, candidate: int, employer: int) -> int:
    """A pair's fit in thousandths: the planners optimise whole units, so a plan's fit is the
    sum of these (fits closer than 1/1000 count as equal)."""
    return int(round(data.fit.get((candidate, employer), 0.0) * SCALE))


def _score(data: PlanInput, seats: Iterable[Seat], bonus: float) -> tuple[float, int, float]:
    seats = list(seats)
    fit = sum(fit_units(data, s.candidate, s.employer) for s in seats) / SCALE
    per: dict[int, int] = defaultdict(int)
    for s in seats:
        per[s.candidate] += 1
    coverage = sum(min(n, data.min_conversations) for n in per.values())
    return fit, coverage, bonus * coverage + fit


def validate(data: PlanInput, seats: Iterable[Seat]) -> list[str]:
    """Every broken rule of a plan, in Dutch (empty: the plan is valid). For plans changed
    by hand as well as for the planners' own output."""
    problems = []
    seats = list(seats)
    employers, candidates = set(data.employers), set(data.candidates)
    in_round: dict[tuple[int, int], int] = defaultdict(int)
    at_table: dict[tuple[int, int], int] = defaultdict(int)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for s in seats:
        if s.candidate not in candidates or s.employer not in employers:
            problems.append(f"Ronde {s.round + 1}: {s.candidate} of {s.employer} doet niet mee.")
            continue
        if not 0 <= s.round < data.rounds:
            problems.append(f"Ronde {s.round + 1} bestaat niet.")
        if s.round in data.absent.get(s.candidate, frozenset()):
            problems.append(f"Ronde {s.round + 1}: kandidaat {s.candidate} is dan afwezig.")
        if (s.candidate, s.employer) in data.forbidden:
            problems.append(f"Kandidaat {s.candidate} en werkgever {s.employer} mogen niet.")
        in_round[(s.candidate, s.round)] += 1
        at_table[(s.employer, s.round)] += 1
        pairs[(s.candidate, s.employer)] += 1
    for (c, r), n in in_round.items():
        if n > 1:
            problems.append(f"Ronde {r + 1}: kandidaat {c} zit aan {n} tafels.")
    for (e, r), n in at_table.items():
        if n > data.capacity_of(e):
            problems.append(
                f"Ronde {r + 1}: aan de tafel van werkgever {e} zitten {n} kandidaten "
                f"(plaats voor {data.capacity_of(e)})."
            )
    for (c, e), n in pairs.items():
        if n > 1:
            problems.append(f"Kandidaat {c} spreekt werkgever {e} {n} keer.")
    for c, e in data.pinned:
        if not pairs.get((c, e)):
            problems.append(f"Vaste koppeling {c}–{e} ontbreekt.")
    placed = {(s.candidate, s.employer): s.round for s in seats}
    for (c, e), r in data.pinned_rounds.items():
        if placed.get((c, e)) != r:
            problems.append(f"Vaste koppeling {c}–{e} hoort in ronde {r + 1}.")
    return problems


# --- The exact method: min-cost flow, then edge colouring --------------------------------------


def _flow_pairs(data: PlanInput, bonus: float) -> list[tuple[int, int]]:
    """Which pairs meet: a maximum-value b-matching as a min-cost flow (integral, optimal)."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    n_c, n_e = len(data.candidates), len(data.employers)
    source, sink = n_c + n_e, n_c + n_e + 1
    pinned = set(data.pinned) | set(data.pinned_rounds)
    pin_bonus = int(bonus * SCALE) * (n_c + 1) + 1  # pins before anything else
    cover = int(bonus * SCALE)
    total = 0
    tails, heads, caps, costs = [], [], [], []

    def arc(t: int, h: int, cap: int, cost: int) -> None:
        tails.append(t)
        heads.append(h)
        caps.append(cap)
        costs.append(cost)

    for i, c in enumerate(data.candidates):
        seats = len(data.available_rounds(c))
        first = min(data.min_conversations, seats)
        if first:
            arc(source, i, first, -cover)
        if seats - first:
            arc(source, i, seats - first, 0)
        total += seats
    for j, e in enumerate(data.employers):
        if data.capacity_of(e):
            arc(n_c + j, sink, data.capacity_of(e) * data.rounds, 0)
    index_e = {e: n_c + j for j, e in enumerate(data.employers)}
    pair_arcs: list[tuple[int, int]] = []
    for i, c in enumerate(data.candidates):
        for e in data.employers:
            if not data.capacity_of(e) or not data.allowed(c, e):
                continue
            cost = -fit_units(data, c, e) - (pin_bonus if (c, e) in pinned else 0)
            pair_arcs.append((c, e))
            arc(i, index_e[e], 1, cost)
    first_pair_arc = len(tails) - len(pair_arcs)
    arc(source, sink, total, 0)  # seats left empty
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies([source, sink], [total, -total])
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise PlanError("De planner vond geen oplossing.")  # pragma: no cover - cannot happen
    import numpy as np

    used = np.asarray(flow.flows(np.arange(first_pair_arc, first_pair_arc + len(pair_arcs))))
    return [pair_arcs[k] for k in np.flatnonzero(used > 0)]


def _colour(data: PlanInput, pairs: list[tuple[int, int]]) -> list[Seat]:
    """Give each pair a round: a proper edge colouring with ``rounds`` colours of the graph of
    candidates and table seats (every seat and candidate has at most ``rounds`` pairs)."""
    by_employer: dict[int, list[int]] = defaultdict(list)
    for c, e in sorted(pairs):
        by_employer[e].append(c)
    # Split each table into as few seats as hold its pairs (at most ``capacity``), each seat
    # with at most ``rounds`` pairs: the colouring then gives a seat a conversation in (almost)
    # every round, so a table is busy in every round rather than full in one and idle in the
    # next.
    edges: list[tuple[int, tuple[int, int], int]] = []  # (candidate, seat, employer)
    for e, cands in by_employer.items():
        seats_needed = max(1, -(-len(cands) // data.rounds))
        for k, c in enumerate(cands):
            edges.append((c, (e, k % seats_needed), e))
    rounds = data.rounds
    # colour -> other end, per node ("c", candidate) / ("s", seat)
    at: dict[tuple, dict[int, tuple]] = defaultdict(dict)

    def free(node: tuple) -> int:
        taken = at[node]
        for r in range(rounds):
            if r not in taken:
                return r
        raise AssertionError("degree above the number of rounds")  # pragma: no cover

    for c, seat, _e in edges:
        u, v = ("c", c), ("s", seat)
        a, b = free(u), free(v)
        if a not in at[v]:
            at[u][a], at[v][a] = v, u
            continue
        # Colour a is taken at v: swap a and b along the alternating path from v. It cannot
        # reach u (bipartite: the path from v through a-edges ends elsewhere).
        path = [v]
        colour, node = a, v
        while colour in at[node]:
            node = at[node][colour]
            path.append(node)
            colour = b if colour == a else a
        # path: v -a- x1 -b- x2 -a- ... ; swap the colours of its edges
        pairs_on_path = []
        colour = a
        for x, y in zip(path, path[1:], strict=False):
            pairs_on_path.append((x, y, colour))
            colour = b if colour == a else a
        for x, y, col in pairs_on_path:
            del at[x][col]
            del at[y][col]
        colour = a
        for x, y, col in pairs_on_path:
            new = b if col == a else a
            at[x][new], at[y][new] = y, x
        at[u][a], at[v][a] = v, u
    seats = []
    for node, colours in at.items():
        if node[0] != "c":
            continue
        for r, other in colours.items():
            seats.append(Seat(round=r, employer=other[1][0], candidate=node[1]))
    return sorted(seats, key=lambda s: (s.round, s.employer, s.candidate))


def plan(data: PlanInput) -> Plan:
    """The best plan: exact (flow + colouring) when the input allows it, else CP-SAT."""
    _check(data)
    started = time.perf_counter()
    bonus = _coverage_bonus(data)
    # Who meets: the flow, with each candidate's available rounds and every pin. Without
    # round-specific wishes this is exact; with them it is a relaxation (every plan is a
    # feasible flow), so its optimum is an upper bound.
    pairs = _flow_pairs(data, bonus)
    missing = (set(data.pinned) | set(data.pinned_rounds)) - set(pairs)
    if missing:
        c, e = sorted(missing)[0]
        raise PlanError(f"Vaste koppeling {c}–{e} past niet: de tafel of de rondes zijn vol.")
    relaxed = _score(data, (Seat(0, e, c) for c, e in pairs), bonus)[2]
    if data.structured:
        seats = _colour(data, pairs)
        method = "flow"
    else:
        # The same pairs, in rounds that respect the wishes (CP-SAT over the chosen pairs
        # only, starting from the colouring that ignores them). When every pair gets a round
        # the bound is reached: proven optimal. Else the gap to the bound is reported, and the
        # greedy plan is taken if it happens to be better.
        assigned = _assign_rounds(data, pairs, bonus)
        seats, method = assigned or [], "flow+cp-sat"
        if assigned is None or len(assigned) < len(pairs):
            # Some pairs found no round (or time ran out): try the whole problem.
            try:
                whole = plan_cp_sat(data, hint=seats)
            except PlanError:
                whole = None
            if whole is not None and whole.objective > _score(data, seats, bonus)[2]:
                seats, method = whole.seats, "cp-sat"
        try:
            baseline = greedy(data)
        except PlanError:
            baseline = None
        if baseline is not None and baseline.objective > _score(data, seats, bonus)[2]:
            seats, method = baseline.seats, "greedy"
        if validate(data, seats):
            raise PlanError("Binnen de tijd is geen plan gevonden; probeer minder vaste wensen.")
    fit, coverage, objective = _score(data, seats, bonus)
    return Plan(
        seats=seats,
        method=method,
        fit=fit,
        coverage=coverage,
        objective=objective,
        bound=relaxed,
        seconds=time.perf_counter() - started,
        coverage_bonus=bonus,
    )


def _assign_rounds(
    data: PlanInput, pairs: list[tuple[int, int]], bonus: float
) -> list[Seat] | None:
    """Rounds for the given pairs that respect absences and pinned rounds; a pair that does
    not fit is left out (pinned pairs never). CP-SAT over the chosen pairs, with a time limit."""
    from ortools.sat.python import cp_model

    free_rounds = PlanInput(
        employers=data.employers,
        candidates=data.candidates,
        rounds=data.rounds,
        capacity=data.capacity,
        min_conversations=data.min_conversations,
    )
    start = {(s.candidate, s.employer): s.round for s in _colour(free_rounds, pairs)}
    model = cp_model.CpModel()
    z: dict[tuple[int, int, int], cp_model.IntVar] = {}
    by_cr: dict[tuple[int, int], list] = defaultdict(list)
    by_er: dict[tuple[int, int], list] = defaultdict(list)
    by_c: dict[int, list] = defaultdict(list)
    pinned = set(data.pinned) | set(data.pinned_rounds)
    for c, e in pairs:
        rounds = data.available_rounds(c)
        if (c, e) in data.pinned_rounds:
            rounds = [data.pinned_rounds[(c, e)]]
        options = []
        for r in rounds:
            v = model.new_bool_var(f"z{c}_{e}_{r}")
            z[(c, e, r)] = v
            options.append(v)
            by_cr[(c, r)].append(v)
            by_er[(e, r)].append(v)
            by_c[c].append(v)
            model.add_hint(v, start.get((c, e)) == r)
        if (c, e) in pinned:
            model.add_exactly_one(options)
        else:
            model.add_at_most_one(options)
    for vs in by_cr.values():
        model.add_at_most_one(vs)
    for (e, _r), vs in by_er.items():
        model.add(sum(vs) <= data.capacity_of(e))
    covered = []
    for c, vs in by_c.items():
        y = model.new_int_var(0, data.min_conversations, f"y{c}")
        model.add(y <= sum(vs))
        covered.append(y)
    model.maximize(
        int(bonus * SCALE) * sum(covered)
        + sum(fit_units(data, c, e) * v for (c, e, _r), v in z.items())
    )
    solver = cp_model.CpSolver()
    _repeatable(solver, data.time_limit / 2)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise PlanError("Met deze vaste koppelingen en afwezigheden is geen plan mogelijk.")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None  # out of time before a first plan
    return sorted(
        (Seat(round=r, employer=e, candidate=c) for (c, e, r), v in z.items() if solver.value(v)),
        key=lambda s: (s.round, s.employer, s.candidate),
    )


def _repeatable(solver: Any, limit: float) -> None:
    """Interleaved workers (one deterministic schedule) and a fixed seed: the same input gives
    the same plan whenever the solver finishes within the time limit (a search cut off by the
    clock may end elsewhere)."""
    solver.parameters.num_workers = 2
    solver.parameters.interleave_search = True
    solver.parameters.random_seed = 7
    solver.parameters.max_time_in_seconds = limit


# --- The fallback: CP-SAT --------------------------------------------------------------------


def plan_cp_sat(data: PlanInput, *, hint: Sequence[Seat] = ()) -> Plan:
    """Exact model for any extra constraint, with a time limit; reports bound and gap."""
    from ortools.sat.python import cp_model

    _check(data)
    started = time.perf_counter()
    bonus = _coverage_bonus(data)
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for c in data.candidates:
        for r in data.available_rounds(c):
            for e in data.employers:
                if data.capacity_of(e) and data.allowed(c, e):
                    x[(c, e, r)] = model.new_bool_var(f"x{c}_{e}_{r}")
    by_cr: dict[tuple[int, int], list] = defaultdict(list)
    by_er: dict[tuple[int, int], list] = defaultdict(list)
    by_ce: dict[tuple[int, int], list] = defaultdict(list)
    for (c, e, r), v in x.items():
        by_cr[(c, r)].append(v)
        by_er[(e, r)].append(v)
        by_ce[(c, e)].append(v)
    for vs in by_cr.values():
        model.add_at_most_one(vs)
    for (e, _r), vs in by_er.items():
        model.add(sum(vs) <= data.capacity_of(e))
    for vs in by_ce.values():
        model.add(sum(vs) <= 1)
    for c, e in data.pinned:
        model.add(sum(by_ce.get((c, e), [])) == 1)
    for (c, e), r in data.pinned_rounds.items():
        if (c, e, r) not in x:
            raise PlanError(f"Vaste koppeling {c}–{e} in ronde {r + 1} kan niet.")
        model.add(x[(c, e, r)] == 1)
    covered = []
    for c in data.candidates:
        total = sum(v for (cc, _e), vs in by_ce.items() if cc == c for v in vs)
        y = model.new_int_var(0, data.min_conversations, f"y{c}")
        model.add(y <= total)
        covered.append(y)
    cover = int(bonus * SCALE)
    model.maximize(
        cover * sum(covered) + sum(fit_units(data, c, e) * v for (c, e, _r), v in x.items())
    )
    for s in hint:
        if (s.candidate, s.employer, s.round) in x:
            model.add_hint(x[(s.candidate, s.employer, s.round)], 1)
    solver = cp_model.CpSolver()
    _repeatable(solver, data.time_limit)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise PlanError("Met deze vaste koppelingen en afwezigheden is geen plan mogelijk.")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise PlanError("Binnen de tijd is geen plan gevonden; probeer minder vaste wensen.")
    seats = sorted(
        (Seat(round=r, employer=e, candidate=c) for (c, e, r), v in x.items() if solver.value(v)),
        key=lambda s: (s.round, s.employer, s.candidate),
    )
    fit, coverage, objective = _score(data, seats, bonus)
    bound = solver.best_objective_bound / SCALE
    return Plan(
        seats=seats,
        method="cp-sat",
        fit=fit,
        coverage=coverage,
        objective=objective,
        bound=max(bound, objective) if status == cp_model.OPTIMAL else bound,
        seconds=time.perf_counter() - started,
        coverage_bonus=bonus,
    )


# --- The baseline: greedy --------------------------------------------------------------------


def greedy(data: PlanInput) -> Plan:
    """Pairs by fit, best first, each in the first round where both have room."""
    _check(data)
    started = time.perf_counter()
    bonus = _coverage_bonus(data)
    busy: set[tuple[int, int]] = set()  # (candidate, round)
    filled: dict[tuple[int, int], int] = defaultdict(int)  # (employer, round)
    count: dict[int, int] = defaultdict(int)
    seats = []
    pairs = sorted(
        (
            (-(data.fit.get((c, e), 0.0)), c, e)
            for c in data.candidates
            for e in data.employers
            if data.allowed(c, e) and data.capacity_of(e)
        ),
    )
    pinned = set(data.pinned) | set(data.pinned_rounds)
    for c, e in pinned:
        if not data.capacity_of(e):
            raise PlanError(f"Vaste koppeling {c}–{e}: die tafel heeft geen plaatsen.")
    ordered = (
        [p for p in pairs if (p[1], p[2]) in data.pinned_rounds]
        + [p for p in pairs if (p[1], p[2]) in pinned and (p[1], p[2]) not in data.pinned_rounds]
        + [p for p in pairs if (p[1], p[2]) not in pinned]
    )
    for _w, c, e in ordered:
        if count[c] >= data.rounds:
            continue
        rounds = data.available_rounds(c)
        if (c, e) in data.pinned_rounds:
            rounds = [data.pinned_rounds[(c, e)]]
        for r in rounds:
            if (c, r) not in busy and filled[(e, r)] < data.capacity_of(e):
                busy.add((c, r))
                filled[(e, r)] += 1
                count[c] += 1
                seats.append(Seat(round=r, employer=e, candidate=c))
                break
    placed = {(s.candidate, s.employer) for s in seats}
    for c, e in sorted(pinned - placed):
        raise PlanError(f"De eenvoudige planning kon vaste koppeling {c}–{e} niet plaatsen.")
    fit, coverage, objective = _score(data, seats, bonus)
    return Plan(
        seats=sorted(seats, key=lambda s: (s.round, s.employer, s.candidate)),
        method="greedy",
        fit=fit,
        coverage=coverage,
        objective=objective,
        bound=None,
        seconds=time.perf_counter() - started,
        coverage_bonus=bonus,
    )
