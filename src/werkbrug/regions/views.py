"""The administrator's pages for regions, municipalities, organisations, teams and staff,
plus the team lead's team overview. Views translate HTTP to selector and service calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import access
from werkbrug.core.roles import Role
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.regions import forms, selectors, services
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team


@dataclass(frozen=True)
class Managed:
    """One kind of record on the administrator's pages."""

    key: str
    title: str | Promise
    singular: str | Promise
    form: type[forms.VersionedForm]
    columns: tuple[tuple[str | Promise, str], ...]
    listing: Callable[..., Any]
    detail: Callable[..., Any]
    save: Callable[..., Any]
    new: Callable[[Any], Any]
    permission: str = "regions.manage"


def _save_simple(kind: str) -> Callable[..., Any]:
    def save(actor: Any, instance: Any, form: Any) -> Any:
        version = form.cleaned_data.get("version")
        if kind == "municipality":
            return services.save_municipality(
                actor=actor,
                municipality=instance,
                composed_of=form.cleaned_data.get("composed_of") or [],
                expected_version=version,
            )
        if kind == "organisation":
            return services.save_organisation(
                actor=actor,
                organisation=instance,
                serves=form.cleaned_data.get("serves") or [],
                expected_version=version,
            )
        if kind == "team":
            return services.save_team(actor=actor, team=instance, expected_version=version)
        if kind == "staff":
            return services.save_staff(
                actor=actor,
                staff=instance,
                user_data=form.user_data(),
                roles=form.cleaned_data["roles"],
                expected_version=version,
            )
        return services.save_region(actor=actor, region=instance, expected_version=version)

    return save


MANAGED: dict[str, Managed] = {
    "regio": Managed(
        key="regio",
        title=gettext_lazy("Regions"),
        singular=gettext_lazy("region"),
        form=forms.RegionForm,
        columns=(
            (gettext_lazy("Name"), "name"),
            (gettext_lazy("Code"), "code"),
            (gettext_lazy("Municipalities"), "municipality_count"),
        ),
        listing=lambda actor, q: selectors.regions(actor=actor).filter(name__icontains=q),
        detail=lambda actor, uuid: selectors.region(actor=actor, uuid=uuid),
        save=_save_simple("region"),
        new=lambda actor: Region(),
    ),
    "gemeenten": Managed(
        key="gemeenten",
        title=gettext_lazy("Municipalities"),
        singular=gettext_lazy("municipality"),
        form=forms.MunicipalityForm,
        columns=(
            (gettext_lazy("Name"), "name"),
            (gettext_lazy("CBS code"), "cbs_code"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("Region"), "region"),
            (gettext_lazy("Ceased on"), "ended_on"),
        ),
        listing=lambda actor, q: selectors.municipalities(actor=actor, search=q),
        detail=lambda actor, uuid: selectors.municipality(actor=actor, uuid=uuid),
        save=_save_simple("municipality"),
        new=lambda actor: Municipality(region_id=actor.region_id),
    ),
    "organisaties": Managed(
        key="organisaties",
        title=gettext_lazy("Organisations"),
        singular=gettext_lazy("organisation"),
        form=forms.OrganisationForm,
        columns=(
            (gettext_lazy("Name"), "name"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("Municipality"), "municipality"),
            (gettext_lazy("Staff"), "staff_count"),
        ),
        listing=lambda actor, q: selectors.organisations(actor=actor, search=q),
        detail=lambda actor, uuid: selectors.organisation(actor=actor, uuid=uuid),
        save=_save_simple("organisation"),
        new=lambda actor: Organisation(region_id=actor.region_id),
    ),
    "teams": Managed(
        key="teams",
        title=gettext_lazy("Teams"),
        singular=gettext_lazy("team"),
        form=forms.TeamForm,
        columns=(
            (gettext_lazy("Name"), "name"),
            (gettext_lazy("Organisation"), "organisation"),
            (gettext_lazy("Team lead"), "lead"),
            (gettext_lazy("Members"), "member_count"),
        ),
        listing=lambda actor, q: selectors.teams(actor=actor).filter(name__icontains=q),
        detail=lambda actor, uuid: selectors.team(actor=actor, uuid=uuid),
        save=_save_simple("team"),
        new=lambda actor: Team(),
    ),
    "medewerkers": Managed(
        key="medewerkers",
        title=gettext_lazy("Staff"),
        singular=gettext_lazy("staff member"),
        form=forms.StaffForm,
        columns=(
            (gettext_lazy("Name"), "__str__"),
            (gettext_lazy("Organisation"), "organisation"),
            (gettext_lazy("Municipality"), "municipality"),
            (gettext_lazy("Team"), "team"),
            (gettext_lazy("Substitute"), "substitute"),
        ),
        listing=lambda actor, q: selectors.staff_list(actor=actor, search=q),
        detail=lambda actor, uuid: selectors.staff_member(
            actor=actor, uuid=uuid, purpose="administer staff member"
        ),
        save=_save_simple("staff"),
        new=lambda actor: Staff(),
        permission="staff.manage",
    ),
}


