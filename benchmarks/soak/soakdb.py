"""The database side of the soak test (``make soak``, scripts/soak.sh).

Subcommands (the environment names the database, as for ``werkbrug``):

    soakdb.py seed --extra-candidates 1500 [--skip SEEDER,...]
        the demo region at region scale (``seed-demo --scale region``: 1,500 employers,
        3,000 candidates in the Rijk van Nijmegen) plus candidates in bulk up to a region's
        ~4,500 in service, in one process so the bulk path knows the BSNs already drawn
    soakdb.py accounts --out accounts.json [--managers 60 --leads 10 --employers 20 --candidates 20]
        load-test log-ins with a known password: relationship managers and team leads (staff,
        with a confirmed TOTP device whose key is written out so Locust can compute codes),
        employer contacts (a contact person of a real employer) and candidates (a real
        candidate's portal account); the JSON is read by locustfile.py
    soakdb.py count --out counts.json
        rows in the tables the scenario writes
    soakdb.py verify --before counts.json --markers markers.csv --out verify.json
        every contact moment Locust saw saved (302) must be in the database; the rows added
        must equal the saves Locust saw plus at most the saves whose answer was lost

The accounts are for a throwaway database only: the password and TOTP keys are in the JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.settings")

#: The text every contact moment the scenario saves starts its notes with; the marker after
#: it is unique per save (run, user, sequence number), see locustfile.contact_marker.
MARKER_PREFIX = "[soak:"


def setup() -> None:
    import django

    django.setup()


# --- seed -------------------------------------------------------------------------------------


def seed(extra_candidates: int, seed_value: int, skip: list[str]) -> dict[str, Any]:
    setup()
    from django.db import transaction

    from werkbrug.candidates import demo as candidate_demo
    from werkbrug.core import audit
    from werkbrug.demo.registry import SeedContext, seeders
    from werkbrug.regions.models import Region

    if Region.objects.exists():
        raise SystemExit("The database already holds data: the soak test needs an empty one.")
    started = time.perf_counter()
    ctx = SeedContext(scale="region", seed=seed_value)
    with audit.acting_as(None, channel="seed"), transaction.atomic():
        for entry in seeders():
            if entry.name not in skip:
                entry.fn(ctx)
    seeded = time.perf_counter() - started
    with audit.acting_as(None, channel="seed"), transaction.atomic():
        added = candidate_demo.bulk_candidates(ctx, count=extra_candidates)
    return {
        "seed_seconds": round(seeded, 1),
        "bulk_seconds": round(time.perf_counter() - started - seeded, 1),
        "extra_candidates": added,
        "skipped_seeders": skip,
        **region_size(),
    }


def region_size() -> dict[str, int]:
    from werkbrug.candidates.models import Candidate
    from werkbrug.employers.models import ContactMoment, Employer, WorkOpportunity
    from werkbrug.regions.models import Region

    region = Region.objects.order_by("pk").first()
    return {
        "candidates": Candidate.objects.filter(region=region).count(),
        "employers": Employer.objects.filter(region=region).count(),
        "contact_moments": ContactMoment.objects.filter(employer__region=region).count(),
        "work_opportunities": WorkOpportunity.objects.filter(employer__region=region).count(),
    }


# --- accounts ---------------------------------------------------------------------------------


def accounts(*, managers: int, leads: int, employers: int, candidates: int) -> dict[str, Any]:
    setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkbrug.accounts import services as account_services
    from werkbrug.accounts.models import User
    from werkbrug.candidates.models import Candidate
    from werkbrug.core import audit
    from werkbrug.core.roles import Role
    from werkbrug.employers.models import ContactPerson
    from werkbrug.regions.models import Municipality, Staff

    if User.objects.filter(username__startswith="soak-").exists():
        raise SystemExit("Load-test accounts exist already: provision them once per database.")
    password = secrets.token_urlsafe(18)
    # The demo's relationship manager and team lead show where staff of the region belong.
    rm_home = Staff.objects.select_related("organisation").get(user__username="relatiemanager")
    lead_home = Staff.objects.get(user__username="teamleider")
    region = rm_home.organisation.region
    municipalities = list(
        Municipality.objects.filter(region=region, ended_on__isnull=True).order_by("pk")
    )
    result: dict[str, list[dict[str, str]]] = {
        "relationship_manager": [],
        "team_lead": [],
        "employer": [],
        "candidate": [],
    }

    def new_user(username: str, role: str, first: str, last: str) -> User:
        return account_services.create_user(
            username=username,
            email=f"{username}@soak.werkbrug.example.nl",
            first_name=first,
            last_name=last,
            roles={role},
        )

    def staff_account(kind: str, index: int, role: str, home: Staff, key_name: str) -> None:
        username = f"soak-{kind}-{index:03d}"
        user = new_user(username, role, "Load", f"Test {kind} {index}")
        Staff.objects.create(
            user=user,
            organisation=home.organisation,
            municipality=municipalities[index % len(municipalities)],
            team=home.team,
            job_title="Load test",
        )
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="Load test", key=key, confirmed=True)
        result[key_name].append({"username": username, "totp_key": key})

    with audit.acting_as(None, channel="seed"), transaction.atomic():
        for index in range(1, managers + 1):
            staff_account("rm", index, Role.RELATIONSHIP_MANAGER, rm_home, "relationship_manager")
        for index in range(1, leads + 1):
            staff_account("lead", index, Role.TEAM_LEAD, lead_home, "team_lead")
        # Employer contacts: the primary contact person of employers that have work on offer.
        people = (
            ContactPerson.objects.filter(
                employer__region=region,
                employer__merged_into__isnull=True,
                user__isnull=True,
                is_primary=True,
                employer__opportunities__isnull=False,
            )
            .order_by("employer_id")
            .distinct()[:employers]
        )
        for index, person in enumerate(people, start=1):
            username = f"soak-employer-{index:03d}"
            person.user = new_user(username, Role.EMPLOYER_CONTACT, "Load", f"Employer {index}")
            person.save(update_fields=["user"])
            result["employer"].append({"username": username})
        chosen = Candidate.objects.filter(region=region, user__isnull=True).order_by("pk")
        for index, candidate in enumerate(chosen[:candidates], start=1):
            username = f"soak-candidate-{index:03d}"
            user = new_user(username, Role.CANDIDATE, candidate.first_name, candidate.last_name)
            Candidate.objects.filter(pk=candidate.pk).update(user=user)
            result["candidate"].append({"username": username})
        # One password hash for all (argon2 is slow on purpose).
        User.objects.filter(username__startswith="soak-").update(password=make_password(password))
    short = {kind: len(rows) for kind, rows in result.items()}
    wanted = {
        "relationship_manager": managers,
        "team_lead": leads,
        "employer": employers,
        "candidate": candidates,
    }
    if short != wanted:
        raise SystemExit(f"Could not provision every account: wanted {wanted}, made {short}.")
    return {"password": password, "accounts": result}


# --- count and verify -------------------------------------------------------------------------


def counts() -> dict[str, int]:
    setup()
    from django.contrib.sessions.models import Session

    from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
    from werkbrug.employers.models import Action, ContactMoment

    return {
        "contact_moments": ContactMoment.objects.count(),
        "soak_contact_moments": ContactMoment.objects.filter(
            notes__startswith=MARKER_PREFIX
        ).count(),
        "actions": Action.objects.count(),
        "change_log": ChangeLogEntry.objects.count(),
        "access_log": AccessLogEntry.objects.count(),
        "sessions": Session.objects.count(),
    }


def read_markers(path: Path) -> tuple[set[str], set[str]]:
    """The markers of saves Locust saw succeed and of saves whose answer was an error."""
    ok: set[str] = set()
    failed: set[str] = set()
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            (ok if row["outcome"] == "saved" else failed).add(row["marker"])
    return ok, failed


def verify(before: dict[str, int], markers: Path) -> dict[str, Any]:
    after = counts()
    from werkbrug.employers.models import ContactMoment

    stored: set[str] = set()
    for notes in ContactMoment.objects.filter(notes__startswith=MARKER_PREFIX).values_list(
        "notes", flat=True
    ):
        stored.add(notes.split("]", 1)[0] + "]")
    ok, failed = read_markers(markers)
    missing = sorted(ok - stored)
    failed_but_stored = sorted(failed & stored)
    added = after["contact_moments"] - before["contact_moments"]
    # Rows added = saves answered 302 + saves that committed but whose answer was lost (the
    # worker or the connection died after the commit). Nothing else writes contact moments.
    explained = len(ok) + len(failed_but_stored)
    return {
        "before": before,
        "after": after,
        "saves_answered_ok": len(ok),
        "saves_answered_error": len(failed),
        "saves_answered_error_but_stored": len(failed_but_stored),
        "contact_moments_added": added,
        "missing_after_ok": missing[:20],
        "missing_after_ok_count": len(missing),
        "unexplained_rows": added - explained,
        "no_committed_data_lost": not missing and added == explained,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--extra-candidates", type=int, default=1500)
    p_seed.add_argument("--seed", type=int, default=2026)
    p_seed.add_argument(
        "--skip", default="", help="comma-separated seeders to leave out (e.g. one that is broken)"
    )
    p_acc = sub.add_parser("accounts")
    p_acc.add_argument("--out", type=Path, required=True)
    p_acc.add_argument("--managers", type=int, default=60)
    p_acc.add_argument("--leads", type=int, default=10)
    p_acc.add_argument("--employers", type=int, default=20)
    p_acc.add_argument("--candidates", type=int, default=20)
    p_count = sub.add_parser("count")
    p_count.add_argument("--out", type=Path, required=True)
    p_verify = sub.add_parser("verify")
    p_verify.add_argument("--before", type=Path, required=True)
    p_verify.add_argument("--markers", type=Path, required=True)
    p_verify.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    if args.command == "seed":
        skip = [name for name in args.skip.split(",") if name]
        print(json.dumps(seed(args.extra_candidates, args.seed, skip), indent=2))
    elif args.command == "accounts":
        data = accounts(
            managers=args.managers,
            leads=args.leads,
            employers=args.employers,
            candidates=args.candidates,
        )
        args.out.write_text(json.dumps(data, indent=2))
        args.out.chmod(0o600)
        print(json.dumps({kind: len(rows) for kind, rows in data["accounts"].items()}))
    elif args.command == "count":
        args.out.write_text(json.dumps(counts(), indent=2))
        print(args.out.read_text())
    else:
        result = verify(json.loads(args.before.read_text()), args.markers)
        args.out.write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2))
        if not result["no_committed_data_lost"]:
            raise SystemExit("Committed data is missing or unexplained: see " + str(args.out))


if __name__ == "__main__":
    main()
