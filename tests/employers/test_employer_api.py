"""The employer-register API: each resource read and written by the right role, scoped by the
access layer (an employer sees only their own company and no contact moments; staff see only
their own region), problem+json with field names, 409 for duplicates and stale versions,
bounded query counts and a clean OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from werkbrug.employers.models import (
    Action,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityStatus,
    WorkOpportunity,
)

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
TODAY = timezone.localdate()
LISTS = [
    "/api/v1/employers",
    "/api/v1/contact-persons",
    "/api/v1/contact-moments",
    "/api/v1/employer-questions",
    "/api/v1/work-opportunities",
]


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _names(response) -> set[str]:
    assert response["Content-Type"] == PROBLEM, response.content
    return {p["name"] for p in response.json()["invalid_params"]}


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _uuids(response) -> set[str]:
    return {row["uuid"] for row in _results(response)}


@pytest.fixture
def world(people, regions):
    """Company A (the werkgever's own) and B in the own region, C in the other region; each
    with a contact person, a contact moment, a question and a work opportunity."""
    own, other = regions["own"], regions["other"]
    rm = people["relatiemanager"].staff
    other_rm = people["other_region_rm"].staff

    def company(name, place, owner, **values):
        employer = Employer.objects.create(
            region=place["region"],
            name=name,
            municipality=place["municipalities"][0],
            owner=owner,
            notes=f"interne notitie over {name}",
            **values,
        )
        person = ContactPerson.objects.create(
            employer=employer, name=f"Contact {name}", email=f"{name.lower()}@example.nl"
        )
        ContactMoment.objects.create(
            employer=employer, date=TODAY, channel="telefoon", recorded_by=owner
        )
        EmployerQuestion.objects.create(
            employer=employer,
            received_at=timezone.now(),
            question=f"Vraag van {name}",
            assigned_to=owner,
        )
        WorkOpportunity.objects.create(
            employer=employer, title=f"Werk bij {name}", tasks=["inpakken"], opened_on=TODAY
        )
        return employer, person

    a, a_person = company("Alfa", own, rm, kvk_number="12345678", postcode="6511 AB")
    b, _ = company("Bravo", own, rm, kvk_number="87654321")
    c, _ = company("Charlie", other, other_rm)
    werkgever = ContactPerson.objects.create(
        employer=a, name="Wendy Werkgever", user=people["werkgever"], email="wendy@example.nl"
    )
    return {"a": a, "b": b, "c": c, "a_person": a_person, "werkgever": werkgever, "rm": rm}


def _record_uuids(employer: Employer) -> dict[str, str]:
    return {
        "employers": str(employer.uuid),
        "contact-persons": str(employer.contact_persons.order_by("id").first().uuid),
        "contact-moments": str(employer.contact_moments.first().uuid),
        "employer-questions": str(employer.questions.first().uuid),
        "work-opportunities": str(employer.opportunities.first().uuid),
    }


# --- Employers ------------------------------------------------------------------------------


def test_staff_list_and_retrieve_employers_of_their_region(people, world):
    client = _client(people["relatiemanager"])
    rows = _results(client.get("/api/v1/employers"))
    assert [r["name"] for r in rows] == ["Alfa", "Bravo"]
    detail = client.get(f"/api/v1/employers/{world['a'].uuid}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["kvk_number"] == "12345678" and body["notes"].startswith("interne")
    assert body["owner"] == str(world["rm"].uuid) and body["version"] == 1
    assert body["municipality"] == str(world["a"].municipality.uuid)


def test_employer_filters(people, world, regions):
    client = _client(people["relatiemanager"])
    world["b"].ambassador = True
    world["b"].phase = "bezocht"
    world["b"].last_contact_on = TODAY
    world["b"].save()
    a, b = str(world["a"].uuid), str(world["b"].uuid)
    assert _uuids(client.get("/api/v1/employers", {"search": "alf"})) == {a}
    assert _uuids(client.get("/api/v1/employers", {"search": "8765"})) == {b}
    assert _uuids(client.get("/api/v1/employers", {"phase": "bezocht"})) == {b}
    assert _uuids(client.get("/api/v1/employers", {"ambassador": "true"})) == {b}
    assert _uuids(client.get("/api/v1/employers", {"ambassador": "false"})) == {a}
    assert _uuids(client.get("/api/v1/employers", {"relation": "warm"})) == {b}
    assert _uuids(client.get("/api/v1/employers", {"relation": "koud"})) == {a}
    owner = str(world["rm"].uuid)
    assert _uuids(client.get("/api/v1/employers", {"owner": owner})) == {a, b}
    wijchen = str(regions["own"]["municipalities"][1].uuid)
    assert _uuids(client.get("/api/v1/employers", {"municipality": wijchen})) == set()
    ordered = _results(client.get("/api/v1/employers", {"ordering": "-name"}))
    assert [r["name"] for r in ordered] == ["Bravo", "Alfa"]
    bad = client.get(
        "/api/v1/employers",
        {"municipality": str(regions["other"]["municipalities"][0].uuid), "ordering": "x"},
    )
    assert bad.status_code == 400 and _names(bad) == {"municipality", "ordering"}


def _new_employer(regions, people, **values) -> dict:
    own = regions["own"]
    return {
        "name": "Café De Waag",
        "kvk_number": "1122 3344",
        "postcode": "6511ab",
        "city": "Nijmegen",
        "municipality": str(own["municipalities"][0].uuid),
        "owner": str(people["relatiemanager"].staff.uuid),
        "size_class": "10-49",
        **values,
    }


def test_relationship_manager_registers_an_employer(people, regions, world):
    response = _client(people["relatiemanager"]).post(
        "/api/v1/employers", _new_employer(regions, people, phase="nazorg"), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kvk_number"] == "11223344" and body["postcode"] == "6511 AB"
    assert body["phase"] == "prospect"  # a new employer starts as a prospect
    employer = Employer.objects.get(uuid=body["uuid"])
    assert employer.region == regions["own"]["region"]


def test_invalid_employer_names_the_fields_and_saves_nothing(people, regions, world):
    before = Employer.objects.count()
    response = _client(people["relatiemanager"]).post(
        "/api/v1/employers",
        _new_employer(regions, people, kvk_number="1234", postcode="ABCD 12"),
        format="json",
    )
    assert response.status_code == 400
    assert {"kvk_number", "postcode"} <= _names(response)
    assert Employer.objects.count() == before


def test_owner_of_another_region_is_not_a_choice(people, regions, world):
    response = _client(people["relatiemanager"]).post(
        "/api/v1/employers",
        _new_employer(regions, people, owner=str(people["other_region_rm"].staff.uuid)),
        format="json",
    )
    assert response.status_code == 400 and _names(response) == {"owner"}


def test_suspected_duplicate_is_a_conflict_until_checked(people, regions, world):
    client = _client(people["relatiemanager"])
    payload = _new_employer(regions, people, name="alfa", kvk_number="", postcode="6511 AB")
    before = Employer.objects.count()
    response = client.post("/api/v1/employers", payload, format="json")
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 409 and body["detail"] and body["code"] == "duplicate"
    assert body["duplicates"] == [{"uuid": str(world["a"].uuid), "name": "Alfa"}]
    assert Employer.objects.count() == before
    confirmed = client.post(
        "/api/v1/employers", {**payload, "duplicates_checked": True}, format="json"
    )
    assert confirmed.status_code == 201, confirmed.content


def test_registered_establishment_is_a_conflict_that_cannot_be_overridden(people, regions, world):
    payload = _new_employer(regions, people, kvk_number="12345678", duplicates_checked=True)
    response = _client(people["relatiemanager"]).post("/api/v1/employers", payload, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["duplicates"][0]["uuid"] == str(world["a"].uuid) and body["code"] == "registered"
    assert {p["name"] for p in body["invalid_params"]} == {"kvk_number"}


def test_update_with_version_and_stale_version(people, world):
    client = _client(people["relatiemanager"])
    url = f"/api/v1/employers/{world['a'].uuid}"
    changed = client.patch(url, {"city": "Lent", "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["city"] == "Lent" and changed.json()["version"] == 2
    stale = client.patch(url, {"city": "Wijchen", "version": 1}, format="json")
    assert stale.status_code == 409 and stale["Content-Type"] == PROBLEM
    assert stale.json()["code"] == "stale" and stale.json()["detail"]
    assert Employer.objects.get(pk=world["a"].pk).city == "Lent"
    missing = client.patch(url, {"city": "Wijchen"}, format="json")
    assert missing.status_code == 400 and _names(missing) == {"version"}


def test_taking_a_registered_kvk_on_update_is_a_conflict(people, world):
    response = _client(people["relatiemanager"]).patch(
        f"/api/v1/employers/{world['b'].uuid}",
        {"kvk_number": "12345678", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["duplicates"][0]["name"] == "Alfa"


def test_only_editors_write_employers(people, regions, world):
    payload = _new_employer(regions, people)
    for role in ("klantmanager", "werkgever", "beheerder"):
        assert (
            _client(people[role]).post("/api/v1/employers", payload, format="json").status_code
            == 403
        ), role


# --- The employer's own contact person (portal) -----------------------------------------------


def test_employer_sees_only_their_own_company_without_internal_notes(people, world):
    client = _client(people["werkgever"])
    rows = _results(client.get("/api/v1/employers"))
    assert [r["uuid"] for r in rows] == [str(world["a"].uuid)]
    assert "notes" not in rows[0] and rows[0]["phase"] == "prospect"
    own = client.get(f"/api/v1/employers/{world['a'].uuid}")
    assert own.status_code == 200 and "notes" not in own.json()
    for other in (world["b"], world["c"]):
        response = client.get(f"/api/v1/employers/{other.uuid}")
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    "resource", ["contact-persons", "employer-questions", "work-opportunities"]
)
def test_employer_reads_only_their_own_records(people, world, resource):
    client = _client(people["werkgever"])
    listed = _uuids(client.get(f"/api/v1/{resource}"))
    own = _record_uuids(world["a"])[resource]
    assert own in listed
    for other in (world["b"], world["c"]):
        foreign = _record_uuids(other)[resource]
        assert foreign not in listed
        assert client.get(f"/api/v1/{resource}/{foreign}").status_code == 404


def test_employer_sees_no_contact_moments(people, world):
    client = _client(people["werkgever"])
    assert client.get("/api/v1/contact-moments").status_code == 403
    moment = world["a"].contact_moments.first()
    assert client.get(f"/api/v1/contact-moments/{moment.uuid}").status_code == 403


def test_employer_asks_a_question_for_their_own_company_only(people, world):
    client = _client(people["werkgever"])
    response = client.post(
        "/api/v1/employer-questions",
        {
            "employer": str(world["a"].uuid),
            "question": "Kan ik LKS krijgen?",
            "topic": "instrument",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["assigned_to"] == str(world["rm"].uuid)
    assert body["contact_person"] == str(world["werkgever"].uuid)
    before = EmployerQuestion.objects.count()
    foreign = client.post(
        "/api/v1/employer-questions",
        {"employer": str(world["b"].uuid), "question": "En hier?"},
        format="json",
    )
    assert foreign.status_code == 400 and _names(foreign) == {"employer"}
    assert EmployerQuestion.objects.count() == before


def test_employer_submits_work_for_their_own_company_only(people, world):
    client = _client(people["werkgever"])
    payload = {"title": "Orderpicker", "tasks": ["orders verzamelen", "inpakken"]}
    response = client.post(
        "/api/v1/work-opportunities",
        {**payload, "employer": str(world["a"].uuid)},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "open"
    before = WorkOpportunity.objects.count()
    foreign = client.post(
        "/api/v1/work-opportunities", {**payload, "employer": str(world["b"].uuid)}, format="json"
    )
    assert foreign.status_code == 400 and _names(foreign) == {"employer"}
    assert WorkOpportunity.objects.count() == before


def test_employer_changes_nothing_else(people, world):
    client = _client(people["werkgever"])
    opportunity = world["a"].opportunities.first()
    question = world["a"].questions.first()
    assert client.patch(f"/api/v1/employers/{world['a'].uuid}", {"version": 1}).status_code == 403
    assert (
        client.post(
            f"/api/v1/work-opportunities/{opportunity.uuid}/status", {"status": "ingevuld"}
        ).status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/employer-questions/{question.uuid}", {"answer": "ja"}).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/contact-persons", {"employer": str(world["a"].uuid), "name": "X"}
        ).status_code
        == 403
    )


# --- Staff of another region, and roles without access ----------------------------------------


@pytest.mark.parametrize(
    "resource",
    ["employers", "contact-persons", "contact-moments", "employer-questions", "work-opportunities"],
)
def test_staff_of_another_region_see_nothing_of_this_region(people, world, resource):
    client = _client(people["other_region_rm"])
    listed = _uuids(client.get(f"/api/v1/{resource}", {"page_size": 500}))
    assert _record_uuids(world["c"])[resource] in listed
    for employer in (world["a"], world["b"]):
        uuid = _record_uuids(employer)[resource]
        assert uuid not in listed
        response = client.get(f"/api/v1/{resource}/{uuid}")
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_staff_of_another_region_cannot_write_here(people, world):
    client = _client(people["other_region_rm"])
    employer = client.patch(
        f"/api/v1/employers/{world['a'].uuid}", {"city": "Zaandam", "version": 1}, format="json"
    )
    assert employer.status_code == 404
    opportunity = world["a"].opportunities.first()
    moved = client.post(
        f"/api/v1/work-opportunities/{opportunity.uuid}/status", {"status": "ingevuld"}
    )
    assert moved.status_code == 404
    question = client.post(
        "/api/v1/employer-questions", {"employer": str(world["a"].uuid), "question": "?"}
    )
    assert question.status_code == 400 and _names(question) == {"employer"}
    assert Employer.objects.get(pk=world["a"].pk).city == ""


@pytest.mark.parametrize("path", LISTS)
def test_candidates_and_anonymous_get_nothing(people, world, path):
    assert _client(people["kandidaat"]).get(path).status_code == 403
    response = APIClient().get(path)
    assert response.status_code in (401, 403) and response["Content-Type"] == PROBLEM


# --- Contact persons ------------------------------------------------------------------------


def test_contact_persons_list_create_update(people, world):
    client = _client(people["relatiemanager"])
    listed = _uuids(client.get("/api/v1/contact-persons", {"employer": str(world["a"].uuid)}))
    assert listed == {str(world["a_person"].uuid), str(world["werkgever"].uuid)}
    created = client.post(
        "/api/v1/contact-persons",
        {
            "employer": str(world["a"].uuid),
            "name": "Piet Planner",
            "phone": "06 1234 5678",
            "email": "Piet@Alfa.NL",
            "is_primary": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phone"] == "+31612345678" and body["email"] == "Piet@alfa.nl"
    url = f"/api/v1/contact-persons/{body['uuid']}"
    assert client.get(url).json()["name"] == "Piet Planner"
    changed = client.patch(url, {"role": "Planner", "version": body["version"]}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == body["version"] + 1
    stale = client.patch(url, {"role": "Chef", "version": body["version"]}, format="json")
    assert stale.status_code == 409
    assert ContactPerson.objects.get(uuid=body["uuid"]).role == "Planner"


def test_invalid_contact_person_names_the_field(people, world):
    before = ContactPerson.objects.count()
    response = _client(people["relatiemanager"]).post(
        "/api/v1/contact-persons",
        {"employer": str(world["c"].uuid), "name": "", "phone": "12"},
        format="json",
    )
    assert response.status_code == 400
    assert _names(response) == {"employer", "name", "phone"}
    assert ContactPerson.objects.count() == before


# --- Contact moments ------------------------------------------------------------------------


def test_recording_a_contact_with_actions(people, world):
    client = _client(people["relatiemanager"])
    fresh = Employer.objects.create(
        region=world["a"].region,
        name="Delta",
        municipality=world["a"].municipality,
        owner=world["rm"],
    )
    due = (TODAY + dt.timedelta(days=7)).isoformat()
    response = client.post(
        "/api/v1/contact-moments",
        {
            "employer": str(fresh.uuid),
            "date": TODAY.isoformat(),
            "channel": "bezoek_afspraak",
            "staff": [str(people["teamleider"].staff.uuid)],
            "notes": "Goed gesprek",
            "work_found": True,
            "actions": [
                {"title": "Vacature uitwerken", "owner": str(world["rm"].uuid), "due_on": due}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_first_contact"] is True
    assert body["recorded_by"] == str(world["rm"].uuid)
    assert set(body["staff"]) == {str(world["rm"].uuid), str(people["teamleider"].staff.uuid)}
    assert [a["title"] for a in body["actions"]] == ["Vacature uitwerken"]
    fresh.refresh_from_db()
    assert fresh.last_contact_on == TODAY and fresh.phase == "betrokken"
    assert Action.objects.filter(employer=fresh).count() == 1
    detail = client.get(f"/api/v1/contact-moments/{body['uuid']}")
    assert detail.status_code == 200 and detail.json()["notes"] == "Goed gesprek"


def test_contact_moment_filters(people, world):
    client = _client(people["relatiemanager"])
    old = ContactMoment.objects.create(
        employer=world["a"],
        date=TODAY - dt.timedelta(days=40),
        channel="email",
        recorded_by=world["rm"],
        is_first_contact=True,
    )
    a = str(world["a"].uuid)
    assert len(_results(client.get("/api/v1/contact-moments", {"employer": a}))) == 2
    assert _uuids(client.get("/api/v1/contact-moments", {"channel": "email"})) == {str(old.uuid)}
    assert _uuids(client.get("/api/v1/contact-moments", {"first_contact": "true"})) == {
        str(old.uuid)
    }
    date_to = (TODAY - dt.timedelta(days=30)).isoformat()
    assert _uuids(client.get("/api/v1/contact-moments", {"date_to": date_to})) == {str(old.uuid)}
    recent = _uuids(client.get("/api/v1/contact-moments", {"date_from": date_to}))
    assert str(old.uuid) not in recent and len(recent) == 2
    bad = client.get("/api/v1/contact-moments", {"date_from": "gisteren"})
    assert bad.status_code == 400 and _names(bad) == {"date_from"}


def test_contact_in_the_future_names_the_date_and_saves_nothing(people, world):
    before = ContactMoment.objects.count()
    response = _client(people["relatiemanager"]).post(
        "/api/v1/contact-moments",
        {
            "employer": str(world["a"].uuid),
            "date": (TODAY + dt.timedelta(days=2)).isoformat(),
            "channel": "telefoon",
            "actions": [
                {"title": "Bellen", "owner": str(world["rm"].uuid), "due_on": "2030-01-01"}
            ],
        },
        format="json",
    )
    assert response.status_code == 400 and _names(response) == {"date"}
    assert ContactMoment.objects.count() == before and Action.objects.count() == 0


def test_contact_moments_are_written_by_editors_only(people, world):
    payload = {"employer": str(world["a"].uuid), "date": TODAY.isoformat(), "channel": "email"}
    assert (
        _client(people["klantmanager"])
        .post("/api/v1/contact-moments", payload, format="json")
        .status_code
        == 403
    )
    assert _client(people["klantmanager"]).get("/api/v1/contact-moments").status_code == 200


# --- Employer questions ---------------------------------------------------------------------


def test_staff_answer_and_pass_on_questions(people, world):
    client = _client(people["relatiemanager"])
    question = world["a"].questions.first()
    url = f"/api/v1/employer-questions/{question.uuid}"
    assert _uuids(client.get("/api/v1/employer-questions", {"open": "true"})) >= {
        str(question.uuid)
    }
    routed = client.patch(url, {"routed_to": "Afdeling Vergunningen"}, format="json")
    assert routed.status_code == 200, routed.content
    assert routed.json()["routed_to"] == "Afdeling Vergunningen" and routed.json()["routed_at"]
    answered = client.patch(url, {"answer": "Ja, dat kan."}, format="json")
    assert answered.status_code == 200 and answered.json()["answered_at"]
    assert str(question.uuid) not in _uuids(
        client.get("/api/v1/employer-questions", {"open": "true"})
    )
    assert str(question.uuid) in _uuids(
        client.get(
            "/api/v1/employer-questions", {"open": "false", "employer": str(world["a"].uuid)}
        )
    )
    empty = client.patch(url, {"answer": " "}, format="json")
    assert empty.status_code == 400 and _names(empty) == {"answer"}
    nothing = client.patch(url, {}, format="json")
    assert nothing.status_code == 400
    assert client.put(url, {"answer": "x"}, format="json").status_code in (403, 405)


def test_staff_register_a_question_and_filter_by_handler(people, world):
    client = _client(people["relatiemanager"])
    response = client.post(
        "/api/v1/employer-questions",
        {
            "employer": str(world["b"].uuid),
            "question": "Hebben jullie iemand voor de bediening?",
            "topic": "werkaanbod",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    mine = _uuids(client.get("/api/v1/employer-questions", {"assigned_to": str(world["rm"].uuid)}))
    assert response.json()["uuid"] in mine
    other = str(people["teamleider"].staff.uuid)
    assert _uuids(client.get("/api/v1/employer-questions", {"assigned_to": other})) == set()


# --- Work opportunities ---------------------------------------------------------------------


def test_staff_create_update_and_move_an_opportunity(
    people, world, django_capture_on_commit_callbacks
):
    client = _client(people["relatiemanager"])
    created = client.post(
        "/api/v1/work-opportunities",
        {
            "employer": str(world["b"].uuid),
            "title": "Bezorger",
            "tasks": ["pakketten bezorgen"],
            "must_have": ["rijbewijs B"],
            "kind": "proefplaatsing",
            "latent": True,
            "hours_min": 20,
            "hours_max": 32,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "open" and body["must_have"] == ["rijbewijs B"]
    url = f"/api/v1/work-opportunities/{body['uuid']}"
    assert client.get(url).json()["tasks"] == ["pakketten bezorgen"]
    changed = client.patch(url, {"places": 2, "version": body["version"]}, format="json")
    assert changed.status_code == 200, changed.content
    stale = client.patch(url, {"places": 3, "version": body["version"]}, format="json")
    assert stale.status_code == 409
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes on commit
        moved = client.post(f"{url}/status", {"status": "ingevuld", "note": "Top!"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "ingevuld" and moved.json()["filled_on"] == TODAY.isoformat()
    assert len(mail.outbox) == 1 and "Top!" in mail.outbox[0].body


def test_invalid_status_transition_names_status(people, world):
    client = _client(people["relatiemanager"])
    opportunity = world["a"].opportunities.first()
    opportunity.status = OpportunityStatus.FILLED
    opportunity.save()
    url = f"/api/v1/work-opportunities/{opportunity.uuid}/status"
    response = client.post(url, {"status": "voorgesteld"}, format="json")
    assert response.status_code == 400 and _names(response) == {"status"}
    assert WorkOpportunity.objects.get(pk=opportunity.pk).status == OpportunityStatus.FILLED
    unknown = client.post(url, {"status": "gepland"}, format="json")
    assert unknown.status_code == 400 and _names(unknown) == {"status"}


def test_invalid_opportunity_names_the_fields(people, world):
    before = WorkOpportunity.objects.count()
    response = _client(people["relatiemanager"]).post(
        "/api/v1/work-opportunities",
        {"employer": str(world["a"].uuid), "title": "", "tasks": [], "kind": "baan"},
        format="json",
    )
    assert response.status_code == 400 and _names(response) == {"title", "tasks", "kind"}
    blank = _client(people["relatiemanager"]).post(
        "/api/v1/work-opportunities",
        {
            "employer": str(world["a"].uuid),
            "title": "X",
            "tasks": ["x"],
            "hours_min": 30,
            "hours_max": 10,
        },
        format="json",
    )
    assert blank.status_code == 400 and blank["Content-Type"] == PROBLEM
    assert WorkOpportunity.objects.count() == before


def test_opportunity_filters(people, world, regions):
    client = _client(people["relatiemanager"])
    a_work = world["a"].opportunities.first()
    a_work.latent, a_work.kind = True, "stage"
    a_work.save()
    a = str(a_work.uuid)
    assert _uuids(client.get("/api/v1/work-opportunities", {"latent": "true"})) == {a}
    assert _uuids(client.get("/api/v1/work-opportunities", {"kind": "stage"})) == {a}
    by_employer = {"employer": str(world["a"].uuid)}
    assert _uuids(client.get("/api/v1/work-opportunities", by_employer)) == {a}
    assert len(_results(client.get("/api/v1/work-opportunities", {"status": "open"}))) == 2
    wijchen = str(regions["own"]["municipalities"][1].uuid)
    assert _uuids(client.get("/api/v1/work-opportunities", {"municipality": wijchen})) == set()


# --- Query counts and the schema ------------------------------------------------------------


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", LISTS)
def test_list_query_count_does_not_grow_with_rows(people, world, path):
    client = _client(people["relatiemanager"])
    small = _count(client, path)
    rm, tl = world["rm"], people["teamleider"].staff
    for index in range(12):
        employer = Employer.objects.create(
            region=world["a"].region,
            name=f"Extra {index}",
            municipality=world["a"].municipality,
            owner=rm,
            substitute=tl,
        )
        person = ContactPerson.objects.create(employer=employer, name=f"Persoon {index}")
        moment = ContactMoment.objects.create(
            employer=employer,
            date=TODAY,
            channel="email",
            recorded_by=rm,
            contact_person=person,
        )
        moment.staff.set([rm, tl])
        Action.objects.create(
            employer=employer, contact_moment=moment, title="x", owner=tl, due_on=TODAY
        )
        EmployerQuestion.objects.create(
            employer=employer,
            received_at=timezone.now(),
            question="?",
            assigned_to=rm,
            contact_person=person,
        )
        WorkOpportunity.objects.create(
            employer=employer, title="Werk", tasks=["x"], opened_on=TODAY
        )
    assert _count(client, path) <= small
    assert small <= 15


def test_portal_list_query_count_is_bounded(people, world):
    client = _client(people["werkgever"])
    for path in ("/api/v1/employers", "/api/v1/work-opportunities", "/api/v1/employer-questions"):
        assert _count(client, path) <= 10


def test_schema_has_the_register_and_no_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not [m for m in messages if "employers" in m or "Employer" in m or "Contact" in m], (
        messages
    )
    paths = schema["paths"]
    for path in LISTS:
        assert path in paths and f"{path}/{{uuid}}" in paths
    assert "post" in paths["/api/v1/work-opportunities/{uuid}/status"]
    served = APIClient().get("/api/v1/schema?format=json")
    assert served.status_code == 200
    assert set(LISTS) <= set(served.json()["paths"])
