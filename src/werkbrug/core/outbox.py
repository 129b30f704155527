"""The e-mail outbox: every e-mail is stored first, in the transaction of the change that
causes it, and delivered by a task once that transaction has committed.

    outbox.queue(
        EmailMessage(subject=..., body=..., to=[address]),
        key=f"survey-invitation:{invitation.uuid}",
        purpose="survey.invitation",
    )

What it guarantees:

* A rolled-back change sends nothing (its outbox row is rolled back with it), and a committed
  one loses nothing: the row stays until it is marked sent, whatever happens to the process
  that was to deliver it.
* One key, one message: queueing a key that is already there (a command run twice, a request
  retried) stores and sends nothing. The first message queued under a key wins.
* Delivery (``deliver``, run by the task ``core.tasks.deliver_outgoing_email``) claims the row
  in its own committed transaction (queued → sending), hands the message to Django's mail
  backend and marks it sent in the next transaction, straight away. A worker killed in
  between leaves the row 'sending'; once the claim is older than WERKBRUG_OUTBOX_CLAIM_SECONDS
  the sweeper (``sweep``: ``werkbrug send-outbox``, and ``werkbrug worker`` at start and every
  WERKBRUG_OUTBOX_SWEEP_SECONDS) delivers it again. The sweeper also sends what was queued but
  whose task never ran, and the retries.
* The one way to receive a message twice: the worker dies after the mail server accepted the
  message and before the 'sent' commit, one UPDATE on an open database connection (a
  millisecond or two; see docs/operations.md). The SMTP connection is opened before and
  closed after that commit, so the QUIT round trip is outside the window; every delivery of
  a row carries the same Message-ID, so a mail system that drops duplicates by it drops it.
* A failed delivery goes back to 'queued' after a back-off (RETRY_DELAYS); after
  WERKBRUG_OUTBOX_MAX_ATTEMPTS attempts it is 'failed' and stays for operations to see
  (``werkbrug send-outbox --failed``) and to try again (``--retry-failed``).
* The body, alternative parts and attachments are stored encrypted (they can carry personal
  answer links whose tokens the database otherwise never holds) and are cleared with the
  addresses and subject WERKBRUG_OUTBOX_KEEP_DAYS after sending; key, purpose and status stay.
* Logs and ``last_error`` name a message by uuid, purpose and key, never by address, subject or
  body; addresses in a server's error answer are masked.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.mime.base import MIMEBase
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connections, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Now
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from werkbrug.core.models import OutgoingEmail
from werkbrug.core.pseudonymisation import decrypt_bytes, encrypt_bytes

logger = logging.getLogger("werkbrug.outbox")
Status = OutgoingEmail.Status

#: Seconds to wait before the 2nd, 3rd, … attempt; the last one repeats. With the default of
#: 8 attempts a message is retried for about 22 hours before it counts as failed.
RETRY_DELAYS = (60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600)
#: A failed message keeps its content this long, for operations to send it again.
FAILED_KEEP_DAYS = 30

_ADDRESS = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")


# --- queueing -------------------------------------------------------------------------------


def queue(message: EmailMessage, *, key: str, purpose: str) -> bool:
    """Store ``message`` in the caller's transaction and deliver it once that commits.
    ``key`` names this one message for good (``"survey-invitation:<uuid>"``); a key that was
    queued before is not queued again. Returns whether the message was queued now."""
    if not key or len(key) > 200:
        raise ValueError("An outbox key has 1 to 200 characters.")
    recipients = message.recipients()
    if not recipients:
        raise ValueError(f"The e-mail {key!r} has no recipients.")
    now = timezone.now()
    from_email = str(message.from_email or settings.DEFAULT_FROM_EMAIL)
    row = OutgoingEmail(
        purpose=purpose,
        key=key,
        from_email=from_email,
        to=[str(a) for a in message.to],
        cc=[str(a) for a in message.cc],
        bcc=[str(a) for a in message.bcc],
        reply_to=[str(a) for a in message.reply_to],
        subject=str(message.subject),
        recipient_count=len(recipients),
        # The task should deliver it long before; the sweeper only steps in when it did not.
        due_at=now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
        created_at=now,
    )
    row.message_id = _message_id(message, row, from_email)
    row.content = _seal(message)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        if OutgoingEmail.objects.filter(key=key).exists():
            logger.info("Outgoing e-mail %s (%s) was queued before; not again.", key, purpose)
            return False
        raise
    email_uuid = str(row.uuid)
    transaction.on_commit(lambda: _enqueue(email_uuid))
    return True


def _message_id(message: EmailMessage, row: OutgoingEmail, from_email: str) -> str:
    for name, value in message.extra_headers.items():
        if name.lower() == "message-id":
            return str(value)
    domain = parseaddr(from_email)[1].rpartition("@")[2] or "werkbrug.local"
    return f"<{row.uuid}@{domain}>"


def _seal(message: EmailMessage) -> bytes:
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise TypeError("Attach files to a queued e-mail as (name, content, content type).")
        name, content, content_type = attachment
        data = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append(
            {"name": name, "type": content_type, "data": base64.b64encode(data).decode("ascii")}
        )
    payload = {
        "body": str(message.body),
        "subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "headers": {
            str(name): str(value)
            for name, value in message.extra_headers.items()
            if name.lower() != "message-id"
        },
        "attachments": attachments,
    }
    raw = zlib.compress(json.dumps(payload).encode(), 6)
    return encrypt_bytes(raw, key=settings.ENCRYPTION_KEY)


def _unseal(row: OutgoingEmail) -> EmailMessage:
    if row.content is None:
        raise ValueError("The content of this e-mail has been cleared.")
    try:
        payload: dict[str, Any] = json.loads(
            zlib.decompress(decrypt_bytes(bytes(row.content), key=settings.ENCRYPTION_KEY))
        )
    except (zlib.error, json.JSONDecodeError) as exc:
        raise ValueError("The stored content of this e-mail is damaged.") from exc
    # Without alternative parts it makes the same MIME message as an EmailMessage.
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=payload["body"],
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers={**payload["headers"], "Message-ID": row.message_id},
    )
    message.content_subtype = payload["subtype"]
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for attachment in payload["attachments"]:
        message.attach(attachment["name"], base64.b64decode(attachment["data"]), attachment["type"])
    return message


def _enqueue(email_uuid: str) -> None:
    from werkbrug.core.tasks import deliver_outgoing_email

    try:
        deliver_outgoing_email.enqueue(email_uuid=email_uuid)
    except Exception:
        # Stored and committed: the sweeper delivers it when the claim time has passed.
        logger.exception("Could not start the delivery of outgoing e-mail %s.", email_uuid)


# --- delivery -------------------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    """Rows a sweeper may take: queued past their due time (a retry after its back-off, or a
    message whose task did not run), or claimed so long ago that the claimer must be gone."""
    return Q(status__in=[Status.QUEUED, Status.SENDING], due_at__lte=now)


def _claim(condition: Q) -> OutgoingEmail | None:
    """Claim one row matching ``condition`` (queued/stale → sending) and commit the claim.
    Rows another worker holds are skipped, not waited for."""
    now = timezone.now()
    with transaction.atomic():
        row = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(condition)
            .order_by("due_at", "id")
            .first()
        )
        if row is None:
            return None
        claimed = (
            OutgoingEmail.objects.filter(pk=row.pk)
            .filter(condition)  # SQLite has no row locks: the claim itself must be conditional
            .update(
                status=Status.SENDING,
                claimed_at=now,
                due_at=now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
                attempts=F("attempts") + 1,
                updated_at=now,
            )
        )
        if not claimed:
            return None
    row.status, row.claimed_at, row.attempts = Status.SENDING, now, row.attempts + 1
    return row


def deliver(email_uuid: str) -> str:
    """Deliver one queued message (the task's work). Returns what happened: 'sent', 'retry',
    'failed', or 'skipped' when it is not this call's to send (sent already, another worker
    has it, or it waits for its back-off)."""
    now = timezone.now()
    first_time = Q(status=Status.QUEUED, attempts=0)
    row = _claim(Q(uuid=email_uuid) & (first_time | _due(now)))
    if row is None:
        return "skipped"
    return _send(row)


@dataclass
class SweepResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def sweep(*, limit: int | None = None, everything: bool = False) -> SweepResult:
    """Deliver what is due, one claimed row at a time, until nothing is due (or ``limit``
    rows were tried). ``everything`` also takes queued rows whose task has not run yet (for
    an installation without a worker). Safe beside workers and other sweepers."""
    result = SweepResult()
    tried = 0
    while limit is None or tried < limit:
        now = timezone.now()
        condition = _due(now)
        if everything:
            condition |= Q(status=Status.QUEUED, attempts=0)
        row = _claim(condition)
        if row is None:
            break
        result.count(_send(row))
        tried += 1
    return result


def _send(row: OutgoingEmail) -> str:
    try:
        message = _unseal(row)
    except ValueError as exc:  # cleared, damaged or encrypted with another key: hopeless
        return _record_failure(row, exc, permanent=True)
    mark_sent = _sent_marker(row)
    connection = get_connection()
    try:
        connection.open()
        if connection.send_messages([message]) != 1:
            raise RuntimeError("The mail backend did not accept the message.")
    except Exception as exc:
        _close(connection)
        return _record_failure(row, exc)
    # The mail server has the message. Nothing may come between this line and the commit of
    # 'sent': a worker dying here is the only way a message goes out twice.
    marked = mark_sent()
    _close(connection)
    if marked:
        logger.info("Outgoing e-mail %s (%s) sent.", row.uuid, row.purpose)
    else:
        logger.warning(
            "Outgoing e-mail %s (%s) was sent after its claim had expired; it may go out twice "
            "(raise WERKBRUG_OUTBOX_CLAIM_SECONDS).",
            row.uuid,
            row.purpose,
        )
    return "sent"


def _sent_marker(row: OutgoingEmail) -> Callable[[], int]:
    """The UPDATE that marks ``row`` sent, compiled before the message goes out, so that only
    the database round trip is left between the mail server's acceptance and the commit
    (what ``QuerySet.update`` does, minus building the SQL: about 0.4 ms less in the
    duplicate window). Outside a transaction the statement commits by itself."""
    rows = OutgoingEmail.objects.filter(pk=row.pk, status=Status.SENDING, claimed_at=row.claimed_at)
    query = rows.query.chain(UpdateQuery)
    query.add_update_values(
        {
            "status": Status.SENT,
            "sent_at": Now(),
            "due_at": None,
            "last_error": "",
            "updated_at": Now(),
        }
    )
    statement, params = query.get_compiler(rows.db).as_sql()
    database = connections[rows.db]

    def mark() -> int:
        with database.cursor() as cursor:
            cursor.execute(statement, params)
            return int(cursor.rowcount)

    return mark


def _close(connection: Any) -> None:
    try:
        connection.close()
    except Exception as exc:  # the message is out (or was refused): closing changes nothing
        logger.warning("Closing the mail connection failed: %s", describe_error(exc))


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def _record_failure(row: OutgoingEmail, exc: BaseException, *, permanent: bool = False) -> str:
    error = describe_error(exc)
    now = timezone.now()
    if permanent or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status, due_at, outcome = Status.FAILED, None, "failed"
    else:
        status, outcome = Status.QUEUED, "retry"
        due_at = now + dt.timedelta(seconds=retry_delay(row.attempts))
    OutgoingEmail.objects.filter(
        pk=row.pk, status=Status.SENDING, claimed_at=row.claimed_at
    ).update(status=status, due_at=due_at, last_error=error, updated_at=now)
    logger.warning(
        "Outgoing e-mail %s (%s), attempt %s, not sent: %s. %s",
        row.uuid,
        row.purpose,
        row.attempts,
        error,
        "Given up." if outcome == "failed" else f"Next attempt after {due_at:%Y-%m-%d %H:%M:%S%z}.",
    )
    return outcome


def describe_error(exc: BaseException) -> str:
    """The kind of error and its message, addresses masked, at most 300 characters."""
    return _ADDRESS.sub("<address>", f"{type(exc).__name__}: {exc}")[:300]


# --- housekeeping ---------------------------------------------------------------------------


def clear_old(*, now: dt.datetime | None = None) -> int:
    """Clear the content, addresses and subject of messages sent more than
    WERKBRUG_OUTBOX_KEEP_DAYS ago (and of failed ones after FAILED_KEEP_DAYS); the row stays
    as a receipt with its key, purpose and status."""
    now = now or timezone.now()
    sent_before = now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    failed_before = now - dt.timedelta(days=FAILED_KEEP_DAYS)
    return (
        OutgoingEmail.objects.filter(cleared_at__isnull=True)
        .filter(
            Q(status=Status.SENT, sent_at__lt=sent_before)
            | Q(status=Status.FAILED, updated_at__lt=failed_before)
        )
        .update(
            content=None,
            subject="",
            to=[],
            cc=[],
            bcc=[],
            reply_to=[],
            cleared_at=now,
            updated_at=now,
        )
    )


def retry_failed() -> int:
    """Put the failed messages that still have their content back in the queue, due now,
    with a fresh count of attempts (after the mail server has been fixed)."""
    now = timezone.now()
    return OutgoingEmail.objects.filter(status=Status.FAILED, content__isnull=False).update(
        status=Status.QUEUED, attempts=0, due_at=now, updated_at=now
    )


def failed() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(status=Status.FAILED).order_by("-updated_at")


def counts() -> dict[str, int]:
    """Messages per status."""
    found = dict(
        OutgoingEmail.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in Status.values}
