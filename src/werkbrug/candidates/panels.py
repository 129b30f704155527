"""Home-page panels of the candidate caseload (see core/home.py): the client manager's
caseload, the relationship manager's candidates and the team lead's data quality.

They reuse the keys of the placeholders in core/panels.py ("my_caseload", "my_work"), so they
replace them (the candidates app is loaded after core)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.home import Panel, register_panel
from werkbrug.core.roles import Role

ALERTS_SHOWN = 5


def _my_caseload(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.candidates import selectors
    from werkbrug.candidates.models import JourneyStatus

    if actor.staff_id is None:
        return {"total": 0}
    mine = selectors.CaseloadFilter(mine=True)
    return {
        "total": selectors.caseload(actor=actor, flt=mine).count(),
        "incomplete": selectors.caseload(
            actor=actor, flt=selectors.CaseloadFilter(mine=True, incomplete=True)
        ).count(),
        "handed_over": selectors.caseload(
            actor=actor,
            flt=selectors.CaseloadFilter(mine=True, status=JourneyStatus.HANDED_OVER),
        ).count(),
        "returns": selectors.open_returns(actor=actor).filter(receiver_id=actor.staff_id).count(),
    }


def _my_candidates(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.candidates import selectors
    from werkbrug.candidates.models import JourneyStatus

    if actor.staff_id is None:
        return {"total": 0}
    mine = selectors.caseload(actor=actor, flt=selectors.CaseloadFilter(mine=True))
    return {
        "total": mine.count(),
        "new": mine.filter(consultant_id=actor.staff_id, status=JourneyStatus.HANDED_OVER).count(),
        "not_seen": selectors.caseload(
            actor=actor, flt=selectors.CaseloadFilter(mine=True, not_seen=True)
        ).count(),
        "alerts": list(
            selectors.episode_alerts(actor=actor).filter(candidate__consultant_id=actor.staff_id)[
                : ALERTS_SHOWN + 1
            ]
        ),
    }


def _quality(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.candidates import selectors

    counts = selectors.quality_counts(actor=actor)
    labels = {
        "onvolledig": _("Incomplete profiles"),
        "niet_gezien": _("Not seen for too long"),
        "geen_opleiding": _("Education missing"),
        "doelgroep_verlopen": _("Target group expired"),
        "termijn": _("Long in service"),
    }
    return {
        "rows": [
            {"check": check, "label": labels.get(check, check), "count": counts[check]}
            for check in selectors.QUALITY_CHECKS
        ],
        "total": sum(counts.values()),
    }


def register() -> None:
    register_panel(
        Panel(
            key="my_caseload",
            title=_("My caseload"),
            roles=frozenset({Role.CLIENT_MANAGER}),
            template="candidates/staff_panel_caseload.html",
            context=_my_caseload,
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="my_work",
            title=_("My candidates"),
            roles=frozenset({Role.RELATIONSHIP_MANAGER}),
            template="candidates/staff_panel_my_candidates.html",
            context=_my_candidates,
            order=14,
        )
    )
    register_panel(
        Panel(
            key="candidates_quality",
            title=_("Candidates: data quality"),
            roles=frozenset({Role.TEAM_LEAD}),
            template="candidates/staff_panel_quality.html",
            context=_quality,
            order=21,
        )
    )
