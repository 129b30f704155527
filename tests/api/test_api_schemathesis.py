"""Schemathesis against the published OpenAPI schema: every operation of /api/v1, called
in-process with generated valid and invalid input by a staff member holding every staff role
(and by a relationship manager), never answers 5xx and always answers with a status code, a
media type and a body the schema documents; the state machine over the links between the
operations (create, then read, change and act on what was made) holds to the same checks.

Generated path and body references point half of the time at real records of a small region
built in a fixture, so the reads, changes and actions reach their services instead of stopping
at a 404. Every example runs in a savepoint that is rolled back, so examples do not see each
other's writes; the seed is fixed, so a failure found in CI is found again locally."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_support import PROBLEM, problem
from candidates_support import give_consent
from matching_support import WIJCHEN, make_opportunity, picker
from tests_support import make_person, make_region
from werkbrug.accounts.models import RoleGrant
from werkbrug.candidates.models import ConsentScope, Return
from werkbrug.core.access import actor_for
from werkbrug.core.roles import STAFF_ROLES, Role
from werkbrug.employers.models import ContactMoment, ContactPerson, Employer, EmployerQuestion
from werkbrug.evaluation import services as evaluation_services
from werkbrug.evaluation.models import Complaint
from werkbrug.matching import index
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation, Invitation, Meeting, Response
from werkbrug.monitoring.api import XLSX
from werkbrug.monitoring.models import Programme
from werkbrug.placements import services as placement_services
from werkbrug.placements.models import AftercareCheck, Contract, Placement, PlacementKind
from werkbrug.rules.models import RuleSet
from werkbrug.wsgi import application

pytestmark = pytest.mark.django_db

#: The checks the issue asks for; the installed schemathesis offers all four.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

SEED = 20260514

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # valid and invalid input
            "max-examples": 12,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            # The coverage phase alone sends hundreds of requests to some operations; the
            # bounded fuzzing phase with both modes reaches the same error paths in CI time.
            "coverage": {"enabled": False},
        },
        "suppress-health-check": ["too_slow", "filter_too_much"],
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application, config=CONFIG)

HYPOTHESIS = hypothesis.settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)

UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UUID_RE = re.compile(rf"^{UUID_IN_TEXT.pattern}$", re.IGNORECASE)


# --- The data set ---------------------------------------------------------------------------


def build_region() -> dict[str, Any]:
    """A small region with one record of every kind the API reads or acts on by UUID, a
    staff member with every staff role, a relationship manager, and the references by field
    name (what a generated body or query may point at)."""
    own = make_region("RVN", [("Nijmegen", "GM0268"), ("Wijchen", "GM0296")])
    make_region("ZAA", [("Zaanstad", "GM0479")])
    users = {role.value: make_person(role.value, role.value, own) for role in Role}
    everything = make_person("alleskunner", Role.FUNCTIONAL_ADMIN, own)
    for role in STAFF_ROLES - {Role.FUNCTIONAL_ADMIN}:
        RoleGrant.objects.get_or_create(user=everything, role=role)
    rm = users["relatiemanager"].staff
    km = users["klantmanager"].staff
    municipality = own["municipalities"][0]
    employer = Employer.objects.create(
        region=own["region"],
        name="Logistiek Centrum Wijchen",
        municipality=own["municipalities"][1],
        sbi_code="52101",
        latitude=WIJCHEN[0],
        longitude=WIJCHEN[1],
        owner=rm,
    )
    person = ContactPerson.objects.create(
        employer=employer, name="Petra Hendriks", user=users["werkgever"], email="petra@example.nl"
    )
    opportunity = make_opportunity(employer)
    candidate = picker(own, client_manager=km)
    far = picker(own, near=False)
    for _ in range(6):
        picker(own, experienced=False)
    give_consent(candidate, ConsentScope.REGIONAL_POOL, by=users["klantmanager"])
    consent = give_consent(
        candidate, ConsentScope.SHARE_WITH_EMPLOYER, by=users["klantmanager"], employer=employer
    )
    meeting = Meeting.objects.create(
        region=own["region"],
        title="Prettig gesprek Wijchen",
        host_employer=employer,
        location="Logistiek Centrum Wijchen",
        starts_at=timezone.now() + dt.timedelta(days=10),
        rounds=3,
        table_capacity=2,
        min_conversations=1,
    )
    meeting.organisers.add(rm)
    conversation = Conversation.objects.create(
        meeting=meeting, round=1, employer=employer, candidate=candidate
    )
    invitation = Invitation.objects.create(
        meeting=meeting,
        candidate=candidate,
        token_hash=f"c{candidate.pk}",
        token_expires_at=meeting.starts_at,
        response=Response.YES,
    )
    Invitation.objects.create(
        meeting=meeting,
        employer=employer,
        token_hash=f"e{employer.pk}",
        token_expires_at=meeting.starts_at,
        response=Response.YES,
    )
    entry = ShortlistEntry.objects.create(
        opportunity=opportunity, candidate=candidate, number=1, added_by=rm
    )
    placement = placement_services.place(
        actor=actor_for(users["relatiemanager"]),
        placement=Placement(
            candidate=candidate,
            employer=employer,
            opportunity=opportunity,
            kind=PlacementKind.WORK_EXPERIENCE,
            contract=Contract.NONE,
            job_title="Orderpicker",
            hours_per_week=Decimal(24),
            start_on=timezone.localdate() - dt.timedelta(days=30),
            planned_end_on=timezone.localdate() + dt.timedelta(days=150),
        ),
    )
    check = AftercareCheck.objects.filter(placement=placement).first() or (
        AftercareCheck.objects.create(
            placement=placement, kind=AftercareCheck.Kind.M1, due_on=timezone.localdate()
        )
    )
    moment = ContactMoment.objects.create(
        employer=employer,
        date=timezone.localdate(),
        channel="telefoon",
        recorded_by=rm,
        contact_person=person,
    )
    question = EmployerQuestion.objects.create(
        employer=employer,
        received_at=timezone.now(),
        question="Wie kan er na de zomer beginnen?",
        assigned_to=rm,
        contact_person=person,
    )
    returned = Return.objects.create(
        candidate=far,
        municipality=far.municipality,
        on=timezone.localdate(),
        reason="tijdelijk_niet_plaatsbaar",
        explanation="ziek",
        recommended_next_step="later opnieuw",
        sent_by=rm,
        receiver=km,
    )
    researcher = actor_for(users["onderzoeker"])
    group = evaluation_services.draw_control_group(
        actor=researcher,
        name="Controle",
        intervention_start=timezone.localdate() - dt.timedelta(days=365),
        size=2,
        seed=7,
    )
    survey = evaluation_services.create_survey(
        actor=researcher,
        title="Werktop",
        template_code="werktop_kandidaat",
        closes_on=timezone.localdate() + dt.timedelta(days=30),
    )
    complaint = Complaint.objects.create(
        region=own["region"],
        complainant="candidate",
        category="communication",
        municipality=municipality,
        received_on=timezone.localdate(),
        summary="Niet teruggebeld.",
    )
    programme = Programme.objects.create(
        region=own["region"],
        name="Werktop-aanpak",
        partner="Werktop BV",
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2027, 1, 1),
        capacity_days_per_week=Decimal(2),
        fee_per_result=Decimal(1500),
        fee_kpis=["K1"],
    )
    by_path = {
        "aftercare-checks": check,
        "candidates": candidate,
        "complaints": complaint,
        "consents": consent,
        "contact-moments": moment,
        "contact-persons": person,
        "control-groups": group,
        "conversations": conversation,
        "employer-questions": question,
        "employers": employer,
        "meetings": meeting,
        "municipalities": municipality,
        "organisations": own["organisation"],
        "placements": placement,
        "programmes": programme,
        "regions": own["region"],
        "returns": returned,
        "rule-sets": RuleSet.objects.order_by("id").last(),
        "shortlist-entries": entry,
        "staff": rm,
        "surveys": survey,
        "teams": own["team"],
        "work-opportunities": opportunity,
    }
    by_field = {
        "candidate": candidate,
        "candidates": candidate,
        "kandidaat": candidate,
        "employer": employer,
        "employers": employer,
        "host_employer": employer,
        "werkgever": employer,
        "wants_to_meet": employer,
        "contact_person": person,
        "conversation": conversation,
        "opportunity": opportunity,
        "opportunities": opportunity,
        "owner": rm,
        "substitute": km,
        "staff": rm,
        "to_staff": km,
        "assigned_to": rm,
        "arranged_by": rm,
        "lead": rm,
        "municipality": municipality,
        "municipalities": municipality,
        "composed_of": municipality,
        "serves": municipality,
        "centrumgemeente": municipality,
        "region": own["region"],
        "organisation": own["organisation"],
        "team": own["team"],
        "placement": placement,
        "shortlist_entry": entry,
        "invitation": invitation,
        "control_group": group,
        "survey": survey,
    }
    return {
        "headers": {
            "all_staff_roles": token_header(everything),
            "relatiemanager": token_header(users["relatiemanager"]),
        },
        "by_path": {key: str(value.uuid) for key, value in by_path.items()},
        "by_field": {key: str(value.uuid) for key, value in by_field.items()},
        "invitation": str(invitation.uuid),
    }


@pytest.fixture(scope="module")
def api_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The region, built once for the module inside a transaction that is rolled back at its
    end; each test runs in a savepoint of it (pytest-django's own), each example in another."""
    # The app is called through WSGI, not Django's test client, so Django would close the
    # connection after each request (it is inside a transaction) as it does in production;
    # like the test client, keep it open, or the test transaction is lost on PostgreSQL.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_region()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            index.forget()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def token_header(user: Any) -> dict[str, str]:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


