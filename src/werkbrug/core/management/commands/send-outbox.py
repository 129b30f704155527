"""werkbrug send-outbox: deliver the e-mail that is due and report on the outbox (core.outbox).

Run it from cron (every few minutes) where no ``werkbrug worker`` runs; with a worker it is
only needed to look at or retry failed mail: the worker sweeps by itself."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from werkbrug.core import outbox


class Command(BaseCommand):
    help = (
        "Deliver outgoing e-mail that is due (never delivered, a retry after its back-off, or "
        "claimed by a worker that stopped), clear the content of mail sent days ago, and "
        "print how many messages are in each state."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also deliver queued mail whose delivery task has not run yet.",
        )
        parser.add_argument(
            "--failed", action="store_true", help="List the failed messages and change nothing."
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Queue the failed messages again (after the mail server is fixed), then send.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["failed"]:
            for row in outbox.failed():
                when = timezone.localtime(row.updated_at).strftime("%d-%m-%Y %H:%M")
                self.stdout.write(
                    f"{row.uuid}  {row.purpose}  {row.key}  {row.attempts} pogingen, laatste "
                    f"{when}: {row.last_error}"
                )
            self._counts()
            return
        if options["retry_failed"]:
            again = outbox.retry_failed()
            self.stdout.write(f"{again} mislukt(e) bericht(en) opnieuw in de wachtrij.")
        result = outbox.sweep(everything=options["all"])
        cleared = outbox.clear_old()
        self.stdout.write(
            f"{result.sent} verstuurd, {result.retry} later opnieuw, {result.failed} mislukt; "
            f"inhoud van {cleared} oud(e) bericht(en) gewist."
        )
        self._counts()

    def _counts(self) -> None:
        counts = outbox.counts()
        self.stdout.write(
            f"In de uitbak: {counts['queued']} in de wachtrij, {counts['sending']} bezig, "
            f"{counts['sent']} verstuurd, {counts['failed']} mislukt."
        )
