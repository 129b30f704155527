"""Pages of the rule sets: the list (which set holds today), one set with its rules grouped
and their sources, and the form for a new set (administrators).

A rule set is never changed once saved: calculations refer to the set of their date. A
correction or a new minimum wage is a new set from a date, and the form starts from the set in
force today (or from the set it is opened from). Views translate HTTP; the rules are in
``rules.services`` (writing) and ``rules.selectors`` (which set holds on a day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.regions import selectors as region_selectors
from werkbrug.rules import forms, parameters, selectors, services
from werkbrug.rules.calculator import euro
from werkbrug.rules.models import RuleSet

VIEW = "rules.view"
MANAGE = "rules.manage"
PAGE_SIZE = 25


# --- Helpers --------------------------------------------------------------------------------


def _visible(actor: access.Actor) -> QuerySet[RuleSet]:
    """The national sets and the actor's region's own, newest first (the order in which
    ``selectors.rule_set_on`` chooses), as far as the actor may see them."""
    return access.scoped(selectors.rule_sets(actor.region_id), actor).select_related("region")


def _in_force(actor: access.Actor) -> RuleSet | None:
    try:
        return selectors.rule_set_on(timezone.localdate(), actor.region_id)
    except selectors.NoRules:
        return None


def _rule_set(request: HttpRequest, uuid: Any) -> RuleSet:
    actor = request.actor  # type: ignore[attr-defined]
    return access.get_for_view(_visible(actor), actor, uuid, purpose="rules")


def dutch(value: Decimal) -> str:
    """A number as written in Dutch: 1.248, 40.575, 25,5 (no trailing zeros)."""
    text = f"{value.normalize():f}"
    sign = "-" if text.startswith("-") else ""
    whole, _point, fraction = text.lstrip("-").partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups or ["0"]) + (f",{fraction}" if fraction else "")


def _n(value: Decimal) -> int:
    """The count that chooses singular or plural: 1 maand, 6 maanden, 1,5 maanden."""
    return int(value) if value == value.to_integral_value() else 2


def shown(parameter: parameters.Parameter, raw: Any) -> str:
    """A rule's value as people read it in Dutch: € 1.594,20 per maand, 8 %, 6 maanden."""
    try:
        value = Decimal(str(raw).replace(",", "."))
    except ArithmeticError:
        return str(raw)
    unit = parameter.unit
    if unit == "eur_month":
        return _("%(amount)s per month") % {"amount": euro(value)}
    if unit == "eur_year":
        return _("%(amount)s per year") % {"amount": euro(value)}
    if unit == "eur_hour":
        return _("%(amount)s per hour") % {"amount": euro(value)}
    if unit == "pct":
        return f"{dutch(value)} %"
    n = {"n": dutch(value)}
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", _n(value)) % n
    if unit in ("years", "age"):
        return ngettext("%(n)s year", "%(n)s years", _n(value)) % n
    if unit == "hours":
        return ngettext("%(n)s hour", "%(n)s hours", _n(value)) % n
    return dutch(value)


def _status(rule_set: RuleSet, current: RuleSet | None, today: dt.date) -> dict[str, Any]:
    """Whether the set holds today for the actor's region, starts later, or was replaced."""
    in_force = current is not None and current.pk == rule_set.pk
    upcoming = rule_set.valid_from > today
    return {"in_force": in_force, "upcoming": upcoming, "replaced": not (in_force or upcoming)}


@dataclass(frozen=True)
class Rule:
    """One rule of a set as the page shows it."""

    parameter: parameters.Parameter
    value: str
    source: str


def _groups(rule_set: RuleSet) -> list[tuple[str, list[Rule]]]:
    out: dict[str, list[Rule]] = {}
    for p in parameters.PARAMETERS:
        raw = rule_set.values.get(p.name)
        out.setdefault(p.group_nl, []).append(
            Rule(
                parameter=p,
                value="—" if raw in (None, "") else shown(p, raw),
                source=rule_set.sources.get(p.name, ""),
            )
        )
    return list(out.items())


# --- Pages ----------------------------------------------------------------------------------


@access_rule(VIEW)
def rule_set_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(_visible(actor), PAGE_SIZE).get_page(request.GET.get("pagina"))
    current = _in_force(actor)
    today = timezone.localdate()
    return render(
        request,
        "rules/ruleset_list.html",
        {
            "page": page,
            "rows": [{"rule_set": r, **_status(r, current, today)} for r in page.object_list],
            "current": current,
            "can_manage": access.can(actor, MANAGE),
        },
    )


@access_rule(VIEW)
def rule_set_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rule_set = _rule_set(request, uuid)
    return render(
        request,
        "rules/ruleset_detail.html",
        {
            "rule_set": rule_set,
            "groups": _groups(rule_set),
            **_status(rule_set, _in_force(actor), timezone.localdate()),
            "to_check": sum(1 for p in parameters.PARAMETERS if not p.in_source),
            "can_manage": access.can(actor, MANAGE),
        },
    )


@access_rule(MANAGE)
def rule_set_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    basis_uuid = request.GET.get("basis")
    basis = _rule_set(request, basis_uuid) if basis_uuid else _in_force(actor)
    region = None
    if actor.region_id is not None:
        region = region_selectors.regions(actor=actor).filter(pk=actor.region_id).first()
    form = forms.RuleSetForm(
        request.POST or None,
        basis=basis,
        region_name=region.name if region is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_rule_set(
                actor=actor,
                rule_set=form.rule_set(actor.region_id),
                values=form.values(),
                sources=form.sources(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The rule set “%(name)s” has been saved. It holds from %(day)s.")
                % {"name": saved.name, "day": f"{saved.valid_from:%d-%m-%Y}"},
            )
            return redirect("rules:detail", uuid=saved.uuid)
    return render(
        request,
        "rules/ruleset_form.html",
        {"form": form, "basis": basis, "region": region},
    )


urlpatterns = [
    path("regels/", rule_set_list, name="list"),
    path("regels/nieuw/", rule_set_create, name="create"),
    path("regels/<uuid:uuid>/", rule_set_detail, name="detail"),
]
