"""Reading the tables Dutch offices make (CSV and XLSX): the file layer shared by the imports.

Pure: no Django (no models, settings or translation machinery). Bytes in, numbered rows of
cleaned cells out, and every problem with the *file* as an :class:`Issue`. What the columns
mean and how a value is checked is up to each importer (``employers.imports``,
``candidates.imports``); they read a file with :func:`read_records`.

What is accepted
----------------
* CSV as Dutch Excel writes it: ``;`` separated (also ``,`` or tab; an Excel ``sep=;`` first
  line is honoured), encoded as UTF-8 with or without BOM, Windows-1252 (cp1252, "CSV
  (puntkomma-gescheiden)") or UTF-16 with BOM ("Unicode-tekst").
* XLSX: the first worksheet, read in openpyxl's streaming (read-only) mode; formula cells are
  read as their formula text, nothing is ever evaluated.
* Row numbers are the ones the user sees in Excel: the first row is 1.
* A value starting with ``=``, ``+``, ``-`` or ``@`` is text, never a formula. A leading ``'``
  that a spreadsheet export put before such a value (CSV-injection escaping) is removed.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from werkbrug.core.spreadsheets import FORMULA_START


def gettext_noop(message: str) -> str:
    """Mark a message for translation (``makemessages`` picks it up); translated when shown."""
    return message


#: Largest file accepted (bytes).
MAX_BYTES = 10 * 1024 * 1024
#: Columns read per row; anything to the right is ignored.
MAX_COLUMNS = 100
#: Blank rows tolerated on top of the row limit (an XLSX sheet "formatted" down to row 1,048,576).
MAX_BLANK_ROWS = 100_000
#: Largest unpacked size of an XLSX file (its XML), against zip bombs.
MAX_XLSX_UNPACKED = 200 * 1024 * 1024

# --- Messages (English msgids, translated when shown) ------------------------------------------

M_FILE_EMPTY = gettext_noop("The file is empty.")
M_FILE_TOO_BIG = gettext_noop(
    "The file is larger than %(limit)s MB. Split it into smaller files and import them one by one."
)
M_NOT_READABLE = gettext_noop(
    "This file cannot be read as CSV or XLSX. In Excel, choose “Save as” and pick "
    "“CSV (puntkomma-gescheiden)” or “Excel-werkmap (.xlsx)”."
)
M_OLD_XLS = gettext_noop(
    "Old Excel files (.xls) cannot be read. Save the file in Excel as “Excel-werkmap (.xlsx)” "
    "or as CSV."
)
M_XLSX_DAMAGED = gettext_noop(
    "This Excel file is damaged or is not a real .xlsx file. Open it in Excel and save it again "
    "as .xlsx or as CSV."
)
M_XLSX_TOO_BIG = gettext_noop(
    "This Excel file is too large once unpacked. Remove other worksheets and pictures, or save "
    "it as CSV."
)
M_ENCODING = gettext_noop(
    "This row contains characters that are neither UTF-8 nor Windows-1252. Save the file in "
    "Excel as “CSV UTF-8 (door komma's gescheiden)”."
)
M_CSV_BROKEN = gettext_noop(
    'From this row on the file cannot be read: a cell is too long or a quote (") is not closed.'
)
M_MISSING_COLUMN = gettext_noop(
    "The required column “%(heading)s” is missing. Add it to the first row of the file."
)
M_DUPLICATE_COLUMN = gettext_noop(
    "The columns “%(first)s” and “%(second)s” mean the same (%(heading)s). Keep one of them."
)
M_REQUIRED = gettext_noop("Fill in this column; it is required.")
M_TOO_LONG = gettext_noop("At most %(limit)s characters are allowed; this value has %(length)s.")
M_EXTRA_CELLS = gettext_noop(
    "This row has more cells (%(cells)s) than there are column headings (%(headings)s). Is "
    "there a separator inside a value? Put such a value between double quotes."
)


@dataclass(frozen=True)
class Issue:
    """One problem: where (row as in Excel, 0 for the file as a whole; column heading as written
    in the file, '' for the whole row) and what (a message with its parameters)."""

    row: int
    column: str
    code: str
    message: Any  # an English msgid (str, see gettext_noop) or a lazy message of core.validators
    params: Mapping[str, Any] = field(default_factory=dict)
    value: str = ""


@dataclass(frozen=True)
class Field:
    """A column an importer knows."""

    key: str
    heading: str  # the heading Werkbrug writes (example file, export)
    aliases: tuple[str, ...]  # normalised headings that mean this field (see normal_heading)
    required: bool = False
    max_length: int | None = None
    description: str = ""  # English msgid, explains the column on the import page


def make_field(key: str, heading: str, aliases: str, **options: Any) -> Field:
    return Field(key, heading, tuple(aliases.split()), **options)


def normal_heading(text: str) -> str:
    """A heading reduced to lower-case letters and digits: 'KvK-nummer' → 'kvknummer',
    'E-mail adres' → 'emailadres', 'Gemeente (naam of CBS-code)' → 'gemeente'."""
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


# --- Cells ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False  # it was a number in an XLSX sheet (leading zeros are lost)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str) -> str:
    """One line of text: control characters and runs of whitespace become one space; a
    spreadsheet's escaping apostrophe before a formula-like value is dropped."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) >= 2 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


