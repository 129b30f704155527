"""Demo data for matching: shortlists at every step of the workflow, and the history of
suggestions the fairness report counts.

For open and recently filled work opportunities of the demo relationship manager's region, the
real engine picks the candidates (``selectors.candidates_for_opportunity`` as the demo
``relatiemanager``: own municipality in full, the regional pool with consent), and the top
candidates the relationship manager sees in full are put on the shortlist with the score,
explanation and anonymous profile the services would store. What happened next follows the
opportunity's status: proposed to the employer, the name shared with consent, an introduction
planned or held with its outcome. Henk Willems' company (demo log-in ``werkgever``) has three
anonymous proposals to react to, and Anouk Bakker (demo log-in ``kandidaat``) a request to
share her name with him. Rows are written directly (no e-mails), dated in the past.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from werkbrug.accounts.models import User
from werkbrug.candidates.models import Candidate, Consent, ConsentChannel, ConsentScope
from werkbrug.core.access import actor_for
from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.employers.models import (
    OpportunityStatus,
    OpportunityStatusChange,
    WorkOpportunity,
)
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
PER_OPPORTUNITY = 3


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@seeder(order=50, name="matching")
def seed_matching(ctx: SeedContext) -> None:
    user = User.objects.filter(username="relatiemanager").select_related("staff").first()
    if user is None or not hasattr(user, "staff"):
        return
    actor = actor_for(user)
    staff = user.staff
    region_id = staff.organisation.region_id
    today = timezone.localdate()
    index.forget()
    werkgever = ctx.shared.get("werkgever_employer")
    open_work = list(
        WorkOpportunity.objects.filter(
            employer__region_id=region_id, status__in=facts.OPEN_STATUSES, skills__isnull=False
        )
        .distinct()
        .select_related("employer")
        .order_by("pk")
    )
    filled = list(
        WorkOpportunity.objects.filter(
            employer__region_id=region_id,
            status=OpportunityStatus.FILLED,
            skills__isnull=False,
            filled_on__gte=today - dt.timedelta(days=180),
        )
        .distinct()
        .select_related("employer")
        .order_by("pk")
    )
    limit = ctx.size(demo=60, region=200, national=200)
    ctx.rng.shuffle(open_work)
    ctx.rng.shuffle(filled)
    chosen = open_work[: limit * 2 // 3] + filled[: limit // 3]
    if werkgever is not None:
        chosen = [o for o in open_work if o.employer_id == werkgever.pk][:1] + [
            o for o in chosen if o.employer_id != werkgever.pk
        ]
    events: list[MatchEvent] = []
    consents: list[Consent] = []
    entries = 0
    for opportunity in chosen:
        start = opportunity.opened_on
        end = opportunity.filled_on or today
        span = max(0, (end - start).days)

        def day(lo: float, hi: float, start: dt.date = start, span: int = span) -> dt.date:
            return start + dt.timedelta(days=round(span * ctx.rng.uniform(lo, hi)))

        found = selectors.candidates_for_opportunity(actor, opportunity, k=20, record=False)
        for s in found:
            events.append(_event(MatchEventKind.SUGGESTED, opportunity, s.candidate, day(0, 0.2)))
            events[-1].rank = s.rank
        is_werkgever = werkgever is not None and opportunity.employer_id == werkgever.pk
        # Anouk (the demo candidate) gets her own step at the demo employer: a request.
        picks = [s for s in found if s.full_access and not (is_werkgever and s.candidate.user_id)][
            :PER_OPPORTUNITY
        ]
        opp_facts = selectors.opportunity_facts_for(opportunity)
        for number, s in enumerate(picks, start=1):
            plan = _plan(opportunity.status, number, is_werkgever)
            entry = ShortlistEntry(
                opportunity=opportunity,
                candidate=s.candidate,
                number=number,
                added_by=staff,
                score=s.suggestion.score,
                explanation=s.explanation[:500],
                created_at=_moment(day(0.1, 0.3)),
                status=plan["status"],
            )
            events.append(
                _event(MatchEventKind.SHORTLISTED, opportunity, s.candidate, day(0.2, 0.3))
            )
            if plan["proposed"]:
                entry.profile = anonymous_profile(s.candidate, s.suggestion, opp_facts)
                entry.proposed_at = _moment(day(0.3, 0.4), 14)
                events.append(
                    _event(
                        MatchEventKind.PROPOSED, opportunity, s.candidate, entry.proposed_at.date()
                    )
                )
                if plan.get("interest") is not None:
                    entry.employer_interest = plan["interest"]
                    entry.employer_responded_at = _moment(day(0.4, 0.5), 9)
            if plan.get("shared"):
                shared_on = day(0.5, 0.6)
                entry.identity_shared_at = _moment(shared_on, 11)
                consents.append(
                    Consent(
                        candidate=s.candidate,
                        scope=ConsentScope.SHARE_WITH_EMPLOYER,
                        employer=opportunity.employer,
                        granted_at=entry.identity_shared_at,
                        granted_by=user,
                        granted_via=ConsentChannel.PHONE,
                    )
                )
            if plan.get("introduction"):
                when = (
                    day(0.7, 0.8)
                    if opportunity.filled_on
                    else today + dt.timedelta(days=3 + number)
                )
                entry.introduction_at = _moment(when, 10)
                entry.introduction_place = (
                    f"{opportunity.employer.name}, {opportunity.employer.city}".strip(", ")
                )
            if plan.get("outcome"):
                entry.outcome = plan["outcome"]
                entry.outcome_at = _moment(day(0.8, 0.95), 16)
                if entry.outcome != IntroductionOutcome.NO_SHOW:
                    events.append(
                        _event(
                            MatchEventKind.INTRODUCED,
                            opportunity,
                            s.candidate,
                            entry.outcome_at.date(),
                        )
                    )
                if entry.outcome == IntroductionOutcome.HIRED:
                    events.append(
                        _event(
                            MatchEventKind.HIRED, opportunity, s.candidate, entry.outcome_at.date()
                        )
                    )
            if plan["status"] == S.WITHDRAWN:
                entry.withdrawn_reason = "Kandidaat koos voor een andere werkgever."
            entry.save()
            entries += 1
        if is_werkgever and picks:
            _mark_proposed(opportunity, user)
            _anouk_request(opportunity, staff, len(picks) + 1)
    in_force = set(
        Consent.objects.filter(
            scope=ConsentScope.SHARE_WITH_EMPLOYER, withdrawn_at__isnull=True
        ).values_list("candidate_id", "employer_id")
    )
    new = []
    for consent in consents:
        key = (consent.candidate_id, consent.employer_id)
        if key not in in_force:
            in_force.add(key)
            new.append(consent)
    Consent.objects.bulk_create(new)
    MatchEvent.objects.bulk_create(events, ignore_conflicts=True)
    index.forget()
    ctx.say(f"Matching: {entries} kandidaten op shortlists, {len(events)} gebeurtenissen.")


def _plan(status: str, number: int, is_werkgever: bool) -> dict[str, Any]:
    """What happened to the n-th shortlisted candidate, given the opportunity's status."""
    if is_werkgever:  # three fresh proposals for the demo employer to react to
        return {"status": S.PROPOSED, "proposed": True}
    if status == OpportunityStatus.OPEN:
        return {"status": S.SHORTLISTED, "proposed": False}
    if status == OpportunityStatus.PROPOSED:
        return {"status": S.PROPOSED, "proposed": True, "interest": True if number == 1 else None}
    if status == OpportunityStatus.INTRODUCTION:
        if number == 1:
            return {
                "status": S.INTRODUCTION,
                "proposed": True,
                "interest": True,
                "shared": True,
                "introduction": True,
            }
        return {"status": S.PROPOSED, "proposed": True, "interest": False if number == 3 else None}
    # Filled: one hired, one without a match, one who went elsewhere.
    if number == 1:
        outcome = IntroductionOutcome.HIRED
    elif number == 2:
        outcome = IntroductionOutcome.NO_MATCH
    else:
        return {"status": S.WITHDRAWN, "proposed": True}
    return {
        "status": S.FINISHED,
        "proposed": True,
        "interest": True,
        "shared": True,
        "introduction": True,
        "outcome": outcome,
    }


