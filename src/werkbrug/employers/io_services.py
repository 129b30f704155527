"""Import and export of the employer register (the database half; the file reading is the pure
core in ``employers.imports``).

Import: ``import_employers`` checks *every* row first (the file itself, then municipality and
relationship manager in the actor's region, the register's duplicates, the model's own field
rules) and only when no row has a problem creates all employers and contact persons in one
transaction, through ``services.register_employer`` and ``services.save_contact_person``.
Either the whole file is imported or nothing; the report says why, per row and column.

Export: ``export_rows`` writes any list as CSV (UTF-8 with BOM, ``;``: what Dutch Excel opens
correctly) or XLSX (bold headings, column widths, real dates). A text that a spreadsheet would
run as a formula (it starts with ``=``, ``+``, ``-`` or ``@``) is never written as one: in CSV
it gets a leading ``'``, in XLSX it is a string cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access, audit
from werkbrug.core import imports as imports_base
from werkbrug.core.imports import (
    Municipalities,
    ReportError,
    check_rows,
    field_errors,
    lookup_key,
)
from werkbrug.core.imports import issue_text as issue_text  # the import page's tests use it
from werkbrug.core.roles import Role
from werkbrug.core.spreadsheets import spreadsheet_safe
from werkbrug.employers import imports, selectors, services
from werkbrug.employers.models import (
    ContactPerson,
    Employer,
    Source,
)
from werkbrug.regions import selectors as region_selectors
from werkbrug.regions.models import Staff

#: Who can be an employer's relationship manager (the same people the employer form offers).
RELATIONSHIP_ROLES = (Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD, Role.UWV_PARTNER)

M_NO_REGION = _("You are not linked to a region, so you cannot import employers.")
M_OWNER_UNKNOWN = _(
    "There is no active relationship manager “%(value)s” in your region. Use their username "
    "or full name."
)
M_OWNER_AMBIGUOUS = _("Several colleagues are called “%(value)s”. Use the username instead.")
M_ALREADY_REGISTERED = _(
    "Already registered as “%(name)s” (%(place)s, relationship manager %(owner)s)."
)
M_SAVE_FAILED = _(
    "This row could not be saved, possibly because a colleague registered the same employer "
    "just now. Check the register and import the file again."
)

# --- The import report --------------------------------------------------------------------------


@dataclass
class ImportReport(imports_base.ImportReport):
    created: int = 0
    contact_persons: int = 0
    created_uuids: list[Any] = field(default_factory=list)


# --- Look-ups in the actor's region -----------------------------------------------------------


def _municipalities(actor: access.Actor) -> Municipalities:
    queryset = region_selectors.municipalities(actor=actor).filter(region_id=actor.region_id)
    return Municipalities(queryset.prefetch_related(None))


class _RelationshipManagers:
    def __init__(self, actor: access.Actor) -> None:
        people = (
            region_selectors.staff_list(actor=actor)
            .filter(
                organisation__region_id=actor.region_id,
                active=True,
                user__role_grants__role__in=RELATIONSHIP_ROLES,
            )
            .select_related(None)
            .select_related("user", "organisation")
            .prefetch_related(None)
            .distinct()
        )
        self.by_username: dict[str, Staff] = {}
        self.by_name: dict[str, list[Staff]] = {}
        for person in people:
            self.by_username[lookup_key(person.user.get_username())] = person
            full_name = person.user.get_full_name()
            if full_name:
                self.by_name.setdefault(lookup_key(full_name), []).append(person)

    def find(self, text: str) -> tuple[Staff | None, Any]:
        key = lookup_key(text)
        if key in self.by_username:
            return self.by_username[key], None
        matches = self.by_name.get(key, [])
        if len(matches) == 1:
            return matches[0], None
        return None, (M_OWNER_AMBIGUOUS if matches else M_OWNER_UNKNOWN)


# --- Import -------------------------------------------------------------------------------------

_EMPLOYER_FIELDS = (
    "name",
    "kvk_number",
    "vestigingsnummer",
    "sbi_code",
    "street",
    "postcode",
    "city",
    "website",
    "size_class",
    "ambassador",
)
_CONTACT_FIELDS = {
    "name": "contact_name",
    "role": "contact_role",
    "phone": "contact_phone",
    "email": "contact_email",
}
_EMPLOYER_FKS = ["region", "municipality", "owner", "substitute", "brought_in_by", "merged_into"]


@dataclass
class _Planned:
    row: imports.ParsedRow
    employer: Employer
    contact: ContactPerson | None


class _Rollback(Exception):
    """Leaves the import transaction without saving anything."""


def import_employers(*, actor: access.Actor, content: bytes, filename: str) -> ImportReport:
    """Check a whole employer file and, when no row has a problem, register every employer (and
    its contact person) in one transaction. Otherwise nothing is saved and the report lists
    every problem."""
    access.require(actor, "employers.import")
    parsed = imports.parse(content, filename)
    report = ImportReport.of(parsed, filename)
    plans = check_rows(actor, parsed, report, _plan, M_NO_REGION)
    if not report.ok:
        return report

    try:
        with transaction.atomic():
            _save(actor, plans, parsed, report)
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = report.contact_persons = 0
        report.created_uuids = []
    return report


def _plan(
    actor: access.Actor, parsed: imports.ParseResult, errors: list[ReportError]
) -> list[_Planned]:
    """Resolve and check every row; collect problems in ``errors``; the unsaved records."""
    municipalities = _municipalities(actor)
    managers = _RelationshipManagers(actor)
    register = _RegisterKeys(actor.region_id)
    plans: list[_Planned] = []
    for row in parsed.rows:
        values = row.values
        municipality, owner = None, None
        if values.get("municipality"):
            municipality, message, params = municipalities.find(values["municipality"])
            if message is not None:
                errors.append(
                    ReportError(
                        row.row,
                        parsed.heading("municipality"),
                        str(message) % params,
                        values["municipality"][:80],
                    )
                )
        if values.get("owner"):
            owner, message = managers.find(values["owner"])
            if message is not None:
                errors.append(
                    ReportError(
                        row.row,
                        parsed.heading("owner"),
                        str(message) % {"value": values["owner"]},
                        values["owner"][:80],
                    )
                )
        if register.may_match(row.values):
            errors.extend(_register_duplicates(actor, row, parsed))
        if row.issues or municipality is None or owner is None:
            continue
        employer = Employer(
            region_id=actor.region_id,
            municipality=municipality,
            owner=owner,
            source=Source.IMPORT,
            # A column left out of the file: the model's default (not "", which a yes/no
            # field such as ambassador refuses).
            **{key: values[key] for key in _EMPLOYER_FIELDS if key in values},
        )
        contact = None
        if values.get("contact_name"):
            contact = ContactPerson(
                employer=employer,
                is_primary=True,
                **{name: values.get(key, "") for name, key in _CONTACT_FIELDS.items()},
            )
        # The model's own field rules (lengths, URL, choices), without database queries.
        try:
            employer.clean_fields(exclude=_EMPLOYER_FKS)
        except ValidationError as error:
            errors.extend(field_errors(error, row.row, parsed, {}))
            continue
        if contact is not None:
            try:
                contact.clean_fields(exclude=["employer", "user"])
            except ValidationError as error:
                errors.extend(field_errors(error, row.row, parsed, _CONTACT_FIELDS))
                continue
        plans.append(_Planned(row, employer, contact))
    return plans


class _RegisterKeys:
    """The KvK numbers and (name, postcode) pairs of the region's register, read in one query,
    so ``services.find_duplicates`` (the one duplicate rule) is asked only about rows that can
    match: a row whose KvK number and name-with-postcode are both unknown cannot."""

    def __init__(self, region_id: int | None) -> None:
        self.kvk: set[str] = set()
        self.names: set[tuple[str, str]] = set()
        rows = Employer.objects.filter(region_id=region_id, merged_into__isnull=True).values_list(
            "kvk_number", "name", "postcode"
        )
        for kvk, name, postcode in rows.iterator(chunk_size=5000):
            if kvk:
                self.kvk.add(kvk)
            if name and postcode:
                name = " ".join(name.split())
                self.names.update({(name.lower(), postcode), (name.upper(), postcode)})

    def may_match(self, values: dict[str, Any]) -> bool:
        kvk, name, postcode = values.get("kvk_number"), values.get("name"), values.get("postcode")
        if kvk and kvk in self.kvk:
            return True
        return bool(name and postcode) and (
            (name.lower(), postcode) in self.names or (name.upper(), postcode) in self.names
        )


def _register_duplicates(
    actor: access.Actor, row: imports.ParsedRow, parsed: imports.ParseResult
) -> list[ReportError]:
    values = row.values
    kvk, name, postcode = values.get("kvk_number"), values.get("name"), values.get("postcode")
    if not kvk and not (name and postcode):
        return []
    matches = list(
        services.find_duplicates(
            region_id=actor.region_id,
            kvk_number=kvk or "",
            vestigingsnummer=values.get("vestigingsnummer") or "",
            name=name or "",
            postcode=postcode or "",
        )[:10]
    )
    if not matches:
        return []
    same_kvk = [m for m in matches if kvk and m.kvk_number == kvk]
    match = (same_kvk or matches)[0]
    by_kvk = bool(same_kvk)
    column = parsed.heading("kvk_number" if by_kvk else "name")
    text = str(M_ALREADY_REGISTERED) % {
        "name": match.name,
        "place": match.city or match.municipality.name,
        "owner": match.owner,
    }
    return [ReportError(row.row, column, text, (kvk if by_kvk else name or "")[:80])]


def _save(
    actor: access.Actor, plans: list[_Planned], parsed: imports.ParseResult, report: ImportReport
) -> None:
    """Register every planned employer and contact person. The rows were checked, so a problem
    here comes from a change made meanwhile; it is reported and the caller rolls back."""
    for plan in plans:
        try:
            employer = services.register_employer(
                actor=actor, employer=plan.employer, duplicates_checked=True
            )
        except ValidationError as error:
            report.errors += field_errors(error, plan.row.row, parsed, {})
            continue
        except IntegrityError:
            report.errors.append(ReportError(plan.row.row, "", str(M_SAVE_FAILED)))
            continue
        if plan.contact is not None:
            plan.contact.employer = employer
            try:
                services.save_contact_person(actor=actor, person=plan.contact, via_import=True)
            except ValidationError as error:
                report.errors += field_errors(error, plan.row.row, parsed, _CONTACT_FIELDS)
                continue
            report.contact_persons += 1
        report.created += 1
        report.created_uuids.append(employer.uuid)


# --- Export ---------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[Any], Any]
    width: int = 16  # in characters (XLSX)


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")  # Dutch Excel reads a decimal comma
    return spreadsheet_safe(str(value))


def _write_csv(rows: Iterable[Any], columns: Sequence[Column]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(c.heading) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(c.value(row)) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _write_xlsx(rows: Iterable[Any], columns: Sequence[Column], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Export")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            column.width, len(column.heading) + 2
        )
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any) -> Any:
        if isinstance(value, bool):
            value = "ja" if value else "nee"
        elif isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, dt.datetime):
            result = WriteOnlyCell(sheet, value=_local(value))
            result.number_format = "DD-MM-YYYY HH:MM"
            return result
        elif isinstance(value, dt.date):
            result = WriteOnlyCell(sheet, value=value)
            result.number_format = "DD-MM-YYYY"
            return result
        elif value is not None and not isinstance(value, int | float):
            value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        result = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            result.data_type = "s"  # text, never a formula (even when it starts with '=')
        return result

    header = []
    for column in columns:
        heading = cell(column.heading)
        heading.font = bold
        header.append(heading)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([cell(c.value(row)) for c in columns])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_rows(
    rows: Iterable[Any],
    columns: Sequence[Column],
    fmt: str,
    *,
    basename: str = "export",
    today: dt.date | None = None,
) -> tuple[bytes, str, str]:
    """Any list as a download: (content, content type, file name). ``fmt``: csv or xlsx."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {fmt!r}")
    today = today or timezone.localdate()
    filename = f"{basename}-{today:%Y%m%d}.{fmt}"
    if fmt == "csv":
        content = _write_csv(rows, columns)
    else:
        content = _write_xlsx(rows, columns, basename.capitalize())
    return content, CONTENT_TYPES[fmt], filename


