"""Writes to candidate records. One use case per function: keyword-only, atomic, validated and
permission-checked here (not only in views), audited through AuditedModel.

Errors are ``ValidationError``s keyed by field, in plain language, so forms and the API can put
them next to the field they concern.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.candidates import profile, scopes
from werkbrug.candidates.models import (
    EMPLOYER_SCOPES,
    Appointment,
    Candidate,
    CandidateContact,
    CandidateLanguage,
    CandidatePolicy,
    Consent,
    ConsentChannel,
    ConsentScope,
    Handover,
    HandoverBatch,
    HealthProfile,
    JourneyStatus,
    LadderStepChange,
    Return,
    ServiceEpisode,
    Signal,
    SignalDecision,
    TargetGroupMembership,
    WorkExperience,
    benefit_duration_band,
)
from werkbrug.core import access
from werkbrug.core.bsn import bsn_pseudonym, protect_bsn
from werkbrug.core.concurrency import StaleRecordError, lock_current
from werkbrug.core.roles import Role
from werkbrug.core.validators import MESSAGES, normalize_bsn, normalize_postcode
from werkbrug.regions.models import Municipality, Staff
from werkbrug.taxonomy.models import Occupation, Skill, WorkKind

#: Fields a caseworker edits on the record itself (relations are set separately).
RECORD_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "sex",
    "household",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "benefit_type",
    "benefit_start",
    "benefit_duration",
    "segment",
    "deployability",
    "education_level",
    "basic_qualification",
    "driving_licence",
    "transport",
    "hours_available",
    "available_from",
    "talents",
    "motivation",
    "development_goals",
    "wished_work_kinds",
    "wished_hours_min",
    "wished_hours_max",
    "max_travel_minutes",
    "max_travel_km",
    "informed_at",
)
#: What the candidate edits themselves in the portal: the positive profile and wishes.
OWN_PROFILE_FIELDS = (
    "email",
    "phone",
    "hours_available",
    "available_from",
    "talents",
    "motivation",
    "development_goals",
    "wished_work_kinds",
    "wished_hours_min",
    "wished_hours_max",
    "max_travel_minutes",
    "max_travel_km",
    "driving_licence",
    "transport",
)
RELATION_FIELDS = ("skills", "wished_occupations", "wished_skills")


class DuplicateCandidate(ValidationError):
    """A candidate with this BSN is already registered in the region (as ``existing``)."""

    def __init__(self, existing: Candidate) -> None:
        self.existing = existing
        super().__init__(
            {"bsn": _("A candidate with this BSN is already registered.")}, code="duplicate"
        )


class IncompleteProfile(ValidationError):
    """A handover of a profile with required items missing (listed in ``missing``)."""

    def __init__(self, candidate: Candidate, missing: Sequence[str]) -> None:
        self.candidate = candidate
        self.missing = list(missing)
        super().__init__(
            _("The profile is not complete yet. Missing: %(items)s.")
            % {"items": ", ".join(profile.missing_labels(tuple(missing)))},
            code="incomplete",
        )


# --- Access helpers ------------------------------------------------------------------------


def _require(actor: access.Actor, permission: str) -> None:
    if not access.can(actor, permission):
        raise PermissionDenied(permission)


def has_full_access(actor: access.Actor, candidate: Candidate) -> bool:
    """True when the actor may see the whole record, not just the anonymous pool profile."""
    full = scopes.full_access_q(actor)
    if full is None:
        return False
    return Candidate.objects.filter(full, pk=candidate.pk).exists()


def _require_full(actor: access.Actor, candidate: Candidate) -> None:
    if not has_full_access(actor, candidate):
        raise PermissionDenied("candidate outside scope")


def _is_self(actor: access.Actor, candidate: Candidate) -> bool:
    """The actor is the candidate, acting on their own record in the portal."""
    return actor.has_role(Role.CANDIDATE) and candidate.user_id == actor.user_id


def _require_own(actor: access.Actor, candidate: Candidate) -> None:
    if not _is_self(actor, candidate):
        raise PermissionDenied("not the candidate's own record")


def _require_self_or_caseworker(actor: access.Actor, candidate: Candidate, permission: str) -> None:
    """The candidate themselves, or staff with ``permission`` who see the whole record."""
    if _is_self(actor, candidate):
        return
    _require(actor, permission)
    _require_full(actor, candidate)


def _staff(actor: access.Actor) -> Staff:
    if actor.staff_id is None:
        raise PermissionDenied("staff only")
    return Staff.objects.get(pk=actor.staff_id)


def policy_for(region_id: int) -> CandidatePolicy:
    policy = CandidatePolicy.objects.filter(region_id=region_id).first()
    return policy or CandidatePolicy(region_id=region_id)


@transaction.atomic
def save_policy(
    policy: CandidatePolicy, *, actor: access.Actor, expected_version: int | None
) -> CandidatePolicy:
    """Save the region's candidate norms (functional administrator), refusing a stale edit."""
    _require(actor, "candidates.policy")
    if policy.region_id != actor.region_id and not actor.is_superuser:
        raise PermissionDenied("policy of another region")
    if policy.first_alert_months >= policy.max_term_months:
        raise ValidationError(
            {"first_alert_months": _("The first alert must come before the maximum term.")}
        )
    if policy.pk is not None:
        lock_current(policy, expected_version)
    elif CandidatePolicy.objects.filter(region_id=policy.region_id).exists():
        raise StaleRecordError()
    policy.full_clean()
    policy.save()
    return policy


