"""The benefit-data import (the database half; the file reading is the pure core in
``placements.benefit_imports``) and durability D2 that it feeds.

``check_benefits`` reads a file and says, without saving anything, what an import would do:
per row *new* or *unchanged* (imported before), or the problems (row, column, message, with a
BSN only masked). ``import_benefits`` does the same checks again against the current database
and, only when no row has a problem, saves every new event in one transaction: all or nothing.
Built like the caseload import (``candidates.io_services``), with the same report and page.

Who and what
------------
* Permission ``placements.import_benefits`` (client manager, team lead, functional
  administrator). Every municipality must be an active municipality of the importer's region;
  a client manager or team lead imports only for their own municipality, a functional
  administrator for all (as with the caseload import).
* Only the **BSN pseudonym** is stored (``core.bsn.bsn_pseudonym``, the function that gives
  candidates theirs), so an event links to a candidate's placements without the BSN itself.
* An event already imported (same municipality, pseudonym, kind and date: the model's unique
  constraint) is *unchanged*, not an error: the same export may be imported twice.
* ``BenefitEvent`` is not an audited model (it holds no readable personal data and arrives by
  the thousand); each import writes one summary entry in the change log of the region.

D2 (domain guide §8): :func:`no_return_share` — of the placements with a full outflow
(``outflow == "volledig"``) in a period, how many had no *herinstroom* within 12 months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access, audit
from werkbrug.core import imports as imports_base
from werkbrug.core.bsn import bsn_pseudonym
from werkbrug.core.imports import Municipalities, ReportError, check_rows
from werkbrug.core.pseudonymisation import mask_bsn
from werkbrug.core.roles import Role
from werkbrug.employers.io_services import Column, export_rows
from werkbrug.placements import benefit_imports as imports
from werkbrug.placements.durability import no_return_within
from werkbrug.placements.models import BenefitEvent, BenefitEventKind, Outflow, Placement
from werkbrug.regions.models import Municipality, Region

PERMISSION = "placements.import_benefits"
#: D2: no return to benefit within this many months after leaving it (domain guide §8).
D2_MONTHS = 12

M_NO_REGION = _("You are not linked to a region, so you cannot import benefit data.")
M_MUNICIPALITY_NOT_YOURS = _(
    "You may import benefit data of %(own)s only. A functional administrator imports for other "
    "municipalities."
)

NEW, UNCHANGED = "new", "unchanged"


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    row: int
    outcome: str  # NEW | UNCHANGED
    bsn_masked: str
    kind: str  # uitstroom | herinstroom
    on: dt.date
    municipality: str

    @property
    def kind_label(self) -> str:
        return str(BenefitEventKind(self.kind).label)


@dataclass
class ImportReport(imports_base.ImportReport):
    committed: bool = False  # True once the rows were saved
    outcomes: list[RowOutcome] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)


def may_import_everywhere(actor: access.Actor) -> bool:
    return actor.is_superuser or actor.has_role(Role.FUNCTIONAL_ADMIN)


# --- Planning: every row checked, nothing saved -------------------------------------------------


@dataclass
class _Plan:
    row: imports.ParsedRow
    outcome: str
    municipality: Municipality
    pseudonym: str
    kind: str
    on: dt.date

    @property
    def key(self) -> tuple[int, str, str, dt.date]:
        return (self.municipality.pk, self.pseudonym, self.kind, self.on)


def _imported(plans: Iterable[_Plan]) -> set[tuple[int, str, str, dt.date]]:
    """The keys of events of the file that were imported before (queries in chunks)."""
    plans = list(plans)
    pseudonyms = sorted({p.pseudonym for p in plans})
    municipalities = {p.municipality.pk for p in plans}
    found: set[tuple[int, str, str, dt.date]] = set()
    for start in range(0, len(pseudonyms), 500):
        queryset = BenefitEvent.objects.filter(
            municipality_id__in=municipalities, bsn_pseudonym__in=pseudonyms[start : start + 500]
        )
        found.update(queryset.values_list("municipality_id", "bsn_pseudonym", "kind", "on"))
    return found


def _plan(
    actor: access.Actor, parsed: imports.ParseResult, errors: list[ReportError]
) -> list[_Plan]:
    municipalities = Municipalities(Municipality.objects.filter(region_id=actor.region_id))
    everywhere = may_import_everywhere(actor)
    own = Municipality.objects.filter(pk=actor.municipality_id).first()
    plans: list[_Plan] = []
    for row in parsed.rows:
        values = row.values
        municipality = None
        if values.get("municipality"):
            municipality, message, params = municipalities.find(values["municipality"])
            mine = everywhere or (municipality and municipality.pk == actor.municipality_id)
            if message is None and not mine:
                message, params = M_MUNICIPALITY_NOT_YOURS, {"own": own.name if own else "—"}
                municipality = None
            if message is not None:
                errors.append(
                    ReportError(
                        row.row,
                        parsed.heading("municipality"),
                        str(message) % params,
                        values["municipality"][:80],
                    )
                )
        if row.issues or municipality is None:
            continue
        plans.append(
            _Plan(
                row=row,
                outcome=NEW,
                municipality=municipality,
                pseudonym=bsn_pseudonym(values["bsn"]),
                kind=values["kind"],
                on=values["on"],
            )
        )
    if not errors:
        imported = _imported(plans)
        for plan in plans:
            if plan.key in imported:
                plan.outcome = UNCHANGED
    return plans


def _outcome(plan: _Plan) -> RowOutcome:
    return RowOutcome(
        row=plan.row.row,
        outcome=plan.outcome,
        bsn_masked=mask_bsn(plan.row.values["bsn"]),
        kind=plan.kind,
        on=plan.on,
        municipality=plan.municipality.name,
    )


# --- Entry points -------------------------------------------------------------------------------


def _read(actor: access.Actor, content: bytes, filename: str) -> tuple[ImportReport, list[_Plan]]:
    access.require(actor, PERMISSION)
    parsed = imports.parse(content, filename, today=timezone.localdate())
    report = ImportReport.of(parsed, filename)
    plans = check_rows(actor, parsed, report, _plan, M_NO_REGION)
    report.outcomes = [] if report.errors else [_outcome(p) for p in plans]
    return report, plans


def check_benefits(*, actor: access.Actor, content: bytes, filename: str) -> ImportReport:
    """What importing the file would do (counts per outcome) or its problems; saves nothing."""
    report, _plans = _read(actor, content, filename)
    return report


def import_benefits(*, actor: access.Actor, content: bytes, filename: str) -> ImportReport:
    """Check the file again and, when no row has a problem, save every new event in one
    transaction. Otherwise nothing is saved and the report lists every problem."""
    with transaction.atomic():
        # Read and write in one transaction, so a row checked is the row written.
        report, plans = _read(actor, content, filename)
        if not report.ok:
            return report
        new = [p for p in plans if p.outcome == NEW]
        source = filename[:200]
        # An event a colleague imported since the check is skipped (it is there: unchanged).
        BenefitEvent.objects.bulk_create(
            [
                BenefitEvent(
                    municipality=p.municipality,
                    bsn_pseudonym=p.pseudonym,
                    kind=p.kind,
                    on=p.on,
                    source=source,
                )
                for p in new
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        if new:
            kinds: dict[str, int] = defaultdict(int)
            for plan in new:
                kinds[plan.kind] += 1
            region = Region.objects.get(pk=actor.region_id)
            audit.record_summary(
                region,
                note=(
                    f"Benefit data import {source}: {len(new)} new events "
                    f"({kinds[imports.OUTFLOW]} uitstroom, {kinds[imports.REENTRY]} herinstroom), "
                    f"{len(plans) - len(new)} unchanged"
                ),
            )
    report.committed = True
    return report


# --- The example file ---------------------------------------------------------------------------


def example_file(*, actor: access.Actor) -> tuple[bytes, str, str]:
    """A small CSV in the import format (``;``, UTF-8 with BOM), with a municipality of the
    actor's own region and test BSNs that pass the elfproef."""
    access.require(actor, PERMISSION)
    municipality = (
        Municipality.objects.filter(pk=actor.municipality_id, ended_on__isnull=True).first()
        or Municipality.objects.filter(region_id=actor.region_id, ended_on__isnull=True)
        .order_by("name")
        .first()
    )
    place = municipality.name if municipality else "Nijmegen"
    code = municipality.cbs_code if municipality and municipality.cbs_code else place
    rows = [
        {"bsn": "111222333", "soort": "uitstroom", "datum": "01-03-2024", "gemeente": place},
        {"bsn": "111222333", "soort": "herinstroom", "datum": "2024-11-18", "gemeente": place},
        {"bsn": "123456782", "soort": "uitstroom", "datum": "15-06-2024", "gemeente": code},
    ]
    columns = [Column(f.heading, lambda r, h=f.heading: r.get(h, "")) for f in imports.FIELDS]
    content, content_type, _name = export_rows(rows, columns, "csv")
    return content, content_type, "voorbeeld-uitkeringsgegevens.csv"


