"""Organising a prettig gesprek: invitations with personal answer links, the table plan,
check-in on the day, and the outcomes that become follow-up tasks.

Answer links: the token in a link is an HMAC (SHA-256, keyed with the secret key) of the
invitation's uuid and link version, 256 bits nobody can guess. Only its SHA-256 is stored, so
a leaked database does not give working links; because the token can be derived again, a
reminder carries the same link, and a resent link (a new version) replaces the old one. A
link expires the day after the meeting and is refused once the meeting is cancelled.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from werkbrug.candidates.ics import Event, event_ics
from werkbrug.candidates.models import Candidate
from werkbrug.core import access, outbox
from werkbrug.employers import services as employer_services
from werkbrug.employers.models import Action, Employer, WorkOpportunity
from werkbrug.matching import engine, index
from werkbrug.matching import facts as matching_facts
from werkbrug.matching import selectors as matching_selectors
from werkbrug.matching import services as matching_services
from werkbrug.meetings import planner
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingStatus,
    Response,
)
from werkbrug.meetings.selectors import work_of

WISH_BONUS = 0.5  # a stated wish to meet counts as much as half a perfect match
LINK_SALT = "werkbrug.meetings.answer-link"
REMINDER_DAYS = 2  # reminders go out this many days before the meeting


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_token(invitation: Invitation) -> str:
    """The token of the invitation's current answer link (see the module docstring)."""
    digest = salted_hmac(
        LINK_SALT, f"{invitation.uuid}:{invitation.link_version}", algorithm="sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_link(invitation: Invitation) -> None:
    invitation.token_hash = hash_token(answer_token(invitation))


def _require(actor: access.Actor, meeting: Meeting, permission: str = "meetings.organise") -> None:
    access.require(actor, permission)
    if not access.scoped(Meeting, actor).filter(pk=meeting.pk).exists():
        raise PermissionDenied


def max_candidates(meeting: Meeting) -> int:
    """How many candidates fit: the seats of the employers who did not decline, over the
    rounds, divided by the conversations each candidate should get."""
    seats = sum(
        inv.table_capacity or meeting.table_capacity
        for inv in meeting.invitations.filter(employer__isnull=False).exclude(response=Response.NO)
    )
    return (seats * meeting.rounds) // max(1, meeting.min_conversations)


def meeting_ics(meeting: Meeting) -> str:
    """The meeting as a calendar file; after cancelling, the file that removes it."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    return event_ics(
        Event(
            uid=f"{meeting.uuid}@werkbrug",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            summary=meeting.title,
            location=meeting.location,
            description=_("A prettig gesprek: employers and candidates meet at tables."),
            cancelled=cancelled,
            # Every saved change counts; a calendar takes over the newest version.
            sequence=meeting.version,
        ),
        now=timezone.now(),
    )


def _greeting_name(invitation: Invitation) -> str:
    return invitation.employer.name if invitation.employer else invitation.candidate.first_name


def _when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")


def _mail(
    invitation: Invitation,
    subject: str,
    body: str,
    *,
    key: str,
    purpose: str,
    ics: str | None = None,
) -> None:
    """Queue the e-mail in the outbox: it goes out when the caller's transaction commits,
    once per ``key``."""
    message = EmailMessage(subject=subject, body=body, to=[invitation.email])
    if ics is not None:
        message.attach("uitnodiging.ics", ics, "text/calendar")
    outbox.queue(message, key=key, purpose=purpose)


def _send(meeting: Meeting, invitation: Invitation, token: str, answer_url: str) -> None:
    if not invitation.email:
        return
    who = _greeting_name(invitation)
    body = _(
        "Hello %(who)s,\n\nYou are invited to %(title)s on %(when)s at %(where)s. Employers "
        "and candidates meet informally at tables; no CV needed.\n\nPlease let us know whether "
        "you can come: %(link)s\n\nKind regards,\nWerkbrug"
    ) % {
        "who": who,
        "title": meeting.title,
        "when": _when(meeting),
        "where": meeting.location,
        "link": answer_url.replace("TOKEN", token),
    }
    _mail(
        invitation,
        _("Invitation: %(title)s") % {"title": meeting.title},
        body,
        # A resent link is a new link version, so a new message.
        key=f"meeting-invitation:{invitation.uuid}:{invitation.link_version}",
        purpose="meeting.invitation",
        ics=meeting_ics(meeting),
    )


@transaction.atomic
def invite(
    *,
    actor: access.Actor,
    meeting: Meeting,
    employers: Iterable[Employer] = (),
    candidates: Iterable[Candidate] = (),
    answer_url: str,
) -> list[Invitation]:
    """Invite employers and candidates; each gets an e-mail with a personal answer link and
    the meeting as a calendar file. ``answer_url`` contains ``TOKEN`` where the token goes.
    Someone invited before is not invited twice."""
    _require(actor, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"status": _("This meeting has been cancelled.")})
    visible = access.scoped(Candidate, actor)
    expires = meeting.starts_at + dt.timedelta(days=1)
    made = []
    for employer in employers:
        if employer.region_id != meeting.region_id:
            raise ValidationError(
                {"employers": _("%(name)s is not in this region.") % {"name": employer}}
            )
        if meeting.invitations.filter(employer=employer).exists():
            continue
        made.append(("employer", employer, contact_email(employer)))
    for candidate in candidates:
        if not visible.filter(pk=candidate.pk).exists():
            raise PermissionDenied
        if meeting.invitations.filter(candidate=candidate).exists():
            continue
        made.append(("candidate", candidate, candidate.email))
    out = []
    for kind, who, email in made:
        invitation = Invitation(
            meeting=meeting,
            employer=who if kind == "employer" else None,
            candidate=who if kind == "candidate" else None,
            email=email,
            token_expires_at=expires,
            sent_at=timezone.now() if email else None,
        )
        _new_link(invitation)
        invitation.save()
        _send(meeting, invitation, answer_token(invitation), answer_url)
        out.append(invitation)
    if out and meeting.status == MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.INVITED
        meeting.save()
    return out


def invitation_for_token(token: str) -> Invitation:
    """The invitation a personal link belongs to; a clear error when it is unknown, expired
    or the meeting was cancelled (the same message for unknown and guessed tokens)."""
    invitation = (
        Invitation.objects.select_related("meeting", "employer", "candidate")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This link is not valid. Ask your contact person for a new one."))
    if (
        invitation.token_expires_at < timezone.now()
        or invitation.meeting.status == MeetingStatus.HELD
    ):
        raise ValidationError(_("This link has expired: the meeting is over."))
    if invitation.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled."))
    return invitation


@transaction.atomic
def answer(*, token: str, coming: bool, wants_to_meet: Sequence[Employer] = ()) -> Invitation:
    """Yes or no through the personal link (no account needed)."""
    invitation = invitation_for_token(token)
    return _apply_answer(invitation, coming=coming, wants_to_meet=wants_to_meet)


@transaction.atomic
def record_answer(
    *,
    actor: access.Actor,
    invitation: Invitation,
    coming: bool,
    wants_to_meet: Sequence[Employer] | None = None,
) -> Invitation:
    """A staff member records the answer for someone (who called, or has no e-mail); the
    same rules as an answer through the link, and who recorded it is kept. The candidate's
    wishes whom to meet stay as they were unless ``wants_to_meet`` is given."""
    _require(actor, invitation.meeting)
    if not access.scoped(Invitation, actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    _still_open(invitation.meeting)
    return _apply_answer(
        invitation, coming=coming, wants_to_meet=wants_to_meet, recorded_by=actor.staff_id
    )


def _still_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"status": _("This meeting has been cancelled.")})
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError({"status": _("This meeting has already been held.")})


def _apply_answer(
    invitation: Invitation,
    *,
    coming: bool,
    wants_to_meet: Sequence[Employer] | None,
    recorded_by: int | None = None,
) -> Invitation:
    """A candidate who says yes when all seats are taken goes on the waiting list; a
    candidate who cancels frees a seat for the first one waiting."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    _still_open(meeting)  # as stored now, not as the caller read it
    was_coming = invitation.response == Response.YES
    if coming:
        if invitation.candidate_id and not was_coming:
            taken = meeting.invitations.filter(
                candidate__isnull=False, response=Response.YES
            ).count()
            if taken >= max_candidates(meeting):
                last = meeting.invitations.aggregate(m=Max("waitlist_position"))["m"] or 0
                invitation.response = Response.WAITING
                invitation.waitlist_position = invitation.waitlist_position or last + 1
            else:
                invitation.response = Response.YES
        else:
            invitation.response = Response.YES
    else:
        invitation.response = Response.NO
        invitation.waitlist_position = None
    invitation.responded_at = timezone.now()
    invitation.answer_recorded_by_id = recorded_by
    invitation.save()
    if invitation.candidate_id and wants_to_meet is not None:
        allowed = meeting.invitations.filter(employer__isnull=False).values_list(
            "employer_id", flat=True
        )
        invitation.wants_to_meet.set([e for e in wants_to_meet if e.pk in set(allowed)])
    if not coming and was_coming and invitation.candidate_id:
        _fill_from_waiting_list(meeting)
    return invitation


@transaction.atomic
def resend_link(*, actor: access.Actor, invitation: Invitation, answer_url: str) -> Invitation:
    """Mail the invitation again with a new answer link; the old link stops working (for
    someone who lost the mail, or whose address was wrong: the current address of the
    candidate or the employer's contact person is used)."""
    _require(actor, invitation.meeting)
    if not access.scoped(Invitation, actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    meeting = invitation.meeting
    _still_open(meeting)
    if invitation.token_expires_at < timezone.now():
        raise ValidationError({"status": _("This link has expired: the meeting is over.")})
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.email = _current_email(invitation) or invitation.email
    if not invitation.email:
        raise ValidationError(
            {"email": _("No e-mail address is known for %(name)s.") % {"name": invitation}}
        )
    invitation.link_version += 1
    _new_link(invitation)
    invitation.sent_at = timezone.now()
    invitation.save()
    _send(meeting, invitation, answer_token(invitation), answer_url)
    return invitation


def _current_email(invitation: Invitation) -> str:
    """The address to use now: the candidate's, or the employer's first active contact's."""
    if invitation.candidate_id:
        return Candidate.objects.values_list("email", flat=True).get(pk=invitation.candidate_id)
    return contact_email(invitation.employer)


def contact_email(employer: Employer) -> str:
    """Where an employer's invitation goes: the first active contact person with an address
    (the primary one first)."""
    contact = (
        employer.contact_persons.filter(active=True)
        .exclude(email="")
        .order_by("-is_primary", "id")
        .first()
    )
    return contact.email if contact else ""


def send_reminders(*, answer_url: str, now: dt.datetime | None = None) -> int:
    """Remind everyone with an e-mail address of a meeting in the coming ``REMINDER_DAYS``
    days, once: those who said yes (with the link to cancel, so the waiting list can move
    up) and those who have not answered yet. The link is the one they already had."""
    now = now or timezone.now()
    due = (
        Invitation.objects.filter(
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=now + dt.timedelta(days=REMINDER_DAYS),
            meeting__status__in=[
                MeetingStatus.DRAFT,
                MeetingStatus.INVITED,
                MeetingStatus.PLANNED,
            ],
            response__in=[Response.YES, Response.OPEN],
            reminded_at__isnull=True,
        )
        .exclude(email="")
        .select_related("meeting", "employer", "candidate")
    )
    sent = 0
    for invitation in due:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.reminded_at is not None:
                continue  # another run got there first
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at"])
            _send_reminder(invitation, answer_url.replace("TOKEN", answer_token(invitation)))
        sent += 1
    return sent


def _send_reminder(invitation: Invitation, link: str) -> None:
    meeting = invitation.meeting
    values = {
        "who": _greeting_name(invitation),
        "title": meeting.title,
        "when": _when(meeting),
        "where": meeting.location,
        "link": link,
    }
    if invitation.response == Response.YES:
        subject = _("See you soon: %(title)s") % values
        body = (
            _(
                "Hello %(who)s,\n\nA reminder: %(title)s is on %(when)s at %(where)s. We look "
                "forward to seeing you.\n\nCan you not come after all? Let us know through your "
                "link, so someone else can take your seat: %(link)s\n\nKind regards,\nWerkbrug"
            )
            % values
        )
    else:
        subject = _("Are you coming? %(title)s") % values
        body = (
            _(
                "Hello %(who)s,\n\nWe have not heard from you yet. %(title)s is on %(when)s at "
                "%(where)s. Please let us know whether you can come: %(link)s\n\nKind regards,"
                "\nWerkbrug"
            )
            % values
        )
    _mail(
        invitation,
        subject,
        body,
        key=f"meeting-reminder:{invitation.uuid}",
        purpose="meeting.reminder",
        ics=meeting_ics(meeting),
    )


def _fill_from_waiting_list(meeting: Meeting) -> Invitation | None:
    first = (
        meeting.invitations.filter(response=Response.WAITING)
        .order_by("waitlist_position", "id")
        .first()
    )
    if first is None:
        return None
    first.response, first.waitlist_position = Response.YES, None
    first.save()
    if first.email:
        # Once per time on the waiting list: the answer that put them there is the moment.
        since = first.responded_at.isoformat() if first.responded_at else ""
        _mail(
            first,
            _("A seat for you: %(title)s") % {"title": meeting.title},
            _("Good news: a seat came free at %(title)s. We count on you. Kind regards, Werkbrug")
            % {"title": meeting.title},
            key=f"meeting-seat:{first.uuid}:{since}",
            purpose="meeting.seat",
        )
    return first


@transaction.atomic
def set_table_capacity(
    *, actor: access.Actor, invitation: Invitation, capacity: int | None
) -> Invitation:
    """How many candidates an employer's table takes per round (empty: the meeting's number).
    More seats let candidates on the waiting list move up."""
    _require(actor, invitation.meeting)
    if not access.scoped(Invitation, actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied
    _still_open(invitation.meeting)
    if invitation.employer_id is None:
        raise ValidationError({"table_capacity": _("Only an employer has a table.")})
    if capacity is not None and not 1 <= capacity <= 50:
        raise ValidationError(
            {"table_capacity": _("A table takes between 1 and 50 candidates per round.")}
        )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
    invitation.table_capacity = capacity
    invitation.save()
    coming = meeting.invitations.filter(candidate__isnull=False, response=Response.YES).count()
    for _seat in range(max(0, max_candidates(meeting) - coming)):
        if _fill_from_waiting_list(meeting) is None:
            break
    return invitation


@transaction.atomic
def cancel_meeting(*, actor: access.Actor, meeting: Meeting, reason: str) -> Meeting:
    """Call a meeting off: everyone invited who did not decline gets an e-mail (with the
    calendar file that removes it), and the answer links stop working."""
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"cancel_reason": _("Say why the meeting is called off.")})
    _still_open(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason[:300]
    # A new version: the cancelling calendar file must outrank the invitation's (SEQUENCE),
    # and an edit form still open elsewhere is refused as stale.
    meeting.version += 1
    meeting.save()
    told = meeting.invitations.exclude(response=Response.NO).exclude(email="")
    for invitation in told.select_related("employer", "candidate"):
        values = {
            "who": _greeting_name(invitation),
            "title": meeting.title,
            "when": _when(meeting),
            "reason": meeting.cancel_reason,
        }
        subject = _("Cancelled: %(title)s") % values
        body = (
            _(
                "Hello %(who)s,\n\nUnfortunately %(title)s on %(when)s does not go ahead: "
                "%(reason)s\n\nWe will let you know when there is a new date.\n\nKind regards,"
                "\nWerkbrug"
            )
            % values
        )
        _mail(
            invitation,
            subject,
            body,
            key=f"meeting-cancelled:{invitation.uuid}",
            purpose="meeting.cancelled",
            ics=meeting_ics(meeting),
        )
    return meeting


@transaction.atomic
def mark_held(*, actor: access.Actor, meeting: Meeting) -> Meeting:
    """The meeting took place. Conversations without an outcome count as held unless the
    candidate or the employer was checked in as absent."""
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _still_open(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError({"status": _("The meeting has not started yet.")})
    absent = meeting.invitations.filter(present=False)
    away_candidates = set(absent.values_list("candidate_id", flat=True))
    away_employers = set(absent.values_list("employer_id", flat=True))
    for conversation in meeting.conversations.filter(held__isnull=True):
        conversation.held = not (
            conversation.candidate_id in away_candidates
            or conversation.employer_id in away_employers
        )
        conversation.save(update_fields=["held"])
    meeting.status = MeetingStatus.HELD
    meeting.save()
    return meeting


# --- The table plan -------------------------------------------------------------------------


def _fits(meeting: Meeting, employers: list[int], candidates: list[int]) -> dict:
    """Matching score of each candidate with each employer (their best work for this meeting:
    linked work, else open work; else the employer as a place to ask for work), plus the
    bonus of a stated wish."""
    region_index = index.for_region(meeting.region_id)
    work: dict[int, list[engine.OpportunityFacts]] = {e: [] for e in employers}
    for employer_id, opportunities in work_of(meeting, employers).items():
        for o in opportunities:
            work[employer_id].append(
                region_index.opportunities.get(o.pk) or matching_selectors.opportunity_facts_for(o)
            )
    for employer_id, found in work.items():
        if not found and employer_id in region_index.employers:
            found.append(region_index.employers[employer_id])
    wishes = set(
        Invitation.wants_to_meet.through.objects.filter(
            invitation__meeting=meeting, invitation__candidate_id__in=candidates
        ).values_list("invitation__candidate_id", "employer_id")
    )
    fit = {}
    for c in Candidate.objects.filter(pk__in=candidates):
        me = matching_selectors.candidate_facts_for(c)
        for e in employers:
            scores = [s.score for f in work[e] if (s := region_index.score(me, f))]
            fit[(c.pk, e)] = max(scores, default=0.0) + (WISH_BONUS if (c.pk, e) in wishes else 0)
    return fit


@transaction.atomic
def make_plan(*, actor: access.Actor, meeting: Meeting, from_round: int = 1) -> planner.Plan:
    """(Re)plan the rounds from ``from_round`` on, with who is coming (or, on the day, who
    checked in). Conversations of earlier rounds stay, their pairs do not meet again, and
    pairs the organiser pinned stay together."""
    _require(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not 1 <= from_round <= meeting.rounds:
        raise ValidationError({"from_round": _("That round does not exist.")})
    invitations = list(meeting.invitations.all())

    def coming(i: Invitation) -> bool:
        return i.present is True or (i.present is None and i.response == Response.YES)

    employers = [i.employer_id for i in invitations if i.employer_id and coming(i)]
    candidates = [i.candidate_id for i in invitations if i.candidate_id and coming(i)]
    capacity = {
        i.employer_id: i.table_capacity or meeting.table_capacity
        for i in invitations
        if i.employer_id
    }
    earlier = list(meeting.conversations.filter(round__lt=from_round))
    later = meeting.conversations.filter(round__gte=from_round)
    if later.filter(recorded_at__isnull=False).exists():
        raise ValidationError(
            {"from_round": _("Outcomes were recorded in these rounds: plan from a later round.")}
        )
    # A conversation the organiser fixed (by moving it) keeps its table and its round.
    pinned_rounds = {
        (c.candidate_id, c.employer_id): c.round - from_round
        for c in later.filter(pinned=True)
        if c.candidate_id in candidates and c.employer_id in employers
    }
    pinned = list(pinned_rounds)
    already = {(c.candidate_id, c.employer_id) for c in earlier}
    held = {}
    for c in earlier:
        held[c.candidate_id] = held.get(c.candidate_id, 0) + 1
    rounds = meeting.rounds - from_round + 1
    data = planner.PlanInput(
        employers=employers,
        candidates=candidates,
        rounds=rounds,
        capacity=capacity,
        fit=_fits(meeting, employers, candidates),
        # Whoever had the fewest conversations so far sets how many are still owed.
        min_conversations=max(
            0, meeting.min_conversations - min((held.get(c, 0) for c in candidates), default=0)
        ),
        pinned_rounds=pinned_rounds,
        forbidden=frozenset(already),
        time_limit=5.0,
    )
    try:
        plan = planner.plan(data)
    except planner.PlanError as exc:
        raise ValidationError({"plan": str(exc)}) from exc
    # Keep the conversations that stay (same candidate and employer): their identity, notes
    # and links survive a re-plan; only their round changes.
    pins = set(pinned)
    kept = {(c.candidate_id, c.employer_id): c for c in later}
    chosen = {(seat.candidate, seat.employer): seat for seat in plan.seats}
    Conversation.objects.filter(
        pk__in=[c.pk for pair, c in kept.items() if pair not in chosen]
    ).delete()
    moving = [c for pair, c in kept.items() if pair in chosen]
    # Two steps, so that the one-table-a-round rule holds between updates.
    for parked, conversation in enumerate(moving, start=1000):
        conversation.round = parked
        conversation.save(update_fields=["round"])
    for conversation in moving:
        pair = (conversation.candidate_id, conversation.employer_id)
        conversation.round = chosen[pair].round + from_round
        conversation.pinned = pair in pins
        conversation.fit = data.fit.get(pair)
        conversation.save()
    Conversation.objects.bulk_create(
        Conversation(
            meeting=meeting,
            round=seat.round + from_round,
            employer_id=seat.employer,
            candidate_id=seat.candidate,
            pinned=(seat.candidate, seat.employer) in pins,
            fit=data.fit.get((seat.candidate, seat.employer)),
        )
        for pair, seat in chosen.items()
        if pair not in kept
    )
    meeting.plan_method, meeting.plan_seconds = plan.method, plan.seconds
    meeting.plan_objective, meeting.plan_bound = plan.fit, plan.fit_bound
    meeting.planned_at = timezone.now()
    if meeting.status in (MeetingStatus.DRAFT, MeetingStatus.INVITED):
        meeting.status = MeetingStatus.PLANNED
    meeting.save()
    return plan


@transaction.atomic
def move(
    *,
    actor: access.Actor,
    conversation: Conversation,
    round_: int,
    employer_id: int,
    pin: bool = True,
) -> Conversation:
    """Move a candidate by hand to another table or round; the plan is checked again and the
    move refused (with the reason) when it breaks a rule. A moved pair is pinned."""
    _require(actor, conversation.meeting)
    meeting = conversation.meeting
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    conversation.round, conversation.employer_id, conversation.pinned = round_, employer_id, pin
    rest = [c for c in meeting.conversations.exclude(pk=conversation.pk)] + [conversation]
    # Only the tables of employers who did not decline.
    capacity = {
        i.employer_id: i.table_capacity or meeting.table_capacity
        for i in meeting.invitations.filter(employer__isnull=False).exclude(response=Response.NO)
    }
    data = planner.PlanInput(
        employers=list(capacity),
        candidates=list({c.candidate_id for c in rest}),
        rounds=meeting.rounds,
        capacity=capacity,
    )
    problems = planner.validate(
        data, [planner.Seat(c.round - 1, c.employer_id, c.candidate_id) for c in rest]
    )
    if problems:
        raise ValidationError({"plan": problems})
    conversation.save()
    return conversation


@transaction.atomic
def check_in(*, actor: access.Actor, invitation: Invitation, present: bool) -> Invitation:
    """Arrived or absent, on the day (on a phone)."""
    _require(actor, invitation.meeting, "meetings.view")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.present = present
    invitation.checked_in_at = timezone.now()
    invitation.save()
    return invitation


#: Follow-ups that put the candidate in the pipeline of the employer's work.
PIPELINE_FOLLOW_UPS = frozenset(
    {
        FollowUp.INTRODUCTION,
        FollowUp.TRIAL,
        FollowUp.WORK_EXPERIENCE,
        FollowUp.APPLICATION,
        FollowUp.JOB_OFFER,
    }
)


@transaction.atomic
def record_outcome(
    *,
    actor: access.Actor,
    conversation: Conversation,
    outcome: str,
    follow_up: str,
    note: str = "",
    due_in_days: int = 5,
) -> Conversation:
    """How a conversation went. A follow-up becomes a task for whoever handles the employer
    (the relationship manager, or their substitute while they are away). A click with a
    follow-up puts the candidate in the pipeline of the employer's best-fitting work at this
    meeting (matching.services.met_at_meeting), where the later outcome is recorded."""
    _require(actor, conversation.meeting, "meetings.view")
    if not access.scoped(Conversation, actor).filter(pk=conversation.pk).exists():
        raise PermissionDenied
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    meeting = conversation.meeting
    if outcome not in ("klik", "geen_klik"):
        raise ValidationError({"outcome": _("Choose click or no click.")})
    if follow_up not in FollowUp.values:
        raise ValidationError({"follow_up": _("Choose the follow-up.")})
    conversation.held = True
    conversation.outcome, conversation.follow_up = outcome, follow_up
    conversation.note = note.strip()[:500]
    conversation.recorded_at = timezone.now()
    employer = Employer.objects.select_related("owner", "substitute").get(
        pk=conversation.employer_id
    )
    today = timezone.localdate()
    if follow_up != FollowUp.NOTHING and conversation.action_id is None:
        conversation.action = Action.objects.create(
            employer=employer,
            # No name in the title: tasks are seen by colleagues who may not know who it is;
            # the meeting page (through the scope rule) says who.
            title=(
                _("%(follow_up)s after %(meeting)s (round %(round)s)")
                % {
                    "follow_up": FollowUp(follow_up).label,
                    "meeting": meeting.title,
                    "round": conversation.round,
                }
            )[:200],
            owner=employer_services.handler_for(employer, on=today),
            due_on=today + dt.timedelta(days=due_in_days),
        )
    if outcome == "klik" and follow_up in PIPELINE_FOLLOW_UPS:
        opportunity = _best_work(meeting, employer.pk, conversation.candidate)
        if opportunity is not None:
            start, _end = meeting.round_times(conversation.round)
            conversation.shortlist_entry = matching_services.met_at_meeting(
                actor=actor,
                opportunity=opportunity,
                candidate=conversation.candidate,
                at=start,
                place=meeting.location,
            )
    conversation.save()
    return conversation


def _best_work(meeting: Meeting, employer_id: int, candidate: Candidate) -> WorkOpportunity | None:
    """Of the employer's open work at this meeting (and there on the day: opened by then),
    the one that fits the candidate best."""
    day = timezone.localdate(meeting.starts_at)
    work = [
        o
        for o in work_of(meeting, [employer_id]).get(employer_id, [])
        if o.status in matching_facts.OPEN_STATUSES and o.opened_on <= day
    ]
    if len(work) <= 1:
        return work[0] if work else None
    region_index = index.for_region(meeting.region_id)
    me = matching_selectors.candidate_facts_for(candidate)

    def score(o: WorkOpportunity) -> float:
        found = region_index.score(me, matching_selectors.opportunity_facts_for(o))
        return found.score if found else 0.0

    return max(work, key=lambda o: (score(o), -o.pk))


@transaction.atomic
def save_meeting(
    *,
    actor: access.Actor,
    meeting: Meeting,
    organisers: Iterable = (),
    opportunities: Iterable = (),
    expected_version: int | None = None,
) -> Meeting:
    """Create or change a meeting (in the actor's region)."""
    from werkbrug.core.concurrency import lock_current

    access.require(actor, "meetings.organise")
    if meeting.pk is None:
        if actor.region_id is None:
            raise PermissionDenied
        meeting.region_id = actor.region_id
    else:
        _require(actor, meeting)
        lock_current(meeting, expected_version)
    if meeting.host_employer_id and meeting.host_employer.region_id != meeting.region_id:
        raise ValidationError({"host_employer": _("This employer is not in your region.")})
    meeting.full_clean()
    meeting.save()
    staff = list(organisers)
    if staff:
        meeting.organisers.set(staff)
    elif actor.staff_id and not meeting.organisers.exists():
        meeting.organisers.add(actor.staff_id)
    work = [o for o in opportunities if o.employer.region_id == meeting.region_id]
    meeting.opportunities.set(work)
    return meeting
