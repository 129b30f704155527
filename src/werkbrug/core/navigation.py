"""The main menu. Apps register their entries in ``AppConfig.ready``; the layout shows each
user only the entries whose permission they hold."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from werkbrug.core import access


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100
    section: str = "main"  # main | beheer


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if any(existing.url_name == item.url_name for existing in _ITEMS):
            continue  # ready() may run twice in tests
        _ITEMS.append(item)


def items_for(actor: access.Actor, current_path: str) -> dict[str, list[dict[str, object]]]:
    menu: dict[str, list[dict[str, object]]] = {"main": [], "beheer": []}
    for item in sorted(_ITEMS, key=lambda i: (i.order, str(i.label))):
        if not access.can(actor, item.permission):
            continue
        url = reverse(item.url_name)
        active = current_path == url or (url != "/" and current_path.startswith(url))
        menu[item.section].append({"label": item.label, "url": url, "active": active})
    return menu
