"""After the invitations: answers a staff member records, table sizes, marking a meeting
held, outcomes that become tasks and put a click in the placement pipeline, and the meeting
history on the employer's and the candidate's pages."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matching_support import make_opportunity, picker
from werkbrug.core import access
from werkbrug.employers.models import OpportunityStatus
from werkbrug.matching import services as matching_services
from werkbrug.matching.models import (
    IntroductionOutcome,
    MatchEvent,
    MatchEventKind,
    ShortlistEntry,
    ShortlistStatus,
)
from werkbrug.meetings import selectors, services
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
)
from werkbrug.regions.models import Staff

pytestmark = pytest.mark.django_db

_emails = itertools.count(1)
PIPELINE = [
    FollowUp.INTRODUCTION,
    FollowUp.TRIAL,
    FollowUp.WORK_EXPERIENCE,
    FollowUp.APPLICATION,
    FollowUp.JOB_OFFER,
]


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


def _invitation(meeting, *, candidate=None, employer=None, response=Response.OPEN, **fields):
    """An invitation made directly (no mail), with a working link."""
    fields.setdefault("email", f"genodigde{next(_emails)}@example.nl")
    invitation = Invitation(
        meeting=meeting,
        candidate=candidate,
        employer=employer,
        token_expires_at=meeting.starts_at + dt.timedelta(days=1),
        response=response,
        **fields,
    )
    invitation.token_hash = services.hash_token(services.answer_token(invitation))
    invitation.save()
    return invitation


def _one_seat(meeting):
    """One round, one seat per table: with one employer there is room for one candidate."""
    meeting.table_capacity, meeting.rounds, meeting.min_conversations = 1, 1, 1
    meeting.save()
    return meeting


def _held(meeting, world, days_ago=3):
    """The meeting took place ``days_ago`` days ago; the warehouse's work was open long before."""
    meeting.starts_at = timezone.now() - dt.timedelta(days=days_ago)
    meeting.save()
    world["opportunity"].opened_on = timezone.localdate() - dt.timedelta(days=30)
    world["opportunity"].save()
    return meeting


def _talk(meeting, candidate, employer, round_=1, **fields):
    return Conversation.objects.create(
        meeting=meeting, round=round_, candidate=candidate, employer=employer, **fields
    )


# --- Answers recorded by staff ----------------------------------------------------------------


def test_a_staff_recorded_answer_follows_the_waiting_list_rules(
    world, meeting, rm, people, django_capture_on_commit_callbacks
):
    """Yes fills the seat, the next yes waits, and a recorded no of someone coming moves the
    first one waiting up (who is told by e-mail)."""
    _one_seat(meeting)
    _invitation(meeting, employer=world["employer"], response=Response.YES)
    good = _invitation(meeting, candidate=world["good"])
    cashier = _invitation(meeting, candidate=world["cashier"])
    far = _invitation(meeting, candidate=world["far"])

    first = services.record_answer(actor=rm, invitation=good, coming=True)
    second = services.record_answer(actor=rm, invitation=cashier, coming=True)
    third = services.record_answer(actor=rm, invitation=far, coming=True)
    assert first.response == Response.YES
    assert (second.response, second.waitlist_position) == (Response.WAITING, 1)
    assert (third.response, third.waitlist_position) == (Response.WAITING, 2)
    assert first.answer_recorded_by_id == people["relatiemanager"].staff.pk

    with django_capture_on_commit_callbacks(execute=True):
        services.record_answer(actor=rm, invitation=good, coming=False)
    good.refresh_from_db()
    cashier.refresh_from_db()
    far.refresh_from_db()
    assert good.response == Response.NO and good.answer_recorded_by_id is not None
    assert (cashier.response, cashier.waitlist_position) == (Response.YES, None)
    assert far.response == Response.WAITING
    assert [m.to for m in mail.outbox] == [[cashier.email]]


def test_staff_and_link_answers_share_one_waiting_list(world, meeting, rm):
    _one_seat(meeting)
    _invitation(meeting, employer=world["employer"], response=Response.YES)
    by_link = _invitation(meeting, candidate=world["good"])
    by_staff = _invitation(meeting, candidate=world["cashier"])
    services.answer(token=services.answer_token(by_link), coming=True)
    recorded = services.record_answer(actor=rm, invitation=by_staff, coming=True)
    assert recorded.response == Response.WAITING
    by_link.refresh_from_db()
    assert by_link.answer_recorded_by_id is None  # answered by the person themselves


