"""The caseload import (the database half; the file reading is the pure core in
``candidates.imports``).

``check_caseload`` reads a file and says, without saving anything, what an import would do:
per row *new*, *updated* or *unchanged*, or the problems (row, column, message, with a BSN
only masked). ``import_caseload`` does the same checks again against the current database and,
only when no row has a problem, writes every row in one transaction: all or nothing.

Who and what
------------
* Permission ``candidates.import`` (team lead, functional administrator). Every municipality
  must be an active municipality of the importer's region; a team lead imports only for their
  own municipality (and only updates candidates of it), a functional administrator for all.
* A person is recognised **by the BSN pseudonym** (``core.bsn``) within the region: an existing
  candidate is updated with the columns filled in (empty cells never erase anything), anyone
  else is registered.
* Why not ``services.register_candidate`` / ``update_candidate``: those require
  ``candidates.create`` / ``candidates.edit``, which a functional administrator does not hold,
  and the import must not depend on who uploads it. So the writes are here, with the same
  checks: region and municipality, ``protect_bsn``, the normalisers of ``core.validators``
  (applied by the parser), the model's own ``clean_fields``/``clean`` (one source of truth for
  lengths and code lists), the benefit-duration band and the ladder-step history
  (``LadderStepChange``) the services keep. Changes are audited by ``AuditedModel``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates import imports
from werkbrug.candidates.models import Candidate, LadderStepChange, benefit_duration_band
from werkbrug.core import access
from werkbrug.core import imports as imports_base
from werkbrug.core.bsn import bsn_pseudonym, protect_bsn
from werkbrug.core.concurrency import lock_current
from werkbrug.core.imports import (
    Municipalities,
    ReportError,
    check_rows,
    field_errors,
    lookup_key,
)
from werkbrug.core.pseudonymisation import mask_bsn
from werkbrug.core.roles import Role
from werkbrug.employers.io_services import Column, export_rows
from werkbrug.regions.models import Municipality, Staff

M_NO_REGION = _("You are not linked to a region, so you cannot import candidates.")
M_MUNICIPALITY_NOT_YOURS = _(
    "You may import candidates of %(own)s only. A functional administrator imports for other "
    "municipalities."
)
M_EXISTING_NOT_YOURS = _(
    "This person is already registered with the municipality %(name)s; you may not change "
    "that record."
)
M_NEEDED_FOR_NEW = _("Fill in this column: this person is not registered yet.")
M_COLUMN_NEEDED_FOR_NEW = _(
    "This person is not registered yet. Add the column “%(heading)s” and fill it in."
)
M_CLIENT_MANAGER_UNKNOWN = _(
    "There is no active client manager “%(value)s” in your region. Use their username or "
    "e-mail address."
)
M_CLIENT_MANAGER_ELSEWHERE = _("%(name)s is a client manager of %(municipality)s, not of %(here)s.")
M_SAVE_FAILED = _(
    "This row could not be saved, possibly because a colleague registered the same person just "
    "now. Check the file and import it again."
)

#: Fields of the record the file may fill in (the rest of the file's columns are look-ups).
RECORD_KEYS = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "benefit_type",
    "benefit_start",
    "ladder_step",
    "segment",
    "education_level",
)
NEEDED_FOR_NEW = ("first_name", "last_name", "birth_date", "municipality")
#: Model fields not checked per row with clean_fields (relations are resolved above, the BSN
#: fields are filled by protect_bsn).
_NOT_CLEANED = [
    "region",
    "municipality",
    "user",
    "client_manager",
    "consultant",
    "bsn_pseudonym",
    "bsn_encrypted",
]

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    row: int
    outcome: str  # NEW | UPDATED | UNCHANGED
    bsn_masked: str
    name: str
    changed: tuple[str, ...] = ()  # headings of the columns that change


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
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)


# --- Look-ups in the actor's region -------------------------------------------------------------


def may_import_everywhere(actor: access.Actor) -> bool:
    return actor.is_superuser or actor.has_role(Role.FUNCTIONAL_ADMIN)


class _ClientManagers:
    """Active client managers of the region, by username and by e-mail address."""

    def __init__(self, actor: access.Actor) -> None:
        people = (
            Staff.objects.filter(
                organisation__region_id=actor.region_id,
                active=True,
                user__is_active=True,
                user__role_grants__role=Role.CLIENT_MANAGER,
            )
            .select_related("user", "municipality")
            .distinct()
        )
        self.by_key: dict[str, Staff] = {}
        for person in people:
            self.by_key[lookup_key(person.user.get_username())] = person
            if person.user.email:
                self.by_key.setdefault(lookup_key(person.user.email), person)

    def find(self, text: str) -> Staff | None:
        return self.by_key.get(lookup_key(text))


# --- Planning: every row checked, nothing saved -------------------------------------------------


@dataclass
class _Plan:
    row: imports.ParsedRow
    outcome: str
    candidate: Candidate  # unsaved changes (new: unsaved record)
    protected: Any = None  # ProtectedBSN for a new candidate
    changed: tuple[str, ...] = ()
    ladder_changed: bool = False


def _existing(region_id: int, rows: Iterable[imports.ParsedRow]) -> dict[str, Candidate]:
    """The region's candidates with a BSN of the file, by pseudonym (queries in chunks)."""
    pseudonyms = [bsn_pseudonym(r.values["bsn"]) for r in rows if r.values.get("bsn")]
    found: dict[str, Candidate] = {}
    for start in range(0, len(pseudonyms), 500):
        chunk = pseudonyms[start : start + 500]
        queryset = Candidate.objects.filter(region_id=region_id, bsn_pseudonym__in=chunk)
        for candidate in queryset.select_related("municipality"):
            found[candidate.bsn_pseudonym] = candidate
    return found


