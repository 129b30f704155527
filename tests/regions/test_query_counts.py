"""List pages and API lists use a bounded number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests_support import make_person

pytestmark = pytest.mark.django_db


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/organisatie/medewerkers/",
        "/beheer/organisatie/gemeenten/",
        "/beheer/organisatie/organisaties/",
        "/beheer/organisatie/teams/",
        "/beheer/audit/wijzigingen/",
        "/api/v1/staff",
        "/api/v1/municipalities",
        "/",
    ],
)
def test_query_count_does_not_grow_with_rows(path, people, regions, login):
    from rest_framework.authtoken.models import Token

    client = login(people["beheerder"])
    client.defaults["HTTP_AUTHORIZATION"] = (
        f"Token {Token.objects.get_or_create(user=people['beheerder'])[0].key}"
    )
    small = _count(client, path)
    for index in range(15):
        make_person(f"extra{index}", "relatiemanager", regions["own"])
    assert _count(client, path) <= small + 1  # +1: a second page of paginated counts at most
    assert small <= 25
