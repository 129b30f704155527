"""The writes behind the programme pages (``monitoring.programme_services``): a programme
and its agreement, its targets and the hours logged against it. Every refusal names its
field and saves nothing; edits refuse a stale version; the change log records each change;
only the own region, only one's own hours (a team lead may correct anyone's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from werkbrug.core.access import actor_for
from werkbrug.core.models import ChangeLogEntry
from werkbrug.monitoring import programme_services as services
from werkbrug.monitoring.models import Programme, Target, TargetKind, TimeEntry

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def programme_data(regions: dict[str, Any], **changes: Any) -> dict[str, Any]:
    own = regions["own"]["municipalities"]
    data = {
        "name": "Werktop Nijmegen",
        "description": "Nieuwe werkgevers en uitstroom, no cure no pay.",
        "partner": "Van Amstel Advies",
        "start_on": today() - dt.timedelta(days=90),
        "end_on": today() + dt.timedelta(days=275),
        "municipalities": own,
        "tolerance_pct": Decimal(3),
        "capacity_days_per_week": Decimal(2),
        "fee_per_result": Decimal(1500),
        "fee_kpis": ["K2"],
    }
    return data | changes


def problems(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


@pytest.fixture
def lead(people):
    return actor_for(people["teamleider"])


@pytest.fixture
def programme(regions, lead) -> Programme:
    return services.save_programme(actor=lead, data=programme_data(regions))


def target_data(**changes: Any) -> dict[str, Any]:
    return {"kpi": "K1", "municipality": None, "value": Decimal(70)} | changes


# --- Programmes ---------------------------------------------------------------------------------


def test_a_programme_is_saved_with_its_agreement_and_logged(regions, lead, programme):
    assert programme.region_id == regions["own"]["region"].pk
    assert set(programme.municipalities.all()) == set(regions["own"]["municipalities"])
    assert programme.fee_kpis == ["K2"]
    assert programme.version == 1
    logged = ChangeLogEntry.objects.filter(object_uuid=programme.uuid)
    assert logged.filter(action="create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"start_on": None}, "start_on"),
        ({"end_on": None}, "end_on"),
        ({"end_on": today() - dt.timedelta(days=90)}, "end_on"),
        ({"end_on": today() - dt.timedelta(days=100)}, "end_on"),
        ({"tolerance_pct": Decimal(60)}, "tolerance_pct"),
        ({"capacity_days_per_week": Decimal(8)}, "capacity_days_per_week"),
        ({"capacity_days_per_week": Decimal("2.25")}, "capacity_days_per_week"),
        ({"fee_per_result": Decimal(-1)}, "fee_per_result"),
        ({"fee_kpis": ["K2", "X9"]}, "fee_kpis"),
        ({"fee_kpis": []}, "fee_kpis"),
        ({"fee_per_result": None}, "fee_per_result"),
    ],
)
def test_a_bad_programme_is_refused_by_field(regions, lead, changes, field):
    with pytest.raises(ValidationError) as error:
        services.save_programme(actor=lead, data=programme_data(regions, **changes))
    assert field in problems(error)
    assert not Programme.objects.exists()


def test_unknown_fee_kpi_is_named(regions, lead):
    with pytest.raises(ValidationError) as error:
        services.save_programme(actor=lead, data=programme_data(regions, fee_kpis=["X9"]))
    assert "X9" in problems(error)["fee_kpis"][0]


def test_a_municipality_of_another_region_is_refused(regions, lead):
    zaanstad = regions["other"]["municipalities"][0]
    with pytest.raises(ValidationError) as error:
        services.save_programme(actor=lead, data=programme_data(regions, municipalities=[zaanstad]))
    assert list(problems(error)) == ["municipalities"]


def test_no_municipalities_is_the_whole_region(regions, lead):
    saved = services.save_programme(actor=lead, data=programme_data(regions, municipalities=[]))
    assert not saved.municipalities.exists()


def test_an_edit_bumps_the_version_and_a_stale_one_is_refused(regions, lead, programme):
    edited = services.save_programme(
        actor=lead, programme=programme, data={"name": "Werktop RvN"}, expected_version=1
    )
    assert edited.version == 2
    assert edited.partner == "Van Amstel Advies"  # a key left out keeps its value
    with pytest.raises(ValidationError) as error:
        services.save_programme(
            actor=lead, programme=programme, data={"name": "Oud"}, expected_version=1
        )
    assert error.value.code == "stale"
    programme.refresh_from_db()
    assert programme.name == "Werktop RvN"
    assert ChangeLogEntry.objects.filter(object_uuid=programme.uuid, action="update").exists()


def test_a_period_change_may_not_leave_targets_or_hours_outside(regions, lead, programme):
    services.add_target(actor=lead, programme=programme, data=target_data())
    with pytest.raises(ValidationError) as error:
        services.save_programme(
            actor=lead, programme=programme, data={"end_on": programme.end_on - dt.timedelta(1)}
        )
    assert "end_on" in problems(error)
    services.delete_target(actor=lead, target=programme.targets.get())
    services.log_time(
        actor=lead,
        programme=programme,
        on=programme.start_on,
        hours=Decimal(2),
        activity="acquisitie",
    )
    with pytest.raises(ValidationError) as error:
        services.save_programme(
            actor=lead,
            programme=programme,
            data={"start_on": programme.start_on + dt.timedelta(1)},
        )
    assert "start_on" in problems(error)


def test_a_municipality_with_targets_cannot_be_dropped(regions, lead, programme):
    nijmegen, wijchen = regions["own"]["municipalities"]
    services.add_target(actor=lead, programme=programme, data=target_data(municipality=wijchen))
    with pytest.raises(ValidationError) as error:
        services.save_programme(
            actor=lead, programme=programme, data={"municipalities": [nijmegen]}
        )
    assert "Wijchen" in problems(error)["municipalities"][0]


def test_only_managers_of_the_own_region(regions, people, programme):
    for role in ("relatiemanager", "onderzoeker", "werkgever", "kandidaat"):
        with pytest.raises(PermissionDenied):
            services.save_programme(actor=actor_for(people[role]), data=programme_data(regions))
    other = actor_for(people["other_region_admin"])
    with pytest.raises(PermissionDenied):
        services.save_programme(actor=other, programme=programme, data={"name": "Van ons"})
    with pytest.raises(PermissionDenied):
        services.add_target(actor=other, programme=programme, data=target_data())


# --- Targets ------------------------------------------------------------------------------------


def test_a_target_defaults_to_the_programme_period(lead, programme):
    target = services.add_target(actor=lead, programme=programme, data=target_data())
    assert (target.start_on, target.end_on) == (programme.start_on, programme.end_on)
    assert target.kind == TargetKind.TARGET
    assert ChangeLogEntry.objects.filter(object_uuid=target.uuid, action="create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kpi": "X9"}, "kpi"),
        ({"kpi": ""}, "kpi"),
        ({"value": Decimal(-1)}, "value"),
        ({"value": None}, "value"),
        ({"kind": "wens"}, "kind"),
        ({"tolerance_pct": Decimal(51)}, "tolerance_pct"),
    ],
)
def test_a_bad_target_is_refused_by_field(lead, programme, changes, field):
    with pytest.raises(ValidationError) as error:
        services.add_target(actor=lead, programme=programme, data=target_data(**changes))
    assert field in problems(error)
    assert not Target.objects.exists()


def test_a_target_outside_the_programme_says_the_period(lead, programme):
    data = target_data(start_on=programme.start_on - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.add_target(actor=lead, programme=programme, data=data)
    message = problems(error)["start_on"][0]
    assert programme.start_on.strftime("%d-%m-%Y") in message
    assert programme.end_on.strftime("%d-%m-%Y") in message
    with pytest.raises(ValidationError) as error:
        services.add_target(
            actor=lead,
            programme=programme,
            data=target_data(end_on=programme.end_on + dt.timedelta(days=1)),
        )
    assert "end_on" in problems(error)


def test_a_kpi_without_a_definition_in_the_period(monkeypatch, lead, programme):
    import dataclasses

    from werkbrug.monitoring import kpis

    ended = dataclasses.replace(kpis.for_code("K1")[0], valid_to=programme.start_on)
    monkeypatch.setattr(kpis, "for_code", lambda code: [ended] if code == "K1" else [])
    with pytest.raises(ValidationError) as error:
        services.add_target(actor=lead, programme=programme, data=target_data())
    assert "K1" in problems(error)["kpi"][0]


def test_a_target_municipality_belongs_to_the_programme(regions, lead):
    nijmegen, wijchen = regions["own"]["municipalities"]
    only_nijmegen = services.save_programme(
        actor=lead, data=programme_data(regions, municipalities=[nijmegen])
    )
    for municipality in (wijchen, regions["other"]["municipalities"][0]):
        with pytest.raises(ValidationError) as error:
            services.add_target(
                actor=lead, programme=only_nijmegen, data=target_data(municipality=municipality)
            )
        assert list(problems(error)) == ["municipality"]


def test_the_same_target_twice_is_refused(lead, programme):
    services.add_target(actor=lead, programme=programme, data=target_data())
    with pytest.raises(ValidationError) as error:
        services.add_target(actor=lead, programme=programme, data=target_data(value=80))
    assert "kpi" in problems(error)


def test_a_target_edit_and_a_stale_one(lead, programme):
    target = services.add_target(actor=lead, programme=programme, data=target_data())
    changed = services.edit_target(
        actor=lead,
        target=target,
        data={"value": Decimal(80), "kind": TargetKind.ESTIMATE},
        expected_version=1,
    )
    assert (changed.value, changed.kind, changed.version) == (80, TargetKind.ESTIMATE, 2)
    with pytest.raises(ValidationError) as error:
        services.edit_target(actor=lead, target=target, data={"value": 1}, expected_version=1)
    assert error.value.code == "stale"
    with pytest.raises(ValidationError):
        services.delete_target(actor=lead, target=target, expected_version=1)
    services.delete_target(actor=lead, target=target, expected_version=2)
    assert not Target.objects.exists()
    assert ChangeLogEntry.objects.filter(object_uuid=target.uuid, action="delete").exists()


# --- Hours --------------------------------------------------------------------------------------


def log(actor: Any, programme: Programme, **changes: Any) -> TimeEntry:
    values = {
        "on": today() - dt.timedelta(days=1),
        "hours": Decimal("2.5"),
        "activity": "acquisitie",
        "note": "Bedrijvenbezoek",
    }
    return services.log_time(actor=actor, programme=programme, **(values | changes))


def test_hours_are_logged_for_oneself(people, programme):
    rm = actor_for(people["relatiemanager"])
    entry = log(rm, programme)
    assert entry.staff_id == rm.staff_id
    assert entry.hours == Decimal("2.5")
    assert ChangeLogEntry.objects.filter(object_uuid=entry.uuid, action="create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours": Decimal(30)}, "hours"),
        ({"hours": Decimal(0)}, "hours"),
        ({"hours": Decimal("1.3")}, "hours"),
        ({"hours": None}, "hours"),
        ({"on": today() + dt.timedelta(days=1)}, "on"),
        ({"on": None}, "on"),
        ({"activity": "koffie"}, "activity"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_bad_hours_are_refused_by_field(people, programme, changes, field):
    rm = actor_for(people["relatiemanager"])
    with pytest.raises(ValidationError) as error:
        log(rm, programme, **changes)
    assert field in problems(error)
    assert not TimeEntry.objects.exists()


def test_a_day_outside_the_programme_is_refused(people, programme):
    rm = actor_for(people["relatiemanager"])
    with pytest.raises(ValidationError) as error:
        log(rm, programme, on=programme.start_on - dt.timedelta(days=1))
    last = (programme.end_on - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    assert last in problems(error)["on"][0]


def test_at_most_24_hours_a_day_over_all_programmes(regions, lead, people, programme):
    second = services.save_programme(actor=lead, data=programme_data(regions, name="Banenafspraak"))
    rm = actor_for(people["relatiemanager"])
    log(rm, programme, hours=Decimal(20))
    with pytest.raises(ValidationError) as error:
        log(rm, second, hours=Decimal(5))
    assert "4" in problems(error)["hours"][0]  # what is left of the day
    log(rm, second, hours=Decimal(4))
    # Someone else's day is their own.
    log(actor_for(people["klantmanager"]), second, hours=Decimal(8))


def test_hours_need_the_permission(people, programme):
    for role in ("onderzoeker", "beheerder", "werkgever", "kandidaat"):
        with pytest.raises(PermissionDenied):
            log(actor_for(people[role]), programme)
    with pytest.raises(PermissionDenied):
        log(actor_for(people["other_region_rm"]), programme)


def test_only_own_hours_are_removed_unless_managing(people, lead, programme):
    rm = actor_for(people["relatiemanager"])
    km = actor_for(people["klantmanager"])
    mine, theirs = log(rm, programme), log(km, programme)
    with pytest.raises(PermissionDenied):
        services.delete_time_entry(actor=rm, entry=theirs)
    services.delete_time_entry(actor=rm, entry=mine)
    services.delete_time_entry(actor=lead, entry=theirs)
    assert not TimeEntry.objects.exists()
    assert ChangeLogEntry.objects.filter(object_uuid=theirs.uuid, action="delete").exists()
