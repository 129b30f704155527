"""POST /api/v1/auth/token: exchange user name, password (and TOTP code for staff) for a token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from werkbrug.accounts.services import needs_two_factor
from werkbrug.api.authentication import token_expired
from werkbrug.api.problems import problem
from werkbrug.core import ratelimit

SCOPE = "token"


class TokenThrottle(BaseThrottle):
    """``RATE_LIMITS["token"]`` per client address, counted in the shared rate-limit cache
    (core.ratelimit): the same count in every worker. A refused request is answered 429 with
    ``Retry-After``; a wrong password or code costs ``RATELIMIT_FAILURE_COST`` (TokenView)."""

    def __init__(self) -> None:
        self.decision: ratelimit.Decision | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        self.decision = ratelimit.check(request, SCOPE)
        if not self.decision.allowed:
            return False
        ratelimit.add(request, SCOPE)
        return True

    def wait(self) -> float | None:
        return float(self.decision.retry_after) if self.decision is not None else None

    def get_ident(self, request: Any) -> str:
        return ratelimit.client_ip(request)


def _failed(request: Any, status: int, title: str, detail: str, **extra: Any) -> Any:
    """A refused log-in: it counts as a failed attempt against the token rate limit."""
    ratelimit.add(request, SCOPE, ratelimit.failure_cost() - 1)
    return problem(status, title, detail, **extra)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text="After this moment, request a new token.")


class TokenView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="Invalid input (problem+json)"),
            401: OpenApiResponse(description="Wrong credentials or code (problem+json)"),
        },
        auth=[],
        summary="Obtain an API token",
    )
    def post(self, request: Any) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(
            request=request._request, username=data["username"], password=data["password"]
        )
        if user is None or not user.is_active:
            return _failed(
                request, 401, _("Not authenticated"), _("User name or password is incorrect.")
            )
        if needs_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                return _failed(
                    request,
                    401,
                    _("Not authenticated"),
                    _("Set up two-factor authentication in the web application first."),
                )
            if not data.get("otp"):
                return _failed(
                    request,
                    401,
                    _("Not authenticated"),
                    _("A code from your authenticator app is required."),
                    invalid_params=[{"name": "otp", "reason": _("This field is required.")}],
                )
            allowed, _info = device.verify_is_allowed()
            if not allowed or not device.verify_token(data["otp"]):
                return _failed(request, 401, _("Not authenticated"), _("The code is not correct."))
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):  # a new log-in after the old token ran out: a new token
            token.delete()
            token = Token.objects.create(user=user)
        expires = token.created + dt.timedelta(hours=settings.API_TOKEN_HOURS)
        return Response(TokenResponseSerializer({"token": token.key, "expires_at": expires}).data)
