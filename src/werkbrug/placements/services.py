"""Placing a candidate and keeping the work going: a placement with its aftercare plan, the
conversion of a work-experience place into a contract, the end (with the reason), aftercare
check-ins, instrument grants and loonwaarde assessments.

Every write checks the permission and the scope (the candidate in full view) and runs in one
transaction, so nothing is half-saved. Durations are checked against the rule set valid on
the start date (architecture rule 6), and that set is kept on the placement.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.candidates.models import Candidate, JourneyStatus
from werkbrug.candidates.services import has_full_access
from werkbrug.core import access
from werkbrug.core.concurrency import lock_current
from werkbrug.employers.models import Employer
from werkbrug.placements import aftercare
from werkbrug.placements.models import (
    WITH_BENEFIT_KEPT,
    AftercareCheck,
    AftercarePolicy,
    Contract,
    EndReason,
    GrantKind,
    GrantStatus,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Outflow,
    Placement,
    PlacementKind,
    PlacementStatus,
)
from werkbrug.placements.selectors import OPEN
from werkbrug.rules import selectors as rule_selectors
from werkbrug.rules.calculator import num
from werkbrug.rules.parameters import RuleValues


def template_for(region_id: int) -> aftercare.Template:
    policy = AftercarePolicy.objects.filter(region_id=region_id).first()
    if policy is None:
        return aftercare.Template()
    return aftercare.Template(
        first_week=policy.first_week,
        check_months=tuple(policy.check_months) or aftercare.Template().check_months,
        three_way_month=policy.three_way_month,
        end_alert_weeks=policy.end_alert_weeks,
    )


@transaction.atomic
def save_aftercare_policy(
    *,
    actor: access.Actor,
    first_week: bool,
    check_months: list[int],
    three_way_month: int | None,
    end_alert_weeks: int,
) -> AftercarePolicy:
    """The region's aftercare template, for placements registered from now on (plans made
    earlier stay as they are)."""
    access.require(actor, "placements.policy")
    if actor.region_id is None:
        raise PermissionDenied
    months = sorted(set(check_months))
    try:
        aftercare.Template(
            first_week=first_week,
            check_months=tuple(months),
            three_way_month=three_way_month,
            end_alert_weeks=end_alert_weeks,
        )
    except ValueError:
        raise ValidationError(
            {"check_months": _("Months 1 to 60, each once; the alert 1 to 26 weeks before.")}
        ) from None
    if not months:
        raise ValidationError({"check_months": _("Give at least one month for a check-in.")})
    policy, _created = AftercarePolicy.objects.select_for_update().get_or_create(
        region_id=actor.region_id, defaults={"check_months": months}
    )
    policy.first_week, policy.check_months = first_week, months
    policy.three_way_month, policy.end_alert_weeks = three_way_month, end_alert_weeks
    policy.save()
    return policy


def _require_candidate(actor: access.Actor, candidate: Candidate) -> None:
    access.require(actor, "placements.manage")
    if not has_full_access(actor, candidate):
        raise PermissionDenied


def _require_placement(actor: access.Actor, placement: Placement) -> Placement:
    access.require(actor, "placements.manage")
    if not access.scoped(Placement, actor).filter(pk=placement.pk).exists():
        raise PermissionDenied
    return Placement.objects.select_for_update().get(pk=placement.pk)


def _max_months(kind: str, rules: RuleValues) -> Decimal | None:
    """The longest a placement of this kind may last under the rules."""
    if kind in (PlacementKind.WORK_EXPERIENCE, PlacementKind.TRIAL):
        return rules.proefplaatsing_gemeente_max_months
    if kind == PlacementKind.PARTICIPATION:
        return (rules.participatieplaats_years + rules.participatieplaats_extensions) * 12
    return None


def _validate(placement: Placement) -> None:
    """The rules a placement must keep; every problem named by its field, all at once."""
    problems: dict[str, str] = {}
    p = placement
    if p.kind in WITH_BENEFIT_KEPT:
        if p.contract != Contract.NONE:
            problems["contract"] = _("With the benefit kept there is no employment contract.")
        if p.wage_pct_of_wml is not None:
            problems["wage_pct_of_wml"] = _("With the benefit kept the employer pays no wage.")
        if p.planned_end_on is None:
            problems["planned_end_on"] = _("Give the planned end: this placement is temporary.")
    else:
        if p.contract == Contract.NONE and p.kind not in (
            PlacementKind.INTERNSHIP,
            PlacementKind.LEARNING,
        ):
            problems["contract"] = _("Choose the contract.")
        if p.contract == Contract.FIXED and p.planned_end_on is None:
            problems["planned_end_on"] = _("A fixed-term contract has an end date.")
        if p.contract != Contract.NONE and p.wage_pct_of_wml is None:
            problems["wage_pct_of_wml"] = _(
                "Give the wage as a percentage of the minimum wage (at least 100)."
            )
    if p.planned_end_on is not None and p.planned_end_on <= p.start_on:
        problems["planned_end_on"] = _("The planned end comes after the start.")
    if "planned_end_on" not in problems and p.rule_set is not None and p.planned_end_on:
        months = _max_months(p.kind, p.rule_set.rule_values)
        if months is not None and p.planned_end_on > aftercare.add_months(p.start_on, int(months)):
            problems["planned_end_on"] = _(
                "A %(kind)s lasts at most %(months)s months (rules of %(date)s)."
            ) % {
                "kind": p.get_kind_display().lower(),
                "months": num(months),
                "date": p.rule_set.valid_from.strftime("%d-%m-%Y"),
            }
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def place(
    *,
    actor: access.Actor,
    placement: Placement,
    preceded_by: Placement | None = None,
) -> Placement:
    """Register a placement (filled in but not saved): checked against the rules of its start
    date, with its aftercare plan. The candidate must be in the actor's full view."""
    candidate = Candidate.objects.get(pk=placement.candidate_id)
    _require_candidate(actor, candidate)
    employer = Employer.objects.get(pk=placement.employer_id)
    if employer.region_id != candidate.region_id:
        raise ValidationError({"employer": _("This employer is not in the candidate's region.")})
    if placement.opportunity_id and placement.opportunity.employer_id != employer.pk:
        raise ValidationError({"opportunity": _("This work is not of this employer.")})
    problems = {}
    for source in (placement.conversation, placement.shortlist_entry):
        if source is not None and source.candidate_id != candidate.pk:
            problems["conversation" if source is placement.conversation else "shortlist_entry"] = _(
                "This is about someone else."
            )
    if placement.conversation is not None and placement.conversation.employer_id != employer.pk:
        problems["conversation"] = _("This conversation was with another employer.")
    if problems:
        raise ValidationError(problems)
    placement.region_id = candidate.region_id
    if placement.owner_id is None:
        if actor.staff_id is None:
            raise ValidationError({"owner": _("Choose who looks after this placement.")})
        placement.owner_id = actor.staff_id
    try:
        placement.rule_set = rule_selectors.rule_set_on(placement.start_on, candidate.region_id)
    except rule_selectors.NoRules:
        placement.rule_set = None
    if preceded_by is not None:
        placement.preceded_by = preceded_by
    today = timezone.localdate()
    placement.status = (
        PlacementStatus.RUNNING if placement.start_on <= today else PlacementStatus.PLANNED
    )
    _validate(placement)
    placement.full_clean(exclude=["owner", "region"])
    placement.save()
    if candidate.status not in (JourneyStatus.PLACED, JourneyStatus.AFTERCARE):
        # Saved (not updated) so matching's journal hears of it: no more suggestions.
        candidate.status = JourneyStatus.PLACED
        candidate.save(update_fields=["status", "updated_at"])
    template = template_for(placement.region_id)
    if preceded_by is not None and preceded_by.employer_id == placement.employer_id:
        # Same workplace: the first week and the three-way conversation happened already.
        template = dataclasses.replace(template, first_week=False, three_way_month=None)
    AftercareCheck.objects.bulk_create(
        AftercareCheck(placement=placement, kind=c.kind, due_on=c.due_on)
        for c in aftercare.schedule(placement.start_on, template, placement.planned_end_on)
    )
    return placement


