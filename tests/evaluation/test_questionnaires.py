"""Questionnaires (evaluation/questionnaires.py, pure): the shipped templates, the checks of
``parse`` (every problem at once, with its place), the round trip through ``to_dict``, skip
logic, the cleaning of hostile form input and the collapse of five points to three."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import werkbrug.monitoring
from werkbrug.evaluation.questionnaires import (
    CHOICE_KINDS,
    SCALES,
    Audience,
    Kind,
    Questionnaire,
    QuestionnaireError,
    clean_answers,
    collapse,
    collapsed_labels,
    load_template,
    parse,
    template_codes,
    to_dict,
    visible_questions,
)

REFERENCE = json.loads(
    (Path(werkbrug.monitoring.__file__).resolve().parent / "data" / "werktop_2014.json").read_text(
        encoding="utf-8"
    )
)
TEMPLATES = (
    "werkbedrijf_kandidaat_tevredenheid",
    "werkbedrijf_werkgever_tevredenheid",
    "werktop_controlegroep",
    "werktop_kandidaat",
    "werktop_werkgever",
)
#: The parts of the Werktop candidate questionnaire the control group answers too (WT §3.2,
#: ch. 6): same codes, same answers, so the two can be cross-tabulated.
SHARED_SECTIONS = ("achtergrond", "houding", "zelfvertrouwen", "zoekgedrag", "werk", "baan")
#: Tabel 6.8–6.11 were asked of both groups, about their own contact person and guidance.
SHARED_GUIDANCE_SECTIONS = ("contact", "relatiemanager", "begeleiding", "belang", "oordeel")


def _section(q: Questionnaire, code: str):
    return next(section for section in q.sections if section.code == code)


def _labels(q: Questionnaire, code: str) -> list[str]:
    return [option.label for option in q.question(code).choices]


def small(*questions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A questionnaire with one section holding these questions."""
    data: dict[str, Any] = {
        "code": "proef",
        "version": 1,
        "audience": "candidate",
        "title": "Proef",
        "intro": "Een korte proef.",
        "sections": [{"code": "een", "title": "Een", "questions": list(questions)}],
    }
    data.update(extra)
    return data


def question(code: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "text": f"Vraag {code}?", "kind": kind, **extra}


def options(*values: str) -> list[dict[str, str]]:
    return [{"value": value, "label": f"Antwoord {value}"} for value in values]


def problems_of(data: object) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        parse(data)  # type: ignore[arg-type]
    return caught.value.problems


# --- The shipped templates ---------------------------------------------------------------


def test_the_five_templates_are_shipped():
    """template_codes lists exactly the five shipped questionnaires, sorted."""
    assert template_codes() == list(TEMPLATES)


@pytest.mark.parametrize("code", TEMPLATES)
def test_every_template_parses_with_unique_codes(code):
    """Each template parses without problems, carries its file's code, unique question
    codes, a source and an intro that promises anonymity."""
    q = load_template(code)
    assert q.code == code
    codes = [question.code for question in q.questions]
    assert len(codes) == len(set(codes))
    assert len({section.code for section in q.sections}) == len(q.sections)
    assert q.source.strip()
    assert "anoniem" in q.intro
    assert parse(json.loads(json.dumps(to_dict(q)))) == q


def test_templates_have_the_right_audiences():
    """Employer, candidate and control templates are marked for their audience."""
    audiences = {code: load_template(code).audience for code in TEMPLATES}
    assert audiences == {
        "werkbedrijf_kandidaat_tevredenheid": Audience.CANDIDATE,
        "werkbedrijf_werkgever_tevredenheid": Audience.EMPLOYER,
        "werktop_controlegroep": Audience.CONTROL,
        "werktop_kandidaat": Audience.CANDIDATE,
        "werktop_werkgever": Audience.EMPLOYER,
    }


def test_unknown_template_is_a_lookup_error():
    """load_template refuses unknown and path-like codes with LookupError."""
    for code in ("bestaat_niet", "../settings", "Werktop_kandidaat", ""):
        with pytest.raises(LookupError):
            load_template(code)


