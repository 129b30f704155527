"""Personal data and secrets stay out of URLs and logs (issue 10, security review).

* No route takes a parameter that could carry personal data: every path parameter is a UUID,
  a one-time link token, or a code from a short fixed list (a new ``<str:name>`` fails here).
* Everything logged (the "Not Found" warnings with their path included) while someone logs
  in with a wrong password, asks for an API token, opens a personal meeting or survey link,
  and a caseworker reveals a BSN, holds none of the password, the link tokens, the API token
  or the BSN: link tokens in logged paths become [token], UUIDs stay.
"""

from __future__ import annotations

import logging

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from candidates_support import make_candidate
from tests_support import PASSWORD
from werkbrug.core.bsn import reveal_bsn
from werkbrug.core.roles import Role

#: Path parameters that name no person: public ids, link tokens and fixed codes.
ALLOWED_PARAMS = {
    "uuid",
    "item",
    "entry",
    "pk",  # UUIDs (pk: DRF routes look records up by uuid)
    "token",
    "uidb64",  # one-time links (hashed at rest, expiring)
    "kind",
    "format",
    "check",
    "code",
    "output",
    "fmt",
    "extension",  # fixed code lists
}


def _params(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _params(pattern, route)
        elif isinstance(pattern, URLPattern):
            found += [(route, name) for name in pattern.pattern.regex.groupindex]
    return found


def test_no_route_takes_personal_data() -> None:
    params = _params(get_resolver())
    assert params
    unexpected = sorted(
        {
            (route, name)
            for route, name in params
            if name not in ALLOWED_PARAMS
            and not name.endswith("uuid")
            and f"<uuid:{name}>" not in route
        }
    )
    assert unexpected == [], "a path parameter that may carry personal data: " + repr(unexpected)


@pytest.mark.django_db
def test_nothing_secret_or_personal_is_logged(caplog, client, people, regions, login):
    caplog.set_level(logging.DEBUG)
    km = people[Role.CLIENT_MANAGER]
    candidate = make_candidate(regions["own"], client_manager=km.staff)
    bsn = reveal_bsn(candidate.bsn_encrypted)
    secrets = [PASSWORD, "Verkeerd-wachtwoord-9876", bsn]

    client.post(reverse("accounts:login"), {"username": km.username, "password": secrets[1]})
    api = APIClient()
    api.post("/api/v1/auth/token", {"username": "werkgever", "password": PASSWORD}, format="json")
    token = (
        api.post(
            "/api/v1/auth/token", {"username": "werkgever", "password": PASSWORD}, format="json"
        )
        .json()
        .get("token", "")
    )
    if token:
        secrets.append(token)
    link = "ditisgeenechtelinkmaarweldegelijkgeheim0123"
    secrets.append(link)
    client.get(reverse("meetings:answer", kwargs={"token": link}))
    client.get(reverse("evaluation:answer", kwargs={"token": link}))
    caseworker = login(km)
    detail = reverse("candidates:detail", kwargs={"uuid": candidate.uuid})
    assert bsn in caseworker.post(detail, {"bsn": "tonen"}, follow=True).content.decode()

    leaked = [
        f"{s} (by {r.name})"
        for s in secrets
        for r in caplog.records
        # What a handler writes: the message with its arguments, and a traceback if any. (The
        # request object django.request attaches is printed by no configured handler.)
        if s and s in f"{r.getMessage()} {r.args!r} {r.exc_text or ''}"
    ]
    assert leaked == [], f"logged: {leaked}"


def test_link_tokens_are_redacted_but_uuids_and_plain_paths_stay() -> None:
    from werkbrug.core.logging import redact

    uuid = "3b7dff58-eca0-4907-a176-3b463f67456a"
    assert redact("Not Found: /enquete/AbC_dEf-0123456789xyzQRS/") == "Not Found: /enquete/[token]/"
    assert redact("Gone: /bijeenkomsten/antwoord/tok3n_tok3n_tok3n_tok3n.ics") == (
        "Gone: /bijeenkomsten/antwoord/[token].ics"
    )
    assert redact(f"Not Found: /kandidaten/{uuid}/") == f"Not Found: /kandidaten/{uuid}/"
    assert redact("Not Found: /werkgevers/nieuw/") == "Not Found: /werkgevers/nieuw/"
