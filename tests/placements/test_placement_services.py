"""Placing a candidate: checked against the rules of the start date, with the aftercare plan;
converting a work-experience place into a contract; ending with a reason; who may do it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from werkbrug.core.access import actor_for
from werkbrug.placements import services
from werkbrug.placements.models import (
    AftercareCheck,
    Contract,
    EndReason,
    Placement,
    PlacementKind,
    PlacementStatus,
)

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)


@pytest.fixture
def rm(people):
    return actor_for(people["relatiemanager"])


def wep(world, **kw) -> Placement:
    fields = {
        "candidate": world["good"],
        "employer": world["employer"],
        "kind": PlacementKind.WORK_EXPERIENCE,
        "contract": Contract.NONE,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(24),
        "start_on": START,
        "planned_end_on": dt.date(2026, 9, 1),
    }
    return Placement(**(fields | kw))


def test_a_work_experience_place_gets_its_aftercare_plan_and_the_rules_of_its_date(world, rm):
    placed = services.place(actor=rm, placement=wep(world))
    assert placed.status == PlacementStatus.RUNNING  # started before today
    assert placed.rule_set.valid_from == dt.date(2018, 7, 1)
    assert placed.owner_id == rm.staff_id and placed.region_id == world["good"].region_id
    kinds = list(placed.checks.values_list("kind", "due_on"))
    assert ("voor_einde", dt.date(2026, 7, 21)) in kinds and ("m12", dt.date(2027, 3, 2)) in kinds


def test_longer_than_the_rules_allow_is_refused_naming_the_rule_and_nothing_is_saved(world, rm):
    with pytest.raises(ValidationError) as error:
        services.place(actor=rm, placement=wep(world, planned_end_on=dt.date(2026, 10, 1)))
    message = error.value.message_dict["planned_end_on"][0]
    assert "6 maanden (regels van 01-07-2018)" in message  # the services speak Dutch
    assert not Placement.objects.exists() and not AftercareCheck.objects.exists()


def test_every_rule_of_the_kind_is_named_at_once(world, rm):
    wrong = wep(world, contract=Contract.FIXED, wage_pct_of_wml=Decimal(100), planned_end_on=None)
    with pytest.raises(ValidationError) as error:
        services.place(actor=rm, placement=wrong)
    assert set(error.value.message_dict) == {"contract", "wage_pct_of_wml", "planned_end_on"}
    job = wep(world, kind=PlacementKind.REGULAR, contract=Contract.FIXED, planned_end_on=None)
    with pytest.raises(ValidationError) as error:
        services.place(actor=rm, placement=job)
    assert set(error.value.message_dict) == {"planned_end_on", "wage_pct_of_wml"}


def test_a_work_experience_place_converted_into_a_six_month_contract(world, rm):
    first = services.place(actor=rm, placement=wep(world))
    contract = services.convert(
        actor=rm,
        placement=first,
        into=wep(
            world,
            kind=PlacementKind.REGULAR,
            contract=Contract.FIXED,
            wage_pct_of_wml=Decimal(100),
            start_on=dt.date(2026, 6, 1),
            planned_end_on=dt.date(2026, 11, 30),
        ),
    )
    first.refresh_from_db()
    assert contract.preceded_by == first and first.followed_by == contract
    assert first.status == PlacementStatus.CONVERTED and first.end_reason == EndReason.CONVERTED
    assert first.ended_on == dt.date(2026, 5, 31)
    assert not first.checks.filter(due_on__gt=first.ended_on, done_on__isnull=True).exists()
    assert contract.checks.filter(kind="voor_einde", due_on=dt.date(2026, 10, 19)).exists()


def test_ending_needs_a_reason_and_cannot_happen_twice(world, rm):
    placed = services.place(actor=rm, placement=wep(world))
    with pytest.raises(ValidationError) as error:
        services.end(actor=rm, placement=placed, on=dt.date(2026, 4, 1), reason="")
    assert list(error.value.message_dict) == ["end_reason"]
    services.end(actor=rm, placement=placed, on=dt.date(2026, 4, 1), reason=EndReason.HEALTH)
    placed.refresh_from_db()
    assert placed.status == PlacementStatus.ENDED
    assert not placed.checks.filter(kind="voor_einde").exists()
    with pytest.raises(ValidationError):
        services.end(actor=rm, placement=placed, on=dt.date(2026, 4, 2), reason=EndReason.OTHER)


def test_someone_who_may_not_see_the_candidate_in_full_cannot_place(world, people):
    with pytest.raises(PermissionDenied):
        services.place(actor=actor_for(people["other_region_rm"]), placement=wep(world))
    with pytest.raises(PermissionDenied):
        services.place(actor=actor_for(people["onderzoeker"]), placement=wep(world))


def test_durability_counts_a_converted_chain_once_and_only_known_days(world, rm):
    from werkbrug.placements import selectors

    first = services.place(
        actor=rm,
        placement=wep(world, start_on=dt.date(2025, 1, 6), planned_end_on=dt.date(2025, 6, 30)),
    )
    services.convert(
        actor=rm,
        placement=first,
        into=wep(
            world,
            kind=PlacementKind.REGULAR,
            contract=Contract.PERMANENT,
            wage_pct_of_wml=Decimal(100),
            start_on=dt.date(2025, 4, 1),
            planned_end_on=None,
        ),
    )
    found = selectors.durability(
        rm,
        start_from=dt.date(2025, 1, 1),
        start_to=dt.date(2025, 12, 31),
        today=dt.date(2025, 9, 1),
    )
    # One chain; 6 months (6 July 2025) known and working; 12 months not known yet.
    assert (found.started, found.known_6, found.lasted_6, found.known_12) == (1, 1, 1, 0)


def test_the_effect_on_the_benefit_needs_its_date_except_for_none(world, rm):
    from werkbrug.placements.models import Outflow

    placed = services.place(actor=rm, placement=wep(world))
    with pytest.raises(ValidationError) as error:
        services.record_outflow(actor=rm, placement=placed, outflow=Outflow.FULL, on=None)
    assert list(error.value.message_dict) == ["outflow_on"]
    with pytest.raises(ValidationError) as error:
        services.record_outflow(actor=rm, placement=placed, outflow="x", on=START)
    assert list(error.value.message_dict) == ["outflow"]
    done = services.record_outflow(actor=rm, placement=placed, outflow=Outflow.FULL, on=START)
    assert (done.outflow, done.outflow_on) == (Outflow.FULL, START)
    done = services.record_outflow(actor=rm, placement=placed, outflow=Outflow.NONE, on=START)
    assert (done.outflow, done.outflow_on) == (Outflow.NONE, None)


def test_a_late_conversion_cannot_stretch_a_work_experience_place_past_the_rules(world, rm):
    first = services.place(actor=rm, placement=wep(world))  # 2 March to 1 September 2026
    late = wep(
        world,
        kind=PlacementKind.REGULAR,
        contract=Contract.PERMANENT,
        wage_pct_of_wml=Decimal(100),
        start_on=dt.date(2026, 10, 1),
        planned_end_on=None,
    )
    with pytest.raises(ValidationError) as error:
        services.convert(actor=rm, placement=first, into=late)
    assert "03-09-2026" in error.value.message_dict["start_on"][0]  # the latest start
    first.refresh_from_db()
    assert first.status == PlacementStatus.RUNNING


def test_a_conversion_at_the_same_employer_skips_the_first_week_and_three_way_talk(world, rm):
    first = services.place(actor=rm, placement=wep(world))
    contract = services.convert(
        actor=rm,
        placement=first,
        into=wep(
            world,
            kind=PlacementKind.REGULAR,
            contract=Contract.PERMANENT,
            wage_pct_of_wml=Decimal(100),
            start_on=dt.date(2026, 6, 1),
            planned_end_on=None,
        ),
    )
    kinds = set(contract.checks.values_list("kind", flat=True))
    assert {"m1", "m3", "m6", "m12"} <= kinds
    assert not kinds & {"start", "driegesprek"}
    assert not first.checks.filter(done_on__isnull=True).exists()  # the new plan took over