def test_candidate_and_control_share_the_comparable_questions():
    """The control questionnaire asks the candidate's background, attitude, self-efficacy,
    search, work-situation and guidance questions with the same codes and answers."""
    candidate = load_template("werktop_kandidaat")
    control = load_template("werktop_controlegroep")
    for code in SHARED_SECTIONS:
        mine, theirs = _section(candidate, code), _section(control, code)
        assert mine == theirs, code
    for code in SHARED_GUIDANCE_SECTIONS:
        mine, theirs = _section(candidate, code), _section(control, code)
        assert [q.code for q in mine.questions] == [q.code for q in theirs.questions], code
        for a, b in zip(mine.questions, theirs.questions, strict=True):
            assert (a.kind, a.choices, a.show_if) == (b.kind, b.choices, b.show_if), a.code
    assert "werksituatie" in {q.code for q in candidate.questions}


def test_control_questionnaire_does_not_mention_werktop():
    """The control group did not take part, so no question or intro names Werktop."""
    control = load_template("werktop_controlegroep")
    texts = [control.title, control.intro] + [s.intro for s in control.sections]
    texts += [q.text for q in control.questions] + [q.help for q in control.questions]
    assert not [text for text in texts if "Werktop" in text]


def test_candidate_template_has_the_tabel_6_4_bands_in_order():
    """The benefit duration bands are Tabel 6.4's six, in the printed order."""
    q = load_template("werktop_kandidaat")
    printed = REFERENCE["tabel_6_4_uitkeringssituatie"]["duur_uitkering"]["labels"]
    assert _labels(q, "duur_uitkering") == printed
    assert [o.value for o in q.question("duur_uitkering").choices] == list("123456")


def test_candidate_background_follows_tabel_6_1_to_6_3():
    """Gender, living situation, education and health use the printed labels and codes; the
    age bands too, except the misprinted '22-44 jaar', asked as the intended 25-44."""
    q = load_template("werktop_kandidaat")
    demo = REFERENCE["tabel_6_1_sociaal_demografisch"]
    assert _labels(q, "geslacht")[:2] == demo["geslacht"]["labels"]
    assert _labels(q, "woonsituatie") == demo["woonsituatie"]["labels"]
    assert _labels(q, "opleiding") == REFERENCE["tabel_6_2_opleidingsniveau"]["labels"]
    health = REFERENCE["tabel_6_3_ervaren_gezondheid"]["labels"]
    assert [label.casefold() for label in _labels(q, "gezondheid")] == health
    printed_age = demo["leeftijd"]["labels"]
    assert _labels(q, "leeftijd")[:4] == [
        "25-44 jaar" if label == "22-44 jaar (sic)" else label for label in printed_age
    ]


def test_work_situation_codes_allow_the_tabel_6_6_cross_table():
    """Work situation is coded 1 regular job, 2 working with benefit kept, 3 benefit, and the
    job questions of Tabel 6.7 are shown only to people with a regular job."""
    q = load_template("werktop_kandidaat")
    values = [(o.value, o.label.split(" (")[0]) for o in q.question("werksituatie").choices]
    assert values == [
        ("1", "Reguliere baan"),
        ("2", "Werken met behoud van uitkering"),
        ("3", "Uitkering"),
    ]
    shown = {x.code for x in visible_questions(q, {"werksituatie": "1"})}
    hidden = {x.code for x in visible_questions(q, {"werksituatie": "3"})}
    job = {"werkuren", "blijven_12_maanden", "tevreden_baan"}
    assert job <= shown
    assert not job & hidden


def test_werktop_candidate_items_follow_tables_6_5_and_6_8_to_6_11():
    """Eight search channels, eight relationship-manager items (Tabel 6.8), ten guidance
    outcomes (Tabel 6.9), five importance items (Tabel 6.10), fit and grade (Tabel 6.11)."""
    q = load_template("werktop_kandidaat")
    counts = {code: len(_section(q, code).questions) for code in SHARED_GUIDANCE_SECTIONS}
    assert len(_section(q, "zoekgedrag").questions) == 8
    assert counts == {
        "contact": 1,
        "relatiemanager": 8,
        "begeleiding": 10,
        "belang": 5,
        "oordeel": 2,
    }
    assert q.question("aansluiting_begeleiding").scale == "aansluiting"
    assert q.question("rapportcijfer_begeleiding").kind is Kind.GRADE
    assert all(
        x.text.startswith("Door de begeleiding die ik heb gekregen")
        for x in _section(q, "begeleiding").questions
    )


