"""Demo data for meetings: a monthly series of prettig gesprekken in Wijchen.

*Prettig gesprek Wijchen* meets on the first working Thursday of the month at 15:00, each
time at the premises of another employer of Wijchen, organised by the demo relationship
manager (``relatiemanager``, Sanne de Vries): about five employers and thirty candidates, three
rounds of twenty minutes, six candidates a table (smaller businesses take fewer), at least two
conversations each. The five most recent meetings were held: invitations with their answers
(a couple of candidates on the waiting list: the answers fill the seats in the order they came
in, as ``services.answer`` does), check-in with a few absent, the table plan made by the real
planner (``services.make_plan``) and the outcomes recorded with ``services.record_outcome``, so
that the follow-ups are tasks for the employers' relationship managers (done, for meetings more
than a month ago). The next meeting, next month, has its invitations out and no table plan
yet: Hoveniersbedrijf Willems (demo log-in ``werkgever``) is coming, Anouk Bakker (demo log-in
``kandidaat``) has not answered yet.

Invitations are written directly (no e-mails are sent): each holds the hash of a random token
that nobody knows, as ``services.invite`` would store it. Everything is dated in the past, to
match each meeting's date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from werkbrug.accounts.models import User
from werkbrug.candidates.models import Candidate
from werkbrug.candidates.scopes import full_access_q
from werkbrug.core import access, audit
from werkbrug.core.access import actor_for
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.employers import services as employer_services
from werkbrug.employers.models import (
    Action,
    Employer,
    OpportunityStatus,
    Phase,
    SizeClass,
    WorkOpportunity,
)
from werkbrug.matching import facts, index
from werkbrug.matching import services as matching_services
from werkbrug.matching.models import IntroductionOutcome, ShortlistEntry, ShortlistStatus
from werkbrug.meetings import services
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    Response,
)

TITLE = "Prettig gesprek Wijchen"
WERKGEVER_COMPANY = "Hoveniersbedrijf Willems"
#: What work brought to a past meeting copies from the employer's latest work.
CLONED_FIELDS = (
    "title",
    "tasks",
    "occupation_code",
    "kind",
    "hours_min",
    "hours_max",
    "schedule",
    "location",
    "driving_licence",
    "language_level",
    "must_have",
    "nice_to_have",
)
HOME = "Wijchen"
PAST_MEETINGS = 5
START = dt.time(15)
TABLE_CAPACITY = 6
ROUNDS, ROUND_MINUTES, MIN_CONVERSATIONS = 3, 20, 2
#: Wijchen and surroundings: how likely an employer or candidate of each place is invited.
EMPLOYER_WEIGHTS = {"Wijchen": 4.0, "Beuningen": 2.0, "Druten": 2.0, "Nijmegen": 1.0}
CANDIDATE_WEIGHTS = {"Wijchen": 8.0, "Beuningen": 4.0, "Druten": 4.0, "Nijmegen": 2.0}
#: Follow-ups after a click; after no click there is none.
CLICK_FOLLOW_UPS = (
    (FollowUp.INTRODUCTION, 40),
    (FollowUp.NOTHING, 17),
    (FollowUp.APPLICATION, 14),
    (FollowUp.TRIAL, 12),
    (FollowUp.WORK_EXPERIENCE, 12),
    (FollowUp.JOB_OFFER, 5),
)
DUE_IN_DAYS = {
    FollowUp.INTRODUCTION: 5,
    FollowUp.APPLICATION: 7,
    FollowUp.TRIAL: 10,
    FollowUp.WORK_EXPERIENCE: 10,
    FollowUp.JOB_OFFER: 3,
}
CLICK_NOTES = (
    "Goed gesprek; wil graag een dag meelopen.",
    "Klikte meteen; werkgever belt zelf na.",
    "Enthousiast over het werk; uren nog afstemmen.",
    "Past goed in het team; vervoer naar de locatie nog regelen.",
    "Werkgever ziet kansen; eerst een rondleiding.",
    "",
)
NO_CLICK_NOTES = (
    "",
    "",
    "Werk past niet bij de wens (uren).",
    "Te ver reizen zonder rijbewijs.",
    "Kandidaat zoekt ander soort werk.",
)


def _moment(day: dt.date, time: dt.time = START) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def _easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _holidays(year: int) -> set[dt.date]:
    """Dutch public holidays (the ones a Thursday can fall on, and more)."""
    easter = _easter(year)
    kings_day = dt.date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day -= dt.timedelta(days=1)
    return {
        dt.date(year, 1, 1),
        easter + dt.timedelta(days=1),
        easter + dt.timedelta(days=39),  # Ascension Day, a Thursday
        easter + dt.timedelta(days=50),
        kings_day,
        dt.date(year, 5, 5),
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
    }


def first_working_thursday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    day += dt.timedelta(days=(3 - day.weekday()) % 7)
    while day in _holidays(year):
        day += dt.timedelta(days=7)
    return day


def meeting_days(now: dt.datetime) -> tuple[list[dt.date], dt.date]:
    """The last five meetings before ``now`` (oldest first) and the one of next month."""
    today = timezone.localtime(now).date()
    year, month = today.year, today.month
    upcoming = first_working_thursday(year + month // 12, month % 12 + 1)
    past: list[dt.date] = []
    while len(past) < PAST_MEETINGS:
        day = first_working_thursday(year, month)
        if _moment(day) < now:
            past.append(day)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return past[::-1], upcoming


def _weekday_before(day: dt.date, days: int) -> dt.date:
    out = day - dt.timedelta(days=days)
    while out.weekday() >= 5:
        out -= dt.timedelta(days=1)
    return out


def _sample(ctx: SeedContext, items: Sequence[Any], weights: Sequence[float], k: int) -> list:
    """k items without replacement, by weight (Efraimidis-Spirakis keys)."""
    keyed = sorted(
        ((ctx.rng.random() ** (1.0 / w), n) for n, w in enumerate(weights)), reverse=True
    )
    return [items[n] for _, n in keyed[:k]]


def _invitation(ctx: SeedContext, meeting: Meeting, sent: dt.datetime, **kw: Any) -> Invitation:
    invitation = Invitation(
        uuid=ctx.uuid(),
        meeting=meeting,
        token_expires_at=meeting.starts_at + dt.timedelta(days=1),
        sent_at=sent,
        created_at=sent,
        **kw,
    )
    invitation.token_hash = services.hash_token(services.answer_token(invitation))
    return invitation


class _Series:
    """What the meetings of the series share: who organises, who may come, where."""

    def __init__(self, ctx: SeedContext, user: User, werkgever: Employer) -> None:
        self.ctx = ctx
        self.actor = actor_for(user)
        self.werkgever = werkgever
        self.now = timezone.now()
        full = full_access_q(self.actor)
        pool = Candidate.objects.filter(region_id=self.actor.region_id)
        if full is not None:
            pool = pool.filter(full)
        self.candidates = list(
            pool.filter(facts.eligible_q())
            .exclude(user__username="kandidaat")
            .select_related("municipality")
            .order_by("pk")
        )
        self.anouk = (
            Candidate.objects.filter(user__username="kandidaat").filter(facts.eligible_q()).first()
        )
        self.employers = list(
            Employer.objects.filter(
                region_id=self.actor.region_id,
                municipality__name__in=EMPLOYER_WEIGHTS,
                merged_into__isnull=True,
                first_contact_on__isnull=False,
            )
            .exclude(phase=Phase.PROSPECT)
            .select_related("municipality")
            .order_by("pk")
        )
        self.emails = {e.pk: services.contact_email(e) for e in self.employers}
        self.emails.setdefault(werkgever.pk, services.contact_email(werkgever))
        self.invited: Counter[int] = Counter()
        self.made: dict[str, int] = {
            "invitations": 0,
            "conversations": 0,
            "held": 0,
            "clicks": 0,
            "tasks": 0,
            "hires": 0,
            "work": 0,
        }

    def hosts(self, first: dt.date) -> list[Employer]:
        """Six hosts of Wijchen with premises to receive a group, Willems among the past."""
        known = first - dt.timedelta(days=30)
        fitting = [
            e
            for e in self.employers
            if e.municipality.name == HOME
            and e.pk != self.werkgever.pk
            and e.size_class != SizeClass.MICRO
            and e.first_contact_on <= known
        ]
        self.ctx.rng.shuffle(fitting)
        hosts = [fitting[n % len(fitting)] for n in range(PAST_MEETINGS)] if fitting else []
        hosts += [self.werkgever] * (PAST_MEETINGS - len(hosts))
        hosts.insert(self.ctx.rng.randrange(1, PAST_MEETINGS), self.werkgever)
        return hosts

    def meeting(self, host: Employer, day: dt.date, created: dt.datetime) -> Meeting:
        where = ", ".join(p for p in (host.street, host.city) if p)
        meeting = Meeting(
            uuid=self.ctx.uuid(),
            municipality_id=self.werkgever.municipality_id,
            title=TITLE,
            host_employer=host,
            location=f"{host.name}, {where}"[:200],
            starts_at=_moment(day),
            rounds=ROUNDS,
            round_minutes=ROUND_MINUTES,
            table_capacity=TABLE_CAPACITY,
            min_conversations=MIN_CONVERSATIONS,
            notes=f"Maandelijkse bijeenkomst in Wijchen; deze keer te gast bij {host.name}.",
        )
        meeting = services.save_meeting(actor=self.actor, meeting=meeting)
        Meeting.objects.filter(pk=meeting.pk).update(created_at=created)
        return meeting

    def guests(self, day: dt.date, host: Employer, willems: bool, n: int) -> list[Employer]:
        """The host first, then Willems (when invited), then others of the area."""
        known = day - dt.timedelta(days=21)
        fixed = [host] + ([self.werkgever] if willems and host != self.werkgever else [])
        others = [e for e in self.employers if e not in fixed and e.first_contact_on <= known]
        weights = [EMPLOYER_WEIGHTS[e.municipality.name] for e in others]
        return fixed + _sample(self.ctx, others, weights, n - len(fixed))

    def invitees(self, day: dt.date, n: int) -> list[Candidate]:
        """Candidates of the area, those invited before less likely again."""
        known = _moment(day) - dt.timedelta(days=35)
        pool = [c for c in self.candidates if c.created_at <= known]
        weights = [
            CANDIDATE_WEIGHTS.get(c.municipality.name, 0.5) * 0.4 ** self.invited[c.pk]
            for c in pool
        ]
        chosen = _sample(self.ctx, pool, weights, n)
        self.invited.update(c.pk for c in chosen)
        return chosen

    def _answer_times(self, sent: dt.datetime, until: dt.datetime, n: int) -> list[dt.datetime]:
        """n answers between sending and ``until``, most of them in the first days."""
        first = sent + dt.timedelta(minutes=20)
        span = max(0.0, (until - first).total_seconds())
        times = [
            first + dt.timedelta(seconds=span * self.ctx.rng.random() ** 1.5) for _ in range(n)
        ]
        return sorted(t.replace(second=0, microsecond=0) for t in times)

    def _save(self, meeting: Meeting, invitations: list[Invitation], wishes: list) -> None:
        Invitation.objects.bulk_create(invitations)
        through = Invitation.wants_to_meet.through
        through.objects.bulk_create(
            through(invitation_id=i.pk, employer_id=e.pk) for i, e in wishes
        )
        audit.record_summary(
            meeting, note=f"seed-demo: {len(invitations)} uitnodigingen (zonder e-mail)"
        )
        self.made["invitations"] += len(invitations)

    # --- a meeting that was held ---------------------------------------------------------------

    def held(self, host: Employer, day: dt.date, with_willems: bool) -> Meeting:
        """Invited four weeks before, planned two days before, held, outcomes recorded."""
        rng = self.ctx.rng
        sent_day = _weekday_before(day, 28)
        meeting = self.meeting(host, day, _moment(_weekday_before(sent_day, 7), dt.time(11)))
        sent = _moment(sent_day, dt.time(10))
        deadline = _moment(_weekday_before(day, 2), dt.time(17))

        # Employers: five come; when six were invited, one (not the host) declined.
        guests = self.guests(day, host, with_willems, rng.choice((5, 5, 6)))
        declined = guests[-1] if len(guests) == 6 else None
        coming = [e for e in guests if e is not declined]
        # Tables: the meeting allows six a table, but for about thirty candidates with two
        # conversations each the employers take about four a round (19-21 seats in all).
        seats = rng.randint(19, 21)
        base, extra = divmod(seats, len(coming))
        capacity = {e.pk: base + (n < extra) for n, e in enumerate(coming)}
        invitations = []
        times = self._answer_times(sent, sent + (deadline - sent) / 2, len(guests))
        for employer, at in zip(guests, times, strict=True):
            cap = capacity.get(employer.pk)
            invitations.append(
                _invitation(
                    self.ctx,
                    meeting,
                    sent,
                    employer=employer,
                    email=self.emails.get(employer.pk, ""),
                    response=Response.NO if employer is declined else Response.YES,
                    responded_at=at,
                    table_capacity=cap if cap and cap != TABLE_CAPACITY else None,
                    present=None if employer is declined else True,
                    checked_in_at=None if employer is declined else _moment(day, dt.time(14, 40)),
                )
            )

        # Candidates: yes until the seats are taken, then the waiting list (as answer() does).
        room = sum(capacity.values()) * ROUNDS // MIN_CONVERSATIONS
        waiting, declining = rng.randint(1, 2), rng.randint(2, 4)
        people = self.invitees(day, room + waiting + declining)
        says_yes = [True] * (len(people) - declining) + [False] * declining
        rng.shuffle(says_yes)
        wishes = []
        taken = position = 0
        times = self._answer_times(sent, deadline, len(people))
        for candidate, yes, at in zip(people, says_yes, times, strict=True):
            response = Response.NO
            if yes and taken < room:
                response, taken = Response.YES, taken + 1
            elif yes:
                response, position = Response.WAITING, position + 1
            invitation = _invitation(
                self.ctx,
                meeting,
                sent,
                candidate=candidate,
                email=candidate.email,
                response=response,
                responded_at=at,
                waitlist_position=position if response == Response.WAITING else None,
                reminded_at=sent + dt.timedelta(days=14)
                if at > sent + dt.timedelta(days=14)
                else None,
            )
            invitations.append(invitation)
            if response == Response.YES and rng.random() < 0.3:
                for employer in rng.sample(coming, rng.choice((1, 1, 2))):
                    wishes.append((invitation, employer))
        self._save(meeting, invitations, wishes)
        self._bring_work(meeting, coming, day)

        # The table plan, made two days before by the real planner.
        services.make_plan(actor=self.actor, meeting=meeting)
        planned_at = deadline + dt.timedelta(minutes=rng.randint(5, 50))

        # On the day: check-in (a few absent), then the outcomes of the conversations held.
        coming_people = [i for i in invitations if i.candidate_id and i.response == Response.YES]
        absent = {
            i.candidate_id
            for i in rng.sample(coming_people, min(len(coming_people), rng.randint(1, 3)))
        }
        for i in coming_people:
            i.present = i.candidate_id not in absent
            minutes = rng.randint(35, 58) if i.present else 70
            i.checked_in_at = _moment(day, dt.time(14)) + dt.timedelta(minutes=minutes)
        Invitation.objects.bulk_update(coming_people, ["present", "checked_in_at"])
        self._outcomes(meeting, day, absent, planned_at)
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD, planned_at=planned_at
        )
        return meeting

    def _outcomes(
        self, meeting: Meeting, day: dt.date, absent: set[int], planned_at: dt.datetime
    ) -> None:
        """Outcomes of the conversations held (about 40 % click, likelier the better the fit).
        A follow-up goes through ``services.record_outcome``, which makes the task; the
        conversations without one are written directly (the same fields, much faster)."""
        rng = self.ctx.rng
        conversations = list(meeting.conversations.order_by("round", "employer_id", "candidate_id"))
        labels, weights = zip(*CLICK_FOLLOW_UPS, strict=True)
        written: list[Conversation] = []
        followed: list[Conversation] = []
        for c in conversations:
            c.created_at = planned_at
            if c.candidate_id in absent:
                c.held = False
                written.append(c)
                continue
            click = rng.random() < 0.05 + 0.55 * min(1.0, c.fit or 0.0)
            follow_up = rng.choices(labels, weights=weights)[0] if click else FollowUp.NOTHING
            note = rng.choice(CLICK_NOTES if click else NO_CLICK_NOTES)
            outcome = Outcome.CLICK if click else Outcome.NO_CLICK
            recorded_at = _moment(day, dt.time(16, 10)) + dt.timedelta(
                minutes=rng.randint(0, 20 * 60)
            )
            self.made["held"] += 1
            self.made["clicks"] += click
            if follow_up == FollowUp.NOTHING:
                c.held, c.outcome, c.follow_up, c.note = True, outcome, follow_up, note
                c.recorded_at = recorded_at
                written.append(c)
                continue
            c = services.record_outcome(
                actor=self.actor,
                conversation=c,
                outcome=outcome,
                follow_up=follow_up,
                note=note,
                due_in_days=DUE_IN_DAYS[follow_up],
            )
            c.created_at, c.recorded_at = planned_at, recorded_at
            followed.append(c)
        Conversation.objects.bulk_update(
            written + followed,
            ["created_at", "held", "outcome", "follow_up", "note", "recorded_at"],
        )
        # The tasks: dated from the outcome; done when the meeting is more than a month ago.
        old = _moment(day) < self.now - dt.timedelta(days=31)
        by_action = {c.action_id: c for c in followed}
        actions = list(
            Action.objects.filter(pk__in=by_action)
            .select_related("employer__owner", "employer__substitute")
            .order_by("pk")
        )
        for action in actions:
            c = by_action[action.pk]
            days = DUE_IN_DAYS[c.follow_up]
            # Whoever handled the employer on the day the outcome was recorded.
            action.owner = employer_services.handler_for(
                action.employer, on=timezone.localtime(c.recorded_at).date()
            )
            action.created_at = c.recorded_at
            action.due_on = timezone.localtime(c.recorded_at).date() + dt.timedelta(days=days)
            if old:
                action.done_at = min(
                    self.now,
                    c.recorded_at
                    + dt.timedelta(days=rng.randint(1, days + 3), hours=rng.randint(0, 5)),
                )
        Action.objects.bulk_update(actions, ["owner", "created_at", "due_on", "done_at"])
        if old:
            self._pipeline_outcomes(followed)
        self.made["conversations"] += len(conversations)
        self.made["tasks"] += len(actions)

    def _bring_work(self, meeting: Meeting, coming: list[Employer], day: dt.date) -> None:
        """Two or three of the employers bring work they opened two weeks before, linked to
        the meeting (like the work they had before: same title and tasks). A click there
        puts the candidate in that work's pipeline."""
        rng = self.ctx.rng
        linked = []
        for employer in rng.sample(coming, min(len(coming), rng.choice((2, 3)))):
            model = employer.opportunities.order_by("-opened_on", "-pk").first()
            if model is None:
                continue
            work = WorkOpportunity(
                employer=employer,
                opened_on=day - dt.timedelta(days=14),
                start_date=day + dt.timedelta(days=21),
                places=rng.choice((1, 1, 2)),
                **{name: getattr(model, name) for name in CLONED_FIELDS},
            )
            linked.append(employer_services.save_opportunity(actor=self.actor, opportunity=work))
        meeting.opportunities.set(linked)
        self.made["work"] += len(linked)

    def _pipeline_outcomes(self, followed: list[Conversation]) -> None:
        """The introductions a click led to, a month and more ago, have an outcome: a job
        offer or a trial mostly ends in a hire, the rest in a next step or no match."""
        rng = self.ctx.rng
        odds = {
            FollowUp.JOB_OFFER: 0.75,
            FollowUp.TRIAL: 0.45,
            FollowUp.WORK_EXPERIENCE: 0.35,
            FollowUp.APPLICATION: 0.3,
            FollowUp.INTRODUCTION: 0.15,
        }
        for c in followed:
            if c.shortlist_entry_id is None:
                continue
            entry = ShortlistEntry.objects.get(pk=c.shortlist_entry_id)
            if entry.status != ShortlistStatus.INTRODUCTION:
                continue
            draw = rng.random()
            if draw < odds.get(c.follow_up, 0.1):
                outcome = IntroductionOutcome.HIRED
            elif draw < 0.8:
                outcome = IntroductionOutcome.NEXT_STEP
            else:
                outcome = IntroductionOutcome.NO_MATCH
            matching_services.record_outcome(actor=self.actor, entry=entry, outcome=outcome)
            ShortlistEntry.objects.filter(pk=entry.pk).update(
                outcome_at=min(self.now, c.recorded_at + dt.timedelta(days=rng.randint(7, 28)))
            )
            self.made["hires"] += outcome == IntroductionOutcome.HIRED
            if outcome == IntroductionOutcome.HIRED:
                work = WorkOpportunity.objects.get(pk=entry.opportunity_id)
                if work.status == OpportunityStatus.INTRODUCTION:
                    employer_services.change_status(
                        actor=self.actor, opportunity=work, to_status=OpportunityStatus.FILLED
                    )

    # --- the next meeting ------------------------------------------------------------------------

    def upcoming(self, host: Employer, day: dt.date) -> Meeting:
        """Invitations out (Willems coming, Anouk yet to answer), no table plan yet."""
        rng = self.ctx.rng
        sent_day = min(
            _weekday_before(day, 28),
            _weekday_before(timezone.localtime(self.now).date(), rng.randint(5, 9)),
        )
        sent = _moment(sent_day, dt.time(10))
        meeting = self.meeting(host, day, _moment(_weekday_before(sent_day, 5), dt.time(11)))
        today = timezone.localtime(self.now).date()  # answers until yesterday evening
        until = min(_moment(today, dt.time(0)), _moment(day) - dt.timedelta(days=2))
        guests = self.guests(day, host, True, rng.choice((5, 6)))
        invitations = []
        times = self._answer_times(sent, until, len(guests))
        for n, (employer, at) in enumerate(zip(guests, times, strict=True)):
            answered = n < 2 or employer == self.werkgever or rng.random() < 0.6
            invitations.append(
                _invitation(
                    self.ctx,
                    meeting,
                    sent,
                    employer=employer,
                    email=self.emails.get(employer.pk, ""),
                    response=Response.YES if answered else Response.OPEN,
                    responded_at=at if answered else None,
                    table_capacity=4 if employer == self.werkgever else None,
                )
            )
        coming = [e for e, i in zip(guests, invitations, strict=True) if i.response == Response.YES]
        people = self.invitees(day, rng.randint(17, 21))
        answers = rng.choices(
            (Response.YES, Response.NO, Response.OPEN), weights=(50, 10, 40), k=len(people)
        )
        if self.anouk is not None:
            people.insert(rng.randrange(len(people)), self.anouk)
            answers.insert(people.index(self.anouk), Response.OPEN)
        wishes = []
        times = self._answer_times(sent, until, len(people))
        for candidate, response, at in zip(people, answers, times, strict=True):
            invitation = _invitation(
                self.ctx,
                meeting,
                sent,
                candidate=candidate,
                email=candidate.email,
                response=response,
                responded_at=None if response == Response.OPEN else at,
            )
            invitations.append(invitation)
            if response == Response.YES and rng.random() < 0.3:
                wishes.append((invitation, rng.choice(coming)))
        self._save(meeting, invitations, wishes)
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.INVITED)
        return meeting