@transaction.atomic
def convert(*, actor: access.Actor, placement: Placement, into: Placement) -> Placement:
    """A work-experience place or trial placement becomes a contract (or a next placement):
    the first ends the day before the next starts, with reason "converted"; its open checks
    after that day are dropped (the new placement has its own plan)."""
    old = _require_placement(actor, placement)
    if old.status in (PlacementStatus.ENDED, PlacementStatus.CONVERTED):
        raise ValidationError({"status": _("This placement has ended already.")})
    if into.candidate_id != old.candidate_id:
        raise ValidationError({"candidate": _("A conversion is for the same person.")})
    if into.start_on <= old.start_on:
        raise ValidationError({"start_on": _("The next placement starts after this one.")})
    ended_on = into.start_on - dt.timedelta(days=1)
    months = _max_months(old.kind, old.rule_set.rule_values) if old.rule_set else None
    if months is not None and ended_on > aftercare.add_months(old.start_on, int(months)):
        latest = aftercare.add_months(old.start_on, int(months)) + dt.timedelta(days=1)
        raise ValidationError(
            {
                "start_on": _(
                    "The %(kind)s would then last longer than the rules allow (at most "
                    "%(months)s months): let the next placement start on %(date)s at the latest."
                )
                % {
                    "kind": old.get_kind_display().lower(),
                    "months": num(months),
                    "date": latest.strftime("%d-%m-%Y"),
                }
            }
        )
    old.status = PlacementStatus.CONVERTED
    old.ended_on = ended_on
    old.end_reason = EndReason.CONVERTED
    old.save()
    # The next placement's own plan takes over; what was done stays in the history.
    old.checks.filter(done_on__isnull=True).delete()
    return place(actor=actor, placement=into, preceded_by=old)


