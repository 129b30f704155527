"""The pages that manage programmes and log hours: a team lead sets up a programme and its
targets and changes them; every bad input comes back next to its field and nothing is saved;
a stale edit is refused; hours are logged per day (in quarters, never in the future, at most
24 a day over all programmes); a relationship manager sees and removes only their own hours,
the team lead everyone's; the programme page shows the hours against the agreed capacity
and the buttons each role may use."""

from __future__ import annotations

import datetime as dt
import html as html_lib
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

import tests_support
from werkbrug.core.access import actor_for
from werkbrug.monitoring import programme_services as services
from werkbrug.monitoring.models import Programme, Target, TargetKind, TimeEntry

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html_lib.unescape(tests_support.text(response))


def today() -> dt.date:
    return timezone.localdate()


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"monitoring:{name}", kwargs=kwargs or None)


def iso(day: dt.date) -> str:
    return day.isoformat()


@pytest.fixture
def lead(people):
    return actor_for(people["teamleider"])


@pytest.fixture
def lead_client(login_en, people):
    return login_en(people["teamleider"])


@pytest.fixture
def rm_client(login_en, people):
    return login_en(people["relatiemanager"])


@pytest.fixture
def programme(regions, lead) -> Programme:
    return services.save_programme(
        actor=lead,
        data={
            "name": "Werktop Nijmegen",
            "partner": "Van Amstel Advies",
            "start_on": today() - dt.timedelta(days=91),
            "end_on": today() + dt.timedelta(days=274),
            "municipalities": regions["own"]["municipalities"],
            "capacity_days_per_week": Decimal(2),
            "fee_per_result": Decimal(1500),
            "fee_kpis": ["K2"],
        },
    )


@pytest.fixture
def with_target(lead, programme) -> Target:
    """One target, so the programme page has its targets table."""
    return services.add_target(
        actor=lead, programme=programme, data={"kpi": "K1", "value": Decimal(70)}
    )


def programme_post(regions: dict[str, Any], **changes: Any) -> dict[str, Any]:
    nijmegen, wijchen = regions["own"]["municipalities"]
    data = {
        "name": "Werktop Wijchen",
        "description": "Nieuwe werkgevers, uitstroom en werkervaringsplaatsen.",
        "partner": "Van Amstel Advies",
        "start_on": "01-12-2012",
        "end_on": "01-04-2014",
        "municipalities": [str(nijmegen.uuid), str(wijchen.uuid)],
        "tolerance_pct": "3",
        "capacity_days_per_week": "2",
        "fee_per_result": "1500",
        "fee_kpis": ["K2"],
    }
    return data | changes


def target_post(programme: Programme, **changes: Any) -> dict[str, Any]:
    data = {
        "kpi": "K1",
        "municipality": "",
        "start_on": iso(programme.start_on),
        "end_on": iso(programme.end_on),
        "value": "70",
        "kind": TargetKind.TARGET,
        "tolerance_pct": "",
    }
    return data | changes


def hours_post(**changes: Any) -> dict[str, Any]:
    data = {
        "on": iso(today() - dt.timedelta(days=1)),
        "hours": "2.5",
        "activity": "acquisitie",
        "note": "Bedrijvenbezoek Dukenburg",
    }
    return data | changes


def field_errors(response: Any) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- Programmes -------------------------------------------------------------------------------


