"""Home-page panels of the employer register (see core/home.py): the relationship manager's
employers, tasks and open questions, and the team lead's contact-norm overview."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.core.home import Panel, register_panel
from werkbrug.core.roles import Role

TASKS_SHOWN = 8
QUESTIONS_SHOWN = 5


def _my_employers(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.employers import selectors

    if actor.staff_id is None:
        return {"total": 0}
    mine = selectors.employers(actor=actor, flt=selectors.EmployerFilter(owner_id=actor.staff_id))
    cold = selectors.employers(
        actor=actor, flt=selectors.EmployerFilter(owner_id=actor.staff_id, relation="koud")
    )
    below = selectors.overdue_contact_norm_counts(actor=actor, owner_ids=[actor.staff_id])
    return {
        "total": mine.count(),
        "cold": cold.count(),
        "below_norm": below.get(actor.staff_id, 0),
    }


def _my_tasks(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.employers import selectors
    from werkbrug.employers.views import task_rows

    today = timezone.localdate()
    tasks = list(
        selectors.tasks_for(actor=actor, staff_id=actor.staff_id, on=today)[: TASKS_SHOWN + 1]
    )
    return {
        "rows": task_rows(tasks[:TASKS_SHOWN], actor=actor, today=today),
        "more": len(tasks) > TASKS_SHOWN,
    }


def _open_questions(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.employers import selectors

    if actor.staff_id is None:
        return {"rows": [], "total": 0}
    items = selectors.open_questions(actor=actor, assigned_ids=[actor.staff_id])
    now = timezone.now()
    return {
        "rows": [{"item": i, "overdue": i.due < now} for i in items[:QUESTIONS_SHOWN]],
        "total": len(items),
        "overdue": sum(1 for i in items if i.due < now),
    }


def _team_norm(request: HttpRequest, actor: access.Actor) -> dict[str, Any]:
    from werkbrug.employers import selectors
    from werkbrug.employers.forms import EMPLOYER_SERVICE_ROLES
    from werkbrug.regions import selectors as region_selectors

    members = list(region_selectors.team_members(actor=actor, team_id=actor.team_id))
    counts = selectors.overdue_contact_norm_counts(actor=actor, owner_ids=[m.pk for m in members])
    rows = [
        {"staff": m, "count": counts.get(m.pk, 0)}
        for m in members
        if counts.get(m.pk) or set(m.role_codes) & set(EMPLOYER_SERVICE_ROLES)
    ]
    return {"rows": rows, "total": sum(counts.values())}


def register() -> None:
    rm = frozenset({Role.RELATIONSHIP_MANAGER})
    register_panel(
        Panel(
            key="employers_mine",
            title=_("My employers"),
            roles=rm,
            template="employers/panel_my_employers.html",
            context=_my_employers,
            order=11,
        )
    )
    register_panel(
        Panel(
            key="employers_tasks",
            title=_("My tasks today"),
            roles=rm,
            template="employers/panel_my_tasks.html",
            context=_my_tasks,
            order=12,
        )
    )
    register_panel(
        Panel(
            key="employers_questions",
            title=_("Open questions"),
            roles=rm,
            template="employers/panel_open_questions.html",
            context=_open_questions,
            order=13,
        )
    )
    register_panel(
        Panel(
            key="employers_team_norm",
            title=_("Team: contact norm"),
            roles=frozenset({Role.TEAM_LEAD}),
            template="employers/panel_team_norm.html",
            context=_team_norm,
            order=20,
        )
    )
