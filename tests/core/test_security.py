"""Security baseline: deploy checks pass with production settings, headers are set, the CSP
has no 'unsafe-inline', and pages make no third-party requests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WERKBRUG_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        DATA_DIR=str(tmp_path),
        WERKBRUG_SECRET_KEY="prod-" + "x9Kq2mZ7" * 8,
        WERKBRUG_PSEUDONYM_KEY="p" * 40,
        WERKBRUG_ENCRYPTION_KEY="e" * 40,
        WERKBRUG_ALLOWED_HOSTS="werkbrug.gemeente.nl",
        DJANGO_SETTINGS_MODULE="werkbrug.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "werkbrug.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_headers_and_strict_csp(client):
    response = client.get("/inloggen/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_pages_load_nothing_from_other_hosts(login, people):
    client = login(people["beheerder"])
    for path in ("/inloggen/", "/", "/beheer/audit/wijzigingen/", "/api/v1/docs"):
        html = client.get(path).content.decode()
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], (path, external)
        assert "<script>" not in html and " style=" not in html, path


def test_csrf_is_enforced():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post("/inloggen/", {"username": "x", "password": "y"}).status_code == 403


def test_health_needs_no_login_and_exposes_nothing(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_a_failing_database(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