def test_a_team_lead_sets_up_a_programme(regions, lead_client):
    page = lead_client.get(url("programmes"))
    assert url("programme_create") in page.content.decode()
    form = lead_client.get(url("programme_create"))
    assert form.status_code == 200
    page_text = text(form)
    assert "Nijmegen" in page_text and "Wijchen" in page_text
    assert "Zaanstad" not in page_text  # another region's
    assert "K2 — Uitstroom naar regulier werk" in page_text  # a fee per result of a count
    assert "K8 — Contactnorm gehaald" not in page_text  # a share earns no fee

    response = lead_client.post(url("programme_create"), programme_post(regions))
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("programme", uuid=programme.uuid)
    assert programme.start_on == dt.date(2012, 12, 1)
    assert programme.fee_per_result == 1500
    assert programme.fee_kpis == ["K2"]
    assert programme.municipalities.count() == 2
    detail = text(lead_client.get(response["Location"]))
    assert "Werktop Wijchen" in detail
    assert "No targets yet." in detail


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_on": "01-11-2012"}, "end_on", "End: The end comes after the start."),
        ({"name": ""}, "name", "Name: Give the programme a name."),
        ({"start_on": "31-31-2012"}, "start_on", "Start: Give a date as dd-mm-yyyy."),
        ({"fee_kpis": ["X9"]}, "fee_kpis", "Choose indicators from the list."),
        ({"fee_kpis": []}, "fee_kpis", "Choose the indicators whose results earn the fee."),
        ({"capacity_days_per_week": "9"}, "capacity_days_per_week", "from 0 to 7"),
    ],
)
def test_a_bad_programme_comes_back_by_field(regions, lead_client, changes, field, message):
    response = lead_client.post(url("programme_create"), programme_post(regions, **changes))
    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
    assert message in text(response)
    assert not Programme.objects.exists()


def test_a_municipality_of_another_region_is_refused(regions, lead_client):
    zaanstad = regions["other"]["municipalities"][0]
    response = lead_client.post(
        url("programme_create"), programme_post(regions, municipalities=[str(zaanstad.uuid)])
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "municipalities": ["Choose municipalities of your own region."]
    }
    assert not Programme.objects.exists()


def test_a_team_lead_edits_the_agreement(regions, lead_client, programme):
    form = lead_client.get(url("programme_edit", uuid=programme.uuid))
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    assert 'value="Werktop Nijmegen"' in form.content.decode()
    assert 'name="fee_per_result" value="1500"' in form.content.decode()  # not 1500.00
    data = programme_post(
        regions,
        name="Werktop Rijk van Nijmegen",
        start_on=iso(programme.start_on),
        end_on=iso(programme.end_on),
        capacity_days_per_week="2.5",
        version="1",
    )
    response = lead_client.post(url("programme_edit", uuid=programme.uuid), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Werktop Rijk van Nijmegen"
    assert programme.capacity_days_per_week == Decimal("2.5")
    assert programme.version == 2


def test_a_stale_edit_is_refused(regions, lead, lead_client, programme):
    form_version = programme.version
    # A colleague saves first.
    services.save_programme(
        actor=lead, programme=programme, data={"partner": "Werkgeversservicepunt"}
    )
    data = programme_post(
        regions,
        name="Mijn versie",
        start_on=iso(programme.start_on),
        end_on=iso(programme.end_on),
        version=str(form_version),
    )
    response = lead_client.post(url("programme_edit", uuid=programme.uuid), data)
    assert response.status_code == 400
    assert "Someone else saved this record while you were editing it." in text(response)
    programme.refresh_from_db()
    assert programme.name == "Werktop Nijmegen"
    assert programme.partner == "Werkgeversservicepunt"


# --- Targets ----------------------------------------------------------------------------------


def test_a_team_lead_adds_changes_and_removes_a_target(regions, lead_client, programme):
    nijmegen = regions["own"]["municipalities"][0]
    form = lead_client.get(url("target_add", uuid=programme.uuid))
    assert form.status_code == 200
    body = form.content.decode()
    assert '<optgroup label="Werkgevers">' in body
    assert "K1 — Nieuwe werkgeverscontacten" in html_lib.unescape(body)
    assert f'value="{iso(programme.start_on)}"' in body  # the programme's period to start

    response = lead_client.post(
        url("target_add", uuid=programme.uuid),
        target_post(programme, municipality=str(nijmegen.uuid)),
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.kpi, target.municipality, target.value) == ("K1", nijmegen, 70)

    # "Add and enter another" comes back to the form, which lists what is there.
    response = lead_client.post(
        url("target_add", uuid=programme.uuid),
        target_post(programme, kpi="K2", value="40", next="another"),
    )
    assert response["Location"] == url("target_add", uuid=programme.uuid)
    listed = text(lead_client.get(response["Location"]))
    assert "K2 — Uitstroom naar regulier werk" in listed

    detail = lead_client.get(url("programme", uuid=programme.uuid))
    edit_url = url("target_edit", uuid=programme.uuid, target=target.uuid)
    delete_url = url("target_delete", uuid=programme.uuid, target=target.uuid)
    assert edit_url in detail.content.decode() and delete_url in detail.content.decode()

    response = lead_client.post(
        edit_url,
        target_post(programme, municipality=str(nijmegen.uuid), value="75", version="1"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.version) == (75, 2)

    confirm = lead_client.get(delete_url)
    assert confirm.status_code == 200
    assert "K1 — Nieuwe werkgeverscontacten" in text(confirm)
    response = lead_client.post(delete_url, {"version": "2"})
    assert response.status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kpi": "X9"}, "kpi", "Indicator: Choose an indicator from the list."),
        ({"value": "-5"}, "value", "Target: A target is not negative."),
        ({"value": ""}, "value", "Target: Give the number to reach."),
        ({"kind": "wens"}, "kind", "Choose whether this is a target or a budget estimate."),
    ],
)
def test_a_bad_target_comes_back_by_field(lead_client, programme, changes, field, message):
    response = lead_client.post(
        url("target_add", uuid=programme.uuid), target_post(programme, **changes)
    )
    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
    assert message in text(response)
    assert not Target.objects.exists()


