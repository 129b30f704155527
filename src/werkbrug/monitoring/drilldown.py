"""From a number to the records behind it: the facts a KPI counted in one cell and period,
and the records they come from, read through the access layer as the actor. A record the
actor may not see (a candidate of another municipality without consent) is counted, never
shown; reading candidate records is written to the access log, as anywhere else.

The facts are recomputed from the region's records (``monitoring.facts``), so the list always
matches the stream the KPI was counted from; it is capped at ``LIMIT`` rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from werkbrug.core import access, audit
from werkbrug.monitoring import facts, kpis
from werkbrug.monitoring.kpis import Dimension, Fact, Kpi

LIMIT = 200


@dataclass(frozen=True)
class Source:
    model: Callable[[], type[models.Model]]
    related: tuple[str, ...]
    label: Callable[[Any], str]
    url: Callable[[Any], str]
    personal: bool = False  # about a candidate: reads go to the access log


def _m(path: str) -> Callable[[], type[models.Model]]:
    def load() -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(path)

    return load


def _date(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


SOURCES: dict[str, Source] = {
    "contact": Source(
        _m("employers.ContactMoment"),
        ("employer",),
        lambda r: f"{r.employer.name}: {r.get_channel_display()} op {_date(r.date)}",
        lambda r: reverse("employers:detail", kwargs={"uuid": r.employer.uuid}),
    ),
    "employer": Source(
        _m("employers.Employer"),
        (),
        lambda r: r.name,
        lambda r: reverse("employers:detail", kwargs={"uuid": r.uuid}),
    ),
    "opportunity": Source(
        _m("employers.WorkOpportunity"),
        ("employer",),
        lambda r: f"{r.title}, {r.employer.name} (geopend {_date(r.opened_on)})",
        lambda r: reverse("employers:opportunity", kwargs={"uuid": r.uuid}),
    ),
    "question": Source(
        _m("employers.EmployerQuestion"),
        ("employer",),
        lambda r: f"{r.employer.name}: {r}",
        lambda r: reverse("employers:question", kwargs={"uuid": r.uuid}),
    ),
    "handover": Source(
        _m("candidates.Handover"),
        ("candidate",),
        lambda r: f"{r.candidate}, overgedragen op {_date(r.on)}",
        lambda r: reverse("candidates:detail", kwargs={"uuid": r.candidate.uuid}),
        personal=True,
    ),
    "episode": Source(
        _m("candidates.ServiceEpisode"),
        ("candidate",),
        lambda r: (
            f"{r.candidate}, in dienst vanaf {_date(r.start)}"
            + (f" tot {_date(r.end)}" if r.end else "")
        ),
        lambda r: reverse("candidates:detail", kwargs={"uuid": r.candidate.uuid}),
        personal=True,
    ),
    "return": Source(
        _m("candidates.Return"),
        ("candidate",),
        lambda r: f"{r.candidate}: {r.get_reason_display()} ({_date(r.on)})",
        lambda r: reverse("candidates:detail", kwargs={"uuid": r.candidate.uuid}),
        personal=True,
    ),
    "meeting": Source(
        _m("meetings.Meeting"),
        (),
        lambda r: f"{r.title}, {_date(timezone.localdate(r.starts_at))}",
        lambda r: reverse("meetings:detail", kwargs={"uuid": r.uuid}),
    ),
    "invitation": Source(
        _m("meetings.Invitation"),
        ("meeting", "candidate"),
        lambda r: f"{r.candidate}: {r.meeting.title}",
        lambda r: reverse("meetings:detail", kwargs={"uuid": r.meeting.uuid}),
        personal=True,
    ),
    "conversation": Source(
        _m("meetings.Conversation"),
        ("meeting", "candidate", "employer"),
        lambda r: f"{r.candidate} bij {r.employer.name}: {r.get_follow_up_display()}",
        lambda r: reverse("meetings:detail", kwargs={"uuid": r.meeting.uuid}),
        personal=True,
    ),
    "placement": Source(
        _m("placements.Placement"),
        ("candidate", "employer"),
        lambda r: f"{r.candidate}: {r.job_title} bij {r.employer.name} (vanaf {_date(r.start_on)})",
        lambda r: reverse("placements:detail", kwargs={"uuid": r.uuid}),
        personal=True,
    ),
    "grant": Source(
        _m("placements.InstrumentGrant"),
        ("placement__candidate", "placement__employer"),
        lambda r: f"{r.placement.candidate}: {r.get_kind_display()}, besluit {_date(r.decided_on)}",
        lambda r: reverse("placements:detail", kwargs={"uuid": r.placement.uuid}),
        personal=True,
    ),
    "assessment": Source(
        _m("placements.LoonwaardeAssessment"),
        ("placement__candidate",),
        lambda r: f"{r.placement.candidate}: loonwaarde {r.pct} % op {_date(r.assessed_on)}",
        lambda r: reverse("placements:detail", kwargs={"uuid": r.placement.uuid}),
        personal=True,
    ),
}


@dataclass(frozen=True)
class Record:
    label: str
    url: str
    on: dt.date
    value: str  # what the fact added: "1", "35 dagen", "ja/nee"


@dataclass(frozen=True)
class Behind:
    records: list[Record]
    total: int  # facts counted
    hidden: int  # records the actor may not see
    more: int  # visible records beyond LIMIT


def _counted(kpi: Kpi, fact: Fact, start: dt.date, end: dt.date) -> bool:
    if not kpi.counts(fact):
        return False
    if kpi.kind == kpis.Kind.STOCK:
        last = end - dt.timedelta(days=1)
        return fact.on <= last and (fact.until is None or last < fact.until)
    return start <= fact.on < end


def _value(kpi: Kpi, fact: Fact) -> str:
    if kpi.kind == kpis.Kind.SHARE and fact.value is not None:
        return "ja" if fact.value else "nee"
    if kpi.kind == kpis.Kind.MEAN and fact.value is not None:
        return f"{fact.value.normalize():f} {kpi.unit}".replace(".", ",")
    return ""


def records_behind(
    actor: access.Actor,
    kpi: Kpi,
    *,
    dimension: Dimension,
    member: int,
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> Behind:
    """The records behind ``kpi`` in one cell over [start, end) (a stock: on its last day)."""
    today = today or timezone.localdate()
    ctx = facts.Context(actor.region_id, today)  # type: ignore[arg-type]
    found = [
        fact
        for fact in facts.STREAMS[kpi.stream](ctx)
        if _counted(kpi, fact, start, min(end, today + dt.timedelta(days=1)))
        and fact.member(dimension) == member
    ]
    by_source: dict[str, list[Fact]] = defaultdict(list)
    for fact in found:
        by_source[fact.source].append(fact)
    records: list[Record] = []
    hidden = 0
    for source, items in by_source.items():
        spec = SOURCES[source]
        model = spec.model()
        visible = {
            r.pk: r
            for r in access.scoped(model, actor)
            .filter(pk__in={f.ref for f in items})
            .select_related(*spec.related)
        }
        hidden += sum(1 for f in items if f.ref not in visible)
        if spec.personal and visible:
            audit.log_accesses(list(visible.values()), purpose=f"KPI {kpi.code}: dossiers")
        for fact in items:
            row = visible.get(fact.ref)
            if row is not None:
                records.append(Record(spec.label(row), spec.url(row), fact.on, _value(kpi, fact)))
    records.sort(key=lambda r: (r.on, r.label))
    return Behind(
        records=records[:LIMIT],
        total=len(found),
        hidden=hidden,
        more=max(len(records) - LIMIT, 0),
    )
