"""The import of figures from outside Werkbrug (the database half; reading the file is the pure
core in ``monitoring.observation_imports``), and the list of them.

``check_observations`` says, without saving anything, what an import would do: per row *new*,
*already present* (the same figure is in Werkbrug: skipped, so importing a file twice changes
nothing) or *updated*, or every problem by row and column. ``import_observations`` does the
same checks again against the current database, in one transaction, and saves only when no
row has a problem: all or nothing. Built like the benefit-data import
(``placements.benefit_services``), with the same report and page.

Rules
-----
* Permission ``monitoring.manage`` (team leads, functional administrators) and a region: the
  figures belong to the importer's region.
* ``gemeente`` must be a municipality of that region (name or CBS code), or ``regio`` / the
  region's name / its code for the whole region (stored without municipality and area, so it
  counts as the region's own realisation for a programme's targets). A municipality that has
  ended is accepted for a period that began before it ended (a year before a merger).
  Anything else is an ``gebied``: free text.
* The same indicator, place and period twice in one file is a problem of the later row, also
  when the place is written differently ("Nijmegen" and "GM0268").
* A figure already in Werkbrug for the same indicator, place and period: with the same value,
  source, trend break and note it is *already present* and left alone; when any of these
  differ it is replaced only when the importer ticks "update existing values", otherwise it
  is a problem of the row that names what Werkbrug holds.
* ``Observation`` is audited: every figure created or updated gets its own change-log entry
  (before/after); each import that changed something also writes one summary entry on the
  region naming the file and the counts, as the benefit-data import does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access, audit
from werkbrug.core import imports as imports_base
from werkbrug.core.imports import ReportError, check_rows, field_errors, issue_error, lookup_key
from werkbrug.employers.io_services import Column, export_rows
from werkbrug.monitoring import kpis
from werkbrug.monitoring import observation_imports as imports
from werkbrug.monitoring.models import Observation
from werkbrug.regions.models import Municipality, Region

PERMISSION = "monitoring.manage"

M_NO_REGION = _("You are not linked to a region, so you cannot import figures.")
M_NOT_OURS = _(
    "“%(value)s” is not a municipality of your region. A figure of another region or "
    "municipality belongs in the column “gebied”."
)
M_ENDED = _(
    "The municipality %(name)s no longer exists since %(date)s, and this period begins after that."
)
M_DIFFERENT = _(
    "Werkbrug already holds a figure for this indicator, place and period: %(old)s (source: "
    "%(source)s). To replace it with this row, tick “Update existing values”; otherwise "
    "correct or remove the row."
)

NEW, UNCHANGED, UPDATED = "new", "unchanged", "updated"
CENT = Decimal("0.01")

#: What ``gemeente`` may say for the whole region (beside the region's name and code).
WHOLE_REGION = {"regio", "hele regio", "de hele regio", "gehele regio", "de regio"}


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    row: int
    outcome: str  # NEW | UNCHANGED | UPDATED
    kpi: str
    where: str
    start_on: dt.date
    end_on: dt.date
    value: Decimal
    previous: Decimal | None = None  # UPDATED: the value it replaces

    @property
    def value_shown(self) -> str:
        return shown_number(self.value)

    @property
    def previous_shown(self) -> str:
        return shown_number(self.previous) if self.previous is not None else ""

    @property
    def kpi_name(self) -> str:
        versions = kpis.for_code(self.kpi)
        return versions[-1].name_nl if versions else self.kpi


@dataclass
class ImportReport(imports_base.ImportReport):
    committed: bool = False  # True once the rows were saved
    update_existing: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)


def shown_number(value: Decimal) -> str:
    """A figure as people read it in the active language: 2.427, 12,5 (Dutch)."""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def whole_region_label() -> str:
    return gettext("whole region")


# --- Planning: every row checked, nothing saved -------------------------------------------------

PlaceKey = tuple[str, Any]


@dataclass
class _Plan:
    row: imports.ParsedRow
    kpi: str
    municipality: Municipality | None
    area: str
    start_on: dt.date
    end_on: dt.date
    value: Decimal
    source: str
    trend_break: bool
    note: str
    outcome: str = NEW
    existing: Observation | None = None

    @property
    def place(self) -> PlaceKey:
        if self.municipality is not None:
            return ("gemeente", self.municipality.pk)
        return ("gebied", lookup_key(self.area))

    @property
    def key(self) -> tuple[str, PlaceKey, dt.date, dt.date]:
        return (self.kpi, self.place, self.start_on, self.end_on)

    @property
    def where(self) -> str:
        if self.municipality is not None:
            return self.municipality.name
        return self.area or whole_region_label()

    def differs(self, observation: Observation) -> list[str]:
        """The fields (keys of ``observation_imports.FIELDS``) in which the stored figure
        differs from this row."""
        found = []
        if observation.value != self.value:
            found.append("value")
        if observation.source != self.source:
            found.append("source")
        if observation.trend_break != self.trend_break:
            found.append("trend_break")
        if observation.note != self.note:
            found.append("note")
        return found


class _Places:
    """The municipalities of the actor's region (also those that ended) and the words for the
    region as a whole."""

    def __init__(self, region: Region) -> None:
        self.by_key: dict[str, Municipality] = {}
        for municipality in Municipality.objects.filter(region=region).order_by("ended_on", "name"):
            self.by_key.setdefault(lookup_key(municipality.name), municipality)
            if municipality.cbs_code:
                self.by_key.setdefault(lookup_key(municipality.cbs_code), municipality)
        self.region_words = WHOLE_REGION | {lookup_key(region.name), lookup_key(region.code)}

    def find(self, text: str) -> Municipality | None | bool:
        """The municipality; None for the whole region; False when unknown."""
        key = lookup_key(text)
        found = self.by_key.get(key)
        if found is None and key.startswith("gemeente "):
            found = self.by_key.get(key.removeprefix("gemeente "))
        if found is None and key.isascii() and key.isdigit() and len(key) <= 4:
            found = self.by_key.get(f"gm{int(key):04d}")  # CBS code without GM
        if found is not None:
            return found
        if key in self.region_words or key.removeprefix("regio ") in self.region_words:
            return None
        return False


def _place(
    places: _Places, row: imports.ParsedRow, parsed: imports.ParseResult, errors: list[ReportError]
) -> tuple[bool, Municipality | None, str]:
    """(found, municipality, area) of a row; a problem goes to ``errors``."""
    values = row.values
    if values.get("area"):
        return True, None, values["area"]
    written = values.get("municipality")
    if not written:
        return False, None, ""
    found = places.find(written)
    heading = parsed.heading("municipality")
    if found is False:
        errors.append(
            ReportError(row.row, heading, str(M_NOT_OURS) % {"value": written}, written[:80])
        )
        return False, None, ""
    if isinstance(found, Municipality) and found.ended_on is not None:
        start = values.get("start_on")
        if start is not None and start >= found.ended_on:
            params = {"name": found.name, "date": found.ended_on.strftime("%d-%m-%Y")}
            errors.append(ReportError(row.row, heading, str(M_ENDED) % params, written[:80]))
            return False, None, ""
    return True, found or None, ""


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _written(plan: _Plan, key: str) -> str:
    """The row's value of ``key`` as the report shows it."""
    if key == "value":
        return shown_number(plan.value)
    if key == "trend_break":
        return "ja" if plan.trend_break else "nee"
    return _short(getattr(plan, key))