def test_a_target_outside_the_programme_says_so(lead_client, programme):
    too_late = programme.end_on + dt.timedelta(days=30)
    response = lead_client.post(
        url("target_add", uuid=programme.uuid), target_post(programme, end_on=iso(too_late))
    )
    assert response.status_code == 400
    assert list(field_errors(response)) == ["end_on"]
    period = (
        f"from {programme.start_on:%d-%m-%Y} until {programme.end_on:%d-%m-%Y}"  # the programme's
    )
    assert f"End: The period lies within the programme's: {period}." in text(response)
    assert not Target.objects.exists()


def test_a_target_municipality_of_another_region_is_refused(regions, lead_client, programme):
    zaanstad = regions["other"]["municipalities"][0]
    response = lead_client.post(
        url("target_add", uuid=programme.uuid),
        target_post(programme, municipality=str(zaanstad.uuid)),
    )
    assert response.status_code == 400
    assert list(field_errors(response)) == ["municipality"]


def test_a_stale_target_edit_is_refused(lead, lead_client, programme):
    target = services.add_target(
        actor=lead, programme=programme, data={"kpi": "K1", "value": Decimal(70)}
    )
    services.edit_target(actor=lead, target=target, data={"value": Decimal(72)})
    response = lead_client.post(
        url("target_edit", uuid=programme.uuid, target=target.uuid),
        target_post(programme, value="80", version="1"),
    )
    assert response.status_code == 400
    assert "Someone else saved this record while you were editing it." in text(response)
    target.refresh_from_db()
    assert target.value == 72
    response = lead_client.post(
        url("target_delete", uuid=programme.uuid, target=target.uuid), {"version": "1"}
    )
    assert response.status_code == 400
    assert Target.objects.filter(pk=target.pk).exists()


# --- Hours ------------------------------------------------------------------------------------


def test_a_relationship_manager_logs_hours(people, rm_client, programme):
    page = rm_client.get(url("time_entries", uuid=programme.uuid))
    assert page.status_code == 200
    assert "No hours logged in this month." in text(page)
    response = rm_client.post(url("time_entries", uuid=programme.uuid), hours_post())
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.staff.user == people["relatiemanager"]
    assert entry.hours == Decimal("2.5")
    listed = text(rm_client.get(response["Location"]))
    assert "Bedrijvenbezoek Dukenburg" in listed
    assert "2.5 hours in total." in listed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours": "30"}, "hours", "Hours: Give the hours in quarters, from 0.25 to 24"),
        ({"hours": "1.3"}, "hours", "Give the hours in quarters"),
        ({"hours": "veel"}, "hours", "Hours: Give a number, for example 2.5."),
        (
            {"on": iso(today() + dt.timedelta(days=1))},
            "on",
            "Date: Hours are logged once the work is done: not for a day to come.",
        ),
        ({"activity": ""}, "activity", "Activity: Choose the activity."),
    ],
)
def test_bad_hours_come_back_by_field(rm_client, programme, changes, field, message):
    response = rm_client.post(url("time_entries", uuid=programme.uuid), hours_post(**changes))
    assert response.status_code == 400
    assert list(field_errors(response)) == [field]
    assert message in text(response)
    assert not TimeEntry.objects.exists()