# --- Registering and editing ---------------------------------------------------------------


def _normalise(candidate: Candidate) -> None:
    candidate.first_name = " ".join(candidate.first_name.split())
    candidate.last_name = " ".join(candidate.last_name.split())
    if candidate.postcode:
        with contextlib.suppress(ValueError):  # full_clean reports it with the reason
            candidate.postcode = normalize_postcode(candidate.postcode)
    if candidate.benefit_start:
        candidate.benefit_duration = benefit_duration_band(
            candidate.benefit_start, timezone.localdate()
        )
    unknown = [code for code in candidate.wished_work_kinds if code not in WorkKind.values]
    if unknown:
        raise ValidationError({"wished_work_kinds": _("Unknown kind of work: %s") % unknown[0]})
    if (
        candidate.wished_hours_min is not None
        and candidate.wished_hours_max is not None
        and candidate.wished_hours_max < candidate.wished_hours_min
    ):
        raise ValidationError(
            {"wished_hours_max": _("'At most' hours cannot be below 'at least'.")}
        )


def _set_relations(candidate: Candidate, relations: Mapping[str, Iterable[Any]]) -> None:
    for name in RELATION_FIELDS:
        if name not in relations:
            continue
        model = Occupation if name == "wished_occupations" else Skill
        items = list(relations[name])
        ids = [item.pk if isinstance(item, model) else item for item in items]
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(set(ids)):
            raise ValidationError({name: _("Unknown entry in the list.")})
        getattr(candidate, name).set(found)


def find_by_bsn(*, region_id: int, bsn: str) -> Candidate | None:
    return Candidate.objects.filter(region_id=region_id, bsn_pseudonym=bsn_pseudonym(bsn)).first()


@transaction.atomic
def register_candidate(
    *,
    actor: access.Actor,
    bsn: str,
    municipality: Municipality,
    data: Mapping[str, Any],
    relations: Mapping[str, Iterable[Any]] | None = None,
    client_manager: Staff | None = None,
) -> Candidate:
    _require(actor, "candidates.create")
    if actor.region_id is not None and municipality.region_id != actor.region_id:
        raise PermissionDenied("municipality outside region")
    try:
        bsn = normalize_bsn(bsn)
    except ValueError as exc:
        raise ValidationError({"bsn": MESSAGES.get(str(exc), str(exc))}) from exc
    existing = find_by_bsn(region_id=municipality.region_id, bsn=bsn)
    if existing is not None:
        raise DuplicateCandidate(existing)
    protected = protect_bsn(bsn)
    candidate = Candidate(
        region_id=municipality.region_id,
        municipality=municipality,
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        client_manager=client_manager
        or (
            Staff.objects.filter(pk=actor.staff_id).first()
            if actor.has_role(Role.CLIENT_MANAGER)
            else None
        ),
    )
    for field in RECORD_FIELDS:
        if field in data:
            setattr(candidate, field, data[field])
    if data.get("ladder_step") is not None:
        candidate.ladder_step = data["ladder_step"]
    _normalise(candidate)
    candidate.full_clean()
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent registration of the same BSN
        existing = find_by_bsn(region_id=municipality.region_id, bsn=bsn)
        if existing is None:
            raise
        raise DuplicateCandidate(existing) from exc
    _set_relations(candidate, relations or {})
    if candidate.ladder_step:
        LadderStepChange.objects.create(
            candidate=candidate,
            step=candidate.ladder_step,
            assessed_on=timezone.localdate(),
            recorded_by_id=actor.staff_id,
        )
    return candidate


