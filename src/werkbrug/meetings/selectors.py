"""Reads for meetings: lists, the table plan as rounds × tables, invitation suggestions from
the matching engine, and the results of a meeting."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.employers.models import WorkOpportunity
from werkbrug.matching import facts as matching_facts
from werkbrug.matching import selectors as matching_selectors
from werkbrug.matching.models import IntroductionOutcome, ShortlistEntry
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
)


def meetings(actor: access.Actor) -> QuerySet[Meeting]:
    return access.scoped(Meeting, actor).select_related("host_employer", "municipality")


def with_counts(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """How many employers and candidates were invited and are coming (counts, no names; in
    the same query as the list)."""
    yes = Q(invitations__response=Response.YES)
    employer = Q(invitations__employer__isnull=False)
    candidate = Q(invitations__candidate__isnull=False)
    return queryset.annotate(
        employers_invited=Count("invitations", filter=employer),
        employers_coming=Count("invitations", filter=employer & yes),
        candidates_invited=Count("invitations", filter=candidate),
        candidates_coming=Count("invitations", filter=candidate & yes),
    )


def upcoming(actor: access.Actor) -> QuerySet[Meeting]:
    return with_counts(meetings(actor).filter(starts_at__gte=timezone.now()).order_by("starts_at"))


def past(actor: access.Actor) -> QuerySet[Meeting]:
    return with_counts(meetings(actor).filter(starts_at__lt=timezone.now()).order_by("-starts_at"))


def work_of(meeting: Meeting, employer_ids: list[int]) -> dict[int, list[WorkOpportunity]]:
    """The work each employer brings to the meeting: the work linked to the meeting when
    there is any for that employer, else the employer's open work."""
    linked: dict[int, list[WorkOpportunity]] = defaultdict(list)
    for o in meeting.opportunities.filter(employer_id__in=employer_ids).select_related("employer"):
        linked[o.employer_id].append(o)
    out = {e: linked[e] for e in employer_ids if linked[e]}
    rest = [e for e in employer_ids if e not in out]
    for o in WorkOpportunity.objects.filter(
        employer_id__in=rest, status__in=matching_facts.OPEN_STATUSES
    ).select_related("employer"):
        out.setdefault(o.employer_id, []).append(o)
    return out


def invitations(actor: access.Actor, meeting: Meeting) -> QuerySet[Invitation]:
    """The invitations the actor may see (candidates through the candidate scope rule)."""
    return (
        access.scoped(Invitation, actor)
        .filter(meeting=meeting)
        .select_related("meeting", "employer", "candidate")
        .order_by("candidate_id", "employer__name", "id")
    )


@dataclass
class PlanGrid:
    """The plan as people read it: per round, per table, who sits there."""

    rounds: list[int]
    employers: list[Any]
    cells: dict[tuple[int, int], list[Conversation]] = field(default_factory=dict)
    hidden: int = 0  # conversations of candidates the actor may not see

    def at(self, round_: int, employer_id: int) -> list[Conversation]:
        return self.cells.get((round_, employer_id), [])


def plan_grid(actor: access.Actor, meeting: Meeting) -> PlanGrid:
    visible = (
        access.scoped(Conversation, actor)
        .filter(meeting=meeting)
        .select_related("candidate", "employer", "action")
    )
    employers = [
        i.employer
        for i in meeting.invitations.filter(employer__isnull=False)
        .select_related("employer")
        .order_by("employer__name")
    ]
    grid = PlanGrid(rounds=list(range(1, meeting.rounds + 1)), employers=employers)
    shown = 0
    for c in visible:
        grid.cells.setdefault((c.round, c.employer_id), []).append(c)
        shown += 1
    grid.hidden = meeting.conversations.count() - shown
    return grid


@dataclass
class Suggested:
    candidate: Candidate
    full_access: bool
    percent: int
    explanation: str
    employer_name: str


def invitation_suggestions(actor: access.Actor, meeting: Meeting, k: int = 10) -> list[Suggested]:
    """Candidates who fit the work of the invited employers (who did not decline), best
    first, not yet invited: from the matching engine, across municipalities with consent."""
    employer_ids = list(
        meeting.invitations.filter(employer__isnull=False)
        .exclude(response=Response.NO)
        .values_list("employer_id", flat=True)
    )
    opportunities = [o for work in work_of(meeting, employer_ids).values() for o in work]
    invited = set(
        meeting.invitations.filter(candidate__isnull=False).values_list("candidate_id", flat=True)
    )
    best: dict[int, Suggested] = {}
    for opportunity in opportunities:
        for s in matching_selectors.candidates_for_opportunity(
            actor, opportunity, k=k, record=False
        ):
            if s.candidate.pk in invited:
                continue
            current = best.get(s.candidate.pk)
            if current is None or s.percent > current.percent:
                best[s.candidate.pk] = Suggested(
                    s.candidate, s.full_access, s.percent, s.explanation, opportunity.employer.name
                )
    return sorted(best.values(), key=lambda x: (-x.percent, x.candidate.pk))[: k * 2]


