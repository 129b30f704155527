"""The benefit-data import page: upload a CSV/XLSX file of *uitstroom* and *herinstroom* events
from the benefits system, see what it would do (new / unchanged, or the problems per row and
column), then press "Importeren". Works like the caseload import page
(``candidates.io_views``); the work is done in ``placements.benefit_services``.

Between the two steps the uploaded file waits on the server, encrypted
(``core.pending_uploads``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from werkbrug.core import access
from werkbrug.core.imports import UploadForm, column_help
from werkbrug.core.pending_uploads import PendingUploads
from werkbrug.core.views_base import access_rule
from werkbrug.placements import benefit_imports as imports
from werkbrug.placements import benefit_services as services

UPLOADS = PendingUploads("benefit_import_pending")


class ImportForm(UploadForm):
    def max_bytes(self) -> int:
        return imports.MAX_BYTES


# --- Pages ----------------------------------------------------------------------------------------


@access_rule(services.PERMISSION)
def import_benefits(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ImportForm()
    report = None
    token = ""
    expired = False
    if request.method == "POST" and request.POST.get("stap") == "importeren":
        pending = UPLOADS.pending(request, request.POST.get("token", ""))
        if pending is None:
            expired = True
        else:
            content, filename = pending
            report = services.import_benefits(actor=actor, content=content, filename=filename)
            UPLOADS.discard(
                request
            )  # imported, or changed meanwhile (the report says): upload again
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            content = upload.read(imports.MAX_BYTES + 1)
            filename = upload.name or ""
            report = services.check_benefits(actor=actor, content=content, filename=filename)
            if report.ok:
                token = UPLOADS.keep(request, content, filename)
                form = ImportForm()
            else:
                UPLOADS.discard(request)
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