# --- Pointing generated references at real records ----------------------------------------


def _coin(value: Any) -> bool:
    """A fair, deterministic coin drawn from the generated value itself, so hypothesis still
    decides (and shrinks) whether a reference is random or real."""
    return zlib.crc32(repr(value).encode()) % 2 == 0


def _real(value: Any, real: str, keep: Collection[str]) -> Any:
    if isinstance(value, str) and UUID_RE.match(value) and value not in keep and _coin(value):
        return real
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [_real(v, real, keep) for v in value]
    return value


def aim_at_real_records(
    case: schemathesis.Case, data: dict[str, Any], keep: Collection[str] = ()
) -> None:
    """Point about half of the generated references (path, query, body) at the fixture's
    records of the same kind; a UUID in ``keep`` (one an earlier answer gave) stays."""
    parts = case.operation.path.strip("/").split("/")
    resource = parts[2] if len(parts) > 2 else ""
    for name, value in list(case.path_parameters.items()):
        if name == "uuid" and resource in data["by_path"]:
            case.path_parameters[name] = _real(value, data["by_path"][resource], keep)
        elif name == "invitation_uuid":
            case.path_parameters[name] = _real(value, data["invitation"], keep)
        elif name == "code" and resource == "kpis" and _coin(value):
            case.path_parameters[name] = "K1"
    for name, value in list((case.query or {}).items()):
        if name in data["by_field"]:
            case.query[name] = _real(value, data["by_field"][name], keep)
    if isinstance(case.body, dict):
        for name, value in list(case.body.items()):
            if name in data["by_field"]:
                case.body[name] = _real(value, data["by_field"][name], keep)