def _existing(
    region_id: int, plans: list[_Plan], *, lock: bool
) -> dict[tuple[str, PlaceKey, dt.date, dt.date], list[Observation]]:
    """The figures in Werkbrug with the indicator, place and period of a row (one query)."""
    found: dict[tuple[str, PlaceKey, dt.date, dt.date], list[Observation]] = defaultdict(list)
    if not plans:
        return found
    queryset = Observation.objects.filter(
        region_id=region_id,
        kpi__in={p.kpi for p in plans},
        start_on__in={p.start_on for p in plans},
    ).order_by("pk")
    if lock:
        queryset = queryset.select_for_update()
    for observation in queryset:
        place: PlaceKey = (
            ("gemeente", observation.municipality_id)
            if observation.municipality_id
            else ("gebied", lookup_key(observation.area))
        )
        found[(observation.kpi, place, observation.start_on, observation.end_on)].append(
            observation
        )
    return found


def _planner(
    update_existing: bool, *, lock: bool = False
) -> Callable[[access.Actor, imports.ParseResult, list[ReportError]], list[_Plan]]:
    def plan(
        actor: access.Actor, parsed: imports.ParseResult, errors: list[ReportError]
    ) -> list[_Plan]:
        region = Region.objects.get(pk=actor.region_id)
        places = _Places(region)
        plans: list[_Plan] = []
        for row in parsed.rows:
            found, municipality, area = _place(places, row, parsed, errors)
            if row.issues or not found:
                continue
            values = row.values
            plans.append(
                _Plan(
                    row=row,
                    kpi=values["kpi"],
                    municipality=municipality,
                    area=area,
                    start_on=values["start_on"],
                    end_on=values["end_on"],
                    value=values["value"],
                    source=values["source"],
                    trend_break=values.get("trend_break", False),
                    note=values.get("note", ""),
                )
            )
        by_row = {p.row.row: p for p in plans}
        same = imports.same_figures(
            (p.row for p in plans),
            lambda row: by_row[row.row].place,
            parsed.heading("kpi"),
        )
        errors += [issue_error(i) for i in same]
        twice = {i.row for i in same}
        plans = [p for p in plans if p.row.row not in twice]
        existing = _existing(region.pk, plans, lock=lock)
        for p in plans:
            stored = existing.get(p.key, [])
            if not stored:
                continue
            if any(not p.differs(o) for o in stored):
                p.outcome = UNCHANGED
                continue
            p.existing = stored[0]
            if update_existing:
                p.outcome = UPDATED
                continue
            differs = p.differs(stored[0])[0]
            params = {"old": shown_number(stored[0].value), "source": _short(stored[0].source)}
            errors.append(
                ReportError(
                    p.row.row,
                    parsed.heading(differs),
                    str(M_DIFFERENT) % params,
                    _written(p, differs),
                )
            )
        return plans

    return plan


