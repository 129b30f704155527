"""Survey tables on hand-built answers: counts, column percentages and N per group, the tests
equal to evaluation.stats on the same numbers, small groups and cells suppressed, the
anonymised answers without names or exact dates (and safe in a spreadsheet), and the
response rates per group; another region's researcher gets nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import timezone, translation

from candidates_support import make_candidate
from tests_support import make_person
from werkbrug.core.access import actor_for
from werkbrug.core.roles import Role
from werkbrug.evaluation import exports, questionnaires, selectors, services, stats
from werkbrug.evaluation.models import Channel, Group, Response, Survey
from werkbrug.evaluation.selectors import Cell

P, C = Group.PARTICIPANT, Group.CONTROL
COLUMNS = ["Participants", "Control group"]
DAY = dt.date(2025, 3, 17)
BASE_URL = "https://x/enquete/TOKEN/"


def _survey(
    people: dict[str, Any], min_cell_size: int, template_code: str = "werktop_kandidaat"
) -> Survey:
    return services.create_survey(
        actor=actor_for(people["onderzoeker"]),
        title="Werktop 2025",
        template_code=template_code,
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        min_cell_size=min_cell_size,
    )


def _respond(survey: Survey, group: str, answers: dict[str, Any], day: dt.date = DAY) -> None:
    Response.objects.create(survey=survey, group=group, submitted_on=day, answers=answers)


def _respond_many(survey: Survey, group: str, code: str, values: dict[Any, int]) -> None:
    """``values[v]`` respondents in ``group`` who answered ``v`` to ``code``."""
    for value, times in values.items():
        for _ in range(times):
            _respond(survey, group, {code: value})


def _table(people: dict[str, Any], survey: Survey, code: str, **options: Any):  # noqa: ANN202
    with translation.override("en"):
        return selectors.question_table(actor_for(people["onderzoeker"]), survey, code, **options)


def _labels(survey: Survey, code: str) -> list[str]:
    question = services.questionnaire_of(survey).question(code)
    return [option.label for option in question.choices]


def _counts(table: selectors.GroupTable) -> list[list[int]]:
    return [[cell.count for cell in row] for row in table.cells]


def _percentages(table: selectors.GroupTable) -> list[list[float | None]]:
    return [[cell.percentage for cell in row] for row in table.cells]


# --- single choice --------------------------------------------------------------------------


def test_single_choice_table_counts_percentages_n_and_chi_square(people):
    """Werksituatie (Tabel 6.6): participants 6/3/3 of 12, controls 3/3/4 of 10; column
    percentages by hand; both groups reach the smallest cell, so χ² is shown and equals
    stats.chi_square on the same counts. Respondents without an answer are not counted."""
    survey = _survey(people, min_cell_size=3)
    _respond_many(survey, P, "werksituatie", {"1": 6, "2": 3, "3": 3})
    _respond_many(survey, C, "werksituatie", {"1": 3, "2": 3, "3": 4})
    _respond(survey, P, {"geslacht": "1"})  # skipped the question
    _respond(survey, C, {"werksituatie": ""})

    table = _table(people, survey, "werksituatie")

    assert table.columns == COLUMNS
    assert table.hidden_columns == []
    assert table.row_labels == _labels(survey, "werksituatie")
    assert _counts(table) == [[6, 3], [3, 3], [3, 4]]
    assert _percentages(table) == [[50.0, 30.0], [25.0, 30.0], [25.0, 40.0]]
    assert table.n == [12, 10]
    assert not any(cell.suppressed for row in table.cells for cell in row)
    assert table.chi == stats.chi_square([[6, 3], [3, 3], [3, 4]])
    assert table.chi.dof == 2 and table.chi.n == 22
    assert (table.means, table.t, table.mann_whitney) == ([], None, None)
    assert table.min_cell == 3


def test_a_group_below_the_smallest_cell_is_hidden_without_test(people):
    """Smallest cell 5: four controls are too few, so their column is hidden (and listed),
    no test is shown; among the twelve participants the 2 is printed as '< 5' without its
    percentage, and the 10 as '•' (with N = 12 printed, it would give the 2 away), while an
    empty answer (0) keeps its 0 %."""
    survey = _survey(people, min_cell_size=5)
    _respond_many(survey, P, "werksituatie", {"1": 10, "2": 2})
    _respond_many(survey, C, "werksituatie", {"1": 3, "3": 1})

    table = _table(people, survey, "werksituatie")

    assert table.columns == ["Participants"]
    assert table.hidden_columns == ["Control group"]
    assert table.n == [12]
    assert table.cells == [
        [Cell(count=10, percentage=None, suppressed=True, complementary=True)],
        [Cell(count=2, percentage=None, suppressed=True)],
        [Cell(count=0, percentage=0.0, suppressed=False)],
    ]
    assert table.chi is None
    assert table.note
    with translation.override("en"):
        header, rows = exports.table_grid(table)
    assert header == ["Answer", "Participants (%)"]
    assert [row[1] for row in rows] == ["•", "< 5", "0,0", 12]


def test_small_cells_in_shown_groups_are_suppressed_and_the_test_stays(people):
    """Both groups reach the smallest cell (12 and 6): the test is computed on the full table
    and shown; the cells of 2 (twice) and 4 are suppressed without percentage. The
    participants' column has one small cell, so its other non-empty cell (10) is hidden too
    (complementary); the controls' has two, which already hide each other."""
    survey = _survey(people, min_cell_size=5)
    _respond_many(survey, P, "werksituatie", {"1": 10, "2": 2})
    _respond_many(survey, C, "werksituatie", {"1": 2, "3": 4})

    table = _table(people, survey, "werksituatie")

    assert table.columns == COLUMNS and table.n == [12, 6]
    assert _percentages(table) == [[None, None], [None, 0.0], [0.0, None]]
    suppressed = [[cell.suppressed for cell in row] for row in table.cells]
    assert suppressed == [[True, True], [True, False], [False, True]]
    complementary = [[cell.complementary for cell in row] for row in table.cells]
    assert complementary == [[True, False], [False, False], [False, False]]
    assert table.chi == stats.chi_square([[10, 2], [2, 0], [0, 4]])


