"""The e-mail outbox (core.outbox): a key is sent once however often it is queued; a rolled-back
change sends nothing; the message comes out as it went in, stored encrypted; a refusing mail
server means retries with a growing back-off and then 'failed'; a row a dead worker left in
'sending' is delivered again once its claim has expired; old content is cleared; and no log
line or stored error holds an address, the subject or the body."""

from __future__ import annotations

import datetime as dt
import io
import logging
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from werkbrug.core import outbox
from werkbrug.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

ADDRESS = "jan.jansen@example.nl"
BODY = "Uw persoonlijke link: https://werkbrug.example/enquete/GEHEIM-TOKEN-123/"
SUBJECT = "Vragenlijst over uw begeleiding"


def _message(**kwargs: Any) -> EmailMessage:
    values = {"subject": SUBJECT, "body": BODY, "to": [ADDRESS]}
    values.update(kwargs)
    return EmailMessage(**values)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient, and says which address in its answer."""

    def send_messages(self, email_messages: Any) -> int:
        refused = {a: (550, f"5.1.1 <{a}>: mailbox unknown".encode()) for a in email_messages[0].to}
        raise smtplib.SMTPRecipientsRefused(refused)


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after the send runs, nothing is cleaned up."""


class DyingBackend(LocmemBackend):
    """Accepts the message (it reaches mail.outbox) and then the process dies before the
    'sent' commit: the duplicate window."""

    def send_messages(self, email_messages: Any) -> int:
        super().send_messages(email_messages)
        raise WorkerKilled


class DiesBeforeSendingBackend(BaseEmailBackend):
    """The worker dies after claiming the row, before the mail server has the message."""

    def send_messages(self, email_messages: Any) -> int:
        raise WorkerKilled


def _backend(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _about(wait: dt.timedelta, seconds: int) -> bool:
    """The back-off counts from the failure, a moment after the claim."""
    return dt.timedelta(seconds=seconds) <= wait < dt.timedelta(seconds=seconds + 5)


def _time_passes(row: OutgoingEmail) -> None:
    """The row's back-off or claim time has passed (instead of waiting for it)."""
    OutgoingEmail.objects.filter(pk=row.pk).update(due_at=timezone.now() - dt.timedelta(seconds=1))


def test_the_same_key_queued_twice_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.queue(_message(), key="test:one", purpose="test")
        again = outbox.queue(_message(subject="Anders"), key="test:one", purpose="test")
        other = outbox.queue(_message(), key="test:two", purpose="test")
        assert mail.outbox == []  # nothing leaves before the commit

    assert (first, again, other) == (True, False, True)
    assert [m.subject for m in mail.outbox] == [SUBJECT, SUBJECT]
    assert OutgoingEmail.objects.count() == 2
    row = OutgoingEmail.objects.get(key="test:one")
    assert (row.status, row.attempts, row.purpose) == ("sent", 1, "test")
    assert row.sent_at is not None and row.due_at is None
    # A task that runs again for a sent message sends nothing.
    assert outbox.deliver(str(row.uuid)) == "skipped"
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing_and_a_committed_one_does():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue(_message(), key="test:rolled-back", purpose="test")
        raise RuntimeError("the change fails after the e-mail was queued")
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()

    with transaction.atomic():
        outbox.queue(_message(), key="test:committed", purpose="test")
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert OutgoingEmail.objects.get().status == "sent"


def test_the_message_comes_out_as_it_went_in_and_is_stored_encrypted(
    django_capture_on_commit_callbacks,
):
    message = EmailMultiAlternatives(
        subject=SUBJECT,
        body=BODY,
        from_email="Werkbrug Rijk van Nijmegen <werk@rvn.example>",
        to=[ADDRESS, "piet@example.nl"],
        cc=["cc@example.nl"],
        bcc=["bcc@example.nl"],
        reply_to=["antwoord@example.nl"],
        headers={"X-Werkbrug-Soort": "enquete"},
    )
    message.attach_alternative("<p>Uw persoonlijke link</p>", "text/html")
    pdf = b"%PDF-1.7\n\x00\xff binary \x80"
    message.attach("rapport.pdf", pdf, "application/pdf")
    message.attach("uitnodiging.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(message, key="test:full", purpose="test")

    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.from_email) == (SUBJECT, BODY, message.from_email)
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        message.to,
        message.cc,
        message.bcc,
        message.reply_to,
    )
    assert sent.alternatives == [("<p>Uw persoonlijke link</p>", "text/html")]
    assert [tuple(a) for a in sent.attachments] == [
        ("rapport.pdf", pdf, "application/pdf"),
        ("uitnodiging.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
    ]
    row = OutgoingEmail.objects.get()
    assert sent.extra_headers["X-Werkbrug-Soort"] == "enquete"
    assert sent.extra_headers["Message-ID"] == row.message_id == f"<{row.uuid}@rvn.example>"
    assert sent.message()["Message-ID"] == row.message_id
    assert row.recipient_count == 4  # to, cc and bcc
    stored = bytes(row.content)
    for secret in (b"GEHEIM-TOKEN-123", b"PDF-1.7", b"VCALENDAR"):
        assert secret not in stored


@override_settings(EMAIL_BACKEND=_backend(RefusingBackend), OUTBOX_MAX_ATTEMPTS=3)
def test_a_refusing_server_means_retries_with_back_off_then_failed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(_message(), key="test:refused", purpose="test")

    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.last_error.startswith("SMTPRecipientsRefused:")
    assert "<address>" in row.last_error and ADDRESS not in row.last_error
    first_wait = row.due_at - row.claimed_at
    assert _about(first_wait, outbox.RETRY_DELAYS[0])
    # Before its back-off has passed, a sweep leaves it alone.
    assert outbox.sweep() == outbox.SweepResult()

    _time_passes(row)
    assert outbox.sweep() == outbox.SweepResult(retry=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 2)
    assert _about(row.due_at - row.claimed_at, outbox.RETRY_DELAYS[1])
    assert row.due_at - row.claimed_at > first_wait

    _time_passes(row)
    assert outbox.sweep() == outbox.SweepResult(failed=1)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.due_at) == ("failed", 3, None)
    _time_passes(row)
    assert outbox.sweep() == outbox.SweepResult()  # failed stays failed
    assert mail.outbox == []

    # Operations see it, without the address, and send it again once the server is fixed.
    listing = _command("--failed")
    assert "test:refused" in listing and "3 pogingen" in listing and "1 mislukt" in listing
    assert ADDRESS not in listing
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert "1 verstuurd" in _command("--retry-failed")
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_row_left_sending_by_a_dead_worker_is_delivered_after_its_claim_expires(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.queue(_message(), key="test:stale", purpose="test")
    row = OutgoingEmail.objects.get()

    dies = override_settings(EMAIL_BACKEND=_backend(DiesBeforeSendingBackend))
    with dies, pytest.raises(WorkerKilled):
        outbox.deliver(str(row.uuid))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 1)
    assert mail.outbox == []

    # The claim is fresh: neither a sweep nor a late copy of the task takes it.
    assert outbox.sweep() == outbox.SweepResult()
    callbacks[0]()
    assert outbox.deliver(str(row.uuid)) == "skipped"
    assert mail.outbox == []

    _time_passes(row)  # the claim has expired
    assert outbox.sweep() == outbox.SweepResult(sent=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_the_duplicate_window_is_after_the_server_accepted_and_before_the_sent_commit(
    django_capture_on_commit_callbacks,
):
    """Documented, not hidden: dying exactly there sends the message again, with the same
    Message-ID so the receiving side can recognise it."""
    with django_capture_on_commit_callbacks(execute=False):
        outbox.queue(_message(), key="test:window", purpose="test")
    row = OutgoingEmail.objects.get()
    with override_settings(EMAIL_BACKEND=_backend(DyingBackend)), pytest.raises(WorkerKilled):
        outbox.deliver(str(row.uuid))
    _time_passes(row)
    assert outbox.sweep() == outbox.SweepResult(sent=1)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]


