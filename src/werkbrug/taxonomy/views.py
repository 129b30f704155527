"""Look-ups for form autocompletion: occupations and tasks/skills matching ``?q=``, as JSON.

    GET /taxonomie/beroepen/?q=magazijn  -> [{"uuid": ..., "label": ..., "isco_code": ...}]
    GET /taxonomie/taken/?q=orders      -> [{"uuid": ..., "label": ..., "kind": ...}]

``limit`` (optional, at most 50) sets the number of results (default 20).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from werkbrug.core.views_base import access_rule
from werkbrug.taxonomy import selectors

DEFAULT_LIMIT = 20


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", DEFAULT_LIMIT)), selectors.MAX_LIMIT))
    except ValueError:
        return DEFAULT_LIMIT


def _json(rows: list[dict[str, str]]) -> JsonResponse:
    response = JsonResponse(rows, safe=False)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@access_rule("taxonomy.lookup")
def skill_lookup(request: HttpRequest) -> JsonResponse:
    skills = selectors.search_skills(
        request.GET.get("q", ""),
        _limit(request),
        actor=request.actor,  # type: ignore[attr-defined]
    )
    return _json([{"uuid": str(s.uuid), "label": s.label, "kind": s.kind} for s in skills])


@require_GET
@access_rule("taxonomy.lookup")
def occupation_lookup(request: HttpRequest) -> JsonResponse:
    occupations = selectors.search_occupations(
        request.GET.get("q", ""),
        _limit(request),
        actor=request.actor,  # type: ignore[attr-defined]
    )
    return _json(
        [{"uuid": str(o.uuid), "label": o.label, "isco_code": o.isco_code} for o in occupations]
    )


urlpatterns = [
    path("taxonomie/taken/", skill_lookup, name="skill_lookup"),
    path("taxonomie/beroepen/", occupation_lookup, name="occupation_lookup"),
]
