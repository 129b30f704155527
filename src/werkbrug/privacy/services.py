"""Use cases of privacy: retention periods and the daily retention job, erasure of a candidate
file into a placeholder, and data-subject requests (inzage, correction, erasure) with their
deadlines.

Erasure keeps the aggregate history intact: the candidate row stays as a placeholder with its
codes and dates (municipality, status, segment, step, benefit, education, birth year), so every
count, KPI and effect measurement is the same before and after; everything that identifies the
person (name, BSN, contact details, free text, health, consents, portal account) is removed,
also from the before/after snapshots in the change log.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.candidates import services as candidate_services
from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    CandidateLanguage,
    Consent,
    HealthProfile,
    JourneyStatus,
    ServiceEpisode,
    WorkExperience,
)
from werkbrug.core import access, audit
from werkbrug.core.concurrency import lock_current
from werkbrug.evaluation.models import ControlGroupMember
from werkbrug.evaluation.models import Invitation as SurveyInvitation
from werkbrug.placements.aftercare import add_months
from werkbrug.privacy import retention
from werkbrug.privacy.models import (
    DataSubjectRequest,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RetentionPolicy,
    RetentionRun,
)
from werkbrug.regions.models import Region, Staff

#: What an erased name reads like, in lists and in the logs.
PLACEHOLDER = "[verwijderd]"

#: A file is closed when the journey ended: placed and out of aftercare, or returned.
CLOSED_STATUSES = (JourneyStatus.OUTCOME, JourneyStatus.RETURNED)

#: Records removed with the file: they only describe the person.
DELETED_WITH_FILE: tuple[type[models.Model], ...] = (
    HealthProfile,
    Consent,
    CandidateLanguage,
    WorkExperience,
    Appointment,
)

#: Text kept on related records: not about the person (a link hash, a job title for the
#: occupation statistics). Everything else that is free text is emptied.
KEPT_TEXT = {("meetings", "invitation", "token_hash"), ("placements", "placement", "job_title")}

#: Related records whose text belongs to someone else (the job coach) and stays.
NOT_THE_PERSONS = {("placements", "jobcoachassignment")}

#: Candidate fields kept on the placeholder: codes and dates the figures are made of.
CANDIDATE_CLEARED = {
    "first_name": "",
    "last_name": PLACEHOLDER,
    "email": "",
    "phone": "",
    "street": "",
    "postcode": "",
    "city": "",
    "latitude": None,
    "longitude": None,
    "bsn_encrypted": "",
    "talents": "",
    "motivation": "",
    "development_goals": "",
    "user": None,
}

# --- retention periods ------------------------------------------------------------------------


def months_for(region_id: int) -> dict[str, int]:
    """The period of each category for a region: its own setting or the default."""
    own = dict(
        RetentionPolicy.objects.filter(region_id=region_id).values_list("category", "months")
    )
    return {c.code: own.get(c.code, c.default_months) for c in retention.CATEGORIES}


@transaction.atomic
def save_period(
    *, actor: access.Actor, category: str, months: int, note: str = ""
) -> RetentionPolicy:
    access.require(actor, "privacy.retention")
    if category not in retention.BY_CODE:
        raise ValidationError({"category": _("Unknown category.")})
    allowed = retention.allowed_months(category)
    if months not in allowed:
        raise ValidationError(
            {
                "months": _("Choose between %(low)s and %(high)s months.")
                % {"low": allowed.start, "high": allowed.stop - 1}
            }
        )
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(
        region_id=actor.region_id,
        category=category,
        defaults={"months": months, "note": note},
    )
    if not _created:
        policy.months = months
        policy.note = note
        policy.version += 1
        policy.save()
    return policy


# --- what is due ------------------------------------------------------------------------------


def closed_files(region_id: int, before: dt.date) -> models.QuerySet[Candidate]:
    """Candidates whose file closed before ``before``: journey ended, no open service period,
    and no change or contact since (the clock starts at the last sign of life)."""
    moment = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    open_episode = ServiceEpisode.objects.filter(candidate=models.OuterRef("pk"), end__isnull=True)
    return (
        Candidate.objects.filter(region_id=region_id, status__in=CLOSED_STATUSES)
        .exclude(last_name=PLACEHOLDER, bsn_encrypted="")
        .filter(updated_at__lt=moment)
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=moment))
        .annotate(last_end=Max("episodes__end"))
        .filter(Q(last_end__isnull=True) | Q(last_end__lt=before))
        .exclude(models.Exists(open_episode))
    )


@dataclass
class Due:
    """What the retention job would do (or did) for one region."""

    candidate_files: int = 0
    health_profiles: int = 0
    log_entries: int = 0
    survey_invitations: int = 0
    cutoffs: dict[str, dt.date] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        return {
            retention.CANDIDATE_FILE: self.candidate_files,
            retention.HEALTH: self.health_profiles,
            retention.AUDIT_LOGS: self.log_entries,
            retention.SURVEY_REGISTRY: self.survey_invitations,
        }


def _querysets(region_id: int, today: dt.date) -> tuple[dict[str, Any], dict[str, dt.date]]:
    months = months_for(region_id)
    cutoffs = {code: retention.cutoff(today, m) for code, m in months.items()}
    files = closed_files(region_id, cutoffs[retention.CANDIDATE_FILE])
    health = HealthProfile.objects.filter(
        candidate__in=closed_files(region_id, cutoffs[retention.HEALTH]).values("pk")
    )
    from werkbrug.core.models import AccessLogEntry, ChangeLogEntry

    moment = timezone.make_aware(dt.datetime.combine(cutoffs[retention.AUDIT_LOGS], dt.time.min))
    logs = (
        ChangeLogEntry.objects.filter(region_id=region_id, at__lt=moment),
        AccessLogEntry.objects.filter(region_id=region_id, at__lt=moment),
    )
    invitations = SurveyInvitation.objects.filter(
        survey__region_id=region_id,
        survey__closes_on__lt=cutoffs[retention.SURVEY_REGISTRY],
    ).filter(Q(candidate__isnull=False) | Q(contact_person__isnull=False))
    return {"files": files, "health": health, "logs": logs, "invitations": invitations}, cutoffs


def due(*, region_id: int, today: dt.date | None = None) -> Due:
    """A preview: how many records of each category are past their period today."""
    today = today or timezone.localdate()
    sets, cutoffs = _querysets(region_id, today)
    return Due(
        candidate_files=sets["files"].count(),
        health_profiles=sets["health"].count(),
        log_entries=sum(q.count() for q in sets["logs"]),
        survey_invitations=sets["invitations"].count(),
        cutoffs=cutoffs,
    )


# --- erasure ----------------------------------------------------------------------------------


def _random_key() -> str:
    return "erased:" + secrets.token_hex(24)


def _free_text(model: type[models.Model]) -> list[str]:
    """The free-text fields of a model (codes, i.e. fields with choices, are not free text)."""
    label = (model._meta.app_label, model._meta.model_name)
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and (*label, f.name) not in KEPT_TEXT
    ]


def _related_records(candidate: Candidate) -> list[tuple[models.QuerySet, list[str]]]:
    """(queryset, text fields to empty) for every record that hangs off the candidate, one and
    two steps away (a placement's aftercare notes, a shortlist entry's conversations)."""
    found: list[tuple[models.QuerySet, list[str]]] = []

    def walk(model: type[models.Model], queryset: models.QuerySet, depth: int) -> None:
        for relation in model._meta.related_objects:
            related = relation.related_model
            label = (related._meta.app_label, related._meta.model_name)
            if related in DELETED_WITH_FILE or label in NOT_THE_PERSONS:
                continue
            if relation.many_to_many or related is DataSubjectRequest and depth > 0:
                continue
            rows = related._default_manager.filter(**{f"{relation.field.name}__in": queryset})
            found.append((rows, _free_text(related)))
            if depth < 1:
                walk(related, rows.values("pk"), depth + 1)

    walk(Candidate, Candidate.objects.filter(pk=candidate.pk).values("pk"), 0)
    return found


def erase_file(candidate: Candidate, *, reason: str) -> int:
    """Turn a candidate's file into a placeholder (see the module doc). Runs inside the
    caller's transaction; writes with plain updates so no signal copies the old values into
    the change log, then redacts the log entries of the records involved (their deletion
    entries included) and writes one change-log entry saying what happened and why. Returns
    the number of records touched."""
    uuids: list[Any] = [candidate.uuid]
    touched = 1
    for model in DELETED_WITH_FILE:
        rows = model._default_manager.filter(candidate=candidate)
        uuids += list(rows.values_list("uuid", flat=True))
        touched += rows.delete()[0]
    for rows, texts in _related_records(candidate):
        if "uuid" in {f.name for f in rows.model._meta.concrete_fields}:
            uuids += list(rows.values_list("uuid", flat=True))
        if texts:
            touched += rows.update(**dict.fromkeys(texts, ""))
    user_id = candidate.user_id
    birth = candidate.birth_date
    Candidate.objects.filter(pk=candidate.pk).update(
        **CANDIDATE_CLEARED,
        bsn_pseudonym=_random_key(),
        birth_date=dt.date(birth.year, 7, 1) if birth else None,
        version=models.F("version") + 1,
        updated_at=timezone.now(),
    )
    if user_id:
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        user = user_model.objects.get(pk=user_id)
        user.username = f"verwijderd-{secrets.token_hex(6)}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        uuids.append(getattr(user, "uuid", None))
    for model in (SurveyInvitation, ControlGroupMember):
        for pk in model._default_manager.filter(candidate=candidate).values_list("pk", flat=True):
            model._default_manager.filter(pk=pk).update(person_key=_random_key())
    SurveyInvitation.objects.filter(candidate=candidate).update(candidate=None)
    audit.redact_for_erasure(uuids, placeholder=PLACEHOLDER)
    candidate.refresh_from_db()
    audit.record_summary(candidate, note=reason)
    return touched


def is_closed(candidate: Candidate) -> bool:
    return (
        candidate.status in CLOSED_STATUSES
        and not candidate.episodes.filter(end__isnull=True).exists()
    )


# --- the retention job ------------------------------------------------------------------------


@transaction.atomic
def apply_retention(
    *, region: Region, today: dt.date | None = None, dry_run: bool = False, started_by: str = ""
) -> RetentionRun:
    """The daily job for one region: erase what is past its period, or only count it
    (``dry_run``). All or nothing per region; the run is recorded with its counts."""
    today = today or timezone.localdate()
    if dry_run:
        counts = due(region_id=region.pk, today=today).as_dict()
    else:
        sets, cutoffs = _querysets(region.pk, today)
        counts = dict.fromkeys(retention.BY_CODE, 0)
        due_ids = list(sets["files"].values_list("pk", flat=True))
        # Lock the rows by id (PostgreSQL allows no FOR UPDATE with the GROUP BY of the search).
        for candidate in (
            Candidate.objects.select_for_update().filter(pk__in=due_ids).order_by("pk")
        ):
            erase_file(
                candidate,
                reason=_("Retention period of %(months)s months passed (candidate file).")
                % {"months": months_for(region.pk)[retention.CANDIDATE_FILE]},
            )
            counts[retention.CANDIDATE_FILE] += 1
        health = list(sets["health"].values_list("pk", "uuid"))
        counts[retention.HEALTH] = HealthProfile.objects.filter(
            pk__in=[pk for pk, _u in health]
        ).delete()[0]
        audit.redact_for_erasure([u for _pk, u in health], placeholder=PLACEHOLDER)
        moment = timezone.make_aware(
            dt.datetime.combine(cutoffs[retention.AUDIT_LOGS], dt.time.min)
        )
        changes, accesses = audit.delete_older_than(moment, region_id=region.pk)
        counts[retention.AUDIT_LOGS] = changes + accesses
        invitations = sets["invitations"]
        # One statement: each person key becomes "erased:<the invitation's own uuid>", unique
        # per row (the survey's once-per-person constraint) and unrelated to the person.
        counts[retention.SURVEY_REGISTRY] = SurveyInvitation.objects.filter(
            pk__in=list(invitations.values_list("pk", flat=True))
        ).update(
            candidate=None,
            contact_person=None,
            person_key=Concat(Value("erased:"), Cast("uuid", output_field=models.CharField())),
        )
    return RetentionRun.objects.create(
        region=region, ran_at=timezone.now(), dry_run=dry_run, counts=counts, started_by=started_by
    )


# --- data-subject requests --------------------------------------------------------------------


def _staff(actor: access.Actor) -> Staff | None:
    return Staff.objects.filter(pk=actor.staff_id).first() if actor.staff_id else None


def _log(request: DataSubjectRequest, actor: access.Actor, what: str) -> None:
    staff = _staff(actor)
    RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        by_name=str(staff) if staff else actor.username,
        what=what[:300],
    )


def due_date(received_on: dt.date, *, extended: bool = False) -> dt.date:
    """AVG art. 12 lid 3: within one month of receipt; with the extension, three months."""
    return add_months(received_on, 3 if extended else 1)


@transaction.atomic
def register_request(
    *,
    actor: access.Actor,
    candidate: Candidate,
    kind: str,
    channel: str,
    received_on: dt.date,
    request_text: str,
) -> DataSubjectRequest:
    access.require(actor, "privacy.requests")
    if not candidate_services.has_full_access(actor, candidate):
        raise PermissionDenied
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    if not request_text.strip():
        raise ValidationError({"request_text": _("Write down what the person asks.")})
    request = DataSubjectRequest(
        region_id=candidate.region_id,
        municipality_id=candidate.municipality_id,
        candidate=candidate,
        kind=kind,
        channel=channel,
        received_on=received_on,
        due_on=due_date(received_on),
        request_text=request_text.strip(),
        handled_by=_staff(actor),
    )
    request.full_clean()
    request.save()
    _log(request, actor, _("Request registered."))
    return request


def _open(request: DataSubjectRequest, actor: access.Actor, expected_version: int | None) -> None:
    access.require(actor, "privacy.requests")
    if not access.scoped(DataSubjectRequest, actor).filter(pk=request.pk).exists():
        raise PermissionDenied
    lock_current(request, expected_version)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request has already been completed."))


@transaction.atomic
def extend_deadline(
    *, actor: access.Actor, request: DataSubjectRequest, reason: str, expected_version: int | None
) -> DataSubjectRequest:
    """Once, by two months, with a reason the person is told within the first month."""
    _open(request, actor, expected_version)
    if request.extended:
        raise ValidationError(_("The deadline can be extended only once."))
    if timezone.localdate() > request.due_on:
        raise ValidationError(
            _("The deadline has passed; an extension must be announced within the first month.")
        )
    if not reason.strip():
        raise ValidationError({"extension_reason": _("Give the reason for the extension.")})
    request.extended = True
    request.extension_reason = reason.strip()
    request.due_on = due_date(request.received_on, extended=True)
    request.save()
    _log(request, actor, _("Deadline extended to %(day)s.") % {"day": f"{request.due_on:%d-%m-%Y}"})
    return request


def record_export(*, actor: access.Actor, request: DataSubjectRequest, file_kind: str) -> None:
    """The inzage export (PDF or JSON) was made for this request: logged on the request and in
    the access log of the candidate."""
    access.require(actor, "privacy.requests")
    audit.log_access(request.candidate, purpose=_("Data subject request (access)"), action="export")
    _log(request, actor, _("Copy of the data made (%(kind)s).") % {"kind": file_kind})


#: The candidate's fields a correction may change (the record itself; other data is corrected
#: on the candidate's page, where its own rules apply).
CORRECTABLE = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "talents",
    "motivation",
    "development_goals",
)


@transaction.atomic
def correct(
    *,
    actor: access.Actor,
    request: DataSubjectRequest,
    changes: dict[str, Any],
    expected_version: int | None,
    candidate_version: int | None,
) -> DataSubjectRequest:
    """Correct fields of the candidate's record through the candidate service (its validation
    and version check apply; the change log keeps before and after)."""
    _open(request, actor, expected_version)
    if request.kind != RequestKind.RECTIFICATION:
        raise ValidationError(_("Only a correction request changes data."))
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValidationError({unknown[0]: _("This field cannot be corrected here.")})
    if not changes:
        raise ValidationError(_("Nothing to correct: no field was changed."))
    candidate_services.update_candidate(
        request.candidate, actor=actor, data=changes, expected_version=candidate_version
    )
    labels = [str(Candidate._meta.get_field(name).verbose_name) for name in sorted(changes)]
    request.save()
    _log(request, actor, _("Corrected: %(fields)s.") % {"fields": ", ".join(labels)})
    return request


def erasure_refusal(candidate: Candidate) -> str | None:
    """Why the law does not allow erasing this file now, or None when it does."""
    if not is_closed(candidate):
        return _(
            "The journey is still running: the municipality needs the file to carry out the "
            "Participatiewet (AVG art. 17 lid 3 sub b). Erasure is possible once it has ended."
        )
    return None


@transaction.atomic
def complete(
    *,
    actor: access.Actor,
    request: DataSubjectRequest,
    outcome: str,
    refuse: bool = False,
    expected_version: int | None,
) -> DataSubjectRequest:
    """Close the request with the answer to the person. Granting an erasure request erases the
    file (when the law allows it; otherwise it must be refused with the reason)."""
    _open(request, actor, expected_version)
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write down the answer to the person.")})
    if request.kind == RequestKind.ERASURE and not refuse:
        reason = erasure_refusal(request.candidate)
        if reason:
            raise ValidationError({"outcome": reason})
        erase_file(request.candidate, reason=_("Erased on request (AVG art. 17)."))
        # erase_file emptied this request's texts too (it hangs off the candidate).
        request.request_text = request.extension_reason = ""
    request.status = RequestStatus.REFUSED if refuse else RequestStatus.DONE
    request.completed_on = timezone.localdate()
    request.outcome = outcome.strip()
    request.save()
    _log(request, actor, _("Refused.") if refuse else _("Completed."))
    return request
