"""Writes to the employer register. One use case per function: keyword-only, atomic,
validated, permission-checked; audited through AuditedModel."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import access, outbox
from werkbrug.core.concurrency import lock_current
from werkbrug.core.roles import Role
from werkbrug.core.validators import (
    normalize_kvk,
    normalize_postcode,
    normalize_sbi,
    normalize_vestigingsnummer,
)
from werkbrug.employers.models import (
    VISIT_CHANNELS,
    Action,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerPolicy,
    EmployerQuestion,
    OpportunityStatus,
    OpportunityStatusChange,
    Phase,
    Source,
    WorkOpportunity,
)
from werkbrug.employers.norms import Norm
from werkbrug.regions import services as region_services
from werkbrug.regions.models import Region, Staff
from werkbrug.taxonomy import selectors as taxonomy_selectors

PHASE_ORDER = [p.value for p in Phase]


class DuplicateSuspected(ValidationError):
    """Raised when a new employer looks like one already registered."""

    def __init__(self, matches: Sequence[Employer]) -> None:
        self.matches = list(matches)
        super().__init__(
            _("This employer may already be registered. Check the matches below."),
            code="duplicate",
        )


class AlreadyRegistered(ValidationError):
    """This KvK + establishment number is already in the register (as ``existing``). Unlike a
    suspected duplicate, no confirmation can override it."""

    def __init__(self, existing: Employer) -> None:
        self.existing = existing
        super().__init__(
            {
                "kvk_number": _(
                    "%(name)s is already registered with this KvK and establishment number."
                )
                % {"name": existing.name}
            },
            code="registered",
        )


def _refuse_registered_establishment(employer: Employer) -> None:
    if not employer.kvk_number:
        return
    existing = (
        Employer.objects.filter(
            region_id=employer.region_id,
            kvk_number=employer.kvk_number,
            vestigingsnummer=employer.vestigingsnummer,
            merged_into__isnull=True,
        )
        .exclude(pk=employer.pk)
        .first()
    )
    if existing is not None:
        raise AlreadyRegistered(existing)


def _require_in_scope(actor: access.Actor, employer: Employer) -> None:
    """The actor may only touch employers they can see (their region; for an employer's
    contact person, their own company). Checked here too, not only in views and the API."""
    if employer.pk is None:
        return
    if not access.scoped(Employer, actor).filter(pk=employer.pk).exists():
        raise PermissionDenied("employer outside scope")


def policy_for(region_id: int) -> Norm:
    policy = EmployerPolicy.objects.filter(region_id=region_id).first()
    if policy is None:
        return Norm()
    return Norm(
        contacts_per_year=policy.contacts_per_year,
        visits_per_year=policy.visits_per_year,
        cold_after_days=policy.cold_after_days,
        response_days=policy.response_days,
    )


def _normalise(employer: Employer) -> None:
    employer.name = " ".join(employer.name.split())
    for field, normalise in (
        ("kvk_number", normalize_kvk),
        ("vestigingsnummer", normalize_vestigingsnummer),
        ("postcode", normalize_postcode),
        ("sbi_code", normalize_sbi),
    ):
        value = getattr(employer, field)
        if value:
            # An invalid value stays as typed: full_clean reports it with the reason.
            with contextlib.suppress(ValueError):
                setattr(employer, field, normalise(value))


def find_duplicates(
    *,
    region_id: int,
    kvk_number: str = "",
    vestigingsnummer: str = "",
    name: str = "",
    postcode: str = "",
    exclude_id: int | None = None,
) -> QuerySet[Employer]:
    """Registered employers that may be the same establishment: same KvK number (and the same
    or no establishment number), or the same name at the same postcode."""
    condition = Q()
    if kvk_number:
        same_kvk = Q(kvk_number=kvk_number)
        if vestigingsnummer:
            same_kvk &= Q(vestigingsnummer=vestigingsnummer) | Q(vestigingsnummer="")
        condition |= same_kvk
    if name and postcode:
        condition |= Q(name__iexact=" ".join(name.split()), postcode=postcode)
    if not condition:
        return Employer.objects.none()
    queryset = Employer.objects.filter(condition, region_id=region_id, merged_into__isnull=True)
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.select_related("owner__user", "municipality")


#: Who can own an employer relation: the roles that keep the register up to date.
OWNER_ROLES = frozenset({Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD, Role.UWV_PARTNER})


def _check_colleague(staff: Staff, *, region_id: int, field: str, owner: bool = False) -> None:
    if not staff.active:
        raise ValidationError({field: _("%(name)s no longer works here.") % {"name": staff}})
    if staff.organisation.region_id != region_id:
        raise ValidationError({field: _("Choose someone who works in this region.")})
    if owner and not set(staff.role_codes) & OWNER_ROLES:
        raise ValidationError(
            {field: _("%(name)s does not manage employer relations.") % {"name": staff}}
        )


#: The Netherlands, generously: coordinates outside it are a typing error (lat/lon swapped).
NL_LATITUDE = (50.5, 53.8)
NL_LONGITUDE = (3.0, 7.5)


def _check_coordinates(employer: Employer) -> None:
    if (employer.latitude is None) != (employer.longitude is None):
        raise ValidationError({"longitude": _("Fill in both latitude and longitude, or neither.")})
    if employer.latitude is None:
        return
    if not NL_LATITUDE[0] <= float(employer.latitude) <= NL_LATITUDE[1]:
        raise ValidationError(
            {"latitude": _("This latitude is not in the Netherlands (about 50.7 to 53.6).")}
        )
    if not NL_LONGITUDE[0] <= float(employer.longitude) <= NL_LONGITUDE[1]:
        raise ValidationError(
            {"longitude": _("This longitude is not in the Netherlands (about 3.3 to 7.3).")}
        )


def _check_people(employer: Employer) -> None:
    _check_coordinates(employer)
    _check_colleague(employer.owner, region_id=employer.region_id, field="owner", owner=True)
    if employer.substitute_id:
        if employer.substitute_id == employer.owner_id:
            raise ValidationError(
                {"substitute": _("Choose someone other than the relationship manager.")}
            )
        _check_colleague(
            employer.substitute, region_id=employer.region_id, field="substitute", owner=True
        )
    if employer.municipality.region_id != employer.region_id:
        raise ValidationError({"municipality": _("Choose a municipality in this region.")})


@transaction.atomic
def register_employer(
    *, actor: access.Actor, employer: Employer, duplicates_checked: bool = False
) -> Employer:
    """Add an employer to the regional register. Unless the person confirmed they checked the
    suspected duplicates, a likely duplicate stops the registration with the matches.
    Rows of a checked import file may also be registered by whoever may import."""
    if not (employer.source == Source.IMPORT and access.can(actor, "employers.import")):
        access.require(actor, "employers.edit")
    if employer.region_id is None:
        employer.region_id = actor.region_id
    if employer.region_id != actor.region_id and not actor.is_superuser:
        raise ValidationError({"region": _("You can only register employers in your own region.")})
    _normalise(employer)
    # Constraints last: an exact duplicate gets the clear message below, next to the KvK field.
    employer.full_clean(validate_constraints=False)
    _check_people(employer)
    _refuse_registered_establishment(employer)
    if not duplicates_checked:
        matches = list(
            find_duplicates(
                region_id=employer.region_id,
                kvk_number=employer.kvk_number,
                vestigingsnummer=employer.vestigingsnummer,
                name=employer.name,
                postcode=employer.postcode,
            )[:10]
        )
        if matches:
            raise DuplicateSuspected(matches)
    employer.validate_constraints()
    employer.save()
    return employer


@transaction.atomic
def update_employer(
    *, actor: access.Actor, employer: Employer, expected_version: int | None
) -> Employer:
    access.require(actor, "employers.edit")
    _require_in_scope(actor, employer)
    lock_current(employer, expected_version)
    _normalise(employer)
    employer.full_clean(validate_constraints=False)
    _check_people(employer)
    _refuse_registered_establishment(employer)
    employer.validate_constraints()
    employer.save()
    return employer


@transaction.atomic
def merge_employers(*, actor: access.Actor, keep: Employer, duplicate: Employer) -> Employer:
    """Move everything of ``duplicate`` to ``keep``; the duplicate stays, marked as merged,
    so its history (and the change log) remains readable."""
    access.require(actor, "employers.merge")
    # Work on the stored state, locked, whatever copies the caller holds.
    keep = Employer.objects.select_for_update().get(pk=keep.pk)
    duplicate = Employer.objects.select_for_update().get(pk=duplicate.pk)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different employers."))
    if keep.region_id != duplicate.region_id:
        raise ValidationError(_("Only employers of the same region can be merged."))
    _require_in_scope(actor, keep)
    _require_in_scope(actor, duplicate)
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these employers was already merged."))
    for model in (ContactPerson, ContactMoment, Action, EmployerQuestion, WorkOpportunity):
        for record in model.objects.filter(employer=duplicate):
            record.employer = keep
            record.save(update_fields=["employer", "updated_at"])
    for field in (
        "kvk_number",
        "vestigingsnummer",
        "sbi_code",
        "size_class",
        "street",
        "postcode",
        "city",
        "website",
        "latitude",
        "longitude",
    ):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    keep.ambassador = keep.ambassador or duplicate.ambassador
    if PHASE_ORDER.index(duplicate.phase) > PHASE_ORDER.index(keep.phase):
        keep.phase = duplicate.phase
    if duplicate.notes:
        keep.notes = (keep.notes + "\n\n" if keep.notes else "") + duplicate.notes
    duplicate.merged_into = keep
    if duplicate.kvk_number == keep.kvk_number:
        duplicate.kvk_number = ""  # frees the unique establishment constraint; kept in the log
    duplicate.save()
    _refresh_contact_dates(keep)
    keep.save()
    return keep


def _refresh_contact_dates(employer: Employer) -> None:
    moments = ContactMoment.objects.filter(employer=employer)
    first = moments.order_by("date").values_list("date", flat=True).first()
    last = moments.order_by("-date").values_list("date", flat=True).first()
    last_visit = (
        moments.filter(channel__in=VISIT_CHANNELS)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    employer.first_contact_on, employer.last_contact_on, employer.last_visit_on = (
        first,
        last,
        last_visit,
    )


def _advance_phase(employer: Employer, phase: str) -> None:
    if PHASE_ORDER.index(phase) > PHASE_ORDER.index(employer.phase):
        employer.phase = phase


@dataclass(frozen=True)
class AgreedAction:
    title: str
    owner: Staff
    due_on: dt.date


@transaction.atomic
def record_contact(
    *,
    actor: access.Actor,
    employer: Employer,
    date: dt.date,
    channel: str,
    staff: Iterable[Staff] = (),
    contact_person: ContactPerson | None = None,
    notes: str = "",
    work_found: bool = False,
    actions: Sequence[AgreedAction] = (),
) -> ContactMoment:
    """Log a contact; the first contact ever with this employer is flagged (KPI 'new employer
    contact'), contact dates and the phase move on, agreed actions land in task lists."""
    access.require(actor, "employers.edit")
    _require_in_scope(actor, employer)
    if date > timezone.localdate():
        raise ValidationError({"date": _("A contact cannot be in the future.")})
    if contact_person is not None and contact_person.employer_id != employer.pk:
        raise ValidationError({"contact_person": _("This person does not work for this employer.")})
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    # The first contact ever (also when a forgotten older contact is entered afterwards).
    is_first = employer.first_contact_on is None or date < employer.first_contact_on
    recorder = Staff.objects.get(pk=actor.staff_id)
    moment = ContactMoment(
        employer=employer,
        date=date,
        channel=channel,
        contact_person=contact_person,
        notes=notes.strip(),
        work_found=work_found,
        recorded_by=recorder,
        is_first_contact=is_first,
    )
    moment.full_clean(exclude=["staff"])
    if moment.is_first_contact:
        ContactMoment.objects.filter(employer=employer, is_first_contact=True).update(
            is_first_contact=False
        )
    moment.save()
    present = {s.pk: s for s in staff}
    for colleague in present.values():
        _check_colleague(colleague, region_id=employer.region_id, field="staff")
    for agreed in actions:
        if agreed.title.strip():
            _check_colleague(agreed.owner, region_id=employer.region_id, field="actions")
    present.setdefault(recorder.pk, recorder)
    moment.staff.set(present.values())
    for agreed in actions:
        if not agreed.title.strip():
            continue
        action = Action(
            employer=employer,
            contact_moment=moment,
            title=agreed.title.strip(),
            owner=agreed.owner,
            due_on=agreed.due_on,
        )
        action.full_clean()
        action.save()
    _refresh_contact_dates(employer)
    if channel in VISIT_CHANNELS:
        _advance_phase(employer, Phase.VISITED)
    if work_found:
        _advance_phase(employer, Phase.ENGAGED)
    employer.save()
    return moment


@transaction.atomic
def add_action(
    *, actor: access.Actor, employer: Employer, title: str, owner: Staff, due_on: dt.date
) -> Action:
    access.require(actor, "employers.edit")
    _require_in_scope(actor, employer)
    _check_colleague(owner, region_id=employer.region_id, field="owner")
    action = Action(employer=employer, title=title.strip(), owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def complete_action(*, actor: access.Actor, action: Action) -> Action:
    access.require(actor, "employers.edit")
    _require_in_scope(actor, action.employer)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save()
    return action


@transaction.atomic
def save_contact_person(
    *,
    actor: access.Actor,
    person: ContactPerson,
    expected_version: int | None = None,
    via_import: bool = False,
) -> ContactPerson:
    if not (via_import and person.pk is None and access.can(actor, "employers.import")):
        access.require(actor, "employers.edit")
    _require_in_scope(actor, person.employer)
    if person.pk is not None:
        lock_current(person, expected_version)
    person.full_clean()
    if person.is_primary:
        for other in ContactPerson.objects.filter(
            employer=person.employer, is_primary=True
        ).exclude(pk=person.pk):
            other.is_primary = False
            other.save()
    person.save()
    return person


def handler_for(employer: Employer, *, on: dt.date) -> Staff:
    """Who answers this employer today: the owner, or while the owner is away the employer's
    named substitute (or the owner's own substitute chain when none is named or that person
    is away too)."""
    owner = employer.owner
    if not owner.is_away_on(on):
        return owner
    if employer.substitute is not None and not employer.substitute.is_away_on(on):
        return employer.substitute
    return region_services.acting_for(owner, on=on)


@transaction.atomic
def receive_question(
    *,
    actor: access.Actor,
    employer: Employer,
    question: str,
    topic: str,
    contact_person: ContactPerson | None = None,
    received_at: dt.datetime | None = None,
) -> EmployerQuestion:
    """Register a question from an employer; it goes to whoever handles the employer today."""
    if not (access.can(actor, "employers.edit") or access.can(actor, "portal.employer")):
        access.require(actor, "employers.edit")
    _require_in_scope(actor, employer)
    if contact_person is not None and contact_person.employer_id != employer.pk:
        raise ValidationError({"contact_person": _("This person does not work for this employer.")})
    received = received_at or timezone.now()
    if received > timezone.now():
        raise ValidationError({"received_at": _("A question cannot come in in the future.")})
    record = EmployerQuestion(
        employer=employer,
        contact_person=contact_person,
        question=question.strip(),
        topic=topic,
        received_at=received,
        assigned_to=handler_for(employer, on=timezone.localdate(received)),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def route_question(
    *, actor: access.Actor, question: EmployerQuestion, routed_to: str
) -> EmployerQuestion:
    access.require(actor, "employers.edit")
    _require_in_scope(actor, question.employer)
    if not routed_to.strip():
        raise ValidationError({"routed_to": _("Say to whom the question was passed on.")})
    question.routed_to = routed_to.strip()
    question.routed_at = timezone.now()
    question.save()
    return question


@transaction.atomic
def answer_question(
    *, actor: access.Actor, question: EmployerQuestion, answer: str
) -> EmployerQuestion:
    access.require(actor, "employers.edit")
    _require_in_scope(actor, question.employer)
    if not answer.strip():
        raise ValidationError({"answer": _("Write down the answer that was given.")})
    question.answer = answer.strip()
    question.answered_at = question.answered_at or timezone.now()
    question.save()
    return question


@transaction.atomic
def save_opportunity(
    *, actor: access.Actor, opportunity: WorkOpportunity, expected_version: int | None = None
) -> WorkOpportunity:
    """Create or change a work opportunity (status changes go through change_status)."""
    if not (access.can(actor, "employers.edit") or access.can(actor, "portal.employer")):
        access.require(actor, "employers.edit")
    _require_in_scope(actor, opportunity.employer)
    opportunity.tasks = [t.strip() for t in opportunity.tasks if str(t).strip()]
    if not opportunity.tasks:
        raise ValidationError({"tasks": _("Describe at least one task.")})
    creating = opportunity.pk is None
    if creating:
        opportunity.opened_on = opportunity.opened_on or timezone.localdate()
        opportunity.status = OpportunityStatus.OPEN
    else:
        access.require(actor, "employers.edit")  # employers submit work; staff maintain it
        lock_current(opportunity, expected_version)
        stored = WorkOpportunity.objects.get(pk=opportunity.pk)
        # The pipeline moves only through change_status, which records and reports it.
        opportunity.status, opportunity.opened_on = stored.status, stored.opened_on
        opportunity.filled_on, opportunity.closed_on = stored.filled_on, stored.closed_on
    if opportunity.occupation_code and (
        opportunity.occupation is None
        or opportunity.occupation.isco_code != opportunity.occupation_code
    ):
        opportunity.occupation = taxonomy_selectors.occupation_with_code(
            opportunity.occupation_code
        )
    opportunity.full_clean()
    opportunity.save()
    # The task lines found in the task list are what matching scores on.
    opportunity.skills.set(taxonomy_selectors.skills_named(opportunity.tasks).values())
    if creating:
        OpportunityStatusChange.objects.create(
            opportunity=opportunity,
            from_status="",
            to_status=OpportunityStatus.OPEN,
            at=timezone.now(),
            by_id=actor.user_id,
        )
        employer = Employer.objects.select_for_update().get(pk=opportunity.employer_id)
        _advance_phase(employer, Phase.OPPORTUNITY)
        employer.save()
    return opportunity


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    OpportunityStatus.OPEN: {
        OpportunityStatus.PROPOSED,
        OpportunityStatus.FILLED,
        OpportunityStatus.LAPSED,
    },
    OpportunityStatus.PROPOSED: {
        OpportunityStatus.INTRODUCTION,
        OpportunityStatus.OPEN,
        OpportunityStatus.FILLED,
        OpportunityStatus.LAPSED,
    },
    OpportunityStatus.INTRODUCTION: {
        OpportunityStatus.PROPOSED,
        OpportunityStatus.FILLED,
        OpportunityStatus.LAPSED,
        OpportunityStatus.OPEN,
    },
    OpportunityStatus.FILLED: {OpportunityStatus.OPEN},
    OpportunityStatus.LAPSED: {OpportunityStatus.OPEN},
}

EMPLOYER_MESSAGES = {
    OpportunityStatus.PROPOSED: "We hebben kandidaten gevonden voor uw werk '{title}'. "
    "Uw contactpersoon {owner} neemt contact met u op om ze voor te stellen.",
    OpportunityStatus.INTRODUCTION: "Voor uw werk '{title}' staat een kennismaking gepland. "
    "{owner} bespreekt de details met u.",
    OpportunityStatus.FILLED: "Uw werk '{title}' is ingevuld. Dank u wel! {owner} blijft uw "
    "vaste contactpersoon, ook voor de begeleiding na de start.",
    OpportunityStatus.LAPSED: "Uw werk '{title}' is afgesloten zonder invulling. {owner} neemt "
    "contact met u op over wat we anders kunnen doen.",
    OpportunityStatus.OPEN: "Uw werk '{title}' staat weer open. We zoeken verder naar "
    "kandidaten; {owner} houdt u op de hoogte.",
}


@transaction.atomic
def change_status(
    *, actor: access.Actor, opportunity: WorkOpportunity, to_status: str, note: str = ""
) -> OpportunityStatusChange:
    """Move an opportunity along its pipeline; the employer's contact persons are told in
    plain Dutch (every change that matters to them is reported back)."""
    access.require(actor, "employers.edit")
    _require_in_scope(actor, opportunity.employer)
    opportunity = (
        WorkOpportunity.objects.select_for_update()
        .select_related("employer__owner__user")
        .get(pk=opportunity.pk)
    )
    if to_status not in ALLOWED_TRANSITIONS.get(opportunity.status, set()):
        raise ValidationError(
            {
                "to_status": _("From '%(from)s' the status cannot go to '%(to)s'.")
                % {
                    "from": opportunity.get_status_display(),
                    "to": OpportunityStatus(to_status).label,
                }
            }
        )
    today = timezone.localdate()
    change = OpportunityStatusChange.objects.create(
        opportunity=opportunity,
        from_status=opportunity.status,
        to_status=to_status,
        at=timezone.now(),
        by_id=actor.user_id,
        note=note.strip()[:300],
    )
    opportunity.status = to_status
    opportunity.filled_on = today if to_status == OpportunityStatus.FILLED else None
    opportunity.closed_on = (
        today if to_status in (OpportunityStatus.FILLED, OpportunityStatus.LAPSED) else None
    )
    opportunity.save()
    recipients = [
        p.email for p in opportunity.employer.contact_persons.filter(active=True).exclude(email="")
    ]
    if recipients:
        owner = opportunity.employer.owner
        body = EMPLOYER_MESSAGES[to_status].format(title=opportunity.title, owner=owner)
        if change.note:
            body += f"\n\n{change.note}"
        body += f"\n\nMet vriendelijke groet,\n{owner}\n{owner.organisation}"
        outbox.queue(
            EmailMessage(
                subject=f"Nieuws over uw werk: {opportunity.title}", body=body, to=recipients
            ),
            key=f"opportunity-status:{change.uuid}",
            purpose="employers.opportunity_status",
        )
        change.reported_to_employer_at = timezone.now()
        change.save()
    return change


@transaction.atomic
def save_policy(*, actor: access.Actor, region: Region, **values: Any) -> EmployerPolicy:
    access.require(actor, "employers.policy")
    if region.pk != actor.region_id and not actor.is_superuser:
        raise ValidationError(_("You can only set the norms of your own region."))
    policy, _created = EmployerPolicy.objects.get_or_create(region=region)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    return policy