def test_queued_mail_whose_task_never_ran_is_swept_after_the_claim_time(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        outbox.queue(_message(), key="test:lost-task", purpose="test")
    assert outbox.sweep() == outbox.SweepResult()  # its task may still come
    assert "1 verstuurd" in _command("--all")
    assert len(mail.outbox) == 1


def test_old_content_is_cleared_and_the_receipt_kept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(_message(), key="test:old", purpose="test")
        outbox.queue(_message(), key="test:recent", purpose="test")
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    OutgoingEmail.objects.filter(key="test:old").update(sent_at=eight_days_ago)

    with override_settings(OUTBOX_KEEP_DAYS=7):
        assert outbox.clear_old() == 1
        assert outbox.clear_old() == 0

    old = OutgoingEmail.objects.get(key="test:old")
    assert (old.content, old.to, old.subject, old.status) == (None, [], "", "sent")
    assert old.cleared_at is not None and old.purpose == "test"
    recent = OutgoingEmail.objects.get(key="test:recent")
    assert recent.content is not None and recent.to == [ADDRESS]
    # A cleared key still counts: it is not sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.queue(_message(), key="test:old", purpose="test") is False
    assert len(mail.outbox) == 2


def test_no_address_subject_or_body_in_the_logs(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(_message(), key="test:logged-sent", purpose="test")
        outbox.queue(_message(), key="test:logged-sent", purpose="test")
    refusing = override_settings(EMAIL_BACKEND=_backend(RefusingBackend))
    with refusing, django_capture_on_commit_callbacks(execute=True):
        outbox.queue(_message(), key="test:logged-refused", purpose="test")

    sent = OutgoingEmail.objects.get(key="test:logged-sent")
    refused = OutgoingEmail.objects.get(key="test:logged-refused")
    logged = caplog.text
    assert str(sent.uuid) in logged and str(refused.uuid) in logged  # it does log
    assert "SMTPRecipientsRefused" in logged
    for secret in (ADDRESS, "jan.jansen", SUBJECT, "GEHEIM-TOKEN-123", "persoonlijke link"):
        assert secret not in logged
        assert secret not in refused.last_error


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("send-outbox", *args, stdout=out)
    return out.getvalue()
