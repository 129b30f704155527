"""The candidate API: which rows each role sees and which fields per row (full record, anonymous
pool profile, employer view), consent counting from the next request on, handover refused with
the missing items, consent withdrawal, return acknowledgement, stale versions and query counts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from api_support import PROBLEM, api_for
from werkbrug.candidates.models import (
    Candidate,
    Consent,
    ConsentScope,
    HealthProfile,
    Return,
)
from werkbrug.core.bsn import protect_bsn
from werkbrug.employers.models import ContactPerson, Employer
from werkbrug.regions.models import Staff

pytestmark = pytest.mark.django_db


def _candidate(place, index, bsn, **values) -> Candidate:
    protected = protect_bsn(bsn)
    return Candidate.objects.create(
        region=place["region"],
        municipality=place["municipalities"][index],
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        first_name=values.pop("first_name", "Eva"),
        last_name=values.pop("last_name", "Jansen"),
        birth_date="1990-05-01",
        **values,
    )


def _consent(candidate, scope, user, employer=None) -> Consent:
    return Consent.objects.create(
        candidate=candidate,
        scope=scope,
        employer=employer,
        granted_at=timezone.now(),
        granted_by=user,
        granted_via="persoonlijk",
    )


@pytest.fixture
def world(people, regions):
    own = regions["own"]
    km = people["klantmanager"].staff
    nijmegen = _candidate(own, 0, "111222333", client_manager=km, talents="koken")
    wijchen = _candidate(own, 1, "123456782", first_name="Piet", last_name="Geheim", talents="tuin")
    hidden = _candidate(own, 1, "999999990", first_name="Niet", last_name="Gedeeld")
    _consent(wijchen, ConsentScope.REGIONAL_POOL, people["beheerder"])
    employer = Employer.objects.create(
        region=own["region"],
        name="Bakkerij",
        municipality=own["municipalities"][0],
        owner=people["relatiemanager"].staff,
    )
    ContactPerson.objects.create(employer=employer, name="Baas", user=people["werkgever"])
    share = _consent(nijmegen, ConsentScope.SHARE_WITH_EMPLOYER, people["beheerder"], employer)
    HealthProfile.objects.create(candidate=nijmegen, has_limitation=True, limitations="rugklachten")
    nijmegen.user = people["kandidaat"]
    nijmegen.save()
    return {
        "nijmegen": nijmegen,
        "wijchen": wijchen,
        "hidden": hidden,
        "employer": employer,
        "share": share,
    }


def _rows(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {row["uuid"]: row for row in response.json()["results"]}


def test_staff_see_own_records_in_full_and_pool_rows_anonymously(people, world):
    rows = _rows(api_for(people["klantmanager"]).get("/api/v1/candidates"))
    own, pool = rows[str(world["nijmegen"].uuid)], rows[str(world["wijchen"].uuid)]
    assert str(world["hidden"].uuid) not in rows
    assert own["full_access"] and own["last_name"] == "Jansen" and own["bsn_masked"] == "******333"
    assert "bsn" not in own
    assert pool["full_access"] is False and pool["talents"] == "tuin"
    for hidden in ("first_name", "last_name", "bsn_masked", "email", "street", "birth_date"):
        assert hidden not in pool
    assert "Geheim" not in str(rows)


def test_name_search_does_not_reveal_pool_members(people, world):
    rows = _rows(api_for(people["klantmanager"]).get("/api/v1/candidates?search=Geheim"))
    assert rows == {}


def test_other_municipality_client_manager_gets_404_on_non_shared(people, world, regions):
    own = regions["own"]
    from tests_support import make_person

    wijchen_km = make_person("km_wijchen", "klantmanager", own)
    Staff.objects.filter(user=wijchen_km).update(municipality=own["municipalities"][1])
    client = api_for(wijchen_km)
    assert client.get(f"/api/v1/candidates/{world['nijmegen'].uuid}").status_code == 404
    assert client.get(f"/api/v1/candidates/{world['hidden'].uuid}").status_code == 200


def test_employer_sees_only_consented_and_loses_them_after_withdrawal(people, world):
    client = api_for(people["werkgever"])
    rows = _rows(client.get("/api/v1/candidates"))
    assert set(rows) == {str(world["nijmegen"].uuid)}
    row = rows[str(world["nijmegen"].uuid)]
    assert row["first_name"] == "Eva" and row["limitations"] is None
    assert "bsn_masked" not in row and "email" not in row
    withdraw = api_for(people["klantmanager"]).post(
        f"/api/v1/consents/{world['share'].uuid}/withdraw", {"via": "telefoon"}, format="json"
    )
    assert withdraw.status_code == 200 and withdraw.json()["in_force"] is False
    assert _rows(client.get("/api/v1/candidates")) == {}
    assert client.get(f"/api/v1/candidates/{world['nijmegen'].uuid}").status_code == 404


def test_employer_sees_limitations_only_with_disclosure_consent(people, world):
    _consent(
        world["nijmegen"], ConsentScope.DISCLOSE_LIMITATIONS, people["beheerder"], world["employer"]
    )
    client = api_for(people["werkgever"])
    row = _rows(client.get("/api/v1/candidates"))[str(world["nijmegen"].uuid)]
    assert row["limitations"]["limitations"] == "rugklachten"
    detail = client.get(f"/api/v1/candidates/{world['nijmegen'].uuid}").json()
    assert detail["limitations"]["has_limitation"] is True


def test_candidate_sees_only_themselves(people, world):
    rows = _rows(api_for(people["kandidaat"]).get("/api/v1/candidates"))
    assert set(rows) == {str(world["nijmegen"].uuid)}
    assert rows[str(world["nijmegen"].uuid)]["last_name"] == "Jansen"


def test_create_needs_permission_and_bsn_and_never_returns_it(people, regions):
    payload = {
        "bsn": "111222333",
        "first_name": "Nieuw",
        "last_name": "Persoon",
        "birth_date": "1990-01-01",
        "municipality": str(regions["own"]["municipalities"][0].uuid),
        "ladder_step": 3,
    }
    assert (
        api_for(people["relatiemanager"])
        .post("/api/v1/candidates", payload, format="json")
        .status_code
        == 403
    )
    client = api_for(people["klantmanager"])
    missing = client.post("/api/v1/candidates", {**payload, "bsn": ""}, format="json")
    assert missing.status_code == 400 and missing["Content-Type"] == PROBLEM
    created = client.post("/api/v1/candidates", payload, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert "111222333" not in str(body) and body["bsn_masked"] == "******333"
    assert body["ladder_step"] == 3
    again = client.post("/api/v1/candidates", payload, format="json")
    assert again.status_code == 409


def test_patch_with_stale_version_is_409(people, world):
    client = api_for(people["klantmanager"])
    url = f"/api/v1/candidates/{world['nijmegen'].uuid}"
    version = client.get(url).json()["version"]
    ok = client.patch(url, {"talents": "bakken", "version": version}, format="json")
    assert ok.status_code == 200 and ok.json()["talents"] == "bakken"
    stale = client.patch(url, {"talents": "x", "version": version}, format="json")
    assert stale.status_code == 409 and stale["Content-Type"] == PROBLEM


def test_handover_refused_with_the_missing_items(people, world):
    response = api_for(people["klantmanager"]).post(
        "/api/v1/handovers",
        {
            "candidate": str(world["nijmegen"].uuid),
            "to_staff": str(people["relatiemanager"].staff.uuid),
            "warm": True,
        },
        format="json",
    )
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert "education_level" in body["missing"]
    assert {p["name"] for p in body["invalid_params"]} == set(body["missing"])


def test_return_acknowledge(people, world):
    ret = Return.objects.create(
        candidate=world["nijmegen"],
        municipality=world["nijmegen"].municipality,
        on=timezone.localdate(),
        reason="tijdelijk_niet_plaatsbaar",
        explanation="ziek",
        recommended_next_step="later opnieuw",
        sent_by=people["relatiemanager"].staff,
        receiver=people["klantmanager"].staff,
    )
    client = api_for(people["klantmanager"])
    assert str(ret.uuid) in {r["uuid"] for r in client.get("/api/v1/returns").json()["results"]}
    response = client.post(f"/api/v1/returns/{ret.uuid}/acknowledge")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    assert (
        api_for(people["relatiemanager"])
        .post(f"/api/v1/returns/{ret.uuid}/acknowledge")
        .status_code
        == 403
    )


def test_consents_listed_per_candidate_and_granted(people, world):
    client = api_for(people["klantmanager"])
    listed = client.get(f"/api/v1/consents?candidate={world['nijmegen'].uuid}").json()["results"]
    assert [c["uuid"] for c in listed] == [str(world["share"].uuid)]
    granted = client.post(
        "/api/v1/consents",
        {
            "candidate": str(world["nijmegen"].uuid),
            "scope": "regionale_pool",
            "granted_via": "telefoon",
        },
        format="json",
    )
    assert granted.status_code == 201, granted.content
    assert granted.json()["in_force"]


def test_contact_recorded(people, world):
    response = api_for(people["klantmanager"]).post(
        "/api/v1/candidate-contacts",
        {
            "candidate": str(world["nijmegen"].uuid),
            "at": timezone.now().isoformat(),
            "channel": "telefoon",
            "summary": "Gebeld",
        },
        format="json",
    )
    assert response.status_code == 201, response.content


def test_list_query_count_is_bounded(people, world, regions, django_assert_max_num_queries):
    own = regions["own"]
    for index in range(15):
        import random

        from werkbrug.core.validators import generate_bsn

        other = _candidate(own, index % 2, generate_bsn(random.Random(100 + index)))
        _consent(other, ConsentScope.REGIONAL_POOL, people["beheerder"])
    for user in ("klantmanager", "werkgever", "kandidaat"):
        client = api_for(people[user])
        with django_assert_max_num_queries(12):
            assert client.get("/api/v1/candidates").status_code == 200


def test_schema_has_the_candidate_routes_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    paths = schema["paths"]
    for path in (
        "/api/v1/candidates",
        "/api/v1/handovers",
        "/api/v1/consents",
        "/api/v1/candidate-contacts",
        "/api/v1/returns",
    ):
        assert path in paths
    assert "post" in paths["/api/v1/consents/{uuid}/withdraw"]
    assert "post" in paths["/api/v1/returns/{uuid}/acknowledge"]
