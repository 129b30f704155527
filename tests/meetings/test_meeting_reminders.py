"""Answer links, reminders, resent links, cancelling and the calendar file of a meeting.

The token in a personal link is derived from the invitation and its link version (only its
SHA-256 is stored), so a reminder carries the same link as the invitation, a resent link
replaces the old one, and a cancelled meeting refuses every link. The calendar file that
comes with a cancellation removes the event the invitation put in the calendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from matching_support import picker
from tests_support import text
from werkbrug.candidates.ics import parse_properties
from werkbrug.core import access
from werkbrug.meetings import services
from werkbrug.meetings.models import Invitation, Meeting, MeetingStatus, Response

pytestmark = pytest.mark.django_db

URL = "https://werkbrug.example/uitnodiging/TOKEN/"
LINK = re.compile(r"/uitnodiging/([^/\s]+)/")
_emails = itertools.count(1)


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def soon(meeting):
    """The meeting fixture, moved to tomorrow: within the reminder window."""
    meeting.starts_at = timezone.now() + dt.timedelta(days=1)
    meeting.save()
    return meeting


def _invite(meeting, rm, capture, *, employers=(), candidates=()):
    """Invite through the service; the mailed token per invited employer or candidate."""
    mail.outbox.clear()
    with capture(execute=True):
        services.invite(
            actor=rm, meeting=meeting, employers=employers, candidates=candidates, answer_url=URL
        )
    tokens = {}
    for message in mail.outbox:
        token = LINK.search(message.body).group(1)
        invitation = services.invitation_for_token(token)
        tokens[invitation.employer or invitation.candidate] = token
    return tokens


def _invitation(meeting, *, candidate=None, employer=None, response=Response.OPEN, email=None):
    """An invitation made directly (no mail), with a working link."""
    invitation = Invitation(
        meeting=meeting,
        candidate=candidate,
        employer=employer,
        email=f"genodigde{next(_emails)}@example.nl" if email is None else email,
        token_expires_at=meeting.starts_at + dt.timedelta(days=1),
        response=response,
    )
    invitation.token_hash = services.hash_token(services.answer_token(invitation))
    invitation.save()
    return invitation


def _meeting(world, people, **fields):
    values = {
        "region": world["place"]["region"],
        "title": "Prettig gesprek Nijmegen",
        "location": "Wijkcentrum Nijmegen",
        "starts_at": timezone.now() + dt.timedelta(days=1),
        "rounds": 3,
        "table_capacity": 2,
        "min_conversations": 1,
    }
    values.update(fields)
    m = Meeting.objects.create(**values)
    m.organisers.add(people["relatiemanager"].staff)
    return m


def _calendar(message):
    """The text/calendar attachment of a mail as a dict of its properties."""
    files = [(name, body) for name, body, mimetype in message.attachments if "calendar" in mimetype]
    assert len(files) == 1, message.attachments
    return dict(parse_properties(files[0][1]))


def _utc(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


# --- Answer links -----------------------------------------------------------------------------


def test_answer_token_is_deterministic_and_differs_per_invitation_and_link_version(world, meeting):
    first = _invitation(meeting, candidate=world["good"])
    second = _invitation(meeting, candidate=world["cashier"])
    token = services.answer_token(first)
    assert services.answer_token(Invitation.objects.get(pk=first.pk)) == token
    assert services.answer_token(second) != token
    first.link_version += 1
    assert services.answer_token(first) != token
    first.link_version -= 1
    assert services.answer_token(first) == token


def test_answer_token_is_keyed_with_the_secret_key(world, meeting):
    """Knowing the invitation's uuid is not enough to make its token."""
    invitation = _invitation(meeting, candidate=world["good"])
    token = services.answer_token(invitation)
    with override_settings(SECRET_KEY="another-secret-key-0123456789abcdefghijklmnopqrstuv"):
        assert services.answer_token(invitation) != token


