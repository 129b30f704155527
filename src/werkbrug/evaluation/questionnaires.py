"""Questionnaires for the evaluation surveys: the format, its checks and the answers (pure).

Standard library only, no Django. A questionnaire is written as JSON (the shipped templates
live in ``evaluation/data/questionnaires/``, one file per code) and read into frozen
dataclasses by :func:`parse`; :func:`to_dict` writes it back, so a survey can keep its own
copy (``Survey.questionnaire``) while the template moves on.

**The format** (WT §3, ch. 5 and 6; domain guide §9)::

    {"code": "werktop_kandidaat", "version": 1, "audience": "candidate",
     "title": "...", "intro": "...", "source": "Werktop-evaluatie 2014, hoofdstuk 6",
     "sections": [
       {"code": "achtergrond", "title": "...", "intro": "...", "show_if": null,
        "questions": [
          {"code": "werksituatie", "text": "...", "kind": "single",
           "options": [{"value": "1", "label": "..."}], "required": true,
           "show_if": {"question": "other_code", "in": ["1", "2"]}, "help": ""}]}]}

Kinds (:class:`Kind`):

- ``likert``: five points of a named scale (``"scale"``, one of :data:`SCALES`); the options
  come from the scale. Values ``"1"`` … ``"5"``, 1 the most positive, as the report codes them.
- ``grade``: a *rapportcijfer*, an integer from 1 to 10 (``"min"``/``"max"`` may narrow it).
- ``single``: one of ``"options"``; ``multi``: several (a list), at most ``"max_choices"``.
- ``yesno``: ``"ja"`` or ``"nee"``.
- ``text``: open text of at most ``"max_length"`` characters (default 2000).
- ``number``: an integer from ``"min"`` to ``"max"`` (both required), e.g. hours per week.

**Skip logic.** ``show_if`` on a question or a section shows it only when the referenced
question, which must come *earlier* in the questionnaire and be a choice question (likert,
single, multi, yesno), has an answer in the list (for ``multi``: any overlap). A hidden
question is never required and its answer is dropped; a question behind a hidden one is
hidden too, since the answer it depends on is gone.

Codes (questionnaire, sections, questions) match ``^[a-z][a-z0-9_]{0,39}$``; question codes
are unique in the whole questionnaire, because answers are stored by question code (and the
candidate and control questionnaires share codes, so they can be cross-tabulated). Option
values match ``^[a-z0-9][a-z0-9_]{0,39}$``. Survey codes are never renumbered: change the
``version`` instead.

**Collapsed reporting.** The report shows five points as three: :func:`collapse` maps 1 and 2
to ``"positive"``, 3 to ``"neutral"`` and 4 and 5 to ``"negative"``, and
:func:`collapsed_labels` gives the Dutch column heads ("(Helemaal) mee eens" …).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final, Literal

CODE_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
VALUE_RE: Final = re.compile(r"[a-z0-9][a-z0-9_]{0,39}")
#: An answer to a grade or number question: ASCII digits only, at most nine of them.
_INTEGER_RE: Final = re.compile(r"-?[0-9]{1,9}")
DEFAULT_MAX_LENGTH: Final = 2000
#: The longest a template may allow an open answer to be.
MAX_LENGTH_LIMIT: Final = 10000
GRADE_MIN: Final = 1
GRADE_MAX: Final = 10
#: Bounds of a number question stay within what an answer can spell (nine digits).
NUMBER_LIMIT: Final = 999_999_999

TEMPLATE_PACKAGE: Final = "werkbrug.evaluation"

REQUIRED_MESSAGE: Final = "Dit antwoord is verplicht."
UNKNOWN_MESSAGE: Final = "Onbekend antwoord."
INVALID_MESSAGE: Final = "Ongeldig antwoord."


class Kind(StrEnum):
    LIKERT = "likert"
    GRADE = "grade"
    SINGLE = "single"
    MULTI = "multi"
    YESNO = "yesno"
    TEXT = "text"
    NUMBER = "number"


class Audience(StrEnum):
    EMPLOYER = "employer"
    CANDIDATE = "candidate"
    CONTROL = "control"


#: The kinds a ``show_if`` may point to: those with a fixed list of answers.
CHOICE_KINDS: Final = frozenset({Kind.LIKERT, Kind.SINGLE, Kind.MULTI, Kind.YESNO})

Collapsed = Literal["positive", "neutral", "negative"]
COLLAPSED_ORDER: Final[tuple[Collapsed, ...]] = ("positive", "neutral", "negative")


class QuestionnaireError(ValueError):
    """A questionnaire that cannot be used; ``problems`` lists every fault, in Dutch, with
    its place ("Sectie 2, vraag 'werksituatie': onbekend soort 'likertt'")."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Scale:
    """A named five-point scale; ``collapsed`` holds the Dutch labels of the three collapsed
    categories, in the order positive, neutral, negative."""

    code: str
    title: str
    options: tuple[Option, ...]
    collapsed: tuple[str, str, str]