@transaction.atomic
def end(
    *, actor: access.Actor, placement: Placement, on: dt.date, reason: str, note: str = ""
) -> Placement:
    """The placement ended (a contract ran out, someone dropped out ...). Open checks after
    the end stay: the 6- and 12-month checks ask whether the person works elsewhere."""
    p = _require_placement(actor, placement)
    if p.status in (PlacementStatus.ENDED, PlacementStatus.CONVERTED):
        raise ValidationError({"status": _("This placement has ended already.")})
    if reason not in EndReason.values or reason == EndReason.CONVERTED:
        raise ValidationError({"end_reason": _("Choose why the placement ended.")})
    if on < p.start_on:
        raise ValidationError({"ended_on": _("The end comes on or after the start.")})
    p.status, p.ended_on, p.end_reason = PlacementStatus.ENDED, on, reason
    p.end_note = note.strip()[:500]
    p.save()
    p.checks.filter(done_on__isnull=True, kind=AftercareCheck.Kind.BEFORE_END).delete()
    others = Placement.objects.filter(candidate_id=p.candidate_id, status__in=OPEN).exclude(pk=p.pk)
    if not others.exists():
        candidate = Candidate.objects.get(pk=p.candidate_id)
        # Working elsewhere: done; otherwise back to finding work, with the consultant, or,
        # for someone placed without a handover, back in the client manager's caseload.
        if reason == EndReason.OTHER_JOB:
            candidate.status = JourneyStatus.OUTCOME
        elif candidate.consultant_id is None:
            candidate.status = JourneyStatus.IN_CASELOAD
        else:
            candidate.status = JourneyStatus.CONTACTED
        candidate.save(update_fields=["status", "updated_at"])
    return p


@transaction.atomic
def record_check(
    *,
    actor: access.Actor,
    check: AftercareCheck,
    done_on: dt.date,
    still_working: bool | None,
    notes: str = "",
    next_step: str = "",
    expected_version: int | None = None,
) -> AftercareCheck:
    _require_placement(actor, check.placement)
    c = lock_current(AftercareCheck.objects.get(pk=check.pk), expected_version)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A check-in is recorded once it took place.")})
    c.done_on, c.still_working = done_on, still_working
    c.notes, c.next_step = notes.strip(), next_step.strip()[:300]
    c.save()
    return c


