"""Reading ESCO's CSV downloads: the **pure parsing core** of ``werkbrug import-esco``.

Text in, plain dataclasses out. No Django (no models, settings, database or translation
machinery), so it can be tested on its own and property-tested with arbitrary input. The
database half (matching records by URI, batched writes, the all-or-nothing run) lives in
``taxonomy.esco``.

What it accepts
---------------
ESCO v1.x "classification" CSV files in any language (``occupations_xx.csv``,
``skills_xx.csv``, ``occupationSkillRelations_xx.csv``): comma-separated, quoted fields that may
span several lines, UTF-8 with or without BOM. Columns are matched by their heading (case and
surrounding spaces ignored), so extra columns (``occupationLabel``, ``hiddenLabels``, ...) and
a different column order are fine; only the columns listed in ``*_REQUIRED`` must be there.

Rules
-----
* Row numbers are the ones a spreadsheet shows: the headings are row 1, the first record row 2.
  A quoted field spanning several lines is still one row. Blank rows are skipped.
* Every problem raises :class:`ParseError` naming the file, the row and the column. Messages
  are English msgids marked with :func:`gettext_noop`; ``ParseError.message`` is formatted
  with ``ParseError.params`` when shown (translated by the caller).
* ``altLabels`` are separated by new lines (some exports use ``|``); empty and duplicate
  names are dropped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "OCCUPATIONS_REQUIRED",
    "RELATIONS_REQUIRED",
    "SKILLS_REQUIRED",
    "OccupationRecord",
    "ParseError",
    "RelationRecord",
    "SkillRecord",
    "parse_occupations",
    "parse_relations",
    "parse_skills",
    "read_text",
    "skill_kind",
]

#: Longest label the database accepts (``label`` is a CharField(255)).
MAX_LABEL = 255
MAX_URI = 255
MAX_ESCO_CODE = 30

OCCUPATIONS_REQUIRED = ("conceptUri", "preferredLabel", "iscoGroup")
SKILLS_REQUIRED = ("conceptUri", "preferredLabel")
RELATIONS_REQUIRED = ("occupationUri", "skillUri")

ESSENTIAL = "essential"
OPTIONAL = "optional"

# Skill kinds, as stored in ``Skill.kind`` (``Skill.Kind`` values; repeated here so this
# module needs no Django).
KIND_SKILL = "vaardigheid"
KIND_KNOWLEDGE = "kennis"
KIND_ATTITUDE = "houding"

_SKILL_TYPES = {
    "knowledge": KIND_KNOWLEDGE,
    "skill/competence": KIND_SKILL,
    "skill": KIND_SKILL,
    "competence": KIND_SKILL,
    "transversal": KIND_ATTITUDE,
    "transversal skill": KIND_ATTITUDE,
    "attitude": KIND_ATTITUDE,
    "attitudes": KIND_ATTITUDE,
    "attitudes and values": KIND_ATTITUDE,
}

_ISCO = re.compile(r"^[0-9]{4}$")


def gettext_noop(message: str) -> str:
    """Mark a message for translation (``makemessages`` picks it up); translated when shown."""
    return message


@dataclass(eq=False)
class ParseError(Exception):
    """A problem in one file, at one row (None: the file as a whole) and column."""

    file: str
    row: int | None
    column: str
    message: str
    params: dict[str, str] = field(default_factory=dict)

    def describe(self, translate: Callable[[str], str] | None = None) -> str:
        """The problem as one sentence; ``translate`` (e.g. gettext) translates the parts."""
        tr: Callable[[str], str] = translate or (lambda text: text)
        text = tr(self.message) % self.params if self.params else tr(self.message)
        where = tr("%(file)s, row %(row)s") % {"file": self.file, "row": self.row}
        if self.row is None:
            where = self.file
        if self.column:
            where = tr("%(where)s, column %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {text}"

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class OccupationRecord:
    row: int
    uri: str
    isco_code: str
    esco_code: str
    label: str
    alt_labels: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class SkillRecord:
    row: int
    uri: str
    kind: str
    label: str
    alt_labels: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class RelationRecord:
    row: int
    occupation_uri: str
    skill_uri: str
    relation: str


def skill_kind(skill_type: str) -> str:
    """ESCO's ``skillType`` as a ``Skill.Kind`` value (unknown or empty: a skill)."""
    return _SKILL_TYPES.get(skill_type.strip().lower(), KIND_SKILL)


def read_text(path: str | Path, name: str | None = None) -> str:
    """A file's text (UTF-8, BOM removed), or a ParseError naming the file."""
    shown = name or Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(
            shown, None, "", gettext_noop("cannot be read (%(reason)s)."), {"reason": str(exc)}
        ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            shown,
            None,
            "",
            gettext_noop("is not UTF-8 text (byte %(position)s)."),
            {"position": str(exc.start)},
        ) from exc


# --- Rows ------------------------------------------------------------------------------------


