"""The home-page panels of the foundation. Later apps register more (see core/home.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.home import Panel, register_panel
from werkbrug.core.roles import STAFF_ROLES, Role

ALL_ROLES = frozenset(Role.values)


def _welcome(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.regions import services as region_services
    from werkbrug.regions.models import Staff

    staff = (
        Staff.objects.select_related("organisation", "municipality", "team", "substitute__user")
        .filter(pk=actor.staff_id)
        .first()
    )
    today = timezone.localdate()
    away = staff.is_away_on(today) if staff else False
    return {
        "today": today,
        "staff": staff,
        "away": away,
        "covered_by": region_services.acting_for(staff, on=today) if staff and away else None,
    }


def _admin(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.core import selectors
    from werkbrug.core.selectors import AuditFilter
    from werkbrug.regions import selectors as region_selectors

    return {
        "counts": {
            "staff": region_selectors.staff_list(actor=actor).count(),
            "organisations": region_selectors.organisations(actor=actor).count(),
            "municipalities": region_selectors.municipalities(
                actor=actor, include_ended=False
            ).count(),
            "teams": region_selectors.teams(actor=actor).count(),
            "staff_without_2fa": _staff_without_2fa(actor),
        },
        "recent_changes": list(selectors.change_log(actor=actor, flt=AuditFilter())[:8]),
    }


def _staff_without_2fa(actor: access.Actor) -> int:
    """Active staff who still have to link an authenticator app (demo accounts, which are
    exempt in demo mode, are not counted then)."""
    from django.conf import settings

    from werkbrug.regions import selectors as region_selectors

    queryset = (
        region_selectors.staff_list(actor=actor)
        .filter(active=True)
        .exclude(user__totpdevice__confirmed=True)
    )
    if settings.DEMO:
        queryset = queryset.exclude(user__is_demo=True)
    return queryset.count()


def _team(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.regions import selectors as region_selectors
    from werkbrug.regions import services as region_services

    today = timezone.localdate()
    members = list(region_selectors.team_members(actor=actor, team_id=actor.team_id))
    return {
        "members": [
            {
                "staff": m,
                "away": m.is_away_on(today),
                "covered_by": region_services.acting_for(m, on=today)
                if m.is_away_on(today)
                else None,
            }
            for m in members
        ],
    }


def _jobs(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.core import selectors

    return {"jobs": list(selectors.my_jobs(actor=actor)[:5])}


def register() -> None:
    register_panel(
        Panel(
            key="welcome",
            title=_("Today"),
            roles=ALL_ROLES,
            template="core/panels/welcome.html",
            context=_welcome,
            order=0,
            wide=True,
        )
    )
    # The relationship manager's employers, tasks and questions are panels of the employers
    # app (employers/panels.py); this one keeps the place of the candidates until they exist.
    register_panel(
        Panel(
            key="my_work",
            title=_("My candidates"),
            roles=frozenset({Role.RELATIONSHIP_MANAGER}),
            template="core/panels/my_work.html",
            order=14,
        )
    )
    register_panel(
        Panel(
            key="my_caseload",
            title=_("My caseload"),
            roles=frozenset({Role.CLIENT_MANAGER}),
            template="core/panels/my_caseload.html",
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="team",
            title=_("My team"),
            roles=frozenset({Role.TEAM_LEAD}),
            template="core/panels/team.html",
            context=_team,
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="admin",
            title=_("Users and settings"),
            roles=frozenset({Role.FUNCTIONAL_ADMIN}),
            template="core/panels/admin.html",
            context=_admin,
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="research",
            title=_("Research"),
            roles=frozenset({Role.RESEARCHER}),
            template="core/panels/research.html",
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="uwv",
            title=_("Regional cooperation"),
            roles=frozenset({Role.UWV_PARTNER}),
            template="core/panels/uwv.html",
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="employer",
            title=_("Your company"),
            roles=frozenset({Role.EMPLOYER_CONTACT}),
            template="core/panels/employer.html",
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="candidate",
            title=_("Your route to work"),
            roles=frozenset({Role.CANDIDATE}),
            template="core/panels/candidate.html",
            order=10,
            wide=True,
        )
    )
    register_panel(
        Panel(
            key="jobs",
            title=_("My background jobs"),
            roles=frozenset(STAFF_ROLES),
            template="core/panels/jobs.html",
            context=_jobs,
            order=90,
        )
    )
