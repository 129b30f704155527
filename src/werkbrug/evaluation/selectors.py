"""Evaluation reads: response tracking, survey tables with small cells suppressed, and the
control group's balance and effect tables from the register.

Every table here is about groups, never about a person: researchers see counts and
percentages. A group (column) with fewer respondents than the survey's smallest cell is not
shown at all, and within a shown column a count between 1 and that number is printed as
"< n" without its percentage, so nobody can be singled out (the CBS practice). Tests are
computed on the full table and shown only when every column is shown.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.candidates.models import BenefitDuration, Candidate, LadderStep
from werkbrug.core import access
from werkbrug.evaluation import questionnaires, stats
from werkbrug.evaluation.models import (
    Complaint,
    ControlGroup,
    ControlGroupMember,
    Group,
    Invitation,
    Response,
    Survey,
)
from werkbrug.placements.aftercare import add_months
from werkbrug.placements.models import Outflow, Placement, PlacementKind

GROUP_ORDER = (Group.PARTICIPANT, Group.CONTROL)


def surveys(actor: access.Actor) -> QuerySet[Survey]:
    return access.scoped(Survey, actor).select_related("control_group")


def control_groups(actor: access.Actor) -> QuerySet[ControlGroup]:
    return access.scoped(ControlGroup, actor)


def complaints(actor: access.Actor) -> QuerySet[Complaint]:
    return access.scoped(Complaint, actor).select_related("municipality")


# --- response tracking (Werktop Tabel 1-3) ---------------------------------------------------


@dataclass(frozen=True)
class ResponseRow:
    group: str
    label: str
    invited: int
    sent: int
    opened: int
    completed: int

    @property
    def rate(self) -> float | None:
        """Completed as a percentage of those the invitation reached, as the report counts."""
        return round(100 * self.completed / self.sent, 1) if self.sent else None


def response_rates(actor: access.Actor, survey: Survey) -> list[ResponseRow]:
    """Per group: invited, sent, opened, completed, and the response rate. Counts only, so
    researchers may read them (the registry itself is not in their scope)."""
    if not access.scoped(Survey, actor).filter(pk=survey.pk).exists():
        return []
    counts = (
        Invitation.objects.filter(survey=survey)
        .values("group")
        .annotate(
            invited=Count("id"),
            sent=Count("id", filter=Q(sent_at__isnull=False)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            completed=Count("id", filter=Q(completed_on__isnull=False)),
        )
    )
    by_group = {row["group"]: row for row in counts}
    labels = dict(Group.choices)
    return [
        ResponseRow(
            group=group,
            label=str(labels[group]),
            invited=by_group[group]["invited"],
            sent=by_group[group]["sent"],
            opened=by_group[group]["opened"],
            completed=by_group[group]["completed"],
        )
        for group in GROUP_ORDER
        if group in by_group
    ]


def all_questions(questionnaire: questionnaires.Questionnaire) -> list[questionnaires.Question]:
    return [q for section in questionnaire.sections for q in section.questions]


# --- tables of answers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    count: int
    percentage: float | None
    suppressed: bool
    #: Hidden only so a small cell beside it cannot be worked out (printed as "•").
    complementary: bool = False


@dataclass(frozen=True)
class GroupTable:
    """A question's answers (rows) by group (columns), as the evaluation report prints them."""

    title: str
    row_labels: list[str]
    columns: list[str]
    #: rows × shown columns
    cells: list[list[Cell]]
    n: list[int]
    hidden_columns: list[str]
    min_cell: int
    chi: stats.ChiSquareResult | None = None
    #: Scale questions: means and the tests on the scores.
    means: list[float | None] = field(default_factory=list)
    sds: list[float | None] = field(default_factory=list)
    t: stats.TTestResult | None = None
    mann_whitney: stats.MannWhitneyResult | None = None
    note: str = ""


