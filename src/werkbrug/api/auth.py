"""POST /api/v1/auth/token: exchange user name, password (and TOTP code for staff) for a token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from werkbrug.accounts.services import needs_two_factor
from werkbrug.api.problems import problem


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


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
            return problem(401, _("Not authenticated"), _("User name or password is incorrect."))
        if needs_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                return problem(
                    401,
                    _("Not authenticated"),
                    _("Set up two-factor authentication in the web application first."),
                )
            if not data.get("otp"):
                return problem(
                    401,
                    _("Not authenticated"),
                    _("A code from your authenticator app is required."),
                    invalid_params=[{"name": "otp", "reason": _("This field is required.")}],
                )
            allowed, _info = device.verify_is_allowed()
            if not allowed or not device.verify_token(data["otp"]):
                return problem(401, _("Not authenticated"), _("The code is not correct."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
