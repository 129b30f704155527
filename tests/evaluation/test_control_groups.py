"""Control groups: drawn from who did not take part, frozen with frame, seed and method so the
draw can be redone; the balance table compares the groups on register variables; the effect
table counts outcomes from the register per group, by hand here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from candidates_support import make_candidate
from steering_support import place
from werkbrug.core.access import actor_for
from werkbrug.employers.models import Employer
from werkbrug.evaluation import selectors, services
from werkbrug.evaluation.models import ControlMethod, Group
from werkbrug.placements.models import Contract, Outflow, PlacementKind

START = dt.date(2025, 1, 1)


@pytest.fixture
def caseload(regions, people):
    """20 candidates in Nijmegen and 10 in Wijchen; four of them took part (a placement
    after the start), one only before the start (so not a participant)."""
    own = regions["own"]
    nijmegen, wijchen = own["municipalities"]
    candidates = [make_candidate(own, complete=False, municipality=nijmegen) for _ in range(20)]
    candidates += [make_candidate(own, complete=False, municipality=wijchen) for _ in range(10)]
    rm = people["relatiemanager"].staff
    employer = Employer.objects.create(
        region=own["region"], name="Distributiecentrum Oost", municipality=nijmegen, owner=rm
    )
    return {"candidates": candidates, "employer": employer, "rm": rm, "region": own["region"]}


def _researcher(people):
    return actor_for(people["onderzoeker"])


def test_participants_are_who_took_part_since_the_start_and_controls_the_rest(caseload, people):
    """Placements from the start on make someone a participant; one before the start does not.
    The controls come from the remaining 26 people and never include a participant."""
    c, region = caseload["candidates"], caseload["region"]
    for candidate in c[:4]:
        place(region, candidate, caseload["employer"], caseload["rm"], start_on=dt.date(2025, 3, 1))
    place(region, c[4], caseload["employer"], caseload["rm"], start_on=dt.date(2024, 6, 1))

    group = services.draw_control_group(
        actor=_researcher(people), name="Controle 2025", intervention_start=START, size=8, seed=42
    )

    members = {m.candidate_id: m.group for m in group.members.all()}
    assert {cid for cid, g in members.items() if g == Group.PARTICIPANT} == {x.id for x in c[:4]}
    controls = {cid for cid, g in members.items() if g == Group.CONTROL}
    assert len(controls) == 8 and not controls & {x.id for x in c[:4]}
    assert (group.frame_size, group.participant_count) == (26, 4)


def test_the_draw_can_be_redone_and_gives_the_same_people(caseload, people):
    """Same frame, method, strata and seed: the same controls (the proof a reviewer asks)."""
    group = services.draw_control_group(
        actor=_researcher(people),
        name="Gestratificeerd",
        intervention_start=START,
        size=9,
        seed=2014,
        method=ControlMethod.STRATIFIED,
        strata=["municipality"],
    )
    frozen = sorted(str(m.candidate.uuid) for m in group.members.filter(group=Group.CONTROL))
    assert services.redraw(group) == frozen
    # 20 : 10 in the frame → 6 : 3 of 9 drawn.
    strata = [m.stratum for m in group.members.filter(group=Group.CONTROL)]
    assert sorted(strata).count("municipality=Nijmegen") == 6
    assert sorted(strata).count("municipality=Wijchen") == 3


def test_wrong_draws_are_refused_field_by_field_in_dutch(caseload, people, settings):
    """Too large, stratified without a variable, an unknown variable: every field named."""
    settings.LANGUAGE_CODE = "nl"
    with pytest.raises(ValidationError) as refused:
        services.draw_control_group(
            actor=_researcher(people),
            name=" ",
            intervention_start=START,
            size=0,
            seed=1,
            method=ControlMethod.STRATIFIED,
            strata=["religion"],
        )
    assert set(refused.value.message_dict) == {"name", "size", "strata"}
    with pytest.raises(ValidationError) as too_many:
        services.draw_control_group(
            actor=_researcher(people), name="Te groot", intervention_start=START, size=31, seed=1
        )
    assert "30 mensen in het steekproefkader; 31 gevraagd" in str(too_many.value)


def test_only_researchers_team_leads_and_administrators_draw(caseload, people):
    """A relationship manager cannot draw a control group; another region's administrator
    cannot see ours."""
    with pytest.raises(PermissionDenied):
        services.draw_control_group(
            actor=actor_for(people["relatiemanager"]),
            name="Niet toegestaan",
            intervention_start=START,
            size=2,
            seed=1,
        )
    group = services.draw_control_group(
        actor=_researcher(people), name="Eigen regio", intervention_start=START, size=2, seed=1
    )
    assert not selectors.control_groups(actor_for(people["other_region_admin"])).filter(pk=group.pk)
    assert selectors.balance_table(actor_for(people["other_region_admin"]), group) == []


def test_balance_table_compares_the_groups_on_register_variables(caseload, people):
    """Four participants in Nijmegen against ten controls drawn: the municipality table counts
    them by group, and every variable gets its χ² test (or its reason why not)."""
    c, region = caseload["candidates"], caseload["region"]
    for candidate in c[:4]:
        place(region, candidate, caseload["employer"], caseload["rm"], start_on=dt.date(2025, 2, 1))
    group = services.draw_control_group(
        actor=_researcher(people), name="Balans", intervention_start=START, size=10, seed=7
    )

    with translation.override("en"):
        tables = {t.title: t for t in selectors.balance_table(_researcher(people), group)}

    municipality = tables["Municipality"]
    assert municipality.columns == ["Participants", "Control group"]
    assert municipality.n == [4, 10]
    nijmegen_row = municipality.row_labels.index("Nijmegen")
    assert municipality.cells[nijmegen_row][0].count == 4
    assert {"Age", "Sex", "Benefit duration", "Participation ladder step"} <= set(tables)


def test_effect_table_counts_outcomes_in_the_window_by_hand(caseload, people, settings):
    """Participants: 4; two got a regular job in the window (one lasting six months, one
    ended after two), one a work-experience place; one regular job with full outflow.
    Controls: 10 drawn from 26; we give one of them a regular job in the window and one a
    job after the window (not counted). So regular job 2/4 = 50 % against 1/10 = 10 %."""
    c, region = caseload["candidates"], caseload["region"]
    employer, rm = caseload["employer"], caseload["rm"]
    place(
        region, c[0], employer, rm, start_on=dt.date(2025, 2, 1),
        outflow=Outflow.FULL, outflow_on=dt.date(2025, 2, 1),
    )  # fmt: skip
    place(
        region, c[1], employer, rm, start_on=dt.date(2025, 3, 1), ended_on=dt.date(2025, 5, 1),
        contract=Contract.FIXED,
    )  # fmt: skip
    place(
        region, c[2], employer, rm, start_on=dt.date(2025, 4, 1),
        kind=PlacementKind.WORK_EXPERIENCE, contract=Contract.NONE, wage_pct_of_wml=None,
    )  # fmt: skip
    place(
        region, c[3], employer, rm, start_on=dt.date(2025, 4, 1),
        kind=PlacementKind.TRIAL, contract=Contract.NONE, wage_pct_of_wml=None,
    )  # fmt: skip
    group = services.draw_control_group(
        actor=_researcher(people), name="Effect", intervention_start=START, size=10, seed=3
    )
    controls = list(group.members.filter(group=Group.CONTROL).select_related("candidate"))
    # After the draw: the controls' own outcomes (the register keeps counting).
    place(region, controls[0].candidate, employer, rm, start_on=dt.date(2025, 6, 1))
    place(region, controls[1].candidate, employer, rm, start_on=dt.date(2026, 6, 1))

    with translation.override("en"):
        effect = selectors.effect_table(_researcher(people), group, window_months=12)
    rows = {r.outcome: r for r in effect}

    regular = rows["Regular job"]
    assert (regular.participants, regular.participants_n) == (2, 4)
    assert (regular.controls, regular.controls_n) == (1, 10)
    assert (regular.participant_pct, regular.control_pct) == (50.0, 10.0)
    assert regular.difference.difference == pytest.approx(0.4)
    assert regular.chi is not None and regular.chi.small_expected  # tiny groups: warned
    assert rows["Work-experience place"].participants == 1
    assert rows["Outflow from benefit (full or partial)"].participants == 1
    durable = rows["Regular job lasting 6 months"]
    # c[0] started 1-2-2025 and runs on: six months reached (if today is past 1-8-2025).
    assert durable.participants == (1 if timezone.localdate() >= dt.date(2025, 8, 1) else 0)
    assert durable.controls == (1 if timezone.localdate() >= dt.date(2025, 12, 1) else 0)
