"""Reading a file of figures from outside Werkbrug (CSV, XLSX or JSON): another region's
benchmark, a year before Werkbrug, a number printed in an evaluation report.

The **pure parsing core** of the observation import, built like ``placements.benefit_imports``
on ``core.tabular``: bytes in, normalised rows and a list of problems out. No models: whether a
municipality belongs to the importer's region, the same figure twice and the figures already
in Werkbrug are checked in ``monitoring.observation_services``.

Rules
-----
* Columns (headings matched as in the other imports: case, spaces, hyphens, accents and a
  parenthesised note do not matter; English names are read too): ``indicator``, ``gemeente``
  *or* ``gebied``, ``van`` and ``tot`` *or* ``jaar``, ``waarde``, ``bron``, and optionally
  ``trendbreuk`` and ``toelichting``.
* ``indicator``: a KPI code of ``monitoring.kpis`` (``K1``, ``k4``, ``D1-6``) or its Dutch name
  (``Plaatsingen op werk``), or both (``K4 Plaatsingen op werk``).
* ``gemeente``: a municipality of the region (name or CBS code), or ``regio`` / the region's
  own name for the whole region; ``gebied``: free text for anything else (another region, a
  benchmark group). Exactly one of the two per row.
* ``van`` and ``tot``: ``dd-mm-jjjj`` or ISO; ``tot`` is the first day *after* the period, so a
  ``tot`` on the last day of a month after a ``van`` on the first (01-01-2019 to 31-12-2019) is
  refused with the date meant (01-01-2020): it would silently drop the last day. ``jaar``
  instead means 1 January to 1 January of the next year. ``van`` may not lie in the future
  (only realised figures; targets belong to a programme) nor before :data:`EARLIEST`.
* ``waarde``: Dutch or English notation. ``1.100`` and ``2.427`` are thousands (Dutch first),
  ``12,5`` and ``12.5`` are decimals, ``1.234,5`` and ``1,234.5`` both read. A lone comma
  before exactly three digits (``1,100``: 1,1 or 1100?) is refused as ambiguous rather than
  guessed. At most two decimals; a ``%`` only for a KPI in percent; never negative, a
  percentage at most 100. A number cell of a workbook or a JSON number is read as it is.
* ``trendbreuk``: ``ja`` or ``nee`` (also yes/no, true/false, 1/0, x); empty is ``nee``.
* JSON: a list of objects with the same keys, or ``{"observations": [...]}``; row *n* is the
  *n*-th object.
* A value that looks like a formula is text; in ``waarde`` it is refused (Werkbrug does not
  calculate).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from werkbrug.candidates.imports import M_DATE, parse_date
from werkbrug.core.tabular import (
    MAX_BYTES,
    Cell,
    Field,
    Invalid,
    Issue,
    ParsedRow,
    Table,
    cell_from_value,
    clean,
    gettext_noop,
    text,
)
from werkbrug.core.tabular import ParseResult as TableResult
from werkbrug.core.tabular import make_field as _field
from werkbrug.monitoring import kpis

__all__ = [
    "EARLIEST",
    "FIELDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ParseResult",
    "ParsedRow",
    "parse",
    "parse_kpi",
    "parse_number",
    "same_figures",
]

#: Most figures (non-blank rows below the headings, or objects) in one file.
MAX_ROWS = 5_000
#: Earliest start of a period (a mistyped year such as 0219 is refused, not stored).
EARLIEST = dt.date(1990, 1, 1)
#: Longest period accepted, in years (a mistyped end year is refused).
MAX_YEARS = 10
#: The model stores 14 digits, 2 after the decimal point.
LIMIT = Decimal(10) ** 12

M_TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows."
)
M_NO_HEADINGS = gettext_noop(
    "No known column headings were found in row %(row)s. Separate the columns with a "
    "semicolon (;), comma or tab and use the headings indicator, gemeente or gebied, van and "
    "tot (or jaar), waarde and bron."
)
M_NO_ROWS = gettext_noop("The file has column headings but no figures below them.")
M_NO_PLACE_COLUMN = gettext_noop(
    "The column “gemeente” or “gebied” is missing: every figure needs a place. Add one of them "
    "(or both) to the first row of the file."
)
M_NO_PERIOD_COLUMN = gettext_noop(
    "The columns “van” and “tot” (or one column “jaar”) are missing: every figure needs a "
    "period. Add them to the first row of the file."
)
M_KPI_UNKNOWN = gettext_noop(
    "“%(value)s” is not an indicator Werkbrug knows. Write its code (such as K1, K4 or D1-6) "
    "or its name; the list is on the import page."
)
M_KPI_MISMATCH = gettext_noop(
    "The code %(indicator)s does not go with the name “%(name)s”. Write the code or the name only."
)
M_NUMBER = gettext_noop("“%(value)s” is not a number. Write it as 1.100 or 12,5.")
M_AMBIGUOUS = gettext_noop(
    "“%(value)s” can mean %(decimal)s or %(thousands)s. Write %(thousands)s without a separator, "
    "or %(decimal)s."
)
M_FORMULA = gettext_noop(
    "This cell holds a formula; Werkbrug does not calculate. In Excel, copy the column and "
    "paste it as values (Plakken speciaal, Waarden)."
)
M_DECIMALS = gettext_noop("At most two decimals are allowed.")
M_TOO_LARGE = gettext_noop("This number is too large.")
M_NEGATIVE = gettext_noop("%(kpi)s cannot be negative.")
M_OVER_100 = gettext_noop("%(kpi)s is a percentage: write a value from 0 to 100.")
M_PERCENT_SIGN = gettext_noop(
    "%(kpi)s is not a percentage (it counts in %(unit)s): leave out the %% sign."
)
M_TOO_OLD = gettext_noop("This date lies before %(date)s. Check the year.")
M_FUTURE_START = gettext_noop(
    "This period has not begun yet. Only figures that were realised can be imported; a target "
    "belongs to a programme."
)
M_END_NOT_AFTER = gettext_noop(
    "“tot” is the first day after the period and must lie after “van” (%(start)s)."
)
M_END_INCLUSIVE = gettext_noop(
    "“tot” is the first day after the period, so with %(end)s that day itself is left out. "
    "For a period up to and including %(end)s, write %(next)s."
)
M_TOO_LONG_PERIOD = gettext_noop(
    "The period is longer than %(years)s years. Check the years of “van” and “tot”."
)
M_YEAR = gettext_noop("Write a year of four digits, from %(first)s to %(last)s.")
M_YEAR_AND_DATES = gettext_noop(
    "Fill in either “jaar” or “van” and “tot”, not both: “jaar” means 1 January to 1 January "
    "of the next year."
)
M_NO_PERIOD = gettext_noop(
    "Fill in the period: “van” and “tot” (the first day after the period), or “jaar”."
)
M_NO_START = gettext_noop("Fill in “van”, the first day of the period.")
M_NO_END = gettext_noop(
    "Fill in “tot”, the first day after the period (such as 01-01-2020 for the year 2019)."
)
M_NO_PLACE = gettext_noop(
    "Fill in “gemeente” (a municipality of your region, or regio for the whole region) or "
    "“gebied” (another region or a benchmark group)."
)
M_BOTH_PLACES = gettext_noop(
    "Fill in “gemeente” or “gebied”, not both: “gemeente” for your own region, “gebied” for "
    "anything else."
)
M_BOOLEAN = gettext_noop("Write ja or nee.")
M_SAME_FIGURE = gettext_noop(
    "The same indicator, place and period as row %(other)s. Each figure may appear only once "
    "in the file."
)
M_JSON_BROKEN = gettext_noop(
    "This JSON file cannot be read: there is a mistake at line %(line)s, position %(column)s."
)
M_JSON_ENCODING = gettext_noop("This JSON file is not in UTF-8. Save it as UTF-8.")
M_JSON_SHAPE = gettext_noop(
    "A JSON file holds a list of figures ([{…}, {…}]), or an object with that list under "
    "“observations”."
)
M_JSON_NOT_OBJECT = gettext_noop(
    "This item is not an object with keys such as indicator, waarde and bron."
)
M_JSON_NESTED = gettext_noop("This value is a list or an object; write one value.")
M_JSON_EMPTY = gettext_noop("The list of figures in this JSON file is empty.")
M_JSON_NO_KEYS = gettext_noop(
    "No known keys were found. Use the keys indicator, gemeente or gebied, van and tot (or "
    "jaar), waarde and bron."
)

FIELDS: tuple[Field, ...] = (
    _field(
        "kpi", "indicator",
        "indicator indicatorcode kpi kpicode code prestatieindicator",
        required=True, max_length=80,
        description=gettext_noop(
            "The code of the indicator, such as K1, K4 or D1-6, or its name (see the list)."
        ),
    ),
    _field(
        "municipality", "gemeente",
        "gemeente gemeentenaam gemeentecode cbscode municipality",
        max_length=150,
        description=gettext_noop(
            "Required: gemeente or gebied. A municipality of your region, its name or CBS "
            "code (GM0268); write regio for the whole region."
        ),
    ),
    _field(
        "area", "gebied",
        "gebied area region regio vergelijkingsgroep benchmark benchmarkgroep",
        max_length=150,
        description=gettext_noop(
            "Required: gemeente or gebied. Anything else: another region, another "
            "municipality or a benchmark group, such as Nederland (Divosa-benchmark)."
        ),
    ),
    _field(
        "start_on", "van",
        "van vanaf begin begindatum startdatum periodevan from start startdate starton",
        description=gettext_noop(
            "Required: van and tot, or jaar. The first day of the period: dd-mm-jjjj or "
            "jjjj-mm-dd."
        ),
    ),
    _field(
        "end_on", "tot",
        "tot einddatum periodetot until end enddate endon to",
        description=gettext_noop(
            "Required: van and tot, or jaar. The first day after the period, so 01-01-2020 "
            "for the year 2019."
        ),
    ),
    _field(
        "year", "jaar",
        "jaar kalenderjaar year",
        description=gettext_noop(
            "Instead of van and tot: a whole calendar year, such as 2019."
        ),
    ),
    _field(
        "value", "waarde",
        "waarde value realisatie cijfer aantal",
        required=True, max_length=40,
        description=gettext_noop(
            "The figure: 1.100 or 1100, 12,5 or 12.5; at most two decimals. A percentage "
            "with or without the percent sign."
        ),
    ),
    _field(
        "source", "bron",
        "bron bronvermelding herkomst source",
        required=True, max_length=300,
        description=gettext_noop(
            "Where the figure comes from: the report, table and page, or the benchmark."
        ),
    ),
    _field(
        "trend_break", "trendbreuk",
        "trendbreuk trendbreak",
        description=gettext_noop(
            "ja when the figure was counted under another definition than the figures before "
            "it; empty or nee otherwise."
        ),
    ),
    _field(
        "note", "toelichting",
        "toelichting opmerking opmerkingen notitie note notes comment remark",
        max_length=300,
        description=gettext_noop("Optional: what a reader should know about the figure."),
    ),
)  # fmt: skip
FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


# --- Values -------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


_CODES = {code.casefold(): code for code in kpis.codes()}
_NAMES = {_key(kpi.name_nl): kpi.code for kpi in kpis.DEFINITIONS}
_CODE_AND_NAME = re.compile(r"^(\S+?)\s*[-–—:]?\s+(.+)$")


def parse_kpi(text: str) -> str:
    """The KPI code of a code, a Dutch name or both ("K4 – Plaatsingen op werk"); Invalid
    otherwise."""
    key = _key(text)
    if key in _CODES:
        return _CODES[key]
    if key in _NAMES:
        return _NAMES[key]
    match = _CODE_AND_NAME.match(" ".join(text.split()))
    written = match.group(1).rstrip(":").casefold() if match else ""
    if match and written in _CODES:
        code, name = _CODES[written], match.group(2).lstrip("-–—: ")
        named = _NAMES.get(_key(name))
        if named == code:
            return code
        if named is not None:
            raise Invalid("kpi_mismatch", M_KPI_MISMATCH, indicator=code, name=name[:80])
    raise Invalid("kpi", M_KPI_UNKNOWN, value=text[:80])


@dataclass(frozen=True)
class Number:
    value: Decimal
    percent: bool = False  # written with a % sign


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_DIGITS = re.compile(r"^[0-9]+$")


def _group(parts: list[str]) -> bool:
    """Thousands groups: 1-3 digits (not a leading 0), then groups of exactly three."""
    first, rest = parts[0], parts[1:]
    return (
        bool(_DIGITS.match(first))
        and len(first) <= 3
        and first[0] != "0"
        and all(len(p) == 3 and _DIGITS.match(p) for p in rest)
    )


def _shown_decimal(whole: str, fraction: str) -> str:
    return f"{whole or '0'},{fraction}"


def parse_number(text: str, *, numeric: bool = False) -> Number:
    """A figure as people write it (see the module's rules); Invalid otherwise. ``numeric``:
    a number cell of a workbook or a JSON number, read as it is."""
    original = text.strip()
    if original.startswith("="):
        raise Invalid("formula", M_FORMULA)
    body = _SPACES.sub("", original)
    percent = body.endswith("%")
    body = body.removesuffix("%")
    sign = ""
    if body[:1] in ("-", "−", "+"):
        sign, body = ("-" if body[0] != "+" else ""), body[1:]
    not_a_number = Invalid("number", M_NUMBER, value=original[:40])
    if not body or not re.fullmatch(r"[0-9.,eE+-]+", body):
        raise not_a_number
    if numeric:
        try:
            number = Decimal(sign + body)
        except InvalidOperation:
            raise not_a_number from None
        if not number.is_finite():
            raise not_a_number
        if abs(number) >= LIMIT:
            raise Invalid("too_large", M_TOO_LARGE)
        rounded = number.quantize(Decimal("0.01"))
        if abs(number - rounded) > Decimal("1e-9"):  # more than float noise
            raise Invalid("decimals", M_DECIMALS)
        return _checked(rounded, percent)
    if not re.fullmatch(r"[0-9.,]+", body) or not any(c.isdigit() for c in body):
        raise not_a_number
    if "." in body and "," in body:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _mark, fraction = body.rpartition(decimal_mark)
        if (
            decimal_mark in whole
            or not _DIGITS.match(fraction)
            or not _group(whole.split(thousands))
        ):
            raise not_a_number
        digits = whole.replace(thousands, "") + "." + fraction
    elif "." in body or "," in body:
        mark = "." if "." in body else ","
        parts = body.split(mark)
        if len(parts) > 2:  # 1.234.567 or 1,234,567: thousands only
            if not _group(parts):
                raise not_a_number
            digits = "".join(parts)
        else:
            whole, fraction = parts
            if not _DIGITS.match(fraction) or (whole and not _DIGITS.match(whole)):
                raise not_a_number
            if len(fraction) == 3 and _group([whole, fraction]):
                if mark == ",":  # 1,100: English thousands or a Dutch decimal comma?
                    raise Invalid(
                        "ambiguous",
                        M_AMBIGUOUS,
                        value=original[:40],
                        decimal=_shown_decimal(whole, fraction.rstrip("0") or "0"),
                        thousands=whole + fraction,
                    )
                digits = whole + fraction  # 1.100: Dutch thousands
            else:
                digits = (whole or "0") + "." + fraction
    else:
        digits = body
    number = Decimal(sign + digits)
    if len(digits.partition(".")[2]) > 2:
        raise Invalid("decimals", M_DECIMALS)
    return _checked(number, percent)


def _checked(number: Decimal, percent: bool) -> Number:
    if abs(number) >= LIMIT:
        raise Invalid("too_large", M_TOO_LARGE)
    return Number(number, percent)


def _number(cell: Cell) -> Number:
    return parse_number(cell.text, numeric=cell.numeric)


_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0"}


def parse_boolean(text: str) -> bool:
    key = _key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise Invalid("boolean", M_BOOLEAN)


def _boolean(cell: Cell) -> bool:
    return parse_boolean(cell.text)


def _date(cell: Cell) -> dt.date:
    try:
        value = parse_date(cell.text)
    except (ValueError, OverflowError):
        raise Invalid("date", M_DATE) from None
    if value < EARLIEST:
        raise Invalid("too_old", M_TOO_OLD, date=f"{EARLIEST:%d-%m-%Y}")
    return value


def _year(cell: Cell, today: dt.date) -> int:
    key = cell.text.strip()
    if key.endswith(".0") and cell.numeric:
        key = key[:-2]
    if not (len(key) == 4 and key.isascii() and key.isdigit()) or not (
        EARLIEST.year <= int(key) <= today.year
    ):
        raise Invalid("year", M_YEAR, first=EARLIEST.year, last=today.year)
    return int(key)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Rows ---------------------------------------------------------------------------------------


def _issue(
    row: ParsedRow, result: TableResult, key: str, code: str, message: str, **params: Any
) -> None:
    row.issues.append(Issue(row.row, result.heading(key), code, message, params))


def _has(cells: list[Cell], index: dict[str, int], key: str) -> bool:
    position = index.get(key)
    return position is not None and position < len(cells) and bool(cells[position].text)


def _check_row(
    today: dt.date,
) -> Callable[[ParsedRow, list[Cell], dict[str, int], TableResult], None]:
    def check(
        row: ParsedRow, cells: list[Cell], index: dict[str, int], result: TableResult
    ) -> None:
        already = len(row.issues)
        _check_place(row, cells, index, result)
        _check_period(row, cells, index, result, today)
        _check_value(row, result)
        # Show what was written in the cell a problem is about, as for a cell's own problems.
        keys = {result.columns[key]: key for key in index}
        for position in range(already, len(row.issues)):
            issue = row.issues[position]
            key = keys.get(issue.column)
            if key is not None and not issue.value and index[key] < len(cells):
                row.issues[position] = replace(issue, value=cells[index[key]].text[:80])

    return check


def _check_value(row: ParsedRow, result: TableResult) -> None:
    """The figure as a Decimal, within what its indicator can be."""
    values = row.values
    number = values.pop("value", None)
    if number is None:
        return
    values["value"] = number.value
    kpi = kpis.for_code(values["kpi"])[-1] if values.get("kpi") else None
    if kpi is None:
        return
    if number.percent and kpi.unit != "%":
        _issue(row, result, "value", "percent", M_PERCENT_SIGN, kpi=kpi.code, unit=kpi.unit)
    elif number.value < 0:
        _issue(row, result, "value", "negative", M_NEGATIVE, kpi=kpi.code)
    elif kpi.unit == "%" and number.value > 100:
        _issue(row, result, "value", "over_100", M_OVER_100, kpi=kpi.code)


def _check_place(
    row: ParsedRow, cells: list[Cell], index: dict[str, int], result: TableResult
) -> None:
    municipality, area = _has(cells, index, "municipality"), _has(cells, index, "area")
    if municipality and area:
        _issue(
            row, result, "area" if "area" in index else "municipality", "both_places", M_BOTH_PLACES
        )
    elif not municipality and not area:
        key = "municipality" if "municipality" in index else "area"
        _issue(row, result, key, "no_place", M_NO_PLACE)


def _check_period(
    row: ParsedRow, cells: list[Cell], index: dict[str, int], result: TableResult, today: dt.date
) -> None:
    values = row.values
    has_start, has_end = _has(cells, index, "start_on"), _has(cells, index, "end_on")
    has_year = _has(cells, index, "year")
    if has_year and (has_start or has_end):
        _issue(row, result, "year", "year_and_dates", M_YEAR_AND_DATES)
        values.pop("start_on", None), values.pop("end_on", None), values.pop("year", None)
        return
    if has_year:
        year = values.pop("year", None)
        if year is not None:
            values["start_on"], values["end_on"] = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        return
    if not has_start and not has_end:
        key = "start_on" if "start_on" in index or "year" not in index else "year"
        _issue(row, result, key, "no_period", M_NO_PERIOD)
        return
    if not has_start:
        _issue(row, result, "start_on", "no_start", M_NO_START)
    if not has_end:
        _issue(row, result, "end_on", "no_end", M_NO_END)
    start, end = values.get("start_on"), values.get("end_on")
    if start is not None and start > today:
        _issue(row, result, "start_on", "future", M_FUTURE_START)
        values.pop("start_on")
        return
    if start is None or end is None:
        return
    if end <= start:
        _issue(row, result, "end_on", "end_not_after", M_END_NOT_AFTER, start=f"{start:%d-%m-%Y}")
    elif start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        following = end + dt.timedelta(days=1)
        _issue(
            row, result, "end_on", "end_inclusive", M_END_INCLUSIVE,
            end=f"{end:%d-%m-%Y}", next=f"{following:%d-%m-%Y}",
        )  # fmt: skip
    elif end > _add_years(start, MAX_YEARS):
        _issue(row, result, "end_on", "too_long", M_TOO_LONG_PERIOD, years=MAX_YEARS)
    else:
        return
    values.pop("end_on", None)


PlaceKey = Callable[[ParsedRow], Hashable | None]


def same_figures(rows: Iterable[ParsedRow], place: PlaceKey, heading: str) -> list[Issue]:
    """The same indicator, place and period twice: a problem of the later row (in the column
    ``heading``). ``place`` gives a row's place as a key (None: unknown, the row is skipped),
    so "Nijmegen" and "GM0268" are the same once the municipality is looked up."""
    seen: dict[tuple[Any, ...], int] = {}
    found = []
    for row in rows:
        values = row.values
        where = place(row)
        if where is None or not all(values.get(k) for k in ("kpi", "start_on", "end_on")):
            continue
        key = (values["kpi"], where, values["start_on"], values["end_on"])
        if key in seen:
            found.append(
                Issue(row.row, heading, "same_figure", M_SAME_FIGURE, {"other": seen[key]})
            )
        else:
            seen[key] = row.row
    return found


def text_place(row: ParsedRow) -> tuple[str, str] | None:
    """A row's place as written (case and spaces aside): the key for :func:`same_figures`
    before municipalities are looked up."""
    values = row.values
    if values.get("municipality"):
        return ("gemeente", _key(values["municipality"]))
    if values.get("area"):
        return ("gebied", _key(values["area"]))
    return None


# --- The file -------------------------------------------------------------------------------------


def _table(today: dt.date) -> Table:
    normalisers: dict[str, Callable[[Cell], Any]] = {
        "kpi": lambda cell: parse_kpi(cell.text),
        "municipality": text,
        "area": text,
        "start_on": _date,
        "end_on": _date,
        "year": lambda cell: _year(cell, today),
        "value": _number,
        "source": text,
        "trend_break": _boolean,
        "note": text,
    }
    return Table(
        fields=FIELDS,
        normalisers=normalisers,
        no_headings=M_NO_HEADINGS,
        no_rows=M_NO_ROWS,
        too_many_rows=M_TOO_MANY_ROWS,
        check_row=_check_row(today),
    )


class ParseResult(TableResult):
    fields_by_key = FIELDS_BY_KEY


def _looks_like_json(content: bytes, filename: str) -> bool:
    if filename.lower().endswith(".json"):
        return True
    start = content.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
    return start in (b"[", b"{")


def _json_cell(value: Any) -> tuple[Cell, bool]:
    """(the cell, whether the value was a list or object)."""
    if isinstance(value, dict | list):
        return Cell("[…]"), True  # filled (no "fill in" problem); reported as nested
    if isinstance(value, Decimal):
        return Cell(str(value), numeric=True), False
    if isinstance(value, str):
        return Cell(clean(value)), False
    return cell_from_value(value), False


def _read_json(content: bytes, table: Table, result: ParseResult, max_rows: int) -> None:
    """A JSON list of objects as a table: the keys (in the order first met) are the headings,
    object *n* is row *n*."""
    result.file_format, result.encoding = "json", "UTF-8"
    try:
        data = json.loads(content.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        result.file_issues.append(Issue(0, "", "encoding", M_JSON_ENCODING))
        return
    except json.JSONDecodeError as exc:
        result.file_issues.append(
            Issue(
                0,
                "",
                "json_broken",
                M_JSON_BROKEN,
                {"line": exc.lineno, "column": exc.colno},
            )
        )
        return
    except RecursionError:
        result.file_issues.append(Issue(0, "", "json_shape", M_JSON_SHAPE))
        return
    if isinstance(data, dict):
        data = next(
            (data[k] for k in ("observations", "waarnemingen", "cijfers") if k in data), None
        )
    if not isinstance(data, list):
        result.file_issues.append(Issue(0, "", "json_shape", M_JSON_SHAPE))
        return
    if not data:
        result.file_issues.append(Issue(0, "", "no_rows", M_JSON_EMPTY))
        return
    keys: list[str] = []
    for item in data:
        if isinstance(item, dict):
            keys += [str(k) for k in item if str(k) not in keys]
    if not any(table.match_heading(k) for k in keys):
        result.file_issues.append(Issue(0, "", "no_headings", M_JSON_NO_KEYS))
        return
    nested: list[tuple[int, str]] = []
    not_objects: list[int] = []
    records: list[tuple[int, list[Cell]]] = [(-1, [Cell(k[:80]) for k in keys])]
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            not_objects.append(number)
            records.append((number, [Cell("?")]))  # a row of its own, reported below
            continue
        cells = []
        for key in keys:
            cell, is_nested = _json_cell(item.get(key))
            if is_nested:
                nested.append((number, key))
            cells.append(cell)
        records.append((number, cells))
    table._read_table(records, result, max_rows)  # noqa: SLF001 - the same reading as CSV/XLSX
    # The heading "row" of a JSON file is no row of the file: problems with it are the file's.
    result.file_issues = [replace(i, row=0) if i.row < 0 else i for i in result.file_issues]
    by_number = {row.row: row for row in result.rows}
    for number in not_objects:
        row = by_number.get(number)
        if row is not None:
            row.values.clear()
            row.issues[:] = [Issue(number, "", "json_not_object", M_JSON_NOT_OBJECT)]
    for number, key in nested:
        row = by_number.get(number)
        spec = table.match_heading(key)
        if row is not None and spec is not None:
            heading = result.columns.get(spec.key, key)
            row.issues[:] = [i for i in row.issues if i.column != heading]
            row.issues.append(Issue(number, heading, "json_nested", M_JSON_NESTED))
            row.values.pop(spec.key, None)


def _check_columns(result: ParseResult) -> None:
    """Every figure needs a place and a period: the columns for them must be there."""
    if result.file_issues or not result.header_row:
        return
    columns = result.columns
    row = max(result.header_row, 0)
    if "municipality" not in columns and "area" not in columns:
        result.file_issues.append(Issue(row, "gemeente", "missing_place", M_NO_PLACE_COLUMN))
    if "year" not in columns and not ("start_on" in columns and "end_on" in columns):
        missing = (
            "jaar"
            if "start_on" not in columns and "end_on" not in columns
            else ("tot" if "start_on" in columns else "van")
        )
        result.file_issues.append(Issue(row, missing, "missing_period", M_NO_PERIOD_COLUMN))


def parse(
    content: bytes,
    filename: str = "",
    *,
    today: dt.date | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> ParseResult:
    """Read a file of figures (CSV, XLSX or JSON). ``today``: the latest start of a period
    accepted (the local date when omitted). Never raises for bad input: every problem is an
    Issue. Duplicates in the file are checked by :func:`same_figures` (after the places are
    looked up: ``observation_services``)."""
    table = _table(today or dt.date.today())
    result = ParseResult()
    if len(content) <= max_bytes and _looks_like_json(content, filename):
        _read_json(content, table, result, max_rows)
    else:
        table.read(content, filename, result, max_bytes=max_bytes, max_rows=max_rows)
    _check_columns(result)
    return result
