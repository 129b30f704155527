"""Evaluation use cases: surveys from templates, invitations with personal links, anonymous
answers, reminders, control groups and the complaints register.

Personal links work as the meeting invitations' do (meetings.services): the token is an
HMAC (SHA-256, keyed with the secret key) of the invitation's uuid and link version, 256 bits
nobody can guess; only its SHA-256 is stored, and a reminder derives the same link again.
A link expires when the survey closes and works for one completed questionnaire.

Anonymity: ``submit`` writes the answers to a ``Response`` that carries the group, the mode
and the day, and marks the invitation completed on that day. Nothing links the two, so the
registry can say who answered, and the answers cannot say who gave them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from werkbrug.candidates.models import Candidate
from werkbrug.core import access, outbox, pseudonymisation
from werkbrug.employers.models import ContactPerson
from werkbrug.evaluation import questionnaires, sampling
from werkbrug.evaluation.models import (
    Channel,
    Complaint,
    ComplaintSettlement,
    ControlGroup,
    ControlGroupMember,
    ControlMethod,
    Group,
    Invitation,
    Mode,
    Response,
    Survey,
    SurveyStatus,
)

LINK_SALT = "werkbrug.evaluation.survey-link"
#: Templates whose control group gets its own wording of the same items.
CONTROL_TEMPLATE = {"werktop_kandidaat": "werktop_controlegroep"}
#: At most this many reminders per invitation (the Werktop surveys sent one or two).
MAX_REMINDERS = 2
#: A reminder goes out at the earliest this many days after the invitation or last reminder.
REMINDER_AFTER_DAYS = 7


# --- personal links -------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(invitation: Invitation) -> str:
    digest = salted_hmac(LINK_SALT, str(invitation.uuid), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def person_key(*, candidate: Candidate | None = None, contact: ContactPerson | None = None) -> str:
    """The pseudonym that keeps one person from being invited twice (and from being in a
    control group twice), without the registry needing a name to check it."""
    value = f"candidate:{candidate.uuid}" if candidate else f"contact:{contact.uuid}"  # type: ignore[union-attr]
    return pseudonymisation.pseudonym(value, key=settings.PSEUDONYM_KEY, purpose="evaluation")


def _require(actor: access.Actor, permission: str, record: Any = None) -> None:
    access.require(actor, permission)
    if record is not None and not access.scoped(type(record), actor).filter(pk=record.pk).exists():
        raise PermissionDenied


# --- surveys --------------------------------------------------------------------------------


@transaction.atomic
def create_survey(
    *,
    actor: access.Actor,
    title: str,
    template_code: str,
    closes_on: dt.date,
    min_cell_size: int = 10,
    incentive: str = "",
    control_group: ControlGroup | None = None,
) -> Survey:
    """A survey with a copy of the template's questions (editable until it opens)."""
    _require(actor, "evaluation.research")
    if control_group is not None:
        _require(actor, "evaluation.research", control_group)
    if template_code not in questionnaires.template_codes():
        raise ValidationError({"template_code": _("Unknown questionnaire template.")})
    if closes_on <= timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date must lie in the future.")})
    if min_cell_size < 1:
        raise ValidationError({"min_cell_size": _("The smallest cell must be at least 1.")})
    template = questionnaires.load_template(template_code)
    control_code = CONTROL_TEMPLATE.get(template_code) if control_group is not None else None
    return Survey.objects.create(
        control_questionnaire=questionnaires.to_dict(questionnaires.load_template(control_code))
        if control_code
        else None,
        region_id=actor.region_id,
        title=title.strip() or template.title,
        template_code=template_code,
        audience=template.audience,
        questionnaire=questionnaires.to_dict(template),
        closes_on=closes_on,
        min_cell_size=min_cell_size,
        incentive=incentive.strip(),
        control_group=control_group,
        created_by_id=actor.staff_id,
    )


@transaction.atomic
def update_questionnaire(*, actor: access.Actor, survey: Survey, data: Mapping[str, Any]) -> Survey:
    """Replace the questions of a draft survey; every problem is named at once."""
    _require(actor, "evaluation.research", survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("Questions can only be changed before the survey is sent."))
    try:
        parsed = questionnaires.parse(data)
    except questionnaires.QuestionnaireError as error:
        raise ValidationError(list(error.problems)) from error
    survey.questionnaire = questionnaires.to_dict(parsed)
    survey.version += 1
    survey.save()
    return survey


