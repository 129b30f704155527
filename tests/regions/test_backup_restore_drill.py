"""The backup and restore drill of docs/operations.md, run for real on PostgreSQL.

Proves that a Werkbrug database survives ``pg_dump -Fc`` and ``pg_restore`` into a new, empty
database: a demo region is migrated and seeded into a fresh database through the ``werkbrug``
command (as an operator would), every table's rows are counted, the database is dumped and
restored into another one, and against the restored database ``werkbrug migrate --check`` and
``werkbrug check`` pass, the health check and a staff page answer, and every table holds the
same number of rows as before. Both databases are dropped afterwards.

PostgreSQL only: SQLite is backed up by copying one file, which needs no drill.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="The backup drill uses pg_dump and pg_restore: PostgreSQL only.",
)

ROOT = Path(__file__).resolve().parents[2]

#: Run against the restored database: the health check and a staff page, with a session of a
#: staff member whose second factor is verified (made directly: logging in through the test
#: client would have django-axes record a request without an address).
PAGE_CHECK = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from werkbrug.accounts.models import User
client = Client()
health = client.get("/health")
assert health.status_code == 200 and health.json()["database"] == "ok", health.content
user = User.objects.get(username="klantmanager")
device = TOTPDevice.objects.create(user=user, name="drill", confirmed=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
page = client.get("/kandidaten/")
assert page.status_code == 200, page.status_code
print("pages ok")
"""


def _tool(name: str) -> str:
    """The newest Debian PostgreSQL's binary, as scripts/throwaway-postgres.sh finds initdb."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    path = found[-1] if found else shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def _server() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "localhost",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
    }


def _url(server: dict[str, Any], name: str) -> str:
    auth = quote(server["user"])
    if server["password"]:
        auth += ":" + quote(server["password"])
    return f"postgresql://{auth}@{server['host']}:{server['port']}/{name}"


def _admin(server: dict[str, Any], sql: str) -> None:
    import psycopg

    with psycopg.connect(_url(server, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def _counts(server: dict[str, Any], name: str) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_url(server, name)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _env(server: dict[str, Any], name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=_url(server, name),
        WERKBRUG_DEMO="0",
        WERKBRUG_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        WERKBRUG_SECRET_KEY=settings.SECRET_KEY,
        WERKBRUG_PSEUDONYM_KEY=settings.PSEUDONYM_KEY,
        WERKBRUG_ENCRYPTION_KEY=settings.ENCRYPTION_KEY,
        PGPASSWORD=server["password"],
    )
    return env


def _werkbrug(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "werkbrug.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"werkbrug {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _run(env: dict[str, str], *command: str) -> None:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"


def test_dump_and_restore_give_a_working_database_with_the_same_rows(tmp_path):
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    server = _server()
    suffix = uuid.uuid4().hex[:8]
    source, restored = f"werkbrug_drill_{suffix}", f"werkbrug_restored_{suffix}"
    dump = tmp_path / "werkbrug.dump"
    try:
        _admin(server, f'CREATE DATABASE "{source}"')
        env = _env(server, source)
        _werkbrug(env, "migrate", "--noinput", "-v0")
        _werkbrug(env, "seed-demo", "--scale", "demo")
        before = _counts(server, source)
        assert before["candidates_candidate"] > 100 and before["core_changelogentry"] > 0

        connection = ["-h", server["host"], "-p", server["port"], "-U", server["user"]]
        _run(env, pg_dump, *connection, "-Fc", "-f", str(dump), source)
        assert dump.stat().st_size > 0
        _admin(server, f'CREATE DATABASE "{restored}"')
        _run(
            env, pg_restore, *connection, "--no-owner", "--exit-on-error", "-d", restored, str(dump)
        )

        after_env = _env(server, restored)
        assert _counts(server, restored) == before
        _werkbrug(after_env, "migrate", "--check")
        _werkbrug(after_env, "check")
        assert "pages ok" in _werkbrug(after_env, "shell", "-c", PAGE_CHECK)
    finally:
        for name in (source, restored):
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