def _cell(obj: Any, attr: str) -> Any:
    value = getattr(obj, attr)
    value = value() if callable(value) else value
    return "" if value is None else value


def _visible_kinds(actor: access.Actor) -> dict[str, Managed]:
    return {key: m for key, m in MANAGED.items() if access.can(actor, m.permission)}


def _manage_list(request: HttpRequest, kind: str) -> HttpResponse:
    managed = MANAGED[kind]
    access.require(request.actor, managed.permission)  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()
    page = Paginator(managed.listing(request.actor, search), 25).get_page(request.GET.get("pagina"))  # type: ignore[attr-defined]
    rows = [
        {"obj": obj, "cells": [_cell(obj, attr) for _label, attr in managed.columns]}
        for obj in page.object_list
    ]
    template = "regions/manage_rows.html" if request.htmx else "regions/manage_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"managed": managed, "page": page, "rows": rows, "search": search, "kinds": MANAGED},
    )


def _manage_form(request: HttpRequest, kind: str, uuid: Any = None) -> HttpResponse:
    managed = MANAGED[kind]
    actor = request.actor  # type: ignore[attr-defined]
    access.require(actor, managed.permission)
    instance = managed.detail(actor, uuid) if uuid else managed.new(actor)
    form = managed.form(request.POST or None, instance=instance, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            managed.save(actor, form.instance, form)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("%(what)s saved.") % {"what": str(form.instance)})
            return redirect("regions:manage", kind=kind)
    return render(
        request,
        "regions/manage_form.html",
        {"managed": managed, "form": form, "instance": instance, "kinds": _visible_kinds(actor)},
    )


@access_rule("regions.manage")
def manage_index(request: HttpRequest) -> HttpResponse:
    return redirect("regions:manage", kind="medewerkers")


@access_rule("regions.manage")
def manage_list(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MANAGED:
        return render(request, "404.html", status=404)
    return _manage_list(request, kind)


@access_rule("regions.manage")
def manage_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MANAGED:
        return render(request, "404.html", status=404)
    return _manage_form(request, kind)


@access_rule("regions.manage")
def manage_edit(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    if kind not in MANAGED:
        return render(request, "404.html", status=404)
    return _manage_form(request, kind, uuid)


@access_rule("team.overview")
def team_overview(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    members = list(selectors.team_members(actor=actor, team_id=actor.team_id))
    role_labels = dict(Role.choices)
    rows = [
        {
            "staff": member,
            "roles": [role_labels[g.role] for g in member.user.role_grants.all()],
            "away": member.is_away_on(today),
            "covered_by": services.acting_for(member, on=today)
            if member.is_away_on(today)
            else None,
        }
        for member in members
    ]
    return render(request, "regions/team.html", {"rows": rows, "today": today})