# --- likert and grades ----------------------------------------------------------------------

LIKERT_P = {"1": 2, "2": 3, "3": 1, "4": 2, "5": 2}
LIKERT_C = {"1": 1, "2": 1, "3": 4, "4": 2, "5": 2}


def _scores(values: dict[str, int]) -> list[float]:
    return [float(value) for value, times in values.items() for _ in range(times)]


def test_collapsed_likert_gives_positive_neutral_negative_in_order(people):
    """Five points reported as three, as Werktop did: 1-2 positive, 3 neutral, 4-5 negative,
    in that order: participants 5/1/4, controls 2/4/4."""
    survey = _survey(people, min_cell_size=1)
    _respond_many(survey, P, "werk_belangrijk", LIKERT_P)
    _respond_many(survey, C, "werk_belangrijk", LIKERT_C)

    collapsed = _table(people, survey, "werk_belangrijk", collapsed=True)
    full = _table(people, survey, "werk_belangrijk")

    labels = questionnaires.collapsed_labels("eens")
    assert collapsed.row_labels == [labels["positive"], labels["neutral"], labels["negative"]]
    assert collapsed.row_labels == ["(Helemaal) mee eens", "Neutraal", "(Helemaal) mee oneens"]
    assert _counts(collapsed) == [[5, 2], [1, 4], [4, 4]]
    assert _percentages(collapsed) == [[50.0, 20.0], [10.0, 40.0], [40.0, 40.0]]
    assert collapsed.chi == stats.chi_square([[5, 2], [1, 4], [4, 4]])
    assert full.row_labels == _labels(survey, "werk_belangrijk")
    assert _counts(full) == [[2, 1], [3, 1], [1, 4], [2, 2], [2, 2]]


def test_likert_questions_carry_means_sds_and_both_tests(people):
    """Means on the 1-5 codes by hand (2.9 and 3.3), sample SDs, and the t-test and
    Mann-Whitney equal to stats on the same scores."""
    survey = _survey(people, min_cell_size=1)
    _respond_many(survey, P, "werk_belangrijk", LIKERT_P)
    _respond_many(survey, C, "werk_belangrijk", LIKERT_C)

    table = _table(people, survey, "werk_belangrijk")

    a, b = _scores(LIKERT_P), _scores(LIKERT_C)
    assert table.means == [2.9, 3.3]
    # participants: squares of deviations 2·3.61 + 3·0.81 + 0.01 + 2·1.21 + 2·4.41 = 20.9
    assert table.sds == [round((20.9 / 9) ** 0.5, 2), round((14.1 / 9) ** 0.5, 2)]
    assert table.t == stats.t_test(a, b)
    assert table.mann_whitney == stats.mann_whitney(a, b)