def _outcome(plan: _Plan) -> RowOutcome:
    return RowOutcome(
        row=plan.row.row,
        outcome=plan.outcome,
        kpi=plan.kpi,
        where=plan.where,
        start_on=plan.start_on,
        end_on=plan.end_on,
        value=plan.value,
        previous=plan.existing.value if plan.outcome == UPDATED and plan.existing else None,
    )


def _read(
    actor: access.Actor,
    rows: imports.ParseResult,
    file_name: str,
    update_existing: bool,
    *,
    lock: bool = False,
) -> tuple[ImportReport, list[_Plan]]:
    access.require(actor, PERMISSION)
    report = ImportReport.of(rows, file_name)
    report.update_existing = update_existing
    plans = check_rows(actor, rows, report, _planner(update_existing, lock=lock), M_NO_REGION)
    report.outcomes = [] if report.errors else [_outcome(p) for p in plans]
    return report, plans


# --- Entry points -------------------------------------------------------------------------------


def check_observations(
    *,
    actor: access.Actor,
    rows: imports.ParseResult,
    file_name: str,
    update_existing: bool = False,
) -> ImportReport:
    """What importing the file would do (per row new, already present or updated), or its
    problems; saves nothing. ``rows``: the file as read by ``observation_imports.parse``."""
    report, _plans = _read(actor, rows, file_name, update_existing)
    return report


def _instance(plan: _Plan, region_id: int, source_file: str) -> Observation:
    if plan.existing is not None:
        observation = plan.existing
        observation.version += 1
    else:
        observation = Observation(
            region_id=region_id,
            kpi=plan.kpi,
            municipality=plan.municipality,
            area=plan.area,
            start_on=plan.start_on,
            end_on=plan.end_on,
        )
    observation.value = plan.value.quantize(CENT)  # as the database gives it back (audit)
    observation.source = plan.source
    observation.trend_break = plan.trend_break
    observation.note = plan.note
    observation.imported_from = source_file
    return observation


