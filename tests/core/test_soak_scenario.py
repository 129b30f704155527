"""The soak scenario (benchmarks/soak/locustfile.py, ``make soak``) cannot silently rot: every
request type it sends is declared, every declared path resolves to the route it names, the form
fields it posts are the forms' fields, and its TOTP codes are the ones django-otp accepts.
Also the error page the soak's database restart showed: it is still the site's page when the
database is what failed (core.errors.server_error)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import resolve
from django.utils.functional import SimpleLazyObject
from django_otp.oath import TOTP

from werkbrug.accounts.forms import LoginForm, TokenForm
from werkbrug.core.errors import server_error
from werkbrug.employers.forms import ContactMomentForm

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "benchmarks" / "soak" / "locustfile.py"
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's SHA-1 test key, in hex
MOMENTS = (59, 1_111_111_109, 1_234_567_890, 2_000_000_000)


@pytest.fixture(scope="module")
def scenario() -> dict:
    """What the locustfile declares, read by importing it in a separate process (Locust patches
    the standard library with gevent on import, which must not happen inside the test run)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import locustfile as l; "
        "print(json.dumps({'routes': l.ROUTES, 'contact_fields': l.CONTACT_FIELDS, "
        f"'codes': [l.totp({KEY!r}, t) for t in {MOMENTS!r}]}}))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", code, str(LOCUSTFILE.parent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def requested_types() -> set[str]:
    """The request types the user classes send: the first argument of every ``visit(...)`` and
    ``page(...)`` call, including each choice in a ``random.choice((...))`` there."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(LOCUSTFILE.read_text())):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("visit", "page")
            and node.args
        ):
            continue
        first = node.args[0]
        if isinstance(first, ast.Name) and first.id == "name":
            continue  # page() handing its own argument on to visit()
        if isinstance(first, ast.Constant):
            found.add(first.value)
        elif isinstance(first, ast.Call) and first.args and isinstance(first.args[0], ast.Tuple):
            found.update(e.value for e in first.args[0].elts if isinstance(e, ast.Constant))
        else:
            raise AssertionError(f"line {node.lineno}: name the request type literally")
    return found


def test_every_request_type_sent_is_declared_and_every_declared_one_is_sent(scenario):
    sent = requested_types()
    declared = set(scenario["routes"])
    assert sent - declared == set(), "sent but not in ROUTES"
    assert declared - sent == set(), "in ROUTES but never sent"
    assert len(sent) >= 25


def test_every_path_resolves_to_the_route_it_names(scenario):
    for request_type, (route, template) in scenario["routes"].items():
        path = template.format(uuid=uuid.uuid4(), code="W2")
        match = resolve(path)
        assert match.view_name == route, f"{request_type}: {path} is {match.view_name}"


def test_the_fields_posted_are_the_forms_fields(scenario):
    assert set(scenario["contact_fields"]) <= set(ContactMomentForm.base_fields)
    assert {"username", "password"} <= set(LoginForm.base_fields)
    assert "token" in TokenForm.base_fields
    source = LOCUSTFILE.read_text()
    for field in (*scenario["contact_fields"], "username", "password", "token"):
        assert f'"{field}":' in source, f"the scenario does not post {field}"


def test_the_scenarios_totp_codes_are_the_ones_django_otp_computes(scenario):
    for moment, code in zip(MOMENTS, scenario["codes"], strict=True):
        expected = TOTP(bytes.fromhex(KEY), step=30, digits=6)
        expected.time = moment
        assert code == f"{expected.token():06d}"
    # RFC 6238, appendix B (SHA-1, the last six of the eight digits)
    assert scenario["codes"] == ["287082", "081804", "005924", "279037"]


def test_the_error_page_is_the_sites_even_when_the_database_is_gone(settings):
    settings.DEBUG = False

    def database_gone():
        raise OperationalError("terminating connection due to administrator command")

    request = RequestFactory().get("/werkgevers/")
    request.request_id = "abc123"
    request.user = SimpleLazyObject(database_gone)
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert 'class="page-kicker"' in page
    assert "abc123" in page  # the reference to quote to the administrator
    assert "Traceback" not in page

    request.user = AnonymousUser()  # with the database there, the normal page
    assert server_error(request).status_code == 500
