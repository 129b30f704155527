"""The home-page panel of an employer's contact person: their company, their contact person
and who stands in for them, and their open work with its status. It replaces the foundation's
placeholder panel with the same key ("employer"); ``register()`` is called from the employers
app's ``ready()``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.home import Panel, register_panel
from werkbrug.core.roles import Role


def employer_panel(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.employers import portal, selectors

    own = list(selectors.portal_employers(actor=actor))
    if not own:
        return {"linked": False}
    chosen = request.session.get(portal.SESSION_KEY, "")
    employer = next((e for e in own if str(e.uuid) == chosen), own[0])
    today = timezone.localdate()
    work = [
        portal.work_row(o, today=today)
        for o in selectors.opportunities(actor=actor)
        .filter(employer=employer, status__in=portal.OPEN_STATUSES)
        .select_related(None)[:5]
    ]
    return {
        "linked": True,
        "employer": employer,
        "companies": own,
        "contact": portal.contact_card(actor, employer, today=today),
        "open_work": work,
    }


def register() -> None:
    register_panel(
        Panel(
            key="employer",
            title=_("Your company"),
            roles=frozenset({Role.EMPLOYER_CONTACT}),
            template="core/panels/employer.html",
            context=employer_panel,
            order=10,
            wide=True,
        )
    )
