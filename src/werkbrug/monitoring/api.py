"""API of monitoring: the KPI definitions, their values and the programmes with the
attainment of their targets. Read-only, for everyone with ``monitoring.view`` (counts,
never names).

* ``GET kpis`` (``?code=``): every KPI definition, every version (a KPI is code + version:
  definitions are code, not records, so they have no UUID); ``GET kpis/{code}``: the versions
  of one code, oldest first.
* ``GET kpi-values?kpi=K4``: one KPI per month, quarter or year for one cell of the caller's
  region (the region, a municipality, a team or a staff member), from the values computed
  every night; with ``by=gemeente`` also the municipalities side by side over the period.
* ``GET programmes``, ``GET programmes/{uuid}``: the region's programmes with their targets,
  each with its realisation, status, forecast and early warning, and the fee due.

The numbers come from ``monitoring.selectors`` (values pre-computed per month: a share over a
quarter is the sum of hits over the sum of cases, never an average of percentages; a stock is
its last month) and the rules of attainment from ``monitoring.targets``; the viewsets only
translate HTTP. Numbers are decimal strings, dates ISO 8601. A programme of another region is
404; a missing permission is 403; a bad parameter is a 400 naming it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.api.schema import OneObjectSchema
from werkbrug.core import access
from werkbrug.employers.api import _ApiViewSet
from werkbrug.monitoring import kpis, overview, selectors, targets
from werkbrug.monitoring.forms import year_range
from werkbrug.monitoring.kpis import Dimension, Kind, Kpi
from werkbrug.monitoring.models import Programme, TargetKind
from werkbrug.regions.api import ScopedRelatedField
from werkbrug.regions.models import Municipality, Region, Staff, Team

VIEW = "monitoring.view"

NOT_FOUND = OpenApiResponse(description="Problem details: not found, or outside your scope.")
FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the parameters."
)

#: The longest period one request may span.
MAX_YEARS = 30
#: English names of the granularities, accepted beside the Dutch ones.
GRANULARITY_ALIASES = {
    "month": selectors.Granularity.MONTH,
    "quarter": selectors.Granularity.QUARTER,
    "year": selectors.Granularity.YEAR,
}
NO_DATA = overview.NO_DATA  # "geen_gegevens"
TARGET_STATUSES = [*targets.TargetStatus, NO_DATA]


def _one_of(values: Any, help_text: str = "") -> str:
    return f"{help_text} One of: {', '.join(str(v) for v in values)}.".strip()


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    """A decimal as a string, with the digits it has (no rounding, no float)."""
    return serializers.DecimalField(
        max_digits=None, decimal_places=None, coerce_to_string=True, **kwargs
    )


def _plain(value: Decimal | None) -> Decimal | None:
    """Without trailing zeros (the values table stores four decimals): 3, 12.5."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def _text(value: Decimal | None) -> str | None:
    """A decimal string for a method field (the renderer would make a float of a Decimal)."""
    return None if value is None else f"{value:f}"


def _value(kpi: Kpi, value: Decimal | None) -> Decimal | None:
    """A count as a whole number; a share or mean with the one decimal it is rounded to."""
    if value is None:
        return None
    if kpi.kind == Kind.COUNT or (kpi.kind == Kind.STOCK and kpi.older_than_days is None):
        return _plain(value)
    return value


# --- KPI definitions ------------------------------------------------------------------------


class KpiPartSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The value of `part` in kpi-values.")
    label = serializers.CharField(help_text="What it is, in Dutch.")