def _plan(
    actor: access.Actor, parsed: imports.ParseResult, errors: list[ReportError]
) -> list[_Plan]:
    municipalities = Municipalities(Municipality.objects.filter(region_id=actor.region_id))
    managers = _ClientManagers(actor) if "client_manager" in parsed.columns else None
    existing = _existing(actor.region_id or 0, parsed.rows)
    everywhere = may_import_everywhere(actor)
    own = Municipality.objects.filter(pk=actor.municipality_id).first()
    today = timezone.localdate()
    plans: list[_Plan] = []
    for row in parsed.rows:
        values = row.values
        problems: list[ReportError] = []

        def problem(
            key: str,
            message: str,
            value: str = "",
            row: int = row.row,
            problems: list[ReportError] = problems,
        ) -> None:
            problems.append(ReportError(row, parsed.heading(key), message, value[:80]))

        municipality = None
        if values.get("municipality"):
            municipality, message, params = municipalities.find(values["municipality"])
            if message is not None:
                problem("municipality", str(message) % params, values["municipality"])
            elif not everywhere and municipality.pk != actor.municipality_id:
                problem(
                    "municipality",
                    str(M_MUNICIPALITY_NOT_YOURS) % {"own": own.name if own else "—"},
                    values["municipality"],
                )
        current = existing.get(bsn_pseudonym(values["bsn"])) if values.get("bsn") else None
        if (
            current is not None
            and not everywhere
            and current.municipality_id != actor.municipality_id
        ):
            problem(
                "bsn",
                str(M_EXISTING_NOT_YOURS) % {"name": current.municipality.name},
                mask_bsn(values["bsn"]),
            )
        target_municipality = municipality or (current.municipality if current else None)
        client_manager = None
        if managers is not None and values.get("client_manager"):
            client_manager = managers.find(values["client_manager"])
            if client_manager is None:
                problem(
                    "client_manager",
                    str(M_CLIENT_MANAGER_UNKNOWN) % {"value": values["client_manager"]},
                    values["client_manager"],
                )
            elif (
                target_municipality is not None
                and client_manager.municipality_id != target_municipality.pk
            ):
                problem(
                    "client_manager",
                    str(M_CLIENT_MANAGER_ELSEWHERE)
                    % {
                        "name": client_manager.user.get_full_name() or client_manager.user,
                        "municipality": client_manager.municipality.name,
                        "here": target_municipality.name,
                    },
                    values["client_manager"],
                )
        if current is None and values.get("bsn"):
            for key in NEEDED_FOR_NEW:
                if key in values:
                    continue
                if row.issues and any(i.column == parsed.columns.get(key) for i in row.issues):
                    continue  # the parser already said what is wrong with this cell
                if key in parsed.columns:
                    problem(key, str(M_NEEDED_FOR_NEW))
                else:
                    problems.append(
                        ReportError(
                            row.row,
                            "",
                            str(M_COLUMN_NEEDED_FOR_NEW)
                            % {"heading": imports.FIELDS_BY_KEY[key].heading},
                        )
                    )
        errors.extend(problems)
        if row.issues or problems:
            # Check the row's other cells against the model too, so that one upload reports
            # every problem of the row instead of one round at a time.
            errors.extend(_model_problems(values, row.row, parsed, skip=problems))
            continue

        data = {key: values[key] for key in RECORD_KEYS if key in values}
        if client_manager is not None:
            data["client_manager"] = client_manager
        if municipality is not None:
            data["municipality"] = municipality
        if data.get("benefit_start"):
            data["benefit_duration"] = benefit_duration_band(data["benefit_start"], today)
        if current is None:
            candidate = Candidate(region_id=actor.region_id)
            changed = tuple(data)
            outcome = NEW
        else:
            candidate = current
            changed = tuple(k for k, v in data.items() if _stored(candidate, k) != _stored_value(v))
            outcome = UPDATED if changed else UNCHANGED
        ladder_changed = "ladder_step" in changed
        for key in changed:
            setattr(candidate, key, data[key])
        try:
            candidate.clean_fields(exclude=_NOT_CLEANED)
            candidate.clean()
        except ValidationError as error:
            errors.extend(field_errors(error, row.row, parsed))
            continue
        plans.append(
            _Plan(
                row=row,
                outcome=outcome,
                candidate=candidate,
                protected=protect_bsn(values["bsn"]) if current is None else None,
                changed=changed,
                ladder_changed=ladder_changed,
            )
        )
    return plans


