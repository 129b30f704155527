"""The meetings API's actions on a meeting and on one invitation: calling a meeting off (the
invitees are mailed a cancelling calendar file, the answer links stop working), marking it
held, recording an answer for someone, sending a new answer link (the old one stops working)
and changing an employer's table; the fields that show them; who may call them (403), scope
(404 for another meeting's or another region's invitation) and the schema."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from api_support import api_for, ok, problem
from meetings_support import INVITATION_FIELDS
from werkbrug.candidates.models import Candidate
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings import services
from werkbrug.meetings.models import Conversation, Invitation, Meeting, Response

pytestmark = pytest.mark.django_db
NOBODY = "00000000-0000-0000-0000-000000000000"


def _path(meeting: Meeting, part: str = "") -> str:
    return f"/api/v1/meetings/{meeting.uuid}" + (f"/{part}" if part else "")


def _invitation_path(meeting: Meeting, invitation: Invitation | str, part: str = "") -> str:
    uuid = invitation if isinstance(invitation, str) else invitation.uuid
    return _path(meeting, f"invitations/{uuid}") + (f"/{part}" if part else "")


def _invite(
    meeting: Meeting,
    *,
    employer=None,
    candidate=None,
    response: str = Response.OPEN,
    email: str | None = None,
    **fields,
) -> Invitation:
    """An invitation with a working answer link (as services.invite makes it), without mail."""
    if email is None:
        email = candidate.email if candidate else "petra@example.nl"
    invitation = Invitation(
        meeting=meeting,
        employer=employer,
        candidate=candidate,
        email=email,
        token_expires_at=meeting.starts_at + dt.timedelta(days=1),
        response=response,
        sent_at=timezone.now() - dt.timedelta(days=3),
        **fields,
    )
    invitation.token_hash = services.hash_token(services.answer_token(invitation))
    invitation.save()
    return invitation


def _another_meeting(meeting: Meeting, world) -> tuple[Meeting, Invitation]:
    """A second meeting of the same region, with an invitation of its own."""
    other = Meeting.objects.create(
        region=meeting.region,
        title="Prettig gesprek Nijmegen",
        location="Werkplein Nijmegen",
        starts_at=meeting.starts_at + dt.timedelta(days=7),
    )
    return other, _invite(other, candidate=world["good"])


# --- Fields ---------------------------------------------------------------------------------


def test_meetings_invitations_and_conversations_show_the_new_fields(world, meeting, people):
    client = api_for(people["relatiemanager"])
    shown = ok(client.get(_path(meeting)))
    assert dt.datetime.fromisoformat(shown["ends_at"]) == meeting.starts_at + dt.timedelta(
        minutes=3 * 20
    )
    assert shown["cancelled_at"] is None and shown["cancel_reason"] == ""
    listed = ok(client.get("/api/v1/meetings"))["results"][0]
    assert {"ends_at", "cancelled_at", "cancel_reason"} <= set(listed)

    table = _invite(meeting, employer=world["employer"], response=Response.YES, table_capacity=4)
    seat = _invite(meeting, candidate=world["good"])
    rows = {r["uuid"]: r for r in ok(client.get(_path(meeting, "invitations")))["results"]}
    assert all(set(row) == INVITATION_FIELDS for row in rows.values())
    assert rows[str(table.uuid)]["table_capacity"] == 4
    assert rows[str(seat.uuid)]["table_capacity"] is None
    assert rows[str(seat.uuid)]["reminded_at"] is None
    assert rows[str(seat.uuid)]["answer_recorded"] is False

    # A click with a follow-up puts the candidate in the pipeline: the conversation says where.
    conversation = Conversation.objects.create(
        meeting=meeting, round=1, employer=world["employer"], candidate=world["good"]
    )
    path = f"/api/v1/conversations/{conversation.uuid}"
    assert ok(client.get(path))["shortlist_entry"] is None
    done = ok(client.post(f"{path}/outcome", {"outcome": "klik", "follow_up": "kennismaking"}))
    entry = ShortlistEntry.objects.get(opportunity=world["opportunity"], candidate=world["good"])
    assert done["shortlist_entry"] == str(entry.uuid)
    assert ok(client.get(path))["shortlist_entry"] == str(entry.uuid)


# --- Calling a meeting off ------------------------------------------------------------------


def test_cancelling_mails_a_cancelling_calendar_file_and_stops_the_links(
    world, meeting, people, django_capture_on_commit_callbacks
):
    _invite(meeting, employer=world["employer"], response=Response.YES)
    coming = _invite(meeting, candidate=world["good"], response=Response.YES)
    _invite(meeting, candidate=world["cashier"], response=Response.NO)  # declined: not told
    _invite(meeting, candidate=world["far"], email="")  # no address: not told
    token = services.answer_token(coming)
    client = api_for(people["relatiemanager"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_path(meeting, "cancel"), {"reason": "  De zaal is  niet vrij. "})
    cancelled = ok(response)
    assert cancelled["uuid"] == str(meeting.uuid) and cancelled["status"] == "geannuleerd"
    assert cancelled["cancel_reason"] == "De zaal is niet vrij."
    assert cancelled["cancelled_at"] and cancelled["results"]["invited_candidates"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["petra@example.nl", world["good"].email])
    for message in mail.outbox:
        assert "De zaal is niet vrij." in message.body
        [(_name, calendar, content_type)] = message.attachments
        assert content_type == "text/calendar"
        assert "METHOD:CANCEL" in calendar and "STATUS:CANCELLED" in calendar
    with pytest.raises(ValidationError):
        services.invitation_for_token(token)
    assert ok(client.get(_path(meeting)))["status"] == "geannuleerd"

    # Once called off, it stays so: no second call-off, no marking held, no more answers.
    with django_capture_on_commit_callbacks(execute=True):
        assert problem(client.post(_path(meeting, "cancel"), {"reason": "Nog eens"})) == ["status"]
        assert problem(client.post(_path(meeting, "held"))) == ["status"]
        assert problem(
            client.post(_invitation_path(meeting, coming, "answer"), {"coming": False})
        ) == ["status"]
        assert problem(client.post(_invitation_path(meeting, coming, "resend"))) == ["status"]
    assert len(mail.outbox) == 2


def test_cancelling_needs_a_reason_and_the_permission(
    world, meeting, people, django_capture_on_commit_callbacks
):
    _invite(meeting, candidate=world["good"], response=Response.YES)
    client = api_for(people["relatiemanager"])
    path = _path(meeting, "cancel")
    with django_capture_on_commit_callbacks(execute=True):
        assert problem(client.post(path, {})) == ["reason"]
        assert problem(client.post(path, {"reason": "   "})) == ["reason"]
        assert problem(client.post(path, {"reason": "x" * 301})) == ["reason"]
        assert problem(api_for(people["klantmanager"]).post(path, {"reason": "Ziek"}), 403) == []
        for role in ("werkgever", "kandidaat"):
            assert api_for(people[role]).post(path, {"reason": "Ziek"}).status_code == 403
        assert problem(api_for(people["other_region_rm"]).post(path, {"reason": "Ziek"}), 404) == []
        assert (
            problem(client.post(f"/api/v1/meetings/{NOBODY}/cancel", {"reason": "Ziek"}), 404) == []
        )
    meeting.refresh_from_db()
    assert meeting.status == "concept" and meeting.cancelled_at is None
    assert not mail.outbox


# --- Marking a meeting held -----------------------------------------------------------------


def test_marking_held_after_the_start_counts_the_conversations(world, meeting, people):
    _invite(meeting, employer=world["employer"], response=Response.YES)
    _invite(meeting, candidate=world["good"], response=Response.YES, present=True)
    _invite(meeting, candidate=world["far"], response=Response.YES, present=False)
    met, missed = (
        Conversation.objects.create(
            meeting=meeting, round=1, employer=world["employer"], candidate=candidate
        )
        for candidate in (world["good"], world["far"])
    )
    client = api_for(people["relatiemanager"])
    path = _path(meeting, "held")

    assert problem(client.post(path)) == ["status"]  # not started yet
    meeting.refresh_from_db()
    assert meeting.status == "concept"

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    assert problem(api_for(people["klantmanager"]).post(path), 403) == []
    assert problem(api_for(people["other_region_rm"]).post(path), 404) == []
    held = ok(client.post(path))
    assert held["status"] == "gehouden" and held["cancelled_at"] is None
    assert held["results"]["held"] == 1
    met.refresh_from_db()
    missed.refresh_from_db()
    assert met.held is True and missed.held is False  # the candidate was checked in absent
    assert problem(client.post(path)) == ["status"]  # already held


# --- One invitation -------------------------------------------------------------------------


def test_one_invitation_is_read_within_its_meeting(world, meeting, people):
    invitation = _invite(meeting, candidate=world["good"])
    manager = api_for(people["klantmanager"])
    row = ok(manager.get(_invitation_path(meeting, invitation)))
    assert set(row) == INVITATION_FIELDS
    assert row["uuid"] == str(invitation.uuid) and row["meeting"] == str(meeting.uuid)
    assert row["candidate"] == {"uuid": str(world["good"].uuid), "name": world["good"].full_name}
    assert "token" not in str(row)
    other, elsewhere = _another_meeting(meeting, world)
    for path in (
        _invitation_path(meeting, elsewhere),  # an invitation, but of another meeting
        _invitation_path(other, invitation),
        _invitation_path(meeting, NOBODY),
        _invitation_path(meeting, "geen-uuid"),
    ):
        assert problem(manager.get(path), 404) == [], path
    assert (
        problem(api_for(people["other_region_rm"]).get(_invitation_path(meeting, invitation)), 404)
        == []
    )
    for role in ("werkgever", "kandidaat"):
        assert api_for(people[role]).get(_invitation_path(meeting, invitation)).status_code == 403


def test_new_invitation_actions_are_for_organisers_within_their_meeting(
    world, meeting, people, django_capture_on_commit_callbacks
):
    table = _invite(meeting, employer=world["employer"], response=Response.YES)
    seat = _invite(meeting, candidate=world["good"])
    other, elsewhere = _another_meeting(meeting, world)
    calls = [
        ("post", seat, "answer", {"coming": True}),
        ("post", seat, "resend", None),
        ("patch", table, "", {"table_capacity": 3}),
    ]

    def call(client, method, meeting_, invitation, part, body):
        return getattr(client, method)(_invitation_path(meeting_, invitation, part), body)

    with django_capture_on_commit_callbacks(execute=True):
        for role in ("klantmanager", "werkgever", "kandidaat"):
            client = api_for(people[role])
            for method, invitation, part, body in calls:
                assert call(client, method, meeting, invitation, part, body).status_code == 403
        stranger = api_for(people["other_region_rm"])
        organiser = api_for(people["relatiemanager"])
        for method, invitation, part, body in calls:
            assert problem(call(stranger, method, meeting, invitation, part, body), 404) == []
            # The organiser, with an invitation of another meeting (or none) under this one.
            for wrong in (elsewhere, NOBODY, "geen-uuid"):
                response = call(organiser, method, meeting, wrong, part, body)
                assert problem(response, 404) == [], (part, wrong)
            assert problem(call(organiser, method, other, invitation, part, body), 404) == []
    assert not mail.outbox
    for invitation in (table, seat, elsewhere):
        before = invitation.token_hash
        invitation.refresh_from_db()
        assert invitation.response in (Response.OPEN, Response.YES)
        assert invitation.answer_recorded_by is None and invitation.table_capacity is None
        assert invitation.token_hash == before


# --- Recording an answer for someone --------------------------------------------------------


def test_recording_an_answer_for_someone(world, meeting, people, second_employer):
    table = _invite(meeting, employer=world["employer"], response=Response.YES)
    seat = _invite(meeting, candidate=world["good"])
    client = api_for(people["relatiemanager"])
    path = _invitation_path(meeting, seat, "answer")

    assert problem(client.post(path, {})) == ["coming"]
    assert problem(client.post(path, {"coming": "misschien"})) == ["coming"]
    # Only employers invited to this meeting can be wished for.
    for wish in ([str(second_employer.uuid)], ["geen-uuid"]):
        assert problem(client.post(path, {"coming": True, "wants_to_meet": wish})) == [
            "wants_to_meet"
        ]
    seat.refresh_from_db()
    assert seat.response == Response.OPEN and seat.answer_recorded_by is None

    row = ok(client.post(path, {"coming": True, "wants_to_meet": [str(world["employer"].uuid)]}))
    assert set(row) == INVITATION_FIELDS
    assert row["uuid"] == str(seat.uuid) and row["response"] == "ja"
    assert row["answer_recorded"] is True
    seat.refresh_from_db()
    assert seat.answer_recorded_by == people["relatiemanager"].staff and seat.responded_at
    assert list(seat.wants_to_meet.all()) == [world["employer"]]

    # Not sending the wishes keeps them; sending an empty list clears them.
    assert ok(client.post(path, {"coming": False}))["response"] == "nee"
    assert list(seat.wants_to_meet.all()) == [world["employer"]]
    assert ok(client.post(path, {"coming": True, "wants_to_meet": []}))["response"] == "ja"
    assert not seat.wants_to_meet.exists()

    # An employer's answer, too; and an answer through the personal link is their own again.
    employer_row = ok(client.post(_invitation_path(meeting, table, "answer"), {"coming": False}))
    assert employer_row["response"] == "nee" and employer_row["answer_recorded"] is True
    services.answer(token=services.answer_token(seat), coming=True)
    assert ok(client.get(_invitation_path(meeting, seat)))["answer_recorded"] is False


def test_a_recorded_yes_goes_on_the_waiting_list_when_the_tables_are_full(world, meeting, people):
    Meeting.objects.filter(pk=meeting.pk).update(rounds=1, table_capacity=1)
    _invite(meeting, employer=world["employer"], response=Response.YES)
    _invite(meeting, candidate=world["good"], response=Response.YES)
    late = _invite(meeting, candidate=world["cashier"])
    row = ok(
        api_for(people["teamleider"]).post(
            _invitation_path(meeting, late, "answer"), {"coming": True}
        )
    )
    assert row["response"] == "wachtlijst" and row["waitlist_position"] == 1
    assert row["answer_recorded"] is True


# --- A new answer link ----------------------------------------------------------------------


def test_a_new_link_replaces_the_old_one(
    world, meeting, people, django_capture_on_commit_callbacks
):
    seat = _invite(meeting, candidate=world["good"])
    old = services.answer_token(seat)
    assert services.invitation_for_token(old) == seat
    # The candidate has a new address since the invitation went out: the link goes there.
    Candidate.objects.filter(pk=world["good"].pk).update(email="nieuw.adres@example.nl")
    client = api_for(people["relatiemanager"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_invitation_path(meeting, seat, "resend"))
    row = ok(response)
    assert set(row) == INVITATION_FIELDS and row["uuid"] == str(seat.uuid)
    assert dt.datetime.fromisoformat(row["sent_at"]) > seat.sent_at
    [message] = mail.outbox
    assert message.to == ["nieuw.adres@example.nl"]
    assert message.attachments[0][2] == "text/calendar"
    link = re.search(r"http://testserver/uitnodiging/([^/\s]+)/", message.body)
    assert link
    new = link.group(1)
    assert new != old and new not in response.content.decode()
    with pytest.raises(ValidationError):
        services.invitation_for_token(old)
    assert services.invitation_for_token(new) == seat
    seat.refresh_from_db()
    assert seat.email == "nieuw.adres@example.nl"

    # An employer's link goes to their contact person.
    table = _invite(meeting, employer=world["employer"], email="")
    with django_capture_on_commit_callbacks(execute=True):
        ok(client.post(_invitation_path(meeting, table, "resend")))
    assert mail.outbox[-1].to == ["petra@example.nl"]


def test_a_new_link_needs_an_address(world, meeting, people, django_capture_on_commit_callbacks):
    seat = _invite(meeting, candidate=world["far"], email="")
    Candidate.objects.filter(pk=world["far"].pk).update(email="")
    old = services.answer_token(seat)
    with django_capture_on_commit_callbacks(execute=True):
        refused = api_for(people["relatiemanager"]).post(_invitation_path(meeting, seat, "resend"))
    assert problem(refused) == ["email"]
    assert not mail.outbox
    assert services.invitation_for_token(old) == seat  # the link still works


# --- An employer's table --------------------------------------------------------------------


def test_a_bigger_table_lets_the_waiting_list_move_up(
    world, meeting, people, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=meeting.pk).update(rounds=1, table_capacity=1)
    table = _invite(meeting, employer=world["employer"], response=Response.YES)
    _invite(meeting, candidate=world["good"], response=Response.YES)
    waiting = _invite(
        meeting, candidate=world["cashier"], response=Response.WAITING, waitlist_position=1
    )
    client = api_for(people["relatiemanager"])
    path = _invitation_path(meeting, table)

    with django_capture_on_commit_callbacks(execute=True):
        row = ok(client.patch(path, {"table_capacity": 2}))
    assert set(row) == INVITATION_FIELDS
    assert row["uuid"] == str(table.uuid) and row["table_capacity"] == 2
    waiting.refresh_from_db()
    assert waiting.response == Response.YES and waiting.waitlist_position is None
    assert [m.to for m in mail.outbox] == [[world["cashier"].email]]
    listed = {r["uuid"]: r for r in ok(client.get(_path(meeting, "invitations")))["results"]}
    assert listed[str(waiting.uuid)]["response"] == "ja"

    # Back to the meeting's number.
    assert ok(client.patch(path, {"table_capacity": None}))["table_capacity"] is None
    table.refresh_from_db()
    assert table.table_capacity is None


def test_table_changes_name_the_field(world, meeting, people):
    table = _invite(meeting, employer=world["employer"], response=Response.YES)
    seat = _invite(meeting, candidate=world["good"])
    client = api_for(people["relatiemanager"])
    path = _invitation_path(meeting, table)
    for body in ({}, {"table_capacity": 0}, {"table_capacity": 51}, {"table_capacity": "veel"}):
        assert problem(client.patch(path, body)) == ["table_capacity"], body
    # A candidate has no table.
    assert problem(client.patch(_invitation_path(meeting, seat), {"table_capacity": 2})) == [
        "table_capacity"
    ]
    table.refresh_from_db()
    seat.refresh_from_db()
    assert table.table_capacity is None and seat.table_capacity is None
    # Replacing the whole invitation or removing it is not offered (an action that is not
    # declared is denied before the method is looked at).
    assert client.put(path, {"table_capacity": 2}).status_code in (403, 405)
    assert client.delete(path).status_code in (403, 405)
    assert Invitation.objects.filter(pk=table.pk, table_capacity=None).exists()


# --- Schema ---------------------------------------------------------------------------------


def test_schema_has_the_new_routes_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    paths = schema["paths"]
    one = "/api/v1/meetings/{uuid}/invitations/{invitation_uuid}"
    assert set(paths["/api/v1/meetings/{uuid}/cancel"]) - {"parameters"} == {"post"}
    assert set(paths["/api/v1/meetings/{uuid}/held"]) - {"parameters"} == {"post"}
    assert set(paths[one]) - {"parameters"} == {"get", "patch"}
    assert set(paths[f"{one}/answer"]) - {"parameters"} == {"post"}
    assert set(paths[f"{one}/resend"]) - {"parameters"} == {"post"}
    assert "requestBody" not in paths["/api/v1/meetings/{uuid}/held"]["post"]
    assert "requestBody" not in paths[f"{one}/resend"]["post"]
    parameters = {p["name"]: p for p in paths[f"{one}/answer"]["post"]["parameters"]}
    assert parameters["invitation_uuid"]["schema"] == {"type": "string", "format": "uuid"}
    components = schema["components"]["schemas"]
    assert {"ends_at", "cancelled_at", "cancel_reason"} <= set(components["Meeting"]["properties"])
    assert {"reminded_at", "answer_recorded", "table_capacity"} <= set(
        components["MeetingInvitation"]["properties"]
    )
    assert "shortlist_entry" in components["Conversation"]["properties"]
