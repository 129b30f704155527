"""The organiser's changes on the meeting page: an answer recorded for someone, a link sent
again, an employer's table size, calling a meeting off and marking it held; and the
meetings on the employer's history and in the candidate's case file.

Each test names what the organiser does and sees, that a refused change names the field and
changes nothing, and who may not do it.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import tests_support
from werkbrug.meetings import services
from werkbrug.meetings.models import Conversation, Invitation, Meeting, MeetingStatus, Response

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html_lib.unescape(tests_support.text(response))


def url(name: str, obj: Any) -> str:
    return reverse(f"meetings:{name}", kwargs={"uuid": obj.uuid})


@pytest.fixture
def rm_client(login_en, people):
    return login_en(people["relatiemanager"])


def invited(meeting: Meeting, *, employer=None, candidate=None, **fields: Any) -> Invitation:
    invitation = Invitation(
        meeting=meeting,
        employer=employer,
        candidate=candidate,
        token_expires_at=meeting.starts_at + dt.timedelta(days=1),
        **fields,
    )
    invitation.token_hash = services.hash_token(services.answer_token(invitation))
    invitation.save()
    return invitation


def test_an_answer_given_by_phone_is_recorded_and_shown(world, meeting, rm_client, people):
    invited(meeting, employer=world["employer"], response=Response.YES)  # seats to take
    no_mail = invited(meeting, candidate=world["good"], email="")
    response = rm_client.post(url("record_answer", no_mail), {"coming": "ja"}, follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "is coming." in page
    no_mail.refresh_from_db()
    assert no_mail.response == Response.YES
    assert no_mail.answer_recorded_by == people["relatiemanager"].staff
    assert "passed on to staff" in page


def test_an_answer_without_a_choice_is_refused_naming_the_field(world, meeting, rm_client):
    invitation = invited(meeting, candidate=world["good"])
    response = rm_client.post(url("record_answer", invitation), {}, follow=True)
    assert "The answer was not saved: Answer: Choose coming or not coming." in text(response)
    invitation.refresh_from_db()
    assert invitation.response == Response.OPEN and invitation.answer_recorded_by is None


def test_sending_the_link_again_mails_a_new_one_and_the_old_stops(
    world, meeting, rm_client, django_capture_on_commit_callbacks
):
    invitation = invited(meeting, candidate=world["good"], email="oud@example.nl")
    old = services.answer_token(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        response = rm_client.post(url("resend", invitation), follow=True)
    assert "with a new link. The old link no longer works." in text(response)
    invitation.refresh_from_db()
    new = services.answer_token(invitation)
    assert new != old
    assert services.invitation_for_token(new).pk == invitation.pk
    assert rm_client.get(reverse("meetings:answer", kwargs={"token": old})).status_code == 404
    (sent,) = mail.outbox
    # The candidate's current address, not the one the first invitation went to.
    assert sent.to == [world["good"].email]
    assert new in sent.body and old not in sent.body


def test_the_table_size_of_an_employer_is_set_and_a_wrong_one_refused(world, meeting, rm_client):
    invitation = invited(meeting, employer=world["employer"], response=Response.YES)
    response = rm_client.post(url("table_capacity", invitation), {"table_capacity": "4"})
    assert response.status_code == 302
    page = text(rm_client.get(url("detail", meeting)))
    assert "table for 4" in page
    response = rm_client.post(url("table_capacity", invitation), {"table_capacity": "0"})
    page = text(rm_client.get(url("detail", meeting)))
    assert "The table size was not saved: Candidates per table:" in page
    invitation.refresh_from_db()
    assert invitation.table_capacity == 4


def test_calling_off_asks_why_tells_everyone_and_locks_the_meeting(
    world, meeting, rm_client, django_capture_on_commit_callbacks
):
    invited(meeting, employer=world["employer"], email="petra@example.nl", response=Response.YES)
    invited(meeting, candidate=world["good"], email="kandidaat@example.nl")
    invited(meeting, candidate=world["far"], email="nee@example.nl", response=Response.NO)
    invited(meeting, candidate=world["cashier"], email="")
    page = text(rm_client.get(url("cancel", meeting)))
    assert "2 invitees get an e-mail" in page and "1 has no e-mail address" in page

    response = rm_client.post(url("cancel", meeting), {"cancel_reason": "  "})
    assert response.status_code == 400
    assert "Say why the meeting is called off." in text(response)
    meeting.refresh_from_db()
    assert meeting.status != MeetingStatus.CANCELLED and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = rm_client.post(
            url("cancel", meeting), {"cancel_reason": "De gastwerkgever is verhuisd."}, follow=True
        )
    page = text(response)
    assert "Reason: De gastwerkgever is verhuisd." in page
    assert "Send the invitations" not in page and "Mark as held" not in page
    assert sorted(m.to[0] for m in mail.outbox) == ["kandidaat@example.nl", "petra@example.nl"]
    calendar = mail.outbox[0].attachments[0]
    assert calendar[2] == "text/calendar" and "METHOD:CANCEL" in calendar[1]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_marking_held_is_offered_once_the_meeting_started(world, meeting, rm_client):
    employer = invited(meeting, employer=world["employer"], response=Response.YES)
    here = invited(meeting, candidate=world["good"], response=Response.YES, present=True)
    away = invited(meeting, candidate=world["far"], response=Response.YES, present=False)
    for round_, invitation in ((1, here), (2, away)):
        Conversation.objects.create(
            meeting=meeting,
            round=round_,
            employer=employer.employer,
            candidate=invitation.candidate,
        )
    assert "Mark as held" not in text(rm_client.get(url("detail", meeting)))
    refused = rm_client.post(url("held", meeting), follow=True)
    assert "The meeting has not started yet." in text(refused)

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    assert "Mark as held" in text(rm_client.get(url("detail", meeting)))
    response = rm_client.post(url("held", meeting), follow=True)
    assert "The meeting is marked as held." in text(response)
    held = dict(meeting.conversations.values_list("candidate_id", "held"))
    assert held == {world["good"].pk: True, world["far"].pk: False}


@pytest.mark.parametrize("name", ["record_answer", "resend", "table_capacity"])
def test_a_client_manager_may_not_change_invitations(world, meeting, login_en, people, name):
    invitation = invited(meeting, employer=world["employer"], email="petra@example.nl")
    client = login_en(people["klantmanager"])
    response = client.post(url(name, invitation), {"coming": "ja", "table_capacity": "3"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.response == Response.OPEN and invitation.table_capacity is None


def test_the_employer_history_and_the_case_file_show_the_meeting(world, meeting, rm_client):
    employer = invited(meeting, employer=world["employer"], response=Response.YES)
    candidate = invited(meeting, candidate=world["good"], response=Response.YES)
    conversation = Conversation.objects.create(
        meeting=meeting, round=2, employer=employer.employer, candidate=candidate.candidate
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    rm_client.post(
        reverse("meetings:outcome", kwargs={"uuid": conversation.uuid}),
        {"outcome": "klik", "follow_up": "proefplaats", "note": "Wil een dag meelopen"},
    )
    history = text(
        rm_client.get(reverse("employers:detail", kwargs={"uuid": world["employer"].uuid}))
    )
    assert "Prettig gesprek Wijchen" in history
    assert "1 conversation, 1 click. Follow-up: trial placement (1)." in history
    assert world["good"].first_name not in history.split("Prettig gesprek Wijchen")[1][:300]
    case_file = text(
        rm_client.get(reverse("candidates:detail", kwargs={"uuid": world["good"].uuid}))
    )
    assert "Round 2: Logistiek Centrum Wijchen" in case_file
    assert "Wil een dag meelopen" in case_file
    assert "for the work: introduction planned" in case_file