def test_only_the_sha256_of_the_mailed_token_is_stored(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    tokens = _invite(
        meeting,
        rm,
        django_capture_on_commit_callbacks,
        employers=[world["employer"]],
        candidates=[world["good"]],
    )
    assert len(tokens) == 2
    for token in tokens.values():
        row = Invitation.objects.filter(token_hash=hashlib.sha256(token.encode()).hexdigest())
        assert row.exists()
        assert token not in str(row.values().get())  # the token itself is nowhere in the row


def test_invite_mails_the_link_whose_token_is_accepted(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    tokens = _invite(
        meeting, rm, django_capture_on_commit_callbacks, candidates=[world["good"], world["far"]]
    )
    for person, token in tokens.items():
        invitation = services.invitation_for_token(token)
        assert invitation.candidate == person
        assert token == services.answer_token(invitation)
    messages = {m.to[0]: m for m in mail.outbox}
    good = Invitation.objects.get(candidate=world["good"])
    assert URL.replace("TOKEN", services.answer_token(good)) in messages[world["good"].email].body


# --- Reminders --------------------------------------------------------------------------------


def test_reminders_go_once_to_yes_and_open_answers_with_an_email_address(
    world, soon, rm, people, django_capture_on_commit_callbacks
):
    waiting = picker(world["place"], first_name="Wachtend")
    no_email = picker(world["place"], first_name="Zonderpost", email="")
    tokens = _invite(
        soon,
        rm,
        django_capture_on_commit_callbacks,
        employers=[world["employer"]],
        candidates=[world["good"], world["cashier"], world["far"], waiting, no_email],
    )
    services.answer(token=tokens[world["good"]], coming=True)
    services.answer(token=tokens[world["far"]], coming=False)
    Invitation.objects.filter(candidate=waiting).update(
        response=Response.WAITING, waitlist_position=1
    )
    assert Invitation.objects.get(candidate=no_email).response == Response.OPEN
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # the mails go on commit
        sent = services.send_reminders(answer_url=URL, now=timezone.now())

    reminded = {m.to[0] for m in mail.outbox}
    assert reminded == {world["good"].email, world["cashier"].email, "petra@example.nl"}
    assert sent == 3
    assert (
        set(Invitation.objects.filter(reminded_at__isnull=False).values_list("email", flat=True))
        == reminded
    )
    # Once only: a second run (the next day's, or a run twice the same day) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(answer_url=URL, now=timezone.now()) == 0
    assert len(mail.outbox) == 3


def test_no_reminders_for_cancelled_held_far_away_or_past_meetings(
    world, people, django_capture_on_commit_callbacks
):
    now = timezone.now()
    within = now + dt.timedelta(days=services.REMINDER_DAYS) - dt.timedelta(hours=1)
    skipped = [
        _meeting(world, people, starts_at=within, status=MeetingStatus.CANCELLED),
        _meeting(world, people, starts_at=within, status=MeetingStatus.HELD),
        _meeting(
            world,
            people,
            starts_at=now + dt.timedelta(days=services.REMINDER_DAYS, hours=1),
            status=MeetingStatus.PLANNED,
        ),
        _meeting(
            world, people, starts_at=now - dt.timedelta(hours=1), status=MeetingStatus.PLANNED
        ),
    ]
    for m in skipped:
        _invitation(m, candidate=world["good"], response=Response.YES)
    control = _meeting(world, people, starts_at=within, status=MeetingStatus.PLANNED)
    expected = _invitation(control, candidate=world["good"], response=Response.YES)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(answer_url=URL, now=now) == 1
    assert [m.to for m in mail.outbox] == [[expected.email]]
    assert Invitation.objects.filter(reminded_at__isnull=False).get() == expected


def test_a_reminder_carries_the_invitations_link_and_a_calendar_file(
    world, soon, rm, django_capture_on_commit_callbacks
):
    tokens = _invite(
        soon,
        rm,
        django_capture_on_commit_callbacks,
        employers=[world["employer"]],
        candidates=[world["good"]],
    )
    token = tokens[world["good"]]
    invitation_ics = _calendar(mail.outbox[0])
    assert services.answer(token=token, coming=True).response == Response.YES
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(answer_url=URL, now=timezone.now())

    (reminder,) = [m for m in mail.outbox if m.to == [world["good"].email]]
    assert LINK.findall(reminder.body) == [token]
    assert URL.replace("TOKEN", token) in reminder.body
    assert services.invitation_for_token(token).candidate == world["good"]  # still works
    ics = _calendar(reminder)
    assert ics["UID"] == invitation_ics["UID"] == f"{soon.uuid}@werkbrug"
    assert ics["METHOD"] == "PUBLISH"


def test_the_reminder_for_a_yes_differs_from_the_one_for_no_answer_yet(
    world, soon, django_capture_on_commit_callbacks
):
    coming = _invitation(soon, candidate=world["good"], response=Response.YES)
    open_ = _invitation(soon, candidate=world["cashier"], response=Response.OPEN)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(answer_url=URL, now=timezone.now())
    by_address = {m.to[0]: m for m in mail.outbox}
    yes, unanswered = by_address[coming.email], by_address[open_.email]
    assert yes.subject == f"See you soon: {soon.title}"
    assert "someone else can take your seat" in yes.body
    assert unanswered.subject == f"Are you coming? {soon.title}"
    assert "We have not heard from you yet" in unanswered.body
    assert "take your seat" not in unanswered.body


def test_the_daily_command_reminds_with_links_on_the_public_address(
    world, soon, django_capture_on_commit_callbacks
):
    invitation = _invitation(soon, candidate=world["good"], response=Response.YES)
    out = io.StringIO()
    public = override_settings(PUBLIC_URL="https://werk.example.nl")
    with public, django_capture_on_commit_callbacks(execute=True):
        call_command("send-meeting-reminders", stdout=out)
    assert out.getvalue().startswith("1 herinnering")
    (reminder,) = mail.outbox
    path = reverse("meetings:answer", kwargs={"token": services.answer_token(invitation)})
    assert f"https://werk.example.nl{path}" in reminder.body
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-meeting-reminders", stdout=out)
    assert out.getvalue().startswith("0 herinnering")
    assert len(mail.outbox) == 1


# --- Resending a link -------------------------------------------------------------------------


def test_a_resent_link_works_and_the_old_one_is_refused(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    old = _invite(meeting, rm, django_capture_on_commit_callbacks, candidates=[world["good"]])[
        world["good"]
    ]
    invitation = services.invitation_for_token(old)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_link(actor=rm, invitation=invitation, answer_url=URL)
    (message,) = mail.outbox
    new = LINK.search(message.body).group(1)
    assert new != old
    assert services.invitation_for_token(new).pk == invitation.pk
    with pytest.raises(ValidationError):
        services.invitation_for_token(old)
    with pytest.raises(ValidationError):
        services.answer(token=old, coming=True)


def test_a_resent_link_goes_to_the_candidates_current_address(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    _invite(meeting, rm, django_capture_on_commit_callbacks, candidates=[world["good"]])
    world["good"].email = "nieuw-adres@example.nl"
    world["good"].save()
    invitation = Invitation.objects.get(candidate=world["good"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_link(actor=rm, invitation=invitation, answer_url=URL)
    assert [m.to for m in mail.outbox] == [["nieuw-adres@example.nl"]]
    invitation.refresh_from_db()
    assert invitation.email == "nieuw-adres@example.nl"


def test_a_link_cannot_be_resent_without_an_email_address(world, meeting, rm):
    no_email = picker(world["place"], first_name="Zonderpost", email="")
    invitation = _invitation(meeting, candidate=no_email, email="")
    version = invitation.link_version
    with pytest.raises(ValidationError) as refused:
        services.resend_link(actor=rm, invitation=invitation, answer_url=URL)
    assert "email" in refused.value.error_dict
    invitation.refresh_from_db()
    assert invitation.link_version == version


def test_a_link_of_a_cancelled_meeting_is_not_resent(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    invitation = _invitation(meeting, candidate=world["good"])
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        services.resend_link(actor=rm, invitation=invitation, answer_url=URL)
    assert "status" in refused.value.error_dict
    assert mail.outbox == []


def test_no_new_link_once_the_meeting_is_over(world, meeting, rm):
    """The link expires the day after the meeting; a new one is not made after that."""
    meeting.starts_at = timezone.now() - dt.timedelta(days=2)
    meeting.save()
    invitation = _invitation(meeting, candidate=world["good"])
    with pytest.raises(ValidationError):
        services.resend_link(actor=rm, invitation=invitation, answer_url=URL)
    invitation.refresh_from_db()
    assert invitation.link_version == 1


# --- Cancelling -------------------------------------------------------------------------------


def test_cancelling_needs_a_reason(world, meeting, rm):
    with pytest.raises(ValidationError) as refused:
        services.cancel_meeting(actor=rm, meeting=meeting, reason="  \n ")
    assert "cancel_reason" in refused.value.error_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT


def test_cancelling_mails_everyone_not_declined_and_refuses_the_links(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    waiting = picker(world["place"], first_name="Wachtend")
    no_email = picker(world["place"], first_name="Zonderpost", email="")
    tokens = _invite(
        meeting,
        rm,
        django_capture_on_commit_callbacks,
        employers=[world["employer"]],
        candidates=[world["good"], world["cashier"], world["far"], waiting, no_email],
    )
    services.answer(token=tokens[world["good"]], coming=True)
    services.answer(token=tokens[world["cashier"]], coming=False)
    Invitation.objects.filter(candidate=waiting).update(
        response=Response.WAITING, waitlist_position=1
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(actor=rm, meeting=meeting, reason="De zaal is   niet beschikbaar")

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancel_reason == "De zaal is niet beschikbaar"
    told = {m.to[0] for m in mail.outbox}
    assert told == {
        "petra@example.nl",
        world["good"].email,
        world["far"].email,  # no answer yet
        waiting.email,
    }
    assert all("De zaal is niet beschikbaar" in m.body for m in mail.outbox)
    for token in tokens.values():
        with pytest.raises(ValidationError):
            services.invitation_for_token(token)
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=rm, meeting=meeting, reason="Nog een keer")


def test_the_cancellation_removes_the_invitations_calendar_event(
    world, meeting, rm, django_capture_on_commit_callbacks
):
    """Same UID as the invitation's file, METHOD:CANCEL and STATUS:CANCELLED, and a higher
    SEQUENCE: a calendar program only takes over a newer version of the event."""
    _invite(meeting, rm, django_capture_on_commit_callbacks, candidates=[world["good"]])
    invitation_ics = _calendar(mail.outbox[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(actor=rm, meeting=meeting, reason="Te weinig aanmeldingen")
    ics = _calendar(mail.outbox[0])
    assert ics["METHOD"] == "CANCEL"
    assert ics["STATUS"] == "CANCELLED"
    assert ics["UID"] == invitation_ics["UID"]
    assert int(ics["SEQUENCE"]) > int(invitation_ics["SEQUENCE"])


# --- The calendar file ------------------------------------------------------------------------


def test_the_calendar_file_ends_with_the_last_round_as_the_answer_page_says(world, meeting):
    starts = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=5), dt.time(13, 30))
    )
    meeting.starts_at, meeting.rounds, meeting.round_minutes = starts, 4, 25
    meeting.save()
    end = starts + dt.timedelta(minutes=4 * 25)
    assert meeting.ends_at == end

    ics = dict(parse_properties(services.meeting_ics(meeting)))
    assert _utc(ics["DTSTART"]) == starts
    assert _utc(ics["DTEND"]) == end

    invitation = _invitation(meeting, candidate=world["good"])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("meetings:answer", args=[services.answer_token(invitation)])))
    assert "13:30–15:10" in page