def _primary_contact(employer: Employer) -> ContactPerson | None:
    contacts = getattr(employer, "export_contacts", None)
    return contacts[0] if contacts else None


def _contact_value(attribute: str) -> Callable[[Employer], str]:
    def value(employer: Employer) -> str:
        person = _primary_contact(employer)
        return getattr(person, attribute) if person is not None else ""

    return value


def _staff_name(staff: Staff | None) -> str:
    return str(staff) if staff is not None else ""


#: The employer list; the first columns are the import format, so an export can be imported.
EMPLOYER_COLUMNS: tuple[Column, ...] = (
    Column("Naam", lambda e: e.name, 36),
    Column("KvK-nummer", lambda e: e.kvk_number, 12),
    Column("Vestigingsnummer", lambda e: e.vestigingsnummer, 16),
    Column("SBI", lambda e: e.sbi_code, 8),
    Column("Straat", lambda e: e.street, 28),
    Column("Postcode", lambda e: e.postcode, 10),
    Column("Plaats", lambda e: e.city, 18),
    Column("Gemeente", lambda e: e.municipality.name, 18),
    Column("Relatiemanager", lambda e: _staff_name(e.owner), 22),
    Column("Website", lambda e: e.website, 28),
    # With an en dash: Excel would turn "1-9" in a CSV file into the date 1 September.
    Column("Grootte", lambda e: e.size_class.replace("-", "–"), 10),
    Column("Ambassadeur", lambda e: e.ambassador, 12),
    Column("Contactpersoon", _contact_value("name"), 22),
    Column("Functie", _contact_value("role"), 18),
    Column("Telefoon", _contact_value("phone"), 14),
    Column("E-mail", _contact_value("email"), 28),
    Column("Vervanger", lambda e: _staff_name(e.substitute), 22),
    Column("Fase", lambda e: e.get_phase_display(), 16),
    Column("Eerste contact", lambda e: e.first_contact_on, 14),
    Column("Laatste contact", lambda e: e.last_contact_on, 14),
    Column("Laatste bezoek", lambda e: e.last_visit_on, 14),
)


