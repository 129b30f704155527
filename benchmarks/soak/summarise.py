"""Turn the soak test's output (scripts/soak.sh) into markdown tables and a verdict.

    summarise.py steady --csv OUT/steady --events OUT/steady_events.csv \
        [--verify OUT/steady_verify.json]
    summarise.py fault --csv OUT/fault --events OUT/fault_events.csv \
        --restart OUT/restart.json --verify OUT/fault_verify.json

``steady``: per request type the count, failures and p50/p95/p99 of the whole run from Locust's
``<csv>_stats.csv`` (Locust rounds times above 100 ms to two significant figures), plus
p50/p95/p99 without the first minute (``--warmup``), from the per-request log the locustfile
writes (exact): the ramp-up puts every user's log-in (argon2, deliberately slow) and the cold
workers into the first minute.
``fault``: the same table for the run with the PostgreSQL restart, then the outage as the users
saw it: which requests failed, when they had been sent relative to the restart, what the
failed answers looked like, how many requests were sent per second and how many of those
failed, and the data check of ``soakdb.py verify``.

Prints markdown; with ``--json`` also writes the figures. Exits 1 when the verdict fails:
any failure in the steady run; in the fault run, a failure of a request sent before the
restart began or later than ``--recovery-limit`` seconds after PostgreSQL accepted connections
again, a traceback shown to a user, or no successful request after the last failure; in either
run, a saved contact moment missing from the database.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

LOGIN_TYPES = ("log-in page", "log in", "two-factor page", "two-factor code")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def read_stats(prefix: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    total: dict[str, Any] = {}
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        for raw in csv.DictReader(handle):
            row = {
                "method": raw["Type"],
                "type": raw["Name"],
                "count": int(raw["Request Count"]),
                "failures": int(raw["Failure Count"]),
                "p50": float(raw["50%"] or 0),
                "p95": float(raw["95%"] or 0),
                "p99": float(raw["99%"] or 0),
                "max": float(raw["Max Response Time"] or 0),
                "rps": float(raw["Requests/s"] or 0),
            }
            if raw["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    rows.sort(key=lambda r: (-r["count"], r["type"]))
    return rows, total


def read_failures(prefix: str) -> list[dict[str, Any]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [
            {"type": raw["Name"], "error": raw["Error"], "count": int(raw["Occurrences"])}
            for raw in csv.DictReader(handle)
        ]


def read_events(path: Path) -> list[dict[str, Any]]:
    with path.open(newline="") as handle:
        return [
            {
                "started": float(raw["started"]),
                "ended": float(raw["ended"]),
                "type": raw["type"],
                "status": int(raw["status"]),
                "ok": raw["ok"] == "1",
                "outcome": raw["outcome"],
            }
            for raw in csv.DictReader(handle)
        ]


def after_warmup(
    events: list[dict[str, Any]], warmup: float
) -> tuple[float, dict[str, list[float]]]:
    """When the log-ins at the start of the run were all answered (seconds into the run), and
    the response times (ms) per type of the page requests sent ``warmup`` seconds or more into
    the run."""
    if not events:
        return 0.0, {}
    start = min(e["started"] for e in events)
    logins_done = max(
        (e["ended"] for e in events if e["type"] in LOGIN_TYPES and e["started"] < start + 120),
        default=start,
    )
    times: dict[str, list[float]] = defaultdict(list)
    for event in events:
        if event["started"] >= start + warmup and event["type"] not in LOGIN_TYPES:
            times[event["type"]].append((event["ended"] - event["started"]) * 1000)
    return logins_done - start, times


def stats_table(
    rows: list[dict[str, Any]], total: dict[str, Any], later: dict[str, list[float]] | None
) -> str:
    """The per-type table; with ``later``, a last column of the times once all were logged in."""
    head = "| request type | method | requests | failures | p50 ms | p95 ms | p99 ms | max ms |"
    rule = "|---|---|---:|---:|---:|---:|---:|---:|"
    if later is not None:
        head, rule = head + " after the 1st minute: p50 / p95 / p99 ms |", rule + "---:|"
    lines = [head, rule]
    everything = [t for times in (later or {}).values() for t in times]
    for row in [*rows, {**total, "type": "**all**", "method": ""}] if total else rows:
        line = (
            f"| {row['type']} | {row['method']} | {row['count']:,} | {row['failures']:,} | "
            f"{row['p50']:.0f} | {row['p95']:.0f} | {row['p99']:.0f} | {row['max']:.0f} |"
        )
        if later is not None:
            times = everything if row["type"] == "**all**" else later.get(row["type"], [])
            line += (
                " " + " / ".join(f"{percentile(times, p):.0f}" for p in (50, 95, 99)) + " |"
                if times
                else " – |"
            )
        lines.append(line)
    return "\n".join(lines)


def failures_table(failures: list[dict[str, Any]]) -> str:
    if not failures:
        return "No failures."
    lines = ["| request type | error | count |", "|---|---|---:|"]
    for item in sorted(failures, key=lambda f: -f["count"]):
        error = item["error"].replace("|", "/")
        lines.append(f"| {item['type']} | {error} | {item['count']} |")
    return "\n".join(lines)


def verify_lines(verify: dict[str, Any]) -> list[str]:
    before, after = verify["before"], verify["after"]
    return [
        f"- contact moments before {before['contact_moments']:,}, after "
        f"{after['contact_moments']:,}: **{verify['contact_moments_added']} added**; saves "
        f"answered as saved (302): {verify['saves_answered_ok']}; answered with an error: "
        f"{verify['saves_answered_error']}, of which in the database anyway: "
        f"{verify['saves_answered_error_but_stored']}",
        f"- every save answered as saved is in the database: "
        f"**{'yes' if verify['missing_after_ok_count'] == 0 else 'NO'}** "
        f"(missing: {verify['missing_after_ok_count']}); rows nobody accounts for: "
        f"{verify['unexplained_rows']}",
    ]


def _data_ok(verify: dict[str, Any]) -> bool:
    return bool(verify["no_committed_data_lost"])


# --- steady -----------------------------------------------------------------------------------


def steady(args: argparse.Namespace) -> tuple[str, dict[str, Any], bool]:
    rows, total = read_stats(args.csv)
    failures = read_failures(args.csv)
    ramp, later = after_warmup(read_events(Path(args.events)), args.warmup)
    parts = [
        stats_table(rows, total, later),
        "",
        f"- throughput {total.get('rps', 0):.1f} requests/s; all users logged in "
        f"{ramp:.0f} s into the run; the last column leaves out the first {args.warmup:.0f} s "
        "(the log-ins, argon2 on purpose slow, and cold workers) and is exact, Locust's "
        "columns round above 100 ms",
        "",
        failures_table(failures),
    ]
    verify = json.loads(Path(args.verify).read_text()) if args.verify else None
    if verify:
        parts += ["", *verify_lines(verify)]
    ok = bool(total) and total["failures"] == 0 and (verify is None or _data_ok(verify))
    figures = {"rows": rows, "total": total, "failures": failures, "ramp_up_s": round(ramp, 1)}
    return "\n".join(parts), figures, ok


# --- fault ------------------------------------------------------------------------------------


def fault(args: argparse.Namespace) -> tuple[str, dict[str, Any], bool]:
    rows, total = read_stats(args.csv)
    events = read_events(Path(args.events))
    restart = json.loads(Path(args.restart).read_text())
    verify = json.loads(Path(args.verify).read_text())
    began, back = float(restart["started"]), float(restart["accepting"])
    failed = [e for e in events if not e["ok"]]
    early = [e for e in failed if e["started"] < began and e["ended"] < began]
    in_flight = [e for e in failed if e["started"] < began <= e["ended"]]
    during = [e for e in failed if began <= e["started"] <= back]
    after_back = [e for e in failed if e["started"] > back]
    late = [e for e in after_back if e["started"] > back + args.recovery_limit]
    last_sent = max((e["started"] for e in failed), default=None)
    after_last = [e for e in events if last_sent is not None and e["started"] > last_sent]
    kinds = Counter(e["outcome"] for e in failed)
    tracebacks = sum(n for kind, n in kinds.items() if "traceback" in kind)
    end = max((e["ended"] for e in events), default=back)
    figures = {
        "postgresql_accepting_after_s": round(back - began, 2),
        "requests": len(events),
        "failures": len(failed),
        "failed_sent_before_restart_in_flight": len(in_flight),
        "failed_sent_during_outage": len(during),
        "failed_sent_after_postgresql_back": len(after_back),
        "failed_before_restart": len(early),
        "last_failed_request_sent_after_back_s": (
            None if last_sent is None else round(last_sent - back, 2)
        ),
        "requests_after_last_failure": len(after_last),
        "failure_kinds": dict(kinds),
        "late_failures": len(late),
        "tracebacks": tracebacks,
    }
    lines = [
        stats_table(rows, total, None),
        "",
        f"- PostgreSQL restarted (`pg_ctl restart -m fast`) {restart['offset_s']} s into the "
        f"run; it accepted connections again after **{back - began:.2f} s**",
    ]
    if last_sent is None:
        lines.append("- no request failed")
    else:
        recovered = (
            "**none** of the requests sent after PostgreSQL was back failed"
            if not after_back
            else f"**{len(after_back)}** requests sent after PostgreSQL was back failed, the "
            f"last one sent {last_sent - back:.2f} s after"
        )
        lines += [
            f"- failed requests: **{len(failed)}** of {len(events):,}: {len(in_flight)} in "
            f"flight when the restart began, {len(during)} sent during the "
            f"{back - began:.2f} s outage; {recovered}",
            f"- after the last failed request: {len(after_last):,} requests in "
            f"{end - last_sent:.0f} s, no failure (recovery without intervention)",
            "- what the failed requests got: "
            + "; ".join(f"{kind}: {n}" for kind, n in kinds.most_common()),
            f"- tracebacks shown to users: **{tracebacks}**; failures before the restart: "
            f"{len(early)}",
        ]
    lines += verify_lines(verify)
    lines += ["", per_second(events, began)]
    ok = (
        tracebacks == 0
        and not late
        and not early
        and _data_ok(verify)
        and bool(after_last or not failed)
    )
    return "\n".join(lines), {"rows": rows, "total": total, **figures}, ok


def per_second(events: list[dict[str, Any]], began: float) -> str:
    """Requests sent per second around the restart, and how many of those failed."""
    seconds = range(-3, 9)
    buckets: dict[int, list[int]] = {}
    for event in events:
        second = math.floor(event["started"] - began)
        if second in seconds:
            bucket = buckets.setdefault(second, [0, 0])
            bucket[0] += 1
            bucket[1] += 0 if event["ok"] else 1
    cells = [buckets.get(s, [0, 0]) for s in seconds]
    return "\n".join(
        [
            "| sent in second (0 = restart began) | "
            + " | ".join(f"{s:+d}" for s in seconds)
            + " |",
            "|---|" + "---:|" * len(seconds),
            "| requests | " + " | ".join(str(c[0]) for c in cells) + " |",
            "| of which failed | " + " | ".join(str(c[1]) for c in cells) + " |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_steady = sub.add_parser("steady")
    p_steady.add_argument("--csv", required=True, help="Locust's --csv prefix")
    p_steady.add_argument("--events", required=True)
    p_steady.add_argument("--verify")
    p_steady.add_argument("--warmup", type=float, default=60.0, help="seconds left out")
    p_fault = sub.add_parser("fault")
    p_fault.add_argument("--csv", required=True)
    p_fault.add_argument("--events", required=True)
    p_fault.add_argument("--restart", required=True)
    p_fault.add_argument("--verify", required=True)
    p_fault.add_argument("--recovery-limit", type=float, default=10.0)
    for p in (p_steady, p_fault):
        p.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    text, figures, ok = steady(args) if args.command == "steady" else fault(args)
    print(text)
    print(f"\nVerdict ({args.command}): {'PASS' if ok else 'FAIL'}")
    if args.json:
        Path(args.json).write_text(json.dumps({**figures, "pass": ok}, indent=2))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
