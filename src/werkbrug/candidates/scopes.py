"""Which candidate records an actor may see: the privacy rules of the candidate pool.

* Staff see, **in full**, candidates of their own municipality and the people they work with
  (as client manager or consultant; a team lead also those of their team). UWV partners see
  in full only the people assigned to them.
* Staff of the region see, **as an anonymous profile**, candidates of other municipalities who
  consented to share their profile region-wide (``full_access_q`` tells the two apart; views
  and serializers leave identity and contact details out of the anonymous view).
* An employer's contact person sees a candidate only while the candidate's consent to share
  with that employer is in force; limitations only with the separate disclosure consent.
* A candidate sees their own record.

Consent is checked with a subquery on every query, so a withdrawal counts from the next request
on, everywhere (pages, exports, API).
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    CandidateContact,
    CandidateLanguage,
    CandidatePolicy,
    Consent,
    ConsentScope,
    Handover,
    HandoverBatch,
    HealthProfile,
    LadderStepChange,
    Return,
    ServiceEpisode,
    Signal,
    TargetGroupMembership,
    WorkExperience,
)
from werkbrug.core import access
from werkbrug.core.access import Actor, can, scope_rule
from werkbrug.core.roles import Role

_MUNICIPAL_ROLES = (Role.CLIENT_MANAGER, Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD)


def consent_in_force(scope: str, *, candidate_ref: str = "pk", **filters: object) -> Exists:
    """A subquery: the candidate (``OuterRef(candidate_ref)``) has this consent in force."""
    return Exists(
        Consent.objects.filter(
            candidate_id=OuterRef(candidate_ref), scope=scope, withdrawn_at__isnull=True, **filters
        )
    )


def full_access_q(actor: Actor, prefix: str = "") -> Q | None:
    """Candidates whose whole record the staff member may see; None for non-staff."""
    if actor.is_superuser:
        return Q()
    if not (actor.is_staff_member and actor.region_id and can(actor, "candidates.view")):
        return None
    p = prefix
    mine = Q(**{f"{p}client_manager_id": actor.staff_id}) | Q(
        **{f"{p}consultant_id": actor.staff_id}
    )
    if actor.has_role(*_MUNICIPAL_ROLES) and actor.municipality_id:
        mine |= Q(**{f"{p}municipality_id": actor.municipality_id})
    if actor.has_role(Role.TEAM_LEAD) and actor.team_id:
        mine |= Q(**{f"{p}consultant__team_id": actor.team_id})
        mine |= Q(**{f"{p}client_manager__team_id": actor.team_id})
    return Q(**{f"{p}region_id": actor.region_id}) & mine


def annotate_full_access(queryset: QuerySet, actor: Actor, prefix: str = "candidate__") -> QuerySet:
    """Annotate ``full_access`` on rows about a candidate (reached through ``prefix``): whether
    the actor sees that candidate in full; the others are shown without identity."""
    full = full_access_q(actor, prefix)
    flag: Any
    if full is None:
        flag = Value(False, output_field=BooleanField())
    elif full == Q():
        flag = Value(True, output_field=BooleanField())
    else:
        flag = Case(When(full, then=Value(True)), default=Value(False), output_field=BooleanField())
    return queryset.annotate(full_access=flag)


def regional_pool_q(actor: Actor) -> Q | None:
    """Candidates of the actor's region who share an anonymous profile region-wide."""
    if not (actor.is_staff_member and actor.region_id and can(actor, "candidates.view")):
        return None
    return Q(region_id=actor.region_id) & Q(consent_in_force(ConsentScope.REGIONAL_POOL))


def shared_with_employer_q(actor: Actor, scope: str = ConsentScope.SHARE_WITH_EMPLOYER) -> Q:
    return Q(consent_in_force(scope, employer__contact_persons__user_id=actor.user_id))


def scope_parts(actor: Actor) -> list[QuerySet[Candidate]]:
    """The candidates the actor may see, as disjoint parts whose union is exactly
    ``access.scoped(Candidate, actor)``: the records they see in full, and the regional pool
    beyond those. Counting the parts one by one lets PostgreSQL check consent with a semi-join
    on the consent index, instead of hashing every consent in the region on every count (the
    ``OR EXISTS`` of the combined rule). A test keeps the union equal to the rule."""
    full = full_access_q(actor)
    if full is None:
        return [access.scoped(Candidate, actor)]
    if full == Q():
        return [Candidate.objects.all()]
    parts = [Candidate.objects.filter(full)]
    pool = regional_pool_q(actor)
    if pool is not None:
        parts.append(Candidate.objects.filter(pool).exclude(full))
    return parts


