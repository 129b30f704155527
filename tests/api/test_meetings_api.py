"""The meetings API: organising a prettig gesprek (create, change with a version, list upcoming
first), invitations that mail a personal link but never show its token, the table plan with its
objective, bound and solve time, check-in and outcomes that become tasks; who may call what
(403), scope (404 for another region) and the schema."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from api_support import PROBLEM, api_for, ok, problem
from candidates_support import give_consent
from matching_support import picker
from meetings_support import INVITATION_FIELDS
from werkbrug.candidates.models import ConsentScope
from werkbrug.employers.models import Action, Employer
from werkbrug.meetings.models import Conversation, Invitation, Meeting, Response

pytestmark = pytest.mark.django_db
NOBODY = "00000000-0000-0000-0000-000000000000"


def _path(meeting, part: str = "") -> str:
    return f"/api/v1/meetings/{meeting.uuid}" + (f"/{part}" if part else "")


def _accepted(meeting, employers, candidates) -> None:
    for e in employers:
        Invitation.objects.create(
            meeting=meeting,
            employer=e,
            token_hash=f"e{e.pk}",
            token_expires_at=meeting.starts_at,
            response=Response.YES,
        )
    for c in candidates:
        Invitation.objects.create(
            meeting=meeting,
            candidate=c,
            token_hash=f"c{c.pk}",
            token_expires_at=meeting.starts_at,
            response=Response.YES,
        )


@pytest.fixture
def planned(world, meeting, second_employer):
    """Two employers and three candidates said yes; the plan is made through the API."""
    _accepted(
        meeting,
        [world["employer"], second_employer],
        [world["good"], world["cashier"], world["far"]],
    )
    return meeting


# --- Meetings -------------------------------------------------------------------------------


def test_create_read_and_change_a_meeting(world, people):
    client = api_for(people["relatiemanager"])
    starts = (timezone.now() + dt.timedelta(days=14)).replace(microsecond=0)
    payload = {
        "title": "Prettig gesprek logistiek",
        "format": "tafels",
        "host_employer": str(world["employer"].uuid),
        "location": "Werkplein Nijmegen",
        "starts_at": starts.isoformat(),
        "rounds": 4,
        "round_minutes": 15,
        "table_capacity": 3,
        "min_conversations": 2,
        "opportunities": [str(world["opportunity"].uuid)],
    }
    made = ok(client.post("/api/v1/meetings", payload), 201)
    assert made["host_employer"] == {
        "uuid": str(world["employer"].uuid),
        "name": "Logistiek Centrum Wijchen",
    }
    assert made["opportunities"] == [str(world["opportunity"].uuid)]
    assert made["status"] == "concept" and made["plan"] is None and made["version"] == 1
    assert (made["rounds"], made["round_minutes"], made["table_capacity"]) == (4, 15, 3)
    assert dt.datetime.fromisoformat(made["starts_at"]) == starts
    assert made["results"]["invited_employers"] == 0 and made["results"]["follow_ups"] == {}
    stored = Meeting.objects.get(uuid=made["uuid"])
    assert stored.region == world["place"]["region"]
    assert list(stored.organisers.all()) == [people["relatiemanager"].staff]

    path = f"/api/v1/meetings/{made['uuid']}"
    assert ok(client.get(path))["title"] == "Prettig gesprek logistiek"
    assert problem(client.patch(path, {"title": "Zonder versie"})) == ["version"]
    stale = client.patch(path, {"title": "Oud", "version": 7})
    assert stale.status_code == 409 and stale["Content-Type"] == PROBLEM
    changed = ok(client.patch(path, {"title": "Logistiek en retail", "version": 1}))
    assert changed["title"] == "Logistiek en retail" and changed["version"] == 2
    # Opportunities not sent stay as they were; sent, they replace the list.
    assert changed["opportunities"] == [str(world["opportunity"].uuid)]
    cleared = ok(client.patch(path, {"opportunities": [], "host_employer": None, "version": 2}))
    assert cleared["opportunities"] == [] and cleared["host_employer"] is None
    assert Meeting.objects.get(uuid=made["uuid"]).title == "Logistiek en retail"


def test_invalid_meetings_name_the_field(world, people, regions):
    client = api_for(people["relatiemanager"])
    good = {
        "title": "Gesprek",
        "location": "Werkplein",
        "starts_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
    }
    assert problem(client.post("/api/v1/meetings", {**good, "title": ""})) == ["title"]
    assert problem(client.post("/api/v1/meetings", {**good, "rounds": 0})) == ["rounds"]
    assert problem(client.post("/api/v1/meetings", {**good, "format": "feest"})) == ["format"]
    foreign = Employer.objects.create(
        region=regions["other"]["region"],
        name="Ver Weg BV",
        municipality=regions["other"]["municipalities"][0],
        owner=people["other_region_rm"].staff,
    )
    assert problem(
        client.post("/api/v1/meetings", {**good, "host_employer": str(foreign.uuid)})
    ) == ["host_employer"]
    assert problem(client.post("/api/v1/meetings", {**good, "opportunities": [NOBODY]})) == [
        "opportunities"
    ]
    assert not Meeting.objects.exists()


def test_list_is_upcoming_first_then_past_and_filters_from_a_day(world, meeting, people):
    region = world["place"]["region"]
    now = timezone.now()

    def make(title: str, days: int) -> Meeting:
        return Meeting.objects.create(
            region=region, title=title, location="x", starts_at=now + dt.timedelta(days=days)
        )

    make("Verleden week", -7)
    make("Gisteren", -1)
    make("Morgen", 1)
    client = api_for(people["relatiemanager"])
    body = ok(client.get("/api/v1/meetings"))
    titles = [row["title"] for row in body["results"]]
    assert titles == ["Morgen", "Prettig gesprek Wijchen", "Gisteren", "Verleden week"]
    assert all(row["results"] is None for row in body["results"])  # counts per meeting: detail
    since = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert [r["title"] for r in ok(client.get(f"/api/v1/meetings?vanaf={since}"))["results"]] == [
        "Prettig gesprek Wijchen"
    ]
    everything = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    by_date = ok(client.get(f"/api/v1/meetings?vanaf={everything}"))["results"]
    assert [r["title"] for r in by_date] == [
        "Verleden week",
        "Gisteren",
        "Morgen",
        "Prettig gesprek Wijchen",
    ]
    assert problem(client.get("/api/v1/meetings?vanaf=morgen")) == ["vanaf"]
    # Another region's staff see none of them.
    assert ok(api_for(people["other_region_rm"]).get("/api/v1/meetings"))["results"] == []


def test_who_may_do_what(world, meeting, people):
    _accepted(meeting, [world["employer"]], [world["good"]])
    invitation = meeting.invitations.get(candidate=world["good"])
    conversation = Conversation.objects.create(
        meeting=meeting, round=1, employer=world["employer"], candidate=world["good"]
    )
    conversation_path = f"/api/v1/conversations/{conversation.uuid}"

    # The client manager reads, checks in and records outcomes; does not organise.
    manager = api_for(people["klantmanager"])
    assert ok(manager.get("/api/v1/meetings"))["count"] == 1
    assert ok(manager.get(_path(meeting)))["uuid"] == str(meeting.uuid)
    assert ok(manager.get(_path(meeting, "invitations")))["count"] == 2
    assert ok(manager.get(_path(meeting, "plan")))["meeting"] == str(meeting.uuid)
    assert ok(manager.get(conversation_path))["uuid"] == str(conversation.uuid)
    checked = ok(
        manager.post(
            _path(meeting, "attendance"), {"invitation": str(invitation.uuid), "present": True}
        )
    )
    assert checked["present"] is True
    done = ok(
        manager.post(f"{conversation_path}/outcome", {"outcome": "geen_klik", "follow_up": "niets"})
    )
    assert done["outcome"] == "geen_klik" and done["task"] is None
    denied = [
        manager.post("/api/v1/meetings", {"title": "x"}),
        manager.patch(_path(meeting), {"title": "x", "version": 1}),
        manager.post(_path(meeting, "plan"), {}),
        manager.post(_path(meeting, "invitations"), {"candidates": [str(world["far"].uuid)]}),
    ]
    assert [problem(r, 403) for r in denied] == [[], [], [], []]
    assert not meeting.conversations.exclude(pk=conversation.pk).exists()
    assert meeting.invitations.count() == 2

    # Employers and candidates have no business here.
    for role in ("werkgever", "kandidaat"):
        client = api_for(people[role])
        for response in (
            client.get("/api/v1/meetings"),
            client.get(_path(meeting)),
            client.get(_path(meeting, "invitations")),
            client.get(_path(meeting, "plan")),
            client.post(_path(meeting, "plan"), {}),
            client.post(_path(meeting, "attendance"), {"invitation": str(invitation.uuid)}),
            client.get(conversation_path),
            client.post(f"{conversation_path}/outcome", {"outcome": "klik"}),
        ):
            assert response.status_code == 403, (role, response.request["PATH_INFO"])
            assert "Prettig" not in response.content.decode()
    assert APIClient().get("/api/v1/meetings").status_code in (401, 403)


def test_another_region_gets_404(world, meeting, people):
    _accepted(meeting, [world["employer"]], [world["good"]])
    invitation = meeting.invitations.get(candidate=world["good"])
    conversation = Conversation.objects.create(
        meeting=meeting, round=1, employer=world["employer"], candidate=world["good"]
    )
    other = api_for(people["other_region_rm"])
    for response in (
        other.get(_path(meeting)),
        other.patch(_path(meeting), {"title": "Overgenomen", "version": 1}),
        other.get(_path(meeting, "invitations")),
        other.post(_path(meeting, "invitations"), {"employers": [str(world["employer"].uuid)]}),
        other.get(_path(meeting, "plan")),
        other.post(_path(meeting, "plan"), {}),
        other.post(
            _path(meeting, "attendance"), {"invitation": str(invitation.uuid), "present": False}
        ),
        other.get(f"/api/v1/conversations/{conversation.uuid}"),
        other.post(
            f"/api/v1/conversations/{conversation.uuid}/outcome",
            {"outcome": "klik", "follow_up": "niets"},
        ),
    ):
        assert response.status_code == 404, response.request["PATH_INFO"]
        assert response["Content-Type"] == PROBLEM
    meeting.refresh_from_db()
    invitation.refresh_from_db()
    conversation.refresh_from_db()
    assert meeting.title == "Prettig gesprek Wijchen" and meeting.planned_at is None
    assert invitation.present is None and conversation.outcome == ""
    client = api_for(people["relatiemanager"])
    for path in (f"/api/v1/meetings/{NOBODY}", "/api/v1/meetings/geen-uuid/plan"):
        assert client.get(path).status_code == 404, path


# --- Invitations ----------------------------------------------------------------------------


def test_inviting_mails_a_personal_link_and_never_returns_the_token(
    world, meeting, people, django_capture_on_commit_callbacks
):
    client = api_for(people["relatiemanager"])
    body = {
        "employers": [str(world["employer"].uuid)],
        "candidates": [str(world["good"].uuid), str(world["cashier"].uuid)],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_path(meeting, "invitations"), body)
    made = ok(response, 201)
    assert len(made) == 3 and len(mail.outbox) == 3
    employer_row = next(row for row in made if row["employer"])
    assert employer_row["employer"] == {
        "uuid": str(world["employer"].uuid),
        "name": "Logistiek Centrum Wijchen",
    }
    assert employer_row["candidate"] is None and employer_row["response"] == "open"
    candidate_rows = {row["candidate"]["uuid"]: row for row in made if row["candidate"]}
    assert candidate_rows[str(world["good"].uuid)]["candidate"]["name"] == world["good"].full_name
    assert all(row["sent_at"] for row in made)
    for row in made:
        assert set(row) == INVITATION_FIELDS
    # The link points at the public answer page of this host; its token is only in the mail.
    links = [re.search(r"(http://testserver/uitnodiging/([^/\s]+)/)", m.body) for m in mail.outbox]
    assert all(links)
    content = response.content.decode()
    for link in links:
        token = link.group(2)
        assert len(token) >= 40 and token not in content
    assert "token" not in content
    assert {m.attachments[0][2] for m in mail.outbox} == {"text/calendar"}
    meeting.refresh_from_db()
    assert meeting.status == "uitgenodigd"
    assert ok(client.get(_path(meeting)))["status"] == "uitgenodigd"

    # Inviting again makes nothing new and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = ok(client.post(_path(meeting, "invitations"), body), 201)
    assert again == [] and len(mail.outbox) == 3

    listed = ok(client.get(_path(meeting, "invitations")))
    assert listed["count"] == 3
    assert {row["uuid"] for row in listed["results"]} == {row["uuid"] for row in made}
    assert "token" not in str(listed)


def test_pool_candidates_are_invited_by_uuid_and_listed_without_a_name(
    world, meeting, people, django_capture_on_commit_callbacks
):
    wijchen = world["place"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen, first_name="Geheime", last_name="Poel")
    give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    client = api_for(people["relatiemanager"])
    with django_capture_on_commit_callbacks(execute=True):
        made = ok(
            client.post(_path(meeting, "invitations"), {"candidates": [str(outsider.uuid)]}), 201
        )
    assert made[0]["candidate"] == {"uuid": str(outsider.uuid), "name": None}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [outsider.email]
    response = client.get(_path(meeting, "invitations"))
    assert ok(response)["results"][0]["candidate"] == {"uuid": str(outsider.uuid), "name": None}
    assert "Geheime" not in response.content.decode() and "Poel" not in response.content.decode()


def test_invitations_name_the_field(world, meeting, people):
    client = api_for(people["relatiemanager"])
    path = _path(meeting, "invitations")
    assert problem(client.post(path, {})) == ["employers"]
    assert problem(client.post(path, {"candidates": [NOBODY]})) == ["candidates"]
    assert problem(client.post(path, {"employers": ["geen-uuid"]})) == ["employers"]
    meeting.status = "geannuleerd"
    meeting.save()
    assert problem(client.post(path, {"employers": [str(world["employer"].uuid)]})) == ["status"]
    assert not Invitation.objects.exists() and not mail.outbox


# --- The table plan -------------------------------------------------------------------------


def test_planning_returns_the_plan_with_objective_bound_gap_and_time(
    world, planned, people, second_employer
):
    client = api_for(people["relatiemanager"])
    empty = ok(client.get(_path(planned, "plan")))
    assert empty["method"] is None and empty["objective"] is None and empty["planned_at"] is None
    assert [r["round"] for r in empty["rounds"]] == [1, 2, 3]
    assert all(not t["seats"] for r in empty["rounds"] for t in r["tables"])

    made = ok(client.post(_path(planned, "plan"), {"from_round": 1}))
    assert made["method"] == "flow" and made["gap"] == 0
    assert made["objective"] > 0 and made["bound"] == pytest.approx(made["objective"])
    assert made["seconds"] >= 0 and made["planned_at"]
    assert made["coverage"] == 3  # each of the three candidates gets their conversation
    assert made["hidden"] == 0
    assert [r["round"] for r in made["rounds"]] == [1, 2, 3]
    seats = [
        (r["round"], t["employer"]["uuid"], s["candidate"])
        for r in made["rounds"]
        for t in r["tables"]
        for s in t["seats"]
    ]
    assert {c for _r, _e, c in seats} == {
        str(world["good"].uuid),
        str(world["cashier"].uuid),
        str(world["far"].uuid),
    }
    assert (str(world["employer"].uuid), str(world["good"].uuid)) in {(e, c) for _r, e, c in seats}
    assert (str(second_employer.uuid), str(world["cashier"].uuid)) in {(e, c) for _r, e, c in seats}
    first = next(s for r in made["rounds"] for t in r["tables"] for s in t["seats"])
    assert set(first) == {"conversation", "candidate", "pinned"} and first["pinned"] is False
    assert Conversation.objects.filter(uuid=first["conversation"], meeting=planned).exists()

    # The same plan when read again, and its quality on the meeting.
    again = ok(client.get(_path(planned, "plan")))
    assert again["rounds"] == made["rounds"] and "coverage" not in again
    shown = ok(client.get(_path(planned)))
    assert shown["status"] == "gepland"
    assert shown["plan"] == {
        key: made[key] for key in ("method", "objective", "bound", "gap", "seconds", "planned_at")
    }
    assert shown["results"]["conversations"] == len(seats)


def test_planning_errors_name_the_field(world, meeting, people):
    client = api_for(people["relatiemanager"])
    meeting.rounds, meeting.table_capacity = 1, 1
    meeting.save()
    _accepted(meeting, [world["employer"]], [world["good"], world["cashier"]])
    assert problem(client.post(_path(meeting, "plan"), {"from_round": 2})) == ["from_round"]
    assert problem(client.post(_path(meeting, "plan"), {"from_round": 0})) == ["from_round"]
    # Two pairs pinned to one seat: the planner refuses, under "plan".
    for candidate in (world["good"], world["cashier"]):
        Conversation.objects.create(
            meeting=meeting, round=1, employer=world["employer"], candidate=candidate, pinned=True
        )
    refused = client.post(_path(meeting, "plan"), {})
    assert problem(refused) == ["plan"]
    assert "vaste koppeling" in refused.json()["invalid_params"][0]["reason"].lower()
    assert meeting.conversations.count() == 2  # nothing changed


def test_check_in_and_replanning_the_rest_of_the_day(world, planned, people):
    client = api_for(people["relatiemanager"])
    ok(client.post(_path(planned, "plan"), {}))
    absent = planned.invitations.get(candidate=world["far"])
    path = _path(planned, "attendance")
    assert problem(client.post(path, {"invitation": str(absent.uuid)})) == ["present"]
    assert problem(client.post(path, {"invitation": NOBODY, "present": True})) == ["invitation"]
    checked = ok(client.post(path, {"invitation": str(absent.uuid), "present": False}))
    assert checked["uuid"] == str(absent.uuid) and checked["present"] is False
    assert checked["candidate"]["uuid"] == str(world["far"].uuid)
    round_one = {(c.candidate_id, c.employer_id) for c in planned.conversations.filter(round=1)}
    replanned = ok(client.post(_path(planned, "plan"), {"from_round": 2}))
    assert replanned["method"] == "flow" and replanned["gap"] == 0
    later = [
        s["candidate"]
        for r in replanned["rounds"]
        if r["round"] >= 2
        for t in r["tables"]
        for s in t["seats"]
    ]
    assert str(world["far"].uuid) not in later
    assert {
        (c.candidate_id, c.employer_id) for c in planned.conversations.filter(round=1)
    } == round_one
    listed = ok(client.get(_path(planned, "invitations")))["results"]
    assert {r["uuid"]: r["present"] for r in listed}[str(absent.uuid)] is False


# --- Outcomes -------------------------------------------------------------------------------


def test_an_outcome_with_a_follow_up_returns_the_task(world, planned, people):
    ok(api_for(people["relatiemanager"]).post(_path(planned, "plan"), {}))
    conversation = planned.conversations.filter(candidate=world["good"]).first()
    path = f"/api/v1/conversations/{conversation.uuid}/outcome"
    manager = api_for(people["klantmanager"])
    assert problem(manager.post(path, {"outcome": "misschien", "follow_up": "niets"})) == [
        "outcome"
    ]
    assert problem(manager.post(path, {"outcome": "klik"})) == ["follow_up"]
    assert problem(
        manager.post(path, {"outcome": "klik", "follow_up": "niets", "note": "x" * 501})
    ) == ["note"]
    done = ok(
        manager.post(path, {"outcome": "klik", "follow_up": "proefplaats", "note": "Start maandag"})
    )
    assert done["uuid"] == str(conversation.uuid) and done["meeting"] == str(planned.uuid)
    assert done["outcome"] == "klik" and done["follow_up"] == "proefplaats"
    assert done["held"] is True and done["note"] == "Start maandag" and done["recorded_at"]
    assert done["candidate"] == {"uuid": str(world["good"].uuid), "name": world["good"].full_name}
    task = Action.objects.get()
    assert task.employer == conversation.employer and task.owner == conversation.employer.owner
    assert done["task"] == {
        "uuid": str(task.uuid),
        "title": task.title,
        "due_on": task.due_on.isoformat(),
    }
    # Recording again keeps the one task.
    again = ok(manager.post(path, {"outcome": "klik", "follow_up": "proefplaats"}))
    assert again["task"]["uuid"] == str(task.uuid) and Action.objects.count() == 1
    assert ok(manager.get(f"/api/v1/conversations/{conversation.uuid}"))["task"] == again["task"]
    results = ok(manager.get(_path(planned)))["results"]
    assert results["held"] == 1 and results["clicks"] == 1
    assert results["follow_ups"] == {"proefplaats": 1}


# --- Schema ---------------------------------------------------------------------------------


def test_schema_has_the_meeting_routes_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/meetings"])
    assert {"get", "patch"} <= set(paths["/api/v1/meetings/{uuid}"])
    assert "put" not in paths["/api/v1/meetings/{uuid}"]
    assert {"get", "post"} <= set(paths["/api/v1/meetings/{uuid}/invitations"])
    assert {"get", "post"} <= set(paths["/api/v1/meetings/{uuid}/plan"])
    assert "post" in paths["/api/v1/meetings/{uuid}/attendance"]
    assert "get" in paths["/api/v1/conversations/{uuid}"]
    assert "post" in paths["/api/v1/conversations/{uuid}/outcome"]
    made = paths["/api/v1/meetings/{uuid}/plan"]["post"]["responses"]["200"]
    ref = made["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"objective", "bound", "gap", "seconds", "method", "coverage", "rounds"} <= set(
        schema["components"]["schemas"][ref]["properties"]
    )