def _scale(code: str, title: str, labels: Sequence[str], collapsed: tuple[str, str, str]) -> Scale:
    options = tuple(Option(str(n), label) for n, label in enumerate(labels, start=1))
    return Scale(code=code, title=title, options=options, collapsed=collapsed)


SCALES: Final[Mapping[str, Scale]] = MappingProxyType(
    {
        "eens": _scale(
            "eens",
            "Mate van instemming",
            ("Helemaal mee eens", "Mee eens", "Neutraal", "Mee oneens", "Helemaal mee oneens"),
            ("(Helemaal) mee eens", "Neutraal", "(Helemaal) mee oneens"),
        ),
        "tevreden": _scale(
            "tevreden",
            "Tevredenheid",
            ("Heel tevreden", "Tevreden", "Neutraal", "Ontevreden", "Heel ontevreden"),
            ("(Heel) tevreden", "Neutraal", "(Heel) ontevreden"),
        ),
        "belangrijk": _scale(
            "belangrijk",
            "Belang",
            ("Heel belangrijk", "Belangrijk", "Neutraal", "Onbelangrijk", "Heel onbelangrijk"),
            ("(Heel) belangrijk", "Neutraal", "(Heel) onbelangrijk"),
        ),
        "aansluiting": _scale(
            "aansluiting",
            "Aansluiting bij behoeften",
            ("Heel goed", "Goed", "Neutraal", "Slecht", "Heel slecht"),
            ("(Heel) goed", "Neutraal", "(Heel) slecht"),
        ),
    }
)

YESNO_OPTIONS: Final = (Option("ja", "Ja"), Option("nee", "Nee"))

_COLLAPSE: Final[Mapping[str, Collapsed]] = MappingProxyType(
    {"1": "positive", "2": "positive", "3": "neutral", "4": "negative", "5": "negative"}
)


def collapse(scale_code: str, value: str | int) -> Collapsed:
    """The report's three points for a five-point answer: 1, 2 positive; 3 neutral; 4, 5
    negative. Raises ``ValueError`` for an unknown scale or value."""
    if scale_code not in SCALES:
        raise ValueError(f"Onbekende schaal '{scale_code}'.")
    key = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(key, str) or key not in _COLLAPSE:
        raise ValueError(f"Geen antwoord op schaal '{scale_code}': {value!r}.")
    return _COLLAPSE[key]


def collapsed_labels(scale_code: str) -> dict[Collapsed, str]:
    """The Dutch labels of the collapsed categories of a scale, positive first."""
    if scale_code not in SCALES:
        raise ValueError(f"Onbekende schaal '{scale_code}'.")
    return dict(zip(COLLAPSED_ORDER, SCALES[scale_code].collapsed, strict=True))


