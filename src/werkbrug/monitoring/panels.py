"""Home-page panel of the monitoring app (see core/home.py): "Targets behind" for team leads
and researchers: the running targets that will not be met at the current pace, with the
sentence that says by how much, so a falling-behind project is seen early."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.home import Panel, register_panel
from werkbrug.core.roles import Role

SHOWN = 5


def _targets_behind(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.monitoring import selectors, targets

    today = timezone.localdate()
    behind = []
    running = 0
    for programme in selectors.programmes(actor).filter(start_on__lte=today, end_on__gt=today):
        for row in selectors.target_rows(actor, programme, on=today):
            if row.target.end_on <= today:
                continue
            running += 1
            if not row.no_data and row.attainment.status == targets.TargetStatus.BEHIND:
                behind.append({"programme": programme, "row": row})
    return {"behind": behind[:SHOWN], "total": len(behind), "running": running}


def register() -> None:
    register_panel(
        Panel(
            key="monitoring_targets_behind",
            title=_("Targets behind"),
            roles=frozenset({Role.TEAM_LEAD, Role.RESEARCHER}),
            template="monitoring/panel_targets.html",
            context=_targets_behind,
            order=14,
        )
    )
