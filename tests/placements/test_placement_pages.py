"""Staff pages of placements: placing a candidate from a conversation at a prettig gesprek
(prefilled) or a shortlist entry, a refused placement that names the field and saves nothing,
the placement page with its aftercare plan and the alert before the end, recording a
check-in, converting a work-experience place into a six-month contract, ending with a reason,
the list with its filters, the home panel, the links that lead here, who may do what, and a
page whose query count stays bounded.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from decimal import Decimal
from typing import Any

import pytest
from django.db import reset_queries
from django.urls import reverse
from django.utils import timezone

import tests_support
from werkbrug.core.access import actor_for
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation, FollowUp, Outcome
from werkbrug.placements import services
from werkbrug.placements.aftercare import add_months
from werkbrug.placements.models import (
    AftercareCheck,
    Contract,
    EndReason,
    GrantKind,
    Placement,
    PlacementKind,
    PlacementStatus,
)

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html_lib.unescape(tests_support.text(response))


def url(name: str, obj: Any = None) -> str:
    return reverse(f"placements:{name}", kwargs={"uuid": obj.uuid} if obj is not None else None)


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def rm_client(login_en, people):
    return login_en(people["relatiemanager"])


@pytest.fixture
def rm(people):
    return actor_for(people["relatiemanager"])


def wep(world: dict[str, Any], actor: Any, **fields: Any) -> Placement:
    """A work-experience place, registered through the service (with its aftercare plan):
    started four months ago, planned to end in about a month (the alert has come)."""
    start = add_months(today(), -4)
    values = {
        "candidate": world["good"],
        "employer": world["employer"],
        "opportunity": world["opportunity"],
        "kind": PlacementKind.WORK_EXPERIENCE,
        "contract": Contract.NONE,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(24),
        "start_on": start,
        "planned_end_on": add_months(start, 5),
    }
    return services.place(actor=actor, placement=Placement(**(values | fields)))


def introduced(world: dict[str, Any], outcome: str) -> ShortlistEntry:
    """The candidate's introduction at the warehouse, finished with ``outcome``."""
    return ShortlistEntry.objects.create(
        opportunity=world["opportunity"],
        candidate=world["good"],
        number=1,
        added_by=world["rm"],
        status="afgerond",
        outcome=outcome,
    )


def form_data(**fields: Any) -> dict[str, Any]:
    return {key: "" if value is None else str(value) for key, value in fields.items()}


@pytest.fixture
def conversation(world, meeting) -> Conversation:
    """A click at the warehouse's table, with a work-experience place agreed."""
    meeting.opportunities.add(world["opportunity"])
    return Conversation.objects.create(
        meeting=meeting,
        round=1,
        employer=world["employer"],
        candidate=world["good"],
        outcome=Outcome.CLICK,
        follow_up=FollowUp.WORK_EXPERIENCE,
        recorded_at=timezone.now(),
    )


# --- Placing ----------------------------------------------------------------------------------


def test_placing_from_a_conversation_is_prefilled_and_plans_the_aftercare(
    rm_client, world, conversation
):
    page = rm_client.get(url("create"), {"gesprek": conversation.uuid})
    assert page.status_code == 200
    form = page.context["form"]
    assert form["employer"].value() == world["employer"].uuid
    assert form["opportunity"].value() == world["opportunity"].uuid
    assert form["job_title"].value() == "Orderpicker"
    assert form["kind"].value() == PlacementKind.WORK_EXPERIENCE  # from the follow-up
    assert form["contract"].value() == Contract.NONE
    shown = text(page)
    assert f"Place {world['good']}" in shown
    assert "From the prettig gesprek “Prettig gesprek Wijchen”" in shown

    start = today()
    response = rm_client.post(
        f"{url('create')}?gesprek={conversation.uuid}",
        form_data(
            employer=world["employer"].uuid,
            opportunity=world["opportunity"].uuid,
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.NONE,
            job_title="Orderpicker",
            hours_per_week=24,
            start_on=start.isoformat(),
            planned_end_on=add_months(start, 3).isoformat(),
        ),
    )
    placed = Placement.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", placed)
    assert placed.conversation == conversation and placed.candidate == world["good"]
    assert placed.owner_id == world["rm"].pk and placed.status == PlacementStatus.RUNNING
    assert placed.checks.filter(kind=AftercareCheck.Kind.BEFORE_END).exists()
    detail = text(rm_client.get(response["Location"]))
    assert "is placed at Logistiek Centrum Wijchen" in detail
    assert "Prettig gesprek Wijchen" in detail  # where it came from, with a link
    assert reverse("meetings:detail", kwargs={"uuid": conversation.meeting.uuid}) in (
        rm_client.get(response["Location"]).content.decode()
    )


