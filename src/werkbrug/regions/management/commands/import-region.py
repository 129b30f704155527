"""werkbrug import-region rvn.json

Creates the region of an export file with all its records, in one transaction: a broken
file, another format version, a missing reference or a region that exists already is refused
and nothing is written (regions.transfer)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.regions import transfer


class Command(BaseCommand):
    help = "Import a region from a file written by export-region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file written by export-region.")
        parser.add_argument(
            "--skip-kpis",
            action="store_true",
            help="Do not recompute the KPI values now (the nightly refresh-kpis will).",
        )

    def handle(self, *args: Any, file: str, skip_kpis: bool, **options: Any) -> None:
        started = time.perf_counter()
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("The file %(file)s cannot be read: %(error)s") % {"file": path, "error": error}
            ) from None
        try:
            with audit.acting_as(None, channel="command"):
                result = transfer.import_region(
                    document=transfer.parse(text),
                    source_name=path.name,
                    refresh_kpis=not skip_kpis,
                )
        except transfer.TransferError as error:
            raise CommandError(_("Nothing was imported. %(reason)s") % {"reason": error}) from None
        self.stdout.write(
            _("%(region)s: %(records)s records imported in %(seconds).1f s.")
            % {
                "region": result.region.name,
                "records": sum(result.counts.values()),
                "seconds": time.perf_counter() - started,
            }
        )
        if result.skipped_benefit_events:
            self.stdout.write(
                _(
                    "%(count)s benefit events of people outside the region's caseload were left "
                    "out: their pseudonyms were made with another key."
                )
                % {"count": result.skipped_benefit_events}
            )
        self.stdout.write(
            _(
                "Everyone must set a new password with 'Forgot password' and set up two-factor "
                "authentication again."
            )
        )
