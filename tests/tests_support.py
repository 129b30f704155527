"""Shared fixtures: a small region with a user for every role, and logged-in clients.

def test_x(people, login):
    client = login(people["beheerder"])          # logged in, two-factor verified
    other = people["other_region_admin"]          # same role in another region
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts import services as account_services
from werkbrug.core.roles import STAFF_ROLES, Role
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team

PASSWORD = "correct horse battery staple"


def text(response: Any) -> str:
    """The page as plain text with collapsed whitespace (for readable assertions)."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def make_region(code: str, municipality_names: list[tuple[str, str]]) -> dict[str, Any]:
    region = Region.objects.create(name=f"Regio {code}", code=code)
    municipalities = [
        Municipality.objects.create(region=region, name=name, cbs_code=cbs)
        for name, cbs in municipality_names
    ]
    organisation = Organisation.objects.create(
        region=region, name=f"Werkbedrijf {code}", kind=Organisation.Kind.WERKBEDRIJF
    )
    team = Team.objects.create(organisation=organisation, name="Bedrijfsdienstverlening")
    return {
        "region": region,
        "municipalities": municipalities,
        "organisation": organisation,
        "team": team,
    }


def make_person(username: str, role: str, place: dict[str, Any] | None) -> Any:
    user = account_services.create_user(
        username=username,
        email=f"{username}@example.nl",
        first_name=username.title(),
        last_name="Test",
        roles=[role],
        password=PASSWORD,
    )
    if role in STAFF_ROLES and place is not None:
        Staff.objects.create(
            user=user,
            organisation=place["organisation"],
            municipality=place["municipalities"][0],
            team=place["team"],
        )
    return user


@pytest.fixture
def regions(db: Any) -> dict[str, dict[str, Any]]:
    return {
        "own": make_region("RVN", [("Nijmegen", "GM0268"), ("Wijchen", "GM0296")]),
        "other": make_region("ZAA", [("Zaanstad", "GM0479")]),
    }


@pytest.fixture
def people(regions: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One user per role in the own region, plus staff of the other region."""
    own = regions["own"]
    result = {role.value: make_person(role.value, role.value, own) for role in Role}
    result["other_region_admin"] = make_person(
        "beheerder_zaa", Role.FUNCTIONAL_ADMIN, regions["other"]
    )
    result["other_region_rm"] = make_person("rm_zaa", Role.RELATIONSHIP_MANAGER, regions["other"])
    return result


def verify_session(client: Client, user: Any) -> TOTPDevice:
    """Log ``user`` in with a confirmed TOTP device, as if the code was entered."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def login(db: Any) -> Any:
    def _login(user: Any) -> Client:
        client = Client()
        verify_session(client, user)
        return client

    return _login


@pytest.fixture
def login_en(login: Any) -> Any:
    """Like ``login``, with the English UI: tests that read the msgids use it."""

    def _login(user: Any) -> Client:
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _login