def _event(
    kind: str, opportunity: WorkOpportunity, candidate: Candidate, on: dt.date
) -> MatchEvent:
    return MatchEvent(
        kind=kind,
        region_id=opportunity.employer.region_id,
        opportunity=opportunity,
        candidate=candidate,
        on=min(on, timezone.localdate()),
    )


def _mark_proposed(opportunity: WorkOpportunity, user: User) -> None:
    if opportunity.status != OpportunityStatus.OPEN:
        return
    OpportunityStatusChange.objects.create(
        opportunity=opportunity,
        from_status=OpportunityStatus.OPEN,
        to_status=OpportunityStatus.PROPOSED,
        at=timezone.now() - dt.timedelta(days=1),
        by=user,
        note="Drie kandidaten voorgesteld (anoniem profiel).",
    )
    WorkOpportunity.objects.filter(pk=opportunity.pk).update(status=OpportunityStatus.PROPOSED)


def _anouk_request(opportunity: WorkOpportunity, staff: Any, number: int) -> None:
    """Anouk Bakker (demo log-in ``kandidaat``) is asked whether her name may be shared."""
    anouk = Candidate.objects.filter(user__username="kandidaat").first()
    if (
        anouk is None
        or ShortlistEntry.objects.filter(opportunity=opportunity, candidate=anouk).exists()
    ):
        return
    me = selectors.candidate_facts_for(anouk)
    opp = selectors.opportunity_facts_for(opportunity)
    s = index.for_region(opportunity.employer.region_id).score(me, opp)
    explanation = ""
    if s is not None:
        explanation = selectors.explain(s, facts.skill_labels(opp.tasks), opp).explanation
    now = timezone.now()
    ShortlistEntry.objects.create(
        opportunity=opportunity,
        candidate=anouk,
        number=number,
        added_by=staff,
        score=s.score if s else None,
        explanation=explanation[:500],
        profile=anonymous_profile(anouk, s, opp),
        status=S.CONSENT_REQUESTED,
        proposed_at=now - dt.timedelta(days=1),
        consent_requested_at=now - dt.timedelta(hours=20),
    )
