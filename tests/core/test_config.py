"""A missing or malformed environment setting stops start-up with a message naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from werkbrug.config import Env, secret

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_malformed_boolean_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="WERKBRUG_DEBUG"):
        Env({"WERKBRUG_DEBUG": raw}).bool("WERKBRUG_DEBUG")


@pytest.mark.parametrize("raw,expected", [("1", True), ("ja", True), ("off", False), ("", False)])
def test_booleans_in_dutch_and_english(raw, expected):
    assert Env({"X": raw}).bool("X") is expected


def test_malformed_number_and_database_url_name_the_variable():
    with pytest.raises(ImproperlyConfigured, match="WERKBRUG_SESSION_IDLE_MINUTES"):
        Env({"WERKBRUG_SESSION_IDLE_MINUTES": "half an hour"}).int(
            "WERKBRUG_SESSION_IDLE_MINUTES", 30
        )
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        Env({"DATABASE_URL": "mysql://x"}).database_url("DATABASE_URL")


def test_secret_required_outside_demo_and_generated_once_in_demo(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="WERKBRUG_SECRET_KEY is not set"):
        secret(Env({}), "WERKBRUG_SECRET_KEY", demo=False, folder=tmp_path)
    with pytest.raises(ImproperlyConfigured, match="too short"):
        secret(Env({"K": "short"}), "K", demo=False, folder=tmp_path)
    first = secret(Env({}), "WERKBRUG_SECRET_KEY", demo=True, folder=tmp_path)
    second = secret(Env({}), "WERKBRUG_SECRET_KEY", demo=True, folder=tmp_path)
    assert first == second and len(first) >= 50
    assert (tmp_path / "werkbrug_secret_key.key").stat().st_mode & 0o077 == 0


def _start(env_overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WERKBRUG_", "DATABASE_URL"))}
    env.update({"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "werkbrug.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_start_up_without_keys_outside_demo_says_which_key(tmp_path):
    result = _start({}, tmp_path)
    assert result.returncode != 0
    assert "WERKBRUG_SECRET_KEY is not set" in result.stderr


def test_start_up_with_a_malformed_setting_says_which(tmp_path):
    result = _start({"WERKBRUG_DEMO": "1", "WERKBRUG_EMAIL_BACKEND": "pigeon"}, tmp_path)
    assert result.returncode != 0
    assert "WERKBRUG_EMAIL_BACKEND='pigeon' is unknown" in result.stderr


def test_demo_start_up_generates_keys_with_a_warning(tmp_path):
    result = _start({"WERKBRUG_DEMO": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "WAARSCHUWING" in result.stderr
    assert (tmp_path / "werkbrug_pseudonym_key.key").exists()