def test_a_staff_answer_keeps_the_candidates_wishes_unless_new_ones_are_given(
    world, meeting, rm, second_employer
):
    _invitation(meeting, employer=world["employer"], response=Response.YES)
    _invitation(meeting, employer=second_employer, response=Response.YES)
    invitation = _invitation(meeting, candidate=world["good"])
    invitation.wants_to_meet.set([second_employer])
    services.record_answer(actor=rm, invitation=invitation, coming=True)
    assert list(invitation.wants_to_meet.all()) == [second_employer]
    services.record_answer(
        actor=rm, invitation=invitation, coming=True, wants_to_meet=[world["employer"]]
    )
    assert list(invitation.wants_to_meet.all()) == [world["employer"]]


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.CANCELLED])
def test_no_answers_are_recorded_for_a_held_or_cancelled_meeting(world, meeting, rm, status):
    invitation = _invitation(meeting, candidate=world["good"])
    meeting.status = status
    meeting.save()
    with pytest.raises(ValidationError) as refused:
        services.record_answer(actor=rm, invitation=invitation, coming=True)
    assert "status" in refused.value.error_dict
    invitation.refresh_from_db()
    assert invitation.response == Response.OPEN


def test_only_organisers_record_answers(world, meeting, people):
    """A client manager sees meetings (meetings.view) but does not organise them."""
    invitation = _invitation(meeting, candidate=world["good"])
    with pytest.raises(PermissionDenied):
        services.record_answer(
            actor=access.actor_for(people["klantmanager"]), invitation=invitation, coming=True
        )
    invitation.refresh_from_db()
    assert invitation.response == Response.OPEN


# --- Table capacity ---------------------------------------------------------------------------


def test_only_an_employer_has_a_table_capacity(world, meeting, rm):
    invitation = _invitation(meeting, candidate=world["good"])
    with pytest.raises(ValidationError) as refused:
        services.set_table_capacity(actor=rm, invitation=invitation, capacity=3)
    assert "table_capacity" in refused.value.error_dict


@pytest.mark.parametrize("capacity", [0, 51])
def test_a_table_capacity_out_of_bounds_is_refused(world, meeting, rm, capacity):
    invitation = _invitation(meeting, employer=world["employer"])
    with pytest.raises(ValidationError) as refused:
        services.set_table_capacity(actor=rm, invitation=invitation, capacity=capacity)
    assert "table_capacity" in refused.value.error_dict
    invitation.refresh_from_db()
    assert invitation.table_capacity is None


def test_table_capacity_bounds_are_inclusive_and_none_resets_to_the_meeting(world, meeting, rm):
    invitation = _invitation(meeting, employer=world["employer"], response=Response.YES)
    for capacity in (1, 50):
        assert (
            services.set_table_capacity(
                actor=rm, invitation=invitation, capacity=capacity
            ).table_capacity
            == capacity
        )
    assert services.max_candidates(meeting) == 50 * meeting.rounds
    reset = services.set_table_capacity(actor=rm, invitation=invitation, capacity=None)
    assert reset.table_capacity is None
    assert services.max_candidates(meeting) == meeting.table_capacity * meeting.rounds


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.CANCELLED])
def test_the_table_size_of_a_held_or_cancelled_meeting_stays(world, meeting, rm, status):
    invitation = _invitation(meeting, employer=world["employer"], response=Response.YES)
    meeting.status = status
    meeting.save()
    with pytest.raises(ValidationError) as refused:
        services.set_table_capacity(
            actor=rm, invitation=Invitation.objects.get(pk=invitation.pk), capacity=4
        )
    assert "status" in refused.value.error_dict
    invitation.refresh_from_db()
    assert invitation.table_capacity is None