@transaction.atomic
def update_candidate(
    candidate: Candidate,
    *,
    actor: access.Actor,
    data: Mapping[str, Any],
    relations: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> Candidate:
    """A caseworker edits the record (fields in RECORD_FIELDS and the skill/wish lists)."""
    _require(actor, "candidates.edit")
    _require_full(actor, candidate)
    return _apply(candidate, data, relations, RECORD_FIELDS, expected_version)


@transaction.atomic
def update_own_profile(
    candidate: Candidate,
    *,
    actor: access.Actor,
    data: Mapping[str, Any],
    relations: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> Candidate:
    """The candidate edits their positive profile and wishes in the portal."""
    _require(actor, "portal.candidate")
    _require_own(actor, candidate)
    return _apply(candidate, data, relations, OWN_PROFILE_FIELDS, expected_version)


def _apply(
    candidate: Candidate,
    data: Mapping[str, Any],
    relations: Mapping[str, Iterable[Any]] | None,
    allowed: Sequence[str],
    expected_version: int | None,
) -> Candidate:
    not_allowed = sorted(set(data) - set(allowed))
    if not_allowed:
        raise ValidationError({not_allowed[0]: _("This field cannot be changed here.")})
    current = lock_current(candidate, expected_version)
    for field, value in data.items():
        setattr(current, field, value)
    _normalise(current)
    current.full_clean()
    # Only the fields this edit touched: a concurrent edit of other fields is not overwritten.
    touched = {*data, "benefit_duration", "version", "updated_at"}
    current.save(update_fields=sorted(touched))
    _set_relations(current, relations or {})
    return current


@transaction.atomic
def assign_caseworkers(
    candidate: Candidate,
    *,
    actor: access.Actor,
    client_manager: Staff | None,
    municipality: Municipality | None = None,
) -> Candidate:
    """Set the candidate's client manager (a klantmanager of the candidate's municipality) and,
    when someone moves within the region, their municipality of residence."""
    _require(actor, "candidates.edit")
    _require_full(actor, candidate)
    current = lock_current(candidate, None)
    if municipality is not None:
        if municipality.region_id != current.region_id or not municipality.is_active:
            raise ValidationError(
                {"municipality": _("Choose an active municipality of the region.")}
            )
        current.municipality = municipality
    if client_manager is not None:
        if Role.CLIENT_MANAGER not in client_manager.role_codes or not client_manager.active:
            raise ValidationError({"client_manager": _("Choose a client manager.")})
        if client_manager.municipality_id != current.municipality_id:
            raise ValidationError(
                {"client_manager": _("Choose a client manager of the candidate's municipality.")}
            )
    current.client_manager = client_manager
    current.save(update_fields=["municipality", "client_manager", "version", "updated_at"])
    return current


@transaction.atomic
def confirm_profile(candidate: Candidate, *, actor: access.Actor) -> Candidate:
    """The candidate (or their caseworker with them) confirms the profile is up to date."""
    _require_self_or_caseworker(actor, candidate, "candidates.edit")
    # Not a content edit: the version stays, so an edit form open elsewhere still saves.
    candidate.profile_confirmed_at = timezone.now()
    candidate.save(update_fields=["profile_confirmed_at", "updated_at"])
    return candidate


@transaction.atomic
def set_ladder_step(
    candidate: Candidate,
    *,
    actor: access.Actor,
    step: int,
    assessed_on: dt.date | None = None,
    note: str = "",
) -> LadderStepChange:
    _require(actor, "candidates.edit")
    _require_full(actor, candidate)
    if step not in range(1, 7):
        raise ValidationError({"step": _("Choose a step from 1 to 6.")})
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    change = LadderStepChange.objects.create(
        candidate=candidate,
        step=step,
        assessed_on=assessed_on,
        recorded_by_id=actor.staff_id,
        note=note.strip(),
    )
    latest = candidate.ladder_history.order_by("-assessed_on", "-id").first()
    if latest is not None and latest.step != candidate.ladder_step:
        current = lock_current(candidate, None)
        current.ladder_step = latest.step
        current.save(update_fields=["ladder_step", "version", "updated_at"])
    return change


@transaction.atomic
def set_languages(
    candidate: Candidate,
    *,
    actor: access.Actor,
    languages: Sequence[tuple[str, str]],
) -> list[CandidateLanguage]:
    """Replace the list of languages with their levels (language names are free text)."""
    _require_self_or_caseworker(actor, candidate, "candidates.edit")
    seen: set[str] = set()
    rows = []
    for index, (language, level) in enumerate(languages):
        name = " ".join(language.split()).capitalize()
        if not name:
            continue
        if name.lower() in seen:
            raise ValidationError(
                {"languages": _("%(language)s is listed twice.") % {"language": name}}
            )
        seen.add(name.lower())
        row = CandidateLanguage(candidate=candidate, language=name, level=level)
        try:
            row.full_clean(exclude=["candidate"])
        except ValidationError as exc:
            raise ValidationError(
                {
                    "languages": _("Line %(n)d: %(error)s")
                    % {"n": index + 1, "error": "; ".join(exc.messages)}
                }
            ) from exc
        rows.append(row)
    candidate.languages.all().delete()
    for row in rows:  # one by one: each is audited and announced (matching follows languages)
        row.save()
    return rows


@transaction.atomic
def add_work_experience(
    candidate: Candidate, *, actor: access.Actor, data: Mapping[str, Any]
) -> WorkExperience:
    _require_self_or_caseworker(actor, candidate, "candidates.edit")
    row = WorkExperience(candidate=candidate, **data)
    row.full_clean()
    if row.from_year and row.to_year and row.to_year < row.from_year:
        raise ValidationError({"to_year": _("'Until' cannot be before 'from'.")})
    row.save()
    return row


@transaction.atomic
def remove_work_experience(row: WorkExperience, *, actor: access.Actor) -> None:
    candidate = row.candidate
    _require_self_or_caseworker(actor, candidate, "candidates.edit")
    row.delete()


@transaction.atomic
def save_health(
    candidate: Candidate, *, actor: access.Actor, data: Mapping[str, Any]
) -> HealthProfile:
    """Health and limitations: only the candidate's own client manager or consultant."""
    _require(actor, "candidates.health")
    if actor.staff_id not in (candidate.client_manager_id, candidate.consultant_id):
        raise PermissionDenied("health: not this candidate's caseworker")
    health, _created = HealthProfile.objects.get_or_create(candidate=candidate)
    for field, value in data.items():
        if field not in (
            "self_rated_health",
            "has_limitation",
            "nature",
            "structural",
            "limitations",
            "adjustments_needed",
        ):
            raise ValidationError({field: _("This field cannot be changed here.")})
        setattr(health, field, value)
    health.full_clean()
    health.save()
    return health


@transaction.atomic
def add_target_group(
    candidate: Candidate, *, actor: access.Actor, data: Mapping[str, Any]
) -> TargetGroupMembership:
    _require(actor, "candidates.edit")
    _require_full(actor, candidate)
    membership = TargetGroupMembership(candidate=candidate, **data)
    membership.full_clean()
    membership.save()
    return membership


# --- Consent -------------------------------------------------------------------------------


@transaction.atomic
def grant_consent(
    candidate: Candidate,
    *,
    actor: access.Actor,
    scope: str,
    via: str,
    employer: Any = None,
    asked_by_consultant: bool = False,
) -> Consent:
    """Record the candidate's consent. Staff record consent given in person, by phone or on
    paper; the candidate gives it in the portal. ``asked_by_consultant``: the candidate answers
    a request their consultant sent (matching's shortlist), so it was agreed first."""
    _require_self_or_caseworker(actor, candidate, "candidates.consent")
    if scope not in ConsentScope.values:
        raise ValidationError({"scope": _("Unknown kind of consent.")})
    if via not in ConsentChannel.values:
        raise ValidationError({"via": _("Say how the consent was given.")})
    by_candidate = _is_self(actor, candidate)
    if by_candidate:
        via = ConsentChannel.PORTAL
        # Sharing with a named employer is agreed with the consultant first; the candidate can
        # give the regional consent, and give again an employer consent they withdrew.
        if (
            scope in EMPLOYER_SCOPES
            and not asked_by_consultant
            and not Consent.objects.filter(
                candidate=candidate, scope=scope, employer=employer
            ).exists()
        ):
            raise ValidationError(
                {"employer": _("Talk to your consultant first about sharing with an employer.")}
            )
    if scope in EMPLOYER_SCOPES:
        if employer is None:
            raise ValidationError({"employer": _("Choose the employer.")})
        if employer.region_id != candidate.region_id:
            raise ValidationError(
                {"employer": _("This employer is not in the candidate's region.")}
            )
    else:
        employer = None
    if (
        scope == ConsentScope.DISCLOSE_LIMITATIONS
        and not Consent.objects.filter(
            candidate=candidate,
            scope=ConsentScope.SHARE_WITH_EMPLOYER,
            employer=employer,
            withdrawn_at__isnull=True,
        ).exists()
    ):
        raise ValidationError(
            {
                "scope": _(
                    "Limitations can only be shared with an employer who may see the profile. "
                    "Give consent to share the profile with this employer first."
                )
            }
        )
    in_force = Consent.objects.filter(
        candidate=candidate, scope=scope, employer=employer, withdrawn_at__isnull=True
    ).first()
    if in_force is not None:
        return in_force  # giving the same consent twice changes nothing
    return Consent.objects.create(
        candidate=candidate,
        scope=scope,
        employer=employer,
        granted_at=timezone.now(),
        granted_by_id=actor.user_id,
        granted_via=via,
    )


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor: access.Actor, via: str) -> list[Consent]:
    """Withdraw a consent; it stops counting at once (scopes check it on every query).

    Withdrawing the consent to share with an employer also withdraws the disclosure of
    limitations to that employer, which depends on it. Returns the consents withdrawn.
    """
    candidate = consent.candidate
    _require_self_or_caseworker(actor, candidate, "candidates.consent")
    if _is_self(actor, candidate):
        via = ConsentChannel.PORTAL
    if via not in ConsentChannel.values:
        raise ValidationError({"via": _("Say how the consent was withdrawn.")})
    targets = [consent]
    if consent.scope == ConsentScope.SHARE_WITH_EMPLOYER:
        targets += list(
            Consent.objects.filter(
                candidate=candidate,
                scope=ConsentScope.DISCLOSE_LIMITATIONS,
                employer_id=consent.employer_id,
                withdrawn_at__isnull=True,
            )
        )
    now = timezone.now()
    withdrawn = []
    for target in targets:
        current = lock_current(target, None)
        if current.withdrawn_at is not None:
            continue
        current.withdrawn_at = now
        current.withdrawn_by_id = actor.user_id
        current.withdrawn_via = via
        current.save()
        withdrawn.append(current)
    return withdrawn


def consents_in_force(candidate: Candidate) -> list[Consent]:
    return list(candidate.consents.filter(withdrawn_at__isnull=True).select_related("employer"))


# --- Handover ------------------------------------------------------------------------------


def _eligible_receiver(to_staff: Staff, candidate: Candidate) -> None:
    roles = set(to_staff.role_codes)
    if not roles & {Role.RELATIONSHIP_MANAGER, Role.UWV_PARTNER}:
        raise ValidationError({"to_staff": _("Hand over to a relationship manager or consultant.")})
    if to_staff.organisation.region_id != candidate.region_id or not to_staff.active:
        raise ValidationError({"to_staff": _("This person does not work in the region.")})


@transaction.atomic
def hand_over(
    candidate: Candidate,
    *,
    actor: access.Actor,
    to_staff: Staff,
    on: dt.date | None = None,
    warm: bool = False,
    note: str = "",
    batch: HandoverBatch | None = None,
) -> Handover:
    """Hand the candidate over to a relationship manager/consultant. Refused while a required
    profile item is missing (``IncompleteProfile`` lists them)."""
    _require(actor, "candidates.handover")
    _require_full(actor, candidate)
    current = lock_current(candidate, None)
    _eligible_receiver(to_staff, current)
    if current.consultant_id == to_staff.pk and current.status == JourneyStatus.HANDED_OVER:
        raise ValidationError({"to_staff": _("The candidate is already with this person.")})
    policy = policy_for(current.region_id)
    result = profile.completeness_for(current, stale_months=policy.profile_stale_months)
    if not result.ready_for_handover:
        raise IncompleteProfile(current, result.missing_required)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    handover = Handover.objects.create(
        candidate=current,
        from_staff=_staff(actor),
        to_staff=to_staff,
        on=on,
        completeness=result.score,
        warm=warm,
        note=note.strip(),
        batch=batch,
    )
    current.consultant = to_staff
    current.status = JourneyStatus.HANDED_OVER
    current.handed_over_at = on
    current.save(update_fields=["consultant", "status", "handed_over_at", "version", "updated_at"])
    if not current.episodes.filter(end__isnull=True).exists():
        ServiceEpisode.objects.create(
            candidate=current, start=on, max_term_months=policy.max_term_months
        )
    return handover


@transaction.atomic
def hand_over_file(
    *,
    actor: access.Actor,
    candidates: Iterable[Candidate],
    to_staff: Staff,
    note: str = "",
) -> HandoverBatch:
    """Hand over a file of candidates at once. Complete profiles are handed over; the others
    stay with the municipality and are listed in ``batch.refused`` with what is missing."""
    _require(actor, "candidates.handover")
    me = _staff(actor)
    if to_staff.organisation.region_id != me.organisation.region_id:
        raise ValidationError({"to_staff": _("This person does not work in the region.")})
    roles = set(to_staff.role_codes)
    if not roles & {Role.RELATIONSHIP_MANAGER, Role.UWV_PARTNER} or not to_staff.active:
        raise ValidationError({"to_staff": _("Hand over to a relationship manager or consultant.")})
    batch = HandoverBatch.objects.create(
        municipality_id=me.municipality_id, from_staff=me, to_staff=to_staff, note=note.strip()
    )
    refused = []
    handed = 0
    for candidate in candidates:
        if candidate.status not in (JourneyStatus.IN_CASELOAD, JourneyStatus.RETURNED):
            refused.append(
                {
                    "candidate": str(candidate.uuid),
                    "name": candidate.full_name,
                    "codes": [],
                    "missing": [_("Already handed over.")],
                }
            )
            continue
        try:
            with transaction.atomic():
                hand_over(candidate, actor=actor, to_staff=to_staff, batch=batch)
            handed += 1
        except IncompleteProfile as exc:
            refused.append(
                {
                    "candidate": str(candidate.uuid),
                    "name": candidate.full_name,
                    "codes": list(exc.missing),
                    "missing": profile.missing_labels(tuple(exc.missing)),
                }
            )
        except ValidationError as exc:
            refused.append(
                {
                    "candidate": str(candidate.uuid),
                    "name": candidate.full_name,
                    "missing": exc.messages,
                }
            )
    batch.handed_over = handed
    batch.refused = refused
    batch.save(update_fields=["handed_over", "refused", "updated_at"])
    return batch


# --- Contacts, appointments, episodes ------------------------------------------------------


@transaction.atomic
def record_contact(
    candidate: Candidate,
    *,
    actor: access.Actor,
    at: dt.datetime,
    channel: str,
    summary: str,
    agreements: str = "",
) -> CandidateContact:
    _require(actor, "candidates.contact")
    _require_full(actor, candidate)
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A contact cannot be in the future; plan an appointment.")})
    contact = CandidateContact(
        candidate=candidate,
        at=at,
        channel=channel,
        staff=_staff(actor),
        summary=summary.strip(),
        agreements=agreements.strip(),
    )
    contact.full_clean()
    contact.save()
    if candidate.last_contact_at is None or at > candidate.last_contact_at:
        Candidate.objects.filter(pk=candidate.pk).update(last_contact_at=at)
        candidate.last_contact_at = at
    if candidate.status == JourneyStatus.HANDED_OVER and actor.staff_id == candidate.consultant_id:
        Candidate.objects.filter(pk=candidate.pk).update(status=JourneyStatus.CONTACTED)
        candidate.status = JourneyStatus.CONTACTED
    return contact


@transaction.atomic
def plan_appointment(
    candidate: Candidate,
    *,
    actor: access.Actor,
    starts_at: dt.datetime,
    minutes: int,
    subject: str,
    location: str,
) -> Appointment:
    _require(actor, "candidates.contact")
    _require_full(actor, candidate)
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("An appointment is planned in the future.")})
    appointment = Appointment(
        candidate=candidate,
        starts_at=starts_at,
        minutes=minutes,
        subject=subject.strip(),
        location=location.strip(),
        staff=_staff(actor),
    )
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def close_episode(
    episode: ServiceEpisode, *, actor: access.Actor, end: dt.date | None = None
) -> ServiceEpisode:
    _require(actor, "candidates.edit")
    _require_full(actor, episode.candidate)
    current = lock_current(episode, None)
    current.end = end or timezone.localdate()
    current.phase = "afgesloten"
    current.full_clean()
    current.save()
    return current


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day else months


