"""The shortlist workflow: people decide, Werkbrug records.

shortlist → proposed to the employer as an anonymous profile → consent to share the name
asked → name shared (consent in force) → introduction planned → introduction held, with its
outcome. Any step may end in "no longer in the running". Each step a candidate reaches is
stored as a ``MatchEvent`` for the fairness report.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.candidates import services as candidate_services
from werkbrug.candidates.models import Candidate, Consent, ConsentChannel, ConsentScope
from werkbrug.core import access, outbox
from werkbrug.core.concurrency import lock_current
from werkbrug.core.roles import Role
from werkbrug.employers import services as employer_services
from werkbrug.employers.models import OpportunityStatus, WorkOpportunity
from werkbrug.matching import facts, index, selectors
from werkbrug.matching.models import (
    IntroductionOutcome,
    MatchEvent,
    MatchEventKind,
    ShortlistEntry,
    ShortlistStatus,
)
from werkbrug.matching.profiles import anonymous_profile

S = ShortlistStatus
#: From which statuses each step may be taken; pages offer exactly these.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "propose": (S.SHORTLISTED,),
    "request_consent": (S.PROPOSED,),
    "record_consent": (S.PROPOSED, S.CONSENT_REQUESTED),
    "answer_consent_request": (S.CONSENT_REQUESTED,),
    "employer_response": (S.PROPOSED, S.CONSENT_REQUESTED, S.IDENTITY_SHARED),
    "plan_introduction": (S.PROPOSED, S.CONSENT_REQUESTED, S.IDENTITY_SHARED, S.INTRODUCTION),
    "record_outcome": (S.INTRODUCTION,),
    "withdraw": (S.SHORTLISTED, S.PROPOSED, S.CONSENT_REQUESTED, S.IDENTITY_SHARED, S.INTRODUCTION),
}


def _require_staff(actor: access.Actor, opportunity: WorkOpportunity) -> None:
    access.require(actor, "matching.shortlist")
    if not access.scoped(WorkOpportunity, actor).filter(pk=opportunity.pk).exists():
        raise PermissionDenied


def _require_entry(actor: access.Actor, entry: ShortlistEntry) -> ShortlistEntry:
    """The entry, locked, when the staff member may work on it."""
    access.require(actor, "matching.shortlist")
    if not access.scoped(ShortlistEntry, actor).filter(pk=entry.pk).exists():
        raise PermissionDenied
    locked = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    return ShortlistEntry.objects.select_related("opportunity__employer", "candidate").get(
        pk=locked.pk
    )


def _event(kind: str, entry: ShortlistEntry) -> None:
    MatchEvent.objects.bulk_create(
        [
            MatchEvent(
                kind=kind,
                region_id=entry.opportunity.employer.region_id,
                opportunity=entry.opportunity,
                candidate=entry.candidate,
                on=timezone.localdate(),
            )
        ],
        ignore_conflicts=True,
    )


def _expect(entry: ShortlistEntry, step: str) -> None:
    if entry.status not in ALLOWED_FROM[step]:
        raise ValidationError(
            {
                "status": _("This step is not possible now: %(name)s is '%(status)s'.")
                % {"name": entry.label, "status": entry.get_status_display()}
            }
        )


def name_shared(entry: ShortlistEntry) -> bool:
    """The candidate's consent to share with this employer is in force (checked live)."""
    return Consent.objects.filter(
        candidate_id=entry.candidate_id,
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        employer_id=entry.opportunity.employer_id,
        withdrawn_at__isnull=True,
    ).exists()


def _move_opportunity(actor: access.Actor, opportunity: WorkOpportunity, to: str) -> None:
    """Advance the opportunity's pipeline when the shortlist gets ahead of it (never back)."""
    order = [OpportunityStatus.OPEN, OpportunityStatus.PROPOSED, OpportunityStatus.INTRODUCTION]
    current = WorkOpportunity.objects.values_list("status", flat=True).get(pk=opportunity.pk)
    if current in order and order.index(current) < order.index(to):
        employer_services.change_status(actor=actor, opportunity=opportunity, to_status=to)


