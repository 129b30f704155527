"""werkbrug import-esco: load ESCO's occupations, skills and their relations from CSV.

    werkbrug import-esco --occupations occupations_nl.csv --skills skills_nl.csv \\
        --relations occupationSkillRelations_nl.csv --language nl

Download the "classification" CSV files of ESCO v1.x in one language from
https://esco.ec.europa.eu/en/use-esco/download. Run it once per language; Dutch provides the
labels shown in Werkbrug. Importing the same files again changes nothing. A bad file stops
the run before anything is saved, naming the file, row and column.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from werkbrug.taxonomy import esco


class Command(BaseCommand):
    help = "Import ESCO occupations, skills and occupation-skill relations from CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--occupations", help="occupations_xx.csv")
        parser.add_argument("--skills", help="skills_xx.csv")
        parser.add_argument("--relations", help="occupationSkillRelations_xx.csv")
        parser.add_argument(
            "--language", default="nl", help="Language of the labels in the files (default nl)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = (options["language"] or "").lower()
        if not esco.valid_language(language):
            raise CommandError(_("%(language)r is not a language code.") % {"language": language})
        paths = {name: options[name] for name in ("occupations", "skills", "relations")}
        if not any(paths.values()):
            raise CommandError(_("Give at least one of --occupations, --skills, --relations."))
        started = time.monotonic()
        try:
            result = esco.import_files(language=language, **paths)
        except esco.ParseError as error:
            raise CommandError(
                _("Nothing was imported. %(problem)s") % {"problem": error.describe(_)}
            ) from error
        for name, counts in result.as_dict().items():
            self.stdout.write(
                _("%(what)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {"what": name, **counts}
            )
        self.stdout.write(
            _("ESCO import (%(language)s) finished in %(seconds).1f s.")
            % {"language": language, "seconds": time.monotonic() - started}
        )