# --- Return and signals --------------------------------------------------------------------


@transaction.atomic
def send_return(
    candidate: Candidate,
    *,
    actor: access.Actor,
    reason: str,
    explanation: str,
    instruments_tried: Sequence[str],
    recommended_next_step: str,
    on: dt.date | None = None,
) -> Return:
    """Terugmelding: the candidate goes back to the municipality's client manager, with the
    reason, an explanation, the instruments tried and advice, so nobody has to start over."""
    _require(actor, "candidates.return")
    _require_full(actor, candidate)
    if candidate.client_manager_id is None:
        raise ValidationError(
            {"reason": _("The candidate has no client manager to return to. Add one first.")}
        )
    if not explanation.strip():
        raise ValidationError({"explanation": _("Explain why the candidate is returned.")})
    if not recommended_next_step.strip():
        raise ValidationError({"recommended_next_step": _("Give a recommended next step.")})
    on = on or timezone.localdate()
    episode = candidate.episodes.filter(end__isnull=True).first()
    service_months = months_between(episode.start, on) if episode else 0
    ret = Return(
        candidate=candidate,
        municipality_id=candidate.municipality_id,
        on=on,
        reason=reason,
        explanation=explanation.strip(),
        instruments_tried=[i.strip() for i in instruments_tried if i.strip()],
        recommended_next_step=recommended_next_step.strip(),
        service_months=max(service_months, 0),
        sent_by=_staff(actor),
        receiver_id=candidate.client_manager_id,
    )
    ret.full_clean()
    ret.save()
    if episode is not None:
        episode.end = on
        episode.phase = "afgesloten"
        episode.save()
    current = lock_current(candidate, None)
    current.status = JourneyStatus.RETURNED
    current.consultant = None
    current.save(update_fields=["status", "consultant", "version", "updated_at"])
    return ret


