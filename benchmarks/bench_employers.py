"""Claim: on PostgreSQL with 50,000 employers and 1,000,000 contact moments, the employer list
with a filter and a text search and the employer 360° page each answer in p95 ≤ 150 ms through
the full Django stack; and how that grows from 5,000 to 50,000 employers.

Builds the Rijk van Nijmegen with its staff (the demo seeders up to the employers), then adds
employers with the employer seeder's bulk path (``employers.demo.bulk_employers``: 20 contact
moments per employer, plus contact persons, opportunities with their history, questions and
actions) up to each size, in one region (the worst case: every employer is in the list a
relationship manager searches). Per size it measures, N requests each:

* ``page``: through Django's test client (middleware, session, access layer, templates), logged
  in as the demo relationship manager (demo mode: no 2FA) —
  ``/werkgevers/?q=bak&gemeente=<Nijmegen>`` and ``/werkgevers/<uuid>/`` for a rotating
  sample of employers;
* ``selectors``: the same reads without HTTP and templates (``employers(actor, flt)`` first page
  + count; ``employer`` + ``timeline`` + ``summary``);
* ``baseline``: a bare ORM query of the same rows, without access layer or rendering.

    DIR=$(mktemp -d) && URL=$(scripts/throwaway-postgres.sh start "$DIR")
    WERKBRUG_DEMO=1 DATA_DIR=$(mktemp -d) DATABASE_URL="$URL" \\
        .venv/bin/python benchmarks/bench_employers.py [--sizes 5000 50000] [--repeat 100]
    scripts/throwaway-postgres.sh stop "$DIR"

Prints JSON: medians and p95 in milliseconds, ratios page/baseline, query counts, seeding
times and (``--explain``) the PostgreSQL plans of the list queries at each size.
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

SEARCH = "bak"
MUNICIPALITY = "Nijmegen"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def timed(fn, repeat: int) -> list[float]:
    for index in range(3):  # warm-up
        fn(index)
    samples = []
    for index in range(repeat):
        start = time.perf_counter()
        fn(index)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def stats(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--contacts", type=int, default=20, help="contact moments per employer")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--sample", type=int, default=40, help="employers rotated on the 360° page")
    parser.add_argument("--explain", action="store_true", help="add EXPLAIN ANALYZE of the list")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the data already in the database (e.g. after trying an index); no seeding",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection, transaction
    from django.db.models import Q
    from django.test import Client

    from werkbrug.accounts.models import User
    from werkbrug.core import audit
    from werkbrug.core.access import actor_for
    from werkbrug.demo.registry import SeedContext, seeders
    from werkbrug.employers import demo as employer_demo
    from werkbrug.employers import selectors
    from werkbrug.employers.models import (
        ContactMoment,
        Employer,
        EmployerQuestion,
        OpportunityStatusChange,
        WorkOpportunity,
    )
    from werkbrug.regions.models import Municipality

    # One connection across requests, as a web worker with persistent connections has (and so
    # the query count of a request can be read).
    request_finished.disconnect(close_old_connections)
    if connection.vendor != "postgresql":
        print("warning: the claim is about PostgreSQL; set DATABASE_URL", file=sys.stderr)
    call_command("migrate", verbosity=0)
    if Employer.objects.exists() != args.measure_only:
        raise SystemExit("Use an empty database (or --measure-only on a seeded one).")

    ctx = SeedContext(scale="region", seed=1)
    started = time.perf_counter()
    if not args.measure_only:
        with audit.acting_as(None, channel="seed"), transaction.atomic():
            for entry in seeders():
                if entry.order < 30:  # regions and staff; the employers come in bulk below
                    entry.fn(ctx)
    base_seconds = time.perf_counter() - started
    settings.DEBUG = False

    user = User.objects.get(username="relatiemanager")
    client = Client()
    client.force_login(user)  # a demo user: no second factor in demo mode
    municipality = Municipality.objects.get(name=MUNICIPALITY, ended_on__isnull=True)
    list_url = f"/werkgevers/?q={SEARCH}&gemeente={municipality.uuid}"
    region_id = municipality.region_id

    def analyze() -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def measure(sample_size: int, repeat: int):
        """Time the list and the 360° page at the current size: page, selectors, baseline."""
        sample = list(
            Employer.objects.filter(first_contact_on__isnull=False)
            .order_by("uuid")
            .values_list("uuid", flat=True)[:sample_size]
        )
        actor = actor_for(user)
        flt = selectors.EmployerFilter(search=SEARCH, municipality_id=municipality.pk)

        def page_list(_i: int) -> None:
            response = client.get(list_url)
            assert response.status_code == 200, response.status_code

        def page_detail(i: int) -> None:
            response = client.get(f"/werkgevers/{sample[i % len(sample)]}/")
            assert response.status_code == 200, response.status_code

        def selector_list(_i: int) -> None:
            queryset = selectors.employers(actor=actor, flt=flt)
            list(queryset[:25])
            queryset.count()

        def selector_detail(i: int) -> None:
            employer = selectors.employer(actor=actor, uuid=sample[i % len(sample)])
            selectors.timeline(actor=actor, employer=employer, limit=60)
            selectors.summary(actor=actor, employer=employer)

        def bare_list_queryset():
            return (
                Employer.objects.filter(region_id=region_id, merged_into__isnull=True)
                .filter(Q(name__icontains=SEARCH) | Q(city__icontains=SEARCH))
                .filter(municipality_id=municipality.pk)
                .select_related("municipality", "owner__user", "substitute__user")
                .order_by("name", "id")
            )

        def baseline_list(_i: int) -> None:
            queryset = bare_list_queryset()
            list(queryset[:25])
            queryset.count()

        def baseline_detail(i: int) -> None:
            employer = Employer.objects.select_related(
                "municipality", "owner__user", "substitute__user"
            ).get(uuid=sample[i % len(sample)])
            list(ContactMoment.objects.filter(employer=employer).order_by("-date", "-id")[:60])
            list(EmployerQuestion.objects.filter(employer=employer).order_by("-received_at")[:60])
            list(WorkOpportunity.objects.filter(employer=employer).order_by("-opened_on")[:60])
            list(
                OpportunityStatusChange.objects.filter(opportunity__employer=employer).order_by(
                    "-at"
                )[:60]
            )

        pages_exist = client.get(list_url).status_code == 200
        measured = {}
        for name, page, selector, baseline in (
            ("list", page_list, selector_list, baseline_list),
            ("detail", page_detail, selector_detail, baseline_detail),
        ):
            entry = {}
            base = timed(baseline, repeat)
            sel = timed(selector, repeat)
            entry["baseline"] = {**stats(base), "queries": count_queries(baseline)}
            entry["selectors"] = {**stats(sel), "queries": count_queries(selector)}
            if pages_exist:
                pag = timed(page, repeat)
                entry["page"] = {**stats(pag), "queries": count_queries(page)}
                entry["ratio_page_to_baseline_median"] = round(
                    statistics.median(pag) / statistics.median(base), 1
                )
                entry["claim_p95_le_150ms"] = percentile(pag, 95) <= 150
            entry["ratio_selectors_to_baseline_median"] = round(
                statistics.median(sel) / statistics.median(base), 1
            )
            measured[name] = entry
        return measured, bare_list_queryset, pages_exist

    results = []
    made = 0
    sizes = [Employer.objects.count()] if args.measure_only else sorted(args.sizes)
    for size in sizes:
        started = time.perf_counter()
        if not args.measure_only:
            with audit.acting_as(None, channel="seed"), transaction.atomic():
                employer_demo.bulk_employers(
                    ctx, count=size - made, contacts=(size - made) * args.contacts
                )
        seed_seconds = time.perf_counter() - started
        made = size
        analyze()

        measured, bare_list_queryset, pages_exist = measure(args.sample, args.repeat)
        hits = bare_list_queryset().count()
        result = {
            "employers": Employer.objects.count(),
            "contact_moments": ContactMoment.objects.count(),
            "opportunities": WorkOpportunity.objects.count(),
            "seed_seconds": round(seed_seconds, 1),
            "list_url": f"/werkgevers/?q={SEARCH}&gemeente=<{MUNICIPALITY}>",
            "list_matches": hits,
            "pages_measured": pages_exist,
            **measured,
        }
        if args.explain and connection.vendor == "postgresql":
            result["explain"] = explain(bare_list_queryset(), connection)
        results.append(result)
        print(json.dumps(result), file=sys.stderr)  # progress

    first, last = results[0], results[-1]
    growth = {
        f"{kind}_{layer}_p95": round(last[kind][layer]["p95_ms"] / first[kind][layer]["p95_ms"], 2)
        for kind in ("list", "detail")
        for layer in ("page", "selectors", "baseline")
        if layer in last[kind]
    }
    print(
        json.dumps(
            {
                "claim": "employer list (filter + search) and 360° page, p95 <= 150 ms on "
                "PostgreSQL with 50,000 employers / 1,000,000 contact moments",
                "database": connection.vendor,
                "server_version": getattr(connection, "pg_version", None),
                "repeat": args.repeat,
                "base_seed_seconds": round(base_seconds, 1),
                "sizes": results,
                "growth_first_to_last_size": growth,
            },
            indent=2,
        )
    )


def explain(queryset, connection) -> dict[str, list[str]]:
    """The plans of the page query and the count query (EXPLAIN ANALYZE, PostgreSQL)."""
    plans = {}
    for name, qs in (("page", queryset[:25]), ("count", queryset.order_by())):
        sql, params = qs.query.sql_with_params()
        if name == "count":
            sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plans[name] = [row[0] for row in cursor.fetchall()]
    return plans


if __name__ == "__main__":
    main()
