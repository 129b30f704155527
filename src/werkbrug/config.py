"""Reading Werkbrug's settings from the environment.

Every setting comes from one environment variable. A missing or malformed value stops start-up
with a message that names the variable and says what is expected, so an operator never has to
read a traceback to find out what is wrong.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "ja", "waar"}
FALSE_WORDS = {"0", "false", "no", "off", "nee", "onwaar", ""}


class Env:
    """Typed access to an environment mapping; every getter names the variable on error."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def str(self, name: str, default: str | None = None) -> str:
        value = self.environ.get(name)
        if value is None or value == "":
            if default is None:
                raise ImproperlyConfigured(f"{name} is not set: this setting is required.")
            return default
        return value

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off."
        )

    def int(self, name: str, default: int, minimum: int | None = None) -> int:
        raw = self.environ.get(name)
        if raw is None or raw.strip() == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name}={value} is too small: at least {minimum}.")
        return value

    def rate(self, name: str, default: tuple[int, int]) -> tuple[int, int]:
        """A rate limit written ``requests/seconds`` (``30/600``: 30 requests per 10 minutes)."""
        raw = self.environ.get(name)
        if raw is None or raw.strip() == "":
            return default
        requests, slash, seconds = raw.strip().partition("/")
        try:
            value = (int(requests), int(seconds))
        except ValueError:
            value = (0, 0)
        if not slash or value[0] < 1 or value[1] < 1:
            raise ImproperlyConfigured(
                f"{name}={raw!r} is not a rate: write requests/seconds, such as 30/600."
            )
        return value

    def list(self, name: str, default: list[str]) -> list[str]:
        raw = self.environ.get(name)
        if raw is None or raw.strip() == "":
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    def database_url(self, name: str) -> str | None:
        raw = self.environ.get(name)
        if raw is None or raw.strip() == "":
            return None
        if not raw.startswith(("postgres://", "postgresql://", "sqlite://")):
            raise ImproperlyConfigured(
                f"{name} must start with postgresql:// or sqlite://, got {raw.split(':', 1)[0]!r}."
            )
        return raw


def data_dir(env: Env, base_dir: Path) -> Path:
    """The folder that holds the SQLite database and generated keys (created if absent)."""
    path = Path(env.str("DATA_DIR", str(base_dir / "var"))).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"DATA_DIR={path} cannot be created: {exc.strerror}.") from exc
    return path


def secret(env: Env, name: str, *, demo: bool, folder: Path, min_length: int = 32) -> str:
    """A secret from the environment; in demo mode generated once into DATA_DIR, with a warning.

    Outside demo mode a missing secret is an error: a production system must never run on a
    key that someone else could also have.
    """
    value = env.environ.get(name, "")
    if value:
        if len(value) < min_length:
            raise ImproperlyConfigured(
                f"{name} is too short: use at least {min_length} characters."
            )
        return value
    if not demo:
        raise ImproperlyConfigured(
            f"{name} is not set. Generate one with: python -c 'import secrets; "
            f"print(secrets.token_urlsafe(48))'"
        )
    key_file = folder / f"{name.lower()}.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
        print(
            f"WAARSCHUWING: {name} niet gezet; demosleutel aangemaakt in {key_file}. "
            "Alleen geschikt voor de demo.",
            file=sys.stderr,
        )
    return key_file.read_text().strip()