def test_grade_questions_carry_means_sds_and_both_tests(people):
    """Report marks 7, 8, 6, 9, 7, 8 against 5, 6, 6, 7, 4, 6: means 7.5 and 5.67, SDs 1.05
    and 1.03, rows in numeric order, t-test and Mann-Whitney equal to stats."""
    survey = _survey(people, min_cell_size=1)
    participants, controls = [7, 8, 6, 9, 7, 8], [5, 6, 6, 7, 4, 6]
    for mark in participants:
        _respond(survey, P, {"rapportcijfer_begeleiding": mark})
    for mark in controls:
        _respond(survey, C, {"rapportcijfer_begeleiding": mark})

    table = _table(people, survey, "rapportcijfer_begeleiding")

    assert table.row_labels == ["4", "5", "6", "7", "8", "9"]
    assert _counts(table) == [[0, 1], [0, 1], [1, 3], [2, 1], [2, 0], [1, 0]]
    assert table.n == [6, 6]
    assert table.means == [7.5, 5.67]
    assert table.sds == [1.05, 1.03]
    a, b = [float(x) for x in participants], [float(x) for x in controls]
    assert table.t == stats.t_test(a, b)
    assert table.mann_whitney == stats.mann_whitney(a, b)
    assert table.t.p_value < 0.05


def test_scores_of_a_hidden_group_are_not_shown_nor_tested(people):
    """Three controls under a smallest cell of 5: only the participants' mean, no tests."""
    survey = _survey(people, min_cell_size=5)
    for mark in [7, 8, 6, 9, 7]:
        _respond(survey, P, {"rapportcijfer_begeleiding": mark})
    for mark in [5, 6, 6]:
        _respond(survey, C, {"rapportcijfer_begeleiding": mark})

    table = _table(people, survey, "rapportcijfer_begeleiding")

    assert table.columns == ["Participants"]
    assert table.means == [7.4]
    assert len(table.sds) == 1
    assert (table.t, table.mann_whitney, table.chi) == (None, None, None)


# --- multiple choice and open answers -------------------------------------------------------


def test_multi_question_gives_percentages_of_respondents_without_test(people):
    """Which phases did you have: each option as a share of the group's respondents (they
    add up to more than 100), N is the respondents, and no χ² (options are not exclusive)."""
    survey = _survey(people, min_cell_size=1, template_code="werkbedrijf_kandidaat_tevredenheid")
    for chosen in (["diagnose", "intake"], ["intake"], ["bemiddeling", "intake"], ["weet_niet"]):
        _respond(survey, P, {"fasen_gehad": chosen})
    for chosen in (["diagnose"], ["diagnose", "intake"]):
        _respond(survey, C, {"fasen_gehad": chosen})

    table = _table(people, survey, "fasen_gehad")

    assert table.columns == COLUMNS
    assert table.row_labels == _labels(survey, "fasen_gehad")
    values = [o.value for o in services.questionnaire_of(survey).question("fasen_gehad").choices]
    assert values == ["intake", "diagnose", "interventie", "bemiddeling", "weet_niet"]
    assert _counts(table) == [[3, 1], [1, 2], [0, 0], [1, 0], [1, 0]]
    assert table.n == [4, 2]
    assert _percentages(table) == [
        [75.0, 50.0],
        [25.0, 100.0],
        [0.0, 0.0],
        [25.0, 0.0],
        [25.0, 0.0],
    ]
    assert sum(row[0] for row in _percentages(table)) == 150.0
    assert table.chi is None and table.t is None
    assert table.note
    header, rows = selectors.anonymised_rows(actor_for(people["onderzoeker"]), survey)
    column = header.index("fasen_gehad")
    assert sorted(row[column] for row in rows if row[0] == C) == ["diagnose", "diagnose;intake"]


def test_a_text_question_has_no_table(people):
    """Open questions are not tabulated (their texts come from open_answers)."""
    survey = _survey(people, min_cell_size=1)
    _respond(survey, P, {"verbeterpunten": "Sneller reageren."})
    assert _table(people, survey, "verbeterpunten") is None
    assert _table(people, survey, "bestaat_niet") is None


