"""Kernel pages: home, health, audit viewer, my background jobs, system settings."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from werkbrug.core import home as home_panels
from werkbrug.core import jobs, selectors
from werkbrug.core.access import AUTHENTICATED
from werkbrug.core.forms import AuditFilterForm
from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
from werkbrug.core.roles import Role
from werkbrug.core.tasks import export_change_log
from werkbrug.core.views_base import access_rule, public


@access_rule(AUTHENTICATED)
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    role = home_panels.primary_role(actor, request.GET.get("rol"))
    panels = [
        {"panel": panel, "context": panel.context(request, actor)}
        for panel in home_panels.panels_for(role)
    ]
    role_labels = dict(Role.choices)
    return render(
        request,
        "core/home.html",
        {
            "role": role,
            "role_label": role_labels.get(role, ""),
            "other_roles": [(r, role_labels[r]) for r in sorted(actor.roles) if r != role],
            "panels": panels,
        },
    )


@public
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers; exposes no data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _audit_page(request: HttpRequest, *, which: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    model = ChangeLogEntry if which == "changes" else AccessLogEntry
    form = AuditFilterForm(request.GET or None, actions=list(model.Action.choices))
    flt = form.to_filter()
    queryset = (
        selectors.change_log(actor=actor, flt=flt)
        if which == "changes"
        else selectors.access_log(actor=actor, flt=flt)
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    template = "core/audit_rows.html" if request.htmx else "core/audit.html"  # type: ignore[attr-defined]
    response = render(
        request,
        template,
        {"form": form, "page": page, "which": which, "query": query.urlencode()},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@access_rule("audit.view")
def audit_changes(request: HttpRequest) -> HttpResponse:
    return _audit_page(request, which="changes")


@access_rule("audit.view")
def audit_access(request: HttpRequest) -> HttpResponse:
    return _audit_page(request, which="access")


@access_rule("audit.view")
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    job = jobs.start(
        user=request.user,
        kind="audit_export",
        title=_("Export of the change log"),
        task=export_change_log,
        parameters={"user": request.POST.get("user", ""), "action": request.POST.get("action", "")},
    )
    return redirect("core:job", uuid=job.uuid)


@access_rule(AUTHENTICATED)
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_jobs(actor=request.actor), 25).get_page(request.GET.get("pagina"))  # type: ignore[attr-defined]
    return render(request, "core/jobs.html", {"page": page})


@access_rule(AUTHENTICATED)
def job_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    job = selectors.job(actor=request.actor, uuid=uuid)  # type: ignore[attr-defined]
    template = "core/job_status.html" if request.htmx else "core/job.html"  # type: ignore[attr-defined]
    response = render(request, template, {"job": job})
    patch_vary_headers(response, ["HX-Request"])
    return response


@access_rule(AUTHENTICATED)
def job_download(request: HttpRequest, uuid: str) -> HttpResponse:
    job = selectors.job(actor=request.actor, uuid=uuid)  # type: ignore[attr-defined]
    if job.result_file is None:
        messages.error(request, _("This job has no file to download (yet)."))
        return render(request, "core/job.html", {"job": job}, status=404)
    response = HttpResponse(bytes(job.result_file), content_type=job.result_content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_filename}"'
    return response


@access_rule("settings.view")
def system_settings(request: HttpRequest) -> HttpResponse:
    database = connection.vendor
    rows = [
        (_("Demo mode"), _("on") if settings.DEMO else _("off")),
        (_("Database"), "PostgreSQL" if database == "postgresql" else "SQLite"),
        (_("Data folder"), str(settings.DATA_DIR)),
        (_("E-mail delivery"), settings.EMAIL_BACKEND.rsplit(".", 2)[-2]),
        (_("Background tasks"), _("immediately") if settings.TASKS_IMMEDIATE else _("worker")),
        (_("Log out after inactivity"), _("%d minutes") % settings.SESSION_IDLE_MINUTES),
        (_("Failed log-ins before lock-out"), str(settings.AXES_FAILURE_LIMIT)),
        (_("Two-factor authentication for staff"), _("required")),
        (_("HTTPS"), _("on") if settings.HTTPS else _("off")),
    ]
    return render(request, "core/settings.html", {"rows": rows})
