"""Reading a file of benefit events from the municipal benefits system (CSV or XLSX): who left
the benefit (*uitstroom*) or came back on it (*herinstroom*), and when.

The **pure parsing core** of the benefit-data import, built like ``candidates.imports`` on
``core.tabular``: bytes in, normalised rows and a list of problems out. No models: the
municipality (in the importer's region) and the events already imported are checked in
``placements.benefit_services``. The events feed durability D2 ("no return to benefit within
12 months", domain guide §8), linked to placements through the BSN pseudonym only.

Rules
-----
* Columns (headings matched as in the caseload import: case, spaces, hyphens, accents and a
  parenthesised note do not matter): ``bsn``, ``soort``, ``datum``, ``gemeente``; all four are
  required in every row.
* ``bsn``: 9 digits passing the elfproef. It is never repeated in full in a problem: only
  masked (``******123``).
* ``soort``: ``uitstroom`` or ``herinstroom`` (capitals, spaces and a hyphen do not matter, so
  ``Her-instroom`` is read too). Anything else (``instroom``, ``in``, ``uit``) is refused:
  guessing would put wrong events into a KPI.
* ``datum``: ``dd-mm-jjjj`` (also with ``/`` or ``.``) or ISO ``jjjj-mm-dd``, not in the
  future and not before :data:`EARLIEST`.
* ``gemeente``: the name or CBS code (``GM0268``, ``268``) of a municipality of the region.
* The same BSN, soort and datum twice in one file is a problem of the later row.
* A value that looks like a formula (``=``, ``+``, ``-``, ``@``) is kept as text, never run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from werkbrug.candidates.imports import M_DATE, M_FUTURE, parse_date
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
    text,
    validator,
)
from werkbrug.core.tabular import ParseResult as TableResult
from werkbrug.core.tabular import make_field as _field
from werkbrug.core.validators import MESSAGES as VALIDATOR_MESSAGES
from werkbrug.core.validators import normalize_bsn

__all__ = [
    "EARLIEST",
    "FIELDS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "OUTFLOW",
    "REENTRY",
    "ParseResult",
    "ParsedRow",
    "parse",
]

#: Most events (non-blank rows below the headings) in one file.
MAX_ROWS = 50_000
#: Oldest event date accepted (a mistyped year such as 0224 is refused, not stored).
EARLIEST = dt.date(2000, 1, 1)

#: The kinds of event, as stored (``BenefitEventKind`` in models.py has the same values).
OUTFLOW, REENTRY = "uitstroom", "herinstroom"
KINDS = (OUTFLOW, REENTRY)

M_TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows."
)
M_NO_HEADINGS = gettext_noop(
    "No known column headings were found in row %(row)s. Separate the columns with a "
    "semicolon (;), comma or tab and use the headings bsn, soort, datum and gemeente."
)
M_NO_ROWS = gettext_noop("The file has column headings but no benefit events below them.")
M_KIND = gettext_noop("Write uitstroom (left the benefit) or herinstroom (back on benefit).")
M_TOO_OLD = gettext_noop("This date lies before %(date)s. Check the year.")
M_SAME_EVENT = gettext_noop(
    "The same BSN, kind and date as row %(other)s. Each event may appear only once in the file."
)

FIELDS: tuple[Field, ...] = (
    _field(
        "bsn", "bsn",
        "bsn burgerservicenummer bsnnummer bsnnr sofinummer citizenservicenumber",
        required=True,
        description=gettext_noop(
            "Burgerservicenummer, 9 digits (elfproef). Only a pseudonym is stored, to link the "
            "event to a placement."
        ),
    ),
    _field(
        "kind", "soort",
        "soort soortmutatie mutatie mutatiesoort gebeurtenis kind event type",
        required=True,
        description=gettext_noop(
            "uitstroom (the benefit ended) or herinstroom (back on benefit)."
        ),
    ),
    _field(
        "on", "datum",
        "datum mutatiedatum ingangsdatum datummutatie peildatum date",
        required=True,
        description=gettext_noop(
            "The day of the event: dd-mm-jjjj or jjjj-mm-dd; not in the future."
        ),
    ),
    _field(
        "municipality", "gemeente",
        "gemeente woongemeente gemeentenaam gemeentecode cbscode municipality",
        required=True,
        description=gettext_noop(
            "The municipality that pays the benefit: a municipality of your region, its name or "
            "CBS code (GM0268)."
        ),
    ),
)  # fmt: skip
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def _bsn(cell: Cell) -> str:
    return validator(normalize_bsn, VALIDATOR_MESSAGES)(cell.text.lstrip("'"))


def parse_kind(text: str) -> str:
    """``uitstroom`` or ``herinstroom`` from what a person typed; ValueError otherwise."""
    key = "".join(text.casefold().replace("-", " ").split())
    if key in KINDS:
        return key
    raise ValueError("kind")


def _kind(cell: Cell) -> str:
    try:
        return parse_kind(cell.text)
    except ValueError:
        raise Invalid("kind", M_KIND) from None


def _date(cell: Cell, today: dt.date) -> dt.date:
    try:
        value = parse_date(cell.text)
    except (ValueError, OverflowError):
        raise Invalid("date", M_DATE) from None
    if value > today:
        raise Invalid("future", M_FUTURE)
    if value < EARLIEST:
        raise Invalid("too_old", M_TOO_OLD, date=f"{EARLIEST:%d-%m-%Y}")
    return value


def _shown(key: str, text: str) -> str:
    """The value as the report may show it: a BSN only masked."""
    return mask_bsn(text[:20]) if key == "bsn" else text[:80]


def _check_same_event(result: TableResult) -> None:
    seen: dict[tuple[str, str, dt.date], int] = {}
    for row in result.rows:
        values = row.values
        if not all(values.get(key) for key in ("bsn", "kind", "on")):
            continue
        key = (values["bsn"], values["kind"], values["on"])
        if key in seen:
            row.issues.append(
                Issue(
                    row.row,
                    result.heading("bsn"),
                    "same_event",
                    M_SAME_EVENT,
                    {"other": seen[key]},
                    mask_bsn(values["bsn"]),
                )
            )
        else:
            seen[key] = row.row


def _table(today: dt.date) -> Table:
    normalisers: dict[str, Callable[[Cell], Any]] = {
        "bsn": _bsn,
        "kind": _kind,
        "on": lambda cell: _date(cell, today),
        "municipality": text,
    }
    return Table(
        fields=FIELDS,
        normalisers=normalisers,
        no_headings=M_NO_HEADINGS,
        no_rows=M_NO_ROWS,
        too_many_rows=M_TOO_MANY_ROWS,
        shown=_shown,
        check_rows=_check_same_event,
    )


class ParseResult(TableResult):
    fields_by_key = FIELDS_BY_KEY


def parse(
    content: bytes,
    filename: str = "",
    *,
    today: dt.date | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> ParseResult:
    """Read a benefit-events file. ``today``: the last date accepted (the local date when
    omitted). Never raises for bad input: every problem is an Issue."""
    table = _table(today or dt.date.today())
    return table.read(content, filename, ParseResult(), max_bytes=max_bytes, max_rows=max_rows)
