"""The region's aftercare plan: administrators and team leads set the check-in months, the
three-way conversation and the alert weeks; new placements follow it; a wrong value is named
and nothing is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

import tests_support
from werkbrug.core.access import actor_for
from werkbrug.placements import services
from werkbrug.placements.models import AftercarePolicy, Contract, Placement, PlacementKind

pytestmark = pytest.mark.django_db
URL = reverse("placements:policy")


def test_the_plan_is_saved_and_new_placements_follow_it(world, people, login_en):
    client = login_en(people["teamleider"])
    page = tests_support.text(client.get(URL))
    assert "1, 3, 6, 12" in page
    response = client.post(
        URL,
        {"check_months": "2, 6 12", "three_way_month": "", "end_alert_weeks": "4"},
    )
    assert response.status_code == 302
    policy = AftercarePolicy.objects.get(region_id=world["good"].region_id)
    assert (policy.first_week, policy.check_months, policy.three_way_month) == (
        False,
        [2, 6, 12],
        None,
    )
    placed = services.place(
        actor=actor_for(people["relatiemanager"]),
        placement=Placement(
            candidate=world["good"],
            employer=world["employer"],
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.NONE,
            job_title="Orderpicker",
            hours_per_week=Decimal(24),
            start_on=dt.date(2026, 3, 2),
            planned_end_on=dt.date(2026, 9, 1),
        ),
    )
    assert sorted(placed.checks.values_list("kind", flat=True)) == ["m12", "m2", "m6", "voor_einde"]
    assert placed.checks.get(kind="voor_einde").due_on == dt.date(2026, 8, 4)  # 4 weeks before


def test_wrong_months_are_named_and_nothing_is_saved(people, login_en):
    client = login_en(people["beheerder"])
    response = client.post(URL, {"check_months": "1, 3, 99", "end_alert_weeks": "6"})
    assert response.status_code == 400
    assert "Months 1 to 60." in tests_support.text(response)
    response = client.post(URL, {"check_months": "een, drie", "end_alert_weeks": "0"})
    page = tests_support.text(response)
    assert "Write whole months separated by commas" in page
    assert not AftercarePolicy.objects.exists()


def test_a_relationship_manager_may_not_change_the_plan(people, login_en):
    assert login_en(people["relatiemanager"]).get(URL).status_code == 403


def test_a_jobcoach_is_assigned_on_the_placement_page_and_follows_the_person(
    world, people, login_en
):
    from werkbrug.placements.models import JobcoachAssignment

    rm = actor_for(people["relatiemanager"])
    placed = services.place(
        actor=rm,
        placement=Placement(
            candidate=world["good"],
            employer=world["employer"],
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.NONE,
            job_title="Orderpicker",
            hours_per_week=Decimal(24),
            start_on=dt.date(2026, 3, 2),
            planned_end_on=dt.date(2026, 9, 1),
        ),
    )
    client = login_en(people["relatiemanager"])
    url = reverse("placements:assign_jobcoach", kwargs={"uuid": placed.uuid})
    refused = client.post(url, {"coach_name": "", "start_on": "01-04-2026"}, follow=True)
    assert "Give the jobcoach" in tests_support.text(refused)
    assert not JobcoachAssignment.objects.exists()
    client.post(
        url,
        {
            "coach_name": "Marieke Hoekstra",
            "organisation": "Jobcoach Gelderland",
            "uwv_recognised": "on",
            "start_on": "01-04-2026",
        },
    )
    page = tests_support.text(
        client.get(reverse("placements:detail", kwargs={"uuid": placed.uuid}))
    )
    assert "Marieke Hoekstra" in page and "Jobcoach Gelderland" in page
    assigned = JobcoachAssignment.objects.get()
    assert assigned.candidate_id == world["good"].pk and assigned.uwv_recognised
