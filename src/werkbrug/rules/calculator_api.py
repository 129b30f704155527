"""API of "Wat kost het mij?".

* ``POST calculator``: the employer's monthly wage cost for one job, before and after the
  instruments, over the first months, with the rule set it was calculated with and the
  advisor's "which instruments fit?". Nothing is stored; the answer is 200.

The calculation is the page's (``cost_sheet.calculate``: the rule set valid on
``start_date`` for the caller's region, the pure calculator, the advisor). A situation the
calculator refuses is a 400 problem whose ``invalid_params`` name the field, as the page
shows it next to the field. Amounts are strings with two decimals (no floating point).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.employers.api import _ApiViewSet
from werkbrug.rules import cost_sheet
from werkbrug.rules.calculator import CalculationError, LkvGroup, Situation
from werkbrug.rules.calculator_forms import facts_for

CALCULATE = "rules.calculate"

FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the fields (a "
    "problem with the start date, such as no rules yet on that day, names `start_date`)."
)


def _amount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs
    )


# --- The question ---------------------------------------------------------------------------


class CalculatorFactsSerializer(serializers.Serializer):
    """What is known of the person, for the advisor. A loonwaarde or forfait counts as the
    target group for wage cost subsidy; the LKV group banenafspraak as the register."""

    in_lks_target_group = serializers.BooleanField(
        default=False, help_text="Doelgroep loonkostensubsidie (set by the municipality)."
    )
    in_banenafspraak_register = serializers.BooleanField(
        default=False, help_text="In het doelgroepregister banenafspraak."
    )
    beschut_werk = serializers.BooleanField(default=False, help_text="Beschut werk.")
    disability_benefit = serializers.BooleanField(
        default=False, help_text="A Wajong, WIA, WAO or WAZ benefit."
    )
    ao_pct_after_two_years = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="Percentage arbeidsongeschikt after two years of illness, if known.",
    )
    participatiewet = serializers.BooleanField(default=False)
    large_distance = serializers.BooleanField(
        default=False, help_text="Grote afstand tot de arbeidsmarkt."
    )


class CalculatorSituationSerializer(serializers.Serializer):
    start_date = serializers.DateField(
        required=False,
        help_text="The first day of the job; the rules valid on it are used. Default: today.",
    )
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="Hours per week, more than 0 and at most 60."
    )
    wage_pct_of_wml = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(100),
        help_text="The wage as a percentage of the statutory minimum wage (100-500).",
    )
    loonwaarde_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="The assessed loonwaarde (0-100); null: no wage cost subsidy after a forfait.",
    )
    forfait = serializers.BooleanField(
        default=False,
        help_text="Forfaitaire loonkostensubsidie in the first months, before the assessment.",
    )
    lkv_group = serializers.ChoiceField(
        choices=[g.value for g in LkvGroup if g.value],
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="The target group of the loonkostenvoordeel; empty or null: none.",
    )
    age = serializers.IntegerField(
        min_value=0,
        max_value=120,
        required=False,
        allow_null=True,
        help_text="Needed for the LKV for an older employee and the participatieplaats.",
    )
    months = serializers.IntegerField(
        default=36, help_text="Calculate over this many months (1-120)."
    )
    facts = CalculatorFactsSerializer(required=False)


# --- The answer -----------------------------------------------------------------------------


class CalculatorRuleSetSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    valid_from = serializers.DateField()
    source = serializers.CharField()


class CalculatorLineSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="wage, holiday_pay, employer_costs (costs); lks, lkv, liv (reliefs)."
    )
    label = serializers.CharField(source="label_nl", help_text="In Dutch.")
    per_month = _amount()
    explanation = serializers.CharField(source="explanation_nl", help_text="In Dutch.")
    rules = serializers.ListField(
        child=serializers.CharField(), help_text="The rule set's parameters it rests on."
    )


class CalculatorPeriodSerializer(serializers.Serializer):
    first_month = serializers.IntegerField()
    last_month = serializers.IntegerField()
    costs = CalculatorLineSerializer(many=True)
    reliefs = CalculatorLineSerializer(many=True)
    cost = _amount(help_text="Wage costs per month.")
    relief = _amount(help_text="What the instruments pay per month.")
    net = _amount(help_text="Wage costs minus the instruments, per month.")


class CalculatorYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cost = _amount()
    net = _amount(help_text="After the instruments.")


class CalculatorAdviceSerializer(serializers.Serializer):
    instrument = serializers.CharField(
        help_text="lks, forfaitaire_lks, lkv, liv, noriskpolis, jobcoach or participatieplaats."
    )
    label = serializers.CharField(source="label_nl")
    applies = serializers.BooleanField()
    why = serializers.CharField(source="why_nl")
    tell_employer = serializers.BooleanField(
        help_text="Tell the employer about it (the no-riskpolis: employers said nobody did)."
    )


class CalculationSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    rule_set = CalculatorRuleSetSerializer()
    periods = CalculatorPeriodSerializer(many=True, source="sheet.periods")
    year_totals = CalculatorYearSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField(), source="sheet.notes_nl")
    advice = CalculatorAdviceSerializer(many=True)


def _answer(calculation: cost_sheet.Calculation) -> dict[str, Any]:
    return CalculationSerializer(
        {
            "start_date": calculation.start_date,
            "rule_set": calculation.rule_set,
            "sheet": calculation.sheet,
            "year_totals": [
                {"year": year, "cost": cost, "net": net}
                for year, cost, net in calculation.sheet.year_totals()
            ],
            "advice": calculation.advice,
        }
    ).data


class CalculatorViewSet(_ApiViewSet):
    permission_map = {"create": CALCULATE}
    serializer_class = CalculatorSituationSerializer

    @extend_schema(
        summary="What does it cost?",
        description="The employer's monthly wage cost for one job, before and after the "
        "instruments (loonkostensubsidie, LKV, LIV), in periods of months with the same "
        "amounts, every line explained in Dutch with the rules it rests on; the totals per "
        "year; and which instruments fit the person. Calculated with the rule set valid on "
        "`start_date` (your region's own first). Nothing is stored.",
        request=CalculatorSituationSerializer,
        responses={200: CalculationSerializer, 400: INVALID, 403: FORBIDDEN},
        examples=[
            OpenApiExample(
                "24 hours, loonwaarde 60 %, banenafspraak",
                value={
                    "start_date": "2018-07-01",
                    "hours_per_week": "24",
                    "loonwaarde_pct": "60",
                    "lkv_group": "banenafspraak",
                    "months": 36,
                    "facts": {"in_banenafspraak_register": True},
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        situation = Situation(
            hours_per_week=data["hours_per_week"],
            wage_pct_of_wml=data["wage_pct_of_wml"],
            loonwaarde_pct=data.get("loonwaarde_pct"),
            forfait=data["forfait"],
            lkv_group=LkvGroup(data.get("lkv_group") or ""),
            age=data.get("age"),
            months=data["months"],
        )
        try:
            calculation = cost_sheet.calculate(
                region_id=self.actor().region_id,
                situation=situation,
                facts=facts_for(situation, dict(data.get("facts") or {})),
                start_date=data.get("start_date") or timezone.localdate(),
            )
        except CalculationError as error:
            raise serializers.ValidationError(
                {field: [message] for field, message in error.problems.items()}
            ) from None
        return Response(_answer(calculation))


def register(router: SimpleRouter) -> None:
    router.register("calculator", CalculatorViewSet, basename="calculator")
