"""A real `werkbrug worker` (database task queue, file mail backend) is killed with SIGKILL in
the middle of a mailing of 200 messages, at a moment when it has claimed a message and not yet
handed it to the mail backend; a new worker finishes the mailing. Every idempotency key is
delivered exactly once: none twice, none skipped, and the claimed message is recovered by the
sweeper once its claim has expired.

The kill is aimed: the worker is frozen (SIGSTOP) and looked at; it is killed only when no
message is between 'handed to the mail backend' and 'marked sent' (the documented duplicate
window, see core.outbox), otherwise it is let go for a moment and frozen again. PostgreSQL
only: the worker and the test share the database through committed rows and row locks."""

from __future__ import annotations

import email
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.test import override_settings

from werkbrug.core import outbox
from werkbrug.core.models import OutgoingEmail

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: a worker process shares the test database (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

MESSAGES = 200
CLAIM_SECONDS = 4
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{quote(db['USER'], safe='')}{password}@{host}{port}/{db['NAME']}"


def _start_worker(tmp: Path, mail_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkbrug.settings",
        "DATABASE_URL": _database_url(),
        "DATA_DIR": str(tmp / "data"),
        "WERKBRUG_TASKS_IMMEDIATE": "0",
        "WERKBRUG_EMAIL_BACKEND": "file",
        "WERKBRUG_EMAIL_FILE_PATH": str(mail_dir),
        "WERKBRUG_EMAIL_TIMEOUT": "2",
        "WERKBRUG_OUTBOX_CLAIM_SECONDS": str(CLAIM_SECONDS),
        "WERKBRUG_OUTBOX_SWEEP_SECONDS": "1",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
    }
    log = (tmp / f"{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "werkbrug.cli", "worker", "--interval", "0.05"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


class MailDir:
    """The messages the file backend wrote, read incrementally."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> tuple[list[str], bool]:
        """(Message-IDs of the complete messages, whether every file ends with a complete
        message: False while a message is being written or a file was just opened)."""
        ids: list[str] = []
        settled = True
        for file in sorted(self.path.glob("*.log")):
            data = file.read_bytes()
            if not data.endswith(SEPARATOR):
                settled = False
            for chunk in data.split(SEPARATOR):
                if chunk.strip():
                    message_id = email.message_from_bytes(chunk)["Message-ID"]
                    if message_id:
                        ids.append(message_id)
        return ids, settled


def _stopped(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("T", "t")


def _freeze_outside_the_window(
    worker: subprocess.Popen[bytes], mail: MailDir, ids: dict[str, str]
) -> set[str]:
    """Freeze the worker at a moment when it holds a claimed message whose delivery has not
    started; return the keys it holds. Tries until one is found (or the mailing is over)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        os.kill(worker.pid, signal.SIGSTOP)
        while not _stopped(worker.pid):
            time.sleep(0.0005)
        rows = list(OutgoingEmail.objects.values_list("message_id", "status"))
        sending = {mid for mid, status in rows if status == "sending"}
        sent = Counter(mid for mid, status in rows if status == "sent")
        written, settled = mail.read()
        if settled and Counter(written) == sent and sending:
            return {ids[mid] for mid in sending}
        if len(sent) == MESSAGES:
            raise AssertionError("the mailing ended before the worker could be caught")
        os.kill(worker.pid, signal.SIGCONT)
        time.sleep(random.uniform(0, 0.01))
    raise AssertionError("the worker was never caught holding an undelivered claim")


def _wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} (worker logs in the tmp_path)")
        time.sleep(0.02)


def _sent() -> int:
    return OutgoingEmail.objects.filter(status="sent").count()


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGCONT)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_killed_worker_sends_nothing_twice_and_skips_nothing(tmp_path: Path) -> None:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    (tmp_path / "data").mkdir()
    mail = MailDir(mail_dir)
    keys = [f"kill-test:{n:03d}" for n in range(MESSAGES)]
    with transaction.atomic():
        for n, key in enumerate(keys):
            message = EmailMessage(
                subject=f"Bericht {n}", body=f"Inhoud {n}", to=[f"persoon{n:03d}@example.nl"]
            )
            assert outbox.queue(message, key=key, purpose="test.kill")
    ids = dict(OutgoingEmail.objects.values_list("message_id", "key"))

    first = _start_worker(tmp_path, mail_dir, "worker-1")
    second = None
    try:
        # Generous limits for a loaded machine; on an idle one the whole test takes ~15 s.
        _wait_for(lambda: _sent() >= MESSAGES // 2, 120, "the first worker to send half")
        in_flight = _freeze_outside_the_window(first, mail, ids)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        sent_at_kill = _sent()
        assert 0 < sent_at_kill < MESSAGES

        second = _start_worker(tmp_path, mail_dir, "worker-2")
        _wait_for(lambda: _sent() == MESSAGES, 120, "the second worker to send the rest")
        _stop(second)
    finally:
        for worker in (first, second):
            if worker is not None:
                _stop(worker)

    written, settled = mail.read()
    delivered = Counter(ids[mid] for mid in written)
    assert settled
    assert sorted(delivered) == keys  # none skipped
    assert [key for key, times in delivered.items() if times != 1] == []  # none twice
    # The messages the killed worker had claimed went out once, on a second attempt.
    recovered = OutgoingEmail.objects.filter(key__in=in_flight)
    assert in_flight and {row.attempts for row in recovered} == {2}
    # Each file holds what was queued under its key: the right person got the right text.
    for file in mail_dir.glob("*.log"):
        for chunk in file.read_bytes().split(SEPARATOR):
            if chunk.strip():
                message = email.message_from_bytes(chunk)
                n = int(ids[message["Message-ID"]].rsplit(":", 1)[1])
                assert message["To"] == f"persoon{n:03d}@example.nl"
                assert message.get_payload(decode=True).decode() == f"Inhoud {n}"