def import_observations(
    *,
    actor: access.Actor,
    rows: imports.ParseResult,
    file_name: str,
    update_existing: bool = False,
) -> ImportReport:
    """Check the file again and, when no row has a problem, save every new figure (and with
    ``update_existing`` every changed one) in one transaction. Otherwise nothing is saved and
    the report lists every problem. ``rows``: the file as read by
    ``observation_imports.parse``."""
    with transaction.atomic():
        # Read and write in one transaction, so a row checked is the row written.
        report, plans = _read(actor, rows, file_name, update_existing, lock=True)
        if not report.ok:
            return report
        source_file = file_name[:200]
        changes = [p for p in plans if p.outcome in (NEW, UPDATED)]
        instances = [(p, _instance(p, actor.region_id, source_file)) for p in changes]
        problems: list[ReportError] = []
        for plan, observation in instances:
            try:
                observation.full_clean(
                    exclude=["region", "municipality"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                problems += field_errors(error, plan.row.row, rows)
        if problems:
            transaction.set_rollback(True)
            report.errors, report.outcomes = problems, []
            return report
        for _plan, observation in instances:
            observation.save()
        if changes:
            region = Region.objects.get(pk=actor.region_id)
            audit.record_summary(
                region,
                note=(
                    f"Observation import {source_file}: {report.new} new, {report.updated} "
                    f"updated, {report.unchanged} already present"
                ),
            )
    report.committed = True
    return report


# --- The list -----------------------------------------------------------------------------------


def observation_list(actor: access.Actor, *, kpi: str = "") -> QuerySet[Observation]:
    """The region's figures from outside Werkbrug, latest period first; one indicator when
    ``kpi`` is given. (A read beside the import that fills it; ``selectors.observations``
    gives one KPI's for its page.)"""
    queryset = access.scoped(Observation, actor).select_related("municipality")
    if kpi:
        queryset = queryset.filter(kpi=kpi)
    return queryset.order_by("-start_on", "kpi", "municipality__name", "area", "pk")


# --- The example file ---------------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def _reference(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def example_rows() -> list[dict[str, Any]]:
    """Two figures as printed in the evaluations (the same the demo holds): Hilversum's
    outflow to regular work in Werktop (Tabel 6) and the national loonwaarde benchmark of the
    WerkBedrijf evaluation (§5.4.1)."""
    werktop = _reference("werktop_2014.json")["tabel_6_resultaten_werktop"]
    hilversum = next(r for r in werktop["rows"] if r["gemeente"] == "Hilversum")
    benchmark = _reference("werkbedrijf_2016_2020.json")["gemiddelde_loonwaarde_pct"][
        "national_benchmark"
    ]
    return [
        {
            "indicator": "K2",
            "gebied": "Hilversum (Werktop 2012-2014)",
            "van": dt.date(2012, 12, 1),
            "tot": dt.date(2014, 4, 1),
            "waarde": hilversum["uitstroom_regulier_werk"],
            "bron": werktop["_source"],
            "trendbreuk": False,
        },
        {
            "indicator": "L2",
            "gebied": "Nederland (Divosa-benchmark)",
            "jaar": 2019,
            "waarde": benchmark["values"]["2019"],
            "bron": benchmark["_source"],
            "trendbreuk": False,
        },
    ]


EXAMPLE_FORMATS = ("csv", "xlsx")


def example_file(*, actor: access.Actor, fmt: str = "csv") -> tuple[bytes, str, str]:
    """A file to fill in, in the import format (CSV with ``;`` in UTF-8 with BOM, or XLSX),
    with every column and two example rows."""
    access.require(actor, PERMISSION)
    if fmt not in EXAMPLE_FORMATS:
        raise ValueError(f"Unknown format {fmt!r}")
    columns = [
        Column(f.heading, lambda r, h=f.heading: r.get(h, ""), 14 if f.key != "source" else 60)
        for f in imports.FIELDS
    ]
    content, content_type, _name = export_rows(example_rows(), columns, fmt, basename="cijfers")
    return content, content_type, f"voorbeeld-cijfers.{fmt}"