def questionnaire_of(
    survey: Survey, group: str = Group.PARTICIPANT
) -> questionnaires.Questionnaire:
    """The questions as the group sees them (the analysis uses the participants' version:
    the control version has the same codes)."""
    if group == Group.CONTROL and survey.control_questionnaire:
        return questionnaires.parse(survey.control_questionnaire)
    return questionnaires.parse(survey.questionnaire)


@transaction.atomic
def close_survey(*, actor: access.Actor, survey: Survey) -> Survey:
    _require(actor, "evaluation.research", survey)
    survey.status = SurveyStatus.CLOSED
    survey.version += 1
    survey.save()
    return survey


# --- invitations ----------------------------------------------------------------------------


def _expires_at(survey: Survey) -> dt.datetime:
    end_of_day = dt.datetime.combine(survey.closes_on, dt.time(23, 59, 59))
    return timezone.make_aware(end_of_day)


def _contact_of(invitation: Invitation) -> tuple[str, str]:
    """(first name, e-mail address) of the invited person."""
    if invitation.candidate_id:
        return invitation.candidate.first_name, invitation.candidate.email
    if invitation.contact_person_id:
        return invitation.contact_person.name, invitation.contact_person.email
    return "", ""


def _mail(invitation: Invitation, url: str, *, reminder: bool) -> None:
    """Queue the invitation or reminder in the outbox (sent when the caller commits): once
    per invitation, and once per reminder number."""
    name, address = _contact_of(invitation)
    if not address:
        return
    survey = invitation.survey
    lines = [
        _("Dear %(name)s,") % {"name": name} if name else _("Hello,"),
        "",
        (
            _("A short reminder: we would still like to hear from you.")
            if reminder
            else _("We would like to know what you think of our service to employers.")
            if invitation.contact_person_id
            else _("We would like to know what you think of the help with finding work.")
        ),
        _("Your answers are anonymous: nobody sees who gave which answer."),
        "",
        _("Your personal link (valid until %(day)s):") % {"day": f"{survey.closes_on:%d-%m-%Y}"},
        url,
    ]
    if survey.incentive:
        lines += ["", _("As a thank you: %(incentive)s.") % {"incentive": survey.incentive}]
    lines += ["", _("Kind regards,"), "Werkbrug"]
    subject = _("Reminder: %(title)s") if reminder else _("Questionnaire: %(title)s")
    message = EmailMessage(
        subject=subject % {"title": survey.title}, body="\n".join(lines), to=[address]
    )
    if reminder:
        key = f"survey-reminder:{invitation.uuid}:{invitation.reminders_sent}"
        outbox.queue(message, key=key, purpose="survey.reminder")
    else:
        key = f"survey-invitation:{invitation.uuid}"
        outbox.queue(message, key=key, purpose="survey.invitation")


def survey_url(invitation: Invitation, base_url: str) -> str:
    """``base_url`` contains TOKEN where the personal token goes."""
    return base_url.replace("TOKEN", link_token(invitation))


