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
from typing import Any

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