def clear_caches() -> None:
    """Throttles count per example, not across the module."""
    for cache in caches.all():
        cache.clear()


def call_in_savepoint(case: schemathesis.Case, headers: dict[str, str]) -> None:
    """Call and check inside a savepoint that is rolled back, so every example starts from
    the fixture's data (and PostgreSQL's transaction stays usable after a refused write)."""
    clear_caches()
    savepoint = transaction.savepoint()
    try:
        case.call_and_validate(headers=headers, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)
        index.forget()


# --- Stateless ------------------------------------------------------------------------------


@schema.parametrize()
@hypothesis.settings(HYPOTHESIS)
def test_every_operation_conforms(case: schemathesis.Case, api_world: dict[str, Any]) -> None:
    """A staff member with every staff role reaches every service behind the API."""
    aim_at_real_records(case, api_world)
    call_in_savepoint(case, api_world["headers"]["all_staff_roles"])


@schema.parametrize()
@hypothesis.settings(HYPOTHESIS, max_examples=6)
def test_every_operation_conforms_for_a_relationship_manager(
    case: schemathesis.Case, api_world: dict[str, Any]
) -> None:
    """A relationship manager: refused (403) where the role may not go, and scoped answers
    where it may; fewer examples, the paths behind the refusals are the same."""
    aim_at_real_records(case, api_world)
    call_in_savepoint(case, api_world["headers"]["relatiemanager"])


