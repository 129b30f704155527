from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication

from werkbrug.accounts.services import needs_two_factor


class VerifiedSessionAuthentication(SessionAuthentication):
    """Browser sessions count for the API only after two-factor verification."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if needs_two_factor(user) and not user.is_verified():
            return None
        return result