def test_open_answers_only_from_the_smallest_cell_on_and_sorted(people):
    """Two texts under a smallest cell of 3 give nothing; with a third they come back
    stripped and sorted (not in the order of answering); empty answers do not count."""
    survey = _survey(people, min_cell_size=3)
    _respond(survey, P, {"verbeterpunten": "  Zeker doorgaan "})
    _respond(survey, C, {"verbeterpunten": "Beter bereikbaar zijn."})
    _respond(survey, P, {"verbeterpunten": "   "})
    _respond(survey, P, {"geslacht": "2"})
    researcher = actor_for(people["onderzoeker"])

    assert selectors.open_answers(researcher, survey, "verbeterpunten") == []

    _respond(survey, P, {"verbeterpunten": "Als eerste: meer vacatures."})
    assert selectors.open_answers(researcher, survey, "verbeterpunten") == [
        "Als eerste: meer vacatures.",
        "Beter bereikbaar zijn.",
        "Zeker doorgaan",
    ]


# --- anonymised answers ---------------------------------------------------------------------


def test_anonymised_rows_have_no_names_no_days_and_no_texts(
    regions, people, django_capture_on_commit_callbacks
):
    """Group, mode and month, then one column per closed question: the open texts (which can
    name someone) are left out, no date finer than a month appears, and nothing of the
    invited candidate does."""
    survey = _survey(people, min_cell_size=1)
    candidate = make_candidate(regions["own"], first_name="Fatima", last_name="El Amrani")
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = services.invite(
            actor=actor_for(people["teamleider"]),
            survey=survey,
            group=P,
            channel=Channel.EMAIL,
            candidates=[candidate],
            base_url=BASE_URL,
        )
    raw = {
        q.code: (q.choices[0].value if q.choices else "7")
        for q in services.questionnaire_of(survey).questions
    }
    raw.update(
        werksituatie="3",
        contact_gemeente="nee",
        verwachtingen="Ik ben Fatima El Amrani en wilde werk.",
        verbeterpunten="Bel mij op 0612345678.",
    )
    response, errors = services.submit(token=services.link_token(invitation), raw=raw)
    assert errors == {}
    _respond(survey, C, {"werksituatie": "1", "werkuren": 24}, day=DAY)

    header, rows = selectors.anonymised_rows(actor_for(people["onderzoeker"]), survey)

    questions = services.questionnaire_of(survey).questions
    assert header == ["groep", "modus", "maand"] + [q.code for q in questions if q.kind != "text"]
    assert "verwachtingen" not in header and "verbeterpunten" not in header
    assert len(rows) == 2 and all(len(row) == len(header) for row in rows)
    months = sorted(row[2] for row in rows)
    assert months == sorted(["2025-03", f"{timezone.localdate():%Y-%m}"])
    text = " ".join(str(value) for row in rows for value in row)
    for secret in ("Fatima", "Amrani", "0612345678", candidate.email, str(invitation.uuid)):
        assert secret not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    control = next(row for row in rows if row[0] == C)
    assert control[:3] == ["control", "web", "2025-03"]
    assert control[header.index("werkuren")] == 24
    assert control[header.index("geslacht")] is None


def test_formula_looking_values_are_made_safe_in_the_csv(people):
    """A value that starts like a formula gets a leading apostrophe in the CSV; numbers stay
    numbers; the file is ';'-separated UTF-8 with a BOM."""
    survey = _survey(people, min_cell_size=1)
    _respond(
        survey,
        P,
        {"geslacht": '=HYPERLINK("https://evil.example","klik")', "rapportcijfer_begeleiding": 7},
    )

    header, rows = selectors.anonymised_rows(actor_for(people["onderzoeker"]), survey)
    body = exports.answers_csv(header, rows)

    assert body.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0] == header
    row = dict(zip(parsed[0], parsed[1], strict=True))
    assert row["geslacht"] == '\'=HYPERLINK("https://evil.example","klik")'
    assert row["rapportcijfer_begeleiding"] == "7"
    assert row["groep"] == "participant"


# --- response rates -------------------------------------------------------------------------


