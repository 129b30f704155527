"""The API: token log-in with the second factor, problem+json errors naming the field, scoped
reads for staff and writes for functional administrators only."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api_support import PROBLEM, api_for
from tests_support import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_a_portal_user_needs_only_the_password(people):
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "werkgever", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=people["werkgever"]).key


def test_token_for_staff_needs_the_authenticator_code(people):
    device = TOTPDevice.objects.create(user=people["beheerder"], name="app", confirmed=True)
    client = APIClient()
    without = client.post(
        "/api/v1/auth/token", {"username": "beheerder", "password": PASSWORD}, format="json"
    )
    assert without.status_code == 401 and without["Content-Type"] == PROBLEM
    assert without.json()["invalid_params"][0]["name"] == "otp"
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    with_code = client.post(
        "/api/v1/auth/token",
        {"username": "beheerder", "password": PASSWORD, "otp": code},
        format="json",
    )
    assert with_code.status_code == 200 and "token" in with_code.json()


def test_wrong_password_is_a_problem_response(people):
    response = APIClient().post(
        "/api/v1/auth/token", {"username": "beheerder", "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    body = response.json()
    assert response["Content-Type"] == PROBLEM and body["status"] == 401 and body["title"]


def test_malformed_token_request_names_the_fields(db):
    response = APIClient().post("/api/v1/auth/token", {"otp": "12"}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert {"username", "password", "otp"} <= names


def test_no_token_no_data(db):
    response = APIClient().get("/api/v1/municipalities")
    assert response.status_code in (401, 403) and response["Content-Type"] == PROBLEM


def test_staff_see_their_own_region_only(people, regions):
    body = api_for(people["relatiemanager"]).get("/api/v1/municipalities").json()
    names = {m["name"] for m in body["results"]}
    assert names == {"Nijmegen", "Wijchen"}
    other = regions["other"]["municipalities"][0]
    detail = api_for(people["relatiemanager"]).get(f"/api/v1/municipalities/{other.uuid}")
    assert detail.status_code == 404 and detail["Content-Type"] == PROBLEM


def test_portal_users_see_no_organisation_data(people):
    assert api_for(people["kandidaat"]).get("/api/v1/staff").status_code == 403


def test_only_administrators_write(people, regions):
    region = regions["own"]["region"]
    payload = {
        "name": "Heumen",
        "kind": "gemeente",
        "cbs_code": "GM0252",
        "region": str(region.uuid),
    }
    assert (
        api_for(people["relatiemanager"])
        .post("/api/v1/municipalities", payload, format="json")
        .status_code
        == 403
    )
    created = api_for(people["beheerder"]).post("/api/v1/municipalities", payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["cbs_code"] == "GM0252"


def test_invalid_write_names_the_field_and_saves_nothing(people, regions):
    from werkbrug.regions.models import Municipality

    before = Municipality.objects.count()
    response = api_for(people["beheerder"]).post(
        "/api/v1/municipalities",
        {
            "name": "",
            "kind": "gemeente",
            "cbs_code": "0252",
            "region": str(regions["own"]["region"].uuid),
        },
        format="json",
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert {"name", "cbs_code"} <= names
    assert Municipality.objects.count() == before


def test_administrator_cannot_write_into_another_region(people, regions):
    response = api_for(people["beheerder"]).post(
        "/api/v1/organisations",
        {"name": "Indringer", "kind": "aanbieder", "region": str(regions["other"]["region"].uuid)},
        format="json",
    )
    assert (
        response.status_code == 400
    )  # the other region is not a choice: it does not exist for them


def test_staff_write_creates_login_and_roles(people, regions):
    own = regions["own"]
    payload = {
        "username": "nieuw",
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "email": "nieuw@example.nl",
        "roles": ["relatiemanager", "teamleider"],
        "organisation": str(own["organisation"].uuid),
        "municipality": str(own["municipalities"][0].uuid),
        "phone": "06-12345678",
    }
    response = api_for(people["beheerder"]).post("/api/v1/staff", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["roles"] == ["relatiemanager", "teamleider"] and body["phone"] == "+31612345678"
    bad = api_for(people["beheerder"]).post(
        "/api/v1/staff", {**payload, "username": "x2", "roles": ["kandidaat"]}, format="json"
    )
    assert bad.status_code == 400


def test_schema_and_docs_are_served_locally(db):
    client = APIClient()
    schema = client.get("/api/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/municipalities" in paths and "/api/v1/auth/token" in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "https://" not in html.split("<body")[0] or "cdn" not in html
    assert "<script>" not in html  # initialisation script is served as a separate file (CSP)


@pytest.mark.django_db
def test_api_tokens_expire_and_a_new_log_in_gives_a_new_one(people, settings):
    """A token is refused once API_TOKEN_HOURS have passed since it was issued (and removed);
    logging in again then issues a fresh one."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone
    from rest_framework.test import APIClient

    settings.API_TOKEN_HOURS = 10
    user = people["onderzoeker"]
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(reverse("region-list")).status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(hours=10))
    expired = client.get(reverse("region-list"))
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"] or "verlopen" in expired.json()["detail"]
    assert not Token.objects.filter(key=token.key).exists()