def test_a_bigger_table_lets_the_waiting_list_move_up_in_order(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    _one_seat(meeting)
    table = _invitation(meeting, employer=world["employer"], response=Response.YES)
    _invitation(meeting, candidate=world["good"], response=Response.YES)
    second = _invitation(
        meeting, candidate=world["far"], response=Response.WAITING, waitlist_position=2
    )
    first = _invitation(
        meeting, candidate=world["cashier"], response=Response.WAITING, waitlist_position=1
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.set_table_capacity(actor=rm, invitation=table, capacity=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.response, first.waitlist_position) == (Response.YES, None)
    assert second.response == Response.WAITING
    assert [m.to for m in mail.outbox] == [[first.email]]

    services.set_table_capacity(actor=rm, invitation=table, capacity=3)
    second.refresh_from_db()
    assert second.response == Response.YES


# --- Marking a meeting held -------------------------------------------------------------------


def test_a_meeting_is_not_marked_held_before_it_starts(world, meeting, rm):
    with pytest.raises(ValidationError) as refused:
        services.mark_held(actor=rm, meeting=meeting)
    assert "status" in refused.value.error_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


def test_marking_held_counts_the_open_conversations_of_those_present(
    world, meeting, rm, second_employer
):
    meeting.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.save()
    _invitation(meeting, employer=world["employer"], response=Response.YES, present=True)
    _invitation(meeting, employer=second_employer, response=Response.YES, present=False)
    _invitation(meeting, candidate=world["good"], response=Response.YES, present=True)
    _invitation(meeting, candidate=world["cashier"], response=Response.YES, present=False)
    _invitation(meeting, candidate=world["far"], response=Response.YES)  # not checked in
    both_there = _talk(meeting, world["good"], world["employer"], 1)
    candidate_absent = _talk(meeting, world["cashier"], world["employer"], 2)
    employer_absent = _talk(meeting, world["good"], second_employer, 2)
    not_checked_in = _talk(meeting, world["far"], world["employer"], 3)
    already_recorded = _talk(meeting, world["cashier"], second_employer, 3, held=False)

    services.mark_held(actor=rm, meeting=meeting)

    held = {c.pk: c.held for c in meeting.conversations.all()}
    assert held == {
        both_there.pk: True,
        candidate_absent.pk: False,
        employer_absent.pk: False,
        not_checked_in.pk: True,
        already_recorded.pk: False,
    }
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_after_marking_held_no_more_answers_are_taken(world, meeting, rm):
    meeting.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.save()
    _invitation(meeting, employer=world["employer"], response=Response.YES)
    invitation = _invitation(meeting, candidate=world["good"], response=Response.YES)
    services.mark_held(actor=rm, meeting=meeting)
    fresh = Invitation.objects.select_related("meeting").get(pk=invitation.pk)  # as a view does
    with pytest.raises(ValidationError) as refused:
        services.record_answer(actor=rm, invitation=fresh, coming=False)
    assert "status" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.mark_held(actor=rm, meeting=meeting)
    invitation.refresh_from_db()
    assert invitation.response == Response.YES


def test_a_staff_answer_checks_the_stored_meeting_not_the_callers_copy(world, meeting, rm):
    """The invitation (with its meeting) was loaded before someone else marked the meeting
    held, as when two colleagues work at the same time: the answer is still refused, because
    the service checks the meeting it has locked."""
    meeting.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.save()
    _invitation(meeting, employer=world["employer"], response=Response.YES)
    loaded_earlier = _invitation(meeting, candidate=world["good"], response=Response.YES)
    services.mark_held(actor=rm, meeting=Meeting.objects.get(pk=meeting.pk))
    with pytest.raises(ValidationError):
        services.record_answer(actor=rm, invitation=loaded_earlier, coming=False)
    assert Invitation.objects.get(pk=loaded_earlier.pk).response == Response.YES


def test_after_marking_held_the_personal_link_takes_no_answer(world, meeting, rm):
    """The link is valid until the day after the meeting, but once the meeting is held an
    answer through it must not change who came (nor move the waiting list up after the
    fact)."""
    meeting.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.save()
    _invitation(meeting, employer=world["employer"], response=Response.YES)
    invitation = _invitation(meeting, candidate=world["good"], response=Response.YES)
    services.mark_held(actor=rm, meeting=meeting)
    with pytest.raises(ValidationError):
        services.answer(token=services.answer_token(invitation), coming=False)
    invitation.refresh_from_db()
    assert invitation.response == Response.YES


# --- Outcomes: tasks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("away_until_days", "substitute_takes_it"),
    [(None, True), (2, True), (-1, False)],
    ids=["away-open-ended", "away-until-later", "back-since-yesterday"],
)
def test_the_follow_up_task_goes_to_the_employers_substitute_while_the_owner_is_away(
    world, meeting, rm, people, away_until_days, substitute_takes_it
):
    today = timezone.localdate()
    owner = world["rm"]
    owner.away_from = today - dt.timedelta(days=5)
    owner.away_until = None if away_until_days is None else today + dt.timedelta(away_until_days)
    owner.save()
    substitute = people["teamleider"].staff
    world["employer"].substitute = substitute
    world["employer"].save()
    conversation = _talk(meeting, world["good"], world["employer"])

    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="geen_klik", follow_up=FollowUp.APPLICATION
    )

    assert done.action.owner == (substitute if substitute_takes_it else owner)
    assert done.action.employer == world["employer"]


