"""An uploaded import file waiting between "check" and "import" (the two-step import pages).

The file waits on the server **encrypted** with the field key (imports hold BSNs), under a
random token kept in the uploader's session; it is removed when it is imported, replaced or
older than :data:`PENDING_HOURS`. Each import page has its own session key, so a caseload
file and a benefit file never mix.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

from werkbrug.core import pseudonymisation

PENDING_HOURS = 2


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "pending-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    limit = time.time() - PENDING_HOURS * 3600
    for item in folder.glob("*.bin"):
        if item.stat().st_mtime < limit:
            item.unlink(missing_ok=True)


@dataclass(frozen=True)
class PendingUploads:
    session_key: str

    def keep(self, request: HttpRequest, content: bytes, filename: str) -> str:
        """Store the file (replacing this user's earlier one); the token for the form."""
        self.discard(request)
        folder = _folder()
        _forget_old(folder)
        token = secrets.token_urlsafe(24)
        encrypted = pseudonymisation.encrypt(
            base64.b64encode(content).decode("ascii"), key=settings.ENCRYPTION_KEY
        )
        (folder / f"{token}.bin").write_text(encrypted, encoding="ascii")
        request.session[self.session_key] = {"token": token, "filename": filename[:200]}
        return token

    def pending(self, request: HttpRequest, token: str) -> tuple[bytes, str] | None:
        """The file and its name, when ``token`` is this user's; else None."""
        kept = request.session.get(self.session_key) or {}
        if not token or not secrets.compare_digest(str(kept.get("token", "")), token):
            return None
        stored = _folder() / f"{kept['token']}.bin"
        try:
            text = stored.read_text(encoding="ascii")
            content = base64.b64decode(pseudonymisation.decrypt(text, key=settings.ENCRYPTION_KEY))
        except (OSError, ValueError):
            return None
        return content, kept.get("filename", "")

    def discard(self, request: HttpRequest) -> None:
        kept = request.session.pop(self.session_key, None) or {}
        token = str(kept.get("token", ""))
        if token and token.replace("-", "").replace("_", "").isalnum():
            (_folder() / f"{token}.bin").unlink(missing_ok=True)