@transaction.atomic
def acknowledge_return(ret: Return, *, actor: access.Actor) -> Return:
    _require(actor, "candidates.return_ack")
    _require_full(actor, ret.candidate)
    current = lock_current(ret, None)
    if current.acknowledged_at is not None:
        return current
    current.acknowledged_at = timezone.now()
    current.acknowledged_by = _staff(actor)
    current.save()
    return current


@transaction.atomic
def report_signal(
    candidate: Candidate,
    *,
    actor: access.Actor,
    kind: str,
    occurred_on: dt.date,
    description: str,
) -> Signal:
    _require(actor, "candidates.signal")
    _require_full(actor, candidate)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    signal = Signal(
        candidate=candidate,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        reported_by=_staff(actor),
    )
    signal.full_clean()
    signal.save()
    return signal


@transaction.atomic
def decide_signal(
    signal: Signal,
    *,
    actor: access.Actor,
    decision: str,
    note: str,
    decided_on: dt.date | None = None,
) -> Signal:
    """The municipality feeds its decision back to whoever reported the signal."""
    _require(actor, "candidates.signal_decide")
    _require_full(actor, signal.candidate)
    if decision == SignalDecision.PENDING or decision not in SignalDecision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    if not note.strip():
        raise ValidationError({"decision_note": _("Explain the decision.")})
    if decided_on is not None and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    current = lock_current(signal, None)
    current.decision = decision
    current.decision_note = note.strip()
    current.decided_on = decided_on or timezone.localdate()
    current.decided_by = _staff(actor)
    current.save()
    return current


# --- Portal account ------------------------------------------------------------------------


@transaction.atomic
def give_portal_account(candidate: Candidate, *, actor: access.Actor, username: str) -> Any:
    """Create the candidate's portal login (they set a password through the reset e-mail)."""
    _require(actor, "candidates.edit")
    _require_full(actor, candidate)
    if candidate.user_id is not None:
        raise ValidationError({"username": _("The candidate already has an account.")})
    if not candidate.email:
        raise ValidationError({"email": _("An e-mail address is needed for an account.")})
    from werkbrug.accounts.models import RoleGrant

    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = user_model.objects.create_user(
        username=username,
        email=candidate.email,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
    )
    user.set_unusable_password()
    user.save()
    RoleGrant.objects.create(user=user, role=Role.CANDIDATE)
    Candidate.objects.filter(pk=candidate.pk).update(user=user)
    candidate.user = user
    return user