class _Rows:
    """The records of one CSV text, looked up by column heading."""

    def __init__(self, text: str, file: str, required: tuple[str, ...]) -> None:
        self.file = file
        if text.startswith("\ufeff"):
            text = text[1:]
        self._reader = csv.reader(io.StringIO(text, newline=""))
        self._row = 0
        header = self._next()
        if header is None:
            raise ParseError(file, 1, "", gettext_noop("the file is empty."))
        self.columns: dict[str, int] = {}
        for index, heading in enumerate(header):
            self.columns.setdefault(heading.strip().lstrip("\ufeff").lower(), index)
        for name in required:
            if name.lower() not in self.columns:
                raise ParseError(
                    file,
                    1,
                    name,
                    gettext_noop("the column %(column)s is missing."),
                    {"column": name},
                )

    def _next(self) -> list[str] | None:
        try:
            row = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise ParseError(
                self.file,
                self._row + 1,
                "",
                gettext_noop("this row is not valid CSV (%(reason)s)."),
                {"reason": str(exc)},
            ) from exc
        self._row += 1
        return row

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while (row := self._next()) is not None:
            if any(cell.strip() for cell in row):
                yield self._row, row

    def value(self, row: list[str], name: str) -> str:
        index = self.columns.get(name.lower())
        if index is None or index >= len(row):
            return ""
        return row[index].strip()

    def required(self, number: int, row: list[str], name: str, limit: int = MAX_LABEL) -> str:
        text = self.value(row, name)
        if not text:
            raise ParseError(self.file, number, name, gettext_noop("this value is empty."))
        if len(text) > limit:
            raise ParseError(
                self.file,
                number,
                name,
                gettext_noop("this value is longer than %(limit)s characters."),
                {"limit": str(limit)},
            )
        return text


def _alt_labels(text: str, preferred: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in re.split(r"[\r\n|]+", text):
        name = part.strip()
        if name and name != preferred and len(name) <= MAX_LABEL:
            seen.setdefault(name, None)
    return tuple(seen)


def _no_duplicate(rows: _Rows, seen: dict[str, int], uri: str, number: int, column: str) -> None:
    if uri in seen:
        raise ParseError(
            rows.file,
            number,
            column,
            gettext_noop("%(uri)s is already in row %(first)s."),
            {"uri": uri, "first": str(seen[uri])},
        )
    seen[uri] = number


# --- Files -----------------------------------------------------------------------------------


def parse_occupations(text: str, file: str = "occupations.csv") -> list[OccupationRecord]:
    rows = _Rows(text, file, OCCUPATIONS_REQUIRED)
    records: list[OccupationRecord] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        uri = rows.required(number, row, "conceptUri", MAX_URI)
        _no_duplicate(rows, seen, uri, number, "conceptUri")
        label = rows.required(number, row, "preferredLabel")
        isco = rows.value(row, "iscoGroup")
        if isco.upper().startswith("C"):
            isco = isco[1:]  # some exports write the ISCO group as its notation "C9333"
        if not _ISCO.match(isco):
            raise ParseError(
                file,
                number,
                "iscoGroup",
                gettext_noop("%(value)r is not a four-digit ISCO-08 unit group."),
                {"value": rows.value(row, "iscoGroup")[:40]},
            )
        esco_code = rows.value(row, "code")
        if len(esco_code) > MAX_ESCO_CODE:
            raise ParseError(
                file,
                number,
                "code",
                gettext_noop("this value is longer than %(limit)s characters."),
                {"limit": str(MAX_ESCO_CODE)},
            )
        description = rows.value(row, "description") or rows.value(row, "definition")
        records.append(
            OccupationRecord(
                row=number,
                uri=uri,
                isco_code=isco,
                esco_code=esco_code,
                label=label,
                alt_labels=_alt_labels(rows.value(row, "altLabels"), label),
                description=description,
            )
        )
    return records


def parse_skills(text: str, file: str = "skills.csv") -> list[SkillRecord]:
    rows = _Rows(text, file, SKILLS_REQUIRED)
    records: list[SkillRecord] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        uri = rows.required(number, row, "conceptUri", MAX_URI)
        _no_duplicate(rows, seen, uri, number, "conceptUri")
        label = rows.required(number, row, "preferredLabel")
        description = rows.value(row, "description") or rows.value(row, "definition")
        records.append(
            SkillRecord(
                row=number,
                uri=uri,
                kind=skill_kind(rows.value(row, "skillType")),
                label=label,
                alt_labels=_alt_labels(rows.value(row, "altLabels"), label),
                description=description,
            )
        )
    return records


def parse_relations(text: str, file: str = "occupationSkillRelations.csv") -> list[RelationRecord]:
    """The occupation–skill links; a pair listed twice keeps its last relation type."""
    rows = _Rows(text, file, RELATIONS_REQUIRED)
    records: dict[tuple[str, str], RelationRecord] = {}
    for number, row in rows:
        occupation_uri = rows.required(number, row, "occupationUri", MAX_URI)
        skill_uri = rows.required(number, row, "skillUri", MAX_URI)
        relation = rows.value(row, "relationType").lower() or ESSENTIAL
        if relation not in (ESSENTIAL, OPTIONAL):
            raise ParseError(
                file,
                number,
                "relationType",
                gettext_noop("%(value)r is neither essential nor optional."),
                {"value": rows.value(row, "relationType")[:40]},
            )
        records[(occupation_uri, skill_uri)] = RelationRecord(
            row=number, occupation_uri=occupation_uri, skill_uri=skill_uri, relation=relation
        )
    return list(records.values())
