"""API permissions go through the same access layer as the web pages.

A viewset declares ``permission_map = {"list": "regions.view", "create": "regions.manage"}``;
an action missing from the map is denied (deny by default)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from werkbrug.core import access


class DenyByDefault(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        permission_map: dict[str, str] = getattr(view, "permission_map", {})
        action = getattr(view, "action", None) or request.method.lower()
        permission = permission_map.get(action)
        if permission is None:
            return False
        return access.can(access.actor_for(request.user), permission)