def test_employer_template_follows_tables_5_1_to_5_4():
    """Five satisfaction aspects and a grade (5.1), six importance items (5.2), three items
    against the average employee shown only after a placement (5.3), eight items (5.4)."""
    q = load_template("werktop_werkgever")
    assert [x.scale for x in _section(q, "oordeel").questions if x.kind is Kind.LIKERT] == [
        "tevreden"
    ] * 5
    assert q.question("rapportcijfer_dienstverlening").kind is Kind.GRADE
    assert len(_section(q, "belang").questions) == 6
    placed = _section(q, "kandidaten")
    assert [_labels(q, x.code) for x in placed.questions] == [
        ["Gelijk aan niveau", "Onder niveau", "Boven niveau"]
    ] * 3
    assert placed.show_if is not None and placed.show_if.question == "kandidaat_geplaatst"
    assert "kandidaat_motivatie" not in {x.code for x in visible_questions(q, {})}
    after = visible_questions(q, {"kandidaat_geplaatst": "ja"})
    assert "kandidaat_motivatie" in {x.code for x in after}
    assert len(_section(q, "relatiemanager").questions) == 8
    assert q.question("wervingskanalen").kind is Kind.MULTI


def test_werkbedrijf_surveys_ask_grades():
    """The WerkBedrijf surveys ask the grades the report prints, plus an open question."""
    candidate = load_template("werkbedrijf_kandidaat_tevredenheid")
    grades = {x.code for x in candidate.questions if x.kind is Kind.GRADE}
    assert grades == {
        "cijfer_totaal",
        "cijfer_consulent",
        "cijfer_intake",
        "cijfer_bemiddeling",
        "cijfer_diagnose",
        "cijfer_interventie",
    }
    employer = load_template("werkbedrijf_werkgever_tevredenheid")
    assert [x.code for x in employer.questions if x.kind is Kind.GRADE] == [
        "cijfer_dienstverlening",
        "cijfer_bereikbaarheid",
        "cijfer_contactpersoon",
    ]
    for q in (candidate, employer):
        assert q.question("verbeterpunten").kind is Kind.TEXT


# --- parse: every problem, with its place ------------------------------------------------