def test_no_task_for_the_follow_up_nothing(world, meeting, rm):
    conversation = _talk(meeting, world["good"], world["employer"])
    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.NOTHING
    )
    assert done.action is None and done.held is True


# --- Outcomes: the placement pipeline ---------------------------------------------------------


@pytest.mark.parametrize("follow_up", PIPELINE)
def test_a_click_with_a_follow_up_puts_the_candidate_in_the_pipeline_at_introduction(
    world, meeting, rm, people, follow_up
):
    _held(meeting, world)
    conversation = _talk(meeting, world["good"], world["employer"], round_=2)

    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=follow_up
    )

    entry = done.shortlist_entry
    assert entry is not None
    assert Conversation.objects.get(pk=conversation.pk).shortlist_entry_id == entry.pk
    entry.refresh_from_db()
    assert (entry.opportunity, entry.candidate) == (world["opportunity"], world["good"])
    assert entry.status == ShortlistStatus.INTRODUCTION
    assert entry.introduction_at == meeting.round_times(2)[0]
    assert entry.introduction_at == meeting.starts_at + dt.timedelta(minutes=meeting.round_minutes)
    assert entry.introduction_place == meeting.location
    assert entry.profile and entry.proposed_at is not None  # the anonymous profile, frozen
    assert world["good"].last_name not in str(entry.profile)
    assert entry.added_by_id == people["relatiemanager"].staff.pk
    kinds = set(
        MatchEvent.objects.filter(
            opportunity=world["opportunity"], candidate=world["good"]
        ).values_list("kind", flat=True)
    )
    assert {MatchEventKind.SHORTLISTED, MatchEventKind.PROPOSED} <= kinds
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.INTRODUCTION


def test_the_pipeline_takes_the_employers_best_fitting_open_work(world, meeting, rm):
    _held(meeting, world)
    till = make_opportunity(
        world["employer"],
        title="Kassamedewerker",
        tasks=["Kassa bedienen"],
        occupation_code="5230",
        opened_on=timezone.localdate() - dt.timedelta(days=30),
    )
    picked = {}
    for round_, who in enumerate(("good", "cashier"), start=1):
        conversation = _talk(meeting, world[who], world["employer"], round_=round_)
        done = services.record_outcome(
            actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.INTRODUCTION
        )
        picked[who] = done.shortlist_entry.opportunity
    assert picked == {"good": world["opportunity"], "cashier": till}


@pytest.mark.parametrize(
    ("outcome", "follow_up"),
    [("geen_klik", FollowUp.INTRODUCTION), ("klik", FollowUp.NOTHING)],
    ids=["no-click", "follow-up-nothing"],
)
def test_no_pipeline_entry_without_a_click_and_a_follow_up(world, meeting, rm, outcome, follow_up):
    _held(meeting, world)
    conversation = _talk(meeting, world["good"], world["employer"])
    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome=outcome, follow_up=follow_up
    )
    assert done.shortlist_entry is None
    assert not ShortlistEntry.objects.exists()
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.OPEN


def test_no_pipeline_entry_for_work_opened_after_the_meeting_day(world, meeting, rm):
    _held(meeting, world, days_ago=3)
    world["opportunity"].opened_on = timezone.localdate() - dt.timedelta(days=1)
    world["opportunity"].save()
    conversation = _talk(meeting, world["good"], world["employer"])
    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.TRIAL
    )
    assert done.shortlist_entry is None
    assert not ShortlistEntry.objects.exists()


