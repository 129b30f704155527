"""How a view declares who may call it. Every route in Werkbrug carries an access rule.

    @access_rule("regions.manage")
    def municipality_edit(request, uuid): ...

The decorator checks login and permission through ``core.access`` and puts the ``Actor`` on
``request.actor``. The access-matrix test reads ``view.access_rule`` from every URL pattern
and fails on a route that has none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict

from werkbrug.core import access

View = Callable[..., HttpResponse]


def access_rule(permission: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = access.actor_for(request.user)
            request.actor = actor  # type: ignore[attr-defined]
            if permission != access.PUBLIC and not actor.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.can(actor, permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        wrapped.access_rule = permission  # type: ignore[attr-defined]
        return wrapped

    return decorate


def show_service_errors(form: Any, error: ValidationError) -> None:
    """Put a service's validation errors next to the form fields they name (the rest at the
    top of the form), so the person sees why nothing was saved."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def public(view: View) -> View:
    """Mark a view that needs no login (login page, password reset, health)."""
    view.access_rule = access.PUBLIC  # type: ignore[attr-defined]
    return view


def declared(permission: str, view: View) -> View:
    """Declare the rule of a third-party view that enforces access itself (e.g. DRF views,
    which check permissions through ``api.permissions``)."""
    view.access_rule = permission  # type: ignore[attr-defined]
    return view


# --- A refused small form on a busy page (meetings, placements) ------------------------------
# A page with many small forms (per seat, per check-in) posts each to its own view, which on a
# refusal keeps what was typed and why in the session ({"kind", "target", "data", "errors",
# "lines"}) and redirects back; the page then shows that one form again with the reasons.


def refused_for(failed: dict[str, Any] | None, kind: str, target: Any) -> dict[str, Any] | None:
    """The kept refusal when it is of this form (``kind``) for this record (``target``)."""
    if failed and failed.get("kind") == kind and failed.get("target") == str(target):
        return failed
    return None


def rebind(form_class: Any, failed: dict[str, Any], **kwargs: Any) -> Any:
    """The form that failed, with what was typed and the reasons next to its fields."""
    data = QueryDict(mutable=True)
    for key, values in failed["data"].items():
        data.setlist(key, values)
    form = form_class(data, **kwargs)
    form.is_valid()
    rest = {k: v for k, v in failed["errors"].items() if k not in form.errors}
    if rest:
        show_service_errors(form, ValidationError(rest))
    elif not form.errors and failed["lines"]:
        form.add_error(None, " ".join(failed["lines"]))
    return form


# --- A page behind a personal link (meeting answers, questionnaires) ------------------------
#: Never the path (with the token) in a Referer. Not "no-referrer": under it browsers send
#: ``Origin: null`` with a form POST, which Django's CSRF check refuses.
LINK_PAGE_REFERRER_POLICY = "strict-origin"


def private_link_response(response: HttpResponse) -> HttpResponse:
    """The URL holds a secret: keep it out of caches, search engines and other sites' logs."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = LINK_PAGE_REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