def test_parse_reports_all_problems_with_their_places():
    """Three faults in different places give exactly three Dutch messages naming them."""
    data = {
        "code": "proef",
        "version": 1,
        "audience": "candidate",
        "title": "Proef",
        "intro": "Welkom.",
        "sections": [
            {
                "code": "een",
                "title": "Een",
                "questions": [
                    question(
                        "leeftijd",
                        "single",
                        options=options("1", "2"),
                        show_if={"question": "werksituatie", "in": ["1"]},
                    )
                ],
            },
            {
                "code": "twee",
                "title": "Twee",
                "questions": [question("werksituatie", "likertt"), question("leeftijd", "yesno")],
            },
        ],
    }
    problems = problems_of(data)
    assert len(problems) == 3, problems
    assert problems[0].startswith(
        "Sectie 1, vraag 'leeftijd': show_if verwijst naar vraag 'werksituatie', die pas later"
    )
    assert problems[1].startswith("Sectie 2, vraag 'werksituatie': onbekend soort 'likertt'")
    assert problems[2] == "Sectie 2, vraag 'leeftijd': code 'leeftijd' komt al eerder voor"


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        ([question("a", "likert", scale="eensch")], "vraag 'a': onbekende schaal 'eensch'"),
        ([question("a", "likert")], "vraag 'a': schaal ('scale') ontbreekt"),
        ([question("a", "single")], "vraag 'a': opties ('options') ontbreken"),
        ([question("a", "multi", options=[])], "vraag 'a': geef minstens 1 opties"),
        ([question("a", "single", options=options("1"))], "vraag 'a': geef minstens 2 opties"),
        (
            [question("a", "single", options=options("1", "1"))],
            "vraag 'a', optie 2: waarde '1' komt al eerder voor",
        ),
        (
            [question("a", "single", options=[{"value": "1", "label": " "}, *options("2")])],
            "vraag 'a', optie 1: label is leeg",
        ),
        (
            [question("a", "multi", options=options("1", "2"), max_choices=3)],
            "vraag 'a': max_choices moet tussen 1 en het aantal opties liggen",
        ),
        (
            [question("b", "yesno", show_if={"question": "zz", "in": ["ja"]})],
            "vraag 'b': show_if verwijst naar onbekende vraag 'zz'",
        ),
        (
            [question("b", "yesno", show_if={"question": "b", "in": ["ja"]})],
            "vraag 'b': show_if verwijst naar de vraag zelf",
        ),
        (
            [question("a", "text"), question("b", "yesno", show_if={"question": "a", "in": ["x"]})],
            "vraag 'b': show_if kan alleen verwijzen naar een keuzevraag",
        ),
        (
            [
                question("a", "yesno"),
                question("b", "yesno", show_if={"question": "a", "in": ["jaa"]}),
            ],
            "vraag 'b': show_if: vraag 'a' kent het antwoord 'jaa' niet",
        ),
        (
            [question("a", "yesno"), question("b", "yesno", show_if={"question": "a", "in": []})],
            "vraag 'b': show_if: 'in' moet een niet-lege lijst",
        ),
        ([question("a", "grade", min=0)], "vraag 'a': een cijfer loopt van 1 tot 10"),
        ([question("a", "grade", max=11)], "vraag 'a': een cijfer loopt van 1 tot 10"),
        ([question("a", "grade", min=8, max=3)], "vraag 'a': een cijfer loopt van 1 tot 10"),
        ([question("a", "number", min=0)], "vraag 'a': max ontbreekt"),
        ([question("a", "number", min=5, max=1)], "vraag 'a': min (5) is groter dan max (1)"),
        ([question("a", "number", min=0, max=1.5)], "vraag 'a': max moet een heel getal zijn"),
        ([question("a", "number", min=True, max=8)], "vraag 'a': min moet een heel getal zijn"),
        ([question("a", "text", max_length=0)], "vraag 'a': max_length moet tussen 1 en"),
        ([question("a", "yesno", options=options("1"))], "veld 'options' hoort niet bij soort"),
        ([question("a", "yesno", requried=False)], "vraag 'a': onbekend veld 'requried'"),
        ([question("a", "yesno", required="ja")], "vraag 'a': 'required' moet true of false"),
        ([{"code": "a", "kind": "yesno"}], "vraag 'a': vraagtekst ontbreekt"),
        ([{"code": "a", "kind": "yesno", "text": "  "}], "vraag 'a': vraagtekst is leeg"),
        ([question("Werksituatie", "yesno")], "Sectie 1, vraag 1: ongeldige code 'Werksituatie'"),
        ([question("a" * 41, "yesno")], "Sectie 1, vraag 1: ongeldige code"),
        ([question("a", None)], "vraag 'a': soort ('kind') ontbreekt"),
        ([question("a", ["single"])], "vraag 'a': onbekend soort"),
        (["geen object"], "Sectie 1, vraag 1: moet een object zijn"),
    ],
)
def test_parse_names_each_kind_of_problem(questions, expected):
    """Each fault is reported in Dutch with the section and question it sits in."""
    problems = problems_of(small(*questions))
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"code": "1proef"}, "Vragenlijst: ongeldige code '1proef'"),
        ({"version": 0}, "Vragenlijst: versie moet 1 of hoger zijn"),
        ({"version": "1"}, "Vragenlijst: versie moet een heel getal zijn"),
        ({"audience": "kandidaat"}, "Vragenlijst: onbekende doelgroep 'kandidaat'"),
        ({"title": ""}, "Vragenlijst: titel is leeg"),
        ({"intro": None}, "Vragenlijst: inleiding ontbreekt"),
        ({"sections": []}, "Vragenlijst: geen secties"),
        ({"sections": [{"code": "een", "title": "Een", "questions": []}]}, "Sectie 1: geen vragen"),
        ({"extra": 1}, "Vragenlijst: onbekend veld 'extra'"),
    ],
)
def test_parse_checks_the_questionnaire_itself(extra, expected):
    """Problems of the questionnaire and its sections are reported with their place."""
    problems = problems_of(small(question("a", "yesno"), **extra))
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_parse_checks_section_show_if_and_duplicate_section_codes():
    """A section's show_if may not point into its own questions; section codes are unique."""
    data = small(question("a", "yesno"))
    data["sections"].append(
        {
            "code": "een",
            "title": "Twee",
            "show_if": {"question": "b", "in": ["ja"]},
            "questions": [question("b", "yesno")],
        }
    )
    problems = problems_of(data)
    assert problems == [
        "Sectie 2: code 'een' komt al eerder voor",
        "Sectie 2: show_if verwijst naar vraag 'b', die pas later komt (alleen een eerdere "
        "vraag mag)",
    ]