def cell_from_value(value: Any) -> Cell:
    """Text of an XLSX cell value, as the user sees it (no formula is evaluated)."""
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell("ja" if value else "nee")
    if isinstance(value, int):
        return Cell(str(value), numeric=True)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return Cell(str(int(value)), numeric=True)
        return Cell(repr(value), numeric=True)
    if isinstance(value, datetime):
        return Cell(value.strftime("%d-%m-%Y %H:%M") if value.time() else f"{value:%d-%m-%Y}")
    if isinstance(value, date):
        return Cell(f"{value:%d-%m-%Y}")
    return Cell(str(value))


def cell_from_xlsx(value: Any) -> Cell:
    cell = cell_from_value(value)
    return Cell(clean(cell.text), cell.numeric)


# --- The file ---------------------------------------------------------------------------------


@dataclass
class TableFile:
    """What was learnt about the file itself; importers' results extend it."""

    file_format: str = ""  # "csv" | "xlsx" | ""
    encoding: str = ""
    delimiter: str = ""
    file_issues: list[Issue] = field(default_factory=list)

    def discard(self, *, everything: bool) -> None:
        """Forget the rows read (the file turned out unreadable part-way); ``everything``: also
        what was learnt about the columns. Importers' results override this."""


Records = Iterable[tuple[int, list[Cell]]]


