"""Organising a prettig gesprek through the services: invitations with personal links, the
waiting list, the table plan from matching scores, check-in and re-planning, outcomes that
become tasks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from werkbrug.core import access
from werkbrug.meetings import services
from werkbrug.meetings.models import FollowUp, Invitation, MeetingStatus, Response

pytestmark = pytest.mark.django_db

URL = "https://werkbrug.example/uitnodiging/TOKEN/"


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


def _tokens():
    return [re.search(r"/uitnodiging/([^/]+)/", m.body).group(1) for m in mail.outbox]


def test_invitations_mail_a_personal_link_and_a_calendar_file(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = services.invite(
            actor=rm,
            meeting=meeting,
            employers=[world["employer"]],
            candidates=[world["good"], world["cashier"]],
            answer_url=URL,
        )
    assert len(made) == 3
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and "BEGIN:VEVENT" in content
    token = _tokens()[0]
    assert len(token) >= 40
    assert not Invitation.objects.filter(token_hash=token).exists()  # only the hash is kept
    assert Invitation.objects.filter(token_hash=services.hash_token(token)).exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    # Inviting again changes nothing.
    assert (
        services.invite(actor=rm, meeting=meeting, employers=[world["employer"]], answer_url=URL)
        == []
    )


def test_links_are_refused_when_guessed_expired_or_cancelled(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(actor=rm, meeting=meeting, candidates=[world["good"]], answer_url=URL)
    token = _tokens()[0]
    with pytest.raises(ValidationError, match="not valid|niet geldig"):
        services.answer(token=token[:-2] + "xx", coming=True)
    Invitation.objects.update(token_expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expired|verlopen"):
        services.answer(token=token, coming=True)
    Invitation.objects.update(token_expires_at=timezone.now() + dt.timedelta(days=1))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError, match="cancelled|geannuleerd"):
        services.answer(token=token, coming=True)


def test_a_full_meeting_has_a_waiting_list_that_fills_a_cancellation(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    meeting.table_capacity, meeting.rounds, meeting.min_conversations = 1, 1, 1
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            actor=rm,
            meeting=meeting,
            employers=[world["employer"]],
            candidates=[world["good"], world["cashier"]],
            answer_url=URL,
        )
    by_candidate = {}
    for message in mail.outbox:
        token = re.search(r"/uitnodiging/([^/]+)/", message.body).group(1)
        by_candidate[services.invitation_for_token(token).candidate_id] = token
    first = services.answer(token=by_candidate[world["good"].pk], coming=True)
    second = services.answer(token=by_candidate[world["cashier"].pk], coming=True)
    assert first.response == Response.YES
    assert second.response == Response.WAITING and second.waitlist_position == 1
    services.answer(token=by_candidate[world["good"].pk], coming=False)
    second.refresh_from_db()
    assert second.response == Response.YES


def _accepted(world, meeting, rm, employers, candidates):
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
        )


def test_the_plan_seats_the_warehouse_picker_at_the_warehouse_first(
    world, meeting, rm, second_employer
):
    candidates = [world["good"], world["cashier"], world["far"]]
    _accepted(world, meeting, rm, [world["employer"], second_employer], candidates)
    plan = services.make_plan(actor=rm, meeting=meeting)
    assert plan.method == "flow" and plan.gap == 0
    conversations = list(meeting.conversations.all())
    pairs = {(c.candidate_id, c.employer_id) for c in conversations}
    assert (world["good"].pk, world["employer"].pk) in pairs
    assert (world["cashier"].pk, second_employer.pk) in pairs
    for candidate in candidates:  # everyone gets a turn
        assert any(c.candidate_id == candidate.pk for c in conversations)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.plan_method == "flow"


def test_on_the_day_absentees_leave_and_the_rest_is_replanned(world, meeting, rm, second_employer):
    _accepted(
        world,
        meeting,
        rm,
        [world["employer"], second_employer],
        [world["good"], world["cashier"], world["far"]],
    )
    services.make_plan(actor=rm, meeting=meeting)
    round_one = {(c.candidate_id, c.employer_id) for c in meeting.conversations.filter(round=1)}
    absent = Invitation.objects.get(meeting=meeting, candidate=world["far"])
    services.check_in(actor=rm, invitation=absent, present=False)
    services.make_plan(actor=rm, meeting=meeting, from_round=2)
    assert {
        (c.candidate_id, c.employer_id) for c in meeting.conversations.filter(round=1)
    } == round_one
    later = meeting.conversations.filter(round__gte=2)
    assert not later.filter(candidate=world["far"]).exists()
    for c in later:  # no pair meets twice
        assert (c.candidate_id, c.employer_id) not in round_one


def test_a_move_by_hand_is_checked_and_pins_the_pair(world, meeting, rm, second_employer):
    meeting.min_conversations = 2  # each candidate meets both employers
    meeting.save()
    _accepted(
        world, meeting, rm, [world["employer"], second_employer], [world["good"], world["cashier"]]
    )
    services.make_plan(actor=rm, meeting=meeting)
    first, second = meeting.conversations.filter(candidate=world["good"]).order_by("round")
    with pytest.raises(ValidationError) as refused:  # two tables in one round
        services.move(
            actor=rm, conversation=first, round_=second.round, employer_id=first.employer_id
        )
    assert "2 tafels" in str(refused.value)
    first.refresh_from_db()
    assert not first.pinned
    free = ({1, 2, 3} - {first.round, second.round}).pop()
    taken = meeting.conversations.filter(round=free, employer_id=first.employer_id).count()
    if taken < meeting.table_capacity:
        moved = services.move(
            actor=rm, conversation=first, round_=free, employer_id=first.employer_id
        )
        assert moved.round == free and moved.pinned


def test_an_outcome_with_a_follow_up_becomes_a_task_for_the_relationship_manager(
    world, meeting, rm, second_employer
):
    _accepted(world, meeting, rm, [world["employer"]], [world["good"]])
    services.make_plan(actor=rm, meeting=meeting)
    conversation = meeting.conversations.get(candidate=world["good"])
    done = services.record_outcome(
        actor=rm,
        conversation=conversation,
        outcome="klik",
        follow_up=FollowUp.TRIAL,
        note="Start maandag",
    )
    assert done.action is not None
    assert done.action.owner == world["employer"].owner
    assert "Proef" in done.action.title or "Trial" in done.action.title
    assert world["good"].first_name not in done.action.title  # no name on a shared task list
    with pytest.raises(ValidationError):
        services.record_outcome(
            actor=rm, conversation=conversation, outcome="misschien", follow_up=FollowUp.NOTHING
        )


def test_only_organisers_plan(world, meeting, people):
    with pytest.raises(PermissionDenied):
        services.make_plan(actor=access.actor_for(people["klantmanager"]), meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.make_plan(actor=access.actor_for(people["other_region_rm"]), meeting=meeting)


def test_results_count_what_happened_without_names(world, meeting, rm, second_employer):
    from werkbrug.meetings import selectors

    _accepted(world, meeting, rm, [world["employer"], second_employer], [world["good"]])
    services.make_plan(actor=rm, meeting=meeting)
    conversation = meeting.conversations.filter(candidate=world["good"]).first()
    services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.INTRODUCTION
    )
    found = selectors.results(meeting)
    assert found.invited_employers == 2 and found.invited_candidates == 1
    assert found.held == 1 and found.clicks == 1
    assert found.follow_ups == {FollowUp.INTRODUCTION: 1}


def test_suggestions_for_inviting_come_from_the_attending_employers_work(world, meeting, rm):
    from werkbrug.meetings import selectors

    Invitation.objects.create(
        meeting=meeting,
        employer=world["employer"],
        token_hash="e",
        token_expires_at=meeting.starts_at,
    )
    found = selectors.invitation_suggestions(rm, meeting)
    assert found[0].candidate == world["good"]
    assert "orders verzamelen" in found[0].explanation


def test_a_move_to_the_table_of_an_employer_who_declined_is_refused(
    world, meeting, rm, second_employer
):
    _accepted(world, meeting, rm, [world["employer"], second_employer], [world["good"]])
    services.make_plan(actor=rm, meeting=meeting)
    Invitation.objects.filter(meeting=meeting, employer=second_employer).update(
        response=Response.NO
    )
    conversation = meeting.conversations.filter(employer=world["employer"]).first()
    free = ({1, 2, 3} - set(meeting.conversations.values_list("round", flat=True))).pop()
    with pytest.raises(ValidationError):
        services.move(
            actor=rm, conversation=conversation, round_=free, employer_id=second_employer.pk
        )


def test_re_planning_keeps_a_moved_conversation_in_its_round_and_spares_outcomes(
    world, meeting, rm, second_employer
):
    meeting.min_conversations = 2
    meeting.save()
    _accepted(
        world, meeting, rm, [world["employer"], second_employer], [world["good"], world["cashier"]]
    )
    services.make_plan(actor=rm, meeting=meeting)
    first, second = meeting.conversations.filter(candidate=world["good"]).order_by("round")
    free = ({1, 2, 3} - {first.round, second.round}).pop()
    if meeting.conversations.filter(round=free, employer_id=first.employer_id).count() < 2:
        services.move(actor=rm, conversation=first, round_=free, employer_id=first.employer_id)
        services.make_plan(actor=rm, meeting=meeting)
        kept = meeting.conversations.get(candidate=world["good"], employer_id=first.employer_id)
        assert kept.round == free and kept.pinned
    done = meeting.conversations.order_by("round").first()
    services.record_outcome(actor=rm, conversation=done, outcome="klik", follow_up="niets")
    with pytest.raises(ValidationError):
        services.make_plan(actor=rm, meeting=meeting, from_round=done.round)