def _model_problems(
    values: dict[str, Any], row: int, parsed: Any, *, skip: list[ReportError]
) -> list[ReportError]:
    """The model's checks on the record fields of ``values`` alone (cells given and read)."""
    probe = Candidate()
    given = {key for key in RECORD_KEYS if key in values}
    for key in given:
        setattr(probe, key, values[key])
    others = [f.name for f in Candidate._meta.fields if f.name not in given]
    try:
        probe.clean_fields(exclude=[*_NOT_CLEANED, *others])
    except ValidationError as error:
        reported = {(e.column, e.message) for e in skip}
        found = field_errors(error, row, parsed)
        return [e for e in found if (e.column, e.message) not in reported]
    return []


def _stored(candidate: Candidate, key: str) -> Any:
    if key in ("municipality", "client_manager"):
        return getattr(candidate, f"{key}_id")
    return getattr(candidate, key)


def _stored_value(value: Any) -> Any:
    return value.pk if isinstance(value, Municipality | Staff) else value


def _outcome(plan: _Plan, parsed: imports.ParseResult) -> RowOutcome:
    headings = tuple(
        parsed.heading(key) if key in imports.FIELDS_BY_KEY else key for key in plan.changed
    )
    return RowOutcome(
        row=plan.row.row,
        outcome=plan.outcome,
        bsn_masked=mask_bsn(plan.row.values["bsn"]),
        name=plan.candidate.full_name,
        changed=headings if plan.outcome == UPDATED else (),
    )


# --- Entry points -------------------------------------------------------------------------------


class _Rollback(Exception):
    """Leaves the import transaction without saving anything."""


def _read(
    actor: access.Actor, content: bytes, filename: str
) -> tuple[ImportReport, imports.ParseResult, list[_Plan]]:
    access.require(actor, "candidates.import")
    parsed = imports.parse(content, filename)
    report = ImportReport.of(parsed, filename)
    plans = check_rows(actor, parsed, report, _plan, M_NO_REGION)
    report.outcomes = [] if report.errors else [_outcome(p, parsed) for p in plans]
    return report, parsed, plans