def decode(content: bytes, result: TableFile) -> str | None:
    if content.startswith(codecs.BOM_UTF8):
        result.encoding = "UTF-8"
        try:
            return content[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            line = content.count(b"\n", 0, exc.start + 3) + 1
            result.file_issues.append(Issue(line, "", "encoding", M_ENCODING))
            return None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        result.encoding = "UTF-16"
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            result.file_issues.append(Issue(0, "", "not_readable", M_NOT_READABLE))
            return None
    if b"\x00" in content:
        result.file_issues.append(Issue(0, "", "not_readable", M_NOT_READABLE))
        return None
    try:
        text = content.decode("utf-8")
        result.encoding = "UTF-8"
        return text
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
        result.encoding = "Windows-1252"
        return text
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        result.file_issues.append(Issue(line, "", "encoding", M_ENCODING))
        return None


DELIMITERS = (";", ",", "\t")


def choose_delimiter(text: str, is_heading: Callable[[str], bool]) -> str:
    """The separator under which the first non-blank line has the most known headings; when
    none has any, csv.Sniffer's guess, else ';' (Dutch Excel)."""
    sample = text[:65536]
    first = next((line for line in sample.splitlines() if line.strip()), "")
    scores = []
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        scores.append((sum(1 for c in cells if is_heading(c)), -DELIMITERS.index(delimiter)))
    best = max(scores)
    if best[0] > 0:
        return DELIMITERS[-best[1]]
    try:
        head = "\n".join(sample.splitlines()[:5])[:4096]
        return csv.Sniffer().sniff(head, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ";"


def csv_records(text: str, delimiter: str, result: TableFile) -> Iterator[tuple[int, list[Cell]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error:
            result.file_issues.append(Issue(number + 1, "", "csv_broken", M_CSV_BROKEN))
            return
        number += 1
        yield number, [Cell(clean(value)) for value in record[:MAX_COLUMNS]]


def _read_csv(
    content: bytes,
    result: TableFile,
    consume: Callable[[Records], None],
    is_heading: Callable[[str], bool],
) -> None:
    result.file_format = "csv"
    text = decode(content, result)
    if text is None:
        return
    if not text.strip():
        result.file_issues.append(Issue(0, "", "empty", M_FILE_EMPTY))
        return
    first_line, _newline, rest = text.partition("\n")
    marker = first_line.strip().strip('"').lower()
    if marker.startswith("sep=") and len(marker) == 5:
        delimiter = first_line.strip().strip('"')[4]  # Excel's "sep=;" line (Excel hides it)
        text = rest
    else:
        delimiter = choose_delimiter(text, is_heading)
    result.delimiter = delimiter
    consume(csv_records(text, delimiter, result))
    if any(i.code == "csv_broken" for i in result.file_issues):
        result.discard(everything=False)


def _read_xlsx(
    content: bytes, result: TableFile, consume: Callable[[Records], None], max_unpacked: int
) -> None:
    result.file_format = "xlsx"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        result.file_issues.append(Issue(0, "", "xlsx_damaged", M_XLSX_DAMAGED))
        return
    if unpacked > max_unpacked:
        result.file_issues.append(Issue(0, "", "xlsx_too_big", M_XLSX_TOO_BIG))
        return
    import openpyxl  # imported here: CSV imports do not need it

    workbook = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=False, keep_links=False
            )
            if not workbook.worksheets:
                raise ValueError("no worksheet")
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some programs write a wrong size; read what is there
            consume(
                (number, [cell_from_xlsx(v) for v in values])
                for number, values in enumerate(
                    sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
                )
            )
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        result.discard(everything=True)
        result.file_issues = [Issue(0, "", "xlsx_damaged", M_XLSX_DAMAGED)]
    finally:
        if workbook is not None:
            workbook.close()


def read_records(
    content: bytes,
    filename: str,
    result: TableFile,
    consume: Callable[[Records], None],
    *,
    is_heading: Callable[[str], bool],
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_XLSX_UNPACKED,
) -> None:
    """Open a CSV or XLSX file and hand its numbered rows of cells to ``consume``. Problems
    with the file itself go to ``result.file_issues``. Never raises for bad input."""
    if len(content) > max_bytes:
        result.file_issues.append(
            Issue(0, "", "too_big", M_FILE_TOO_BIG, {"limit": max(1, max_bytes // (1024 * 1024))})
        )
        return
    name = filename.lower()
    if content.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        result.file_issues.append(Issue(0, "", "old_xls", M_OLD_XLS))
        return
    if content.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        _read_xlsx(content, result, consume, max_unpacked)
        return
    bom_only = content in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if not content.strip() or bom_only:
        result.file_format = "csv"
        result.file_issues.append(Issue(0, "", "empty", M_FILE_EMPTY))
        return
    _read_csv(content, result, consume, is_heading)


# --- The table: a heading row, then one record per row ----------------------------------------


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]  # field key → normalised value (only for cells without problems)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class ParseResult(TableFile):
    """A file read by an importer; each importer's subclass names its own ``fields_by_key``."""

    fields_by_key: ClassVar[Mapping[str, Field]] = {}

    header_row: int = 0
    width: int = 0  # cells in the heading row
    columns: dict[str, str] = field(default_factory=dict)  # field key → heading in the file
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)

    def discard(self, *, everything: bool) -> None:
        self.rows = []
        if everything:
            self.columns, self.ignored_columns = {}, []

    @property
    def issues(self) -> list[Issue]:
        """Every problem, by row and then by column as they stand in the file."""
        found = list(self.file_issues)
        for row in self.rows:
            found.extend(row.issues)
        return sorted(found, key=lambda i: (i.row, self.column_position(i.column)))

    def column_position(self, heading: str) -> int:
        """Where a column stands in the file (a whole-row problem first, an absent column last)."""
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
        """The heading of a field as written in the file (or Werkbrug's own)."""
        return self.columns.get(key) or self.fields_by_key[key].heading


R = TypeVar("R", bound=ParseResult)


class Invalid(Exception):
    """A cell value an importer refuses: a code, a message (msgid) and its parameters."""

    def __init__(self, code: str, message: Any, **params: Any) -> None:
        super().__init__(code)
        self.code, self.message, self.params = code, message, params


def validator(normalize: Callable[[str], str], messages: Mapping[str, Any]) -> Callable[[str], str]:
    """A ``normalize_*`` function whose ValueError(code) becomes :class:`Invalid` with the
    message for that code (``messages``; else :data:`M_NOT_READABLE`)."""

    def run(text: str) -> str:
        try:
            return normalize(text)
        except ValueError as exc:
            code = str(exc.args[0]) if exc.args else ""
            raise Invalid(code, messages.get(code, M_NOT_READABLE)) from None

    return run


def phone_text(cell: Cell) -> str:
    """A phone number's text; the leading zero an Excel number cell lost is put back."""
    text = cell.text.lstrip("'")
    if cell.numeric and text.isascii() and text.isdigit() and len(text) == 9:
        text = "0" + text  # 0612345678 typed into a number cell became 612345678
    return text


def text(cell: Cell) -> str:
    return cell.text


def _shown(key: str, text: str) -> str:
    return text[:80]


@dataclass
class Table:
    """What an importer's file holds and how its rows are read (see :meth:`read`)."""

    fields: tuple[Field, ...]
    normalisers: Mapping[str, Callable[[Cell], Any]]
    no_headings: str  # msgid, with %(row)s
    no_rows: str  # msgid
    too_many_rows: str  # msgid, with %(limit)s
    #: A long run of blank rows: True, the rows are too many; False, reading stops there.
    blank_tail_is_too_many: bool = False
    #: The value of an empty cell (absent: the key is left out of the row's values).
    empty: Callable[[str], Any] | None = None
    #: The value as a problem report may show it.
    shown: Callable[[str, str], str] = _shown
    #: Checks of a whole row, after its cells (row, cells, column index).
    check_row: Callable[[ParsedRow, list[Cell], dict[str, int], ParseResult], None] | None = None
    #: Checks across the rows (such as the same person twice), once all were read.
    check_rows: Callable[[ParseResult], None] | None = None
    by_key: dict[str, Field] = field(init=False)
    aliases: dict[str, Field] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {f.key: f for f in self.fields}
        self.aliases = {alias: f for f in self.fields for alias in f.aliases}

    def match_heading(self, text: str) -> Field | None:
        return self.aliases.get(normal_heading(text))

    def read(
        self,
        content: bytes,
        filename: str,
        result: R,
        *,
        max_bytes: int,
        max_rows: int,
        max_unpacked: int = MAX_XLSX_UNPACKED,
    ) -> R:
        """Read a file into ``result``. Never raises for bad input: every problem is an Issue."""
        read_records(
            content,
            filename,
            result,
            lambda records: self._read_table(records, result, max_rows),
            is_heading=lambda text: self.match_heading(text) is not None,
            max_bytes=max_bytes,
            max_unpacked=max_unpacked,
        )
        return result

    def _read_table(self, records: Records, result: ParseResult, max_rows: int) -> None:
        """Headings (the first non-blank row), then the records; fills ``result``."""
        index: dict[str, int] = {}
        count = 0
        too_many = Issue(0, "", "too_many_rows", self.too_many_rows, {"limit": max_rows})
        for number, cells in records:
            if not any(c.text for c in cells):
                if number > max_rows + MAX_BLANK_ROWS:
                    if not self.blank_tail_is_too_many:
                        break
                    result.file_issues.append(too_many)
                    result.rows = []
                    return
                continue
            if not result.header_row:
                result.header_row = number
                index = self._read_headings(number, cells, result)
                if result.file_issues:
                    return
                continue
            count += 1
            if count > max_rows:
                result.file_issues.append(too_many)
                result.rows = []
                return
            result.rows.append(self._parse_row(number, cells, result, index))
        if not result.header_row:
            result.file_issues.append(Issue(0, "", "empty", M_FILE_EMPTY))
        elif not result.rows:
            result.file_issues.append(Issue(0, "", "no_rows", self.no_rows))
        elif self.check_rows is not None:
            self.check_rows(result)

    def _read_headings(self, number: int, cells: list[Cell], result: ParseResult) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, cell in enumerate(cells):
            if not cell.text:
                continue
            spec = self.match_heading(cell.text)
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
            result.file_issues.append(
                Issue(number, "", "no_headings", self.no_headings, {"row": number})
            )
            return index
        for spec in self.fields:
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

    def _parse_row(
        self, number: int, cells: list[Cell], result: ParseResult, index: dict[str, int]
    ) -> ParsedRow:
        row = ParsedRow(row=number, values={})
        for key, position in index.items():
            spec = self.by_key[key]
            heading = result.columns[key]
            cell = cells[position] if position < len(cells) else Cell("")
            if not cell.text:
                if spec.required:
                    row.issues.append(Issue(number, heading, "required", M_REQUIRED))
                if self.empty is not None:
                    row.values[key] = self.empty(key)
                continue
            if spec.max_length and len(cell.text) > spec.max_length:
                row.issues.append(
                    Issue(
                        number,
                        heading,
                        "too_long",
                        M_TOO_LONG,
                        {"limit": spec.max_length, "length": len(cell.text)},
                        self.shown(key, cell.text),
                    )
                )
                continue
            try:
                row.values[key] = self.normalisers[key](cell)
            except Invalid as invalid:
                row.issues.append(
                    Issue(
                        number,
                        heading,
                        invalid.code,
                        invalid.message,
                        invalid.params,
                        self.shown(key, cell.text),
                    )
                )
        if self.check_row is not None:
            self.check_row(row, cells, index, result)
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