def test_a_job_offer_is_prefilled_as_regular_work_on_a_contract(rm_client, world, conversation):
    conversation.follow_up = FollowUp.JOB_OFFER
    conversation.save()
    form = rm_client.get(url("create"), {"gesprek": conversation.uuid}).context["form"]
    assert form["kind"].value() == PlacementKind.REGULAR
    assert form["contract"].value() == Contract.FIXED
    assert form["wage_pct_of_wml"].value() == 100


def test_placing_from_a_shortlist_entry_is_prefilled(rm_client, world):
    entry = introduced(world, outcome="vervolg")
    page = rm_client.get(url("create"), {"shortlist": entry.uuid})
    form = page.context["form"]
    assert form["employer"].value() == world["employer"].uuid
    assert form["opportunity"].value() == world["opportunity"].uuid
    assert form["job_title"].value() == "Orderpicker"
    assert "From the shortlist of “Orderpicker”" in text(page)
    # The opportunity page offers "Place" next to the outcome.
    opportunity_page = rm_client.get(
        reverse("employers:opportunity", kwargs={"uuid": world["opportunity"].uuid})
    )
    assert f"{url('create')}?shortlist={entry.uuid}" in opportunity_page.content.decode()


def test_a_refused_placement_names_the_fields_and_saves_nothing(rm_client, world):
    start = today()
    response = rm_client.post(
        f"{url('create')}?kandidaat={world['good'].uuid}",
        form_data(
            employer=world["employer"].uuid,
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.FIXED,
            job_title="Orderpicker",
            hours_per_week=24,
            wage_pct_of_wml=100,
            start_on=start.isoformat(),
            planned_end_on=add_months(start, 8).isoformat(),
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"contract", "wage_pct_of_wml"}
    shown = text(response)
    assert "Employment contract: With the benefit kept there is no employment contract." in shown
    wage = "Wage, as a percentage of the minimum wage"
    assert f"{wage}: With the benefit kept the employer pays no wage." in shown
    assert not Placement.objects.exists() and not AftercareCheck.objects.exists()

    # Too long for the rules of the start date: named next to the planned end.
    response = rm_client.post(
        f"{url('create')}?kandidaat={world['good'].uuid}",
        form_data(
            employer=world["employer"].uuid,
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.NONE,
            job_title="Orderpicker",
            hours_per_week=24,
            start_on=start.isoformat(),
            planned_end_on=add_months(start, 8).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert "lasts at most 6 months" in response.context["form"].errors["planned_end_on"][0]
    assert 'id="id_planned_end_on_error"' in response.content.decode()
    assert not Placement.objects.exists()


def test_without_a_candidate_the_page_says_where_to_start(rm_client):
    page = rm_client.get(url("create"))
    assert page.status_code == 200
    assert "A placement starts from the person who is placed" in text(page)


def test_the_candidate_page_offers_to_place(rm_client, world):
    page = rm_client.get(reverse("candidates:detail", kwargs={"uuid": world["good"].uuid}))
    assert f"{url('create')}?kandidaat={world['good'].uuid}" in page.content.decode()


def test_the_meeting_page_offers_to_place_after_a_click(rm_client, conversation):
    page = rm_client.get(reverse("meetings:detail", kwargs={"uuid": conversation.meeting.uuid}))
    assert f"{url('create')}?gesprek={conversation.uuid}" in page.content.decode()


def test_once_placed_the_meeting_page_and_shortlist_link_to_the_placement(
    rm_client, world, rm, conversation
):
    """After the placement the pages say "Placed" with its link, so nobody places twice."""
    entry = introduced(world, outcome="aangenomen")
    placed = wep(world, rm, conversation=conversation, shortlist_entry=entry)
    meeting_page = rm_client.get(
        reverse("meetings:detail", kwargs={"uuid": conversation.meeting.uuid})
    ).content.decode()
    opportunity_page = rm_client.get(
        reverse("employers:opportunity", kwargs={"uuid": world["opportunity"].uuid})
    ).content.decode()
    for html in (meeting_page, opportunity_page):
        assert f'href="{url("detail", placed)}" data-placed>Placed' in html
        assert "?gesprek=" not in html and "?shortlist=" not in html


# --- The placement page -------------------------------------------------------------------


def test_the_placement_page_shows_the_aftercare_plan_and_the_alert_before_the_end(
    rm_client, world, rm
):
    placed = wep(world, rm)
    page = rm_client.get(url("detail", placed))
    assert page.status_code == 200
    shown = text(page)
    assert f"{world['good']} at Logistiek Centrum Wijchen" in shown
    for label in (
        "First week",
        "After 1 month",
        "Three-way conversation",
        "After 3 months",
        "Before the end: next step",
        "After 6 months",
        "After 12 months",
    ):
        assert label in shown
    first_week = placed.start_on + dt.timedelta(days=7)
    assert f"Overdue since {first_week:%d-%m-%Y}" in shown
    days = (placed.planned_end_on - today()).days
    assert f"The planned end is in {days} days ({placed.planned_end_on:%d-%m-%Y})" in shown
    body = page.content.decode()
    assert "data-before-end" in body
    assert url("convert", placed) in body and url("end", placed) in body
    # Every open check-in has its own small form.
    open_checks = placed.checks.filter(done_on__isnull=True)
    for check in open_checks:
        assert reverse("placements:record_check", kwargs={"uuid": check.uuid}) in body


def test_recording_a_check_in(rm_client, world, rm):
    placed = wep(world, rm)
    check = placed.checks.get(kind="start")
    response = rm_client.post(
        reverse("placements:record_check", kwargs={"uuid": check.uuid}),
        {
            "done_on": today().isoformat(),
            "still_working": "ja",
            "notes": "Gaat goed, werkgever tevreden.",
            "next_step": "Jobcoach aanvragen",
        },
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.done_on == today() and check.still_working is True
    assert check.next_step == "Jobcoach aanvragen"
    shown = text(rm_client.get(response["Location"]))
    assert "The check-in “First week” has been recorded." in shown
    assert f"Done on {today():%d-%m-%Y}" in shown and "Next step: Jobcoach aanvragen" in shown

    # A check-in in the future is refused, said next to the date, and nothing is saved.
    later = placed.checks.get(kind="m1")
    response = rm_client.post(
        reverse("placements:record_check", kwargs={"uuid": later.uuid}),
        {"done_on": (today() + dt.timedelta(days=3)).isoformat(), "still_working": "nee"},
    )
    later.refresh_from_db()
    assert later.done_on is None
    page = rm_client.get(response["Location"])
    shown = text(page)
    assert "The check-in was not saved: Done on: A check-in is recorded once it took place." in (
        shown
    )
    assert f'id="nazorg-{later.uuid}-done_on_error"' in page.content.decode()


def test_adding_a_grant_and_a_loonwaarde_assessment(rm_client, world, rm):
    placed = wep(world, rm)
    response = rm_client.post(
        url("add_grant", placed),
        {"kind": GrantKind.JOBCOACH, "status": "toegekend", "decided_on": ""},
    )
    assert response.status_code == 302 and not placed.grants.exists()
    assert "Decided on: Give the date of the decision." in text(rm_client.get(response["Location"]))
    rm_client.post(
        url("add_grant", placed),
        {
            "kind": GrantKind.JOBCOACH,
            "status": "toegekend",
            "decided_on": today().isoformat(),
            "amount": "1200",
            "amount_per": "jaar",
        },
    )
    assert placed.grants.get().kind == GrantKind.JOBCOACH
    rm_client.post(
        url("add_assessment", placed),
        {"assessed_on": today().isoformat(), "pct": "70", "method": "Dariuz"},
    )
    assert placed.assessments.get().pct == Decimal(70)
    shown = text(rm_client.get(url("detail", placed)))
    assert "Jobcoach" in shown and "70%" in shown and "Dariuz" in shown


# --- Converting and ending --------------------------------------------------------------------


def test_a_work_experience_place_converted_into_a_six_month_contract(rm_client, world, rm):
    placed = wep(world, rm)
    page = rm_client.get(url("convert", placed))
    form = page.context["form"]
    start = placed.planned_end_on + dt.timedelta(days=1)
    end = add_months(start, 6) - dt.timedelta(days=1)
    assert form["kind"].value() == PlacementKind.REGULAR
    assert form["contract"].value() == Contract.FIXED
    assert form["start_on"].value() == start and form["planned_end_on"].value() == end
    assert form["employer"].value() == world["employer"].uuid

    response = rm_client.post(
        url("convert", placed),
        form_data(
            employer=world["employer"].uuid,
            opportunity=world["opportunity"].uuid,
            kind=PlacementKind.REGULAR,
            contract=Contract.FIXED,
            job_title="Orderpicker",
            hours_per_week=24,
            wage_pct_of_wml=100,
            start_on=start.isoformat(),
            planned_end_on=end.isoformat(),
        ),
    )
    placed.refresh_from_db()
    contract = placed.followed_by
    assert response.status_code == 302 and response["Location"] == url("detail", contract)
    assert placed.status == PlacementStatus.CONVERTED and placed.ended_on == placed.planned_end_on
    assert contract.contract == Contract.FIXED and contract.planned_end_on == end
    assert contract.owner_id == placed.owner_id
    shown = text(rm_client.get(response["Location"]))
    assert "The placement has been converted" in shown
    assert "Route of this person" in shown and "Continues a work-experience place" in shown


def test_ending_with_a_reason(rm_client, world, rm):
    placed = wep(world, rm)
    refused = rm_client.post(url("end", placed), {"ended_on": today().isoformat()})
    assert refused.status_code == 400
    assert "Reason: Choose why the placement ended." in text(refused)
    placed.refresh_from_db()
    assert placed.status == PlacementStatus.RUNNING

    response = rm_client.post(
        url("end", placed),
        {
            "ended_on": today().isoformat(),
            "end_reason": EndReason.DROPPED_OUT,
            "end_note": "Te zwaar werk.",
        },
    )
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.status == PlacementStatus.ENDED and placed.end_reason == EndReason.DROPPED_OUT
    shown = text(rm_client.get(response["Location"]))
    assert "The placement has been ended" in shown and "(dropped out)" in shown
    assert "About the end: Te zwaar werk." in shown
    # Ended: no alert and no buttons to convert or end any more.
    body = rm_client.get(url("detail", placed)).content.decode()
    assert "data-before-end" not in body and url("end", placed) not in body


# --- The list and the home panel --------------------------------------------------------------


def test_the_list_filters_mine_all_status_and_ending_soon(rm_client, world, people, rm):
    ending = wep(world, rm)  # the alert has come
    later = wep(
        world,
        rm,
        candidate=world["far"],
        start_on=today(),
        planned_end_on=add_months(today(), 5),
        job_title="Inpakker",
    )
    colleague = wep(
        world, actor_for(people["klantmanager"]), candidate=world["cashier"], job_title="Kassa"
    )
    ended = wep(world, rm, candidate=world["far"], job_title="Heftruck", start_on=today())
    services.end(actor=rm, placement=ended, on=today(), reason=EndReason.OTHER_JOB)

    def shown(**query: str) -> set[str]:
        page = rm_client.get(url("list"), query)
        assert page.status_code == 200
        return {row["placement"].job_title for row in page.context["rows"]}

    assert shown() == {ending.job_title, later.job_title, ended.job_title}  # mine
    assert shown(wie="alle") == {"Orderpicker", "Inpakker", "Heftruck", colleague.job_title}
    assert shown(status="beeindigd") == {"Heftruck"}
    assert shown(status="open") == {"Orderpicker", "Inpakker"}
    assert shown(binnenkort="on") == {"Orderpicker"}
    page = text(rm_client.get(url("list")))
    assert "Ending soon" in page and "Overdue since" in page


def test_the_home_panel_shows_the_check_ins_due_and_the_placements_ending_soon(
    rm_client, world, rm
):
    placed = wep(world, rm)
    first_week = placed.checks.get(kind="start")
    home = rm_client.get("/")
    shown = text(home)
    assert "Aftercare today" in shown
    assert "Ending soon: 1 placement" in shown
    assert f"Overdue since {first_week.due_on:%d-%m-%Y}" in shown
    assert f"{url('detail', placed)}#nazorg-{first_week.uuid}" in home.content.decode()


# --- Who may do what --------------------------------------------------------------------------


def test_a_researcher_may_not_see_or_place(login_en, people, world, rm):
    placed = wep(world, rm)
    client = login_en(people["onderzoeker"])
    for path in (url("list"), url("detail", placed), url("create"), url("convert", placed)):
        assert client.get(path).status_code == 403


def test_another_regions_placement_is_not_found(login_en, people, world, rm):
    placed = wep(world, rm)
    client = login_en(people["other_region_rm"])
    assert client.get(url("detail", placed)).status_code == 404
    check = placed.checks.first()
    response = client.post(
        reverse("placements:record_check", kwargs={"uuid": check.uuid}),
        {"done_on": today().isoformat(), "still_working": "ja"},
    )
    assert response.status_code == 404
    assert client.get(url("create"), {"kandidaat": world["good"].uuid}).status_code == 404


# --- Queries ------------------------------------------------------------------------------


def test_the_placement_page_has_a_bounded_number_of_queries(
    rm_client, world, rm, django_assert_max_num_queries
):
    placed = wep(world, rm)
    rm_client.get(url("detail", placed))  # warm up (content types, sessions)
    reset_queries()  # the world's set-up filled the query log: count from an empty one
    with django_assert_max_num_queries(20) as few:
        assert rm_client.get(url("detail", placed)).status_code == 200
    count = len(few.captured_queries)
    # More of everything: grants, assessments, done check-ins and a conversion.
    for kind in (GrantKind.JOBCOACH, GrantKind.NO_RISK, GrantKind.WORKPLACE):
        rm_client.post(url("add_grant", placed), {"kind": kind, "status": "aangevraagd"})
    for pct in (60, 70):
        rm_client.post(
            url("add_assessment", placed),
            {"assessed_on": today().isoformat(), "pct": pct, "method": "Dariuz"},
        )
    for check in placed.checks.filter(due_on__lte=today()):
        services.record_check(actor=rm, check=check, done_on=today(), still_working=True)
    assert placed.grants.count() == 3 and placed.assessments.count() == 2
    reset_queries()
    with django_assert_max_num_queries(count):
        assert rm_client.get(url("detail", placed)).status_code == 200