# --- Stateful -------------------------------------------------------------------------------


def test_linked_operations_conform(api_world: dict[str, Any]) -> None:
    """Scenarios along the links schemathesis infers from the schema (a list or a create
    gives the UUID a read, change or action takes), bounded in number and length."""
    headers = api_world["headers"]["all_staff_roles"]

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        """Each scenario runs in its own savepoint, rolled back at its end."""

        def setup(self) -> None:
            clear_caches()
            self.savepoint = transaction.savepoint()
            self.seen: set[str] = set()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)
            index.forget()

        def before_call(self, case: schemathesis.Case) -> None:
            aim_at_real_records(case, api_world, keep=self.seen)

        def after_call(self, response: schemathesis.Response, case: schemathesis.Case) -> None:
            self.seen.update(UUID_IN_TEXT.findall(response.text or ""))

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Scenario.run(settings=hypothesis.settings(HYPOTHESIS, max_examples=20, stateful_step_count=10))


# --- The bugs schemathesis found, pinned ----------------------------------------------------


def test_an_unknown_api_path_answers_a_problem(api_world: dict[str, Any]) -> None:
    """A path the API's routes do not match (a dot in a UUID) is a problem+json 404, not the
    site's HTML page."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=api_world["headers"]["all_staff_roles"]["Authorization"])
    response = client.get("/api/v1/municipalities/not.a-uuid")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


def test_a_moment_in_the_middle_ages_or_a_question_from_the_future_names_the_field(
    api_world: dict[str, Any],
) -> None:
    """A date-time the API takes lies between 2000 and 2100: in 1243 it came back with
    Amsterdam's local mean time offset (+00:19:32), which no date-time reader accepts. And an
    employer's question cannot have come in tomorrow."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=api_world["headers"]["all_staff_roles"]["Authorization"])
    refs = api_world["by_field"]
    long_ago = "1243-10-15T18:36:23Z"
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    question = {"employer": refs["employer"], "question": "Kan er iemand starten?"}
    for received_at in [long_ago, tomorrow]:
        body = question | {"received_at": received_at}
        response = client.post("/api/v1/employer-questions", body, format="json")
        assert problem(response) == ["received_at"], received_at
    contact = {"candidate": refs["candidate"], "at": long_ago, "channel": "telefoon"}
    response = client.post("/api/v1/candidate-contacts", contact | {"summary": "Gebeld."})
    assert "at" in problem(response)
    meeting = {
        "title": "Prettig gesprek",
        "location": "Werkplein",
        "starts_at": long_ago,
        "rounds": 3,
        "round_minutes": 15,
        "table_capacity": 2,
        "min_conversations": 1,
    }
    assert "starts_at" in problem(client.post("/api/v1/meetings", meeting, format="json"))


def test_the_schema_documents_what_the_api_answers() -> None:
    """The problem answers, a blank choice and an empty relation of a read-only field, and
    the council report as one object (or its PDF or XLSX)."""
    raw = schema.raw_schema
    retrieve = raw["paths"]["/api/v1/regions/{uuid}"]["get"]["responses"]
    for code in ("401", "403", "404"):
        assert list(retrieve[code]["content"]) == [PROBLEM], code
    assert "429" in raw["paths"]["/api/v1/auth/token"]["post"]["responses"]
    components = raw["components"]["schemas"]
    assert components["Candidate"]["properties"]["client_manager"]["nullable"] is True
    end_reason = components["Placement"]["properties"]["end_reason"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in end_reason
    report = raw["paths"]["/api/v1/council-reports"]["get"]["responses"]["200"]["content"]
    assert report["application/json"]["schema"] == {"$ref": "#/components/schemas/CouncilReport"}
    assert {"application/pdf", XLSX} <= set(report)
