"""Staff must pass two-factor authentication before they see anything."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts.services import needs_two_factor

ALLOWED_PREFIXES = (
    "/inloggen/",
    "/uitloggen/",
    "/static/",
    "/health",
    "/i18n/",
    "/api/",  # the API checks verification itself (api.authentication)
)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(ALLOWED_PREFIXES)
            and needs_two_factor(user)
        ):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:verify")
            return redirect("accounts:setup_2fa")
        return self.get_response(request)