@transaction.atomic
def invite(
    *,
    actor: access.Actor,
    survey: Survey,
    group: str,
    channel: str,
    candidates: Iterable[Candidate] = (),
    contacts: Iterable[ContactPerson] = (),
    base_url: str,
) -> list[Invitation]:
    """Invite people; someone already invited to this survey is skipped (never twice).
    E-mail invitations go out when the transaction commits; letters are printed from the
    survey page. Returns the new invitations."""
    _require(actor, "evaluation.research", survey)
    if survey.status == SurveyStatus.CLOSED or survey.closes_on < timezone.localdate():
        raise ValidationError(_("This survey is closed."))
    if group not in Group.values:
        raise ValidationError({"group": _("Unknown group.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    people: list[tuple[str, Candidate | None, ContactPerson | None]] = []
    for candidate in candidates:
        if candidate.region_id != survey.region_id:
            raise PermissionDenied
        people.append((person_key(candidate=candidate), candidate, None))
    for contact in contacts:
        if contact.employer.region_id != survey.region_id:
            raise PermissionDenied
        people.append((person_key(contact=contact), None, contact))
    known = set(
        Invitation.objects.filter(survey=survey, person_key__in=[p[0] for p in people]).values_list(
            "person_key", flat=True
        )
    )
    now = timezone.now()
    created: list[Invitation] = []
    for key, candidate, contact in people:
        if key in known:
            continue
        known.add(key)
        invitation = Invitation(
            survey=survey,
            person_key=key,
            candidate=candidate,
            contact_person=contact,
            group=group,
            channel=channel,
            expires_at=_expires_at(survey),
            sent_at=now if channel == Channel.EMAIL else None,
        )
        invitation.token_hash = hash_token(link_token(invitation))
        created.append(invitation)
    Invitation.objects.bulk_create(created)
    if survey.status == SurveyStatus.DRAFT and created:
        survey.status = SurveyStatus.OPEN
        survey.save()
    for invitation in created:
        if invitation.channel == Channel.EMAIL:
            _mail(invitation, survey_url(invitation, base_url), reminder=False)
    return created


@transaction.atomic
def invite_control_group(
    *, actor: access.Actor, survey: Survey, channel: str, base_url: str
) -> list[Invitation]:
    """Invite the survey's control group: its participants as participants and its drawn
    controls as controls, all with the same questionnaire (as Werktop did)."""
    _require(actor, "evaluation.research", survey)
    if survey.control_group_id is None:
        raise ValidationError(_("This survey has no control group."))
    members = ControlGroupMember.objects.filter(
        control_group_id=survey.control_group_id, candidate__isnull=False
    ).select_related("candidate")
    created: list[Invitation] = []
    for group in (Group.PARTICIPANT, Group.CONTROL):
        created += invite(
            actor=actor,
            survey=survey,
            group=group,
            channel=channel,
            candidates=[m.candidate for m in members if m.group == group],
            base_url=base_url,
        )
    return created


def letters_for(actor: access.Actor, survey: Survey) -> list[Invitation]:
    """The letter invitations not yet answered, with names and addresses: only for who sends."""
    _require(actor, "evaluation.send", survey)
    return list(
        access.scoped(Invitation, actor)
        .filter(survey=survey, channel=Channel.LETTER, completed_on__isnull=True)
        .select_related("candidate", "contact_person__employer")
        .order_by("id")
    )


@transaction.atomic
def mark_letters_sent(*, actor: access.Actor, survey: Survey) -> int:
    _require(actor, "evaluation.send", survey)
    return Invitation.objects.filter(
        survey=survey, channel=Channel.LETTER, sent_at__isnull=True
    ).update(sent_at=timezone.now())


def send_reminders(*, survey: Survey, base_url: str, today: dt.date | None = None) -> int:
    """One reminder to everyone invited by e-mail who has not answered, at most
    MAX_REMINDERS each and REMINDER_AFTER_DAYS apart; each reminder is recorded in the same
    transaction that queues its e-mail (core.outbox), so a run that is stopped and started
    again never mails twice and never skips one."""
    now = timezone.now()
    today = today or timezone.localdate()
    if survey.status != SurveyStatus.OPEN or survey.closes_on < today:
        return 0
    due_before = now - dt.timedelta(days=REMINDER_AFTER_DAYS)
    due = Invitation.objects.filter(
        survey=survey,
        channel=Channel.EMAIL,
        completed_on__isnull=True,
        reminders_sent__lt=MAX_REMINDERS,
        sent_at__lte=due_before,
    ).filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=due_before))
    sent = 0
    for invitation_id in due.values_list("id", flat=True):
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("survey", "candidate", "contact_person")
                .get(id=invitation_id)
            )
            if invitation.completed_on or invitation.reminders_sent >= MAX_REMINDERS:
                continue
            invitation.reminders_sent += 1
            invitation.last_reminded_at = now
            invitation.save(update_fields=["reminders_sent", "last_reminded_at"])
            _mail(invitation, survey_url(invitation, base_url), reminder=True)
        sent += 1
    return sent


