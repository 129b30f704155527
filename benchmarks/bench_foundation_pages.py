"""Claim: at region scale the foundation's pages answer fast through the full Django stack
(access layer, audit context, templates), and the access layer adds little over a bare query.

Builds a demo region at the chosen scale in a fresh database (SQLite in a temporary DATA_DIR,
or PostgreSQL when DATABASE_URL is set), then measures, per page, N requests through Django's
test client (whole middleware stack, templates, session, 2FA check) against a baseline: the
same rows fetched by a bare ORM query without access checks or rendering.

    WERKBRUG_DEMO=1 DATA_DIR=$(mktemp -d) .venv/bin/python benchmarks/bench_foundation_pages.py \
        [--scale region] [--repeat 60]

Prints JSON: medians and p95 in milliseconds, the ratio page/baseline, query counts.
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


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="region", choices=["demo", "region", "national"])
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection, reset_queries  # noqa: F401
    from django.test import Client

    from werkbrug.accounts.models import User
    from werkbrug.regions.models import Municipality, Staff

    # Keep one connection across requests, as a web worker with persistent connections does
    # (and so the query count of a request can be read).
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed-demo", "--scale", args.scale, "--seed", "1", stdout=quiet)
    seed_seconds = time.perf_counter() - started
    settings.DEBUG = False

    client = Client()
    client.force_login(User.objects.get(username="beheerder"))  # demo user: 2FA-exempt in demo

    baselines = {
        "/beheer/organisatie/medewerkers/": lambda: list(
            Staff.objects.select_related("user", "organisation", "municipality", "team").order_by(
                "user__last_name"
            )[:25]
        ),
        "/api/v1/staff": lambda: list(
            Staff.objects.select_related("user", "organisation", "municipality", "team")
            .prefetch_related("user__role_grants")
            .order_by("user__last_name")[:50]
        ),
        "/beheer/organisatie/gemeenten/": lambda: list(
            Municipality.objects.select_related("region").order_by("name")[:25]
        ),
        "/": lambda: list(Staff.objects.filter(user__username="beheerder")),
    }
    results = {}
    for path, baseline in baselines.items():
        executed: list[str] = []

        def record(run, sql, *a, executed=executed):
            return executed.append(sql) or run(sql, *a)

        with connection.execute_wrapper(record):
            status = client.get(path).status_code
        assert status == 200, (path, status)
        page = timed(lambda p=path: client.get(p), args.repeat)
        base = timed(baseline, args.repeat)
        reset_queries()
        results[path] = {
            "page_median_ms": round(statistics.median(page), 2),
            "page_p95_ms": round(percentile(page, 95), 2),
            "baseline_median_ms": round(statistics.median(base), 3),
            "ratio_median": round(statistics.median(page) / statistics.median(base), 1),
            "queries": len(executed),
        }
    print(
        json.dumps(
            {
                "claim": "foundation pages at region scale, full stack vs bare query",
                "database": connection.vendor,
                "scale": args.scale,
                "staff": Staff.objects.count(),
                "municipalities": Municipality.objects.count(),
                "seed_seconds": round(seed_seconds, 1),
                "repeat": args.repeat,
                "pages": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
