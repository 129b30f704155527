"""Error pages in the site's layout and language; under /api/ a problem (RFC 9457) instead,
like every other answer of the API (a path the API's routes do not know, a server error)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


def _api_problem(request: HttpRequest, status: int, title: str) -> HttpResponse | None:
    if not request.path.startswith(API_PREFIX):
        return None
    body = {"type": "about:blank", "title": title, "status": status}
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    api = _api_problem(request, 403, _("You do not have permission to perform this action."))
    if api is not None:
        return api
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    api = _api_problem(request, 404, _("Not found."))
    if api is not None:
        return api
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    api = _api_problem(request, 500, _("A server error occurred."))
    if api is not None:
        return api
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        # The layout's user name and menu come from the database (context processors). When the
        # database is what failed (a restart, a dropped connection), draw the page without
        # them: still the site's page in the person's language, not the web server's bare one.
        log.warning("Error page drawn without the layout's user and menu", exc_info=True)
        content = loader.render_to_string("500.html", {"request": request})
        return HttpResponse(content, status=500)