@dataclass(frozen=True)
class ShowIf:
    """Show when the answer to ``question`` is one of ``values`` (``"in"`` in JSON)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    kind: Kind
    required: bool = True
    help: str = ""
    show_if: ShowIf | None = None
    #: Own options of a single or multi question (a likert question takes its scale's).
    options: tuple[Option, ...] = ()
    #: The named scale of a likert question.
    scale: str | None = None
    #: At most this many answers to a multi question (None: no limit).
    max_choices: int | None = None
    #: The longest open answer (text questions only).
    max_length: int | None = None
    #: Bounds of a grade or number question.
    minimum: int | None = None
    maximum: int | None = None

    @property
    def choices(self) -> tuple[Option, ...]:
        """The answers to choose from: the scale's for likert, ja/nee for yesno, the own
        options for single and multi; empty for grade, number and text."""
        if self.kind is Kind.LIKERT:
            scale = SCALES.get(self.scale or "")
            return scale.options if scale is not None else ()
        if self.kind is Kind.YESNO:
            return YESNO_OPTIONS
        return self.options

    def label(self, value: str) -> str:
        """The label of an answer value (the value itself when it has none)."""
        for option in self.choices:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""
    show_if: ShowIf | None = None


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: int
    audience: Audience
    title: str
    intro: str
    sections: tuple[Section, ...]
    source: str = ""

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in order."""
        return tuple(question for section in self.sections for question in section.questions)

    def question(self, code: str) -> Question:
        """The question with this code; ``KeyError`` when there is none."""
        for question in self.questions:
            if question.code == code:
                return question
        raise KeyError(code)


# --- Parsing -----------------------------------------------------------------------------

_QUESTIONNAIRE_KEYS: Final = frozenset(
    {"code", "version", "audience", "title", "intro", "source", "sections"}
)
_SECTION_KEYS: Final = frozenset({"code", "title", "intro", "show_if", "questions"})
_SHOW_IF_KEYS: Final = frozenset({"question", "in"})
_OPTION_KEYS: Final = frozenset({"value", "label"})
_COMMON_QUESTION_KEYS: Final = frozenset({"code", "text", "kind", "required", "show_if", "help"})
_KIND_KEYS: Final[Mapping[Kind, frozenset[str]]] = MappingProxyType(
    {
        Kind.LIKERT: frozenset({"scale"}),
        Kind.GRADE: frozenset({"min", "max"}),
        Kind.SINGLE: frozenset({"options"}),
        Kind.MULTI: frozenset({"options", "max_choices"}),
        Kind.YESNO: frozenset(),
        Kind.TEXT: frozenset({"max_length"}),
        Kind.NUMBER: frozenset({"min", "max"}),
    }
)
_ALL_QUESTION_KEYS: Final = _COMMON_QUESTION_KEYS.union(*_KIND_KEYS.values())
_KINDS: Final = frozenset(kind.value for kind in Kind)
_AUDIENCES: Final = frozenset(audience.value for audience in Audience)
_KIND_NAMES: Final = ", ".join(kind.value for kind in Kind)
_AUDIENCE_NAMES: Final = ", ".join(audience.value for audience in Audience)
_SHOWN_MAX: Final = 60


