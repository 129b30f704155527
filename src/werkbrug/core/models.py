"""The shared kernel's tables: the base for every domain model, the audit trail, and jobs.

* ``BaseModel``: a public UUID (sequential ids never leave the database), created/updated
  timestamps and a ``version`` for optimistic locking (architecture rules 5 and 10).
* ``AuditedModel``: a BaseModel whose every create/update/delete is written to the change log
  automatically. A model declares ``audit_personal_data = True`` when it describes a person, so
  that the access layer logs every read of one record (architecture rule 4).
* ``ChangeLogEntry`` and ``AccessLogEntry``: append-only; they cannot be changed or deleted
  through the ORM, and on PostgreSQL a trigger refuses UPDATE and DELETE as well.
* ``BackgroundJob``: a task somebody started, with progress they can follow.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class AuditedModel(BaseModel):
    """A model whose changes are logged; subclasses may tune what is logged.

    ``audit_exclude``: fields left out of the snapshots entirely (noise such as updated_at).
    ``audit_redact``: fields whose values are replaced by a marker in the log (secrets,
    encrypted values); a change is still recorded, the value is not.
    ``audit_personal_data``: reads of a single record are logged in the access log.
    """

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "created_at"})
    audit_redact: ClassVar[frozenset[str]] = frozenset()
    audit_personal_data: ClassVar[bool] = False

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> AuditedModel:
        instance = super().from_db(db, field_names, values)
        # Keep the loaded values as they came (cheap); the audit module turns them into a
        # snapshot only if this instance is saved or deleted.
        instance._audit_loaded = dict(zip(field_names, values, strict=True))  # type: ignore[attr-defined]
        return instance


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries are append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries are append-only.")


class ChangeLogEntry(AppendOnlyModel):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Region of the person who acted."),
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_pk = models.CharField(max_length=64)
    object_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=200)
    prechange = models.JSONField(_("before"), null=True, blank=True)
    postchange = models.JSONField(_("after"), null=True, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_repr}"


class AccessLogEntry(AppendOnlyModel):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        DISCLOSE = "disclose", _("disclosed")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Region of the person who acted."),
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_pk = models.CharField(max_length=64)
    object_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=200)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_repr}"


class BackgroundJob(BaseModel):
    """Work that runs outside the request, started by a person who can follow its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs"
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    result_file = models.BinaryField(null=True, blank=True, editable=False)
    result_filename = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="background_job_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutgoingEmail(BaseModel):
    """One e-mail, stored in the same transaction as the change that causes it and delivered
    afterwards by a task (``core.outbox``). The idempotency ``key`` is unique: queueing the
    same key twice stores one message. The body, alternative parts and attachments are kept
    encrypted in ``content`` (they can carry personal answer links) and are cleared, with
    the addresses and subject, a few days after sending; the row stays as a receipt."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    purpose = models.CharField(_("purpose"), max_length=64)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    message_id = models.CharField(_("Message-ID"), max_length=255)
    from_email = models.CharField(_("from"), max_length=320, blank=True)
    to = models.JSONField(_("to"), default=list, blank=True)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    #: Encrypted (Fernet, WERKBRUG_ENCRYPTION_KEY) JSON: body, alternatives, extra headers and
    #: attachments (name, content type, bytes). Empty once cleared.
    content = models.BinaryField(null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: The last delivery error: the kind of error and the server's answer, addresses masked;
    #: never the message.
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    #: When a sweeper may take the row: a queued message whose task did not run, a retry
    #: after its back-off, or a claim that was never marked sent (the worker died).
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cleared_at = models.DateTimeField(_("content cleared at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="outgoing_email_open_due",
            ),
            models.Index(
                fields=["sent_at"],
                condition=models.Q(status="sent", cleared_at__isnull=True),
                name="outgoing_email_sent_uncleared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.key} ({self.status})"