@scope_rule(Candidate)
def _candidates(actor: Actor) -> Q | bool:
    full = full_access_q(actor)
    if full is not None:
        if full == Q():
            return True
        pool = regional_pool_q(actor)
        return full | pool if pool is not None else full
    if actor.has_role(Role.CANDIDATE):
        return Q(user_id=actor.user_id)
    if actor.has_role(Role.EMPLOYER_CONTACT) and can(actor, "portal.employer_candidates"):
        return shared_with_employer_q(actor)
    return False


def _own_or_full(*, employer_scope: str | None = None, pool: bool = False):  # type: ignore[no-untyped-def]
    """Rule for a part of the candidate record, reached through ``candidate``."""

    def rule(actor: Actor) -> Q | bool:
        full = full_access_q(actor, "candidate__")
        if full is not None:
            if full == Q():
                return True
            if pool:
                pool_q = regional_pool_q(actor)
                if pool_q is not None:
                    return full | Q(candidate__in=Candidate.objects.filter(pool_q).values("pk"))
            return full
        if actor.has_role(Role.CANDIDATE):
            return Q(candidate__user_id=actor.user_id)
        if employer_scope and actor.has_role(Role.EMPLOYER_CONTACT):
            return Q(
                consent_in_force(
                    employer_scope,
                    candidate_ref="candidate_id",
                    employer__contact_persons__user_id=actor.user_id,
                )
            )
        return False

    return rule


# Parts of the positive profile travel with the profile (anonymous pool, shared employer).
scope_rule(CandidateLanguage)(
    _own_or_full(employer_scope=ConsentScope.SHARE_WITH_EMPLOYER, pool=True)
)
scope_rule(WorkExperience)(_own_or_full(employer_scope=ConsentScope.SHARE_WITH_EMPLOYER, pool=True))
# Case records: the people working with the candidate, and the candidate themselves.
for _model in (
    LadderStepChange,
    TargetGroupMembership,
    Consent,
    Handover,
    CandidateContact,
    Appointment,
    ServiceEpisode,
    Return,
    Signal,
):
    scope_rule(_model)(_own_or_full())


@scope_rule(HealthProfile)
def _health(actor: Actor) -> Q | bool:
    """Health and limitations: only the candidate's own workers, the candidate, and employers
    the candidate disclosed them to."""
    if actor.is_superuser:
        return True
    if actor.is_staff_member and can(actor, "candidates.health"):
        return Q(candidate__client_manager_id=actor.staff_id) | Q(
            candidate__consultant_id=actor.staff_id
        )
    if actor.has_role(Role.CANDIDATE):
        return Q(candidate__user_id=actor.user_id)
    if actor.has_role(Role.EMPLOYER_CONTACT):
        # A disclosure to the actor's company, while the profile is shared with that same company.
        shared_too = Consent.objects.filter(
            candidate_id=OuterRef(OuterRef("candidate_id")),
            scope=ConsentScope.SHARE_WITH_EMPLOYER,
            employer_id=OuterRef("employer_id"),
            withdrawn_at__isnull=True,
        )
        return Q(
            Exists(
                Consent.objects.filter(
                    candidate_id=OuterRef("candidate_id"),
                    scope=ConsentScope.DISCLOSE_LIMITATIONS,
                    employer__contact_persons__user_id=actor.user_id,
                    withdrawn_at__isnull=True,
                ).filter(Exists(shared_too))
            )
        )
    return False


@scope_rule(HandoverBatch)
def _batches(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and actor.region_id and can(actor, "candidates.view"):
        return Q(municipality__region_id=actor.region_id) & (
            Q(municipality_id=actor.municipality_id)
            | Q(from_staff_id=actor.staff_id)
            | Q(to_staff_id=actor.staff_id)
        )
    return False


@scope_rule(CandidatePolicy)
def _policy(actor: Actor) -> Q | bool:
    if actor.is_superuser:
        return True
    if actor.is_staff_member and actor.region_id:
        return Q(region_id=actor.region_id)
    return False