def _show(value: object) -> str:
    """A value for a message: quoted, and cut short so a hostile template stays readable."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > _SHOWN_MAX:
        text = text[: _SHOWN_MAX - 1] + "…"
    return f"'{text}'"


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class _Seen:
    """What a later ``show_if`` needs to know of an earlier question."""

    kind: Kind | None
    values: frozenset[str] | None


class _Parser:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: dict[str, _Seen] = {}
        self.all_codes: set[str] = set()
        self.section_codes: set[str] = set()

    def problem(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    # Fields -----------------------------------------------------------------------------

    def unknown_keys(
        self, place: str, data: Mapping[object, object], allowed: frozenset[str]
    ) -> None:
        for key in data:
            if key not in allowed:
                self.problem(place, f"onbekend veld {_show(key)}")

    def text(
        self, place: str, data: Mapping[str, object], key: str, what: str, *, required: bool
    ) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(place, f"{what} ontbreekt")
            return ""
        if not isinstance(value, str):
            self.problem(place, f"{what} moet tekst zijn")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(place, f"{what} is leeg")
        return value

    def code(self, place: str, value: object) -> str | None:
        if value is None:
            self.problem(place, "code ontbreekt")
            return None
        if not isinstance(value, str) or not CODE_RE.fullmatch(value):
            self.problem(
                place,
                f"ongeldige code {_show(value)} (kleine letters, cijfers en _, begint met een "
                "letter, ten hoogste 40 tekens)",
            )
            return None
        return value

    def integer(self, place: str, data: Mapping[str, object], key: str, what: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not _is_int(value):
            self.problem(place, f"{what} moet een heel getal zijn, niet {_show(value)}")
            return None
        assert isinstance(value, int)
        return value

    def required_flag(self, place: str, data: Mapping[str, object]) -> bool:
        value = data.get("required", True)
        if not isinstance(value, bool):
            self.problem(place, f"'required' moet true of false zijn, niet {_show(value)}")
            return True
        return value

    # Structure --------------------------------------------------------------------------

    def collect_codes(self, sections: Sequence[object]) -> None:
        """Every question code in the raw data, to tell a later question from an unknown one."""
        for section in sections:
            if not isinstance(section, Mapping):
                continue
            questions = section.get("questions")
            if not _is_list(questions):
                continue
            assert isinstance(questions, Sequence)
            for question in questions:
                if isinstance(question, Mapping) and isinstance(question.get("code"), str):
                    self.all_codes.add(question["code"])

    def questionnaire(self, data: object) -> Questionnaire | None:
        place = "Vragenlijst"
        if not isinstance(data, Mapping):
            self.problem(place, "moet een object zijn")
            return None
        self.unknown_keys(place, data, _QUESTIONNAIRE_KEYS)
        code = self.code(place, data.get("code"))
        version = self.integer(place, data, "version", "versie")
        if "version" not in data:
            self.problem(place, "versie ontbreekt")
        elif version is not None and version < 1:
            self.problem(place, f"versie moet 1 of hoger zijn, niet {version}")
        audience_raw = data.get("audience")
        audience: Audience | None = None
        if audience_raw is None:
            self.problem(place, "doelgroep ('audience') ontbreekt")
        elif not isinstance(audience_raw, str) or audience_raw not in _AUDIENCES:
            self.problem(
                place, f"onbekende doelgroep {_show(audience_raw)} (kies uit {_AUDIENCE_NAMES})"
            )
        else:
            audience = Audience(audience_raw)
        title = self.text(place, data, "title", "titel", required=True)
        intro = self.text(place, data, "intro", "inleiding", required=True)
        source = self.text(place, data, "source", "bron", required=False)

        raw_sections = data.get("sections")
        sections: list[Section | None] = []
        if not _is_list(raw_sections) or not raw_sections:
            self.problem(place, "geen secties")
        else:
            assert isinstance(raw_sections, Sequence)
            self.collect_codes(raw_sections)
            sections = [self.section(i, raw) for i, raw in enumerate(raw_sections, start=1)]

        if self.problems or code is None or version is None or audience is None:
            return None
        return Questionnaire(
            code=code,
            version=version,
            audience=audience,
            title=title,
            intro=intro,
            source=source,
            sections=tuple(section for section in sections if section is not None),
        )

    def section(self, number: int, data: object) -> Section | None:
        place = f"Sectie {number}"
        if not isinstance(data, Mapping):
            self.problem(place, "moet een object zijn")
            return None
        self.unknown_keys(place, data, _SECTION_KEYS)
        code = self.code(place, data.get("code"))
        if code is not None:
            if code in self.section_codes:
                self.problem(place, f"code '{code}' komt al eerder voor")
            self.section_codes.add(code)
        title = self.text(place, data, "title", "titel", required=True)
        intro = self.text(place, data, "intro", "inleiding", required=False)
        show_if = self.show_if(place, data.get("show_if"), own_code=None)

        raw_questions = data.get("questions")
        questions: list[Question | None] = []
        if not _is_list(raw_questions) or not raw_questions:
            self.problem(place, "geen vragen")
        else:
            assert isinstance(raw_questions, Sequence)
            questions = [
                self.question(number, j, raw) for j, raw in enumerate(raw_questions, start=1)
            ]
        if code is None:
            return None
        return Section(
            code=code,
            title=title,
            intro=intro,
            show_if=show_if,
            questions=tuple(question for question in questions if question is not None),
        )

    def show_if(self, place: str, data: object, *, own_code: str | None) -> ShowIf | None:
        if data is None:
            return None
        if not isinstance(data, Mapping):
            self.problem(place, "show_if moet een object zijn met 'question' en 'in'")
            return None
        self.unknown_keys(f"{place}, show_if", data, _SHOW_IF_KEYS)
        ref = data.get("question")
        values = data.get("in")
        ok = True
        if not isinstance(ref, str) or not CODE_RE.fullmatch(ref):
            self.problem(place, f"show_if verwijst niet naar een geldige vraagcode: {_show(ref)}")
            ok = False
        answers: tuple[str, ...] = ()
        if isinstance(values, list | tuple) and all(isinstance(value, str) for value in values):
            answers = tuple(str(value) for value in values)
        if not answers:
            self.problem(place, "show_if: 'in' moet een niet-lege lijst met antwoorden zijn")
            ok = False
        if not ok or not isinstance(ref, str):
            return None
        seen = self.seen.get(ref)
        if seen is None:
            if ref == own_code:
                self.problem(place, f"show_if verwijst naar de vraag zelf ('{ref}')")
            elif ref in self.all_codes:
                self.problem(
                    place,
                    f"show_if verwijst naar vraag '{ref}', die pas later komt (alleen een "
                    "eerdere vraag mag)",
                )
            else:
                self.problem(place, f"show_if verwijst naar onbekende vraag '{ref}'")
            return None
        if seen.kind is not None and seen.kind not in CHOICE_KINDS:
            self.problem(
                place,
                f"show_if kan alleen verwijzen naar een keuzevraag; '{ref}' is van soort "
                f"'{seen.kind.value}'",
            )
            return None
        if seen.values is not None:
            unknown = [value for value in answers if value not in seen.values]
            if unknown:
                shown = ", ".join(_show(value) for value in unknown)
                self.problem(place, f"show_if: vraag '{ref}' kent het antwoord {shown} niet")
                return None
        return ShowIf(question=ref, values=answers)

    def question(self, section: int, number: int, data: object) -> Question | None:
        place = f"Sectie {section}, vraag {number}"
        if not isinstance(data, Mapping):
            self.problem(place, "moet een object zijn")
            return None
        raw_code = data.get("code")
        code = self.code(place, raw_code)
        if code is not None:
            place = f"Sectie {section}, vraag '{code}'"
            if code in self.seen:
                self.problem(place, f"code '{code}' komt al eerder voor")
                code = None

        text = self.text(place, data, "text", "vraagtekst", required=True)
        help_text = self.text(place, data, "help", "toelichting", required=False)
        required = self.required_flag(place, data)
        show_if = self.show_if(place, data.get("show_if"), own_code=code)

        raw_kind = data.get("kind")
        kind: Kind | None = None
        if raw_kind is None:
            self.problem(place, "soort ('kind') ontbreekt")
        elif not isinstance(raw_kind, str) or raw_kind not in _KINDS:
            self.problem(place, f"onbekend soort {_show(raw_kind)} (kies uit {_KIND_NAMES})")
        else:
            kind = Kind(raw_kind)

        if kind is None:
            self.unknown_keys(place, data, _ALL_QUESTION_KEYS)
        else:
            allowed = _COMMON_QUESTION_KEYS | _KIND_KEYS[kind]
            for key in data:
                if key in allowed:
                    continue
                if key in _ALL_QUESTION_KEYS:
                    self.problem(place, f"veld '{key}' hoort niet bij soort '{kind.value}'")
                else:
                    self.problem(place, f"onbekend veld {_show(key)}")

        options: tuple[Option, ...] = ()
        scale: str | None = None
        max_choices: int | None = None
        max_length: int | None = None
        minimum: int | None = None
        maximum: int | None = None
        values: frozenset[str] | None = None

        if kind is Kind.LIKERT:
            raw_scale = data.get("scale")
            if raw_scale is None:
                self.problem(place, "schaal ('scale') ontbreekt")
            elif not isinstance(raw_scale, str) or raw_scale not in SCALES:
                names = ", ".join(SCALES)
                self.problem(place, f"onbekende schaal {_show(raw_scale)} (kies uit {names})")
            else:
                scale = raw_scale
                values = frozenset(option.value for option in SCALES[scale].options)
        elif kind is Kind.YESNO:
            values = frozenset(option.value for option in YESNO_OPTIONS)
        elif kind in (Kind.SINGLE, Kind.MULTI):
            parsed = self.options(place, data.get("options"), least=2 if kind is Kind.SINGLE else 1)
            if parsed is not None:
                options = parsed
                values = frozenset(option.value for option in options)
            if kind is Kind.MULTI:
                max_choices = self.integer(place, data, "max_choices", "max_choices")
                if max_choices is not None and (
                    max_choices < 1 or (parsed is not None and max_choices > len(parsed))
                ):
                    self.problem(
                        place,
                        "max_choices moet tussen 1 en het aantal opties liggen, niet "
                        f"{max_choices}",
                    )
        elif kind is Kind.TEXT:
            max_length = self.integer(place, data, "max_length", "max_length")
            if "max_length" not in data:
                max_length = DEFAULT_MAX_LENGTH
            elif max_length is not None and not 1 <= max_length <= MAX_LENGTH_LIMIT:
                self.problem(
                    place,
                    f"max_length moet tussen 1 en {MAX_LENGTH_LIMIT} liggen, niet {max_length}",
                )
        elif kind is Kind.GRADE:
            minimum = self.integer(place, data, "min", "min")
            maximum = self.integer(place, data, "max", "max")
            minimum = GRADE_MIN if "min" not in data else minimum
            maximum = GRADE_MAX if "max" not in data else maximum
            if (
                minimum is not None
                and maximum is not None
                and not (GRADE_MIN <= minimum < maximum <= GRADE_MAX)
            ):
                self.problem(
                    place,
                    f"een cijfer loopt van {GRADE_MIN} tot {GRADE_MAX}; min {minimum} en max "
                    f"{maximum} passen daar niet in",
                )
        elif kind is Kind.NUMBER:
            minimum = self.integer(place, data, "min", "min")
            maximum = self.integer(place, data, "max", "max")
            for key, bound in (("min", minimum), ("max", maximum)):
                if key not in data:
                    self.problem(place, f"{key} ontbreekt (een getal heeft grenzen nodig)")
                elif bound is not None and abs(bound) > NUMBER_LIMIT:
                    self.problem(
                        place, f"{key} moet tussen -{NUMBER_LIMIT} en {NUMBER_LIMIT} liggen"
                    )
            if minimum is not None and maximum is not None and minimum > maximum:
                self.problem(place, f"min ({minimum}) is groter dan max ({maximum})")

        if code is not None:
            self.seen[code] = _Seen(kind=kind, values=values)
        if code is None or kind is None:
            return None
        return Question(
            code=code,
            text=text,
            kind=kind,
            required=required,
            help=help_text,
            show_if=show_if,
            options=options,
            scale=scale,
            max_choices=max_choices,
            max_length=max_length,
            minimum=minimum,
            maximum=maximum,
        )

    def options(self, place: str, data: object, *, least: int) -> tuple[Option, ...] | None:
        if data is None:
            self.problem(place, "opties ('options') ontbreken")
            return None
        if not _is_list(data):
            self.problem(place, "opties ('options') moeten een lijst zijn")
            return None
        assert isinstance(data, Sequence)
        if len(data) < least:
            self.problem(place, f"geef minstens {least} opties")
        options: list[Option] = []
        values: set[str] = set()
        for k, raw in enumerate(data, start=1):
            where = f"{place}, optie {k}"
            if not isinstance(raw, Mapping):
                self.problem(where, "moet een object zijn met 'value' en 'label'")
                continue
            self.unknown_keys(where, raw, _OPTION_KEYS)
            value = raw.get("value")
            label = self.text(where, raw, "label", "label", required=True)
            if not isinstance(value, str) or not VALUE_RE.fullmatch(value):
                self.problem(
                    where,
                    f"ongeldige waarde {_show(value)} (kleine letters, cijfers en _, ten hoogste "
                    "40 tekens)",
                )
                continue
            if value in values:
                self.problem(where, f"waarde '{value}' komt al eerder voor")
                continue
            values.add(value)
            options.append(Option(value=value, label=label))
        return tuple(options)


def parse(data: Mapping[str, object]) -> Questionnaire:
    """Read a questionnaire from its JSON form. Raises :class:`QuestionnaireError` listing
    every problem (not only the first), each with its place, in Dutch."""
    parser = _Parser()
    questionnaire = parser.questionnaire(data)
    if parser.problems or questionnaire is None:
        raise QuestionnaireError(parser.problems or ["Vragenlijst: onleesbaar"])
    return questionnaire


def _show_if_dict(show_if: ShowIf | None) -> dict[str, object] | None:
    if show_if is None:
        return None
    return {"question": show_if.question, "in": list(show_if.values)}


def _question_dict(question: Question) -> dict[str, object]:
    data: dict[str, object] = {
        "code": question.code,
        "text": question.text,
        "kind": question.kind.value,
        "required": question.required,
        "help": question.help,
        "show_if": _show_if_dict(question.show_if),
    }
    if question.kind is Kind.LIKERT:
        data["scale"] = question.scale
    elif question.kind in (Kind.SINGLE, Kind.MULTI):
        data["options"] = [{"value": o.value, "label": o.label} for o in question.options]
        if question.max_choices is not None:
            data["max_choices"] = question.max_choices
    elif question.kind is Kind.TEXT:
        data["max_length"] = question.max_length
    elif question.kind in (Kind.GRADE, Kind.NUMBER):
        data["min"] = question.minimum
        data["max"] = question.maximum
    return data


def to_dict(questionnaire: Questionnaire) -> dict[str, object]:
    """The JSON form of a questionnaire; ``parse(to_dict(q)) == q``."""
    return {
        "code": questionnaire.code,
        "version": questionnaire.version,
        "audience": questionnaire.audience.value,
        "title": questionnaire.title,
        "intro": questionnaire.intro,
        "source": questionnaire.source,
        "sections": [
            {
                "code": section.code,
                "title": section.title,
                "intro": section.intro,
                "show_if": _show_if_dict(section.show_if),
                "questions": [_question_dict(question) for question in section.questions],
            }
            for section in questionnaire.sections
        ],
    }


# --- Templates ---------------------------------------------------------------------------


def _template_dir() -> Traversable:
    return resources.files(TEMPLATE_PACKAGE) / "data" / "questionnaires"


def template_codes() -> list[str]:
    """The codes of the shipped questionnaire templates, sorted."""
    return sorted(
        entry.name.removesuffix(".json")
        for entry in _template_dir().iterdir()
        if entry.name.endswith(".json") and entry.is_file()
    )


def load_template(code: str) -> Questionnaire:
    """A shipped template by its code. ``LookupError`` when there is no such template,
    :class:`QuestionnaireError` when it does not parse (or carries another code)."""
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise LookupError(f"Onbekende vragenlijst {_show(code)}.")
    entry = _template_dir() / f"{code}.json"
    if not entry.is_file():
        raise LookupError(f"Onbekende vragenlijst '{code}'.")
    name = f"{code}.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise QuestionnaireError([f"{name}: geen geldige JSON ({exc})"]) from exc
    try:
        questionnaire = parse(data)
    except QuestionnaireError as exc:
        raise QuestionnaireError([f"{name}: {problem}" for problem in exc.problems]) from exc
    if questionnaire.code != code:
        raise QuestionnaireError([f"{name}: de code is '{questionnaire.code}', niet '{code}'"])
    return questionnaire


# --- Answers -----------------------------------------------------------------------------


def _shows(condition: ShowIf | None, answers: Mapping[str, object]) -> bool:
    if condition is None:
        return True
    answer = answers.get(condition.question)
    if isinstance(answer, str):
        return answer in condition.values
    if isinstance(answer, list | tuple | set | frozenset):
        return any(isinstance(value, str) and value in condition.values for value in answer)
    return False


def visible_questions(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> list[Question]:
    """The questions shown with these (clean) answers, in order. An answer only counts while
    its own question is shown, so skip logic chains."""
    shown: list[Question] = []
    given: dict[str, object] = {}
    for section in questionnaire.sections:
        if not _shows(section.show_if, given):
            continue
        for question in section.questions:
            if not _shows(question.show_if, given):
                continue
            shown.append(question)
            if question.code in answers:
                given[question.code] = answers[question.code]
    return shown


def _as_text(raw: object) -> str | None:
    """One raw form value as text; None when it has a type a form cannot send."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if _is_int(raw):
        return str(raw)
    if isinstance(raw, list | tuple):
        if not raw:
            return ""
        if len(raw) == 1 and (raw[0] is None or isinstance(raw[0], str) or _is_int(raw[0])):
            return _as_text(raw[0])
    return None


