"""The audit trail: a change log of every write and an access log of every read of a person.

How a model gets audited: inherit from ``core.models.AuditedModel``. That is all. Creates,
updates, deletes and many-to-many changes are then recorded with before/after snapshots, the
acting user and the request id, whichever code path saved them (view, API, task, shell).
Bulk operations (``QuerySet.update``/``bulk_create``) bypass model signals: services must not use
them on audited models except for demo seeding at scale, which records one summary entry.

Reads are logged by the access layer (``core.access.get_for_view``) for models that declare
``audit_personal_data = True``; code that reads a person outside that path calls
``log_access`` itself.

Who acted is taken from a context variable that the middleware sets per request and that
commands and tasks set with ``acting_as``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import hashlib
import hmac
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

REDACTED = "[afgeschermd]"


@dataclass(frozen=True)
class AuditContext:
    """Who is acting. In a request the user is read from the request when an entry is written,
    because the API authenticates tokens inside the view, after the middleware ran."""

    explicit_user: Any = None
    request: Any = None
    request_id: str = ""
    channel: str = ""  # ui, api, task, command, seed

    @property
    def user(self) -> Any:
        if self.request is not None:
            return getattr(self.request, "user", None)
        return self.explicit_user


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "werkbrug_audit_context",
    default=AuditContext(),  # noqa: B039 - frozen dataclass, immutable
)


def current() -> AuditContext:
    return _context.get()


@contextlib.contextmanager
def acting_as(user: Any = None, *, request_id: str = "", channel: str = "") -> Iterator[None]:
    """Attribute everything done inside the block to ``user`` (or to the system if None)."""
    if not request_id:
        request_id = uuid.uuid4().hex
    token = _context.set(AuditContext(explicit_user=user, request_id=request_id, channel=channel))
    try:
        yield
    finally:
        _context.reset(token)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return REDACTED
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


@contextlib.contextmanager
def for_request(request: Any, *, request_id: str, channel: str) -> Iterator[None]:
    token = _context.set(AuditContext(request=request, request_id=request_id, channel=channel))
    try:
        yield
    finally:
        _context.reset(token)


def _fingerprint(value: Any) -> str:
    """A short keyed digest: tells that a redacted value changed without revealing it."""
    from django.conf import settings

    digest = hmac.new(
        settings.SECRET_KEY.encode(), repr(_jsonable(value)).encode(), hashlib.sha256
    ).hexdigest()
    return f"{REDACTED}:{digest[:8]}"


def snapshot(instance: models.Model, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Concrete field values as JSON-safe data, secrets redacted.

    ``values`` maps attnames to values (as loaded from the database); by default the
    instance's current values. Fields not loaded (``.only()``/``.defer()``) are left out, so a
    snapshot never runs a query."""
    exclude = getattr(instance, "audit_exclude", frozenset())
    redact = getattr(instance, "audit_redact", frozenset())
    if values is None:
        deferred = instance.get_deferred_fields()
        values = {
            f.attname: getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
            if f.attname not in deferred
        }
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.attname not in values:
            continue
        value = values[field.attname]
        if field.name in redact:
            # Keep a fingerprint so a change is still detected, never the value itself.
            data[field.name] = _fingerprint(value) if value else ""
        else:
            data[field.name] = _jsonable(value)
    return data


#: Paths from a record to its region, tried in order for work done by the system itself.
REGION_PATHS = (
    "region_id",
    "organisation.region_id",
    "employer.region_id",
    "staff.organisation.region_id",
)


def _record_region(instance: models.Model) -> int | None:
    for path in REGION_PATHS:
        value: Any = instance
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except Exception:  # noqa: BLE001, S112 - a missing relation means "not this path"
            continue
        if isinstance(value, int):
            return value
    return None


def _user_fields(ctx: AuditContext, instance: models.Model) -> dict[str, Any]:
    """Who acted, and the region the entry belongs to: the acting person's region, or for
    work done by the system (seeding, scheduled jobs) the record's own region. Functional
    administrators see their own region's trail."""
    user = ctx.user
    if user is not None and getattr(user, "is_authenticated", False):
        from werkbrug.core.access import actor_for

        return {
            "user": user,
            "user_name": user.get_username(),
            "region_id": actor_for(user).region_id or _record_region(instance),
        }
    return {"user": None, "user_name": "", "region_id": _record_region(instance)}


def _display(instance: models.Model) -> str:
    try:
        return str(instance)[:200]
    except Exception:  # noqa: BLE001 - a broken __str__ must never block an audit entry
        return f"{instance._meta.label} {instance.pk}"


def _write_change(
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    changed: list[str],
) -> None:
    from werkbrug.core.models import ChangeLogEntry

    ctx = current()
    ChangeLogEntry.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_pk=str(instance.pk),
        object_uuid=getattr(instance, "uuid", None),
        object_repr=_display(instance),
        prechange=before,
        postchange=after,
        changed_fields=changed,
        request_id=ctx.request_id,
        channel=ctx.channel,
        **_user_fields(ctx, instance),
    )


def _is_audited(sender: type) -> bool:
    from werkbrug.core.models import AuditedModel

    return isinstance(sender, type) and issubclass(sender, AuditedModel)


