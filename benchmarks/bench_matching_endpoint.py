"""Claim: the suggestions endpoint ``GET /api/v1/work-opportunities/{id}/suggestions?k=50``
answers in p95 <= 100 ms through the full stack at region scale (10,000 candidates), because
the region's feature matrix stays in memory and is only brought up to date from the change
journal (one indexed query when nothing changed) instead of being loaded per request.

Builds the Rijk van Nijmegen (regions, staff and employers with their work opportunities from
the demo seeders, then candidates in bulk with ``candidates.demo.bulk_candidates`` up to each
size, all in one region) and measures, logged in (demo mode: no 2FA) as the demo
``relatiemanager`` (Nijmegen: own municipality + the regional pool with consent), rotating
over open opportunities:

* ``api``: the endpoint through Django's test client (middleware, session, DRF, access layer,
  the consent-checked scope query, the index, serialisation, the suggestion events written);
* ``page``: the suggestions page ``/werkkansen/<uuid>/suggesties/?k=50`` (templates too);
* ``selectors``: ``matching.selectors.candidates_for_opportunity`` without HTTP;
* ``baseline``: what the endpoint would cost without the in-memory index: the visible
  candidates' facts loaded from the database (``facts.candidate_facts``) and scored with the
  scalar ``engine.score_pair`` in a loop, then sorted;
* ``build_s``: building the region's index from the database (what a process does at start);
* ``catch_up_ms``: ``index.for_region`` when nothing changed (the journal check).

    DIR=$(mktemp -d) && URL=$(scripts/throwaway-postgres.sh start "$DIR")
    WERKBRUG_DEMO=1 DATA_DIR=$(mktemp -d) DATABASE_URL="$URL" \\
        .venv/bin/python benchmarks/bench_matching_endpoint.py [--sizes 10000 50000] [--repeat 100]
    scripts/throwaway-postgres.sh stop "$DIR"

Prints one JSON object per size: medians and p95 in milliseconds, the ratio baseline/api and
query counts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("WERKBRUG_DEMO", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.settings")
os.environ.setdefault("WERKBRUG_HTTPS", "0")
os.environ.setdefault("WERKBRUG_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("WERKBRUG_EMAIL_BACKEND", "locmem")

K = 50


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    for i in range(3):  # warm-up
        fn(i)
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def stats(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
    }


def count_queries(fn) -> int:
    from django.db import connection

    executed: list[str] = []

    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn(0)
    return len(executed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--baseline-repeat", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection, transaction
    from django.test import Client

    from werkbrug.accounts.models import User
    from werkbrug.candidates import demo as candidate_demo
    from werkbrug.candidates.models import Candidate
    from werkbrug.core import audit
    from werkbrug.core.access import actor_for
    from werkbrug.demo.registry import SeedContext, seeders
    from werkbrug.employers.models import WorkOpportunity
    from werkbrug.matching import engine, facts, index, selectors

    request_finished.disconnect(close_old_connections)  # one connection, as a web worker
    if connection.vendor != "postgresql":
        print("warning: the claim is about PostgreSQL; set DATABASE_URL", file=sys.stderr)
    call_command("migrate", verbosity=0)
    if Candidate.objects.exists():
        raise SystemExit("Use an empty database.")
    ctx = SeedContext(scale="region", seed=1)
    with audit.acting_as(None, channel="seed"), transaction.atomic():
        for entry in seeders():
            if entry.order <= 30:  # regions, staff, employers; candidates in bulk below
                entry.fn(ctx)
    settings.DEBUG = False
    user = User.objects.get(username="relatiemanager")
    actor = actor_for(user)
    client = Client()
    client.force_login(user)
    region_id = user.staff.municipality.region_id
    opportunities = list(
        WorkOpportunity.objects.filter(
            employer__region_id=region_id, status__in=facts.OPEN_STATUSES, skills__isnull=False
        )
        .distinct()
        .order_by("pk")[:40]
    )
    if not opportunities:
        raise SystemExit("No open opportunities with tasks from the task list in the demo.")

    total = 0
    for size in args.sizes:
        with audit.acting_as(None, channel="seed"), transaction.atomic():
            total += candidate_demo.bulk_candidates(ctx, count=size - total)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        index.forget()
        started = time.perf_counter()
        index.warm()
        build_s = time.perf_counter() - started
        region_index = index.for_region(region_id)

        def api(i: int) -> None:
            o = opportunities[i % len(opportunities)]
            r = client.get(f"/api/v1/work-opportunities/{o.uuid}/suggestions?k={K}")
            assert r.status_code == 200, (r.status_code, r.content[:300])

        def page(i: int) -> None:
            o = opportunities[i % len(opportunities)]
            r = client.get(f"/werkkansen/{o.uuid}/suggesties/?k={K}")
            assert r.status_code == 200, r.status_code

        def selector(i: int) -> None:
            selectors.candidates_for_opportunity(actor, opportunities[i % len(opportunities)], k=K)

        def baseline(i: int) -> None:
            o = opportunities[i % len(opportunities)]
            opp = selectors.opportunity_facts_for(o)
            allowed, _full = selectors.visible_candidate_ids(actor, region_id)
            pool = facts.candidate_facts(region_id, allowed)
            scored = [s for c in pool if (s := engine.score_pair(c, opp))]
            scored.sort(key=lambda s: (-s.score, s.candidate_id))
            scored[:K]

        def catch_up(_i: int) -> None:
            index.for_region(region_id)

        results = {
            "n_candidates": Candidate.objects.filter(region_id=region_id).count(),
            "in_matrix": region_index.matrix.n_active,
            "visible_to_user": len(selectors.visible_candidate_ids(actor, region_id)[0]),
            "open_opportunities": len(region_index.opportunities),
            "build_s": round(build_s, 2),
            "engine_bytes_per_candidate": round(
                region_index.matrix.nbytes / max(1, region_index.matrix.n_active)
            ),
        }
        for name, fn, repeat in (
            ("api", api, args.repeat),
            ("page", page, args.repeat),
            ("selectors", selector, args.repeat),
            ("catch_up", catch_up, args.repeat),
            ("baseline", baseline, args.baseline_repeat),
        ):
            results[name] = stats(timed(fn, repeat))
            results[name]["queries"] = count_queries(fn)
        results["speedup_api_vs_baseline"] = round(
            results["baseline"]["median_ms"] / results["api"]["median_ms"], 1
        )
        print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
