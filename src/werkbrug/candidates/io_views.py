"""SKELETON — being written; every view below is replaced by its real implementation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from werkbrug.core.views_base import access_rule


@access_rule("candidates.import")
def import_caseload(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("kandidaten/importeren/", import_caseload, name="import"),
]