# --- answering through a personal link (no account) ------------------------------------------


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link belongs to; the same message for unknown and guessed tokens."""
    invitation = (
        Invitation.objects.select_related("survey")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(_("This link is not valid."))
    if invitation.completed_on is not None:
        raise ValidationError(_("This questionnaire has been filled in. Thank you!"))
    if invitation.expires_at < timezone.now() or invitation.survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("This questionnaire is closed."))
    return invitation


def open_link(token: str) -> tuple[Invitation, questionnaires.Questionnaire]:
    invitation = invitation_for_token(token)
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    return invitation, questionnaire_of(invitation.survey, invitation.group)


@transaction.atomic
def submit(
    *, token: str, raw: Mapping[str, str | list[str]], mode: str = Mode.WEB
) -> tuple[Response | None, dict[str, str]]:
    """Store the answers anonymously. Returns (response, {}) or (None, errors by question
    code) when an answer is wrong; nothing is stored then. A second submit with the same
    link (a double click, the back button) is refused by the lock and the completed mark."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.completed_on is not None:
        raise ValidationError(_("This questionnaire has been filled in. Thank you!"))
    questionnaire = questionnaire_of(invitation.survey, invitation.group)
    answers, errors = questionnaires.clean_answers(questionnaire, raw)
    if errors:
        return None, errors
    today = timezone.localdate()
    response = Response.objects.create(
        survey_id=invitation.survey_id,
        group=invitation.group,
        mode=mode,
        submitted_on=today,
        answers=answers,
    )
    # The response's own timestamps keep the day only too: to the millisecond they would
    # match the invitation's opened_at (set just below) and undo the anonymity.
    day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    Response.objects.filter(pk=response.pk).update(created_at=day, updated_at=day)
    response.created_at = response.updated_at = day
    invitation.completed_on = today
    if invitation.opened_at is None:
        invitation.opened_at = timezone.now()
    invitation.save(update_fields=["completed_on", "opened_at"])
    return response, {}


# --- control groups -------------------------------------------------------------------------

#: What a stratum can be made of: the register variables the Werktop report compared.
STRATA = {
    "municipality": _("municipality"),
    "ladder_step": _("participation ladder step"),
    "benefit_duration": _("benefit duration"),
}


def _took_part(since: dt.date) -> Q:
    """Taking part: a conversation at a prettig gesprek, a shortlist entry or a placement
    from the intervention's start on."""
    return (
        Q(meeting_conversations__meeting__starts_at__date__gte=since)
        | Q(shortlist_entries__created_at__date__gte=since)
        | Q(placements__start_on__gte=since)
    )


def frame_queryset(region_id: int, criteria: Mapping[str, Any]):  # noqa: ANN201
    """Everyone in the sampling frame, participants included: the region's candidates on a
    benefit, filtered by the criteria (municipality uuids, ladder steps, benefit types)."""
    queryset = Candidate.objects.filter(region_id=region_id)
    if criteria.get("municipalities"):
        queryset = queryset.filter(municipality__uuid__in=criteria["municipalities"])
    if criteria.get("ladder_steps"):
        queryset = queryset.filter(ladder_step__in=criteria["ladder_steps"])
    if criteria.get("benefit_types"):
        queryset = queryset.filter(benefit_type__in=criteria["benefit_types"])
    return queryset


def _stratum(row: Mapping[str, Any], strata: Sequence[str]) -> str:
    return " | ".join(f"{name}={row.get(name) or '-'}" for name in strata)


