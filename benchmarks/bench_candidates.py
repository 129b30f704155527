"""Claim: on PostgreSQL with 200,000 candidates, the caseload list with filters and a search,
and the candidate page, answer in p95 ≤ 150 ms through the full Django stack; and how that grows
from 20,000 to 200,000 candidates.

Builds the Rijk van Nijmegen with its staff (the demo seeders before the employers), then adds
candidates with the candidate seeder's bulk path (``candidates.demo.bulk_candidates``: profiles,
languages, skills, consents — about 60 % share an anonymous profile in the regional pool —,
contacts, ladder history, handovers, returns, signals) up to each size, all in one region: the
worst case, since the regional pool makes every consenting candidate of the region a row of a
relationship manager's caseload. Per size it measures, N requests each, logged in (demo mode:
no 2FA) as the demo ``relatiemanager`` (Nijmegen; own municipality + own caseload + the pool)
and the demo ``klantmanager`` (Wijchen; own municipality + own caseload):

* ``list``: ``/kandidaten/?q=<term>&gemeente=<municipality>&trede=4&toon=gemeente`` — a search,
  a municipality, a ladder step and the municipality tab;
* ``list_all`` (relatiemanager): ``/kandidaten/?trede=4`` — everyone they may see, the pool
  included (no municipality to narrow it down);
* ``list_mine`` (klantmanager): ``/kandidaten/?q=<term>&status=in_caseload&toon=mijn``;
* ``detail``: ``/kandidaten/<uuid>/`` rotating over candidates of the user's own caseload (a
  full case file: contacts, consents, handover, ladder history ...);
* ``pool_detail`` (relatiemanager): the anonymous profile of pool candidates elsewhere.

Each three ways: ``page`` (Django's test client: middleware, session, access layer, templates),
``selectors`` (the same reads without HTTP and templates: ``caseload`` first page + count +
``tab_counts``; ``candidate_for_view`` + ``case_records``) and ``baseline`` (a bare ORM query of
the same rows, without access layer or rendering).

    DIR=$(mktemp -d) && URL=$(scripts/throwaway-postgres.sh start "$DIR")
    WERKBRUG_DEMO=1 DATA_DIR=$(mktemp -d) DATABASE_URL="$URL" \\
        .venv/bin/python benchmarks/bench_candidates.py [--sizes 20000 200000] [--repeat 100]
    scripts/throwaway-postgres.sh stop "$DIR"

Prints JSON: medians and p95 in milliseconds, ratios page/baseline, query counts, seeding times
and (``--explain``) the PostgreSQL plans of the caseload queries at each size.
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

SEARCH = "jan"  # Jansen, Jan, Janssen, Jannie ... and "jan" in no talents text
LADDER_STEP = 4
PAGE_SIZE = 50  # candidates.views.PAGE_SIZE


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
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--sample", type=int, default=40, help="candidates rotated on a page")
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
    from django.db.models import Exists, OuterRef, Q
    from django.test import Client

    from werkbrug.accounts.models import User
    from werkbrug.candidates import demo as candidate_demo
    from werkbrug.candidates import selectors
    from werkbrug.candidates.models import (
        Candidate,
        CandidateContact,
        Consent,
        ConsentScope,
        HealthProfile,
    )
    from werkbrug.core import audit
    from werkbrug.core.access import actor_for
    from werkbrug.core.pagination import capped_count
    from werkbrug.demo.registry import SeedContext, seeders

    # One connection across requests, as a web worker with persistent connections has (and so
    # the query count of a request can be read).
    request_finished.disconnect(close_old_connections)
    if connection.vendor != "postgresql":
        print("warning: the claim is about PostgreSQL; set DATABASE_URL", file=sys.stderr)
    call_command("migrate", verbosity=0)
    if Candidate.objects.exists() != args.measure_only:
        raise SystemExit("Use an empty database (or --measure-only on a seeded one).")

    ctx = SeedContext(scale="region", seed=1)
    started = time.perf_counter()
    if not args.measure_only:
        with audit.acting_as(None, channel="seed"), transaction.atomic():
            for entry in seeders():
                if entry.order < 30:  # regions and staff; the candidates come in bulk below
                    entry.fn(ctx)
    base_seconds = time.perf_counter() - started
    settings.DEBUG = False

    users = {name: User.objects.get(username=name) for name in ("relatiemanager", "klantmanager")}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)  # a demo user: no second factor in demo mode

    def analyze() -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def pool_q():
        return Exists(
            Consent.objects.filter(
                candidate_id=OuterRef("pk"),
                scope=ConsentScope.REGIONAL_POOL,
                withdrawn_at__isnull=True,
            )
        )

    def bare_case_file(candidate: Candidate) -> None:
        """The case records of one candidate, straight by candidate id."""
        for relation, related in (
            ("ladder_history", ("recorded_by__user",)),
            ("target_groups", ()),
            ("consents", ("employer", "granted_by", "withdrawn_by")),
            ("handovers", ("from_staff__user", "to_staff__user")),
            ("episodes", ()),
            ("returns", ("sent_by__user", "receiver__user", "acknowledged_by__user")),
            ("signals", ("reported_by__user", "decided_by__user")),
            ("appointments", ("staff__user",)),
        ):
            list(getattr(candidate, relation).select_related(*related)[:20])
        list(
            CandidateContact.objects.filter(candidate=candidate).select_related("staff__user")[:20]
        )
        HealthProfile.objects.filter(candidate=candidate).first()

    def bare_candidate(uuid) -> Candidate:
        return (
            Candidate.objects.select_related(
                "municipality", "region", "client_manager__user", "consultant__user", "user"
            )
            .prefetch_related(
                "skills", "wished_skills", "wished_occupations", "languages", "experience"
            )
            .get(uuid=uuid)
        )

    def scenarios(sample_size: int):
        """(user, name, url or url function, selector fn, baseline fn, bare list queryset)."""
        out = []
        for name, user in users.items():
            actor = actor_for(user)
            staff = user.staff
            own = staff.municipality
            region_id = own.region_id
            client = clients[name]

            def bare_list(region_id=region_id, **filters):
                def queryset(filters=filters, region_id=region_id):
                    qs = Candidate.objects.filter(region_id=region_id)
                    filters = dict(filters)
                    search = filters.pop("search", None)
                    if search:
                        qs = qs.filter(
                            Q(first_name__icontains=search)
                            | Q(last_name__icontains=search)
                            | Q(talents__icontains=search)
                        )
                    return (
                        qs.filter(**filters)
                        .select_related("municipality", "client_manager__user", "consultant__user")
                        .order_by("last_name", "first_name", "id")
                    )

                return queryset

            def list_case(flt, url, bare, actor=actor, client=client):
                def page(_i: int) -> None:
                    response = client.get(url)
                    assert response.status_code == 200, response.status_code

                def selector(_i: int) -> None:
                    queryset = selectors.caseload(actor=actor, flt=flt)
                    list(queryset[:PAGE_SIZE])
                    selectors.caseload_count(actor=actor, flt=flt)
                    selectors.tab_counts(actor=actor)

                def baseline(_i: int) -> None:
                    queryset = bare()
                    list(queryset[:PAGE_SIZE])
                    capped_count(queryset)  # the page counts up to 1,000 too

                return page, selector, baseline

            def detail_case(sample, actor=actor, client=client, own=own, staff=staff):
                def page(i: int) -> None:
                    response = client.get(f"/kandidaten/{sample[i % len(sample)]}/")
                    assert response.status_code == 200, response.status_code

                def selector(i: int) -> None:
                    candidate = selectors.candidate_for_view(
                        actor=actor, uuid=sample[i % len(sample)], purpose="benchmark"
                    )
                    if candidate.full_access:
                        selectors.case_records(candidate, actor=actor)

                def baseline(i: int) -> None:
                    candidate = bare_candidate(sample[i % len(sample)])
                    if candidate.municipality_id == own.pk or staff.pk in (
                        candidate.client_manager_id,
                        candidate.consultant_id,
                    ):
                        bare_case_file(candidate)

                return page, selector, baseline

            # The filtered list: search + municipality + ladder step + the municipality tab.
            bare = bare_list(search=SEARCH, municipality_id=own.pk, ladder_step=LADDER_STEP)
            flt = selectors.CaseloadFilter(
                search=SEARCH, municipality_id=own.pk, ladder_step=LADDER_STEP
            )
            url = f"/kandidaten/?q={SEARCH}&gemeente={own.uuid}&trede={LADDER_STEP}&toon=gemeente"
            out.append((name, "list", url, *list_case(flt, url, bare), bare))
            if name == "relatiemanager":
                # Everyone they may see: own municipality, own caseload and the regional pool.
                bare = bare_list(ladder_step=LADDER_STEP)

                def bare_all(bare=bare, staff=staff, own=own):
                    return bare().filter(
                        Q(municipality_id=own.pk)
                        | Q(client_manager_id=staff.pk)
                        | Q(consultant_id=staff.pk)
                        | pool_q()
                    )

                flt = selectors.CaseloadFilter(ladder_step=LADDER_STEP)
                url = f"/kandidaten/?trede={LADDER_STEP}"
                out.append((name, "list_all", url, *list_case(flt, url, bare_all), bare_all))
                caseload = Candidate.objects.filter(consultant=staff)
                # Pool profiles of other municipalities, nobody the user works with.
                pool = (
                    Candidate.objects.filter(region_id=region_id)
                    .filter(pool_q())
                    .exclude(municipality_id=own.pk)
                    .exclude(client_manager=staff)
                    .exclude(consultant=staff)
                )
                pool_sample = list(
                    pool.order_by("uuid").values_list("uuid", flat=True)[:sample_size]
                )
                out.append((name, "pool_detail", None, *detail_case(pool_sample), None))
            else:
                bare = bare_list(search=SEARCH, client_manager_id=staff.pk, status="in_caseload")

                def bare_mine(bare=bare):
                    return bare()

                flt = selectors.CaseloadFilter(search=SEARCH, mine=True, status="in_caseload")
                url = f"/kandidaten/?q={SEARCH}&status=in_caseload&toon=mijn"
                out.append((name, "list_mine", url, *list_case(flt, url, bare_mine), bare_mine))
                caseload = Candidate.objects.filter(client_manager=staff)
            sample = list(caseload.order_by("uuid").values_list("uuid", flat=True)[:sample_size])
            out.append((name, "detail", None, *detail_case(sample), None))
        return out

    def measure(sample_size: int, repeat: int):
        measured: dict[str, dict] = {}
        plans = {}
        for user, name, url, page, selector, baseline, bare in scenarios(sample_size):
            entry: dict = {"url": url} if url else {}
            if bare is not None:
                entry["matches"] = bare().count()
                if args.explain and connection.vendor == "postgresql":
                    plans[f"{user}.{name}"] = explain(bare(), connection)
            base = timed(baseline, repeat)
            sel = timed(selector, repeat)
            pag = timed(page, repeat)
            entry["baseline"] = {**stats(base), "queries": count_queries(baseline)}
            entry["selectors"] = {**stats(sel), "queries": count_queries(selector)}
            entry["page"] = {**stats(pag), "queries": count_queries(page)}
            entry["ratio_page_to_baseline_median"] = round(
                statistics.median(pag) / statistics.median(base), 1
            )
            entry["ratio_selectors_to_baseline_median"] = round(
                statistics.median(sel) / statistics.median(base), 1
            )
            entry["claim_p95_le_150ms"] = percentile(pag, 95) <= 150
            measured.setdefault(user, {})[name] = entry
        if args.explain and connection.vendor == "postgresql":
            plans.update(explain_caseload(users, connection))
        return measured, plans

    results = []
    made = Candidate.objects.count()
    sizes = [made] if args.measure_only else sorted(args.sizes)
    for size in sizes:
        started = time.perf_counter()
        if not args.measure_only:
            with audit.acting_as(None, channel="seed"), transaction.atomic():
                candidate_demo.bulk_candidates(ctx, count=size - made)
        seed_seconds = time.perf_counter() - started
        made = size
        analyze()
        measured, plans = measure(args.sample, args.repeat)
        result = {
            "candidates": Candidate.objects.count(),
            "contacts": CandidateContact.objects.count(),
            "consents": Consent.objects.count(),
            "in_regional_pool": Candidate.objects.filter(pool_q()).count(),
            "seed_seconds": round(seed_seconds, 1),
            **measured,
        }
        if plans:
            result["explain"] = plans
        results.append(result)
        print(json.dumps(result), file=sys.stderr)  # progress

    first, last = results[0], results[-1]
    growth = {
        f"{user}.{name}.{layer}_p95": round(
            last[user][name][layer]["p95_ms"] / first[user][name][layer]["p95_ms"], 2
        )
        for user in users
        for name in last[user]
        for layer in ("page", "selectors", "baseline")
    }
    print(
        json.dumps(
            {
                "claim": "caseload list (filters + search) and candidate page, p95 <= 150 ms on "
                "PostgreSQL with 200,000 candidates",
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
    for name, qs in (("page", queryset[:PAGE_SIZE]), ("count", queryset.order_by())):
        sql, params = qs.query.sql_with_params()
        if name == "count":
            sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plans[name] = [row[0] for row in cursor.fetchall()]
    return plans


def explain_caseload(users, connection) -> dict[str, dict[str, list[str]]]:
    """The plans of the real caseload queries (access scope included): the filtered list and
    the one query of the four tab counts."""
    from werkbrug.candidates import selectors
    from werkbrug.core.access import actor_for

    plans = {}
    for name, user in users.items():
        actor = actor_for(user)
        own = user.staff.municipality_id
        for label, flt in (
            (
                "list",
                selectors.CaseloadFilter(
                    search=SEARCH, municipality_id=own, ladder_step=LADDER_STEP
                ),
            ),
        ):
            plans[f"{name}.selector_{label}"] = explain(
                selectors.caseload(actor=actor, flt=flt), connection
            )
        captured: list[tuple[str, object]] = []

        def capture(execute, sql, params, many, context, captured=captured):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            selectors.tab_counts(actor=actor)
        for sql, params in captured:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plans[f"{name}.tab_counts"] = {"count": [row[0] for row in cursor.fetchall()]}
    return plans


if __name__ == "__main__":
    main()
