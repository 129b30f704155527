"""werkbrug export-region RVN --output rvn.json --i-understand-this-contains-personal-data

Writes every record of one region to a JSON file for moving it to another installation
(regions.transfer). The file holds personal data in the clear: the command refuses to run
without the acknowledgement and makes the file readable by its owner only."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.regions import transfer

ACKNOWLEDGE = "--i-understand-this-contains-personal-data"


class Command(BaseCommand):
    help = "Export every record of one region to a JSON file (personal data in the clear)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="The region's code (e.g. RVN) or uuid.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            ACKNOWLEDGE,
            dest="acknowledged",
            action="store_true",
            help="Confirm that you will keep the file safe and delete it after the import.",
        )

    def handle(
        self, *args: Any, region: str, output: str, acknowledged: bool, **options: Any
    ) -> None:
        if not acknowledged:
            raise CommandError(
                _(
                    "The export holds the personal data of everyone in the region in the clear "
                    "(names, BSNs, health). Keep the file encrypted, move it over a secure "
                    "channel and delete it after the import; then run again with %(flag)s."
                )
                % {"flag": ACKNOWLEDGE}
            )
        started = time.perf_counter()
        try:
            with audit.acting_as(None, channel="command"):
                found = transfer.find_region(region)
                exported = transfer.export_region(region=found)
        except transfer.TransferError as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(transfer.dump(exported.document))
        path.chmod(0o600)
        self.stdout.write(
            _("%(region)s: %(records)s records written to %(file)s in %(seconds).1f s.")
            % {
                "region": found.name,
                "records": sum(exported.counts.values()),
                "file": path,
                "seconds": time.perf_counter() - started,
            }
        )
        self.stdout.write(
            _("The file contains personal data: keep it safe and delete it after the import.")
        )