def hidden_cells(column: Sequence[int], min_cell: int) -> tuple[set[int], set[int]]:
    """Which counts of one column to hide: every count from 1 to ``min_cell`` - 1 (primary),
    and, when that is a single cell, also the next smallest non-zero one (complementary):
    with N printed, one hidden cell could be worked out as N minus the others; with two,
    only their sum can. Returns (primary, complementary) row indexes."""
    primary = {i for i, count in enumerate(column) if 0 < count < min_cell}
    complementary: set[int] = set()
    if len(primary) == 1:
        others = sorted((count, i) for i, count in enumerate(column) if count and i not in primary)
        if others:
            complementary.add(others[0][1])
    return primary, complementary


def _suppress(
    title: str,
    table: stats.CrossTable,
    min_cell: int,
    *,
    test: bool = True,
) -> GroupTable:
    columns = [str(label) for label in table.col_labels]
    totals = table.col_totals
    shown = [j for j, total in enumerate(totals) if total >= min_cell]
    percentages = table.column_percentages()
    rows = range(len(table.row_labels))
    hidden = {j: hidden_cells([table.counts[i][j] for i in rows], min_cell) for j in shown}
    cells = [
        [
            Cell(
                count=table.counts[i][j],
                percentage=None
                if i in hidden[j][0] | hidden[j][1]
                else round(percentages[i][j], 1),
                suppressed=i in hidden[j][0] | hidden[j][1],
                complementary=i in hidden[j][1],
            )
            for j in shown
        ]
        for i in rows
    ]
    chi = None
    note = ""
    if test and len(shown) == len(columns) == 2:
        try:
            chi = stats.chi_square(table)
        except ValueError:
            note = _("Only one answer occurs here, so there is nothing to test.")
    elif len(shown) < len(columns):
        note = _("Groups with fewer than %(n)s respondents are not shown, nor is the test.") % {
            "n": min_cell
        }
    return GroupTable(
        title=title,
        row_labels=[str(label) for label in table.row_labels],
        columns=[columns[j] for j in shown],
        cells=cells,
        n=[totals[j] for j in shown],
        hidden_columns=[columns[j] for j in range(len(columns)) if j not in shown],
        min_cell=min_cell,
        chi=chi,
        note=note,
    )


def _responses(actor: access.Actor, survey: Survey) -> list[tuple[str, dict[str, Any]]]:
    rows = access.scoped(Response, actor).filter(survey=survey).values_list("group", "answers")
    return list(rows)


def question_table(
    actor: access.Actor, survey: Survey, code: str, *, collapsed: bool = False
) -> GroupTable | None:
    """One question by group: counts and column percentages, χ² (with Fisher's exact test
    where expected counts are small); for scale questions also means, SDs, the t-test and
    Mann-Whitney. ``collapsed``: a 5-point scale reported in 3 points, as Werktop did."""
    if not access.scoped(Survey, actor).filter(pk=survey.pk).exists():
        return None
    questionnaire = questionnaires.parse(survey.questionnaire)
    question = next((q for q in all_questions(questionnaire) if q.code == code), None)
    if question is None or question.kind == "text":
        return None
    labels = dict(Group.choices)
    groups = [str(labels[g]) for g in GROUP_ORDER]
    answered = [(g, a[code]) for g, a in _responses(actor, survey) if a.get(code) not in (None, "")]
    options = [(o.value, o.label) for o in question.choices]
    if question.kind == "multi":
        return _multi_table(question.text, answered, options, groups, labels, survey.min_cell_size)
    values = [(str(labels[g]), str(v)) for g, v in answered]
    if collapsed and question.kind == "likert":
        categories = questionnaires.collapsed_labels(question.scale or "")
        rows = [categories[questionnaires.collapse(question.scale or "", v)] for _g, v in values]
        order = list(categories.values())
    else:
        option_labels = dict(options)
        rows = [option_labels.get(v, v) for _g, v in values]
        order = [label for _value, label in options] or sorted(set(rows), key=_natural)
    if not values:
        return GroupTable(
            title=question.text,
            row_labels=[],
            columns=[],
            cells=[],
            n=[],
            hidden_columns=[],
            min_cell=survey.min_cell_size,
            note=_("No answers yet."),
        )
    table = stats.crosstab(rows, [g for g, _v in values], row_order=order, col_order=groups)
    result = _suppress(question.text, table, survey.min_cell_size)
    if question.kind in ("likert", "grade", "number"):
        result = _with_scores(result, answered, labels)
    return result


