"""Reads of the kernel's tables, always through the access layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from werkbrug.core import access
from werkbrug.core.models import AccessLogEntry, BackgroundJob, ChangeLogEntry


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""
    content_type: ContentType | None = None
    action: str = ""
    object_uuid: Any = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _filtered(queryset: QuerySet[Any], flt: AuditFilter) -> QuerySet[Any]:
    if flt.user:
        queryset = queryset.filter(user_name__icontains=flt.user)
    if flt.content_type is not None:
        queryset = queryset.filter(content_type=flt.content_type)
    if flt.action:
        queryset = queryset.filter(action=flt.action)
    if flt.object_uuid:
        queryset = queryset.filter(object_uuid=flt.object_uuid)
    tz = timezone.get_current_timezone()
    if flt.date_from:
        start = dt.datetime.combine(flt.date_from, dt.time.min, tzinfo=tz)
        queryset = queryset.filter(at__gte=start)
    if flt.date_to:
        end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        queryset = queryset.filter(at__lt=end)
    return queryset


def change_log(*, actor: access.Actor, flt: AuditFilter) -> QuerySet[ChangeLogEntry]:
    return _filtered(access.scoped(ChangeLogEntry, actor), flt).select_related("content_type")


def access_log(*, actor: access.Actor, flt: AuditFilter) -> QuerySet[AccessLogEntry]:
    return _filtered(access.scoped(AccessLogEntry, actor), flt).select_related("content_type")


def audited_content_types() -> QuerySet[ContentType]:
    """The record types that occur in the logs, for the filter drop-down."""
    ids = set(ChangeLogEntry.objects.values_list("content_type_id", flat=True).distinct())
    ids |= set(AccessLogEntry.objects.values_list("content_type_id", flat=True).distinct())
    return ContentType.objects.filter(id__in=ids).order_by("model")


def my_jobs(*, actor: access.Actor) -> QuerySet[BackgroundJob]:
    return access.scoped(BackgroundJob, actor).defer("result_file")


def job(*, actor: access.Actor, uuid: Any) -> BackgroundJob:
    return access.get_for_view(BackgroundJob, actor, uuid, purpose="follow own job")
