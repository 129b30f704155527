"""Home-page panel of placements (see core/home.py): "Aftercare today" for relationship
managers and client managers: the check-ins due of the placements they look after, and the
placements whose planned end is near (the moment to decide: extend, convert or a next step).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.home import Panel, register_panel
from werkbrug.core.roles import Role

SHOWN = 5


def _aftercare_today(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.placements import selectors
    from werkbrug.placements.models import AftercareCheck

    today = timezone.localdate()
    # The alert before an end is listed with the placements ending soon, not twice.
    due = selectors.checks_due(actor, staff_id=actor.staff_id, on=today).exclude(
        kind=AftercareCheck.Kind.BEFORE_END
    )
    ending = selectors.ending_soon(actor, on=today, staff_id=actor.staff_id)
    due_rows = list(due[:SHOWN])
    ending_rows = list(ending[:SHOWN])
    return {
        "due": [{"check": c, "overdue": c.due_on < today} for c in due_rows],
        "due_total": len(due_rows) if len(due_rows) < SHOWN else due.count(),
        "ending": ending_rows,
        "ending_total": len(ending_rows) if len(ending_rows) < SHOWN else ending.count(),
        "today": today,
    }


def register() -> None:
    register_panel(
        Panel(
            key="placements_aftercare",
            title=_("Aftercare today"),
            roles=frozenset({Role.RELATIONSHIP_MANAGER, Role.CLIENT_MANAGER}),
            template="placements/panel_aftercare.html",
            context=_aftercare_today,
            order=12,
        )
    )
