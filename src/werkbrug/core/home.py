"""Role home pages built from panels. Each app registers the panels it contributes:

    home.register_panel(Panel(key="my_employers", title=_("My employers"),
                              roles={Role.RELATIONSHIP_MANAGER}, template="employers/panel.html",
                              context=my_employers_context, order=10))

The home view picks the user's primary role (``roles.HOME_PRIORITY``; a user holding several
roles can switch) and renders that role's panels in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

from werkbrug.core.access import Actor
from werkbrug.core.roles import HOME_PRIORITY

PanelContext = Callable[[HttpRequest, Actor], dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    roles: frozenset[str]
    template: str
    context: PanelContext = field(default=lambda request, actor: {})
    order: int = 100
    wide: bool = False


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def primary_role(actor: Actor, requested: str | None = None) -> str | None:
    if requested and requested in actor.roles:
        return requested
    return next((role for role in HOME_PRIORITY if role in actor.roles), None)


def panels_for(role: str | None) -> list[Panel]:
    if role is None:
        return []
    return sorted((p for p in _PANELS.values() if role in p.roles), key=lambda p: p.order)
