"""Privacy pages: the data-subject requests of one's caseload with their deadlines (register,
extend, make the copy for inzage, correct, erase or refuse, with a log), and the retention
periods of the region with what is due today (administrator). Views translate HTTP; the rules
are in ``privacy.services``, the reads in ``privacy.selectors``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from werkbrug.candidates import data_export
from werkbrug.candidates import services as candidate_services
from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.privacy import selectors, services
from werkbrug.privacy.forms import (
    CompleteForm,
    CorrectionForm,
    ExtendForm,
    PeriodForm,
    RequestForm,
)
from werkbrug.privacy.models import DataSubjectRequest, RequestKind, RequestStatus
from werkbrug.regions.models import Region

REQUESTS = "privacy.requests"
RETENTION = "privacy.retention"


def _request(request: HttpRequest, uuid: Any) -> DataSubjectRequest:
    return access.get_for_view(
        DataSubjectRequest.objects.select_related("candidate", "municipality"),
        request.actor,  # type: ignore[attr-defined]
        uuid,
        purpose=_("Data subject request"),
    )


@access_rule(REQUESTS)
@require_safe
def requests(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    status = request.GET.get("status", RequestStatus.OPEN)
    if status not in RequestStatus.values and status != "all":
        status = RequestStatus.OPEN
    rows = list(selectors.requests(actor, status="" if status == "all" else status)[:200])
    today = timezone.localdate()
    for row in rows:
        row.days_left = selectors.days_left(row, today)  # type: ignore[attr-defined]
        row.days_late = -row.days_left  # type: ignore[attr-defined]
    return render(
        request,
        "privacy/requests.html",
        {"rows": rows, "status": status, "statuses": RequestStatus.choices, "today": today},
    )


@access_rule(REQUESTS)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    candidate = access.get_for_view(Candidate, actor, uuid, purpose=_("Data subject request"))
    if not candidate_services.has_full_access(actor, candidate):
        raise Http404
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.register_request(
                actor=actor, candidate=candidate, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request has been registered. Answer before %(day)s.")
                % {"day": f"{created.due_on:%d-%m-%Y}"},
            )
            return redirect("privacy:request", uuid=created.uuid)
    return render(request, "privacy/request_new.html", {"form": form, "candidate": candidate})


def _detail(
    request: HttpRequest, dsr: DataSubjectRequest, status: int = 200, **forms: Any
) -> HttpResponse:
    version = {"version": dsr.version}
    forms.setdefault("extend_form", ExtendForm(initial=version))
    forms.setdefault("complete_form", CompleteForm(initial=version))
    if dsr.kind == RequestKind.RECTIFICATION and "correction_form" not in forms:
        forms["correction_form"] = CorrectionForm(candidate=dsr.candidate, initial=version)
    refusal = (
        services.erasure_refusal(dsr.candidate)
        if dsr.kind == RequestKind.ERASURE and dsr.is_open
        else None
    )
    return render(
        request,
        "privacy/request_detail.html",
        {
            "dsr": dsr,
            "days_left": selectors.days_left(dsr),
            "events": list(dsr.events.all()),
            "erasure_refusal": refusal,
            **forms,
        },
        status=status,
    )


@access_rule(REQUESTS)
@require_safe
def request_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _detail(request, _request(request, uuid))


def _act(
    request: HttpRequest, uuid: Any, form_class: type, form_name: str, run: Any
) -> HttpResponse:
    """Run one action on a request from its form; on a refusal show the page again with what
    was typed and why."""
    dsr = _request(request, uuid)
    kwargs = {"candidate": dsr.candidate} if form_class is CorrectionForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            message = run(dsr, form)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("privacy:request", uuid=dsr.uuid)
    dsr.refresh_from_db()
    return _detail(request, dsr, status=400, **{form_name: form})


@access_rule(REQUESTS)
@require_POST
def request_extend(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]

    def run(dsr: DataSubjectRequest, form: ExtendForm) -> str:
        services.extend_deadline(
            actor=actor,
            request=dsr,
            reason=form.cleaned_data["extension_reason"],
            expected_version=form.cleaned_data["version"],
        )
        return _("The deadline has been extended. Tell the person why.")

    return _act(request, uuid, ExtendForm, "extend_form", run)


@access_rule(REQUESTS)
@require_POST
def request_complete(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]

    def run(dsr: DataSubjectRequest, form: CompleteForm) -> str:
        done = services.complete(
            actor=actor,
            request=dsr,
            outcome=form.cleaned_data["outcome"],
            refuse=form.cleaned_data["refuse"],
            expected_version=form.cleaned_data["version"],
        )
        if done.status == RequestStatus.REFUSED:
            return _("The request has been refused; the reason is recorded.")
        if done.kind == RequestKind.ERASURE:
            return _("The file has been erased; what remains is a placeholder for the figures.")
        return _("The request has been completed.")

    return _act(request, uuid, CompleteForm, "complete_form", run)


@access_rule(REQUESTS)
@require_POST
def request_correct(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]

    def run(dsr: DataSubjectRequest, form: CorrectionForm) -> str:
        services.correct(
            actor=actor,
            request=dsr,
            changes=form.changes(),
            expected_version=form.cleaned_data["version"],
            candidate_version=form.cleaned_data["candidate_version"],
        )
        return _("The correction has been saved and logged.")

    return _act(request, uuid, CorrectionForm, "correction_form", run)


@access_rule(REQUESTS)
@require_safe
def request_export(request: HttpRequest, uuid: Any, extension: str) -> HttpResponse:
    """The complete copy for an inzage request: a readable PDF or JSON."""
    actor = request.actor  # type: ignore[attr-defined]
    if extension not in ("pdf", "json"):
        raise Http404
    dsr = _request(request, uuid)
    if dsr.kind != RequestKind.ACCESS or not candidate_services.has_full_access(
        actor, dsr.candidate
    ):
        raise Http404
    data = data_export.collect(dsr.candidate, actor=actor)
    if extension == "pdf":
        body, content_type = data_export.as_pdf(data), "application/pdf"
    else:
        body, content_type = data_export.as_json(data), "application/json; charset=utf-8"
    services.record_export(actor=actor, request=dsr, file_kind=extension.upper())
    response = HttpResponse(body, content_type=content_type)
    name = f"inzage-{dsr.received_on:%Y%m%d}-{str(dsr.uuid)[:8]}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@access_rule(RETENTION)
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = PeriodForm(request.POST or None)
    error_for = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_period(actor=actor, **form.cleaned_data)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The retention period has been saved."))
                return redirect("privacy:retention")
        error_for = request.POST.get("category", "")
    return render(
        request,
        "privacy/retention.html",
        {
            "rows": selectors.periods(actor),
            "runs": list(selectors.runs(actor)[:10]),
            "form": form,
            "error_for": error_for,
        },
        status=400 if error_for else 200,
    )


@access_rule(RETENTION)
@require_POST
def retention_run(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    region = Region.objects.get(pk=actor.region_id)
    run = services.apply_retention(region=region, started_by=actor.username)
    messages.success(
        request,
        _(
            "Retention applied: %(files)s files made anonymous, %(health)s health profiles and "
            "%(logs)s log entries removed, %(invitations)s survey invitations unlinked."
        )
        % {
            "files": run.counts["candidate_file"],
            "health": run.counts["health"],
            "logs": run.counts["audit_logs"],
            "invitations": run.counts["survey_registry"],
        },
    )
    return redirect("privacy:retention")


urlpatterns = [
    path("privacy/verzoeken/", requests, name="requests"),
    path("privacy/kandidaten/<uuid:uuid>/verzoek/", request_new, name="request_new"),
    path("privacy/verzoeken/<uuid:uuid>/", request_detail, name="request"),
    path("privacy/verzoeken/<uuid:uuid>/verlengen/", request_extend, name="request_extend"),
    path("privacy/verzoeken/<uuid:uuid>/afronden/", request_complete, name="request_complete"),
    path("privacy/verzoeken/<uuid:uuid>/corrigeren/", request_correct, name="request_correct"),
    path(
        "privacy/verzoeken/<uuid:uuid>/kopie.<str:extension>",
        request_export,
        name="request_export",
    ),
    path("beheer/bewaartermijnen/", retention, name="retention"),
    path("beheer/bewaartermijnen/uitvoeren/", retention_run, name="retention_run"),
]
