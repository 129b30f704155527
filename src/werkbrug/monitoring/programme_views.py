"""Pages that manage programmes and log hours against them: a new programme and a change
to one, a target added, changed or removed, and the hours of a month with the form to log
them. Views translate HTTP; the rules are in ``monitoring.programme_services`` and the reads
in ``monitoring.selectors`` and ``monitoring.programme_selectors``.

Who: programmes and targets ``monitoring.manage`` (team lead, functional administrator);
hours ``monitoring.log_time`` (everyone who does the work, and the team lead, who sees and
may correct everyone's hours)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.monitoring import kpis, programme_selectors, selectors
from werkbrug.monitoring import programme_services as services
from werkbrug.monitoring.models import Programme
from werkbrug.monitoring.programme_forms import ProgrammeForm, TargetForm, TimeEntryForm, kpi_label
from werkbrug.monitoring.programme_services import hours_shown

MANAGE = services.MANAGE
LOG_TIME = services.LOG_TIME


def _programme(request: HttpRequest, uuid: Any) -> Programme:
    return selectors.programme_for_view(request.actor, uuid)  # type: ignore[attr-defined]


def _detail_url(programme: Programme, anchor: str = "") -> str:
    url = reverse("monitoring:programme", kwargs={"uuid": programme.uuid})
    return f"{url}#{anchor}" if anchor else url


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- Programmes -------------------------------------------------------------------------------


@access_rule(MANAGE)
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    if actor.region_id is None:
        raise PermissionDenied(MANAGE)
    form = ProgrammeForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.save_programme(actor=actor, data=form.service_data())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The programme “%(name)s” has been saved. Now add its targets.")
                % {"name": programme.name},
            )
            return redirect(_detail_url(programme))
    return render(
        request,
        "monitoring/programme_form.html",
        {"form": form, "programme": None},
        status=_status(request),
    )


@access_rule(MANAGE)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programme = _programme(request, uuid)
    form = ProgrammeForm(request.POST or None, actor=actor, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_programme(
                actor=actor,
                programme=programme,
                data=form.service_data(),
                expected_version=form.expected_version(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("The changes to “%(name)s” have been saved.") % {"name": saved.name}
            )
            return redirect(_detail_url(saved))
    return render(
        request,
        "monitoring/programme_form.html",
        {"form": form, "programme": programme},
        status=_status(request),
    )


# --- Targets ----------------------------------------------------------------------------------


def _target_list(programme: Programme) -> list[dict[str, Any]]:
    """The programme's targets as the target form lists them (already prefetched)."""
    rows = []
    for target in programme.targets.all():
        versions = kpis.for_code(target.kpi)
        rows.append(
            {
                "target": target,
                "kpi": kpi_label(versions[-1]) if versions else target.kpi,
            }
        )
    return rows


@access_rule(MANAGE)
@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programme = _programme(request, uuid)
    form = TargetForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.add_target(actor=actor, programme=programme, data=form.service_data())
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The target for %(kpi)s has been added.") % {"kpi": target.kpi},
            )
            if request.POST.get("next") == "another":
                return redirect("monitoring:target_add", uuid=programme.uuid)
            return redirect(_detail_url(programme, "targets-title"))
    return render(
        request,
        "monitoring/target_form.html",
        {
            "form": form,
            "programme": programme,
            "target": None,
            "targets": _target_list(programme),
        },
        status=_status(request),
    )