def _natural(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (10**9, value)


def _with_scores(
    table: GroupTable, answered: Sequence[tuple[str, Any]], labels: dict[str, str]
) -> GroupTable:
    scores = {g: [float(v) for group, v in answered if group == g] for g in GROUP_ORDER}
    shown = {g for g in GROUP_ORDER if str(labels[g]) in table.columns}
    means = [
        round(statistics.mean(scores[g]), 2) if scores[g] else None
        for g in GROUP_ORDER
        if g in shown
    ]
    sds = [
        round(statistics.stdev(scores[g]), 2) if len(scores[g]) > 1 else None
        for g in GROUP_ORDER
        if g in shown
    ]
    t = mw = None
    if shown == set(GROUP_ORDER) and all(len(scores[g]) >= 2 for g in GROUP_ORDER):
        a, b = scores[Group.PARTICIPANT], scores[Group.CONTROL]
        try:
            t = stats.t_test(a, b)
        except ValueError:
            t = None
        try:
            mw = stats.mann_whitney(a, b)
        except ValueError:
            mw = None
    return GroupTable(**{**table.__dict__, "means": means, "sds": sds, "t": t, "mann_whitney": mw})


def _multi_table(
    title: str,
    answered: Sequence[tuple[str, Any]],
    options: Sequence[tuple[str, str]],
    groups: list[str],
    labels: dict[str, str],
    min_cell: int,
) -> GroupTable:
    """Multiple choice: per option the share of each group's respondents who chose it (the
    percentages do not add up to 100); no test, since the options are not exclusive."""
    respondents = {str(labels[g]): 0 for g in GROUP_ORDER}
    counts = [[0] * len(groups) for _ in options]
    for group, chosen in answered:
        column = groups.index(str(labels[group]))
        respondents[str(labels[group])] += 1
        for i, (value, _label) in enumerate(options):
            if value in chosen:
                counts[i][column] += 1
    shown = [j for j, g in enumerate(groups) if respondents[g] >= min_cell]
    # Options are not exclusive, so no cell follows from the others: primary suppression only.
    cells = [
        [
            Cell(
                count=counts[i][j],
                percentage=None
                if 0 < counts[i][j] < min_cell
                else round(100 * counts[i][j] / respondents[groups[j]], 1),
                suppressed=0 < counts[i][j] < min_cell,
            )
            for j in shown
        ]
        for i in range(len(options))
    ]
    return GroupTable(
        title=title,
        row_labels=[label for _value, label in options],
        columns=[groups[j] for j in shown],
        cells=cells,
        n=[respondents[groups[j]] for j in shown],
        hidden_columns=[g for j, g in enumerate(groups) if j not in shown],
        min_cell=min_cell,
        note=_("More than one answer possible: percentages of the respondents in the group."),
    )


def open_answers(actor: access.Actor, survey: Survey, code: str) -> list[str]:
    """The texts given to an open question, in a fixed order that is not the order of
    answering (sorted), and only when enough people answered that no one stands out."""
    texts = sorted(
        str(a[code]).strip()
        for _g, a in _responses(actor, survey)
        if str(a.get(code) or "").strip()
    )
    return texts if len(texts) >= survey.min_cell_size else []


def anonymised_rows(actor: access.Actor, survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The answers as one row per response (the researcher's CSV): group, mode, month of
    answering and one column per question; open texts are left out (they can identify)."""
    questionnaire = questionnaires.parse(survey.questionnaire)
    questions = [q for q in all_questions(questionnaire) if q.kind != "text"]
    header = ["groep", "modus", "maand"] + [q.code for q in questions]
    rows: list[list[Any]] = []
    responses = (
        access.scoped(Response, actor)
        .filter(survey=survey)
        .order_by("?")  # no order that mirrors the order of answering
        .values_list("group", "mode", "submitted_on", "answers")
    )
    for group, mode, day, answers in responses:
        row: list[Any] = [group, mode, f"{day:%Y-%m}"]
        for q in questions:
            value = answers.get(q.code)
            row.append(";".join(value) if isinstance(value, list) else value)
        rows.append(row)
    rows.sort(key=lambda r: [str(v) for v in r])
    return header, rows


# --- control groups: balance and effect from the register ------------------------------------


def _age_band(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return _("unknown")
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for upper, label in ((27, "< 27"), (45, "27-44"), (55, "45-54")):
        if age < upper:
            return label
    return "55+"


def _members(control_group: ControlGroup) -> list[dict[str, Any]]:
    return list(
        ControlGroupMember.objects.filter(control_group=control_group, candidate__isnull=False)
        .values(
            "group",
            "candidate_id",
            "candidate__municipality__name",
            "candidate__ladder_step",
            "candidate__benefit_duration",
            "candidate__sex",
            "candidate__birth_date",
            "candidate__education_level",
        )
        .order_by("id")
    )


def balance_table(actor: access.Actor, control_group: ControlGroup) -> list[GroupTable]:
    """Participants against controls on the register variables, each with χ²: are the groups
    comparable? (Werktop checked gender, age, education, health and prior work; only the
    benefit duration differed.) Shown before any effect."""
    if not access.scoped(ControlGroup, actor).filter(pk=control_group.pk).exists():
        return []
    members = _members(control_group)
    labels = dict(Group.choices)
    groups = [str(labels[g]) for g in GROUP_ORDER]
    on = control_group.drawn_at.date()
    sex_labels = dict(Candidate._meta.get_field("sex").choices or [])
    education_labels = dict(Candidate._meta.get_field("education_level").choices or [])
    variables: list[tuple[str, Any, list[str] | None]] = [
        (_("Municipality"), lambda m: m["candidate__municipality__name"] or _("unknown"), None),
        (
            _("Participation ladder step"),
            lambda m: (
                str(LadderStep(m["candidate__ladder_step"]).label)
                if m["candidate__ladder_step"]
                else _("unknown")
            ),
            [str(label) for label in LadderStep.labels] + [_("unknown")],
        ),
        (
            _("Benefit duration"),
            lambda m: (
                str(BenefitDuration(m["candidate__benefit_duration"]).label)
                if m["candidate__benefit_duration"]
                else _("unknown")
            ),
            [str(label) for label in BenefitDuration.labels] + [_("unknown")],
        ),
        (
            _("Sex"),
            lambda m: str(sex_labels.get(m["candidate__sex"], _("unknown"))),
            None,
        ),
        (
            _("Age"),
            lambda m: _age_band(m["candidate__birth_date"], on),
            ["< 27", "27-44", "45-54", "55+", _("unknown")],
        ),
        (
            _("Education"),
            lambda m: str(education_labels.get(m["candidate__education_level"], _("unknown"))),
            None,
        ),
    ]
    tables = []
    for title, value_of, order in variables:
        rows = [str(value_of(m)) for m in members]
        cols = [str(labels[m["group"]]) for m in members]
        if not rows:
            continue
        present = set(rows)
        row_order = [r for r in order if r in present] if order else sorted(present)
        table = stats.crosstab(rows, cols, row_order=row_order, col_order=groups)
        tables.append(_suppress(str(title), table, min_cell=1))
    return tables


@dataclass(frozen=True)
class EffectRow:
    outcome: str
    participants: int
    participants_n: int
    controls: int
    controls_n: int
    difference: stats.ProportionDifference | None
    chi: stats.ChiSquareResult | None

    @property
    def participant_pct(self) -> float | None:
        return (
            round(100 * self.participants / self.participants_n, 1) if self.participants_n else None
        )

    @property
    def control_pct(self) -> float | None:
        return round(100 * self.controls / self.controls_n, 1) if self.controls_n else None


def effect_table(
    actor: access.Actor, control_group: ControlGroup, *, window_months: int = 12
) -> list[EffectRow]:
    """Participants against controls on what the register records within the window after
    the intervention's start: a regular job, a work-experience place, outflow from benefit,
    and a regular job that lasted six months. Differences of proportions with a 95 %
    interval (Newcombe) and Pearson's χ² (Fisher's exact test where counts are small)."""
    if not access.scoped(ControlGroup, actor).filter(pk=control_group.pk).exists():
        return []
    start = control_group.intervention_start
    end = add_months(start, window_months)
    today = timezone.localdate()
    members = ControlGroupMember.objects.filter(
        control_group=control_group, candidate__isnull=False
    ).values_list("candidate_id", "group")
    group_of = dict(members)
    sizes = {g: sum(1 for v in group_of.values() if v == g) for g in GROUP_ORDER}
    placements = Placement.objects.filter(
        candidate_id__in=list(group_of), start_on__gte=start, start_on__lt=end
    ).values_list("candidate_id", "kind", "start_on", "ended_on", "outflow", "outflow_on")
    reached: dict[str, dict[str, set[int]]] = {
        key: {g: set() for g in GROUP_ORDER} for key in ("regular", "wep", "outflow", "durable")
    }
    for candidate_id, kind, start_on, ended_on, outflow, outflow_on in placements:
        group = group_of[candidate_id]
        regular = kind == PlacementKind.REGULAR
        if regular:
            reached["regular"][group].add(candidate_id)
            six_months = add_months(start_on, 6)
            if six_months <= today and (ended_on is None or ended_on >= six_months):
                reached["durable"][group].add(candidate_id)
        if kind == PlacementKind.WORK_EXPERIENCE:
            reached["wep"][group].add(candidate_id)
        if outflow in (Outflow.FULL, Outflow.PARTIAL) and outflow_on and outflow_on < end:
            reached["outflow"][group].add(candidate_id)
    names = {
        "regular": _("Regular job"),
        "wep": _("Work-experience place"),
        "outflow": _("Outflow from benefit (full or partial)"),
        "durable": _("Regular job lasting 6 months"),
    }
    rows = []
    for key, label in names.items():
        a = len(reached[key][Group.PARTICIPANT])
        b = len(reached[key][Group.CONTROL])
        n_a, n_b = sizes[Group.PARTICIPANT], sizes[Group.CONTROL]
        difference = chi = None
        if n_a and n_b:
            difference = stats.difference_of_proportions(a, n_a, b, n_b)
            try:
                chi = stats.chi_square([[a, b], [n_a - a, n_b - b]])
            except ValueError:
                chi = None
        rows.append(EffectRow(str(label), a, n_a, b, n_b, difference, chi))
    return rows


@dataclass(frozen=True)
class DrawCheck:
    same: bool
    differ: int


def draw_check(control_group: ControlGroup) -> DrawCheck:
    """Draw again from today's frame with the recorded method and seed and compare with the
    frozen controls: ``differ`` people left or came in because the caseload changed."""
    from werkbrug.evaluation import services

    frozen = set(
        str(uuid)
        for uuid in control_group.members.filter(
            group=Group.CONTROL, candidate__isnull=False
        ).values_list("candidate__uuid", flat=True)
    )
    try:
        again = set(services.redraw(control_group))
    except ValueError:  # the frame shrank below the size
        again = set()
    return DrawCheck(same=again == frozen, differ=len(frozen ^ again) // 2)


# --- complaints and satisfaction per year (for the monitoring dashboard) ----------------------


@dataclass(frozen=True)
class ComplaintYear:
    year: int
    received: int
    amicable: int
    formal: int
    open: int
    median_days: float | None


def complaint_years(actor: access.Actor, municipality_id: int | None = None) -> list[ComplaintYear]:
    rows = complaints(actor)
    if municipality_id:
        rows = rows.filter(municipality_id=municipality_id)
    by_year: dict[int, list[Complaint]] = {}
    for complaint in rows.select_related(None).only("received_on", "settled_on", "settlement"):
        by_year.setdefault(complaint.received_on.year, []).append(complaint)
    out = []
    for year in sorted(by_year):
        items = by_year[year]
        days = [c.handling_days for c in items if c.handling_days is not None]
        median = float(statistics.median(days)) if days else None
        out.append(
            ComplaintYear(
                year=year,
                received=len(items),
                amicable=sum(c.settlement == "amicable" for c in items),
                formal=sum(c.settlement == "formal" for c in items),
                open=sum(c.settlement == "open" for c in items),
                median_days=median,
            )
        )
    return out


# --- service quality on the results dashboard (counts and means only) -----------------------


@dataclass(frozen=True)
class ServiceQualityYear:
    year: int
    complaints: int
    amicable: int
    formal: int
    #: Mean overall grade (1-10) from the satisfaction surveys and its number of answers;
    #: None when fewer people answered than the survey's smallest cell.
    candidate_grade: float | None
    candidate_n: int
    employer_grade: float | None
    employer_n: int


#: The overall grade of each satisfaction questionnaire (the WerkBedrijf surveys' first item).
OVERALL_GRADE = {
    "werkbedrijf_kandidaat_tevredenheid": ("candidate", "cijfer_totaal"),
    "werkbedrijf_werkgever_tevredenheid": ("employer", "cijfer_dienstverlening"),
}


def service_quality(
    region_id: int, *, municipality_id: int | None = None, years: Sequence[int]
) -> list[ServiceQualityYear]:
    """Complaints per year (received, settled amicably, handled formally) and the mean overall
    satisfaction grades per year, as the WerkBedrijf report tracks both. Aggregates of the
    region (complaints also per municipality); satisfaction surveys are region-wide."""
    complaints = Complaint.objects.filter(region_id=region_id, received_on__year__in=years)
    if municipality_id is not None:
        complaints = complaints.filter(municipality_id=municipality_id)
    counted = {
        row["received_on__year"]: row
        for row in complaints.values("received_on__year").annotate(
            n=Count("id"),
            amicable=Count("id", filter=Q(settlement="amicable")),
            formal=Count("id", filter=Q(settlement="formal")),
        )
    }
    grades: dict[tuple[int, str], list[int]] = {}
    smallest: dict[str, int] = {}
    responses = Response.objects.filter(
        survey__region_id=region_id,
        survey__template_code__in=list(OVERALL_GRADE),
        submitted_on__year__in=years,
    ).values_list("survey__template_code", "survey__min_cell_size", "submitted_on", "answers")
    for code, min_cell, day, answers in responses:
        audience, question = OVERALL_GRADE[code]
        value = answers.get(question)
        if isinstance(value, int):
            grades.setdefault((day.year, audience), []).append(value)
            smallest[audience] = max(smallest.get(audience, 1), min_cell)

    def mean(year: int, audience: str) -> tuple[float | None, int]:
        values = grades.get((year, audience), [])
        if not values or len(values) < smallest.get(audience, 1):
            return None, len(values)
        return round(sum(values) / len(values), 1), len(values)

    out = []
    for year in sorted(years):
        row = counted.get(year, {})
        candidate, n_candidate = mean(year, "candidate")
        employer, n_employer = mean(year, "employer")
        if not row and not n_candidate and not n_employer:
            continue
        out.append(
            ServiceQualityYear(
                year=year,
                complaints=row.get("n", 0),
                amicable=row.get("amicable", 0),
                formal=row.get("formal", 0),
                candidate_grade=candidate,
                candidate_n=n_candidate,
                employer_grade=employer,
                employer_n=n_employer,
            )
        )
    return out
