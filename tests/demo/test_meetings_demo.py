"""The meetings' demo data (meetings/demo.py): the monthly series *Prettig gesprek Wijchen*,
five meetings held with their plans, check-in and outcomes, the next one open for planning."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from werkbrug.accounts.models import User
from werkbrug.candidates.models import Candidate
from werkbrug.candidates.scopes import full_access_q
from werkbrug.core.access import actor_for
from werkbrug.employers.models import Action
from werkbrug.employers.services import handler_for
from werkbrug.matching.facts import eligible_q
from werkbrug.matching.models import IntroductionOutcome, ShortlistStatus
from werkbrug.meetings import planner, selectors, services
from werkbrug.meetings.demo import TITLE, WERKGEVER_COMPANY, first_working_thursday
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Meeting,
    MeetingStatus,
    Outcome,
    Response,
)

SEED = 5


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed-demo", "--scale", "demo", "--seed", str(SEED), stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _series() -> list[Meeting]:
    return list(
        Meeting.objects.filter(title=TITLE)
        .select_related("host_employer", "municipality")
        .order_by("starts_at")
    )


def _past() -> list[Meeting]:
    return [m for m in _series() if m.starts_at < timezone.now()]


def test_a_monthly_series_at_employers_of_wijchen(seeded):
    series = _series()
    assert len(series) == 6
    past, upcoming = series[:5], series[5]
    assert all(m.starts_at < timezone.now() for m in past) and upcoming.starts_at > timezone.now()
    rm = User.objects.get(username="relatiemanager").staff
    months = []
    for m in series:
        local = timezone.localtime(m.starts_at)
        assert local.date() == first_working_thursday(local.year, local.month)
        assert local.time() == dt.time(15)
        assert (m.rounds, m.round_minutes, m.table_capacity, m.min_conversations) == (3, 20, 6, 2)
        assert m.municipality.name == "Wijchen"
        assert m.host_employer.municipality.name == "Wijchen"
        assert m.host_employer.name in m.location
        assert list(m.organisers.all()) == [rm]
        months.append(local.year * 12 + local.month)
    # Monthly; the next one is next month.
    assert all(b - a == 1 for a, b in zip(months[:4], months[1:5], strict=True))
    today = timezone.localdate()
    assert months[5] == today.year * 12 + today.month + 1
    assert len({m.host_employer_id for m in series}) == 6  # the host rotates
    assert [m.status for m in past] == [MeetingStatus.HELD] * 5
    assert upcoming.status == MeetingStatus.INVITED


def test_invitations_of_the_past_meetings(seeded):
    user = User.objects.get(username="relatiemanager")
    visible = Candidate.objects.filter(full_access_q(actor_for(user))).filter(
        eligible_q() | Q(placements__isnull=False)  # eligible then; some found work since
    )
    with_willems = 0
    for m in _past():
        invitations = list(m.invitations.select_related("employer"))
        employers = [i for i in invitations if i.employer_id]
        people = [i for i in invitations if i.candidate_id]
        assert 5 <= len(employers) <= 6
        assert m.host_employer_id in {i.employer_id for i in employers}
        with_willems += any(i.employer.name == WERKGEVER_COMPANY for i in employers)
        assert 30 <= len(people) <= 38
        invited = [i.candidate_id for i in people]
        assert visible.filter(pk__in=invited).distinct().count() == len(people)
        answers = Counter(i.response for i in people)
        assert answers[Response.YES] > answers[Response.NO] >= 1
        assert 1 <= answers[Response.WAITING] <= 3
        assert not answers[Response.OPEN]
        # The waiting list started when the seats were taken, as services.answer does it.
        assert answers[Response.YES] == services.max_candidates(m)
        waiting = sorted(
            (i.responded_at, i.waitlist_position) for i in people if i.waitlist_position
        )
        assert [p for _, p in waiting] == list(range(1, answers[Response.WAITING] + 1))
        last_yes = max(i.responded_at for i in people if i.response == Response.YES)
        assert all(at > last_yes for at, _ in waiting)
        for i in invitations:
            assert len(i.token_hash) == 64
            assert i.token_expires_at == m.starts_at + dt.timedelta(days=1)
            assert i.created_at == i.sent_at < i.responded_at < m.starts_at
        # Check-in: a few of those coming were absent.
        coming = [i for i in people if i.response == Response.YES]
        absent = [i for i in coming if i.present is False]
        assert 1 <= len(absent) <= 3
        assert all(
            i.present is not None and i.checked_in_at.date() == m.starts_at.date() for i in coming
        )
    assert with_willems >= 2


def test_past_meetings_have_outcomes_and_follow_up_tasks(seeded):
    now = timezone.now()
    held = clicks = 0
    follow_ups: Counter[str] = Counter()
    for m in _past():
        conversations = list(m.conversations.select_related("action"))
        assert conversations
        absent = set(m.invitations.filter(present=False).values_list("candidate_id", flat=True))
        tasks = [c.action for c in conversations if c.action_id]
        assert tasks, m
        for c in conversations:
            assert m.starts_at - dt.timedelta(days=3) < c.created_at < m.starts_at
            if c.candidate_id in absent:
                assert c.held is False and not c.outcome and c.action_id is None
                continue
            assert c.held is True and c.outcome in Outcome.values
            assert m.starts_at < c.recorded_at < m.starts_at + dt.timedelta(days=2)
            assert (c.action_id is None) == (c.follow_up == FollowUp.NOTHING)
            held += 1
            clicks += c.outcome == Outcome.CLICK
            follow_ups[c.follow_up] += 1
        old = m.starts_at < now - dt.timedelta(days=31)
        for task in tasks:
            assert task.due_on > m.starts_at.date()
            assert (task.done_at is not None) == old
            # Whoever handled the employer that day: the owner, or their substitute.
            assert (
                task.owner_id
                == handler_for(task.employer, on=timezone.localtime(task.created_at).date()).pk
            )
    assert 0.3 <= clicks / held <= 0.5
    assert follow_ups[FollowUp.NOTHING] > held / 2
    common = follow_ups[FollowUp.NOTHING] + follow_ups[FollowUp.INTRODUCTION]
    assert common > 0.75 * held
    assert len(follow_ups) >= 5
    assert Action.objects.filter(title__icontains="prettig gesprek").count() >= 5


def test_clicks_fed_the_pipeline_and_older_ones_led_to_hires(seeded):
    """A click with a follow-up put the candidate in the employer's work's pipeline; a
    month on, those introductions have outcomes, and the meeting results count the hires."""
    now = timezone.now()
    linked = Conversation.objects.filter(shortlist_entry__isnull=False).select_related(
        "meeting", "shortlist_entry__opportunity"
    )
    assert linked.exists()
    hires = 0
    for c in linked:
        entry = c.shortlist_entry
        assert c.outcome == Outcome.CLICK and c.follow_up != FollowUp.NOTHING
        assert entry.candidate_id == c.candidate_id
        assert entry.opportunity.employer_id == c.employer_id
        if c.meeting.starts_at < now - dt.timedelta(days=31):
            assert entry.status == ShortlistStatus.FINISHED
            hires += entry.outcome == IntroductionOutcome.HIRED
    assert hires >= 1
    held = Meeting.objects.filter(title=TITLE, status=MeetingStatus.HELD)
    assert sum(selectors.results(m).placements for m in held) >= hires


def test_every_past_plan_is_valid(seeded):
    for m in _past():
        conversations = list(m.conversations.all())
        capacity = {
            i.employer_id: i.table_capacity or m.table_capacity
            for i in m.invitations.filter(employer__isnull=False)
        }
        data = planner.PlanInput(
            employers=list(capacity),
            candidates=list({c.candidate_id for c in conversations}),
            rounds=m.rounds,
            capacity=capacity,
        )
        seats = [planner.Seat(c.round - 1, c.employer_id, c.candidate_id) for c in conversations]
        assert planner.validate(data, seats) == []
        pairs = Counter((c.candidate_id, c.employer_id) for c in conversations)
        assert max(pairs.values()) == 1  # nobody meets the same employer twice
        # Planned: everyone who said yes, each at least twice, at tables of employers coming.
        coming = set(
            m.invitations.filter(candidate__isnull=False, response=Response.YES).values_list(
                "candidate_id", flat=True
            )
        )
        per = Counter(c.candidate_id for c in conversations)
        assert set(per) == coming and min(per.values()) >= m.min_conversations
        tables = set(
            m.invitations.filter(employer__isnull=False, present=True).values_list(
                "employer_id", flat=True
            )
        )
        assert {c.employer_id for c in conversations} <= tables
        assert m.plan_method and m.plan_gap < 1e-9  # proven optimal
        assert m.planned_at < m.starts_at


def test_the_next_meeting_is_open_for_planning(seeded):
    upcoming = _series()[-1]
    assert not upcoming.conversations.exists() and upcoming.planned_at is None
    invitations = list(upcoming.invitations.select_related("employer", "candidate"))
    willems = [i for i in invitations if i.employer_id and i.employer.name == WERKGEVER_COMPANY]
    assert len(willems) == 1 and willems[0].response == Response.YES
    people = [i for i in invitations if i.candidate_id]
    assert 15 <= len(people) <= 25
    answers = Counter(i.response for i in people)
    assert answers[Response.YES] and answers[Response.OPEN]
    anouk = [i for i in people if i.candidate.user and i.candidate.user.username == "kandidaat"]
    assert len(anouk) == 1 and anouk[0].response == Response.OPEN
    now = timezone.now()
    for i in invitations:
        assert i.sent_at < now and i.present is None
        assert (i.responded_at is None) == (i.response == Response.OPEN)
        assert i.responded_at is None or i.sent_at < i.responded_at < now
