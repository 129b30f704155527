"""SKELETON — being written; every view below is replaced by its real implementation."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from werkbrug.core.views_base import access_rule


@access_rule("candidates.view")
def caseload(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.create")
def candidate_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.view")
def candidate_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def candidate_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def languages_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def experience_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def experience_delete(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def target_group_add(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.health")
def health_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def ladder_step(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def confirm_profile(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


@access_rule("candidates.edit")
def portal_account(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("kandidaten/", caseload, name="caseload"),
    path("kandidaten/nieuw/", candidate_create, name="create"),
    path("kandidaten/<uuid:uuid>/", candidate_detail, name="detail"),
    path("kandidaten/<uuid:uuid>/bewerken/", candidate_edit, name="edit"),
    path("kandidaten/<uuid:uuid>/talen/", languages_edit, name="languages"),
    path("kandidaten/<uuid:uuid>/werkervaring/", experience_add, name="experience_add"),
    path(
        "kandidaten/<uuid:uuid>/werkervaring/<uuid:item>/verwijderen/",
        experience_delete,
        name="experience_delete",
    ),
    path("kandidaten/<uuid:uuid>/doelgroepen/", target_group_add, name="target_group_add"),
    path("kandidaten/<uuid:uuid>/gezondheid/", health_edit, name="health"),
    path("kandidaten/<uuid:uuid>/trede/", ladder_step, name="ladder"),
    path("kandidaten/<uuid:uuid>/bevestigen/", confirm_profile, name="confirm"),
    path("kandidaten/<uuid:uuid>/account/", portal_account, name="portal_account"),
]
