"""Claim: the table planner of a prettig gesprek is proven optimal (gap 0) at every realistic
size: 5 employers x 30 candidates x 3 rounds (a monthly meeting) in <= 0.2 s, 50 x 300 x 6
(a large event) in <= 1 s, 500 x 5,000 x 8 (a regional job fair) in <= 15 s; beside each the
greedy baseline (pairs by fit, each in the first round with room) and its gap to the optimum.

Deterministic instances (NumPy ``default_rng(seed)``): every candidate has a fit with every
employer (a matching score in 0..1, with 20 % of pairs getting +0.5 for a stated wish to meet),
table capacity chosen so that the seats are about as many as the candidates can fill (the
hard case: everyone wants a seat). One extra case per size adds round-specific wishes (a few
pairs pinned to a round, a few candidates absent in round 1), which the exact method does not
cover: that runs on CP-SAT with a time limit and reports its bound and gap.

    taskset -c 0 .venv/bin/python benchmarks/planner.py [--cases small large fair]

One JSON object per line: employers, candidates, rounds, table_capacity, method, seconds,
objective, bound, gap (and coverage, fit), then the greedy row with its gap to the optimum.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from werkbrug.meetings import planner  # noqa: E402

CASES = {
    "small": (5, 30, 3, 6),
    "large": (50, 300, 6, 6),
    "fair": (500, 5000, 8, 10),
}


def instance(n_employers: int, n_candidates: int, rounds: int, capacity: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    employers = list(range(1, n_employers + 1))
    candidates = list(range(100_000, 100_000 + n_candidates))
    score = rng.random((n_candidates, n_employers))
    wish = rng.random((n_candidates, n_employers)) < 0.2
    fit_values = np.round(score + 0.5 * wish, 3)
    fit = {
        (c, e): float(fit_values[i, j])
        for i, c in enumerate(candidates)
        for j, e in enumerate(employers)
    }
    return planner.PlanInput(
        employers=employers, candidates=candidates, rounds=rounds, capacity=capacity, fit=fit
    )


def with_round_wishes(data: planner.PlanInput, time_limit: float) -> planner.PlanInput:
    """Three pairs pinned to round 2 and 5 % of the candidates absent in round 1."""
    cands, emps = list(data.candidates), list(data.employers)
    pinned_rounds = {(cands[i], emps[i % len(emps)]): 1 for i in range(3)}
    absent = {c: frozenset({0}) for c in cands[3::20]}
    return planner.PlanInput(
        employers=data.employers,
        candidates=data.candidates,
        rounds=data.rounds,
        capacity=data.capacity,
        fit=data.fit,
        pinned_rounds=pinned_rounds,
        absent=absent,
        time_limit=time_limit,
    )


def row(data: planner.PlanInput, plan: planner.Plan, capacity: int, **extra) -> dict:
    return {
        "employers": len(data.employers),
        "candidates": len(data.candidates),
        "rounds": data.rounds,
        "table_capacity": capacity,
        "method": plan.method,
        "seconds": round(plan.seconds, 3),
        # The objective is the total fit; coverage (everyone their minimum of conversations)
        # comes first and is reported beside it. The bound is for plans of that coverage.
        "objective": round(plan.fit, 3),
        "bound": None if plan.fit_bound is None else round(plan.fit_bound, 3),
        "gap": None if plan.fit_gap is None else round(plan.fit_gap, 6),
        "coverage": plan.coverage,
        "valid": not planner.validate(data, plan.seats),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--cp-sat-limit", type=float, default=10.0)
    args = parser.parse_args()
    for name in args.cases:
        n_e, n_c, rounds, capacity = CASES[name]
        data = instance(n_e, n_c, rounds, capacity)
        best = planner.plan(data)
        print(json.dumps(row(data, best, capacity, case=name)), flush=True)
        started = time.perf_counter()
        base = planner.greedy(data)
        base.seconds = time.perf_counter() - started
        gap_to_optimum = (best.fit - base.fit) / best.fit if best.fit else 0.0
        print(
            json.dumps(
                row(
                    data,
                    base,
                    capacity,
                    case=name,
                    gap=round(gap_to_optimum, 6),
                    candidates_short=best.coverage - base.coverage,
                )
            ),
            flush=True,
        )
        if n_c <= 300:
            wishes = with_round_wishes(data, args.cp_sat_limit)
            fallback = planner.plan(wishes)
            print(json.dumps(row(wishes, fallback, capacity, case=f"{name}+round wishes")))


if __name__ == "__main__":
    main()