def _as_list(raw: object) -> list[str] | None:
    """Raw form values of a multi question; None when they have a type a form cannot send."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list | tuple) and all(isinstance(value, str) for value in raw):
        return [str(value) for value in raw]
    return None


def _clean_multi(question: Question, raw: object) -> tuple[list[str] | None, str | None]:
    items = _as_list(raw)
    if items is None:
        return None, INVALID_MESSAGE
    chosen = sorted({item.strip() for item in items} - {""})
    if not chosen:
        return None, REQUIRED_MESSAGE if question.required else None
    allowed = {option.value for option in question.choices}
    if any(item not in allowed for item in chosen):
        return None, UNKNOWN_MESSAGE
    limit = question.max_choices
    if limit is not None and len(chosen) > limit:
        noun = "antwoord" if limit == 1 else "antwoorden"
        return None, f"Kies ten hoogste {limit} {noun}."
    return chosen, None


def _clean_one(question: Question, raw: object) -> tuple[object | None, str | None]:
    """The clean answer or the error of one shown question; (None, None) for a skipped
    optional question."""
    if question.kind is Kind.MULTI:
        return _clean_multi(question, raw)
    text = _as_text(raw)
    if text is None:
        return None, INVALID_MESSAGE
    text = text.replace("\x00", "").strip()
    if not text:
        return None, REQUIRED_MESSAGE if question.required else None
    if question.kind is Kind.TEXT:
        limit = question.max_length or DEFAULT_MAX_LENGTH
        if len(text) > limit:
            return None, f"Ten hoogste {limit} tekens."
        return text, None
    if question.kind in (Kind.GRADE, Kind.NUMBER):
        low = question.minimum if question.minimum is not None else GRADE_MIN
        high = question.maximum if question.maximum is not None else GRADE_MAX
        if question.kind is Kind.GRADE:
            message = f"Kies een cijfer van {low} tot {high}."
        else:
            message = f"Vul een heel getal in van {low} tot {high}."
        if not _INTEGER_RE.fullmatch(text):
            return None, message
        number = int(text)
        if not low <= number <= high:
            return None, message
        return number, None
    if text not in {option.value for option in question.choices}:
        return None, UNKNOWN_MESSAGE
    return text, None


def clean_answers(
    questionnaire: Questionnaire, raw: Mapping[str, str | list[str]]
) -> tuple[dict[str, object], dict[str, str]]:
    """Check raw form input (strings; lists for multi) against the questionnaire.

    Returns the clean answers of the shown questions by question code (``int`` for grade and
    number; ``str`` for single, likert, yesno and text, stripped; a sorted ``list[str]`` for
    multi) and the errors by question code, in Dutch. Hidden questions are skipped and their
    answers dropped; codes the questionnaire does not know are ignored. Never raises on
    hostile input: a value of the wrong type is an error ("Ongeldig antwoord.").
    """
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    if not isinstance(raw, Mapping):
        raw = {}
    for section in questionnaire.sections:
        if not _shows(section.show_if, clean):
            continue
        for question in section.questions:
            if not _shows(question.show_if, clean):
                continue
            value, error = _clean_one(question, raw.get(question.code))
            if error is not None:
                errors[question.code] = error
            elif value is not None:
                clean[question.code] = value
    return clean, errors