@dataclass
class Results:
    invited_employers: int
    invited_candidates: int
    coming: int
    attended: int
    conversations: int
    held: int
    clicks: int
    follow_ups: dict[str, int]
    placements: int  # introductions afterwards that ended in a hire, with an employer met here


def results(meeting: Meeting) -> Results:
    """Counts only (no names): the meeting's results, including hires that followed."""
    invites = list(meeting.invitations.all())
    conversations = list(meeting.conversations.all())
    follow_ups: dict[str, int] = defaultdict(int)
    for c in conversations:
        if c.follow_up and c.follow_up != FollowUp.NOTHING:
            follow_ups[c.follow_up] += 1
    pairs = {(c.candidate_id, c.employer_id) for c in conversations if c.held}
    since = meeting.starts_at - dt.timedelta(days=1)
    hires = ShortlistEntry.objects.filter(
        outcome=IntroductionOutcome.HIRED, outcome_at__gte=since
    ).values_list("candidate_id", "opportunity__employer_id")
    return Results(
        invited_employers=sum(1 for i in invites if i.employer_id),
        invited_candidates=sum(1 for i in invites if i.candidate_id),
        coming=sum(1 for i in invites if i.response == Response.YES),
        attended=sum(1 for i in invites if i.present),
        conversations=len(conversations),
        held=sum(1 for c in conversations if c.held),
        clicks=sum(1 for c in conversations if c.outcome == "klik"),
        follow_ups=dict(follow_ups),
        placements=sum(1 for pair in hires if pair in pairs),
    )


# --- On the employer's and the candidate's pages ---------------------------------------------


@dataclass(frozen=True)
class EmployerMeeting:
    """A meeting an employer took part in, as a line of their history: counts, no names."""

    meeting: Meeting
    at: dt.datetime
    present: bool | None
    conversations: int
    clicks: int
    follow_ups: tuple[tuple[str, int], ...]  # (label, count)


def employer_meetings(actor: access.Actor, employer: Any, limit: int = 24) -> list[EmployerMeeting]:
    """The meetings (the actor may see) the employer was invited to and did not decline,
    with the outcomes of their conversations; in two queries."""
    invited = (
        access.scoped(Invitation, actor)
        .filter(employer=employer, meeting__in=meetings(actor))
        .exclude(response=Response.NO)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .order_by("-meeting__starts_at")[:limit]
    )
    invitations = list(invited)
    talks: dict[int, list[Conversation]] = defaultdict(list)
    for c in Conversation.objects.filter(
        employer=employer, meeting_id__in=[i.meeting_id for i in invitations]
    ).only("meeting_id", "outcome", "follow_up", "held"):
        talks[c.meeting_id].append(c)
    out = []
    for i in invitations:
        held = [c for c in talks[i.meeting_id] if c.held is not False]
        follow_ups = Counter(
            c.follow_up for c in held if c.follow_up and c.follow_up != FollowUp.NOTHING
        )
        out.append(
            EmployerMeeting(
                meeting=i.meeting,
                at=i.meeting.starts_at,
                present=i.present,
                conversations=len(held),
                clicks=sum(1 for c in held if c.outcome == "klik"),
                follow_ups=tuple(
                    (str(FollowUp(k).label), n) for k, n in sorted(follow_ups.items())
                ),
            )
        )
    return out


@dataclass(frozen=True)
class CandidateMeeting:
    """A meeting a candidate was invited to: their answer, whether they came, and each
    conversation with its outcome."""

    invitation: Invitation
    conversations: tuple[Conversation, ...]


def candidate_meetings(
    actor: access.Actor, candidate: Any, limit: int = 12
) -> list[CandidateMeeting]:
    """For the candidate's case file (``candidate`` read through the scope rule); in two
    queries."""
    invitations = list(
        access.scoped(Invitation, actor)
        .filter(candidate=candidate, meeting__in=meetings(actor))
        .select_related("meeting")
        .order_by("-meeting__starts_at")[:limit]
    )
    if not invitations:
        return []
    talks: dict[int, list[Conversation]] = defaultdict(list)
    for c in (
        access.scoped(Conversation, actor)
        .filter(candidate=candidate, meeting_id__in=[i.meeting_id for i in invitations])
        .select_related("employer", "shortlist_entry")
        .order_by("round")
    ):
        talks[c.meeting_id].append(c)
    return [CandidateMeeting(i, tuple(talks[i.meeting_id])) for i in invitations]
