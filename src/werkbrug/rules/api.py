"""API of the rule sets: the dated tables of amounts, percentages and durations Werkbrug
calculates with, each rule with its source.

* ``GET rule-sets``: the national sets and the caller's region's own, newest first (the order
  in which the set in force on a day is chosen); ``in_force`` marks the one that holds today
  for the caller's region.
* ``GET rule-sets/{uuid}``: one set with its values (strings, so no digit is lost), the source
  of each rule, and per rule its label, group, unit and whether the source documents give it
  (``in_source`` false: configuration, to be checked).
* ``POST rule-sets``: add a set (``rules.manage``), national or for the caller's own region.
  A set is never changed or deleted once saved: calculations refer to the set of their date;
  a correction is a new set from a date. A wrong value is a 400 naming ``values.<rule>``.

The rules live in ``rules.services`` and ``rules.selectors``; the viewset only translates
HTTP. A set of another region is 404; a missing permission is 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.core import access
from werkbrug.employers.api import _ApiViewSet
from werkbrug.rules import parameters, selectors, services
from werkbrug.rules.models import RuleSet

VIEW = "rules.view"
MANAGE = "rules.manage"
UNITS = sorted({p.unit for p in parameters.PARAMETERS})

NOT_FOUND = OpenApiResponse(description="Problem details: not found, or outside your scope.")
FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the fields "
    "(`values.<rule>` for a wrong value, `sources.<rule>` for a source)."
)


# --- Shapes ---------------------------------------------------------------------------------


class RuleSetRegionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class RuleSetRuleSerializer(serializers.Serializer):
    """One rule of a set, with what it is."""

    name = serializers.CharField(help_text="The rule's name (a key of `values`).")
    label = serializers.CharField(help_text="What it is, in Dutch.")
    group = serializers.CharField(help_text="The group it is shown in, in Dutch.")
    unit = serializers.ChoiceField(choices=UNITS)
    in_source = serializers.BooleanField(
        help_text="False: the source documents give no value; it is configuration, to be "
        "checked against the law and the agreements in force."
    )
    minimum = serializers.CharField(help_text="The lowest value allowed (a decimal string).")
    maximum = serializers.CharField(
        allow_null=True, help_text="The highest value allowed; null: no maximum."
    )
    value = serializers.CharField(help_text="A decimal string with a point, e.g. 1594.20.")
    source = serializers.CharField(help_text="Where this value comes from; may be empty.")


def _rules(rule_set: RuleSet) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "label": p.label_nl,
            "group": p.group_nl,
            "unit": p.unit,
            "in_source": p.in_source,
            "minimum": str(p.minimum),
            "maximum": None if p.maximum is None else str(p.maximum),
            "value": str(rule_set.values.get(p.name, "")),
            "source": rule_set.sources.get(p.name, ""),
        }
        for p in parameters.PARAMETERS
    ]


class RuleSetSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    valid_from = serializers.DateField(
        help_text="The set holds from this day until a newer set of the same scope starts."
    )
    national = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    source = serializers.CharField(help_text="Where the rules of this set come from.")
    created_at = serializers.DateTimeField()

    @extend_schema_field(
        serializers.BooleanField(
            help_text="The scope: true for national rules (every region), false for the rules "
            "of one region (`region`), which go before the national ones from their date."
        )
    )
    def get_national(self, rule_set: RuleSet) -> bool:
        return rule_set.region_id is None

    @extend_schema_field(
        RuleSetRegionSerializer(allow_null=True, help_text="The region; null for national rules.")
    )
    def get_region(self, rule_set: RuleSet) -> dict[str, Any] | None:
        region = rule_set.region
        return None if region is None else {"uuid": region.uuid, "name": region.name}

    @extend_schema_field(
        serializers.BooleanField(help_text="This is the set that holds today in your region.")
    )
    def get_in_force(self, rule_set: RuleSet) -> bool:
        current = self.context.get("in_force")
        return current is not None and current.pk == rule_set.pk


class RuleSetDetailSerializer(RuleSetSerializer):
    notes = serializers.CharField(help_text="What changed compared with the set before.")
    values = serializers.DictField(
        child=serializers.CharField(),
        help_text="Rule name → value, a decimal string with a point (no digit is lost).",
    )
    sources = serializers.DictField(
        child=serializers.CharField(), help_text="Rule name → where its value comes from."
    )
    rules = serializers.SerializerMethodField()

    @extend_schema_field(
        RuleSetRuleSerializer(many=True, help_text="Every rule, in the order of the form.")
    )
    def get_rules(self, rule_set: RuleSet) -> list[dict[str, Any]]:
        return RuleSetRuleSerializer(_rules(rule_set), many=True).data


class RuleSetWriteSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    valid_from = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="From this day on it holds."
    )
    national = serializers.BooleanField(
        help_text="The scope: true for national rules (every region), false for your own "
        "region only."
    )
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The law, regulation or publication the rules come from.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="Every rule's value: rule name → a decimal string (point or comma) or a "
        "number. All rules are required; see `rules` of a rule set for the names.",
    )
    sources = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="Rule name → where its value comes from (optional per rule).",
    )


WRITE_FIELDS = frozenset(RuleSetWriteSerializer().fields)


def _api_errors(error: DjangoValidationError) -> ValidationError:
    """The service names a rule's value by the rule and its source as ``<rule>_source``; the
    API body has them under ``values`` and ``sources``."""
    if not hasattr(error, "error_dict"):
        return ValidationError({"__all__": error.messages})
    out: dict[str, list[str]] = {}
    for name, found in error.message_dict.items():
        if name in parameters.BY_NAME:
            key = f"values.{name}"
        elif name.endswith(services.SOURCE_SUFFIX) and (
            name.removesuffix(services.SOURCE_SUFFIX) in parameters.BY_NAME
        ):
            key = f"sources.{name.removesuffix(services.SOURCE_SUFFIX)}"
        elif name == "region":
            key = "national"
        elif name in WRITE_FIELDS or name == "__all__":
            key = name
        else:  # an unknown rule sent in values
            key = f"values.{name}"
        out.setdefault(key, []).extend(found)
    return ValidationError(out)


# --- The viewset ----------------------------------------------------------------------------


class RuleSetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ApiViewSet
):
    queryset = RuleSet.objects.none()
    serializer_class = RuleSetSerializer
    permission_map = {"list": VIEW, "retrieve": VIEW, "create": MANAGE}

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return RuleSetWriteSerializer
        return RuleSetDetailSerializer if self.action == "retrieve" else RuleSetSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        try:
            context["in_force"] = selectors.rule_set_on(
                timezone.localdate(), self.actor().region_id
            )
        except selectors.NoRules:
            context["in_force"] = None
        return context

    def get_queryset(self) -> QuerySet[RuleSet]:
        actor = self.actor()
        return access.scoped(selectors.rule_sets(actor.region_id), actor).select_related("region")

    def get_object(self) -> RuleSet:
        return access.get_for_view(
            self.get_queryset(), self.actor(), self.kwargs["uuid"], purpose="API: rule set"
        )

    @extend_schema(
        summary="Rule sets",
        description="The national rule sets and your region's own, newest first (on the same "
        "date the region's own first): the order in which the set in force on a day is "
        "chosen. `in_force` marks the set that holds today in your region.",
        responses={200: RuleSetSerializer(many=True), 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One rule set",
        description="Its values (decimal strings), the source of each rule and, per rule, "
        "what it is (`rules`). A rule with `in_source` false is configuration, to be checked.",
        responses={200: RuleSetDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object(), serializer_class=RuleSetDetailSerializer)

    @extend_schema(
        summary="Add a rule set",
        description="National (`national`: true) or for your own region (`national`: false), from "
        "`valid_from`. Every rule needs a value; every problem is named at once "
        "(`values.<rule>`, `valid_from`, ...). One set per scope per day: a second one is "
        "refused, naming `valid_from`. A rule set is never changed or deleted once saved "
        "(calculations refer to the set of their date): a correction is a new set from a date.",
        request=RuleSetWriteSerializer,
        responses={201: RuleSetDetailSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        if not data["national"] and actor.region_id is None:
            raise ValidationError({"national": [_("You work for no region: add national rules.")]})
        rule_set = RuleSet(
            name=data["name"],
            valid_from=data["valid_from"],
            region_id=None if data["national"] else actor.region_id,
            source=data["source"],
            notes=data["notes"],
        )
        try:
            saved = services.save_rule_set(
                actor=actor, rule_set=rule_set, values=data["values"], sources=data["sources"]
            )
        except DjangoValidationError as error:
            raise _api_errors(error) from error
        return self.respond(
            self.get_queryset().get(pk=saved.pk),
            status=201,
            serializer_class=RuleSetDetailSerializer,
        )


def register(router: SimpleRouter) -> None:
    router.register("rule-sets", RuleSetViewSet, basename="rule-set")
