"""The JSON look-ups behind occupation and task fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import include, path

from werkbrug.core.roles import Role
from werkbrug.taxonomy import curated, views
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill

# This module is the URL configuration of its tests: the app's routes plus the root ones (log-in
# page), so the tests do not depend on the line that includes them in werkbrug/urls.py.
urlpatterns = [
    path("", include("werkbrug.taxonomy.urls")),
    path("", include("werkbrug.urls")),
]


@pytest.fixture(autouse=True)
def taxonomy_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def loaded(db: Any) -> None:
    curated.load_curated(Occupation, Skill, OccupationSkill)


def test_every_route_declares_the_lookup_rule() -> None:
    assert {pattern.callback.access_rule for pattern in views.urlpatterns} == {"taxonomy.lookup"}


@pytest.mark.parametrize("role", [Role.RELATIONSHIP_MANAGER, Role.RESEARCHER, Role.CANDIDATE])
def test_logged_in_users_get_json(loaded: None, people: Any, login: Any, role: str) -> None:
    client = login(people[role])
    response = client.get("/taxonomie/beroepen/", {"q": "magazijn"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = response.json()
    assert rows[0]["label"] == "Magazijnmedewerker"
    assert rows[0]["isco_code"] == "4321"
    assert set(rows[0]) == {"uuid", "label", "isco_code"}
    skills = client.get("/taxonomie/taken/", {"q": "ramen", "limit": "3"}).json()
    assert skills[0] == {
        "uuid": str(Skill.objects.get(label="Ramen lappen").uuid),
        "label": "Ramen lappen",
        "kind": "taak",
    }
    assert len(skills) <= 3
    assert client.get("/taxonomie/taken/", {"q": ""}).json() == []
    assert client.get("/taxonomie/taken/", {"q": "a", "limit": "x"}).status_code == 200


def test_anonymous_is_sent_to_log_in(db: Any) -> None:
    response = Client().get("/taxonomie/taken/", {"q": "gras"})
    assert response.status_code == 302
    assert "/taxonomie/taken/" in response["Location"]


def test_employer_contact_is_denied(loaded: None, people: Any, login: Any) -> None:
    response = login(people[Role.EMPLOYER_CONTACT]).get("/taxonomie/taken/", {"q": "gras"})
    assert response.status_code == 403


def test_only_get(loaded: None, people: Any, login: Any) -> None:
    response = login(people[Role.RELATIONSHIP_MANAGER]).post("/taxonomie/taken/", {"q": "x"})
    assert response.status_code == 405
