"""Staff pages of the prettig gesprek: the list, the meeting form, and the meeting page with
its invitations, table plan, check-in, outcomes and results.

Each test names what a person sees or does: making a meeting through the form (and the field
named when something is wrong); inviting, which mails the personal links; making the table
plan, which says it is proven optimal; a refused move that says why and changes nothing;
checking in and recording an outcome that becomes a task; a pool candidate without a name;
who may do what; and a page whose query count does not grow with the number of conversations.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import tests_support
from candidates_support import give_consent
from matching_support import picker
from werkbrug.candidates.models import ConsentScope
from werkbrug.employers.models import Action
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
)

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html_lib.unescape(tests_support.text(response))


def url(name: str, obj: Any = None) -> str:
    return reverse(f"meetings:{name}", kwargs={"uuid": obj.uuid} if obj is not None else None)


@pytest.fixture
def rm_client(login_en, people):
    return login_en(people["relatiemanager"])


@pytest.fixture
def km_client(login_en, people):
    return login_en(people["klantmanager"])


def accept(meeting: Meeting, employers: list, candidates: list) -> None:
    """Invitations that were answered yes (without going through the e-mail)."""
    for e in employers:
        Invitation.objects.create(
            meeting=meeting,
            employer=e,
            token_hash=f"e{e.pk}",
            token_expires_at=meeting.starts_at,
            response=Response.YES,
        )
    for c in candidates:
        Invitation.objects.create(
            meeting=meeting,
            candidate=c,
            token_hash=f"c{c.pk}",
            token_expires_at=meeting.starts_at,
            response=Response.YES,
            email=c.email,
        )


def planned(client, meeting: Meeting) -> Any:
    response = client.post(url("plan", meeting), {"from_round": "1"}, follow=True)
    assert response.status_code == 200
    return response


# --- The list and the page ------------------------------------------------------------------


def test_the_list_shows_upcoming_and_past_meetings_with_counts(world, meeting, rm_client):
    accept(meeting, [world["employer"]], [world["good"]])
    Invitation.objects.create(
        meeting=meeting, candidate=world["far"], token_hash="x", token_expires_at=meeting.starts_at
    )
    Meeting.objects.create(
        region=meeting.region,
        title="Golfclinic voorjaar",
        location="Golfbaan",
        starts_at=timezone.now() - dt.timedelta(days=30),
    )
    response = rm_client.get(url("list"))
    assert response.status_code == 200
    page = text(response)
    assert "Prettig gesprek Wijchen" in page and "Golfclinic voorjaar" in page
    assert page.index("Upcoming") < page.index("Prettig gesprek Wijchen") < page.index("Past")
    assert page.index("Past") < page.index("Golfclinic voorjaar")
    assert "1 of 1 coming" in page  # employers
    assert "1 of 2 coming" in page  # candidates
    assert "New meeting" in page
    assert reverse("meetings:list") in response.content.decode()  # in the menu


def test_the_meeting_page_shows_the_facts_and_every_section(world, meeting, rm_client):
    response = rm_client.get(url("detail", meeting))
    assert response.status_code == 200
    page = text(response)
    for part in (
        "Prettig gesprek Wijchen",
        "Logistiek Centrum Wijchen",
        "Being prepared",
        "3 rounds of 20 minutes",
        "Invitations",
        "Table plan",
        "On the day",
        "Outcomes",
        "Results",
        "Send the invitations",
        "Make the table plan",
        "Edit the meeting",
    ):
        assert part in page, part


# --- Making and changing a meeting ----------------------------------------------------------


def form_data(world, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Banenmarkt Nijmegen",
        "format": "tafels",
        "host_employer": str(world["employer"].pk),
        "location": "Stadhuis Nijmegen",
        "starts_at": (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "rounds": "4",
        "round_minutes": "15",
        "table_capacity": "3",
        "min_conversations": "2",
        "opportunities": [str(world["opportunity"].pk)],
    }
    data.update(changes)
    return data


def test_a_meeting_is_made_through_the_form(world, rm_client, people):
    form = rm_client.get(url("create"))
    assert form.status_code == 200
    assert "Orderpicker — Logistiek Centrum Wijchen" in text(form)
    response = rm_client.post(url("create"), form_data(world))
    made = Meeting.objects.get(title="Banenmarkt Nijmegen")
    assert response.status_code == 302 and response["Location"] == url("detail", made)
    assert made.region == world["place"]["region"] and made.rounds == 4
    assert list(made.opportunities.all()) == [world["opportunity"]]
    assert list(made.organisers.all()) == [people["relatiemanager"].staff]


def test_a_wrong_meeting_form_names_the_field(world, rm_client):
    response = rm_client.post(
        url("create"), form_data(world, title="", rounds="20", starts_at="morgen")
    )
    assert response.status_code == 200
    page = text(response)
    assert "Title: Give the meeting a title." in page
    assert "Rounds:" in page
    assert "Date and time: Give the date and time as dd-mm-yyyy hh:mm." in page
    assert not Meeting.objects.exists()


def test_an_edit_on_a_stale_version_is_refused(world, meeting, rm_client):
    data = form_data(world, title="Nieuwe titel", version=str(meeting.version))
    Meeting.objects.filter(pk=meeting.pk).update(version=meeting.version + 1)
    response = rm_client.post(url("edit", meeting), data)
    assert response.status_code == 200
    assert "Someone else saved this record" in text(response)
    meeting.refresh_from_db()
    assert meeting.title == "Prettig gesprek Wijchen"
    data["version"] = str(meeting.version)
    assert rm_client.post(url("edit", meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Nieuwe titel"


# --- Inviting ---------------------------------------------------------------------------------


def test_inviting_mails_the_personal_links(
    world, meeting, rm_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = rm_client.post(
            url("invite", meeting), {"employers": [str(world["employer"].uuid)]}, follow=True
        )
    assert "1 invitation has been made." in text(response)
    # Now the employer is coming-or-undecided, the page suggests who fits their work.
    page = rm_client.get(url("detail", meeting))
    html = page.content.decode()
    assert f'data-suggestion="{world["good"].uuid}"' in html
    assert "orders verzamelen" in text(page).lower()
    assert "Logistiek Centrum Wijchen" in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = rm_client.post(
            url("invite", meeting),
            {"candidates": [str(world["good"].uuid), str(world["cashier"].uuid)]},
            follow=True,
        )
    assert "2 invitations have been made." in text(response)
    assert len(mail.outbox) == 3
    assert all("/uitnodiging/" in m.body and "TOKEN" not in m.body for m in mail.outbox)
    assert {m.to[0] for m in mail.outbox} == {
        "petra@example.nl",
        world["good"].email,
        world["cashier"].email,
    }
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    assert "No answer yet" in text(response)


def test_inviting_nobody_says_what_to_do(world, meeting, rm_client):
    response = rm_client.post(url("invite", meeting), {}, follow=True)
    assert "Tick at least one employer or candidate to invite." in text(response)
    assert not Invitation.objects.exists()


def test_a_pool_candidate_of_another_municipality_is_invited_without_a_name(
    world, meeting, rm_client, people, regions, django_capture_on_commit_callbacks
):
    wijchen = regions["own"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Zwaantje")
    give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    accept(meeting, [world["employer"]], [])
    html = rm_client.get(url("detail", meeting)).content.decode()
    assert f'data-suggestion="{outsider.uuid}"' in html
    assert "Zwaantje" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = rm_client.post(
            url("invite", meeting), {"candidates": [str(outsider.uuid)]}, follow=True
        )
    assert "Zwaantje" not in response.content.decode()
    assert "Pool candidate 1" in text(response)
    assert len(mail.outbox) == 1  # the candidate gets the invitation all the same


# --- The table plan ---------------------------------------------------------------------------


def test_making_the_plan_seats_everyone_and_says_it_is_proven_optimal(
    world, meeting, rm_client, second_employer
):
    accept(meeting, [world["employer"], second_employer], [world["good"], world["cashier"]])
    response = planned(rm_client, meeting)
    page = text(response)
    made = Conversation.objects.filter(meeting=meeting).count()
    assert f"The table plan has been made: {made} conversations." in page
    assert "Proven optimal" in page
    assert "Min-cost flow (exact)" in page
    good = Conversation.objects.get(
        meeting=meeting, candidate=world["good"], employer=world["employer"]
    )
    html = response.content.decode()
    assert f'id="gesprek-{good.uuid}"' in html
    assert str(world["good"]) in page
    assert "Make the table plan again" in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_a_refused_move_says_why_and_changes_nothing(world, meeting, rm_client, second_employer):
    meeting.min_conversations = 2
    meeting.save()
    accept(meeting, [world["employer"], second_employer], [world["good"], world["cashier"]])
    planned(rm_client, meeting)
    first, second = Conversation.objects.filter(candidate=world["good"]).order_by("round")
    response = rm_client.post(
        url("move", first),
        {"round": str(second.round), "table": str(first.employer.uuid)},
        follow=True,
    )
    page = text(response)
    assert "The move was refused; nothing was changed." in page
    assert f"kandidaat {world['good']} zit aan 2 tafels" in page  # a name, not a number
    assert "data-move-error" in response.content.decode()
    first.refresh_from_db()
    assert not first.pinned and first.round != second.round


def test_a_move_by_hand_is_kept_and_fixed(world, meeting, rm_client, second_employer):
    accept(meeting, [world["employer"], second_employer], [world["good"]])
    planned(rm_client, meeting)
    seats = Conversation.objects.filter(candidate=world["good"])
    seat = seats.get(employer=world["employer"])
    free = ({1, 2, 3} - {s.round for s in seats}).pop()
    response = rm_client.post(
        url("move", seat), {"round": str(free), "table": str(world["employer"].uuid)}, follow=True
    )
    assert "This conversation is now fixed." in text(response)
    seat.refresh_from_db()
    assert (seat.round, seat.employer, seat.pinned) == (free, world["employer"], True)
    assert "data-pinned" in response.content.decode()


def test_a_plan_that_cannot_be_made_says_why(world, meeting, rm_client):
    response = rm_client.post(url("plan", meeting), {"from_round": "9"}, follow=True)
    assert "No table plan was made:" in text(response)
    assert "Plan from round:" in text(response)
    assert not Conversation.objects.exists()


def test_planning_again_keeps_the_rounds_with_recorded_outcomes(
    world, meeting, rm_client, second_employer
):
    accept(meeting, [world["employer"], second_employer], [world["good"], world["cashier"]])
    planned(rm_client, meeting)
    first = Conversation.objects.filter(meeting=meeting).order_by("round").first()
    rm_client.post(url("outcome", first), {"outcome": "klik", "follow_up": FollowUp.NOTHING})
    html = rm_client.get(url("detail", meeting)).content.decode()
    start = html.index('name="from_round"')
    choices = html[start : html.index("</select>", start)]
    assert f'<option value="{first.round}"' not in choices
    assert f'<option value="{first.round + 1}"' in choices
    response = rm_client.post(url("plan", meeting), {"from_round": str(first.round)}, follow=True)
    assert "No table plan was made:" in text(response)
    first.refresh_from_db()
    assert first.outcome == "klik"


# --- On the day -------------------------------------------------------------------------------


def test_check_in_marks_who_arrived(world, meeting, rm_client):
    accept(meeting, [world["employer"]], [world["good"]])
    invitation = Invitation.objects.get(candidate=world["good"])
    page = rm_client.get(url("detail", meeting))
    assert f'id="aanwezig-{invitation.uuid}"' in page.content.decode()
    response = rm_client.post(url("check_in", invitation), {"present": "1"}, follow=True)
    assert f"{world['good']} has arrived." in text(response)
    invitation.refresh_from_db()
    assert invitation.present is True and invitation.checked_in_at is not None
    rm_client.post(url("check_in", invitation), {"present": "0"})
    invitation.refresh_from_db()
    assert invitation.present is False


def test_an_outcome_with_a_follow_up_becomes_a_task(world, meeting, rm_client):
    accept(meeting, [world["employer"]], [world["good"]])
    planned(rm_client, meeting)
    conversation = Conversation.objects.get(candidate=world["good"])
    response = rm_client.post(
        url("outcome", conversation),
        {"outcome": "klik", "follow_up": FollowUp.TRIAL, "note": "Start maandag"},
        follow=True,
    )
    action = Action.objects.get()
    assert action.employer == world["employer"] and action.owner == world["rm"]
    page = text(response)
    assert "The outcome has been saved." in page
    assert f"Task for {world['rm']}" in page
    assert "Start maandag" in page
    assert reverse("employers:tasks") in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.held and conversation.outcome == "klik"
    results = text(rm_client.get(url("detail", meeting)))
    assert "Follow-ups agreed" in results


def test_an_outcome_without_a_choice_names_what_is_missing(world, meeting, rm_client):
    accept(meeting, [world["employer"]], [world["good"]])
    planned(rm_client, meeting)
    conversation = Conversation.objects.get(candidate=world["good"])
    response = rm_client.post(url("outcome", conversation), {"note": "?"}, follow=True)
    page = text(response)
    assert "The outcome was not saved:" in page
    assert "How did it go?: Choose click or no click." in page
    assert "Follow-up: Choose the follow-up." in page
    assert 'class="error-summary"' in response.content.decode()  # the form, open, says it too
    assert not Action.objects.exists()


# --- Who may do what ------------------------------------------------------------------------


def test_a_client_manager_sees_checks_in_and_records_but_does_not_organise(
    world, meeting, km_client, second_employer
):
    accept(meeting, [world["employer"]], [world["good"]])
    from werkbrug.core import access
    from werkbrug.meetings import services

    services.make_plan(actor=access.actor_for(world["rm"].user), meeting=meeting)
    conversation = Conversation.objects.get()
    invitation = Invitation.objects.get(candidate=world["good"])
    page = km_client.get(url("detail", meeting))
    assert page.status_code == 200
    assert (
        "Send the invitations" not in text(page) and "data-move-form" not in page.content.decode()
    )
    assert km_client.get(url("create")).status_code == 403
    assert km_client.get(url("edit", meeting)).status_code == 403
    assert km_client.post(url("invite", meeting), {}).status_code == 403
    assert km_client.post(url("plan", meeting), {"from_round": "1"}).status_code == 403
    assert (
        km_client.post(url("move", conversation), {"round": "2", "table": "x"}).status_code == 403
    )
    assert km_client.post(url("check_in", invitation), {"present": "1"}).status_code == 302
    response = km_client.post(
        url("outcome", conversation), {"outcome": "geen_klik", "follow_up": FollowUp.NOTHING}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    invitation.refresh_from_db()
    assert invitation.present is True and conversation.outcome == "geen_klik"


@pytest.mark.parametrize("role", ["werkgever", "kandidaat", "onderzoeker"])
def test_portal_users_and_researchers_may_not(world, meeting, login, people, role):
    client = login(people[role])
    accept(meeting, [world["employer"]], [world["good"]])
    invitation = Invitation.objects.get(candidate=world["good"])
    assert client.get(url("list")).status_code == 403
    assert client.get(url("detail", meeting)).status_code == 403
    assert client.post(url("check_in", invitation), {"present": "1"}).status_code == 403


def test_another_region_gets_not_found(world, meeting, login, people):
    client = login(people["other_region_rm"])
    accept(meeting, [world["employer"]], [world["good"]])
    invitation = Invitation.objects.get(candidate=world["good"])
    assert client.get(url("list")).status_code == 200
    assert "Prettig gesprek Wijchen" not in text(client.get(url("list")))
    assert client.get(url("detail", meeting)).status_code == 404
    assert client.get(url("edit", meeting)).status_code == 404
    assert client.post(url("plan", meeting), {"from_round": "1"}).status_code == 404
    assert client.post(url("check_in", invitation), {"present": "1"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.present is None


# --- Queries ----------------------------------------------------------------------------------


def test_the_page_does_not_query_per_conversation(world, meeting, rm_client, second_employer):
    from werkbrug.core import access
    from werkbrug.meetings import services

    rm = access.actor_for(world["rm"].user)
    meeting.min_conversations = 2
    meeting.save()
    accept(meeting, [world["employer"], second_employer], [world["good"]])
    services.make_plan(actor=rm, meeting=meeting)
    first = Conversation.objects.filter(meeting=meeting).first()
    services.record_outcome(
        actor=rm, conversation=first, outcome="klik", follow_up=FollowUp.INTRODUCTION
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert rm_client.get(url("detail", meeting)).status_code == 200
        return len(queries)

    count()  # warm the matching index
    one = count()
    accept(meeting, [], [world["cashier"], world["far"]])
    Invitation.objects.filter(meeting=meeting).update(present=True)
    # (Re-planning rounds with outcomes is refused: start the plan afresh for the count.)
    Conversation.objects.filter(meeting=meeting).delete()
    services.make_plan(actor=rm, meeting=meeting)
    for c in Conversation.objects.filter(meeting=meeting):
        services.record_outcome(
            actor=rm, conversation=c, outcome="klik", follow_up=FollowUp.INTRODUCTION
        )
    assert Conversation.objects.filter(meeting=meeting).count() == 6
    assert count() <= one