def test_response_rates_per_group_by_hand(regions, people, django_capture_on_commit_callbacks):
    """Participants: 4 e-mailed, 3 opened (one only by answering), 2 completed: 50 %.
    Controls: 3 letters; before they are marked sent the rate is unknown; after, 1 of 3
    completed: 33.3 %."""
    survey = _survey(people, min_cell_size=1)
    lead = actor_for(people["teamleider"])
    candidates = [make_candidate(regions["own"]) for _ in range(7)]
    with django_capture_on_commit_callbacks(execute=True):
        mailed = services.invite(
            actor=lead, survey=survey, group=P, channel=Channel.EMAIL,
            candidates=candidates[:4], base_url=BASE_URL,
        )  # fmt: skip
        letters = services.invite(
            actor=lead, survey=survey, group=C, channel=Channel.LETTER,
            candidates=candidates[4:], base_url=BASE_URL,
        )  # fmt: skip
    a, b, c, _d = (services.link_token(i) for i in mailed)
    services.open_link(a)
    services.open_link(b)
    services.submit(token=a, raw=_complete(survey))
    services.submit(token=c, raw=_complete(survey))
    researcher = actor_for(people["onderzoeker"])

    with translation.override("en"):
        before = selectors.response_rates(researcher, survey)
    assert [(r.group, r.label, r.invited, r.sent, r.opened, r.completed) for r in before] == [
        (P, "Participants", 4, 4, 3, 2),
        (C, "Control group", 3, 0, 0, 0),
    ]
    assert [r.rate for r in before] == [50.0, None]

    services.mark_letters_sent(actor=lead, survey=survey)
    services.submit(token=services.link_token(letters[0]), raw=_complete(survey))
    after = selectors.response_rates(researcher, survey)
    assert [(r.invited, r.sent, r.opened, r.completed, r.rate) for r in after] == [
        (4, 4, 3, 2, 50.0),
        (3, 3, 1, 1, 33.3),
    ]
    assert Response.objects.filter(survey=survey, group=P).count() == 2
    assert Response.objects.filter(survey=survey, group=C).count() == 1


def _complete(survey: Survey) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for question in services.questionnaire_of(survey).questions:
        raw[question.code] = question.choices[0].value if question.choices else "7"
    raw.update(werksituatie="3", contact_gemeente="nee", verwachtingen="", verbeterpunten="")
    return raw


# --- scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["researcher_elsewhere", "other_region_admin", "relatiemanager"])
def test_who_may_not_read_the_survey_gets_nothing(
    regions, people, who, django_capture_on_commit_callbacks
):
    """A researcher or administrator of another region, or a relationship manager (no
    evaluation.research), gets no counts, no texts, no rows and no response rates."""
    if who == "researcher_elsewhere":
        user = make_person("onderzoeker_zaa", Role.RESEARCHER, regions["other"])
    else:
        user = people[who]
    outsider = actor_for(user)
    survey = _survey(people, min_cell_size=1)
    multi = _survey(people, min_cell_size=1, template_code="werkbedrijf_kandidaat_tevredenheid")
    for group in (P, C):
        for n in range(3):
            _respond(
                survey,
                group,
                {"werksituatie": "1", "werk_belangrijk": "2", "verbeterpunten": f"Tekst {n}"},
            )
            _respond(multi, group, {"fasen_gehad": ["intake"]})
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            actor=actor_for(people["teamleider"]),
            survey=survey,
            group=P,
            channel=Channel.EMAIL,
            candidates=[make_candidate(regions["own"])],
            base_url=BASE_URL,
        )
    # What the region's own researcher sees, for contrast.
    insider = actor_for(people["onderzoeker"])
    assert selectors.question_table(insider, survey, "werksituatie").n == [3, 3]
    assert selectors.response_rates(insider, survey)

    with translation.override("en"):
        tables = [
            selectors.question_table(outsider, survey, "werksituatie"),
            selectors.question_table(outsider, survey, "werk_belangrijk", collapsed=True),
            selectors.question_table(outsider, multi, "fasen_gehad"),
        ]
    assert tables == [None, None, None]  # not even the question's text
    assert selectors.open_answers(outsider, survey, "verbeterpunten") == []
    header, rows = selectors.anonymised_rows(outsider, survey)
    assert rows == []
    assert selectors.response_rates(outsider, survey) == []
    assert not selectors.surveys(outsider).filter(pk=survey.pk).exists()
