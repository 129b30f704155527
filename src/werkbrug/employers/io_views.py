"""Import and export pages of the employer register: upload a CSV/XLSX file (all or nothing,
with a per-row report), download the example file, export the employer and work-opportunity
lists with the same filters as their list pages. The work is done in ``io_services``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext

from werkbrug.core import access
from werkbrug.core.imports import UploadForm, column_help
from werkbrug.core.views_base import access_rule
from werkbrug.employers import forms as employer_forms
from werkbrug.employers import imports, io_services
from werkbrug.employers.selectors import EmployerFilter


class ImportForm(UploadForm):
    def max_bytes(self) -> int:
        return imports.MAX_BYTES


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # the lists hold names and contact details
    return response


def _format(request: HttpRequest) -> str:
    chosen = (request.GET.get("formaat") or "csv").lower()
    return chosen if chosen in io_services.FORMATS else "csv"


# --- Import -------------------------------------------------------------------------------------


@access_rule("employers.import")
def import_employers(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        report = io_services.import_employers(
            actor=actor, content=upload.read(imports.MAX_BYTES + 1), filename=upload.name or ""
        )
        if report.ok:
            form = ImportForm()  # ready for the next file
    return render(
        request,
        "employers/import.html",
        {
            "form": form,
            "report": report,
            "columns": column_help(imports.FIELDS),
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
            "can_register": access.can(actor, "employers.edit"),
        },
    )


@access_rule("employers.import")
def import_example(request: HttpRequest) -> HttpResponse:
    return _download(*io_services.example_file(actor=request.actor))  # type: ignore[attr-defined]


# --- Export -------------------------------------------------------------------------------------


def employer_filter_from(query: QueryDict, actor: access.Actor) -> EmployerFilter | None:
    """The employer list's filter from its query parameters (q, gemeente, fase, relatiemanager,
    relatie, ambassadeur, sortering — ``sort`` is accepted for ``sortering``), read by the list
    page's own form so both always agree. None when a parameter is not valid."""
    data = query.copy()
    if data.get("sort") and not data.get("sortering"):
        data["sortering"] = data["sort"]
    form = employer_forms.EmployerFilterForm(data or None, actor=actor)
    if form.is_bound and not form.is_valid():
        return None
    return form.to_filter()


def _bad_filter() -> HttpResponse:
    return HttpResponse(
        gettext("This filter is not valid. Go back to the list, set the filter again and export."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@access_rule("employers.view")
def employer_export(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    flt = employer_filter_from(request.GET, actor)
    if flt is None:
        return _bad_filter()
    return _download(*io_services.export_employers(actor=actor, flt=flt, fmt=_format(request)))


@access_rule("employers.view")
def opportunity_export(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = employer_forms.OpportunityFilterForm(request.GET or None, actor=actor)
    if form.is_bound and not form.is_valid():
        return _bad_filter()
    return _download(
        *io_services.export_opportunities(actor=actor, fmt=_format(request), **form.to_kwargs())
    )


urlpatterns = [
    path("werkgevers/import/", import_employers, name="import"),
    path("werkgevers/import/voorbeeld.csv", import_example, name="import_example"),
    path("werkgevers/export/", employer_export, name="export"),
    path("werkkansen/export/", opportunity_export, name="opportunity_export"),
]
