"""werkbrug worker: run queued background tasks (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run background tasks from the database queue until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")

    def handle(self, *args: Any, queue_name: str, interval: float, batch: bool, **kw: Any) -> None:
        if settings.TASKS_IMMEDIATE:
            self.stdout.write(
                "Taken draaien direct (WERKBRUG_TASKS_IMMEDIATE=1); de worker is niet nodig."
            )
            return
        options = ["--queue-name", queue_name, "--interval", str(interval)]
        if batch:
            options.append("--batch")
        call_command("db_worker", *options)