@pytest.mark.parametrize("data", [None, [], "vragenlijst", 42, {"sections": "x"}])
def test_parse_survives_garbage(data):
    """Input that is not a questionnaire at all gives problems, not a crash."""
    assert problems_of(data)


# --- Round trip ---------------------------------------------------------------------------

CODES = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
VALUES = st.from_regex(r"[a-z0-9][a-z0-9_]{0,5}", fullmatch=True)
TEXTS = st.text(min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def questionnaire_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid questionnaire in its JSON form, with skip logic to earlier questions."""
    size = draw(st.integers(1, 8))
    codes = draw(st.lists(CODES, min_size=size, max_size=size, unique=True))
    cuts = sorted(draw(st.sets(st.integers(1, size - 1), max_size=2))) if size > 1 else []
    earlier: list[tuple[str, list[str]]] = []  # choice questions so far, with their values
    starts = {0, *cuts}
    sections: list[dict[str, Any]] = []
    for index, code in enumerate(codes):
        if index in starts:
            section: dict[str, Any] = {
                "code": f"s{len(sections)}",
                "title": draw(TEXTS),
                "intro": draw(st.one_of(st.just(""), TEXTS)),
                "questions": [],
            }
            if earlier and draw(st.booleans()):
                ref, values = draw(st.sampled_from(earlier))
                section["show_if"] = {
                    "question": ref,
                    "in": draw(st.lists(st.sampled_from(values), min_size=1, unique=True)),
                }
            sections.append(section)
        kind = draw(st.sampled_from(list(Kind)))
        item: dict[str, Any] = {
            "code": code,
            "text": draw(TEXTS),
            "kind": kind.value,
            "required": draw(st.booleans()),
            "help": draw(st.one_of(st.just(""), TEXTS)),
        }
        values: list[str] = []
        if kind is Kind.LIKERT:
            item["scale"] = draw(st.sampled_from(sorted(SCALES)))
            values = ["1", "2", "3", "4", "5"]
        elif kind is Kind.YESNO:
            values = ["ja", "nee"]
        elif kind in (Kind.SINGLE, Kind.MULTI):
            least = 2 if kind is Kind.SINGLE else 1
            values = draw(st.lists(VALUES, min_size=least, max_size=4, unique=True))
            item["options"] = [{"value": v, "label": draw(TEXTS)} for v in values]
            if kind is Kind.MULTI and draw(st.booleans()):
                item["max_choices"] = draw(st.integers(1, len(values)))
        elif kind is Kind.GRADE and draw(st.booleans()):
            low = draw(st.integers(1, 9))
            item["min"], item["max"] = low, draw(st.integers(low + 1, 10))
        elif kind is Kind.NUMBER:
            low = draw(st.integers(-1000, 1000))
            item["min"], item["max"] = low, draw(st.integers(low, 2000))
        elif kind is Kind.TEXT and draw(st.booleans()):
            item["max_length"] = draw(st.integers(1, 5000))
        if earlier and draw(st.booleans()):
            ref, ref_values = draw(st.sampled_from(earlier))
            item["show_if"] = {
                "question": ref,
                "in": draw(st.lists(st.sampled_from(ref_values), min_size=1, unique=True)),
            }
        if kind in CHOICE_KINDS:
            earlier.append((code, values))
        sections[-1]["questions"].append(item)
    return {
        "code": draw(CODES),
        "version": draw(st.integers(1, 50)),
        "audience": draw(st.sampled_from([a.value for a in Audience])),
        "title": draw(TEXTS),
        "intro": draw(TEXTS),
        "source": draw(st.one_of(st.just(""), TEXTS)),
        "sections": sections,
    }


@given(questionnaire_dicts())
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_round_trip_through_to_dict(data):
    """parse(to_dict(q)) == q for any small questionnaire, also through JSON text."""
    q = parse(data)
    assert parse(to_dict(q)) == q
    assert parse(json.loads(json.dumps(to_dict(q)))) == q
    assert to_dict(parse(to_dict(q))) == to_dict(q)


# --- Skip logic ---------------------------------------------------------------------------

SKIP = small(
    question("werkt", "yesno"),
    question("uren", "number", min=1, max=80, show_if={"question": "werkt", "in": ["ja"]}),
    question(
        "kanalen",
        "multi",
        options=options("internet", "krant", "netwerk"),
        required=False,
    ),
    question("welke_site", "text", show_if={"question": "kanalen", "in": ["internet"]}),
)


def test_hidden_question_is_not_required_and_its_answer_dropped():
    """With 'werkt' = nee, the hours question is hidden: no error although required, and a
    posted answer to it is dropped."""
    q = parse(SKIP)
    clean, errors = clean_answers(q, {"werkt": "nee", "uren": "32"})
    assert clean == {"werkt": "nee"}
    assert errors == {}
    clean, errors = clean_answers(q, {"werkt": "ja"})
    assert errors == {"uren": "Dit antwoord is verplicht."}
    clean, errors = clean_answers(q, {"werkt": "ja", "uren": " 32 "})
    assert clean == {"werkt": "ja", "uren": 32} and errors == {}


def test_show_if_on_a_multi_question_needs_any_overlap():
    """A question behind a multi answer shows when any chosen value is in its list."""
    q = parse(SKIP)
    codes = [x.code for x in visible_questions(q, {"werkt": "nee", "kanalen": ["krant"]})]
    assert codes == ["werkt", "kanalen"]
    codes = [x.code for x in visible_questions(q, {"kanalen": ["krant", "internet"]})]
    assert codes == ["werkt", "kanalen", "welke_site"]
    clean, errors = clean_answers(
        q, {"werkt": "nee", "kanalen": ["netwerk", "internet"], "welke_site": " werk.nl "}
    )
    assert clean == {"werkt": "nee", "kanalen": ["internet", "netwerk"], "welke_site": "werk.nl"}
    assert errors == {}


def test_section_show_if_hides_the_whole_section():
    """A section behind show_if is skipped with all its questions, required or not."""
    data = small(question("geplaatst", "yesno"))
    data["sections"].append(
        {
            "code": "kandidaten",
            "title": "Kandidaten",
            "show_if": {"question": "geplaatst", "in": ["ja"]},
            "questions": [
                question("motivatie", "likert", scale="eens"),
                question("cijfer", "grade"),
            ],
        }
    )
    q = parse(data)
    assert [x.code for x in visible_questions(q, {"geplaatst": "nee"})] == ["geplaatst"]
    clean, errors = clean_answers(q, {"geplaatst": "nee", "motivatie": "1", "cijfer": "8"})
    assert (clean, errors) == ({"geplaatst": "nee"}, {})
    clean, errors = clean_answers(q, {"geplaatst": "ja", "motivatie": "1"})
    assert clean == {"geplaatst": "ja", "motivatie": "1"}
    assert errors == {"cijfer": "Dit antwoord is verplicht."}


def test_skip_logic_chains_through_a_hidden_question():
    """A question behind a hidden question is hidden too, even if an answer was posted."""
    q = parse(
        small(
            question("a", "yesno"),
            question("b", "yesno", show_if={"question": "a", "in": ["ja"]}),
            question("c", "yesno", show_if={"question": "b", "in": ["ja"]}),
        )
    )
    assert [x.code for x in visible_questions(q, {"a": "nee", "b": "ja"})] == ["a"]
    assert clean_answers(q, {"a": "nee", "b": "ja", "c": "ja"}) == ({"a": "nee"}, {})
    assert clean_answers(q, {"a": "ja", "b": "ja", "c": "nee"})[0] == {
        "a": "ja",
        "b": "ja",
        "c": "nee",
    }


# --- clean_answers -------------------------------------------------------------------------

GRADE = parse(small(question("cijfer", "grade")))


@pytest.mark.parametrize(
    "raw",
    ["0", "11", "-1", "7.5", "7,5", "zeven", "1e1", "٧", "７", "9" * 5000, ["7", "8"], {"x": 1}],
)
def test_grades_outside_1_to_10_or_not_whole_are_refused(raw):
    """A grade must be a whole number from 1 to 10 in ASCII digits."""
    clean, errors = clean_answers(GRADE, {"cijfer": raw})
    assert clean == {}
    assert errors["cijfer"] in {"Kies een cijfer van 1 tot 10.", "Ongeldig antwoord."}


@pytest.mark.parametrize(("raw", "expected"), [("1", 1), (" 10 ", 10), (["7"], 7), ("+8", None)])
def test_grades_are_cleaned_to_int(raw, expected):
    """A valid grade becomes an int; a one-item list (a form's getlist) is accepted."""
    clean, errors = clean_answers(GRADE, {"cijfer": raw})
    if expected is None:
        assert errors == {"cijfer": "Kies een cijfer van 1 tot 10."}
    else:
        assert clean == {"cijfer": expected} and errors == {}


def test_number_bounds_are_enforced():
    """A number answer outside min..max is refused with the bounds in the message."""
    q = parse(small(question("uren", "number", min=1, max=80)))
    assert clean_answers(q, {"uren": "81"})[1] == {"uren": "Vul een heel getal in van 1 tot 80."}
    assert clean_answers(q, {"uren": "80"})[0] == {"uren": 80}


def test_multi_refuses_unknown_values_and_too_many_choices():
    """A multi answer with an unknown value or more than max_choices values is refused;
    duplicates and blanks are dropped and the values sorted."""
    q = parse(
        small(question("kanalen", "multi", options=options("a", "b", "c", "d"), max_choices=3))
    )
    assert clean_answers(q, {"kanalen": ["a", "x"]}) == ({}, {"kanalen": "Onbekend antwoord."})
    assert clean_answers(q, {"kanalen": ["a", "b", "c", "d"]}) == (
        {},
        {"kanalen": "Kies ten hoogste 3 antwoorden."},
    )
    assert clean_answers(q, {"kanalen": ["c", "a", "c", " ", "b "]}) == (
        {"kanalen": ["a", "b", "c"]},
        {},
    )
    assert clean_answers(q, {"kanalen": "b"}) == ({"kanalen": ["b"]}, {})
    assert clean_answers(q, {"kanalen": [1, 2]}) == ({}, {"kanalen": "Ongeldig antwoord."})


def test_required_missing_is_refused_and_optional_missing_skipped():
    """A required question without an answer gets an error; an optional one is left out."""
    q = parse(
        small(
            question("verplicht", "likert", scale="tevreden"),
            question("vrij", "text", required=False),
        )
    )
    for empty in (None, "", "   ", []):
        clean, errors = clean_answers(q, {"verplicht": empty, "vrij": empty})
        assert clean == {}
        assert errors == {"verplicht": "Dit antwoord is verplicht."}


def test_single_likert_and_yesno_refuse_unknown_answers():
    """Only the listed values are accepted for single, likert and yesno questions."""
    q = parse(
        small(
            question("s", "single", options=options("1", "2")),
            question("l", "likert", scale="belangrijk"),
            question("j", "yesno"),
        )
    )
    clean, errors = clean_answers(q, {"s": "3", "l": "6", "j": "Ja"})
    assert clean == {}
    assert errors == dict.fromkeys(("s", "l", "j"), "Onbekend antwoord.")
    clean, errors = clean_answers(q, {"s": "2", "l": " 5", "j": "nee", "onbekend": "x"})
    assert clean == {"s": "2", "l": "5", "j": "nee"} and errors == {}


def test_text_is_stripped_and_limited():
    """Open text is stripped; beyond max_length (default 2000) it is refused."""
    q = parse(
        small(question("open", "text"), question("kort", "text", max_length=5, required=False))
    )
    assert clean_answers(q, {"open": "  hallo\n"})[0] == {"open": "hallo"}
    assert clean_answers(q, {"open": "x" * 2000})[1] == {}
    assert clean_answers(q, {"open": "x" * 2001})[1] == {"open": "Ten hoogste 2000 tekens."}
    assert clean_answers(q, {"open": "x" * 10**6})[1] == {"open": "Ten hoogste 2000 tekens."}
    assert clean_answers(q, {"open": "ok", "kort": "zeslet"})[1] == {
        "kort": "Ten hoogste 5 tekens."
    }
    assert clean_answers(q, {"open": "a\x00b"})[0] == {"open": "ab"}


HOSTILE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=50),
        st.binary(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def questionnaire_and_raw(draw: st.DrawFn) -> tuple[Questionnaire, dict[Any, Any]]:
    q = parse(draw(questionnaire_dicts()))
    codes = [x.code for x in q.questions]
    valid_values: list[Any] = ["1", "5", "10", "ja", "nee", " 3 "]
    for x in q.questions:
        valid_values += [o.value for o in x.choices]
    keys = st.one_of(st.sampled_from(codes), st.text(max_size=10))
    values = st.one_of(
        HOSTILE,
        st.sampled_from(valid_values),
        st.lists(st.sampled_from(valid_values), max_size=4),
        st.lists(st.text(max_size=20), max_size=4),
    )
    return q, draw(st.dictionaries(keys, values, max_size=10))


@given(questionnaire_and_raw())
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_clean_answers_never_raises_and_is_consistent(case):
    """For any input, clean_answers returns answers and errors only for shown questions,
    never both for one, every shown required question gets one or the other, the values
    have the promised types, and cleaning the clean answers again changes nothing."""
    q, raw = case
    clean, errors = clean_answers(q, raw)
    shown = {x.code: x for x in visible_questions(q, clean)}
    assert set(clean) <= set(shown)
    assert set(errors) <= set(shown)
    assert not set(clean) & set(errors)
    for code, x in shown.items():
        if x.required:
            assert code in clean or code in errors
    for code, value in clean.items():
        kind = shown[code].kind
        if kind in (Kind.GRADE, Kind.NUMBER):
            assert type(value) is int
        elif kind is Kind.MULTI:
            assert isinstance(value, list) and value == sorted(value) and value
            assert all(isinstance(item, str) for item in value)
        else:
            assert isinstance(value, str) and value == value.strip() and value
    again = {code: str(v) if isinstance(v, int) else v for code, v in clean.items()}
    assert clean_answers(q, again)[0] == clean


@given(st.dictionaries(st.text(max_size=10), HOSTILE, max_size=8))
@settings(max_examples=100)
def test_clean_answers_never_raises_on_a_template(raw):
    """Arbitrary input against the real Werktop candidate questionnaire never raises."""
    q = load_template("werktop_kandidaat")
    clean, errors = clean_answers(q, raw)
    assert "werksituatie" in errors


# --- Collapse -------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", sorted(SCALES))
def test_collapse_maps_five_points_to_three_for_every_scale(scale):
    """1 and 2 are positive, 3 neutral, 4 and 5 negative, on every named scale."""
    assert [collapse(scale, str(v)) for v in range(1, 6)] == [
        "positive",
        "positive",
        "neutral",
        "negative",
        "negative",
    ]
    assert collapse(scale, 4) == "negative"
    labels = collapsed_labels(scale)
    assert list(labels) == ["positive", "neutral", "negative"]
    assert labels["neutral"] == "Neutraal"
    assert [o.value for o in SCALES[scale].options] == ["1", "2", "3", "4", "5"]


def test_collapsed_labels_are_the_report_headings():
    """The collapsed labels are the column heads the report prints (Tabel 5.1, 5.2, 5.4)."""
    assert collapsed_labels("eens") == {
        "positive": "(Helemaal) mee eens",
        "neutral": "Neutraal",
        "negative": "(Helemaal) mee oneens",
    }
    assert collapsed_labels("tevreden")["negative"] == "(Heel) ontevreden"
    assert collapsed_labels("belangrijk")["positive"] == "(Heel) belangrijk"
    assert [o.label for o in SCALES["aansluiting"].options][0] == "Heel goed"


@pytest.mark.parametrize(
    ("scale", "value"), [("eens", "6"), ("eens", "0"), ("onbekend", "1"), ("eens", True)]
)
def test_collapse_refuses_unknown_scales_and_values(scale, value):
    """An unknown scale or a value outside 1–5 is a ValueError."""
    with pytest.raises(ValueError):
        collapse(scale, value)
