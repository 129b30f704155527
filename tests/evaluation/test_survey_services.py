"""Survey use cases: a survey copies its template; personal links are unguessable and only
their hash is kept; answers are stored without any link to who gave them; reminders go out
once per due invitation; letters are for who sends them; the complaints register checks its
dates and counts per year."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from candidates_support import make_candidate
from steering_support import place
from werkbrug.core.access import actor_for
from werkbrug.employers.models import Employer
from werkbrug.evaluation import questionnaires, selectors, services
from werkbrug.evaluation.models import (
    Channel,
    Complaint,
    Group,
    Invitation,
    Response,
    Survey,
    SurveyStatus,
)

BASE_URL = "https://x/enquete/TOKEN/"
TEMPLATE = "werktop_kandidaat"
LINK_RE = re.compile(r"https://x/enquete/([A-Za-z0-9_-]+)/")


def _in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def _survey(people: dict[str, Any], role: str = "onderzoeker", **fields: Any) -> Survey:
    values: dict[str, Any] = {
        "title": "Werktop 2025",
        "template_code": TEMPLATE,
        "closes_on": _in_a_month(),
    }
    return services.create_survey(actor=actor_for(people[role]), **(values | fields))


def _answers(survey: Survey, **overrides: Any) -> dict[str, Any]:
    """A complete, valid set of raw answers: on a benefit (so the job section is skipped) and
    without contact with a relationship manager (so that section is skipped too)."""
    raw: dict[str, Any] = {}
    for question in services.questionnaire_of(survey).questions:
        if question.kind == questionnaires.Kind.LIKERT:
            raw[question.code] = "2"
        elif question.kind == questionnaires.Kind.SINGLE:
            raw[question.code] = question.choices[0].value
        elif question.kind == questionnaires.Kind.MULTI:
            raw[question.code] = [question.choices[0].value]
        elif question.kind == questionnaires.Kind.YESNO:
            raw[question.code] = "ja"
        elif question.kind == questionnaires.Kind.GRADE:
            raw[question.code] = "7"
        elif question.kind == questionnaires.Kind.NUMBER:
            raw[question.code] = str(question.minimum)
        else:
            raw[question.code] = "Meer vacatures in de buurt."
    raw.update(werksituatie="3", contact_gemeente="nee")
    raw.update(overrides)
    return raw


def _invite(
    people: dict[str, Any],
    survey: Survey,
    candidates: list[Any],
    *,
    group: str = Group.PARTICIPANT,
    channel: str = Channel.EMAIL,
) -> list[Invitation]:
    return services.invite(
        actor=actor_for(people["teamleider"]),
        survey=survey,
        group=group,
        channel=channel,
        candidates=candidates,
        base_url=BASE_URL,
    )


def _database_values() -> list[str]:
    """Every value in every table of the test database, as text."""
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values.extend(str(value) for row in cursor.fetchall() for value in row)
    return values


# --- creating a survey ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["onderzoeker", "teamleider", "beheerder"])
def test_create_survey_copies_the_template(people, role):
    """Researchers, team leads and administrators create a draft survey whose questions are a
    copy of the template, in their own region."""
    survey = _survey(people, role, min_cell_size=5, incentive=" Een cadeaubon van 10 euro ")

    assert survey.questionnaire == questionnaires.to_dict(questionnaires.load_template(TEMPLATE))
    assert survey.status == SurveyStatus.DRAFT
    assert survey.audience == "candidate"
    assert survey.template_code == TEMPLATE
    assert survey.region_id == actor_for(people[role]).region_id
    assert (survey.min_cell_size, survey.incentive) == (5, "Een cadeaubon van 10 euro")


def test_create_survey_without_a_title_takes_the_templates(people):
    """An empty title becomes the template's title."""
    survey = _survey(people, title="  ")
    assert survey.title == questionnaires.load_template(TEMPLATE).title


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"template_code": "werktop_onbekend"}, "template_code"),
        ({"closes_on": dt.date(2020, 1, 1)}, "closes_on"),
        ({"closes_on": "today"}, "closes_on"),
        ({"min_cell_size": 0}, "min_cell_size"),
    ],
)
def test_create_survey_refuses_wrong_input_by_field(people, fields, field):
    """An unknown template, a closing date that is not in the future and a smallest cell
    below 1 are refused, each named by its field; nothing is stored."""
    if fields.get("closes_on") == "today":
        fields = {"closes_on": timezone.localdate()}
    with pytest.raises(ValidationError) as refused:
        _survey(people, **fields)
    assert set(refused.value.message_dict) == {field}
    assert not Survey.objects.exists()