@seeder(order=60, name="meetings")
def seed_meetings(ctx: SeedContext) -> None:
    user = User.objects.filter(username="relatiemanager").select_related("staff").first()
    if user is None or not hasattr(user, "staff"):
        return
    werkgever = ctx.shared.get("werkgever_employer") or (
        Employer.objects.filter(name=WERKGEVER_COMPANY).order_by("pk").first()
    )
    if werkgever is None or not access.can(actor_for(user), "meetings.organise"):
        return
    index.forget()  # the planner scores with the matching index: fresh, after the seeders
    series = _Series(ctx, user, werkgever)
    past_days, next_day = meeting_days(series.now)
    hosts = series.hosts(past_days[0])
    at_willems = {n for n, host in enumerate(hosts[:PAST_MEETINGS]) if host == werkgever}
    extra = [n for n in range(PAST_MEETINGS) if n not in at_willems]
    at_willems |= set(ctx.rng.sample(extra, 2))
    for n, day in enumerate(past_days):
        series.held(hosts[n], day, n in at_willems)
    upcoming = series.upcoming(hosts[PAST_MEETINGS], next_day)
    index.forget()
    made = series.made
    ctx.say(
        f"Bijeenkomsten: {TITLE}, {PAST_MEETINGS} gehouden ({made['conversations']} gesprekken "
        f"ingedeeld, {made['held']} gevoerd, {made['clicks']} met een klik, {made['tasks']} "
        f"vervolgtaken, {made['hires']} later aangenomen); de volgende op "
        f"{timezone.localtime(upcoming.starts_at):%d-%m-%Y} bij "
        f"{upcoming.host_employer}, nog in te delen; {made['invitations']} uitnodigingen."
    )