def export_employers(
    *, actor: access.Actor, flt: selectors.EmployerFilter | None = None, fmt: str = "csv"
) -> tuple[bytes, str, str]:
    """The employer list with the list page's filters. The exported contact persons (personal
    data) are written to the access log."""
    access.require(actor, "employers.view")
    contacts = (
        access.scoped(ContactPerson, actor).filter(active=True).order_by("-is_primary", "name")
    )
    queryset = selectors.employers(actor=actor, flt=flt).prefetch_related(
        Prefetch("contact_persons", queryset=contacts, to_attr="export_contacts")
    )
    employers = list(queryset)
    for employer in employers:
        person = _primary_contact(employer)
        if person is not None:
            audit.log_access(person, purpose="employer list export", action="export")
    return export_rows(employers, EMPLOYER_COLUMNS, fmt, basename="werkgevers")


OPPORTUNITY_COLUMNS: tuple[Column, ...] = (
    Column("Werkkans", lambda o: o.title, 36),
    Column("Werkgever", lambda o: o.employer.name, 30),
    Column("Gemeente", lambda o: o.employer.municipality.name, 18),
    Column("Soort", lambda o: o.get_kind_display(), 22),
    Column("Status", lambda o: o.get_status_display(), 18),
    Column("Latent", lambda o: o.latent, 8),
    Column("Plaatsen", lambda o: o.places, 9),
    Column("Uren van", lambda o: o.hours_min, 9),
    Column("Uren tot", lambda o: o.hours_max, 9),
    Column("Werktijden", lambda o: o.schedule, 20),
    Column("Locatie", lambda o: o.location, 20),
    Column("Startdatum", lambda o: o.start_date, 12),
    Column("Geopend op", lambda o: o.opened_on, 12),
    Column("Ingevuld op", lambda o: o.filled_on, 12),
    Column("Gesloten op", lambda o: o.closed_on, 12),
    Column("Taken", lambda o: "; ".join(str(t) for t in o.tasks or []), 48),
    Column("Beroepscode", lambda o: o.occupation_code, 12),
    Column("Relatiemanager", lambda o: _staff_name(o.employer.owner), 22),
)


