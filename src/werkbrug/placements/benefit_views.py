"""The benefit-data import page: upload a CSV/XLSX file of *uitstroom* and *herinstroom* events
from the benefits system, see what it would do (new / unchanged, or the problems per row and
column), then press "Importeren". Works like the caseload import page
(``candidates.io_views``); the work is done in ``placements.benefit_services``.

Between the two steps the uploaded file waits on the server, **encrypted** with the field key
(it holds BSNs), under a random token kept in the uploader's session; it is removed when it is
imported, replaced or older than :data:`PENDING_HOURS`.
"""

from __future__ import annotations

import base64
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from werkbrug.core import access, pseudonymisation
from werkbrug.core.imports import UploadForm, column_help
from werkbrug.core.views_base import access_rule
from werkbrug.placements import benefit_imports as imports
from werkbrug.placements import benefit_services as services

SESSION_KEY = "benefit_import_pending"
PENDING_HOURS = 2


class ImportForm(UploadForm):
    def max_bytes(self) -> int:
        return imports.MAX_BYTES


# --- The file waiting between "check" and "import" ---------------------------------------------


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "pending-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    limit = time.time() - PENDING_HOURS * 3600
    for item in folder.glob("*.bin"):
        if item.stat().st_mtime < limit:
            item.unlink(missing_ok=True)


def _keep(request: HttpRequest, content: bytes, filename: str) -> str:
    _discard(request)
    folder = _folder()
    _forget_old(folder)
    token = secrets.token_urlsafe(24)
    encrypted = pseudonymisation.encrypt(
        base64.b64encode(content).decode("ascii"), key=settings.ENCRYPTION_KEY
    )
    (folder / f"{token}.bin").write_text(encrypted, encoding="ascii")
    request.session[SESSION_KEY] = {"token": token, "filename": filename[:200]}
    return token


def _pending(request: HttpRequest, token: str) -> tuple[bytes, str] | None:
    kept = request.session.get(SESSION_KEY) or {}
    if not token or not secrets.compare_digest(str(kept.get("token", "")), token):
        return None
    stored = _folder() / f"{kept['token']}.bin"
    try:
        text = stored.read_text(encoding="ascii")
        content = base64.b64decode(pseudonymisation.decrypt(text, key=settings.ENCRYPTION_KEY))
    except (OSError, ValueError):
        return None
    return content, kept.get("filename", "")


def _discard(request: HttpRequest) -> None:
    kept = request.session.pop(SESSION_KEY, None) or {}
    token = str(kept.get("token", ""))
    if token and token.replace("-", "").replace("_", "").isalnum():
        (_folder() / f"{token}.bin").unlink(missing_ok=True)


# --- Pages ----------------------------------------------------------------------------------------


@access_rule(services.PERMISSION)
def import_benefits(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ImportForm()
    report = None
    token = ""
    expired = False
    if request.method == "POST" and request.POST.get("stap") == "importeren":
        pending = _pending(request, request.POST.get("token", ""))
        if pending is None:
            expired = True
        else:
            content, filename = pending
            report = services.import_benefits(actor=actor, content=content, filename=filename)
            _discard(request)  # imported, or changed meanwhile (the report says): upload again
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            content = upload.read(imports.MAX_BYTES + 1)
            filename = upload.name or ""
            report = services.check_benefits(actor=actor, content=content, filename=filename)
            if report.ok:
                token = _keep(request, content, filename)
                form = ImportForm()
            else:
                _discard(request)
    return render(
        request,
        "placements/benefit_import.html",
        {
            "form": form,
            "report": report,
            "token": token,
            "expired": expired,
            "columns": column_help(imports.FIELDS),
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
            "everywhere": services.may_import_everywhere(actor),
            "d2_months": services.D2_MONTHS,
            "can_view_placements": access.can(actor, "placements.view"),
        },
    )


@access_rule(services.PERMISSION)
def benefits_example(request: HttpRequest) -> HttpResponse:
    content, content_type, filename = services.example_file(
        actor=request.actor  # type: ignore[attr-defined]
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("plaatsingen/uitkeringsgegevens/", import_benefits, name="benefits_import"),
    path("plaatsingen/uitkeringsgegevens/voorbeeld.csv", benefits_example, name="benefits_example"),
]
