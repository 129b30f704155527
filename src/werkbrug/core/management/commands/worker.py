"""werkbrug worker: run queued background tasks (django-tasks database backend).

Beside the tasks, a thread sweeps the e-mail outbox at start and every
WERKBRUG_OUTBOX_SWEEP_SECONDS: mail whose delivery task never ran, retries after their
back-off, and mail a killed worker had claimed but not marked sent (core.outbox)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from werkbrug.core import outbox

logger = logging.getLogger("werkbrug.outbox")


def sweep_outbox() -> None:
    """One sweep (and clearing old content); never raises, so the thread keeps going."""
    try:
        outbox.sweep()
        outbox.clear_old()
    except Exception:
        logger.exception("Sweeping the e-mail outbox failed; trying again later.")
    finally:
        connections.close_all()  # this thread's connections only


def _sweep_until(stop: threading.Event, every: float) -> None:
    while True:
        sweep_outbox()
        if stop.wait(every):
            return


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
            sweep_outbox()
            call_command("db_worker", *options, "--batch")
            return
        stop = threading.Event()
        sweeper = threading.Thread(
            target=_sweep_until,
            args=(stop, settings.OUTBOX_SWEEP_SECONDS),
            name="outbox-sweeper",
            daemon=True,
        )
        sweeper.start()
        try:
            call_command("db_worker", *options)
        finally:
            stop.set()
            # A send in progress gets the SMTP timeout to finish; if the process ends before,
            # its message is sent again after the claim time (see core.outbox).
            sweeper.join(timeout=settings.EMAIL_TIMEOUT + 5)