def export_opportunities(
    *, actor: access.Actor, fmt: str = "csv", **filters: Any
) -> tuple[bytes, str, str]:
    """The work-opportunity list with the list page's filters (see selectors.opportunities)."""
    access.require(actor, "employers.view")
    queryset = selectors.opportunities(actor=actor, **filters)
    return export_rows(
        queryset.iterator(chunk_size=2000), OPPORTUNITY_COLUMNS, fmt, basename="werkkansen"
    )


# --- The example file ---------------------------------------------------------------------------


def example_file(*, actor: access.Actor) -> tuple[bytes, str, str]:
    """A small CSV in the import format, filled in with a municipality and a relationship
    manager of the actor's own region, so it imports as it is."""
    access.require(actor, "employers.import")
    municipality = (
        region_selectors.municipalities(actor=actor, include_ended=False)
        .filter(region_id=actor.region_id)
        .prefetch_related(None)
        .first()
    )
    managers = _RelationshipManagers(actor) if actor.region_id else None
    username = "gebruikersnaam"
    if managers is not None and managers.by_username:
        username = (
            actor.username
            if lookup_key(actor.username) in managers.by_username
            else next(iter(managers.by_username.values())).user.get_username()
        )
    place = municipality.name if municipality else "Nijmegen"
    rows = [
        {
            "Naam": "Bakkerij De Korenschoof",
            "KvK-nummer": "12345678",
            "Vestigingsnummer": "000012345678",
            "SBI": "10.71",
            "Straat": "Molenstraat 12",
            "Postcode": "6511 AB",
            "Plaats": place,
            "Gemeente": place,
            "Relatiemanager": username,
            "Website": "www.korenschoof.example",
            "Grootte": "10-49",
            "Ambassadeur": "ja",
            "Contactpersoon": "Fatima el Amrani",
            "Functie": "Bedrijfsleider",
            "Telefoon": "06 12345678",
            "E-mail": "fatima@korenschoof.example",
        },
        {
            "Naam": "Installatiebedrijf Van den Berg",
            "KvK-nummer": "",
            "Vestigingsnummer": "",
            "SBI": "43.22",
            "Straat": "Industrieweg 3",
            "Postcode": "6541 TK",
            "Plaats": place,
            "Gemeente": municipality.cbs_code if municipality and municipality.cbs_code else place,
            "Relatiemanager": username,
            "Website": "",
            "Grootte": "7",
            "Ambassadeur": "nee",
            "Contactpersoon": "",
            "Functie": "",
            "Telefoon": "",
            "E-mail": "",
        },
    ]
    columns = [Column(f.heading, lambda r, h=f.heading: r[h]) for f in imports.FIELDS]
    content, content_type, _filename = export_rows(rows, columns, "csv")
    return content, content_type, "voorbeeld-werkgevers.csv"
