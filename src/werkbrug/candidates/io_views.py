"""The caseload import page: upload a CSV/XLSX file from the benefits system, see what it would
do (new / updated / unchanged, or the problems per row and column), then press "Importeren".
The work is done in ``candidates.io_services``.

Between the two steps the uploaded file waits on the server, encrypted
(``core.pending_uploads``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from werkbrug.candidates import imports, io_services
from werkbrug.core.imports import UploadForm, column_help
from werkbrug.core.pending_uploads import PendingUploads
from werkbrug.core.views_base import access_rule

UPLOADS = PendingUploads("candidate_import_pending")


class ImportForm(UploadForm):
    def max_bytes(self) -> int:
        return imports.MAX_BYTES


# --- Pages ----------------------------------------------------------------------------------------


@access_rule("candidates.import")
def import_caseload(request: HttpRequest, **kwargs: object) -> HttpResponse:
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
            report = io_services.import_caseload(actor=actor, content=content, filename=filename)
            UPLOADS.discard(
                request
            )  # imported, or changed meanwhile (the report says): upload again
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            content = upload.read(imports.MAX_BYTES + 1)
            filename = upload.name or ""
            report = io_services.check_caseload(actor=actor, content=content, filename=filename)
            if report.ok:
                token = UPLOADS.keep(request, content, filename)
                form = ImportForm()
            else:
                UPLOADS.discard(request)
    return render(
        request,
        "candidates/import.html",
        {
            "form": form,
            "report": report,
            "token": token,
            "expired": expired,
            "columns": column_help(imports.FIELDS),
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
            "everywhere": io_services.may_import_everywhere(actor),
        },
    )


@access_rule("candidates.import")
def import_example(request: HttpRequest) -> HttpResponse:
    content, content_type, filename = io_services.example_file(
        actor=request.actor  # type: ignore[attr-defined]
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("kandidaten/importeren/", import_caseload, name="import"),
    path("kandidaten/importeren/voorbeeld.csv", import_example, name="import_example"),
]