def test_a_relationship_manager_cannot_create_a_survey(people):
    """Creating surveys needs evaluation.research: a relationship manager is refused."""
    with pytest.raises(PermissionDenied):
        _survey(people, "relatiemanager")
    assert not Survey.objects.exists()


# --- inviting -------------------------------------------------------------------------------


def test_invitation_links_are_unguessable_and_only_their_hash_is_stored(
    regions, people, django_capture_on_commit_callbacks
):
    """Each token is at least 43 URL-safe characters, differs per person, is stored only as
    its SHA-256 and appears in no column of any table."""
    survey = _survey(people)
    candidates = [make_candidate(regions["own"]) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        invitations = _invite(people, survey, candidates)

    tokens = [services.link_token(invitation) for invitation in invitations]
    assert len(set(tokens)) == 3
    for invitation, token in zip(invitations, tokens, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)
        stored = Invitation.objects.get(pk=invitation.pk)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    values = _database_values()
    assert values  # the scan did read the database
    assert not [value for value in values if any(token in value for token in tokens)]


def test_invitation_mail_goes_out_on_commit_with_the_personal_link(
    regions, people, django_capture_on_commit_callbacks
):
    """The e-mail is sent when the transaction commits (not before), to the candidate, with
    the personal link in the base URL; the survey opens and the invitation counts as sent."""
    survey = _survey(people, incentive="een cadeaubon")
    candidate = make_candidate(regions["own"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (invitation,) = _invite(people, survey, [candidate])
        assert mail.outbox == []  # not yet: the transaction has not committed

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [candidate.email]
    token = services.link_token(invitation)
    assert f"https://x/enquete/{token}/" in message.body
    assert LINK_RE.findall(message.body) == [token]
    assert "een cadeaubon" in message.body
    assert survey.title in message.subject
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.sent_at is not None
    assert (stored.group, stored.channel, stored.candidate_id) == (
        Group.PARTICIPANT,
        Channel.EMAIL,
        candidate.pk,
    )
    assert stored.expires_at.date() == survey.closes_on


def test_inviting_the_same_candidate_twice_creates_one_invitation(
    regions, people, django_capture_on_commit_callbacks
):
    """Double invitations (what contaminated the Werktop control group) are prevented: a
    second invitation, in either group and in the same call or a later one, is skipped."""
    survey = _survey(people)
    candidate = make_candidate(regions["own"])
    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(people, survey, [candidate, candidate])
        again = _invite(people, survey, [candidate], group=Group.CONTROL)

    assert len(first) == 1 and again == []
    assert Invitation.objects.filter(survey=survey).count() == 1
    assert Invitation.objects.get(survey=survey).group == Group.PARTICIPANT
    assert len(mail.outbox) == 1


def test_a_candidate_of_another_region_is_refused(
    regions, people, django_capture_on_commit_callbacks
):
    """A candidate from another region cannot be invited; nothing is stored or sent, and the
    survey stays a draft."""
    survey = _survey(people)
    ours, theirs = make_candidate(regions["own"]), make_candidate(regions["other"])
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        _invite(people, survey, [ours, theirs])

    assert not Invitation.objects.exists()
    assert mail.outbox == []
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_letter_invitations_send_no_mail_until_the_letters_are_marked_sent(
    regions, people, django_capture_on_commit_callbacks
):
    """A letter invitation sends no e-mail and has no sent date until mark_letters_sent."""
    survey = _survey(people)
    candidates = [make_candidate(regions["own"]) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        invitations = _invite(people, survey, candidates, channel=Channel.LETTER)

    assert mail.outbox == []
    assert len(invitations) == 2
    assert not Invitation.objects.filter(survey=survey, sent_at__isnull=False).exists()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN

    sent = services.mark_letters_sent(actor=actor_for(people["teamleider"]), survey=survey)
    assert sent == 2
    assert not Invitation.objects.filter(survey=survey, sent_at__isnull=True).exists()
    assert services.mark_letters_sent(actor=actor_for(people["teamleider"]), survey=survey) == 0
    assert mail.outbox == []


def test_letters_are_for_who_sends_them_not_for_researchers(
    regions, people, django_capture_on_commit_callbacks
):
    """letters_for needs evaluation.send: the team lead gets the unanswered letters with
    names; the researcher (who sees no names) is refused, for the list and for marking them
    sent."""
    survey = _survey(people)
    by_letter = [make_candidate(regions["own"]) for _ in range(2)]
    by_mail = make_candidate(regions["own"])
    with django_capture_on_commit_callbacks(execute=True):
        letters = _invite(people, survey, by_letter, channel=Channel.LETTER)
        _invite(people, survey, [by_mail])
    services.submit(token=services.link_token(letters[1]), raw=_answers(survey))

    listed = services.letters_for(actor_for(people["teamleider"]), survey)
    assert [i.pk for i in listed] == [letters[0].pk]
    assert listed[0].candidate.first_name == by_letter[0].first_name
    with pytest.raises(PermissionDenied):
        services.letters_for(actor_for(people["onderzoeker"]), survey)
    with pytest.raises(PermissionDenied):
        services.mark_letters_sent(actor=actor_for(people["onderzoeker"]), survey=survey)
    with pytest.raises(PermissionDenied):
        services.letters_for(actor_for(people["other_region_admin"]), survey)


def test_invite_control_group_invites_participants_and_controls_in_their_group(
    regions, people, django_capture_on_commit_callbacks
):
    """The drawn control group's participants are invited as participants and its controls
    as controls; who is in neither is not invited; a second run invites nobody again."""
    own = regions["own"]
    candidates = [make_candidate(own) for _ in range(8)]
    rm = people["relatiemanager"].staff
    employer = Employer.objects.create(
        region=own["region"],
        name="Distributiecentrum Oost",
        municipality=own["municipalities"][0],
        owner=rm,
    )
    start = dt.date(2025, 1, 1)
    for candidate in candidates[:2]:
        place(own["region"], candidate, employer, rm, start_on=dt.date(2025, 3, 1))
    researcher = actor_for(people["onderzoeker"])
    group = services.draw_control_group(
        actor=researcher, name="Controle", intervention_start=start, size=3, seed=11
    )
    survey = _survey(people, control_group=group)

    with django_capture_on_commit_callbacks(execute=True):
        created = services.invite_control_group(
            actor=researcher, survey=survey, channel=Channel.EMAIL, base_url=BASE_URL
        )

    members = {m.candidate_id: m.group for m in group.members.all()}
    invited = {i.candidate_id: i.group for i in Invitation.objects.filter(survey=survey)}
    assert invited == members
    assert sorted(invited.values()).count(Group.PARTICIPANT) == 2
    assert sorted(invited.values()).count(Group.CONTROL) == 3
    assert {c.pk for c in candidates[:2]} == {
        cid for cid, g in invited.items() if g == Group.PARTICIPANT
    }
    assert len(created) == 5 and len(mail.outbox) == 5

    with django_capture_on_commit_callbacks(execute=True):
        again = services.invite_control_group(
            actor=researcher, survey=survey, channel=Channel.EMAIL, base_url=BASE_URL
        )
    assert again == [] and len(mail.outbox) == 5


def test_invite_control_group_needs_a_control_group(people):
    """A survey without a control group cannot invite one."""
    survey = _survey(people)
    with pytest.raises(ValidationError):
        services.invite_control_group(
            actor=actor_for(people["onderzoeker"]),
            survey=survey,
            channel=Channel.EMAIL,
            base_url=BASE_URL,
        )


# --- answering ------------------------------------------------------------------------------


@pytest.fixture
def invited(regions, people, django_capture_on_commit_callbacks):
    """A survey with three candidates invited by e-mail, the last one in the control group."""
    survey = _survey(people)
    candidates = [make_candidate(regions["own"]) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        invitations = _invite(people, survey, candidates[:2])
        invitations += _invite(people, survey, candidates[2:], group=Group.CONTROL)
    return {"survey": survey, "candidates": candidates, "invitations": invitations}


def test_open_link_marks_the_invitation_opened_once(invited):
    """Opening the link records the first time only and returns the survey's questions."""
    invitation = invited["invitations"][0]
    token = services.link_token(invitation)

    opened, questionnaire = services.open_link(token)
    first = Invitation.objects.get(pk=invitation.pk).opened_at
    services.open_link(token)

    assert opened.pk == invitation.pk
    assert questionnaire == services.questionnaire_of(invited["survey"])
    assert first is not None
    assert Invitation.objects.get(pk=invitation.pk).opened_at == first


def test_submit_stores_anonymous_answers_with_the_group_only(invited):
    """The answers are stored with the invitation's group and the day; the invitation is
    marked completed on that day; the response has no field linking it to the invitation or
    the candidate, and none of its values is one of theirs."""
    invitation = invited["invitations"][2]  # the control-group invitation
    candidate = invited["candidates"][2]
    survey = invited["survey"]
    raw = _answers(survey, verbeterpunten="  Sneller antwoord geven.  ")

    response, errors = services.submit(token=services.link_token(invitation), raw=raw)

    assert errors == {}
    assert response is not None
    stored = Response.objects.get(survey=survey)
    assert stored.pk == response.pk
    assert stored.group == Group.CONTROL
    assert stored.submitted_on == timezone.localdate()
    expected, _errors = questionnaires.clean_answers(services.questionnaire_of(survey), raw)
    assert stored.answers == expected
    assert stored.answers["werksituatie"] == "3"
    assert stored.answers["rapportcijfer_begeleiding"] == 7
    assert stored.answers["verbeterpunten"] == "Sneller antwoord geven."
    assert "werkuren" not in stored.answers  # behind werksituatie = 1
    invitation.refresh_from_db()
    assert invitation.completed_on == timezone.localdate()
    assert invitation.opened_at is not None

    names = {f.name for f in Response._meta.get_fields()}
    assert names == {
        "id",
        "uuid",
        "created_at",
        "updated_at",
        "version",
        "survey",
        "group",
        "mode",
        "submitted_on",
        "answers",
    }
    related = {f.related_model for f in Response._meta.get_fields() if f.is_relation}
    assert related == {Survey}
    identifiers = {
        str(invitation.uuid),
        invitation.person_key,
        invitation.token_hash,
        str(candidate.uuid),
        candidate.first_name,
        candidate.last_name,
        candidate.email,
    }
    values = {
        f.attname: getattr(stored, f.attname)
        for f in Response._meta.concrete_fields
        if f.attname != "id"
    }
    texts = [str(v) for v in values.values()] + [str(v) for v in stored.answers.values()]
    assert not [t for t in texts if any(ident in t for ident in identifiers)]
    # The only numbers on the response are its own id, its version and the survey's id.
    assert {k for k, v in values.items() if isinstance(v, int)} == {"version", "survey_id"}
    assert values["survey_id"] == survey.pk


def test_a_response_cannot_be_matched_to_its_invitation_by_time(invited):
    """The response's own timestamps keep the day only, like the invitation's completed_on:
    submitting sets the invitation's opened_at to the moment, which a created_at to the
    millisecond would match."""
    invitation = invited["invitations"][0]
    response, _errors = services.submit(
        token=services.link_token(invitation), raw=_answers(invited["survey"])
    )
    stored = Response.objects.get(pk=response.pk)
    invitation.refresh_from_db()
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))

    assert stored.created_at == midnight
    assert stored.updated_at == midnight
    assert invitation.opened_at not in (stored.created_at, stored.updated_at)
    assert (response.created_at, response.updated_at) == (midnight, midnight)


def test_a_second_submit_with_the_same_link_is_refused(invited):
    """A double click or the back button cannot store a second questionnaire."""
    survey = invited["survey"]
    token = services.link_token(invited["invitations"][0])
    services.submit(token=token, raw=_answers(survey))

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.submit(token=token, raw=_answers(survey))

    assert refused.value.messages == ["This questionnaire has been filled in. Thank you!"]
    assert Response.objects.filter(survey=survey).count() == 1
    with pytest.raises(ValidationError):
        services.open_link(token)


def test_wrong_answers_are_named_by_question_and_nothing_is_stored(invited):
    """An unknown scale point, a missing required answer and a grade out of range come back
    by question code; no response is stored and the invitation stays open."""
    invitation = invited["invitations"][0]
    raw = _answers(invited["survey"], werk_belangrijk="9", rapportcijfer_begeleiding="11")
    del raw["geslacht"]

    response, errors = services.submit(token=services.link_token(invitation), raw=raw)

    assert response is None
    assert set(errors) == {"werk_belangrijk", "rapportcijfer_begeleiding", "geslacht"}
    assert errors["geslacht"] == questionnaires.REQUIRED_MESSAGE
    assert errors["werk_belangrijk"] == questionnaires.UNKNOWN_MESSAGE
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.completed_on is None


def test_an_expired_link_is_refused(invited):
    """A link past its validity opens nothing and stores nothing."""
    invitation = invited["invitations"][0]
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    token = services.link_token(invitation)

    with translation.override("en"):
        with pytest.raises(ValidationError) as opened:
            services.open_link(token)
        with pytest.raises(ValidationError) as submitted:
            services.submit(token=token, raw=_answers(invited["survey"]))

    assert opened.value.messages == ["This questionnaire is closed."]
    assert submitted.value.messages == ["This questionnaire is closed."]
    assert not Response.objects.exists()
    assert Invitation.objects.get(pk=invitation.pk).opened_at is None


def test_a_closed_survey_is_refused(invited, people):
    """After the survey is closed its links accept no answers, and nobody can be invited."""
    survey = services.close_survey(actor=actor_for(people["onderzoeker"]), survey=invited["survey"])
    token = services.link_token(invited["invitations"][1])

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.submit(token=token, raw=_answers(survey))

    assert refused.value.messages == ["This questionnaire is closed."]
    assert not Response.objects.exists()
    with pytest.raises(ValidationError):
        _invite(people, survey, invited["candidates"][:1])


def test_an_unknown_token_gets_the_same_message_as_a_guessed_one(invited):
    """Garbage, an empty token and a well-formed guess all get the one message, so a link
    cannot be probed."""
    real = services.link_token(invited["invitations"][0])
    guesses = [
        "nonsense",
        "",
        secrets.token_urlsafe(32),
        real[:-1] + ("A" if real[-1] != "A" else "B"),
    ]
    messages = []
    with translation.override("en"):
        for guess in guesses:
            with pytest.raises(ValidationError) as refused:
                services.open_link(guess)
            messages.append(refused.value.messages)
            with pytest.raises(ValidationError) as submitted:
                services.submit(token=guess, raw=_answers(invited["survey"]))
            messages.append(submitted.value.messages)
    assert messages == [["This link is not valid."]] * (2 * len(guesses))
    assert not Response.objects.exists()


# --- reminders ------------------------------------------------------------------------------


def test_reminders_only_for_due_unanswered_email_invitations_and_idempotent(
    regions, people, django_capture_on_commit_callbacks
):
    """Only e-mail invitations that are not completed, sent at least REMINDER_AFTER_DAYS ago
    and reminded fewer than MAX_REMINDERS times get a reminder, with the same personal link;
    a second run right after sends nothing."""
    survey = _survey(people)
    c = [make_candidate(regions["own"]) for _ in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        due, recent, answered, maxed = _invite(people, survey, c[:4])
        (letter,) = _invite(people, survey, c[4:5], channel=Channel.LETTER)
        (control,) = _invite(people, survey, c[5:], group=Group.CONTROL)
    services.mark_letters_sent(actor=actor_for(people["teamleider"]), survey=survey)
    services.submit(token=services.link_token(answered), raw=_answers(survey))
    now = timezone.now()
    long_ago = now - dt.timedelta(days=services.REMINDER_AFTER_DAYS, minutes=1)
    Invitation.objects.filter(pk__in=[due.pk, answered.pk, letter.pk, control.pk]).update(
        sent_at=long_ago
    )
    Invitation.objects.filter(pk=recent.pk).update(sent_at=now - dt.timedelta(days=3))
    Invitation.objects.filter(pk=maxed.pk).update(
        sent_at=now - dt.timedelta(days=60),
        reminders_sent=services.MAX_REMINDERS,
        last_reminded_at=now - dt.timedelta(days=30),
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(survey=survey, base_url=BASE_URL)

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([c[0].email, c[5].email])
    first_mail = next(m for m in mail.outbox if m.to == [c[0].email])
    assert LINK_RE.findall(first_mail.body) == [services.link_token(due)]
    reminded = Invitation.objects.get(pk=due.pk)
    assert reminded.reminders_sent == 1 and reminded.last_reminded_at is not None
    assert Invitation.objects.get(pk=answered.pk).reminders_sent == 0
    assert Invitation.objects.get(pk=letter.pk).reminders_sent == 0
    assert Invitation.objects.get(pk=recent.pk).reminders_sent == 0
    assert Invitation.objects.get(pk=maxed.pk).reminders_sent == services.MAX_REMINDERS

    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_reminders(survey=survey, base_url=BASE_URL)
    assert again == 0 and len(mail.outbox) == 2


def test_reminders_stop_at_the_maximum_and_never_reach_who_answered(
    regions, people, django_capture_on_commit_callbacks
):
    """A week after each reminder another goes out until MAX_REMINDERS; once the person has
    answered no reminder follows."""
    survey = _survey(people)
    c = [make_candidate(regions["own"]) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        silent, answering = _invite(people, survey, c)
    week_ago = timezone.now() - dt.timedelta(days=services.REMINDER_AFTER_DAYS, minutes=1)
    Invitation.objects.filter(survey=survey).update(sent_at=week_ago)
    mail.outbox.clear()

    counts = []
    for round_ in range(services.MAX_REMINDERS + 2):
        if round_ == 1:
            services.submit(token=services.link_token(answering), raw=_answers(survey))
        with django_capture_on_commit_callbacks(execute=True):
            counts.append(services.send_reminders(survey=survey, base_url=BASE_URL))
        Invitation.objects.filter(survey=survey).update(last_reminded_at=week_ago)

    assert counts == [2] + [1] * (services.MAX_REMINDERS - 1) + [0, 0]
    assert Invitation.objects.get(pk=silent.pk).reminders_sent == services.MAX_REMINDERS
    assert Invitation.objects.get(pk=answering.pk).reminders_sent == 1
    assert [m.to[0] for m in mail.outbox].count(c[0].email) == services.MAX_REMINDERS
    assert [m.to[0] for m in mail.outbox].count(c[1].email) == 1


def test_no_reminders_for_a_closed_survey(regions, people, django_capture_on_commit_callbacks):
    """A closed survey sends no reminders, however long ago the invitations went out."""
    survey = _survey(people)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(people, survey, [make_candidate(regions["own"])])
    Invitation.objects.filter(survey=survey).update(sent_at=timezone.now() - dt.timedelta(days=30))
    services.close_survey(actor=actor_for(people["onderzoeker"]), survey=survey)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(survey=survey, base_url=BASE_URL) == 0
    assert mail.outbox == []


# --- complaints -----------------------------------------------------------------------------


def _complaint(people: dict[str, Any], role: str = "teamleider", **fields: Any) -> Complaint:
    values: dict[str, Any] = {
        "complainant": "candidate",
        "category": "service",
        "received_on": dt.date(2024, 3, 1),
        "summary": "Niet teruggebeld na het gesprek.",
    }
    return services.record_complaint(actor=actor_for(people[role]), **(values | fields))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"received_on": "tomorrow"},
            ("received_on", "A complaint cannot be received in the future."),
        ),
        ({"settlement": "amicable"}, ("settled_on", "Give the day the complaint was settled.")),
        (
            {"settlement": "open", "settled_on": dt.date(2024, 3, 5)},
            ("settled_on", "An open complaint has no settlement date."),
        ),
        (
            {"settlement": "formal", "settled_on": dt.date(2024, 2, 1)},
            ("settled_on", "Settled before it was received?"),
        ),
    ],
)
def test_record_complaint_checks_its_dates_by_field(people, fields, message):
    """A complaint received in the future, settled without a date, open with a date, or
    settled before it was received is refused, named by its field."""
    if fields.get("received_on") == "tomorrow":
        fields = {"received_on": timezone.localdate() + dt.timedelta(days=1)}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _complaint(people, **fields)
    field, text = message
    assert refused.value.message_dict == {field: [text]}
    assert not Complaint.objects.exists()


def test_settle_complaint_checks_the_settlement_date(people):
    """Settling needs a day on or after the day received; a good settlement is saved."""
    complaint = _complaint(people)
    actor = actor_for(people["klantmanager"])
    with translation.override("en"), pytest.raises(ValidationError) as before:
        services.settle_complaint(
            actor=actor, complaint=complaint, settlement="amicable", settled_on=dt.date(2024, 2, 28)
        )
    assert before.value.message_dict == {"settled_on": ["Settled before it was received?"]}
    assert Complaint.objects.get(pk=complaint.pk).settlement == "open"

    complaint = Complaint.objects.get(pk=complaint.pk)
    settled = services.settle_complaint(
        actor=actor, complaint=complaint, settlement="amicable", settled_on=dt.date(2024, 3, 11)
    )
    stored = Complaint.objects.get(pk=settled.pk)
    assert (stored.settlement, stored.settled_on, stored.handling_days) == (
        "amicable",
        dt.date(2024, 3, 11),
        10,
    )


def test_complaints_need_the_complaints_permission(people):
    """A researcher does not keep the complaints register; another region's administrator
    cannot settle ours."""
    with pytest.raises(PermissionDenied):
        _complaint(people, "onderzoeker")
    complaint = _complaint(people)
    with pytest.raises(PermissionDenied):
        services.settle_complaint(
            actor=actor_for(people["other_region_admin"]),
            complaint=complaint,
            settlement="withdrawn",
            settled_on=dt.date(2024, 3, 2),
        )


def test_complaint_years_count_and_take_the_median_handling_days_by_hand(people):
    """2023: three settled in 10, 20 and 40 days (median 20); 2024: settled in 5 and 15 days
    and one open (median (5 + 15) / 2 = 10). Another region's complaint is not counted."""
    for received, days, settlement in [
        (dt.date(2023, 1, 10), 40, "amicable"),
        (dt.date(2023, 3, 1), 10, "formal"),
        (dt.date(2023, 6, 1), 20, "amicable"),
        (dt.date(2024, 2, 1), 15, "formal"),
        (dt.date(2024, 5, 1), 5, "withdrawn"),
    ]:
        _complaint(
            people,
            received_on=received,
            settlement=settlement,
            settled_on=received + dt.timedelta(days=days),
        )
    _complaint(people, received_on=dt.date(2024, 9, 1))
    _complaint(people, "other_region_admin", received_on=dt.date(2023, 2, 1))

    years = selectors.complaint_years(actor_for(people["teamleider"]))

    assert [(y.year, y.received, y.amicable, y.formal, y.open, y.median_days) for y in years] == [
        (2023, 3, 2, 1, 0, 20.0),
        (2024, 3, 0, 1, 1, 10.0),
    ]
    other = selectors.complaint_years(actor_for(people["other_region_admin"]))
    assert [(y.year, y.received, y.median_days) for y in other] == [(2023, 1, None)]
