"""OpenAPI descriptions for Werkbrug's own authentication classes, and the error answers every
operation can give.

Every error of the API is an RFC 9457 problem (``werkbrug.api.problems``); ``ProblemAutoSchema``
documents them where they can happen, so a client (and schemathesis) knows every status code an
operation may answer and what its body looks like:

- 400 when the operation takes a body or query parameters (invalid input, fields named),
- 401 and 403 when it needs a log-in (no or a wrong token; a role without the permission),
- 404 when it has a path parameter (not found, or outside the caller's scope) or a page number,
- 429 when it is throttled.

A response an operation declares itself keeps its description; it gets the problem body when it
declares none.

A read-only field of a model serializer answers what the model holds, but DRF drops
``allow_blank`` from read-only fields and a declared read-only relation does not know its
foreign key may be empty; the schema takes both from the model field, so a choice left blank
("") or a relation not set (null) is documented.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from werkbrug.api.problems import PROBLEM_CONTENT_TYPE


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "werkbrug.api.authentication.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The field (or __all__), e.g. cbs_code or rows[3].bsn.")
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem; operations may add members of their own (e.g. the current version)."""

    type = serializers.CharField(
        help_text="A URI naming the kind of problem; about:blank when the status says it all."
    )
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    invalid_params = InvalidParamSerializer(many=True, required=False)


PROBLEM_DESCRIPTIONS = {
    "400": "Problem details: invalid input, with the fields that are wrong.",
    "401": "Problem details: not logged in, or the token is not valid.",
    "403": "Problem details: you lack the permission.",
    "404": "Problem details: not found, or outside your scope.",
    "429": "Problem details: too many requests; try again after Retry-After seconds.",
}


def _model_field(field: serializers.Field) -> Any:
    """The model field a serializer field reads directly (``source`` without dots), if any."""
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        model_field = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    return model_field if getattr(model_field, "concrete", False) else None


class ProblemAutoSchema(AutoSchema):
    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False):  # type: ignore[no-untyped-def]
        if isinstance(field, serializers.Field) and field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                blank = (
                    model_field.blank
                    and isinstance(model_field, models.CharField | models.TextField)
                    and isinstance(field, serializers.CharField | serializers.ChoiceField)
                    and not getattr(field, "allow_blank", True)
                )
                null = model_field.null and not field.allow_null
                if blank or null:
                    field = copy.copy(field)
                    if blank:
                        field.allow_blank = True
                    if null:
                        field.allow_null = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if operation.get("security"):
            codes += ["401", "403"]
        if any(p["in"] == "path" for p in parameters) or any(
            p["in"] == "query" and p["name"] == "page" for p in parameters
        ):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        problem = {
            PROBLEM_CONTENT_TYPE: {
                "schema": self.resolve_serializer(ProblemSerializer, "response").ref
            }
        }
        responses = operation["responses"]
        for code in codes:
            responses.setdefault(code, {"description": PROBLEM_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.startswith("4") and not response.get("content"):
                response["content"] = problem
        operation["responses"] = dict(sorted(responses.items()))
        return operation


class OneObjectSchema(ProblemAutoSchema):
    """For a ``list`` action that answers one object (a report), not a list of them."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False