@access_rule(MANAGE)
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, uuid: Any, target: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programme = _programme(request, uuid)
    current = programme_selectors.target_for_view(actor, programme, target)
    form = TargetForm(request.POST or None, programme=programme, target=current)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.edit_target(
                actor=actor,
                target=current,
                data=form.service_data(),
                expected_version=form.expected_version(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("The target for %(kpi)s has been changed.") % {"kpi": saved.kpi}
            )
            return redirect(_detail_url(programme, "targets-title"))
    return render(
        request,
        "monitoring/target_form.html",
        {"form": form, "programme": programme, "target": current, "targets": []},
        status=_status(request),
    )


@access_rule(MANAGE)
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, uuid: Any, target: Any) -> HttpResponse:
    """Asks first (GET), removes on POST."""
    actor = request.actor  # type: ignore[attr-defined]
    programme = _programme(request, uuid)
    current = programme_selectors.target_for_view(actor, programme, target)
    error = None
    if request.method == "POST":
        version = request.POST.get("version")
        try:
            services.delete_target(
                actor=actor,
                target=current,
                expected_version=int(version) if version and version.isdigit() else None,
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request, _("The target for %(kpi)s has been removed.") % {"kpi": current.kpi}
            )
            return redirect(_detail_url(programme, "targets-title"))
    versions = kpis.for_code(current.kpi)
    return render(
        request,
        "monitoring/target_delete.html",
        {
            "programme": programme,
            "target": current,
            "kpi": kpi_label(versions[-1]) if versions else current.kpi,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Hours ------------------------------------------------------------------------------------


def _month(request: HttpRequest, programme: Programme) -> dt.date:
    """The month shown: ?maand=2025-03, else this month (or the programme's last, when it
    is over; its first, when it has not begun)."""
    last_day = programme.end_on - dt.timedelta(days=1)
    default = min(max(timezone.localdate(), programme.start_on), last_day).replace(day=1)
    raw = request.GET.get("maand", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        chosen = dt.date(year, month, 1)
    except ValueError:
        return default
    if not programme.start_on.replace(day=1) <= chosen <= last_day:
        return default
    return chosen


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _previous_month(month: dt.date) -> dt.date:
    return dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


@access_rule(LOG_TIME)
@require_http_methods(["GET", "POST"])
def time_entries(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The form to log hours, and the hours of a month: one's own, or everyone's for the team
    lead (with the total per person)."""
    actor = request.actor  # type: ignore[attr-defined]
    programme = _programme(request, uuid)
    form = TimeEntryForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.log_time(
                actor=actor,
                programme=programme,
                on=data["on"],
                hours=data["hours"],
                activity=data["activity"],
                note=data.get("note") or "",
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(hours)s hours on %(day)s have been logged.")
                % {"hours": hours_shown(entry.hours), "day": services.day(entry.on)},
            )
            return redirect(
                f"{reverse('monitoring:time_entries', kwargs={'uuid': programme.uuid})}"
                f"?maand={entry.on:%Y-%m}"
            )
    month = _month(request, programme)
    end = _next_month(month)
    everyone = access.can(actor, MANAGE)
    entries = list(programme_selectors.time_entries(actor, programme, start=month, end=end))
    previous = _previous_month(month)
    return render(
        request,
        "monitoring/time_entries.html",
        {
            "programme": programme,
            "form": form,
            "month": month,
            "previous": previous if previous >= programme.start_on.replace(day=1) else None,
            # No later than this month: hours are never logged ahead.
            "next": end if end < programme.end_on and end <= timezone.localdate() else None,
            "entries": [
                {
                    "entry": e,
                    "hours": hours_shown(e.hours),
                    "can_delete": everyone or e.staff_id == actor.staff_id,
                }
                for e in entries
            ],
            "total": hours_shown(sum((e.hours for e in entries), Decimal(0))),
            "everyone": everyone,
            "per_person": [
                (person.name, hours_shown(person.hours))
                for person in programme_selectors.hours_per_person(
                    actor, programme, start=month, end=end
                )
            ]
            if everyone
            else [],
        },
        status=_status(request),
    )


@access_rule(LOG_TIME)
@require_POST
def time_entry_delete(request: HttpRequest, uuid: Any, entry: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    programme = _programme(request, uuid)
    try:
        found = programme_selectors.time_entry_for_view(actor, programme, entry)
    except Http404:
        # Gone already (a double click), or not one this person sees.
        messages.info(request, _("These hours were already removed."))
        return redirect("monitoring:time_entries", uuid=programme.uuid)
    services.delete_time_entry(actor=actor, entry=found)
    messages.success(
        request,
        _("%(hours)s hours on %(day)s have been removed.")
        % {"hours": hours_shown(found.hours), "day": services.day(found.on)},
    )
    return redirect(
        f"{reverse('monitoring:time_entries', kwargs={'uuid': programme.uuid})}"
        f"?maand={found.on:%Y-%m}"
    )


urlpatterns = [
    path("sturing/programmas/nieuw/", programme_create, name="programme_create"),
    path("sturing/programmas/<uuid:uuid>/bewerken/", programme_edit, name="programme_edit"),
    path("sturing/programmas/<uuid:uuid>/doelen/", target_add, name="target_add"),
    path(
        "sturing/programmas/<uuid:uuid>/doelen/<uuid:target>/",
        target_edit,
        name="target_edit",
    ),
    path(
        "sturing/programmas/<uuid:uuid>/doelen/<uuid:target>/verwijderen/",
        target_delete,
        name="target_delete",
    ),
    path("sturing/programmas/<uuid:uuid>/uren/", time_entries, name="time_entries"),
    path(
        "sturing/programmas/<uuid:uuid>/uren/<uuid:entry>/verwijderen/",
        time_entry_delete,
        name="time_entry_delete",
    ),
]