def test_no_pipeline_entry_when_the_employer_has_no_open_work(world, meeting, rm):
    _held(meeting, world)
    world["opportunity"].status = OpportunityStatus.FILLED
    world["opportunity"].save()
    conversation = _talk(meeting, world["good"], world["employer"])
    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.INTRODUCTION
    )
    assert done.shortlist_entry is None
    assert not ShortlistEntry.objects.exists()
    assert done.action is not None  # the follow-up task is still made


def test_a_finished_entry_is_left_as_it_is(world, meeting, rm):
    _held(meeting, world)
    entry = matching_services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    finished_at = timezone.now() - dt.timedelta(days=60)
    ShortlistEntry.objects.filter(pk=entry.pk).update(
        status=ShortlistStatus.FINISHED,
        outcome=IntroductionOutcome.NO_MATCH,
        outcome_at=finished_at,
        introduction_place="Elders",
    )
    conversation = _talk(meeting, world["good"], world["employer"])
    services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.INTRODUCTION
    )
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.FINISHED
    assert entry.outcome == IntroductionOutcome.NO_MATCH and entry.outcome_at == finished_at
    assert entry.introduction_place == "Elders"
    assert ShortlistEntry.objects.count() == 1


def test_a_withdrawn_entry_is_reopened_at_introduction(world, meeting, rm):
    _held(meeting, world)
    entry = matching_services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    matching_services.withdraw(actor=rm, entry=entry, reason="Geen vervoer")
    conversation = _talk(meeting, world["good"], world["employer"])
    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.TRIAL
    )
    assert done.shortlist_entry_id == entry.pk
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.INTRODUCTION
    assert entry.withdrawn_reason == ""
    assert entry.introduction_place == meeting.location
    assert ShortlistEntry.objects.count() == 1


def test_a_hire_after_the_meeting_counts_as_a_placement(world, meeting, rm):
    _held(meeting, world)
    conversation = _talk(meeting, world["good"], world["employer"])
    done = services.record_outcome(
        actor=rm, conversation=conversation, outcome="klik", follow_up=FollowUp.JOB_OFFER
    )
    assert selectors.results(meeting).placements == 0
    matching_services.record_outcome(
        actor=rm, entry=done.shortlist_entry, outcome=IntroductionOutcome.HIRED
    )
    assert selectors.results(meeting).placements == 1


# --- The meeting history of an employer and of a candidate ------------------------------------


def _meeting_at(world, people, days, **fields):
    m = Meeting.objects.create(
        region=world["place"]["region"],
        title=fields.pop("title", f"Prettig gesprek {days}"),
        location="Wijkcentrum",
        starts_at=timezone.now() + dt.timedelta(days=days),
        **fields,
    )
    m.organisers.add(people["relatiemanager"].staff)
    return m


def test_the_employers_meetings_give_counts_without_names(world, people, rm, second_employer):
    employer = world["employer"]
    held = _meeting_at(world, people, -20, status=MeetingStatus.HELD)
    _invitation(held, employer=employer, response=Response.YES, present=True)
    _talk(held, world["good"], employer, 1, held=True, outcome="klik", follow_up=FollowUp.TRIAL)
    _talk(held, world["cashier"], employer, 2, held=True, outcome="geen_klik", follow_up="niets")
    _talk(held, world["far"], employer, 3, held=False)  # the candidate did not come
    _talk(
        held, world["far"], second_employer, 1, held=True, outcome="klik", follow_up="proefplaats"
    )
    upcoming = _meeting_at(world, people, 10, status=MeetingStatus.INVITED)
    _invitation(upcoming, employer=employer)
    declined = _meeting_at(world, people, -5)
    _invitation(declined, employer=employer, response=Response.NO)
    cancelled = _meeting_at(world, people, 5, status=MeetingStatus.CANCELLED)
    _invitation(cancelled, employer=employer, response=Response.YES)
    _meeting_at(world, people, -2)  # not invited

    found = selectors.employer_meetings(rm, employer)

    assert [m.meeting for m in found] == [upcoming, held]
    later, past = found
    assert (later.conversations, later.clicks, later.follow_ups, later.present) == (0, 0, (), None)
    assert past.at == held.starts_at and past.present is True
    assert past.conversations == 2 and past.clicks == 1
    assert past.follow_ups == ((str(FollowUp.TRIAL.label), 1),)
    shown = repr(found)
    for candidate in (world["good"], world["cashier"], world["far"]):
        assert candidate.first_name not in shown


