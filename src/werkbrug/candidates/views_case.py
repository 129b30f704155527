"""SKELETON — being written; every view below is replaced by its real implementation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from werkbrug.core.views_base import access_rule


@access_rule("candidates.handover")
def handover_file(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.handover")
def handover_batch(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.handover")
def handover(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.consent")
def consent_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.consent")
def consent_withdraw(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.contact")
def contact_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.contact")
def appointment_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.return")
def return_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.signal")
def signal_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.view")
def return_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.return_ack")
def return_acknowledge(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.view")
def signal_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.signal_decide")
def signal_decide(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.quality")
def quality(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.quality")
def quality_check(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.policy")
def policy(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("kandidaten/overdracht/", handover_file, name="handover_file"),
    path("kandidaten/overdracht/<uuid:uuid>/", handover_batch, name="handover_batch"),
    path("kandidaten/<uuid:uuid>/overdragen/", handover, name="handover"),
    path("kandidaten/<uuid:uuid>/toestemming/", consent_add, name="consent_add"),
    path(
        "kandidaten/<uuid:uuid>/toestemming/<uuid:item>/intrekken/",
        consent_withdraw,
        name="consent_withdraw",
    ),
    path("kandidaten/<uuid:uuid>/contact/", contact_add, name="contact_add"),
    path("kandidaten/<uuid:uuid>/afspraak/", appointment_add, name="appointment_add"),
    path("kandidaten/<uuid:uuid>/terugmelden/", return_add, name="return_add"),
    path("kandidaten/<uuid:uuid>/signaal/", signal_add, name="signal_add"),
    path("terugmeldingen/", return_list, name="returns"),
    path("terugmeldingen/<uuid:uuid>/bevestigen/", return_acknowledge, name="return_ack"),
    path("signalen/", signal_list, name="signals"),
    path("signalen/<uuid:uuid>/besluit/", signal_decide, name="signal_decide"),
    path("datakwaliteit/", quality, name="quality"),
    path("datakwaliteit/<slug:check>/", quality_check, name="quality_check"),
    path("beheer/kandidaatnormen/", policy, name="policy"),
]