class KpiSerializer(serializers.Serializer):
    """One version of a KPI definition."""

    code = serializers.CharField(help_text="K1, K6, D1-6, ... (see the domain guide §8).")
    version = serializers.IntegerField(help_text="A KPI is identified by code and version.")
    name = serializers.CharField(source="name_nl", help_text="The name, in Dutch.")
    definition = serializers.CharField(
        source="definition_nl", help_text="What is counted, in Dutch."
    )
    source = serializers.CharField(
        source="source_nl", help_text="The document and section the definition follows."
    )
    unit = serializers.CharField(help_text=_one_of(["aantal", "%", "dagen", "uren"]))
    kind = serializers.CharField(
        help_text=_one_of(
            list(Kind),
            "aantal: a count over the period; aandeel: a share in percent (hits over cases); "
            "gemiddelde: a mean; stand: a stock on the last day of the period.",
        )
    )
    grain = serializers.CharField(
        help_text=_one_of(
            list(kpis.Grain),
            "jaar: only meaningful per calendar year (never summed over months).",
        )
    )
    valid_from = serializers.DateField(
        allow_null=True, help_text="The definition holds from this day; null: from the start."
    )
    valid_to = serializers.DateField(
        allow_null=True,
        help_text="The first day it no longer holds (exclusive); null: it still holds.",
    )
    theme = serializers.CharField(help_text=_one_of(list(kpis.THEMES_NL), "The dashboard group."))
    breakdown = serializers.SerializerMethodField()
    higher_is_better = serializers.BooleanField()

    @extend_schema_field(
        KpiPartSerializer(
            many=True,
            help_text="The parts the value is split into (placements by kind, returns by "
            "reason); empty when it is not split.",
        )
    )
    def get_breakdown(self, kpi: Kpi) -> list[dict[str, str]]:
        return _breakdown(kpi)


def _breakdown(kpi: Kpi) -> list[dict[str, str]]:
    if not kpi.breakdown:
        return []
    return [{"name": name, "label": label} for name, label in overview.part_labels(kpi).items()]


class KpiVersionsSerializer(serializers.Serializer):
    code = serializers.CharField()
    versions = KpiSerializer(many=True, help_text="Every version of the code, oldest first.")


class KpiFilterSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=kpis.codes(), required=False, help_text="Only the versions of this code."
    )


class KpiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ApiViewSet):
    serializer_class = KpiSerializer
    filter_serializer_class = KpiFilterSerializer
    lookup_field = "code"
    permission_map = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self) -> list[Kpi]:  # type: ignore[override]
        code = self.filter_params().get("code") if self.action == "list" else None
        return [k for k in kpis.DEFINITIONS if not code or k.code == code]

    @extend_schema(
        summary="KPI definitions",
        description="Every KPI definition, every version, in the order of the dashboard: code "
        "and version, the Dutch name and definition, the source it follows, how it is measured "
        "and the dates it holds. A new version begins a trend break (WerkBedrijf redefined "
        "unique employer relations, K6, in 2020); both versions stay computable for any period.",
        parameters=[KpiFilterSerializer],
        responses={200: KpiSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One KPI, every version",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The KPI code."
            )
        ],
        responses={200: KpiVersionsSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        code = self.kwargs["code"]
        versions = kpis.for_code(code)
        if not versions:
            raise NotFound(_("There is no KPI with this code."))
        return Response(KpiVersionsSerializer({"code": code, "versions": versions}).data)


# --- KPI values -----------------------------------------------------------------------------


class KpiValuesParamsSerializer(serializers.Serializer):
    kpi = serializers.CharField(max_length=10, help_text="The KPI code (see kpis).")
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The definition version; without it, the version valid at the end of the period.",
    )
    municipality = ScopedRelatedField(
        Municipality, required=False, help_text="A municipality of your region (uuid)."
    )
    team = ScopedRelatedField(Team, required=False, help_text="A team of your region (uuid).")
    staff = ScopedRelatedField(
        Staff, required=False, help_text="A staff member of your region you may see (uuid)."
    )
    from_ = serializers.DateField(
        required=False,
        help_text="The first day (ISO date); without it, 1 January of the year of `to` (or of "
        "this year).",
    )
    to = serializers.DateField(
        required=False,
        help_text="The first day after the period (exclusive); without it, 1 January after "
        "`from`. Capped at the end of this month (nothing is counted ahead).",
    )
    granularity = serializers.ChoiceField(
        choices=[*selectors.Granularity.ALL, *GRANULARITY_ALIASES],
        default=selectors.Granularity.MONTH,
        help_text="Per maand (month), kwartaal (quarter) or jaar (year). A KPI measured per "
        "year only has yearly values.",
    )
    part = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="One part of a KPI that is split (its `breakdown`); without it, the whole.",
    )
    by = serializers.ChoiceField(
        choices=[Dimension.MUNICIPALITY.value],
        required=False,
        help_text="gemeente: also the municipalities side by side over the whole period "
        "(`municipalities`); only for the whole region.",
    )

    def get_fields(self) -> dict[str, Any]:
        # ``from`` is a Python keyword: declared as ``from_``, named ``from`` in the API.
        return {
            "from" if name == "from_" else name: field
            for name, field in super().get_fields().items()
        }

    def validate_kpi(self, value: str) -> str:
        if not kpis.for_code(value):
            raise serializers.ValidationError(_("There is no KPI with this code."))
        return value

    def validate_granularity(self, value: str) -> str:
        return GRANULARITY_ALIASES.get(value, value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        chosen = [name for name in ("municipality", "team", "staff") if attrs.get(name)]
        if len(chosen) > 1:
            message = _("Choose a municipality, a team or a staff member: one of them at a time.")
            raise serializers.ValidationError({name: [message] for name in chosen})
        if attrs.get("by") and chosen:
            raise serializers.ValidationError(
                {"by": [_("The municipalities side by side are shown for the whole region.")]}
            )
        start, end = _period(attrs.get("from"), attrs.get("to"))
        if attrs.get("to") and attrs["to"] <= start:
            raise serializers.ValidationError(
                {"to": [_("The end of the period comes after its start.")]}
            )
        if start >= end:
            raise serializers.ValidationError(
                {"from": [_("The period begins after this month: nothing is counted yet.")]}
            )
        if end.year - start.year > MAX_YEARS:
            raise serializers.ValidationError(
                {"from": [_("A period spans at most %(years)d years.") % {"years": MAX_YEARS}]}
            )
        code = attrs["kpi"]
        if "version" in attrs:
            kpi = kpis.get(code, attrs["version"])
            if kpi is None:
                raise serializers.ValidationError({"version": [_("This KPI has no such version.")]})
        else:
            kpi = kpis.current(code, end - dt.timedelta(days=1)) or kpis.for_code(code)[-1]
        part = attrs.get("part") or ""
        if part and not kpi.breakdown:
            raise serializers.ValidationError({"part": [_("This KPI is not split into parts.")]})
        if part and part not in {p["name"] for p in _breakdown(kpi)}:
            raise serializers.ValidationError({"part": [_("This KPI has no such part.")]})
        return {**attrs, "kpi": kpi, "part": part, "start": start, "end": end}


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """[from, to), by default this calendar year up to and including this month; ``to`` is
    capped at the end of this month, so no point lies in the future."""
    today = timezone.localdate()
    this_year, up_to = year_range(today.year, today)
    if start is None:
        start = this_year if end is None else dt.date((end - dt.timedelta(days=1)).year, 1, 1)
    if end is None:
        end = dt.date(start.year + 1, 1, 1)
    return start, min(end, up_to)


class KpiCellSerializer(serializers.Serializer):
    dimension = serializers.CharField(help_text=_one_of(list(Dimension)))
    uuid = serializers.UUIDField(
        allow_null=True, help_text="The municipality, team or staff member; null: the region."
    )
    name = serializers.CharField()


class KpiPointSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The first day of the month, quarter or year.")
    label = serializers.CharField(help_text="jan 2026, K1 2026, 2026.")
    numerator = _decimal(
        help_text="A count: the number; a share: the hits; a mean: the sum of the amounts; a "
        "stock: the number running (of those, the longer running for a share)."
    )
    denominator = _decimal(help_text="The number of cases (facts) behind the value.")
    value = _decimal(
        allow_null=True,
        help_text="What people read: a count, a percentage or a mean (one decimal); null when "
        "there is nothing to divide by.",
    )


class KpiMemberSerializer(KpiPointSerializer):
    start = None  # type: ignore[assignment]
    label = None  # type: ignore[assignment]
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class KpiValuesSerializer(serializers.Serializer):
    kpi = KpiSerializer(help_text="The definition (version) the values follow.")
    cell = KpiCellSerializer()
    start = serializers.DateField(help_text="The first day of the period (`from`).")
    end = serializers.DateField(help_text="The first day after the period (`to`, capped).")
    granularity = serializers.CharField(help_text=_one_of(selectors.Granularity.ALL))
    part = serializers.CharField(help_text="The part shown; empty: the whole.")
    trend_break = serializers.BooleanField(
        help_text="A new definition of this KPI begins inside the period: earlier and later "
        "points were counted differently."
    )
    points = KpiPointSerializer(many=True)
    municipalities = KpiMemberSerializer(
        many=True,
        allow_null=True,
        help_text="With `by=gemeente`: each municipality of the region over the whole period "
        "(a stock: its last month); else null.",
    )


def _cell(actor: access.Actor, params: dict[str, Any]) -> tuple[Dimension, int, Any]:
    if params.get("municipality"):
        found = params["municipality"]
        return Dimension.MUNICIPALITY, found.pk, {"uuid": found.uuid, "name": found.name}
    if params.get("team"):
        found = params["team"]
        return Dimension.TEAM, found.pk, {"uuid": found.uuid, "name": found.name}
    if params.get("staff"):
        found = params["staff"]
        return Dimension.STAFF, found.pk, {"uuid": found.uuid, "name": str(found)}
    region = access.scoped(Region, actor).filter(pk=actor.region_id).values_list("name").first()
    return Dimension.REGION, 0, {"uuid": None, "name": region[0] if region else ""}


def _amounts(kpi: Kpi, amount: kpis.Amount) -> dict[str, Any]:
    return {
        "numerator": _plain(amount.numerator),
        "denominator": _plain(amount.denominator),
        "value": _value(kpi, kpis.value_of(kpi, amount)),
    }


def _municipalities(
    actor: access.Actor, kpi: Kpi, *, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """The region's municipalities (those that still existed at the start) over the period;
    nothing stored for one means nothing counted (a count of 0)."""
    start = kpis.period_of(kpi, start)  # a year-grain KPI is stored on 1 January
    amounts = selectors.by_member(
        actor, kpi, dimension=Dimension.MUNICIPALITY, start=start, end=end
    )
    rows = (
        access.scoped(Municipality, actor)
        .filter(region_id=actor.region_id)
        .exclude(ended_on__lte=start)
        .order_by("name")
        .values_list("pk", "uuid", "name")
    )
    return [
        {"uuid": uuid, "name": name, **_amounts(kpi, amounts.get(pk, kpis.Amount()))}
        for pk, uuid, name in rows
    ]


class KpiValueViewSet(mixins.ListModelMixin, _ApiViewSet):
    serializer_class = KpiValuesSerializer
    filter_serializer_class = KpiValuesParamsSerializer
    pagination_class = None
    permission_map = {"list": VIEW}

    @extend_schema(
        summary="A KPI's values",
        description="One KPI per month, quarter or year for the whole region (default), a "
        "municipality, a team or a staff member of your region (one at a time), over "
        "[`from`, `to`) (default: this year up to and including this month). The values are "
        "computed every night from the records. Months add up: a count or mean over a quarter "
        "sums the months' numerators and denominators, a share is the hits over the cases "
        "(never an average of monthly percentages), a stock is its last month. The first and "
        "last point cover only the part of their period inside [`from`, `to`). `trend_break`: "
        "a new definition begins inside the period. With `by=gemeente` also each "
        "municipality over the whole period. Refused with a 400 naming the parameter for an "
        "unknown KPI, version or part, a cell outside your region, two cells at once, or "
        "`to` not after `from`.",
        parameters=[KpiValuesParamsSerializer],
        responses={200: KpiValuesSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = self.actor()
        if not actor.region_id:
            raise NotFound(_("You work for no region."))
        params = self.filter_params()
        kpi, start, end = params["kpi"], params["start"], params["end"]
        dimension, member, cell = _cell(actor, params)
        granularity = selectors.granularity_for(kpi, params["granularity"])
        points = selectors.series(
            actor,
            kpi,
            dimension=dimension,
            member=member,
            start=start,
            end=end,
            granularity=granularity,
            part=params["part"],
        )
        data = {
            "kpi": kpi,
            "cell": {"dimension": dimension, **cell},
            "start": start,
            "end": end,
            "granularity": granularity,
            "part": params["part"],
            "trend_break": kpis.trend_break(kpi.code, start, end),
            "points": [
                {"start": p.start, "label": p.label, **_amounts(kpi, p.amount)} for p in points
            ],
            "municipalities": _municipalities(actor, kpi, start=start, end=end)
            if params.get("by")
            else None,
        }
        return Response(KpiValuesSerializer(data).data)


# --- Programmes -----------------------------------------------------------------------------


class MonitoringRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class ProgrammeTargetSerializer(serializers.Serializer):
    """A target with its attainment (``selectors.TargetRow``)."""

    uuid = serializers.UUIDField(source="target.uuid")
    kpi = serializers.CharField(source="target.kpi", help_text="The KPI code.")
    kpi_version = serializers.SerializerMethodField()
    kpi_name = serializers.SerializerMethodField()
    municipality = serializers.SerializerMethodField()
    start_on = serializers.DateField(source="target.start_on")
    end_on = serializers.DateField(
        source="target.end_on", help_text="The first day after the period."
    )
    value = _decimal(source="target.value", help_text="The number to reach.")
    kind = serializers.CharField(
        source="target.kind",
        help_text=_one_of(TargetKind.values, "raming: a budget estimate, not a hard target."),
    )
    tolerance_pct = serializers.SerializerMethodField()
    realised = serializers.SerializerMethodField()
    observed = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    pct_of_target = serializers.SerializerMethodField()
    expected_now = serializers.SerializerMethodField()
    forecast = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.IntegerField(
            allow_null=True,
            help_text="The definition version measured (valid at the end of the period); null "
            "for a KPI Werkbrug does not compute (only imported figures count).",
        )
    )
    def get_kpi_version(self, row: selectors.TargetRow) -> int | None:
        return row.kpi.version if row.kpi else None

    @extend_schema_field(serializers.CharField(help_text="The KPI's name, in Dutch."))
    def get_kpi_name(self, row: selectors.TargetRow) -> str:
        return row.kpi.name_nl if row.kpi else row.target.kpi

    @extend_schema_field(
        MonitoringRefSerializer(allow_null=True, help_text="Null: the whole programme.")
    )
    def get_municipality(self, row: selectors.TargetRow) -> dict[str, Any] | None:
        found = row.target.municipality
        return None if found is None else {"uuid": found.uuid, "name": found.name}

    @extend_schema_field(
        _decimal(help_text="The tolerance that applies: the target's own or the programme's.")
    )
    def get_tolerance_pct(self, row: selectors.TargetRow) -> str | None:
        own = row.target.tolerance_pct
        return _text(own if own is not None else row.target.programme.tolerance_pct)

    @extend_schema_field(
        _decimal(help_text="Computed from the records (of the version measured) plus `observed`.")
    )
    def get_realised(self, row: selectors.TargetRow) -> str | None:
        return _text(_plain(row.realised))

    @extend_schema_field(
        _decimal(help_text="The part of `realised` from figures imported from outside Werkbrug.")
    )
    def get_observed(self, row: selectors.TargetRow) -> str | None:
        return _text(_plain(row.observed))

    @extend_schema_field(
        serializers.CharField(
            help_text=_one_of(
                TARGET_STATUSES,
                "behaald, binnen_tolerantie and niet_behaald once the period is over; op_koers "
                "or achter while it runs (judged on the forecast); geen_gegevens: nothing "
                "recorded or imported for a period before Werkbrug's first records, so it "
                "cannot be judged.",
            )
        )
    )
    def get_status(self, row: selectors.TargetRow) -> str:
        return NO_DATA if row.no_data else str(row.attainment.status)

    @extend_schema_field(
        _decimal(
            allow_null=True,
            help_text="realised ÷ target × 100 (one decimal), shown next to the status; null "
            "for a target of 0 or without data.",
        )
    )
    def get_pct_of_target(self, row: selectors.TargetRow) -> str | None:
        return None if row.no_data else _text(row.attainment.pct_of_target)

    @extend_schema_field(
        _decimal(
            allow_null=True,
            help_text="What the target asks by today: the pro-rata share of a count, the whole "
            "of a level; null without data.",
        )
    )
    def get_expected_now(self, row: selectors.TargetRow) -> str | None:
        return None if row.no_data else _text(row.attainment.expected_now)

    @extend_schema_field(
        _decimal(
            allow_null=True,
            help_text="The realisation expected at the end: a count at the current pace, a "
            "level as it is now; the realisation itself once the period is over; null before "
            "the period starts or without data.",
        )
    )
    def get_forecast(self, row: selectors.TargetRow) -> str | None:
        return None if row.no_data else _text(row.attainment.forecast)

    @extend_schema_field(
        serializers.CharField(
            help_text="Empty, or one Dutch sentence: the early warning while behind, or how "
            "far a finished target fell short."
        )
    )
    def get_warning(self, row: selectors.TargetRow) -> str:
        return "" if row.no_data else row.attainment.warning_nl


class ProgrammeSerializer(serializers.ModelSerializer):
    municipalities = serializers.SerializerMethodField()
    fee_due = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "uuid",
            "name",
            "description",
            "partner",
            "start_on",
            "end_on",
            "municipalities",
            "tolerance_pct",
            "capacity_days_per_week",
            "fee_per_result",
            "fee_kpis",
            "fee_due",
            "targets",
            "version",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "end_on": {"help_text": "The first day after the programme."},
            "tolerance_pct": {
                "help_text": "A result this many percent short of a target still counts as "
                "achieved (a decimal string); a target may have its own."
            },
            "capacity_days_per_week": {"help_text": "Agreed capacity, days a week (a decimal)."},
            "fee_per_result": {
                "help_text": "No cure no pay: euros per result of the KPIs in `fee_kpis`."
            },
        }

    def _rows(self, programme: Programme) -> list[selectors.TargetRow]:
        rows = self.context.get("rows", {})
        if programme.pk not in rows:  # a single programme
            rows[programme.pk] = selectors.target_rows(
                access.actor_for(self.context["request"].user), programme, on=self.context["on"]
            )
        return rows[programme.pk]

    @extend_schema_field(MonitoringRefSerializer(many=True))
    def get_municipalities(self, programme: Programme) -> list[dict[str, Any]]:
        return [{"uuid": m.uuid, "name": m.name} for m in programme.municipalities.all()]

    @extend_schema_field(
        _decimal(
            allow_null=True,
            help_text="The fee due so far: `fee_per_result` × the results (whole units) of "
            "the targets whose KPI is in `fee_kpis`; null without a fee.",
        )
    )
    def get_fee_due(self, programme: Programme) -> str | None:
        return _text(selectors.fee_due(programme, self._rows(programme)))

    @extend_schema_field(
        ProgrammeTargetSerializer(
            many=True, help_text="The targets, by KPI and municipality, with their attainment."
        )
    )
    def get_targets(self, programme: Programme) -> list[Any]:
        return ProgrammeTargetSerializer(self._rows(programme), many=True).data


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ApiViewSet):
    queryset = Programme.objects.none()  # the route's {uuid} is a programme
    serializer_class = ProgrammeSerializer
    permission_map = {"list": VIEW, "retrieve": VIEW}

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["on"] = timezone.localdate()
        context.setdefault("rows", {})
        return context

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes(self.actor())

    def get_object(self) -> Programme:
        return selectors.programme_for_view(self.actor(), self.kwargs["uuid"])

    @extend_schema(
        summary="Programmes",
        description="The programmes of your region, latest start first, each with its "
        "municipalities, agreements (tolerance, capacity, fee per result) and targets with "
        "their attainment today: realisation (computed from the records plus imported "
        "figures), status, percentage of the target, pro-rata expectation, forecast and a "
        "Dutch early warning; and the fee due so far.",
        responses={200: ProgrammeSerializer(many=True), 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the list is always paginated
        context = self.get_serializer_context()
        context["rows"] = selectors.target_rows_for(self.actor(), page, on=context["on"])
        data = ProgrammeSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="One programme",
        description="As in the list. A programme of another region is 404.",
        responses={200: ProgrammeSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())


# --- Council report -------------------------------------------------------------------------


class CouncilReportParamsSerializer(serializers.Serializer):
    municipality = ScopedRelatedField(
        Municipality, required=False, help_text="A municipality of your region; empty: the region."
    )
    from_ = serializers.DateField(
        required=False, help_text="The first day (ISO date); without it, 1 January of this year."
    )
    to = serializers.DateField(
        required=False,
        help_text="The last day, included (ISO date); without it, today.",
    )
    output = serializers.ChoiceField(
        choices=["json", "pdf", "xlsx"],
        default="json",
        help_text="json: the report's content; pdf or xlsx: the file a council receives.",
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        start = attrs.get("from") or dt.date(today.year, 1, 1)
        last = attrs.get("to") or today
        if last < start:
            raise serializers.ValidationError({"to": _("The end lies before the start.")})
        if (last - start).days > 366 * 5:
            raise serializers.ValidationError({"to": _("Choose a period of at most five years.")})
        attrs["start"], attrs["end"] = start, last + dt.timedelta(days=1)
        return attrs


class CouncilReportRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    previous = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    trend_break = serializers.BooleanField()
    small = serializers.BooleanField(help_text="A share or mean on fewer than 20 cases.")


class CouncilReportTargetSerializer(serializers.Serializer):
    programme = serializers.CharField()
    kpi = serializers.CharField()
    municipality = serializers.CharField()
    target = serializers.DecimalField(max_digits=12, decimal_places=2, source="target_value")
    realised = serializers.DecimalField(
        max_digits=18, decimal_places=4, source="realised_value", allow_null=True
    )
    pct_of_target = serializers.DecimalField(
        max_digits=8, decimal_places=1, source="pct_value", allow_null=True
    )
    status = serializers.CharField()
    warning = serializers.CharField()


class CouncilReportSerializer(serializers.Serializer):
    title = serializers.CharField()
    region = serializers.CharField()
    municipality = serializers.CharField(help_text="Empty: the whole region.")
    start = serializers.DateField()
    end = serializers.DateField(help_text="The first day after the period.")
    previous_period = serializers.CharField()
    summary = serializers.ListField(child=serializers.CharField())
    targets = CouncilReportTargetSerializer(many=True)
    themes = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        }
    )
    def get_themes(self, report: Any) -> dict[str, Any]:
        return {
            theme: CouncilReportRowSerializer(rows, many=True).data for theme, rows in report.themes
        }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CouncilReportViewSet(mixins.ListModelMixin, _ApiViewSet):
    serializer_class = CouncilReportSerializer
    filter_serializer_class = CouncilReportParamsSerializer
    pagination_class = None
    permission_map = {"list": VIEW}
    schema = OneObjectSchema()  # the report is one object, not a list of reports

    @extend_schema(
        summary="The council report",
        description="The council report of your region or one of its municipalities over a "
        "period (default: this year up to today) against the same period a year before: the "
        "summary written from the numbers, the targets with their status, the figures per "
        "theme. `output=pdf` or `output=xlsx` returns the file itself. Counts only, never "
        "names.",
        parameters=[CouncilReportParamsSerializer],
        responses={
            (200, "application/json"): OpenApiResponse(
                CouncilReportSerializer,
                description="The report as JSON, or the PDF or XLSX file with output=pdf|xlsx.",
            ),
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        from django.http import HttpResponse

        from werkbrug.monitoring import reports
        from werkbrug.monitoring.report_pdf import report_pdf
        from werkbrug.monitoring.report_xlsx import report_xlsx

        actor = self.actor()
        if not actor.region_id:
            raise NotFound(_("You work for no region."))
        params = self.filter_params()
        report = reports.council_report(
            actor,
            municipality=params.get("municipality"),
            start=params["start"],
            end=params["end"],
        )
        if params["output"] == "json":
            return Response(CouncilReportSerializer(report).data)
        if params["output"] == "pdf":
            content, content_type = report_pdf(report), "application/pdf"
        else:
            content, content_type = report_xlsx(report), XLSX
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{report.file_stem}.{params["output"]}"'
        )
        return response


def register(router: SimpleRouter) -> None:
    router.register("kpis", KpiViewSet, basename="kpi")
    router.register("kpi-values", KpiValueViewSet, basename="kpi-value")
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("council-reports", CouncilReportViewSet, basename="council-report")