def test_the_candidates_meetings_list_their_conversations_and_outcomes(
    world, people, rm, second_employer
):
    good = world["good"]
    held = _meeting_at(world, people, -20, status=MeetingStatus.HELD)
    _invitation(held, candidate=good, response=Response.YES, present=True)
    second = _talk(held, good, second_employer, 2, held=True, outcome="geen_klik")
    first = _talk(
        held, good, world["employer"], 1, held=True, outcome="klik", follow_up="kennismaking"
    )
    _talk(held, world["cashier"], world["employer"], 2)  # someone else's
    declined = _meeting_at(world, people, 10)
    _invitation(declined, candidate=good, response=Response.NO)
    _meeting_at(world, people, -1)  # not invited

    found = selectors.candidate_meetings(rm, good)

    assert [m.invitation.meeting for m in found] == [declined, held]
    assert found[0].invitation.response == Response.NO and found[0].conversations == ()
    assert list(found[1].conversations) == [first, second]
    assert [(c.employer, c.outcome) for c in found[1].conversations] == [
        (world["employer"], "klik"),
        (second_employer, "geen_klik"),
    ]


def test_someone_who_may_not_see_the_candidate_gets_no_meetings(world, people, rm, regions):
    """A candidate of Wijchen without consent is not seen by the relationship manager of
    Nijmegen, nor by a researcher or by staff of another region; a client manager of
    Wijchen does see their meetings."""
    wijchen = regions["own"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Wendy")
    held = _meeting_at(world, people, -20, status=MeetingStatus.HELD)
    _invitation(held, candidate=outsider, response=Response.YES)
    _talk(held, outsider, world["employer"], 1, held=True, outcome="klik")

    for user in ("relatiemanager", "onderzoeker", "other_region_rm"):
        assert selectors.candidate_meetings(access.actor_for(people[user]), outsider) == []
    Staff.objects.filter(user=people["klantmanager"]).update(municipality=wijchen)
    seen = selectors.candidate_meetings(access.actor_for(people["klantmanager"]), outsider)
    assert [len(m.conversations) for m in seen] == [1]


def _history(world, people, second_employer, n):
    """``n`` held meetings where the warehouse and the good picker met (each with two
    conversations for the candidate)."""
    for i in range(n):
        m = _meeting_at(world, people, -10 - i, status=MeetingStatus.HELD)
        _invitation(m, employer=world["employer"], response=Response.YES, present=True)
        _invitation(m, candidate=world["good"], response=Response.YES, present=True)
        _talk(m, world["good"], world["employer"], 1, held=True, outcome="klik", follow_up="niets")
        _talk(m, world["good"], second_employer, 2, held=True, outcome="geen_klik")


def test_the_employers_meetings_take_two_queries_however_many_there_are(
    world, people, rm, second_employer, django_assert_num_queries
):
    _history(world, people, second_employer, 1)
    with django_assert_num_queries(2):
        assert len(selectors.employer_meetings(rm, world["employer"])) == 1
    _history(world, people, second_employer, 4)
    with django_assert_num_queries(2):
        found = selectors.employer_meetings(rm, world["employer"])
        assert [m.meeting.title for m in found]  # reading the meeting costs no query
    assert len(found) == 5


def test_the_candidates_meetings_take_two_queries_however_many_there_are(
    world, people, rm, second_employer, django_assert_num_queries
):
    _history(world, people, second_employer, 1)
    with django_assert_num_queries(2):
        assert len(selectors.candidate_meetings(rm, world["good"])) == 1
    _history(world, people, second_employer, 4)
    with django_assert_num_queries(2):
        found = selectors.candidate_meetings(rm, world["good"])
        # The page reads the meeting and each conversation's employer: no extra queries.
        names = [
            (m.invitation.meeting.title, c.employer.name, c.shortlist_entry)
            for m in found
            for c in m.conversations
        ]
    assert len(found) == 5 and len(names) == 10