@transaction.atomic
def record_outflow(
    *,
    actor: access.Actor,
    placement: Placement,
    outflow: str,
    on: dt.date | None,
    expected_version: int | None = None,
) -> Placement:
    """What the work did to the benefit (from the municipality's decision): ended, reduced,
    or nothing. Uitstroom (K2) counts a full end; durability D2 starts from its date."""
    _require_placement(actor, placement)
    p = lock_current(Placement.objects.get(pk=placement.pk), expected_version)
    if outflow not in Outflow.values:
        raise ValidationError({"outflow": _("Choose the effect on the benefit.")})
    if outflow == Outflow.NONE:
        on = None
    elif on is None:
        raise ValidationError({"outflow_on": _("Give the date the benefit ended or changed.")})
    elif on < p.start_on - dt.timedelta(days=31):
        raise ValidationError({"outflow_on": _("This date lies long before the start.")})
    p.outflow, p.outflow_on = outflow, on
    p.save()
    return p


def start_due(today: dt.date | None = None) -> int:
    """Planned placements whose start day has come are running (run daily)."""
    today = today or timezone.localdate()
    return Placement.objects.filter(status=PlacementStatus.PLANNED, start_on__lte=today).update(
        status=PlacementStatus.RUNNING
    )


@transaction.atomic
def add_grant(*, actor: access.Actor, grant: InstrumentGrant) -> InstrumentGrant:
    """Record a grant (verstrekking) of an instrument for a placement, with the rule set of
    its start (or decision) date."""
    _require_placement(actor, grant.placement)
    problems: dict[str, str] = {}
    if grant.kind not in GrantKind.values:
        problems["kind"] = _("Choose the instrument.")
    if grant.start_on and grant.end_on and grant.end_on < grant.start_on:
        problems["end_on"] = _("The end comes after the start.")
    if grant.amount is not None and grant.amount < 0:
        problems["amount"] = _("An amount is not negative.")
    if grant.amount is not None and not grant.amount_per:
        problems["amount_per"] = _("Say whether the amount is per month, per year or once.")
    if grant.status in (GrantStatus.GRANTED, GrantStatus.REFUSED) and not grant.decided_on:
        problems["decided_on"] = _("Give the date of the decision.")
    if problems:
        raise ValidationError(problems)
    day = grant.start_on or grant.decided_on or grant.placement.start_on
    try:
        grant.rule_set = rule_selectors.rule_set_on(day, grant.placement.region_id)
    except rule_selectors.NoRules:
        grant.rule_set = None
    grant.arranged_by_id = grant.arranged_by_id or actor.staff_id
    grant.full_clean(exclude=["placement", "rule_set", "arranged_by"])
    grant.save()
    return grant


@transaction.atomic
def assess_loonwaarde(
    *, actor: access.Actor, assessment: LoonwaardeAssessment
) -> LoonwaardeAssessment:
    _require_placement(actor, assessment.placement)
    if assessment.assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment is recorded once it was made.")})
    if assessment.next_review_on and assessment.next_review_on <= assessment.assessed_on:
        raise ValidationError({"next_review_on": _("The next review comes after this one.")})
    assessment.full_clean(exclude=["placement"])
    assessment.save()
    return assessment


@transaction.atomic
def assign_jobcoach(*, actor: access.Actor, assignment: JobcoachAssignment) -> JobcoachAssignment:
    """A jobcoach for the person (it follows them to a next employer); the previous open
    assignment ends the day before."""
    candidate = Candidate.objects.get(pk=assignment.candidate_id)
    _require_candidate(actor, candidate)
    if assignment.end_on and assignment.end_on < assignment.start_on:
        raise ValidationError({"end_on": _("The end comes after the start.")})
    for open_one in JobcoachAssignment.objects.select_for_update().filter(
        candidate=candidate, end_on__isnull=True, start_on__lt=assignment.start_on
    ):
        open_one.end_on = assignment.start_on - dt.timedelta(days=1)
        open_one.save()
    assignment.full_clean(exclude=["candidate"])
    assignment.save()
    return assignment