def check_caseload(*, actor: access.Actor, content: bytes, filename: str) -> ImportReport:
    """What importing the file would do (counts per outcome) or its problems; saves nothing."""
    report, _parsed, _plans = _read(actor, content, filename)
    return report


def import_caseload(*, actor: access.Actor, content: bytes, filename: str) -> ImportReport:
    """Check the file again and, when no row has a problem, save every row in one transaction.
    Otherwise nothing is saved and the report lists every problem."""
    with transaction.atomic():
        # Read and write in one transaction, so a row checked is the row written.
        report, parsed, plans = _read(actor, content, filename)
        if not report.ok:
            return report
        try:
            with transaction.atomic():
                _save(actor, plans, parsed, report)
                if report.errors:
                    raise _Rollback
        except _Rollback:
            report.outcomes = []
            return report
    report.committed = True
    return report


def _save(
    actor: access.Actor, plans: list[_Plan], parsed: imports.ParseResult, report: ImportReport
) -> None:
    today = timezone.localdate()
    note = gettext("Caseload import %(file)s") % {"file": report.filename[:200]}
    for plan in plans:
        if plan.outcome == UNCHANGED:
            continue
        candidate = plan.candidate
        try:
            if plan.outcome == NEW:
                candidate.bsn_pseudonym = plan.protected.pseudonym
                candidate.bsn_encrypted = plan.protected.encrypted
                with transaction.atomic():
                    candidate.save()
            else:
                current = lock_current(candidate, candidate.version)
                current.save()
        except IntegrityError:
            report.errors.append(ReportError(plan.row.row, "", str(M_SAVE_FAILED)))
            continue
        except ValidationError as error:  # stale: changed by someone since it was read
            report.errors += field_errors(error, plan.row.row, parsed)
            continue
        if plan.ladder_changed and candidate.ladder_step:
            LadderStepChange.objects.create(
                candidate=candidate,
                step=candidate.ladder_step,
                assessed_on=today,
                recorded_by_id=actor.staff_id,
                note=note[:300],
            )


# --- The example file ---------------------------------------------------------------------------


def example_file(*, actor: access.Actor) -> tuple[bytes, str, str]:
    """A small CSV in the import format (``;``, UTF-8 with BOM), with a municipality and
    client manager of the actor's own region and test BSNs that pass the elfproef."""
    access.require(actor, "candidates.import")
    municipality = (
        Municipality.objects.filter(pk=actor.municipality_id, ended_on__isnull=True).first()
        or Municipality.objects.filter(region_id=actor.region_id, ended_on__isnull=True)
        .order_by("name")
        .first()
    )
    manager = (
        Staff.objects.filter(
            Q(municipality=municipality) if municipality else Q(pk__in=[]),
            active=True,
            user__role_grants__role=Role.CLIENT_MANAGER,
        )
        .select_related("user")
        .first()
    )
    place = municipality.name if municipality else "Nijmegen"
    code = municipality.cbs_code if municipality and municipality.cbs_code else place
    rows = [
        {
            "bsn": "111222333",
            "voornaam": "Fatima",
            "achternaam": "el Amrani",
            "geboortedatum": "14-03-1988",
            "gemeente": place,
            "e-mail": "fatima@example.nl",
            "telefoon": "06 12345678",
            "straat": "Molenstraat 12",
            "postcode": "6511 AB",
            "woonplaats": place,
            "uitkering": "pw_bijstand",
            "uitkering_sinds": "01-09-2022",
            "trede": "3",
            "segment": "ontwikkelklant",
            "opleiding": "3",
            "klantmanager": manager.user.get_username() if manager else "",
        },
        {
            "bsn": "123456782",
            "voornaam": "Jan",
            "achternaam": "de Vries",
            "geboortedatum": "1975-11-02",
            "gemeente": code,
            "uitkering": "pw_bijstand",
            "trede": "4",
        },
    ]
    columns = [Column(f.heading, lambda r, h=f.heading: r.get(h, "")) for f in imports.FIELDS]
    content, content_type, _name = export_rows(rows, columns, "csv")
    return content, content_type, "voorbeeld-kandidaten.csv"