def test_every_problem_shows_at_once(lead_client, rm_client, programme):
    response = rm_client.post(
        url("time_entries", uuid=programme.uuid),
        hours_post(hours="30", activity="", on=iso(today() + dt.timedelta(days=3))),
    )
    assert response.status_code == 400
    assert set(field_errors(response)) == {"hours", "activity", "on"}
    response = lead_client.post(
        url("target_add", uuid=programme.uuid),
        target_post(
            programme, kpi="X9", value="-1", end_on=iso(programme.end_on + dt.timedelta(1))
        ),
    )
    assert response.status_code == 400
    assert set(field_errors(response)) == {"kpi", "value", "end_on"}


def test_a_day_before_the_programme_is_refused(rm_client, programme):
    before = programme.start_on - dt.timedelta(days=1)
    response = rm_client.post(url("time_entries", uuid=programme.uuid), hours_post(on=iso(before)))
    assert response.status_code == 400
    assert list(field_errors(response)) == ["on"]
    assert f"from {programme.start_on:%d-%m-%Y} up to and including" in text(response)


def test_no_more_than_24_hours_a_day_over_programmes(lead, rm_client, programme):
    second = services.save_programme(
        actor=lead,
        data={
            "name": "Banenafspraak",
            "start_on": programme.start_on,
            "end_on": programme.end_on,
        },
    )
    day = iso(today() - dt.timedelta(days=2))
    first = rm_client.post(url("time_entries", uuid=programme.uuid), hours_post(on=day, hours="20"))
    assert first.status_code == 302
    response = rm_client.post(url("time_entries", uuid=second.uuid), hours_post(on=day, hours="5"))
    assert response.status_code == 400
    assert list(field_errors(response)) == ["hours"]
    assert "You have logged 20 hours on" in text(response)
    assert "so 4 more at most" in text(response)
    assert TimeEntry.objects.count() == 1


def test_a_team_lead_sees_everyones_hours_and_others_only_their_own(
    people, lead_client, rm_client, login_en, programme
):
    rm = actor_for(people["relatiemanager"])
    km = actor_for(people["klantmanager"])
    day = today() - dt.timedelta(days=1)
    services.log_time(
        actor=rm, programme=programme, on=day, hours=Decimal(3), activity="acquisitie", note="RM"
    )
    services.log_time(
        actor=km, programme=programme, on=day, hours=Decimal(5), activity="nazorg", note="KM"
    )
    month = f"?maand={day:%Y-%m}"

    own = rm_client.get(url("time_entries", uuid=programme.uuid) + month)
    assert "Your hours in" in text(own)
    assert "RM" in text(own).split() and "KM" not in text(own).split()
    assert "3 hours in total." in text(own)

    everyone = lead_client.get(url("time_entries", uuid=programme.uuid) + month)
    shown = text(everyone)
    assert "Everyone's hours in" in shown
    assert "RM" in shown.split() and "KM" in shown.split()
    assert "Klantmanager Test" in shown and "Relatiemanager Test" in shown
    assert "8 hours in total." in shown
    assert len(everyone.context["per_person"]) == 2


def test_removing_someone_elses_hours_is_refused(people, rm_client, lead_client, programme):
    rm = actor_for(people["relatiemanager"])
    km = actor_for(people["klantmanager"])
    day = today() - dt.timedelta(days=1)
    mine = services.log_time(
        actor=rm, programme=programme, on=day, hours=Decimal(1), activity="overig", note=""
    )
    theirs = services.log_time(
        actor=km, programme=programme, on=day, hours=Decimal(2), activity="overig", note=""
    )
    listed = rm_client.get(url("time_entries", uuid=programme.uuid)).content.decode()
    delete_theirs = url("time_entry_delete", uuid=programme.uuid, entry=theirs.uuid)
    assert delete_theirs not in listed

    response = rm_client.post(delete_theirs, follow=True)
    assert "These hours were already removed." in text(response)
    assert TimeEntry.objects.filter(pk=theirs.pk).exists()

    rm_client.post(url("time_entry_delete", uuid=programme.uuid, entry=mine.uuid))
    assert not TimeEntry.objects.filter(pk=mine.pk).exists()
    # The team lead corrects anyone's.
    lead_client.post(delete_theirs)
    assert not TimeEntry.objects.exists()
    assert rm_client.get(delete_theirs).status_code == 405