# --- D2: no return to benefit within 12 months --------------------------------------------------


@dataclass(frozen=True)
class NoReturnShare:
    """Of the placements with a full outflow in a period: how many had no *herinstroom* within
    12 months (D2), of those whose 12 months have passed or who returned already."""

    outflows: int  # placements with a full outflow in the period
    known: int  # ... of which the answer is known
    no_return: int  # ... of which no return to benefit within 12 months

    @property
    def share(self) -> float | None:
        return None if self.known == 0 else self.no_return / self.known


def no_return_share(
    actor: access.Actor, *, start_from: dt.date, start_to: dt.date, today: dt.date | None = None
) -> NoReturnShare:
    """D2 over the placements the actor may see whose benefit ended completely
    (``outflow == "volledig"``) with ``outflow_on`` in [start_from, start_to]. A return is a
    *herinstroom* of the candidate's BSN pseudonym after ``outflow_on``, in a municipality of
    the placement's region. Two queries, however many placements."""
    today = today or timezone.localdate()
    outflows = access.scoped(Placement, actor).filter(
        outflow=Outflow.FULL, outflow_on__gte=start_from, outflow_on__lte=start_to
    )
    rows = set(
        outflows.values_list("candidate_id", "candidate__bsn_pseudonym", "region_id", "outflow_on")
    )  # one outflow per person and day (a chain may record it twice)
    reentries: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    if rows:
        events = BenefitEvent.objects.filter(
            Q(bsn_pseudonym__in=outflows.values("candidate__bsn_pseudonym")),
            kind=BenefitEventKind.REENTRY,
            on__gt=start_from,
        )
        for pseudonym, region_id, on in events.values_list(
            "bsn_pseudonym", "municipality__region_id", "on"
        ):
            reentries[(pseudonym, region_id)].append(on)
    known = no_return = 0
    for _candidate, pseudonym, region_id, outflow_on in rows:
        answer = no_return_within(
            D2_MONTHS, outflow_on, reentries.get((pseudonym, region_id), []), today=today
        )
        if answer is not None:
            known += 1
            no_return += answer
    return NoReturnShare(outflows=len(rows), known=known, no_return=no_return)
