"""The placements API: placing a candidate (checked against the rules of the start date, every
broken rule named), converting a work-experience place into a contract, ending a placement,
recording aftercare check-ins, instrument grants and loonwaarde assessments; the filters; who
may call it (403), scope (404 for another region, 400 for a reference one may not see), the
number of queries of the lists and the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api_support import api_for, ok, problem
from candidates_support import give_consent, make_candidate
from matching_support import make_opportunity, picker
from werkbrug.candidates.models import ConsentScope, JourneyStatus
from werkbrug.core.access import actor_for
from werkbrug.core.models import AccessLogEntry
from werkbrug.employers.models import Employer
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation, Meeting
from werkbrug.placements import services
from werkbrug.placements.models import (
    AftercareCheck,
    Contract,
    InstrumentGrant,
    LoonwaardeAssessment,
    Placement,
    PlacementKind,
    PlacementStatus,
)
from werkbrug.rules.selectors import rule_set_on

pytestmark = pytest.mark.django_db

PLACEMENTS = "/api/v1/placements"
CHECKS = "/api/v1/aftercare-checks"
GRANTS = "/api/v1/instrument-grants"
ASSESSMENTS = "/api/v1/loonwaarde-assessments"
START = dt.date(2026, 3, 2)
PLACEMENT_FIELDS = {
    "uuid",
    "candidate",
    "employer",
    "opportunity",
    "conversation",
    "shortlist_entry",
    "kind",
    "contract",
    "job_title",
    "hours_per_week",
    "wage_pct_of_wml",
    "start_on",
    "planned_end_on",
    "ended_on",
    "end_reason",
    "end_note",
    "status",
    "outflow",
    "outflow_on",
    "owner",
    "rule_set",
    "preceded_by",
    "followed_by",
    "version",
    "checks",
    "grants",
    "assessments",
}


def _path(placement: Placement | str, part: str = "") -> str:
    uuid = placement if isinstance(placement, str) else placement.uuid
    return f"{PLACEMENTS}/{uuid}" + (f"/{part}" if part else "")


def wep_body(world, **changes) -> dict:
    """A work-experience place of six months at the warehouse, as the API takes it."""
    body = {
        "candidate": str(world["good"].uuid),
        "employer": str(world["employer"].uuid),
        "opportunity": str(world["opportunity"].uuid),
        "kind": PlacementKind.WORK_EXPERIENCE,
        "contract": Contract.NONE,
        "job_title": "Orderpicker",
        "hours_per_week": "24",
        "start_on": START.isoformat(),
        "planned_end_on": "2026-09-01",
    }
    return body | changes


def contract_body(**changes) -> dict:
    """The contract a work-experience place is converted into."""
    body = {
        "kind": PlacementKind.REGULAR,
        "contract": Contract.FIXED,
        "job_title": "Orderpicker",
        "hours_per_week": "32",
        "wage_pct_of_wml": "105.5",
        "start_on": "2026-06-01",
        "planned_end_on": "2026-11-30",
    }
    return body | changes


def place(world, people, candidate=None, **fields) -> Placement:
    """A work-experience place made through the service."""
    values = {
        "candidate": candidate or world["good"],
        "employer": world["employer"],
        "kind": PlacementKind.WORK_EXPERIENCE,
        "contract": Contract.NONE,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(24),
        "start_on": START,
        "planned_end_on": dt.date(2026, 9, 1),
    }
    return services.place(
        actor=actor_for(people["relatiemanager"]), placement=Placement(**(values | fields))
    )


@pytest.fixture
def rm(people) -> APIClient:
    return api_for(people["relatiemanager"])


def _foreign(regions, people) -> dict:
    """An employer with work, a candidate and a conversation of another region."""
    other = regions["other"]
    employer = Employer.objects.create(
        region=other["region"],
        name="Zaanse Bakkerij",
        municipality=other["municipalities"][0],
        owner=people["other_region_rm"].staff,
    )
    candidate = make_candidate(other, consultant=people["other_region_rm"].staff)
    meeting = Meeting.objects.create(
        region=other["region"],
        title="Prettig gesprek Zaanstad",
        location="Zaandam",
        starts_at=timezone.now() + dt.timedelta(days=5),
    )
    return {
        "employer": employer,
        "opportunity": make_opportunity(employer, title="Bakker"),
        "candidate": candidate,
        "conversation": Conversation.objects.create(
            meeting=meeting, round=1, employer=employer, candidate=candidate
        ),
    }


# --- Placing --------------------------------------------------------------------------------


def test_placing_answers_the_placement_with_its_aftercare_plan_and_rules(world, people, rm):
    meeting = Meeting.objects.create(
        region=world["place"]["region"],
        title="Prettig gesprek Wijchen",
        location="Wijchen",
        starts_at=timezone.now() - dt.timedelta(days=30),
    )
    conversation = Conversation.objects.create(
        meeting=meeting, round=1, employer=world["employer"], candidate=world["good"]
    )
    entry = ShortlistEntry.objects.create(
        opportunity=world["opportunity"],
        candidate=world["good"],
        number=1,
        added_by=world["rm"],
    )
    made = ok(
        rm.post(
            PLACEMENTS,
            wep_body(world, conversation=str(conversation.uuid), shortlist_entry=str(entry.uuid)),
        ),
        201,
    )
    placement = Placement.objects.get()
    assert set(made) == PLACEMENT_FIELDS
    assert made["uuid"] == str(placement.uuid)
    assert made["candidate"] == {"uuid": str(world["good"].uuid), "name": world["good"].full_name}
    assert made["employer"] == {"uuid": str(world["employer"].uuid), "name": world["employer"].name}
    assert made["owner"] == {"uuid": str(world["rm"].uuid), "name": str(world["rm"])}
    assert made["opportunity"] == str(world["opportunity"].uuid)
    assert made["conversation"] == str(conversation.uuid)
    assert made["shortlist_entry"] == str(entry.uuid)
    assert made["rule_set"] == str(rule_set_on(START, world["place"]["region"].pk).uuid)
    assert (made["kind"], made["contract"], made["status"]) == (
        "werkervaringsplaats",
        "geen",
        "lopend",
    )
    assert made["hours_per_week"] == "24.0" and made["wage_pct_of_wml"] is None
    assert (made["start_on"], made["planned_end_on"]) == ("2026-03-02", "2026-09-01")
    assert made["preceded_by"] is None and made["followed_by"] is None
    assert made["grants"] == [] and made["assessments"] == []
    kinds = {(c["kind"], c["due_on"]) for c in made["checks"]}
    assert ("voor_einde", "2026-07-21") in kinds and ("m12", "2027-03-02") in kinds
    assert [c["due_on"] for c in made["checks"]] == sorted(c["due_on"] for c in made["checks"])
    world["good"].refresh_from_db()
    assert world["good"].status == JourneyStatus.PLACED

    reads = AccessLogEntry.objects.filter(object_uuid=placement.uuid).count()
    shown = ok(rm.get(_path(placement)))
    assert shown == made
    # A person's record: the read is logged.
    assert AccessLogEntry.objects.filter(object_uuid=placement.uuid).count() == reads + 1
    listed = ok(rm.get(PLACEMENTS))["results"]
    assert [row["uuid"] for row in listed] == [made["uuid"]]
    assert listed[0]["checks"] is None and listed[0]["grants"] is None  # one placement only


def test_a_work_experience_place_longer_than_the_rules_allow_is_a_400_naming_the_end(world, rm):
    body = wep_body(world, planned_end_on="2026-10-01")
    response = rm.post(PLACEMENTS, body)
    assert problem(response) == ["planned_end_on"]
    reason = response.json()["invalid_params"][0]["reason"]
    assert "hoogstens 6 maanden (regels van 01-07-2018)" in reason  # the API speaks Dutch
    assert not Placement.objects.exists() and not AftercareCheck.objects.exists()


def test_missing_and_broken_fields_are_named(world, rm):
    assert set(problem(rm.post(PLACEMENTS, {}))) == {
        "candidate",
        "employer",
        "kind",
        "job_title",
        "hours_per_week",
        "start_on",
    }
    assert set(problem(rm.post(PLACEMENTS, wep_body(world, hours_per_week="61")))) == {
        "hours_per_week"
    }
    # Every rule of the kind at once: with the benefit kept there is no contract, no wage.
    wrong = wep_body(world, contract=Contract.FIXED, wage_pct_of_wml="100", planned_end_on=None)
    assert set(problem(rm.post(PLACEMENTS, wrong))) == {
        "contract",
        "wage_pct_of_wml",
        "planned_end_on",
    }
    assert not Placement.objects.exists()


def test_a_reference_you_may_not_see_is_a_400_naming_the_field(world, regions, people, rm):
    foreign = _foreign(regions, people)
    # A candidate seen only through the regional pool (anonymous) cannot be placed either.
    pooled = picker(world["place"], municipality=world["place"]["municipalities"][1])
    give_consent(pooled, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    for field, value in (
        ("candidate", foreign["candidate"].uuid),
        ("candidate", pooled.uuid),
        ("employer", foreign["employer"].uuid),
        ("opportunity", foreign["opportunity"].uuid),
        ("conversation", foreign["conversation"].uuid),
        ("owner", people["other_region_rm"].staff.uuid),
        ("candidate", "no-uuid"),
    ):
        response = rm.post(PLACEMENTS, wep_body(world, **{field: str(value)}))
        assert problem(response) == [field], (field, value)
        assert foreign["candidate"].full_name not in response.content.decode()
    # Work of another employer of the region: the service names it.
    other_work = make_opportunity(
        Employer.objects.create(
            region=world["place"]["region"],
            name="Bouwbedrijf Beek",
            municipality=world["place"]["municipalities"][0],
            owner=world["rm"],
        )
    )
    assert problem(rm.post(PLACEMENTS, wep_body(world, opportunity=str(other_work.uuid)))) == [
        "opportunity"
    ]
    assert not Placement.objects.exists()


# --- Converting and ending ------------------------------------------------------------------


def test_a_work_experience_place_converted_into_a_contract_shows_as_followed_by(world, people, rm):
    first = place(world, people, opportunity=world["opportunity"])
    made = ok(rm.post(_path(first, "convert"), contract_body()), 201)
    contract = Placement.objects.get(preceded_by=first)
    assert made["uuid"] == str(contract.uuid) and made["preceded_by"] == str(first.uuid)
    assert made["candidate"]["uuid"] == str(world["good"].uuid)
    # Without an employer: the same employer and work.
    assert made["employer"]["uuid"] == str(world["employer"].uuid)
    assert made["opportunity"] == str(world["opportunity"].uuid)
    assert (made["kind"], made["contract"], made["wage_pct_of_wml"]) == (
        "regulier_werk",
        "bepaalde_tijd",
        "105.5",
    )
    assert made["status"] == "lopend"
    assert ("voor_einde", "2026-10-19") in {(c["kind"], c["due_on"]) for c in made["checks"]}

    old = ok(rm.get(_path(first)))
    assert old["followed_by"] == str(contract.uuid)
    assert (old["status"], old["end_reason"], old["ended_on"]) == (
        "omgezet",
        "omgezet",
        "2026-05-31",
    )
    assert all(c["due_on"] <= "2026-05-31" or c["done_on"] for c in old["checks"])
    listed = {row["uuid"]: row for row in ok(rm.get(PLACEMENTS))["results"]}
    assert listed[str(first.uuid)]["followed_by"] == str(contract.uuid)
    assert listed[str(contract.uuid)]["preceded_by"] == str(first.uuid)

    assert problem(rm.post(_path(first, "convert"), contract_body(start_on="2026-07-01"))) == [
        "status"
    ]


def test_a_conversion_is_checked_like_a_new_placement(world, people, rm):
    first = place(world, people)
    path = _path(first, "convert")
    assert problem(rm.post(path, contract_body(start_on="2026-03-01"))) == ["start_on"]
    assert problem(rm.post(path, contract_body(wage_pct_of_wml=None))) == ["wage_pct_of_wml"]
    assert problem(rm.post(path, contract_body(candidate=str(world["far"].uuid)))) == ["candidate"]
    assert set(problem(rm.post(path, {}))) == {"kind", "job_title", "hours_per_week", "start_on"}
    first.refresh_from_db()
    assert first.status == PlacementStatus.RUNNING and Placement.objects.count() == 1


def test_ending_a_placement(world, people, rm):
    placed = place(world, people)
    path = _path(placed, "end")
    assert set(problem(rm.post(path, {}))) == {"ended_on", "end_reason"}
    assert problem(rm.post(path, {"ended_on": "2026-04-01", "end_reason": "omgezet"})) == [
        "end_reason"
    ]
    assert problem(rm.post(path, {"ended_on": "2026-03-01", "end_reason": "uitval"})) == [
        "ended_on"
    ]
    ended = ok(
        rm.post(
            path, {"ended_on": "2026-04-01", "end_reason": "gezondheid", "end_note": "Rugklachten"}
        )
    )
    assert (ended["status"], ended["ended_on"], ended["end_reason"], ended["end_note"]) == (
        "beeindigd",
        "2026-04-01",
        "gezondheid",
        "Rugklachten",
    )
    assert "voor_einde" not in {c["kind"] for c in ended["checks"]}
    assert problem(rm.post(path, {"ended_on": "2026-04-02", "end_reason": "anders"})) == ["status"]


# --- Aftercare ------------------------------------------------------------------------------


def test_aftercare_checks_are_listed_by_due_date_with_filters_and_recorded(world, people, rm):
    mine = place(world, people)
    theirs = place(
        world,
        people,
        candidate=world["cashier"],
        owner=people["klantmanager"].staff,
        start_on=dt.date(2026, 5, 4),
        planned_end_on=dt.date(2026, 8, 31),
    )
    rows = ok(rm.get(CHECKS, {"page_size": 100}))["results"]
    assert len(rows) == AftercareCheck.objects.count()
    assert [r["due_on"] for r in rows] == sorted(r["due_on"] for r in rows)
    first = rows[0]
    assert first["placement"]["uuid"] == str(mine.uuid)
    assert first["placement"]["candidate"]["name"] == world["good"].full_name
    assert first["placement"]["employer"]["uuid"] == str(world["employer"].uuid)
    assert first["placement"]["owner"]["uuid"] == str(world["rm"].uuid)
    assert first["kind"] == "start" and first["kind_label"] and first["done_on"] is None

    own_rows = ok(rm.get(CHECKS, {"mijn": "true", "page_size": 100}))["results"]
    assert {r["placement"]["uuid"] for r in own_rows} == {str(mine.uuid)}
    window = ok(rm.get(CHECKS, {"vanaf": "2026-04-01", "tot": "2026-06-30"}))["results"]
    assert window and all("2026-04-01" <= r["due_on"] <= "2026-06-30" for r in window)
    assert {r["placement"]["uuid"] for r in window} == {str(mine.uuid), str(theirs.uuid)}
    assert problem(rm.get(CHECKS, {"vanaf": "2026-06-30", "tot": "2026-04-01"})) == ["tot"]
    assert problem(rm.get(CHECKS, {"open": "misschien"})) == ["open"]

    check = mine.checks.get(kind="m1")
    path = f"{CHECKS}/{check.uuid}"
    assert ok(rm.get(path))["uuid"] == str(check.uuid)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert problem(rm.post(f"{path}/record", {"done_on": tomorrow})) == ["done_on"]
    assert problem(rm.post(f"{path}/record", {"still_working": True})) == ["done_on"]
    done = ok(
        rm.post(
            f"{path}/record",
            {
                "done_on": "2026-04-03",
                "still_working": True,
                "notes": "Gaat goed, collega's helpen.",
                "next_step": "Driegesprek plannen",
            },
        )
    )
    assert (done["done_on"], done["still_working"], done["next_step"]) == (
        "2026-04-03",
        True,
        "Driegesprek plannen",
    )
    open_rows = ok(rm.get(CHECKS, {"open": "true", "page_size": 100}))["results"]
    assert str(check.uuid) not in {r["uuid"] for r in open_rows}
    closed = ok(rm.get(CHECKS, {"open": "false"}))["results"]
    assert [r["uuid"] for r in closed] == [str(check.uuid)]
    shown = {c["uuid"]: c for c in ok(rm.get(_path(mine)))["checks"]}
    assert shown[str(check.uuid)]["notes"] == "Gaat goed, collega's helpen."


# --- Grants and assessments -----------------------------------------------------------------


def test_instrument_grants_are_recorded_with_their_rules_and_listed(world, people, rm):
    placed = place(world, people)
    other = place(world, people, candidate=world["cashier"])
    body = {"placement": str(placed.uuid), "kind": "jobcoach", "status": "toegekend"}
    assert problem(rm.post(GRANTS, body)) == ["decided_on"]
    assert problem(rm.post(GRANTS, body | {"decided_on": "2026-02-20", "amount": "1200"})) == [
        "amount_per"
    ]
    assert problem(rm.post(GRANTS, body | {"status": "misschien"})) == ["status"]
    assert set(problem(rm.post(GRANTS, {}))) == {"placement", "kind"}
    made = ok(
        rm.post(
            GRANTS,
            body
            | {
                "decided_on": "2026-02-20",
                "start_on": "2026-03-02",
                "end_on": "2026-09-01",
                "amount": "1234.5",
                "amount_per": "jaar",
                "funding": "gemeente",
            },
        ),
        201,
    )
    grant = InstrumentGrant.objects.get()
    assert made["uuid"] == str(grant.uuid) and made["placement"] == str(placed.uuid)
    assert (made["kind"], made["status"], made["amount"], made["amount_per"]) == (
        "jobcoach",
        "toegekend",
        "1234.50",
        "jaar",
    )
    assert made["rule_set"] == str(rule_set_on(START, world["place"]["region"].pk).uuid)
    assert made["arranged_by"]["uuid"] == str(world["rm"].uuid)
    requested = ok(rm.post(GRANTS, {"placement": str(other.uuid), "kind": "lkv"}), 201)
    assert requested["status"] == "aangevraagd" and requested["amount"] is None

    assert len(ok(rm.get(GRANTS))["results"]) == 2
    assert [g["uuid"] for g in ok(rm.get(GRANTS, {"placement": str(placed.uuid)}))["results"]] == [
        made["uuid"]
    ]
    assert ok(rm.get(_path(placed)))["grants"] == [made]


def test_loonwaarde_assessments_are_recorded_and_listed(world, people, rm):
    placed = place(world, people)
    body = {
        "placement": str(placed.uuid),
        "assessed_on": "2026-03-16",
        "pct": "62.5",
        "method": "Dariuz",
        "assessor": "A. de Vries",
        "next_review_on": "2027-03-16",
    }
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert problem(rm.post(ASSESSMENTS, body | {"assessed_on": tomorrow})) == ["assessed_on"]
    assert problem(rm.post(ASSESSMENTS, body | {"next_review_on": "2026-03-01"})) == [
        "next_review_on"
    ]
    assert problem(rm.post(ASSESSMENTS, body | {"pct": "101"})) == ["pct"]
    made = ok(rm.post(ASSESSMENTS, body), 201)
    assessment = LoonwaardeAssessment.objects.get()
    assert made["uuid"] == str(assessment.uuid) and made["placement"] == str(placed.uuid)
    assert (made["pct"], made["method"], made["next_review_on"]) == ("62.5", "Dariuz", "2027-03-16")
    listed = ok(rm.get(ASSESSMENTS, {"placement": str(placed.uuid)}))["results"]
    assert listed == [made]
    assert problem(rm.get(ASSESSMENTS, {"placement": "not-a-uuid"})) == ["placement"]
    assert ok(rm.get(_path(placed)))["assessments"] == [made]


# --- Filters --------------------------------------------------------------------------------


def test_the_list_filters(world, people, rm, second_employer):
    today = timezone.localdate()
    # Ends in two weeks: the alert (six weeks before the end) has come.
    ending = place(
        world,
        people,
        start_on=today - dt.timedelta(days=120),
        planned_end_on=today + dt.timedelta(days=14),
    )
    later = place(
        world,
        people,
        candidate=world["cashier"],
        employer=second_employer,
        start_on=today - dt.timedelta(days=10),
        planned_end_on=today + dt.timedelta(days=150),
    )
    planned = place(
        world,
        people,
        candidate=world["far"],
        start_on=today + dt.timedelta(days=7),
        planned_end_on=today + dt.timedelta(days=60),
    )
    ended = place(world, people, candidate=picker(world["place"]))
    services.end(
        actor=actor_for(people["relatiemanager"]),
        placement=ended,
        on=START + dt.timedelta(days=30),
        reason="uitval",
    )

    def uuids(**params) -> set[str]:
        return {row["uuid"] for row in ok(rm.get(PLACEMENTS, params))["results"]}

    assert uuids() == {str(p.uuid) for p in (ending, later, planned, ended)}
    assert uuids(loopt_af="true") == {str(ending.uuid)}
    assert str(ending.uuid) not in uuids(loopt_af="false")
    assert uuids(status="gepland") == {str(planned.uuid)}
    assert uuids(status="beeindigd") == {str(ended.uuid)}
    assert uuids(kandidaat=str(world["cashier"].uuid)) == {str(later.uuid)}
    assert uuids(werkgever=str(second_employer.uuid)) == {str(later.uuid)}
    assert uuids(kandidaat="00000000-0000-0000-0000-000000000000") == set()
    assert problem(rm.get(PLACEMENTS, {"status": "weg"})) == ["status"]
    assert problem(rm.get(PLACEMENTS, {"kandidaat": "Jansen"})) == ["kandidaat"]
    assert problem(rm.get(PLACEMENTS, {"loopt_af": "soms"})) == ["loopt_af"]


# --- Who may, and scope ---------------------------------------------------------------------


def test_researchers_and_portal_users_are_refused(world, people):
    placed = place(world, people)
    check = placed.checks.first()
    for role in ("onderzoeker", "werkgever", "kandidaat"):
        client = api_for(people[role])
        for response in (
            client.get(PLACEMENTS),
            client.get(_path(placed)),
            client.post(PLACEMENTS, wep_body(world)),
            client.post(_path(placed, "convert"), contract_body()),
            client.post(_path(placed, "end"), {"ended_on": "2026-04-01", "end_reason": "uitval"}),
            client.get(CHECKS),
            client.get(f"{CHECKS}/{check.uuid}"),
            client.post(f"{CHECKS}/{check.uuid}/record", {"done_on": "2026-04-01"}),
            client.get(GRANTS),
            client.post(GRANTS, {"placement": str(placed.uuid), "kind": "lkv"}),
            client.get(ASSESSMENTS),
            client.post(ASSESSMENTS, {"placement": str(placed.uuid)}),
        ):
            assert problem(response, 403) == [], (role, response.request["PATH_INFO"])
    assert APIClient().get(PLACEMENTS).status_code in (401, 403)
    assert Placement.objects.count() == 1 and not InstrumentGrant.objects.exists()


def test_another_regions_placements_are_not_found(world, people):
    placed = place(world, people)
    check = placed.checks.first()
    ok(
        api_for(people["relatiemanager"]).post(
            GRANTS, {"placement": str(placed.uuid), "kind": "lkv"}
        ),
        201,
    )
    for who in ("other_region_rm", "uwv_partner"):  # UWV: not one of the partner's own people
        client = api_for(people[who])
        for response in (
            client.get(_path(placed)),
            client.post(_path(placed, "convert"), contract_body()),
            client.post(_path(placed, "end"), {"ended_on": "2026-04-01", "end_reason": "uitval"}),
            client.get(f"{CHECKS}/{check.uuid}"),
            client.post(f"{CHECKS}/{check.uuid}/record", {"done_on": "2026-04-01"}),
        ):
            assert problem(response, 404) == [], (who, response.request["PATH_INFO"])
        for path in (PLACEMENTS, CHECKS, GRANTS, ASSESSMENTS):
            assert ok(client.get(path))["results"] == [], (who, path)
        body = {"placement": str(placed.uuid), "kind": "lkv"}
        assert problem(client.post(GRANTS, body)) == ["placement"]
    placed.refresh_from_db()
    assert (
        placed.status == PlacementStatus.RUNNING
        and not placed.checks.filter(done_on__isnull=False).exists()
    )
    assert InstrumentGrant.objects.count() == 1


# --- Queries --------------------------------------------------------------------------------


def _queries(client: APIClient, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        body = ok(client.get(path, {"page_size": 100}))
    return len(queries), len(body["results"])


def _fill(world, people, n: int) -> None:
    """``n`` work-experience places converted into contracts, each with a grant and an
    assessment: every field of the lists is filled."""
    actor = actor_for(people["relatiemanager"])
    for _ in range(n):
        placed = place(world, people, candidate=picker(world["place"]))
        services.add_grant(actor=actor, grant=InstrumentGrant(placement=placed, kind="lkv"))
        services.assess_loonwaarde(
            actor=actor,
            assessment=LoonwaardeAssessment(
                placement=placed, assessed_on=START, pct=Decimal(60), method="Dariuz"
            ),
        )
        services.convert(
            actor=actor,
            placement=placed,
            into=Placement(
                candidate=placed.candidate,
                employer=world["employer"],
                kind=PlacementKind.REGULAR,
                contract=Contract.PERMANENT,
                job_title="Orderpicker",
                hours_per_week=Decimal(32),
                wage_pct_of_wml=Decimal(100),
                start_on=START + dt.timedelta(days=60),
            ),
        )


def test_the_lists_take_a_bounded_number_of_queries_whatever_their_length(world, people, rm):
    lists = (PLACEMENTS, CHECKS, GRANTS, ASSESSMENTS)
    _fill(world, people, 2)
    small = {path: _queries(rm, path) for path in lists}
    _fill(world, people, 8)
    large = {path: _queries(rm, path) for path in lists}
    for path in lists:
        (few, shown_few), (many, shown_many) = small[path], large[path]
        assert shown_many > shown_few, path
        assert many == few, (path, few, many)
        assert many <= 8, (path, many)  # five on SQLite
    # One placement with its parts: a fixed number of queries too.
    detail = Placement.objects.filter(grants__isnull=False).first()
    with CaptureQueriesContext(connection) as queries:
        shown = ok(rm.get(_path(detail)))
    assert shown["grants"] and shown["assessments"] and shown["followed_by"]
    assert len(queries) <= 10, [q["sql"] for q in queries.captured_queries]


# --- Schema ---------------------------------------------------------------------------------


def test_schema_has_the_placement_routes_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/placements"])
    assert "get" in paths["/api/v1/placements/{uuid}"]
    assert "post" in paths["/api/v1/placements/{uuid}/convert"]
    assert "post" in paths["/api/v1/placements/{uuid}/end"]
    assert "get" in paths["/api/v1/aftercare-checks"]
    assert "get" in paths["/api/v1/aftercare-checks/{uuid}"]
    assert "post" in paths["/api/v1/aftercare-checks/{uuid}/record"]
    assert {"get", "post"} <= set(paths["/api/v1/instrument-grants"])
    assert {"get", "post"} <= set(paths["/api/v1/loonwaarde-assessments"])
    for path in ("/api/v1/placements/{uuid}", "/api/v1/aftercare-checks/{uuid}"):
        assert not {"put", "patch", "delete"} & set(paths[path]), path
    components = schema["components"]["schemas"]
    assert {"checks", "grants", "assessments", "followed_by", "preceded_by", "rule_set"} <= set(
        components["Placement"]["properties"]
    )
    assert {"candidate", "employer", "planned_end_on"} <= set(
        components["PlacementRequest"]["properties"]
    )
    money = components["InstrumentGrant"]["properties"]["amount"]
    assert money["type"] == "string" and money.get("format") == "decimal"
    parameters = {p["name"] for p in paths["/api/v1/placements"]["get"]["parameters"]}
    assert {"status", "kandidaat", "werkgever", "loopt_af"} <= parameters
    parameters = {p["name"] for p in paths["/api/v1/aftercare-checks"]["get"]["parameters"]}
    assert {"vanaf", "tot", "open", "mijn"} <= parameters
