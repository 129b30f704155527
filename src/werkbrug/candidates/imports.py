"""Reading a caseload file exported from the municipal benefits system (CSV or XLSX).

The **pure parsing core** of the caseload import: bytes in, normalised rows and a list of
problems out. No Django: the file layer is ``core.tabular`` (shared with the employer import),
values are checked with the pure ``normalize_*`` functions of ``core.validators``. What needs
the database (municipality, client manager, the candidate already registered, the model's own
field rules) is checked in ``candidates.io_services``.

Rules
-----
* Headings are matched case-insensitively, ignoring spaces, hyphens, underscores, accents and
  a parenthesised note; see :data:`FIELDS` (the documented headings are ``bsn``, ``voornaam``,
  ``achternaam``, ``geboortedatum``, ``gemeente`` ... as on the import page).
* Only ``bsn`` is required in every row: a row for someone already registered updates only the
  columns that are filled in. A new candidate also needs name, date of birth and municipality
  (``io_services`` says so per column).
* The BSN must pass the elfproef; the same BSN twice in one file is a problem of the later
  row. A BSN is never repeated in full in a problem: only masked (``******123``).
* Dates: ``dd-mm-jjjj`` (also with ``/`` or ``.``) or ISO ``jjjj-mm-dd``; a date cell of an
  Excel sheet is read as the date it shows.
* Numbers (trede, opleiding) are whole numbers; which numbers exist is the model's rule.
* A value that looks like a formula (``=``, ``+``, ``-``, ``@``) is kept as text, never run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from werkbrug.core.pseudonymisation import mask_bsn
from werkbrug.core.tabular import (
    M_DUPLICATE_COLUMN,
    M_EXTRA_CELLS,
    M_FILE_EMPTY,
    M_MISSING_COLUMN,
    M_NOT_READABLE,
    M_REQUIRED,
    M_TOO_LONG,
    MAX_BLANK_ROWS,
    MAX_BYTES,
    Cell,
    Field,
    Issue,
    TableFile,
    gettext_noop,
    normal_heading,
    read_records,
)
from werkbrug.core.tabular import make_field as _field
from werkbrug.core.validators import MESSAGES as VALIDATOR_MESSAGES
from werkbrug.core.validators import (
    normalize_bsn,
    normalize_email,
    normalize_phone,
    normalize_postcode,
)

__all__ = ["FIELDS", "MAX_BYTES", "MAX_ROWS", "ParseResult", "ParsedRow", "parse"]

#: Most candidates (non-blank rows below the headings) in one file.
MAX_ROWS = 20_000
#: Oldest date of birth accepted.
EARLIEST_BIRTH = date(1900, 1, 1)

M_TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(limit)s rows. Split it into files of at most %(limit)s candidates."
)
M_NO_HEADINGS = gettext_noop(
    "No known column headings were found in row %(row)s. Separate the columns with a "
    "semicolon (;), comma or tab and use headings such as bsn, voornaam, achternaam and "
    "gemeente."
)
M_NO_ROWS = gettext_noop("The file has column headings but no candidates below them.")
M_DATE = gettext_noop("This is not a date. Write it as dd-mm-jjjj (such as 31-01-1990).")
M_BIRTH_RANGE = gettext_noop("A date of birth lies in the past, after 1900.")
M_FUTURE = gettext_noop("This date lies in the future.")
M_NUMBER = gettext_noop("Write a whole number.")
M_SAME_BSN = gettext_noop(
    "The same BSN as row %(other)s. Each person may appear only once in the file."
)

FIELDS: tuple[Field, ...] = (
    _field(
        "bsn", "bsn",
        "bsn burgerservicenummer bsnnummer bsnnr sofinummer citizenservicenumber",
        required=True,
        description=gettext_noop(
            "Burgerservicenummer, 9 digits (elfproef). Used to recognise someone already "
            "registered; stored only encrypted."
        ),
    ),
    _field(
        "first_name", "voornaam", "voornaam voornamen roepnaam firstname givenname",
        max_length=100, description=gettext_noop("Required for a new candidate."),
    ),
    _field(
        "last_name", "achternaam",
        "achternaam familienaam geslachtsnaam lastname surname familyname",
        max_length=150,
        description=gettext_noop("Required for a new candidate; with any prefix (van, de)."),
    ),
    _field(
        "birth_date", "geboortedatum", "geboortedatum geboren birthdate dateofbirth",
        description=gettext_noop("dd-mm-jjjj or jjjj-mm-dd. Required for a new candidate."),
    ),
    _field(
        "municipality", "gemeente",
        "gemeente woongemeente gemeentenaam gemeentecode cbscode municipality",
        description=gettext_noop(
            "A municipality of your region: its name or CBS code (GM0268). Required for a "
            "new candidate."
        ),
    ),
    _field(
        "email", "e-mail", "email emailadres mail emailaddress", max_length=254,
        description=gettext_noop("E-mail address."),
    ),
    _field(
        "phone", "telefoon",
        "telefoon telefoonnummer telefoonnr tel telnr mobiel mobielnummer phone phonenumber",
        description=gettext_noop("A Dutch phone number."),
    ),
    _field(
        "street", "straat", "straat adres straatenhuisnummer straathuisnummer street address",
        max_length=200, description=gettext_noop("Street and house number."),
    ),
    _field(
        "postcode", "postcode", "postcode postalcode zipcode zip",
        description=gettext_noop("Such as 6511 AB."),
    ),
    _field("city", "woonplaats", "woonplaats plaats city place town", max_length=100),
    _field(
        "benefit_type", "uitkering", "uitkering uitkeringssoort soortuitkering regime benefit",
        description=gettext_noop(
            "pw_bijstand, niet_uitkeringsgerechtigd, wsw, wmo_ad or uwv_uitkering."
        ),
    ),
    _field(
        "benefit_start", "uitkering_sinds",
        "uitkeringsinds uitkeringvanaf ingangsdatumuitkering startuitkering benefitstart "
        "benefitsince",
        description=gettext_noop("The date the benefit started (dd-mm-jjjj)."),
    ),
    _field(
        "ladder_step", "trede",
        "trede participatieladder laddertrede ladder participatietrede ladderstep step",
        description=gettext_noop("Step on the participation ladder, 1 to 6."),
    ),
    _field(
        "segment", "segment", "segment klantsegment",
        description=gettext_noop("werkklant, ontwikkelklant or participatieklant."),
    ),
    _field(
        "education_level", "opleiding",
        "opleiding opleidingsniveau hoogstvoltooideopleiding education educationlevel",
        description=gettext_noop(
            "Highest education completed, 1 (none) to 5 (HBO/university)."
        ),
    ),
    _field(
        "client_manager", "klantmanager", "klantmanager clientmanager casemanager",
        description=gettext_noop(
            "Optional: the username or e-mail address of a client manager of that "
            "municipality."
        ),
    ),
)  # fmt: skip
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
_ALIASES: dict[str, Field] = {alias: f for f in FIELDS for alias in f.aliases}


def match_heading(text: str) -> Field | None:
    return _ALIASES.get(normal_heading(text))


# --- Results ----------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]  # field key → normalised value, only for filled cells without problems
    issues: list[Issue] = field(default_factory=list)


@dataclass
class ParseResult(TableFile):
    header_row: int = 0
    width: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field key → heading in the file
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)

    def discard(self, *, everything: bool) -> None:
        self.rows = []
        if everything:
            self.columns, self.ignored_columns = {}, []

    @property
    def issues(self) -> list[Issue]:
        found = list(self.file_issues)
        for row in self.rows:
            found.extend(row.issues)
        return sorted(found, key=lambda i: (i.row, self.column_position(i.column)))

    def column_position(self, heading: str) -> int:
        if not heading:
            return -1
        for position, written in enumerate(self.columns.values()):
            if written == heading:
                return position
        return len(self.columns)

    @property
    def ok(self) -> bool:
        return not self.file_issues and not any(row.issues for row in self.rows)

    def heading(self, key: str) -> str:
        return self.columns.get(key) or FIELDS_BY_KEY[key].heading


# --- Values -----------------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, code: str, message: Any, **params: Any) -> None:
        super().__init__(code)
        self.code, self.message, self.params = code, message, params


def _validator(normalize: Callable[[str], str]) -> Callable[[str], str]:
    def run(text: str) -> str:
        try:
            return normalize(text)
        except ValueError as exc:
            code = str(exc.args[0]) if exc.args else ""
            raise _Invalid(code, VALIDATOR_MESSAGES.get(code, M_NOT_READABLE)) from None

    return run


def _bsn(cell: Cell) -> str:
    return _validator(normalize_bsn)(cell.text.lstrip("'"))


def _phone(cell: Cell) -> str:
    text = cell.text.lstrip("'")
    if cell.numeric and text.isascii() and text.isdigit() and len(text) == 9:
        text = "0" + text  # 0612345678 typed into a number cell became 612345678
    return _validator(normalize_phone)(text)


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(text: str) -> date:
    """dd-mm-jjjj (or with / or .), or ISO jjjj-mm-dd; a time after it (from a date cell) is
    ignored. Raises ValueError otherwise; two-digit years are refused (never guessed)."""
    text = text.strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError("date_format")
    return date(year, month, day)


def _date(cell: Cell) -> date:
    try:
        return parse_date(cell.text)
    except (ValueError, OverflowError):
        raise _Invalid("date", M_DATE) from None


def _birth_date(cell: Cell) -> date:
    value = _date(cell)
    if not EARLIEST_BIRTH <= value < date.today():
        raise _Invalid("birth_range", M_BIRTH_RANGE)
    return value


def _past_date(cell: Cell) -> date:
    value = _date(cell)
    if value > date.today():
        raise _Invalid("future", M_FUTURE)
    return value


def _number(cell: Cell) -> int:
    text = cell.text.strip()
    if text.isascii() and text.isdigit() and len(text) <= 3:
        return int(text)
    raise _Invalid("number", M_NUMBER)


def _code(cell: Cell) -> str:
    return cell.text.strip().lower()


def _text(cell: Cell) -> str:
    return cell.text


_NORMALISERS: dict[str, Callable[[Cell], Any]] = {
    "bsn": _bsn,
    "first_name": _text,
    "last_name": _text,
    "birth_date": _birth_date,
    "municipality": _text,
    "email": lambda cell: _validator(normalize_email)(cell.text),
    "phone": _phone,
    "street": _text,
    "postcode": lambda cell: _validator(normalize_postcode)(cell.text),
    "city": _text,
    "benefit_type": _code,
    "benefit_start": _past_date,
    "ladder_step": _number,
    "segment": _code,
    "education_level": _number,
    "client_manager": _text,
}


def _shown(key: str, text: str) -> str:
    """The value as the report may show it: a BSN only masked."""
    return mask_bsn(text[:20]) if key == "bsn" else text[:80]


def _parse_row(
    number: int, cells: list[Cell], result: ParseResult, index: dict[str, int]
) -> ParsedRow:
    row = ParsedRow(row=number, values={})
    for key, position in index.items():
        spec = FIELDS_BY_KEY[key]
        heading = result.columns[key]
        cell = cells[position] if position < len(cells) else Cell("")
        if not cell.text:
            if spec.required:
                row.issues.append(Issue(number, heading, "required", M_REQUIRED))
            continue
        if spec.max_length and len(cell.text) > spec.max_length:
            row.issues.append(
                Issue(
                    number,
                    heading,
                    "too_long",
                    M_TOO_LONG,
                    {"limit": spec.max_length, "length": len(cell.text)},
                    _shown(key, cell.text),
                )
            )
            continue
        try:
            row.values[key] = _NORMALISERS[key](cell)
        except _Invalid as invalid:
            row.issues.append(
                Issue(
                    number,
                    heading,
                    invalid.code,
                    invalid.message,
                    invalid.params,
                    _shown(key, cell.text),
                )
            )
    if any(c.text for c in cells[result.width :]):
        row.issues.append(
            Issue(
                number,
                "",
                "extra_cells",
                M_EXTRA_CELLS,
                {"cells": len(cells), "headings": result.width},
            )
        )
    return row


# --- The table --------------------------------------------------------------------------------


def _read_headings(number: int, cells: list[Cell], result: ParseResult) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, cell in enumerate(cells):
        if not cell.text:
            continue
        spec = match_heading(cell.text)
        if spec is None:
            result.ignored_columns.append(cell.text[:80])
        elif spec.key in index:
            result.file_issues.append(
                Issue(
                    number,
                    cell.text[:80],
                    "duplicate_column",
                    M_DUPLICATE_COLUMN,
                    {
                        "first": result.columns[spec.key],
                        "second": cell.text[:80],
                        "heading": spec.heading,
                    },
                )
            )
        else:
            index[spec.key] = position
            result.columns[spec.key] = cell.text[:80]
    result.width = len(cells)
    if not index:
        result.file_issues.append(Issue(number, "", "no_headings", M_NO_HEADINGS, {"row": number}))
        return index
    for spec in FIELDS:
        if spec.required and spec.key not in index:
            result.file_issues.append(
                Issue(
                    number,
                    spec.heading,
                    "missing_column",
                    M_MISSING_COLUMN,
                    {"heading": spec.heading},
                )
            )
    return index


def _read_table(
    records: Iterable[tuple[int, list[Cell]]], result: ParseResult, max_rows: int
) -> None:
    index: dict[str, int] = {}
    count = 0
    for number, cells in records:
        if not any(c.text for c in cells):
            if number > max_rows + MAX_BLANK_ROWS:
                break
            continue
        if not result.header_row:
            result.header_row = number
            index = _read_headings(number, cells, result)
            if result.file_issues:
                return
            continue
        count += 1
        if count > max_rows:
            result.file_issues.append(
                Issue(0, "", "too_many_rows", M_TOO_MANY_ROWS, {"limit": max_rows})
            )
            result.rows = []
            return
        result.rows.append(_parse_row(number, cells, result, index))
    if not result.header_row:
        result.file_issues.append(Issue(0, "", "empty", M_FILE_EMPTY))
    elif not result.rows:
        result.file_issues.append(Issue(0, "", "no_rows", M_NO_ROWS))
    else:
        _check_same_bsn(result)


def _check_same_bsn(result: ParseResult) -> None:
    seen: dict[str, int] = {}
    for row in result.rows:
        bsn = row.values.get("bsn")
        if not bsn:
            continue
        if bsn in seen:
            row.issues.append(
                Issue(
                    row.row,
                    result.heading("bsn"),
                    "same_bsn",
                    M_SAME_BSN,
                    {"other": seen[bsn]},
                    mask_bsn(bsn),
                )
            )
        else:
            seen[bsn] = row.row


def parse(
    content: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> ParseResult:
    """Read a caseload file. Never raises for bad input: every problem is an Issue."""
    result = ParseResult()
    read_records(
        content,
        filename,
        result,
        lambda records: _read_table(records, result, max_rows),
        is_heading=lambda text: match_heading(text) is not None,
        max_bytes=max_bytes,
    )
    return result