def test_the_programme_page_shows_hours_against_capacity(
    people, lead, lead_client, programme, with_target
):
    rm = actor_for(people["relatiemanager"])
    day = today() - dt.timedelta(days=1)
    services.log_time(actor=rm, programme=programme, on=day, hours=Decimal(6), activity="overig")
    services.log_time(
        actor=lead, programme=programme, on=day, hours=Decimal("1.5"), activity="acquisitie"
    )
    shown = text(lead_client.get(url("programme", uuid=programme.uuid)))
    weeks = (today() - programme.start_on).days // 7
    agreed = 2 * 8 * weeks
    assert (
        f"7.5 hours logged, against {agreed:,} hours agreed over {weeks} weeks (8 hours a day)"
        in shown
    )


# --- Who may do what --------------------------------------------------------------------------


def test_buttons_follow_the_role(login_en, people, programme, with_target):
    create = url("programme_create")
    edit = url("programme_edit", uuid=programme.uuid)
    add = url("target_add", uuid=programme.uuid)
    hours = url("time_entries", uuid=programme.uuid)
    change = url("target_edit", uuid=programme.uuid, target=with_target.uuid)
    remove = url("target_delete", uuid=programme.uuid, target=with_target.uuid)
    expected = {
        "teamleider": {create, edit, add, change, remove, hours},
        "beheerder": {create, edit, add, change, remove},
        "relatiemanager": {hours},
        "klantmanager": {hours},
        "onderzoeker": set(),
    }
    for role, links in expected.items():
        client = login_en(people[role])
        body = client.get(url("programmes")).content.decode()
        body += client.get(url("programme", uuid=programme.uuid)).content.decode()
        every = (create, edit, add, change, remove, hours)
        shown = {link for link in every if f'href="{link}"' in body}
        assert shown == links, role


def test_who_may_open_which_page(login_en, people, programme, with_target):
    pages = {
        "create": url("programme_create"),
        "edit": url("programme_edit", uuid=programme.uuid),
        "target": url("target_add", uuid=programme.uuid),
        "hours": url("time_entries", uuid=programme.uuid),
        "detail": url("programme", uuid=programme.uuid),
    }
    allowed = {
        "teamleider": {"create", "edit", "target", "hours", "detail"},
        "beheerder": {"create", "edit", "target", "detail"},
        "relatiemanager": {"hours", "detail"},
        "klantmanager": {"hours", "detail"},
        "uwv_partner": {"hours", "detail"},
        "onderzoeker": {"detail"},
        "werkgever": set(),
        "kandidaat": set(),
    }
    for role, pages_allowed in allowed.items():
        client = login_en(people[role])
        for name, page in pages.items():
            status = client.get(page).status_code
            assert (status == 200) == (name in pages_allowed), (role, name, status)
            if name not in pages_allowed:
                assert status == 403, (role, name, status)


def test_a_researcher_cannot_post_either(login_en, people, regions, programme):
    client = login_en(people["onderzoeker"])
    assert client.post(url("programme_create"), programme_post(regions)).status_code == 403
    assert client.post(url("time_entries", uuid=programme.uuid), hours_post()).status_code == 403
    assert Programme.objects.count() == 1
    assert not TimeEntry.objects.exists()


def test_another_regions_programme_is_not_found(login_en, people, programme):
    client = login_en(people["other_region_admin"])
    assert client.get(url("programme_edit", uuid=programme.uuid)).status_code == 404
    assert client.get(url("target_add", uuid=programme.uuid)).status_code == 404
    other_rm = login_en(people["other_region_rm"])
    assert other_rm.get(url("time_entries", uuid=programme.uuid)).status_code == 404
    assert other_rm.post(url("time_entries", uuid=programme.uuid), hours_post()).status_code == 404


def test_anonymous_is_sent_to_log_in(client, programme):
    response = client.get(url("time_entries", uuid=programme.uuid))
    assert response.status_code == 302
    assert "inloggen" in response["Location"] or "login" in response["Location"]
