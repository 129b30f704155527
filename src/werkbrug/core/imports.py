"""The Django half the file imports share (``employers.io_services``, ``candidates.io_services``
and their pages): the report with its problems per row and column, the municipality look-up in
the actor's region, the upload form and the column help of the import page. Reading the file
itself is ``core.tabular``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.tabular import Field, Issue, ParseResult

if TYPE_CHECKING:
    from werkbrug.regions.models import Municipality

DELIMITER_NAMES = {";": _("semicolon (;)"), ",": _("comma (,)"), "\t": _("tab")}

M_MUNICIPALITY_UNKNOWN = _(
    "There is no municipality “%(value)s” in your region. Use the name or the CBS code "
    "(such as GM0268)."
)
M_MUNICIPALITY_ENDED = _("The municipality %(name)s no longer exists (since %(date)s).")


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportError:
    row: int  # as in Excel; 0 = the file as a whole
    column: str  # heading as written in the file; '' = the whole row
    message: str
    value: str = ""  # as shown to the user (a BSN masked)

    def __str__(self) -> str:
        where = gettext("Row %(row)s") % {"row": self.row} if self.row else gettext("File")
        if self.column:
            where += ", " + gettext("column '%(column)s'") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """What an import read and found; each import's report adds its own outcome."""

    filename: str
    file_format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0  # rows read below the headings
    errors: list[ReportError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @classmethod
    def of(cls: type[R], parsed: ParseResult, filename: str) -> R:
        return cls(
            filename=filename,
            file_format=parsed.file_format,
            encoding=parsed.encoding,
            delimiter=parsed.delimiter,
            rows=len(parsed.rows),
            ignored_columns=list(parsed.ignored_columns),
        )

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def delimiter_name(self) -> str:
        return str(DELIMITER_NAMES.get(self.delimiter, self.delimiter))

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def errors_per_column(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for error in self.errors:
            counts[error.column] = counts.get(error.column, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


R = TypeVar("R", bound=ImportReport)
P = TypeVar("P")


def issue_text(issue: Issue) -> str:
    """The message of a parser issue in the active language."""
    message = gettext(issue.message) if isinstance(issue.message, str) else str(issue.message)
    return message % dict(issue.params) if issue.params else message


def issue_error(issue: Issue) -> ReportError:
    return ReportError(issue.row, issue.column, issue_text(issue), issue.value)


def field_errors(
    error: ValidationError,
    row: int,
    parsed: ParseResult,
    field_map: dict[str, str] | None = None,
) -> list[ReportError]:
    """A model's ValidationError as problems of the row, in the column of each field
    (``field_map``: model field → import field, where their names differ)."""
    found = []
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            key = (field_map or {}).get(name, name)
            column = parsed.heading(key) if key in parsed.fields_by_key else ""
            found += [ReportError(row, column, str(message)) for message in messages]
    else:
        found += [ReportError(row, "", str(message)) for message in error.messages]
    return found


def check_rows(
    actor: access.Actor,
    parsed: ParseResult,
    report: ImportReport,
    plan: Callable[[access.Actor, Any, list[ReportError]], list[P]],
    no_region: Any,
) -> list[P]:
    """The file's problems, or else every row checked by ``plan`` against the actor's region:
    all problems go to ``report.errors`` (by row, then column); the rows planned are returned."""
    if parsed.file_issues:
        report.errors = [issue_error(i) for i in parsed.issues]
        return []
    if actor.region_id is None:
        report.errors = [ReportError(0, "", str(no_region))]
        return []
    errors = [issue_error(i) for i in parsed.issues]
    plans = plan(actor, parsed, errors)
    report.errors = sorted(errors, key=lambda e: (e.row, parsed.column_position(e.column)))
    return plans


# --- Look-ups in the actor's region -------------------------------------------------------------


def lookup_key(text: str) -> str:
    return " ".join(text.casefold().split())


class Municipalities:
    """The municipalities of a region by name and CBS code ("GM0268", "268", "Gemeente X")."""

    def __init__(self, municipalities: Iterable[Municipality]) -> None:
        self.by_key: dict[str, Municipality] = {}
        for municipality in municipalities:
            self.by_key.setdefault(lookup_key(municipality.name), municipality)
            if municipality.cbs_code:
                self.by_key[lookup_key(municipality.cbs_code)] = municipality

    def find(self, text: str) -> tuple[Municipality | None, Any, dict[str, Any]]:
        """(municipality, None, {}) or (None, message, its parameters)."""
        key = lookup_key(text)
        found = self.by_key.get(key)
        if found is None and key.startswith("gemeente "):
            found = self.by_key.get(key.removeprefix("gemeente "))
        if found is None and key.isascii() and key.isdigit() and len(key) <= 4:
            found = self.by_key.get(f"gm{int(key):04d}")  # CBS code without GM
        if found is None:
            return None, M_MUNICIPALITY_UNKNOWN, {"value": text}
        if found.ended_on is not None:
            params = {"name": found.name, "date": found.ended_on.strftime("%d-%m-%Y")}
            return None, M_MUNICIPALITY_ENDED, params
        return found, None, {}


# --- The import page ------------------------------------------------------------------------------

ACCEPTED_TYPES = (
    ".csv,.txt,.xlsx,text/csv,text/plain,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class UploadForm(forms.Form):
    """The file to import; ``max_bytes`` is the importer's limit (read when checked)."""

    bestand = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by semicolons, commas or tabs) or Excel (.xlsx), at most 10 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_TYPES}),
    )

    def max_bytes(self) -> int:
        raise NotImplementedError

    def clean_bestand(self) -> Any:
        upload = self.cleaned_data["bestand"]
        limit = self.max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files."),
                params={"limit": limit // (1024 * 1024)},
            )
        return upload


def column_help(fields: Iterable[Field]) -> list[dict[str, Any]]:
    """The import page's table of columns."""
    return [
        {
            "heading": spec.heading,
            "required": spec.required,
            "description": gettext(spec.description) if spec.description else "",
            "max_length": spec.max_length,
        }
        for spec in fields
    ]