@transaction.atomic
def add_to_shortlist(
    *, actor: access.Actor, opportunity: WorkOpportunity, candidate: Candidate
) -> ShortlistEntry:
    """Put a candidate the actor may see on the opportunity's shortlist, with the score and
    explanation of that moment."""
    _require_staff(actor, opportunity)
    if not access.scoped(Candidate, actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied
    if opportunity.status not in facts.OPEN_STATUSES:
        raise ValidationError({"opportunity": _("This work opportunity is no longer open.")})
    existing = ShortlistEntry.objects.filter(opportunity=opportunity, candidate=candidate).first()
    if existing is not None:
        if existing.status != S.WITHDRAWN:
            return existing
        _reopen(existing, actor)
        _event(MatchEventKind.SHORTLISTED, existing)
        return existing
    entry = _new_entry(actor, opportunity, candidate)
    _event(MatchEventKind.SHORTLISTED, entry)
    return entry


def _reopen(existing: ShortlistEntry, actor: access.Actor) -> None:
    """A fresh round for a withdrawn entry: what happened before stays in the change log."""
    existing.status, existing.withdrawn_reason = S.SHORTLISTED, ""
    existing.profile, existing.proposed_at = {}, None
    existing.employer_interest, existing.employer_note = None, ""
    existing.employer_responded_at = existing.consent_requested_at = None
    existing.identity_shared_at = existing.introduction_at = None
    existing.introduction_place = ""
    existing.added_by_id = actor.staff_id
    existing.save()


def _new_entry(
    actor: access.Actor, opportunity: WorkOpportunity, candidate: Candidate
) -> ShortlistEntry:
    """A new entry with the next number, the score and the explanation of this moment."""
    opp = selectors.opportunity_facts_for(opportunity)
    me = selectors.candidate_facts_for(candidate)
    region_index = index.for_region(opportunity.employer.region_id)
    s = region_index.score(me, opp)
    explanation = ""
    if s is not None:
        explanation = selectors.explain(s, facts.skill_labels(opp.tasks), opp).explanation
    WorkOpportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
    number = (
        ShortlistEntry.objects.filter(opportunity=opportunity).aggregate(m=Max("number"))["m"] or 0
    ) + 1
    try:
        with transaction.atomic():
            return ShortlistEntry.objects.create(
                opportunity=opportunity,
                candidate=candidate,
                number=number,
                added_by_id=actor.staff_id,
                score=s.score if s else None,
                explanation=explanation[:500],
            )
    except IntegrityError as exc:  # added at the same moment by someone else
        raise ValidationError(
            {"candidate": _("This candidate is already on the shortlist.")}
        ) from exc


@transaction.atomic
def met_at_meeting(
    *,
    actor: access.Actor,
    opportunity: WorkOpportunity,
    candidate: Candidate,
    at: dt.datetime,
    place: str,
) -> ShortlistEntry | None:
    """A click at a prettig gesprek with a follow-up puts the candidate in this work's
    pipeline at "introduction": they have met in person, at a meeting the candidate chose
    to attend. The employer's portal shows the anonymous profile (frozen now) until the
    consent to share the name is in force, as always. The outcome is then recorded as for
    any introduction. An entry further along (an outcome recorded) is left as it is.
    ``None`` when the work is no longer open."""
    access.require(actor, "meetings.view")
    if not access.scoped(Candidate, actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied
    if opportunity.status not in facts.OPEN_STATUSES:
        return None
    entry = (
        ShortlistEntry.objects.select_for_update()
        .filter(opportunity=opportunity, candidate=candidate)
        .first()
    )
    if entry is not None and entry.status in (S.INTRODUCTION, S.FINISHED):
        return entry
    if entry is None:
        entry = _new_entry(actor, opportunity, candidate)
        _event(MatchEventKind.SHORTLISTED, entry)
    elif entry.status == S.WITHDRAWN:
        _reopen(entry, actor)
        _event(MatchEventKind.SHORTLISTED, entry)
    entry = ShortlistEntry.objects.select_related("opportunity__employer", "candidate").get(
        pk=entry.pk
    )
    if not entry.proposed_at:
        opp = selectors.opportunity_facts_for(opportunity)
        me = selectors.candidate_facts_for(candidate)
        s = index.for_region(opportunity.employer.region_id).score(me, opp)
        entry.profile = anonymous_profile(candidate, s, opp)
        entry.proposed_at = timezone.now()
        _event(MatchEventKind.PROPOSED, entry)
    entry.status = S.INTRODUCTION
    entry.introduction_at, entry.introduction_place = at, place.strip()[:200]
    entry.save()
    if access.can(actor, "matching.shortlist"):
        _move_opportunity(actor, opportunity, OpportunityStatus.PROPOSED)
        _move_opportunity(actor, opportunity, OpportunityStatus.INTRODUCTION)
    return entry


@transaction.atomic
def propose(
    *, actor: access.Actor, entry: ShortlistEntry, expected_version: int | None = None
) -> ShortlistEntry:
    """Show the candidate to the employer as an anonymous profile (frozen now)."""
    entry = _require_entry(actor, entry)
    lock_current(entry, expected_version)
    _expect(entry, "propose")
    opp = selectors.opportunity_facts_for(entry.opportunity)
    me = selectors.candidate_facts_for(entry.candidate)
    s = index.for_region(entry.opportunity.employer.region_id).score(me, opp)
    entry.profile = anonymous_profile(entry.candidate, s, opp)
    entry.status = S.PROPOSED
    entry.proposed_at = timezone.now()
    entry.save()
    _event(MatchEventKind.PROPOSED, entry)
    _move_opportunity(actor, entry.opportunity, OpportunityStatus.PROPOSED)
    return entry


@transaction.atomic
def request_consent(*, actor: access.Actor, entry: ShortlistEntry) -> ShortlistEntry:
    """Ask the candidate whether their name may be shared with the employer. They answer in
    their portal (and get an e-mail), or tell their consultant, who records it."""
    entry = _require_entry(actor, entry)
    _expect(entry, "request_consent")
    if name_shared(entry):
        entry.status, entry.identity_shared_at = S.IDENTITY_SHARED, timezone.now()
        entry.save()
        return entry
    entry.status, entry.consent_requested_at = S.CONSENT_REQUESTED, timezone.now()
    entry.save()
    candidate = entry.candidate
    if candidate.email:
        message = EmailMessage(
            subject=_("Question about sharing your name"),
            body=_(
                "Hello %(name)s,\n\n%(employer)s may have work for you (%(work)s). May we tell "
                "them your name so that you can meet? Answer in Werkbrug under 'Consent', "
                "or tell your consultant.\n\nKind regards,\nWerkbrug"
            )
            % {
                "name": candidate.first_name,
                "employer": entry.opportunity.employer.name,
                "work": entry.opportunity.title,
            },
            to=[candidate.email],
        )
        asked = entry.consent_requested_at.isoformat()
        outbox.queue(
            message, key=f"consent-request:{entry.uuid}:{asked}", purpose="matching.consent"
        )
    return entry


def _identity_shared(entry: ShortlistEntry) -> None:
    entry.status, entry.identity_shared_at = S.IDENTITY_SHARED, timezone.now()
    entry.save()


@transaction.atomic
def record_consent(
    *, actor: access.Actor, entry: ShortlistEntry, via: str = ConsentChannel.PHONE
) -> ShortlistEntry:
    """The consultant records that the candidate agreed (in person, by phone, on paper)."""
    entry = _require_entry(actor, entry)
    _expect(entry, "record_consent")
    candidate_services.grant_consent(
        entry.candidate,
        actor=actor,
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        via=via,
        employer=entry.opportunity.employer,
    )
    _identity_shared(entry)
    return entry


@transaction.atomic
def answer_consent_request(
    *, actor: access.Actor, entry: ShortlistEntry, agree: bool
) -> ShortlistEntry:
    """The candidate answers in their portal."""
    entry = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    entry = ShortlistEntry.objects.select_related("opportunity__employer", "candidate").get(
        pk=entry.pk
    )
    if not (actor.has_role(Role.CANDIDATE) and entry.candidate.user_id == actor.user_id):
        raise PermissionDenied
    _expect(entry, "answer_consent_request")
    if agree:
        candidate_services.grant_consent(
            entry.candidate,
            actor=actor,
            scope=ConsentScope.SHARE_WITH_EMPLOYER,
            via=ConsentChannel.PORTAL,
            employer=entry.opportunity.employer,
            asked_by_consultant=True,
        )
        _identity_shared(entry)
    else:
        entry.status = S.WITHDRAWN
        entry.withdrawn_reason = _("The candidate does not want their name shared.")
        entry.save()
    return entry


def own_entry(actor: access.Actor, uuid: object) -> ShortlistEntry | None:
    """A shortlist entry about the logged-in candidate themselves (candidate portal)."""
    if not actor.has_role(Role.CANDIDATE):
        return None
    try:
        return (
            ShortlistEntry.objects.select_related("opportunity__employer")
            .filter(candidate__user_id=actor.user_id, uuid=uuid)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def consent_requests_for(actor: access.Actor) -> list[ShortlistEntry]:
    """Open requests to share the candidate's own name (candidate portal)."""
    if not actor.has_role(Role.CANDIDATE):
        return []
    return list(
        ShortlistEntry.objects.filter(
            candidate__user_id=actor.user_id, status=S.CONSENT_REQUESTED
        ).select_related("opportunity__employer")
    )


@transaction.atomic
def employer_response(
    *, actor: access.Actor, entry: ShortlistEntry, interested: bool, note: str = ""
) -> ShortlistEntry:
    """The employer says, in their portal, whether they would like to meet this person."""
    if not access.scoped(ShortlistEntry, actor).filter(pk=entry.pk).exists() or not access.can(
        actor, "portal.employer"
    ):
        raise PermissionDenied
    entry = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    _expect(entry, "employer_response")
    entry.employer_interest = interested
    entry.employer_note = note.strip()[:500]
    entry.employer_responded_at = timezone.now()
    entry.save()
    return entry


@transaction.atomic
def plan_introduction(
    *, actor: access.Actor, entry: ShortlistEntry, at: dt.datetime, place: str
) -> ShortlistEntry:
    """Plan the introduction (kennismaking). The employer will know who is coming, so the
    candidate's consent to share their name must be in force."""
    entry = _require_entry(actor, entry)
    _expect(entry, "plan_introduction")
    if not name_shared(entry):
        raise ValidationError(
            {
                "status": _(
                    "First ask the candidate's consent to share their name with the employer."
                )
            }
        )
    if not place.strip():
        raise ValidationError({"place": _("Say where the introduction takes place.")})
    entry.status = S.INTRODUCTION
    entry.introduction_at, entry.introduction_place = at, place.strip()[:200]
    entry.save()
    _move_opportunity(actor, entry.opportunity, OpportunityStatus.INTRODUCTION)
    return entry


@transaction.atomic
def record_outcome(
    *, actor: access.Actor, entry: ShortlistEntry, outcome: str, note: str = ""
) -> ShortlistEntry:
    """Record how the introduction went."""
    entry = _require_entry(actor, entry)
    _expect(entry, "record_outcome")
    if outcome not in IntroductionOutcome.values:
        raise ValidationError({"outcome": _("Choose how the introduction went.")})
    entry.status, entry.outcome, entry.outcome_at = S.FINISHED, outcome, timezone.now()
    entry.outcome_note = note.strip()[:500]
    entry.save()
    if outcome != IntroductionOutcome.NO_SHOW:
        _event(MatchEventKind.INTRODUCED, entry)
    if outcome == IntroductionOutcome.HIRED:
        _event(MatchEventKind.HIRED, entry)
    return entry


@transaction.atomic
def withdraw(*, actor: access.Actor, entry: ShortlistEntry, reason: str) -> ShortlistEntry:
    """Take the candidate off the shortlist (the history stays)."""
    entry = _require_entry(actor, entry)
    _expect(entry, "withdraw")
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    entry.status, entry.withdrawn_reason = S.WITHDRAWN, reason.strip()[:300]
    entry.save()
    return entry
