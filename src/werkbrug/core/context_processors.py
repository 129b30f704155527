from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from werkbrug.core import access, navigation


def werkbrug(request: HttpRequest) -> dict[str, Any]:
    actor = access.actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "menu": navigation.items_for(actor, request.path) if actor.is_authenticated else {},
        "demo_mode": settings.DEMO,
    }
