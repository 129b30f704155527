"""The council report page: choose a municipality (or the region) and a period, read the
generated summary, download the report as PDF or workbook, and subscribe to it by e-mail."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from werkbrug.core import access
from werkbrug.core.views_base import access_rule
from werkbrug.monitoring import reports
from werkbrug.monitoring.models import ReportSubscription
from werkbrug.monitoring.report_pdf import report_pdf
from werkbrug.monitoring.report_services import subscribe, unsubscribe
from werkbrug.monitoring.report_xlsx import report_xlsx
from werkbrug.regions.models import Municipality

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportForm(forms.Form):
    gemeente = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=gettext_lazy("The whole region"),
    )
    van = forms.DateField(label=gettext_lazy("From"), required=False)
    tot = forms.DateField(
        label=gettext_lazy("Up to and including"),
        required=False,
    )

    def __init__(self, *args: Any, actor: access.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = Municipality.objects.filter(
            region_id=actor.region_id, ended_on__isnull=True
        ).order_by("name")
        for name in ("van", "tot"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        start = data.get("van") or dt.date(today.year, 1, 1)
        last = data.get("tot") or today
        if last < start:
            self.add_error("tot", _("The end lies before the start."))
        elif (last - start).days > 366 * 5:
            self.add_error("tot", _("Choose a period of at most five years."))
        data["start"], data["end"] = start, last + dt.timedelta(days=1)
        return data


def _form(request: HttpRequest) -> ReportForm:
    actor = request.actor  # type: ignore[attr-defined]
    form = ReportForm(request.GET or None, actor=actor)
    if request.GET:
        form.is_valid()
    return form


def _report(request: HttpRequest) -> tuple[ReportForm, reports.CouncilReport | None]:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.region_id:
        raise Http404
    form = _form(request)
    if request.GET and form.errors:
        return form, None
    data = form.cleaned_data if request.GET else {}
    today = timezone.localdate()
    start = data.get("start") or dt.date(today.year, 1, 1)
    end = data.get("end") or today + dt.timedelta(days=1)
    report = reports.council_report(
        actor, municipality=data.get("gemeente"), start=start, end=end, today=today
    )
    return form, report


@access_rule("monitoring.view")
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form, report = _report(request)
    subscriptions = ReportSubscription.objects.filter(
        user_id=actor.user_id, region_id=actor.region_id
    ).select_related("municipality")
    return render(
        request,
        "monitoring/report.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "subscriptions": list(subscriptions),
        },
    )


@access_rule("monitoring.view")
@require_GET
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    form, report = _report(request)
    if report is None:
        messages.error(request, _("The report was not made: check the period."))
        return redirect(f"{reverse('monitoring:report')}?{request.GET.urlencode()}")
    if fmt == "pdf":
        content, content_type = report_pdf(report), "application/pdf"
    else:
        content, content_type = report_xlsx(report), XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem}.{fmt}"'
    return response


@access_rule("monitoring.view")
@require_POST
def report_subscribe(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    municipality = None
    if request.POST.get("gemeente"):
        try:
            wanted = uuid_module.UUID(request.POST["gemeente"])
        except ValueError:
            wanted = None
        municipality = (
            Municipality.objects.filter(uuid=wanted, region_id=actor.region_id).first()
            if wanted
            else None
        )
        if municipality is None:
            messages.error(request, _("Choose a municipality of your own region."))
            return redirect("monitoring:report")
    try:
        subscribe(actor=actor, municipality=municipality)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("You will receive the report of %(where)s by e-mail at the start of every month.")
            % {"where": municipality.name if municipality else _("the whole region")},
        )
    return redirect("monitoring:report")


@access_rule("monitoring.view")
@require_POST
def report_unsubscribe(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    subscription = ReportSubscription.objects.filter(uuid=uuid, user_id=actor.user_id).first()
    if subscription is None:
        raise Http404
    unsubscribe(actor=actor, subscription=subscription)
    messages.success(request, _("You will no longer receive this report."))
    return redirect("monitoring:report")


urlpatterns = [
    path("sturing/rapport/", report_page, name="report"),
    path("sturing/rapport.<str:fmt>", report_download, name="report_download"),
    path("sturing/rapport/abonneren/", report_subscribe, name="report_subscribe"),
    path(
        "sturing/rapport/abonnement/<uuid:uuid>/opzeggen/",
        report_unsubscribe,
        name="report_unsubscribe",
    ),
]
