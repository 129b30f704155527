from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from werkbrug.accounts.services import needs_two_factor


def token_expired(token: Any, now: dt.datetime | None = None) -> bool:
    """API tokens live ``API_TOKEN_HOURS`` from when they were issued (a working day)."""
    age = (now or timezone.now()) - token.created
    return age >= dt.timedelta(hours=settings.API_TOKEN_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused (and deleted) once it has expired: a leaked token is of use for
    hours, not for ever. Ask POST /api/v1/auth/token for a new one."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("The token has expired; request a new one."))
        return user, token


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
