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
from collections.abc import Callable
from datetime import date
from typing import Any

from werkbrug.core.pseudonymisation import mask_bsn
from werkbrug.core.tabular import (
    MAX_BYTES,
    Cell,
    Field,
    Invalid,
    Issue,
    ParsedRow,
    Table,
    gettext_noop,
    phone_text,
    text,
    validator,
)
from werkbrug.core.tabular import ParseResult as TableResult
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


def _validator(normalize: Callable[[str], str]) -> Callable[[str], str]:
    return validator(normalize, VALIDATOR_MESSAGES)


def _bsn(cell: Cell) -> str:
    return _validator(normalize_bsn)(cell.text.lstrip("'"))


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
        raise Invalid("date", M_DATE) from None


def _birth_date(cell: Cell) -> date:
    value = _date(cell)
    if not EARLIEST_BIRTH <= value < date.today():
        raise Invalid("birth_range", M_BIRTH_RANGE)
    return value


def _past_date(cell: Cell) -> date:
    value = _date(cell)
    if value > date.today():
        raise Invalid("future", M_FUTURE)
    return value


def _number(cell: Cell) -> int:
    text = cell.text.strip()
    if text.isascii() and text.isdigit() and len(text) <= 3:
        return int(text)
    raise Invalid("number", M_NUMBER)


def _code(cell: Cell) -> str:
    return cell.text.strip().lower()


_NORMALISERS: dict[str, Callable[[Cell], Any]] = {
    "bsn": _bsn,
    "first_name": text,
    "last_name": text,
    "birth_date": _birth_date,
    "municipality": text,
    "email": lambda cell: _validator(normalize_email)(cell.text),
    "phone": lambda cell: _validator(normalize_phone)(phone_text(cell)),
    "street": text,
    "postcode": lambda cell: _validator(normalize_postcode)(cell.text),
    "city": text,
    "benefit_type": _code,
    "benefit_start": _past_date,
    "ladder_step": _number,
    "segment": _code,
    "education_level": _number,
    "client_manager": text,
}


def _shown(key: str, text: str) -> str:
    """The value as the report may show it: a BSN only masked."""
    return mask_bsn(text[:20]) if key == "bsn" else text[:80]


def _check_same_bsn(result: TableResult) -> None:
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


TABLE = Table(
    fields=FIELDS,
    normalisers=_NORMALISERS,
    no_headings=M_NO_HEADINGS,
    no_rows=M_NO_ROWS,
    too_many_rows=M_TOO_MANY_ROWS,
    shown=_shown,
    check_rows=_check_same_bsn,
)
match_heading = TABLE.match_heading


class ParseResult(TableResult):
    fields_by_key = FIELDS_BY_KEY


def parse(
    content: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> ParseResult:
    """Read a caseload file. Never raises for bad input: every problem is an Issue."""
    return TABLE.read(content, filename, ParseResult(), max_bytes=max_bytes, max_rows=max_rows)
