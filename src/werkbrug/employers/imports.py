"""Reading employer files (CSV and XLSX) as Dutch offices make them.

This module is the **pure parsing core** of the employer import: bytes in, normalised rows
and a list of problems out. It uses no Django itself (no models, no settings, no database, no
translation machinery), so it can be tested and reasoned about on its own; its only project
import is the pure ``normalize_*`` functions (and their messages) of ``core.validators``.
The database half (municipality and relationship manager look-ups, duplicates in the
register, the all-or-nothing save) lives in ``employers.io_services``.

What it accepts
---------------
* CSV as Dutch Excel writes it: ``;`` separated (also ``,`` or tab; an Excel ``sep=;`` first
  line is honoured), encoded as UTF-8 with or without BOM, Windows-1252 (cp1252, "CSV
  (puntkomma-gescheiden)") or UTF-16 with BOM ("Unicode-tekst").
* XLSX: the first worksheet, read in openpyxl's streaming (read-only) mode.
* Column headings in Dutch or English, case, spaces, hyphens and accents ignored, a
  parenthesised note ignored ("Gemeente (naam of CBS-code)"). See :data:`FIELDS`.

Rules
-----
* Row numbers are the ones the user sees in Excel: the first row is 1, so with the headings in
  row 1 the first employer is row 2. Blank rows are skipped (but keep their number).
* A value starting with ``=``, ``+``, ``-`` or ``@`` is text, never a formula: formula cells of
  an XLSX file are read as their formula text, and nothing is ever evaluated. A leading ``'``
  that a spreadsheet export put before such a value (CSV-injection escaping) is removed.
* The whole file is checked; every problem is reported as an :class:`Issue` with the row, the
  column heading as written in the file and a message. Messages are English msgids marked
  with ``gettext_noop`` (translated when shown) or the translatable messages of
  ``core.validators``.
* Limits: :data:`MAX_BYTES` per file, :data:`MAX_ROWS` employers, :data:`MAX_COLUMNS` columns,
  and an unpacked-size limit for XLSX (zip bombs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from werkbrug.core.tabular import (
    MAX_BYTES,
    MAX_XLSX_UNPACKED,
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
    normalize_email,
    normalize_kvk,
    normalize_phone,
    normalize_postcode,
    normalize_sbi,
    normalize_vestigingsnummer,
)

__all__ = [
    "FIELDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "Field",
    "Issue",
    "ParseResult",
    "ParsedRow",
    "match_heading",
    "parse",
]


#: Most employers (non-blank rows below the headings) in one file.
MAX_ROWS = 20_000
# --- Messages ---------------------------------------------------------------------------------

M_TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(limit)s rows. Split it into files of at most %(limit)s employers."
)
M_NO_HEADINGS = gettext_noop(
    "No known column headings were found in row %(row)s. Separate the columns with a "
    "semicolon (;), comma or tab and use headings such as Naam, Gemeente and Relatiemanager."
)
M_NO_ROWS = gettext_noop("The file has column headings but no employers below them.")
M_SIZE = gettext_noop("Unknown size. Write 1-9, 10-49, 50-249 or 250+, or the number of employees.")
M_YES_NO = gettext_noop("Write “ja” or “nee” (or leave the cell empty for “nee”).")
M_WEBSITE = gettext_noop("This is not a web address. Write it like www.example.nl.")
M_CONTACT_NAME = gettext_noop(
    "This row has details of a contact person but not their name. Fill in the column "
    "Contactpersoon."
)
M_SAME_KVK = gettext_noop(
    "The same establishment as row %(other)s (same KvK number). Each employer may appear only "
    "once in the file."
)
M_SAME_NAME = gettext_noop(
    "The same employer as row %(other)s (same name and postcode). Each employer may appear only "
    "once in the file."
)


# --- Columns ----------------------------------------------------------------------------------


FIELDS: tuple[Field, ...] = (
    _field(
        "name", "Naam",
        "naam bedrijfsnaam bedrijf werkgever naamwerkgever werkgevernaam organisatie "
        "organisatienaam handelsnaam statutairenaam name company companyname employer "
        "employername organisation organization",
        required=True, max_length=200,
        description=gettext_noop("The name of the employer (the establishment)."),
    ),
    _field(
        "kvk_number", "KvK-nummer",
        "kvk kvknummer kvknr kvkno nummerkvk kamervankoophandel kamervankoophandelnummer "
        "kvknumber coc cocnumber chamberofcommerce",
        description=gettext_noop("8 digits."),
    ),
    _field(
        "vestigingsnummer", "Vestigingsnummer",
        "vestigingsnummer vestigingsnr vestiging kvkvestigingsnummer establishmentnumber "
        "branchnumber",
        description=gettext_noop("12 digits; identifies this branch of the company."),
    ),
    _field(
        "sbi_code", "SBI",
        "sbi sbicode sbinummer sbiactiviteit branchecode activiteitencode",
        description=gettext_noop("The SBI activity code, such as 47.11."),
    ),
    _field(
        "street", "Straat",
        "straat adres straatenhuisnummer straathuisnummer straatnaam bezoekadres "
        "vestigingsadres street address streetandnumber",
        max_length=200, description=gettext_noop("Street and house number."),
    ),
    _field(
        "postcode", "Postcode",
        "postcode postalcode zipcode zip postcodebezoekadres",
        description=gettext_noop("Such as 6511 AB."),
    ),
    _field(
        "city", "Plaats",
        "plaats woonplaats vestigingsplaats plaatsnaam stad city place town",
        max_length=100,
    ),
    _field(
        "municipality", "Gemeente",
        "gemeente gemeentenaam gemeentecode cbscode municipality municipalitycode",
        required=True,
        description=gettext_noop("A municipality of your region: its name or CBS code (GM0268)."),
    ),
    _field(
        "owner", "Relatiemanager",
        "relatiemanager accountmanager accounthouder relatiebeheerder relationshipmanager "
        "accountowner owner",
        required=True,
        description=gettext_noop(
            "The colleague who is the employer's fixed point of contact: their username or "
            "full name."
        ),
    ),
    _field(
        "website", "Website",
        "website webadres internetadres internet url homepage site web",
        max_length=200,
    ),
    _field(
        "size_class", "Grootte",
        "grootte omvang bedrijfsgrootte grootteklasse aantalmedewerkers aantalwerknemers "
        "medewerkers werknemers size sizeclass companysize employees numberofemployees",
        description=gettext_noop("1-9, 10-49, 50-249 or 250+, or the number of employees."),
    ),
    _field(
        "ambassador", "Ambassadeur",
        "ambassadeur ambassador",
        description=gettext_noop("ja or nee; empty means nee."),
    ),
    _field(
        "contact_name", "Contactpersoon",
        "contactpersoon naamcontactpersoon contactpersoonnaam contact contactnaam "
        "contactperson contactname",
        max_length=150,
        description=gettext_noop("The name of the employer's contact person (optional)."),
    ),
    _field(
        "contact_role", "Functie",
        "functie functiecontactpersoon rol role jobtitle function position",
        max_length=100, description=gettext_noop("The contact person's job title."),
    ),
    _field(
        "contact_phone", "Telefoon",
        "telefoon telefoonnummer telefoonnr tel telnr mobiel mobielnummer "
        "telefooncontactpersoon phone phonenumber telephone mobile",
        description=gettext_noop("A Dutch phone number of the contact person."),
    ),
    _field(
        "contact_email", "E-mail",
        "email emailadres mail emailcontactpersoon emailaddress",
        max_length=254, description=gettext_noop("The contact person's e-mail address."),
    ),
)  # fmt: skip
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_phone", "contact_email")


def _validator(normalize: Callable[[str], str]) -> Callable[[str], str]:
    return validator(normalize, VALIDATOR_MESSAGES)


def _identifier(normalize: Callable[[str], str], length: int) -> Callable[[Cell], str]:
    """A KvK or establishment number; a number cell of Excel lost its leading zeros, which
    are put back (only there: a typed value is never guessed at)."""
    check = _validator(normalize)

    def run(cell: Cell) -> str:
        text = cell.text.lstrip("'")
        if cell.numeric and text.isascii() and text.isdigit() and len(text) < length:
            text = text.zfill(length)
        return check(text)

    return run


_SIZES = {"1-9": "1-9", "10-49": "10-49", "50-249": "50-249", "250+": "250+"}
_SIZE_WORDS = re.compile(
    r"(medewerkers|werknemers|employees|personen|mensen|fte|ofmeer|enmeer|ormore|andmore|meer|more)"
)


def _size(cell: Cell) -> str:
    text = cell.text.lower().replace("–", "-").replace("—", "-").replace(" ", "")
    had_more = bool(re.search(r"ofmeer|enmeer|ormore|andmore|meer|more|>", text))
    text = _SIZE_WORDS.sub("", text).replace(">=", "").replace(">", "")
    if text in _SIZES:
        return _SIZES[text]
    if had_more and text == "250":
        return "250+"
    if text.isascii() and text.isdigit() and int(text) >= 1:
        count = int(text)
        for upper, size in ((10, "1-9"), (50, "10-49"), (250, "50-249")):
            if count < upper:
                return size
        return "250+"
    raise Invalid("size", M_SIZE)


_YES = {"ja", "j", "yes", "y", "waar", "true", "1", "x", "✓"}
_NO = {"nee", "n", "no", "onwaar", "false", "0", "-"}


def _yes_no(cell: Cell) -> bool:
    text = cell.text.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise Invalid("yes_no", M_YES_NO)


_WEBSITE = re.compile(r"^(https?://)?[^\s/?#@]+\.[^\s/?#@]+([/?#]\S*)?$", re.IGNORECASE)


def _website(cell: Cell) -> str:
    text = cell.text
    if not _WEBSITE.match(text):
        raise Invalid("website", M_WEBSITE)
    if not re.match(r"^https?://", text, re.IGNORECASE):
        text = "https://" + text
    return text


_NORMALISERS: dict[str, Callable[[Cell], Any]] = {
    "name": text,
    "kvk_number": _identifier(normalize_kvk, 8),
    "vestigingsnummer": _identifier(normalize_vestigingsnummer, 12),
    "sbi_code": lambda cell: _validator(normalize_sbi)(cell.text.lstrip("'")),
    "street": text,
    "postcode": lambda cell: _validator(normalize_postcode)(cell.text),
    "city": text,
    "municipality": text,
    "owner": text,
    "website": _website,
    "size_class": _size,
    "ambassador": _yes_no,
    "contact_name": text,
    "contact_role": text,
    "contact_phone": lambda cell: _validator(normalize_phone)(phone_text(cell)),
    "contact_email": lambda cell: _validator(normalize_email)(cell.text),
}
_EMPTY: dict[str, Any] = {"ambassador": False}


def _check_contact(
    row: ParsedRow, cells: list[Cell], index: dict[str, int], result: TableResult
) -> None:
    """Empty contact values are ''; contact details need the contact person's name."""
    for key in CONTACT_FIELDS:
        row.values.setdefault(key, "")
    given = {
        key for key, position in index.items() if position < len(cells) and cells[position].text
    }
    if given.intersection(CONTACT_FIELDS[1:]) and "contact_name" not in given:
        row.issues.append(
            Issue(row.row, result.heading("contact_name"), "contact_name", M_CONTACT_NAME)
        )


