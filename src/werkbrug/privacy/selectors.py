"""Reads of the privacy pages, through the access layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from werkbrug.core import access
from werkbrug.privacy import retention, services
from werkbrug.privacy.models import (
    DataSubjectRequest,
    RequestStatus,
    RetentionPolicy,
    RetentionRun,
)


def requests(actor: access.Actor, *, status: str = "") -> QuerySet[DataSubjectRequest]:
    rows = access.scoped(DataSubjectRequest, actor).select_related("candidate", "municipality")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("status", "due_on", "pk")


def days_left(request: DataSubjectRequest, today: dt.date | None = None) -> int:
    return (request.due_on - (today or timezone.localdate())).days


@dataclass
class PeriodRow:
    code: str
    label: str
    months: int
    default_months: int
    minimum_months: int
    starts: str
    action: str
    legal_basis: str
    note: str
    due_today: int


def periods(actor: access.Actor) -> list[PeriodRow]:
    """Every category with the region's period (or the default) and what is due today."""
    access.require(actor, "privacy.retention")
    own = {p.category: p for p in access.scoped(RetentionPolicy, actor)}
    months = services.months_for(actor.region_id)  # type: ignore[arg-type]
    due = services.due(region_id=actor.region_id).as_dict()  # type: ignore[arg-type]
    from werkbrug.privacy.models import RetentionCategory

    labels = dict(RetentionCategory.choices)
    return [
        PeriodRow(
            code=c.code,
            label=str(labels[c.code]),
            months=months[c.code],
            default_months=c.default_months,
            minimum_months=c.minimum_months,
            starts=c.starts,
            action=c.action,
            legal_basis=c.legal_basis,
            note=own[c.code].note if c.code in own else "",
            due_today=due[c.code],
        )
        for c in retention.CATEGORIES
    ]


def runs(actor: access.Actor) -> QuerySet[RetentionRun]:
    return access.scoped(RetentionRun, actor).order_by("-ran_at")


def open_count(actor: access.Actor) -> int:
    return requests(actor, status=RequestStatus.OPEN).count()
