"""SKELETON — being written; every view below is replaced by its real implementation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from werkbrug.core.views_base import access_rule


@access_rule("portal.candidate")
def portal_home(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_consent(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_consent_withdraw(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_appointments(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_appointment_ics(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_export_pdf(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.candidate")
def portal_export_json(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.employer_candidates")
def employer_shared_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("portal.employer_candidates")
def employer_shared_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("mijn-profiel/", portal_home, name="portal"),
    path("mijn-profiel/bewerken/", portal_edit, name="portal_edit"),
    path("mijn-profiel/toestemming/", portal_consent, name="portal_consent"),
    path(
        "mijn-profiel/toestemming/<uuid:item>/intrekken/",
        portal_consent_withdraw,
        name="portal_consent_withdraw",
    ),
    path("mijn-profiel/afspraken/", portal_appointments, name="portal_appointments"),
    path(
        "mijn-profiel/afspraken/<uuid:item>.ics",
        portal_appointment_ics,
        name="portal_appointment_ics",
    ),
    path("mijn-profiel/mijn-gegevens.pdf", portal_export_pdf, name="portal_export_pdf"),
    path("mijn-profiel/mijn-gegevens.json", portal_export_json, name="portal_export_json"),
    path("mijn-bedrijf/kandidaten/", employer_shared_list, name="employer_shared"),
    path(
        "mijn-bedrijf/kandidaten/<uuid:uuid>/",
        employer_shared_detail,
        name="employer_shared_detail",
    ),
]