def _check_duplicates(result: TableResult) -> None:
    """The same establishment twice in the file (the rule of services.find_duplicates: the same
    KvK number with the same or no establishment number, or the same name at the same
    postcode)."""
    by_kvk: dict[str, list[tuple[str, int]]] = {}
    by_name: dict[tuple[str, str], int] = {}
    for row in result.rows:
        kvk, branch = row.values.get("kvk_number"), row.values.get("vestigingsnummer", "")
        if kvk:
            earlier = by_kvk.setdefault(kvk, [])
            other = next((r for b, r in earlier if not b or not branch or b == branch), None)
            if other is not None:
                row.issues.append(
                    Issue(
                        row.row,
                        result.heading("kvk_number"),
                        "same_kvk",
                        M_SAME_KVK,
                        {"other": other},
                        kvk,
                    )
                )
                continue
            earlier.append((branch or "", row.row))
        name, postcode = row.values.get("name"), row.values.get("postcode")
        if name and postcode:
            key = (name.casefold(), postcode)
            if key in by_name:
                row.issues.append(
                    Issue(
                        row.row,
                        result.heading("name"),
                        "same_name",
                        M_SAME_NAME,
                        {"other": by_name[key]},
                        name[:80],
                    )
                )
                continue
            by_name[key] = row.row


TABLE = Table(
    fields=FIELDS,
    normalisers=_NORMALISERS,
    no_headings=M_NO_HEADINGS,
    no_rows=M_NO_ROWS,
    too_many_rows=M_TOO_MANY_ROWS,
    blank_tail_is_too_many=True,
    empty=lambda key: _EMPTY.get(key, ""),
    check_row=_check_contact,
    check_rows=_check_duplicates,
)
match_heading = TABLE.match_heading


class ParseResult(TableResult):
    fields_by_key = FIELDS_BY_KEY


# --- The entry point --------------------------------------------------------------------------


def parse(
    content: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> ParseResult:
    """Read an employer file. Never raises for bad input: every problem is an Issue."""
    return TABLE.read(
        content,
        filename,
        ParseResult(),
        max_bytes=max_bytes,
        max_rows=max_rows,
        max_unpacked=MAX_XLSX_UNPACKED,
    )