def _on_post_save(sender: type, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    if raw or not _is_audited(sender):
        return
    after = snapshot(instance)
    before = None if created else _before(instance)
    if created:
        _write_change(instance, "create", None, after, sorted(after))
    else:
        changed = sorted(
            k for k in after if before is None or (k in before and before[k] != after[k])
        )
        if changed:
            _write_change(instance, "update", before, after, changed)
    instance._audit_snapshot = after


def _before(instance: Any) -> dict[str, Any] | None:
    """The state as last loaded or saved, or None if unknown (created in memory, unsaved)."""
    saved = getattr(instance, "_audit_snapshot", None)
    if saved is not None:
        return saved
    loaded = getattr(instance, "_audit_loaded", None)
    return snapshot(instance, loaded) if loaded is not None else None


def _on_pre_delete(sender: type, instance: Any, **_: Any) -> None:
    if _is_audited(sender):
        instance._audit_deleted_snapshot = snapshot(instance)


def _on_post_delete(sender: type, instance: Any, **_: Any) -> None:
    if _is_audited(sender):
        before = getattr(instance, "_audit_deleted_snapshot", None) or snapshot(instance)
        _write_change(instance, "delete", before, None, sorted(before))


def _on_m2m_changed(
    sender: type, instance: Any, action: str, reverse: bool, model: type, pk_set: Any, **_: Any
) -> None:
    if reverse or not _is_audited(type(instance)):
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field_name is None:
        return
    if action.startswith("pre_"):
        instance._audit_m2m_before = sorted(
            str(pk) for pk in getattr(instance, field_name).values_list("pk", flat=True)
        )
        return
    if not action.startswith("post_"):
        return
    before_list = getattr(instance, "_audit_m2m_before", [])
    after_list = sorted(
        str(pk) for pk in getattr(instance, field_name).values_list("pk", flat=True)
    )
    if before_list != after_list:
        _write_change(
            instance, "update", {field_name: before_list}, {field_name: after_list}, [field_name]
        )


def connect_signals() -> None:
    post_save.connect(_on_post_save, dispatch_uid="werkbrug_audit_post_save")
    pre_delete.connect(_on_pre_delete, dispatch_uid="werkbrug_audit_pre_delete")
    post_delete.connect(_on_post_delete, dispatch_uid="werkbrug_audit_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="werkbrug_audit_m2m")


def log_access(instance: models.Model, *, purpose: str, action: str = "view") -> None:
    """Record that the acting user read (or exported, or disclosed) one person's record."""
    log_accesses([instance], purpose=purpose, action=action)


def log_accesses(instances: list[models.Model], *, purpose: str, action: str = "view") -> None:
    """The same for every record a list shows, in one insert (not a query per row)."""
    from werkbrug.core.models import AccessLogEntry

    if not instances:
        return
    ctx = current()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            action=action,
            purpose=purpose[:200],
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_pk=str(instance.pk),
            object_uuid=getattr(instance, "uuid", None),
            object_repr=_display(instance),
            request_id=ctx.request_id,
            channel=ctx.channel,
            **_user_fields(ctx, instance),
        )
        for instance in instances
    )


def record_summary(instance: models.Model, *, note: str) -> None:
    """One change-log entry standing for a bulk operation (demo seeding at scale)."""
    _write_change(instance, "create", None, {"note": note}, ["note"])


def redact_for_erasure(object_uuids: list[Any], *, placeholder: str) -> tuple[int, int]:
    """Remove the personal data of erased records from the logs: the before/after snapshots and
    the record names of their change-log entries, and the record names of their access-log
    entries. Who did what and when stays, so the trail still adds up.

    This is the one sanctioned exception to append-only (AVG art. 17 and retention periods),
    called only by ``privacy.services``; it goes past the guard on purpose, with a plain
    queryset. Returns (change entries, access entries) redacted."""
    from werkbrug.core.models import AccessLogEntry, ChangeLogEntry

    uuids = [u for u in object_uuids if u]
    with _erasure():
        changes = models.QuerySet(ChangeLogEntry).filter(object_uuid__in=uuids)
        accesses = models.QuerySet(AccessLogEntry).filter(object_uuid__in=uuids)
        return (
            changes.update(prechange=None, postchange=None, object_repr=placeholder),
            accesses.update(object_repr=placeholder),
        )


def delete_older_than(moment: Any, *, region_id: int) -> tuple[int, int]:
    """Delete a region's log entries from before ``moment`` (the retention period of the
    logs). The same sanctioned exception to append-only as ``redact_for_erasure``."""
    from werkbrug.core.models import AccessLogEntry, ChangeLogEntry

    with _erasure():
        changes, _ = (
            models.QuerySet(ChangeLogEntry).filter(region_id=region_id, at__lt=moment).delete()
        )
        accesses, _ = (
            models.QuerySet(AccessLogEntry).filter(region_id=region_id, at__lt=moment).delete()
        )
    return changes, accesses


@contextlib.contextmanager
def _erasure() -> Iterator[None]:
    """Declare an erasure for the database's append-only guard (PostgreSQL; core migration
    0005), for the rest of this block only."""
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('werkbrug.erasure', 'on', true)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('werkbrug.erasure', 'off', true)")
