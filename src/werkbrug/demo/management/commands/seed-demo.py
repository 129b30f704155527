"""werkbrug seed-demo --scale demo|region|national --seed N [--if-empty]"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from werkbrug.core import audit
from werkbrug.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from werkbrug.demo.registry import SCALES, SeedContext, seeders
from werkbrug.regions.models import Region


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic demo region (deterministic per seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has data."
        )

    def handle(self, *args: Any, scale: str, seed: int, if_empty: bool, **options: Any) -> None:
        if Region.objects.exists():
            if if_empty:
                self.stdout.write("De database bevat al gegevens; demo-regio niet opnieuw geladen.")
                self._print_logins()
                return
            raise CommandError(
                "The database already holds data. Use an empty database (or --if-empty)."
            )
        started = time.perf_counter()
        ctx = SeedContext(scale=scale, seed=seed)
        with audit.acting_as(None, channel="seed"), transaction.atomic():
            for entry in seeders():
                entry.fn(ctx)
        for line in ctx.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo-regio geladen (schaal {scale}, seed {seed}) in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
        self._print_logins()

    def _print_logins(self) -> None:
        if not settings.DEMO:
            return
        self.stdout.write(f"\nDemo-inloggegevens (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<16} {user.label}")
