"""The page of figures from outside Werkbrug (``/sturing/cijfers/``): the region's figures,
filtered by indicator and paged, and the import of a CSV, XLSX or JSON file of them. Upload,
see what it would do (new / already present / updated, or the problems per row and column),
then press "Import". Works like the benefit-data import page
(``placements.benefit_views``); the work is done in ``monitoring.observation_services``.

Between the two steps the uploaded file waits on the server, encrypted
(``core.pending_uploads``); whether existing values may be updated travels with it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from werkbrug.core.imports import ACCEPTED_TYPES, UploadForm, column_help
from werkbrug.core.pending_uploads import PendingUploads
from werkbrug.core.views_base import access_rule
from werkbrug.monitoring import kpis
from werkbrug.monitoring import observation_imports as imports
from werkbrug.monitoring import observation_services as services

UPLOADS = PendingUploads("observation_import_pending")
PAGE_SIZE = 50


class ImportForm(UploadForm):
    bestand = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by semicolons, commas or tabs), Excel (.xlsx) or JSON, at most 10 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_TYPES + ",.json,application/json"}),
    )
    bijwerken = forms.BooleanField(
        label=_("Update existing values"),
        required=False,
        help_text=_(
            "When Werkbrug already holds another figure for the same indicator, place and "
            "period, replace it with the one in the file. Without this, such a row is "
            "reported as a problem and nothing is imported."
        ),
    )

    def max_bytes(self) -> int:
        return imports.MAX_BYTES


def _kpi_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {kpis.for_code(code)[-1].name_nl}") for code in kpis.codes()]


class ListFilter(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("All indicators")), *_kpi_choices()]

    def kpi(self) -> str:
        return self.cleaned_data.get("indicator", "") if self.is_valid() else ""


def _parse(content: bytes, filename: str) -> imports.ParseResult:
    return imports.parse(content, filename)


# --- Pages ----------------------------------------------------------------------------------------


@access_rule(services.PERMISSION)
def observations(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = ImportForm()
    report = None
    token = ""
    expired = False
    update_existing = False
    if request.method == "POST" and request.POST.get("stap") == "importeren":
        pending = UPLOADS.pending(request, request.POST.get("token", ""))
        update_existing = request.POST.get("bijwerken") == "1"
        if pending is None:
            expired = True
        else:
            content, filename = pending
            report = services.import_observations(
                actor=actor,
                rows=_parse(content, filename),
                file_name=filename,
                update_existing=update_existing,
            )
            UPLOADS.discard(request)  # imported, or changed meanwhile (the report says)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            content = upload.read(imports.MAX_BYTES + 1)
            filename = upload.name or ""
            update_existing = form.cleaned_data["bijwerken"]
            report = services.check_observations(
                actor=actor,
                rows=_parse(content, filename),
                file_name=filename,
                update_existing=update_existing,
            )
            if report.ok:
                token = UPLOADS.keep(request, content, filename)
                form = ImportForm()
            else:
                UPLOADS.discard(request)
                form = ImportForm(initial={"bijwerken": update_existing})
    filter_form = ListFilter(request.GET or None)
    kpi = filter_form.kpi()
    page = Paginator(services.observation_list(actor, kpi=kpi), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "monitoring/observation_list.html",
        {
            "form": form,
            "report": report,
            "token": token,
            "expired": expired,
            "update_existing": update_existing,
            "filter_form": filter_form,
            "kpi": kpi,
            "page": page,
            "rows": [(o, services.shown_number(o.value)) for o in page.object_list],
            "query": query.urlencode(),
            "columns": column_help(imports.FIELDS),
            "indicators": [
                (code, kpis.for_code(code)[-1].name_nl, kpis.for_code(code)[-1].unit)
                for code in kpis.codes()
            ],
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
            "whole_region": services.whole_region_label(),
        },
    )


@access_rule(services.PERMISSION)
def observations_example(request: HttpRequest, fmt: str) -> HttpResponse:
    content, content_type, filename = services.example_file(
        actor=request.actor,  # type: ignore[attr-defined]
        fmt=fmt,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("sturing/cijfers/", observations, name="observations"),
    path(
        "sturing/cijfers/voorbeeld.csv",
        observations_example,
        {"fmt": "csv"},
        name="observations_example_csv",
    ),
    path(
        "sturing/cijfers/voorbeeld.xlsx",
        observations_example,
        {"fmt": "xlsx"},
        name="observations_example_xlsx",
    ),
]
