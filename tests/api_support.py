"""Helpers of the API tests: a client logged in with a token, and readers of an answer that
check its status first (problem answers by the names of their invalid parameters)."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

PROBLEM = "application/problem+json"


def api_for(user: Any) -> APIClient:
    """An API client logged in as ``user`` with their token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def problem(response: Any, status: int = 400) -> list[str]:
    """The names of the invalid parameters of a problem response."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return [p["name"] for p in response.json().get("invalid_params", [])]