@transaction.atomic
def draw_control_group(
    *,
    actor: access.Actor,
    name: str,
    intervention_start: dt.date,
    size: int,
    seed: int,
    method: str = ControlMethod.RANDOM,
    strata: Sequence[str] = (),
    criteria: Mapping[str, Any] | None = None,
) -> ControlGroup:
    """Draw and freeze a control group: the participants are recorded as they are on the
    day of the draw, and ``size`` controls are drawn from the people in the frame who did
    not take part. The frame, method, strata and seed are kept, so the draw can be redone."""
    _require(actor, "evaluation.research")
    criteria = dict(criteria or {})
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the control group a name.")
    if method not in ControlMethod.values:
        errors["method"] = _("Unknown method.")
    unknown = [s for s in strata if s not in STRATA]
    if unknown:
        errors["strata"] = _("Unknown stratification variable: %(names)s.") % {
            "names": ", ".join(unknown)
        }
    if method == ControlMethod.STRATIFIED and not strata:
        errors["strata"] = _("Choose at least one variable to stratify by.")
    if size < 1:
        errors["size"] = _("Draw at least one person.")
    if errors:
        raise ValidationError(errors)
    frame = frame_queryset(actor.region_id, criteria)
    fields = ["id", "uuid", "municipality__name", "ladder_step", "benefit_duration"]
    participants = list(frame.filter(_took_part(intervention_start)).distinct().values(*fields))
    participant_ids = {row["id"] for row in participants}
    rows = [row for row in frame.values(*fields) if row["id"] not in participant_ids]
    renamed = [{**row, "municipality": row["municipality__name"]} for row in rows]
    units = {str(row["uuid"]): row for row in renamed}
    try:
        drawn = sampling.draw(
            [sampling.Unit(key, _stratum(row, strata)) for key, row in units.items()],
            size=size,
            seed=seed,
            stratified=method == ControlMethod.STRATIFIED,
        )
    except sampling.SamplingError as error:
        raise ValidationError({"size": str(error)}) from error
    group = ControlGroup.objects.create(
        region_id=actor.region_id,
        name=name.strip(),
        intervention_start=intervention_start,
        criteria=criteria,
        method=method,
        strata=list(strata),
        size=size,
        seed=seed,
        frame_size=len(units),
        participant_count=len(participants),
        drawn_at=timezone.now(),
        drawn_by_id=actor.staff_id,
    )
    members = [
        ControlGroupMember(
            control_group=group,
            candidate_id=units[unit.key]["id"],
            person_key=_candidate_key(unit.key),
            group=Group.CONTROL,
            stratum=unit.stratum,
        )
        for unit in drawn
    ]
    members += [
        ControlGroupMember(
            control_group=group,
            candidate_id=row["id"],
            person_key=_candidate_key(str(row["uuid"])),
            group=Group.PARTICIPANT,
            stratum=_stratum({**row, "municipality": row["municipality__name"]}, strata),
        )
        for row in participants
    ]
    ControlGroupMember.objects.bulk_create(members, batch_size=2000)
    return group


def _candidate_key(candidate_uuid: str) -> str:
    return pseudonymisation.pseudonym(
        f"candidate:{candidate_uuid}", key=settings.PSEUDONYM_KEY, purpose="evaluation"
    )


def redraw(control_group: ControlGroup) -> list[str]:
    """The controls the recorded frame, method, strata and seed give today, as candidate
    uuids: equal to the frozen members as long as the frame has not changed."""
    frame = frame_queryset(control_group.region_id, control_group.criteria)
    fields = ["id", "uuid", "municipality__name", "ladder_step", "benefit_duration"]
    participant_ids = set(
        control_group.members.filter(group=Group.PARTICIPANT).values_list("candidate_id", flat=True)
    )
    rows = [
        {**row, "municipality": row["municipality__name"]}
        for row in frame.values(*fields)
        if row["id"] not in participant_ids
    ]
    drawn = sampling.draw(
        [sampling.Unit(str(row["uuid"]), _stratum(row, control_group.strata)) for row in rows],
        size=control_group.size,
        seed=control_group.seed,
        stratified=control_group.method == ControlMethod.STRATIFIED,
    )
    return [unit.key for unit in drawn]


# --- complaints -----------------------------------------------------------------------------


@transaction.atomic
def record_complaint(*, actor: access.Actor, **fields: Any) -> Complaint:
    _require(actor, "evaluation.complaints")
    complaint = Complaint(region_id=actor.region_id, recorded_by_id=actor.staff_id, **fields)
    _check_complaint(complaint)
    complaint.save()
    return complaint


@transaction.atomic
def settle_complaint(
    *, actor: access.Actor, complaint: Complaint, settlement: str, settled_on: dt.date
) -> Complaint:
    _require(actor, "evaluation.complaints", complaint)
    complaint.settlement = settlement
    complaint.settled_on = settled_on
    _check_complaint(complaint)
    complaint.version += 1
    complaint.save()
    return complaint


def _check_complaint(complaint: Complaint) -> None:
    errors: dict[str, str] = {}
    if complaint.received_on and complaint.received_on > timezone.localdate():
        errors["received_on"] = _("A complaint cannot be received in the future.")
    if complaint.settlement == ComplaintSettlement.OPEN and complaint.settled_on:
        errors["settled_on"] = _("An open complaint has no settlement date.")
    if complaint.settlement != ComplaintSettlement.OPEN and not complaint.settled_on:
        errors["settled_on"] = _("Give the day the complaint was settled.")
    if (
        complaint.settled_on
        and complaint.received_on
        and complaint.settled_on < complaint.received_on
    ):
        errors["settled_on"] = _("Settled before it was received?")
    if errors:
        raise ValidationError(errors)
    complaint.full_clean(exclude=["region", "recorded_by"])
