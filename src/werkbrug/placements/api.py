"""API of placements: a candidate at work with an employer, the aftercare that keeps the work
going, the instruments granted for it and loonwaarde assessments.

* ``GET/POST placements``, ``GET placements/{uuid}``: the placements of candidates the caller
  sees in full (newest start first); one placement with its aftercare checks, grants,
  assessments and the placements it continues and that continue it.
* ``POST placements/{uuid}/convert``: a work-experience place or trial placement becomes a
  contract (or a next placement); ``POST placements/{uuid}/end``: the placement ended.
* ``GET aftercare-checks``, ``GET aftercare-checks/{uuid}``: the aftercare check-ins (by due
  date); ``POST aftercare-checks/{uuid}/record``: how the check-in went.
* ``GET/POST instrument-grants``: grants (verstrekkingen) of an instrument for a placement.
* ``GET/POST loonwaarde-assessments``: loonwaarde assessments of a placement.

Which placements appear is decided by the scope rules (``placements.scopes``: staff of the
region, and only placements of candidates they see in full); checks, grants and assessments
follow their placement. The rules (durations against the rule set of the start date, what a
kind of placement allows, the aftercare plan) live in ``placements.services``; viewsets only
translate HTTP. Records outside the caller's scope are 404; a missing permission is 403; a
reference in a request body to a record the caller may not see is a 400 naming the field.
Amounts and percentages are strings (decimals), dates ISO 8601.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.candidates.models import Candidate
from werkbrug.candidates.scopes import full_access_q
from werkbrug.core import access
from werkbrug.employers.api import LiveEmployerField, _ApiViewSet
from werkbrug.employers.models import WorkOpportunity
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation
from werkbrug.placements import selectors, services
from werkbrug.placements.models import (
    AftercareCheck,
    EndReason,
    GrantStatus,
    InstrumentGrant,
    LoonwaardeAssessment,
    Placement,
    PlacementStatus,
)
from werkbrug.regions.api import ScopedRelatedField
from werkbrug.regions.models import Staff

VIEW = "placements.view"
MANAGE = "placements.manage"

NOT_FOUND = OpenApiResponse(description="Problem details: not found, or outside your scope.")
FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the fields."
)
ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}
WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN}


# --- Shared shapes --------------------------------------------------------------------------


class PlacementPartyRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


def _candidate_ref(candidate: Candidate) -> dict[str, Any]:
    # Placements are only shown of candidates the caller sees in full (the scope rule).
    return {"uuid": candidate.uuid, "name": candidate.full_name}


def _employer_ref(employer: Any) -> dict[str, Any]:
    return {"uuid": employer.uuid, "name": employer.name}


def _staff_ref(staff: Staff | None) -> dict[str, Any] | None:
    return None if staff is None else {"uuid": staff.uuid, "name": str(staff)}


def _uuid_of(related: Any) -> str | None:
    return None if related is None else str(related.uuid)


def _followed_by(placement: Placement) -> Placement | None:
    try:
        return placement.followed_by
    except Placement.DoesNotExist:
        return None


@extend_schema_field(OpenApiTypes.STR)
class StatusField(serializers.ChoiceField):
    """A status, as a plain string in the schema: several record kinds have a ``status`` with
    their own values, so the values are listed in the field's description."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        values = ", ".join(str(value) for value, _label in choices)
        kwargs["help_text"] = f"{kwargs.get('help_text', '')} One of: {values}.".strip()
        super().__init__(choices, **kwargs)


class FullViewCandidateField(ScopedRelatedField):
    """A candidate whose whole record the caller sees (not an anonymous pool profile): only
    they can be placed by the caller."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Candidate, **kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        actor = access.actor_for(getattr(request, "user", None))
        full = full_access_q(actor)
        return Candidate.objects.none() if full is None else Candidate.objects.filter(full)


class ActiveStaffField(ScopedRelatedField):
    """An active staff member of the caller's region."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Staff, **kwargs)

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(active=True)


# --- Aftercare checks -----------------------------------------------------------------------


class PlacementCheckSerializer(serializers.Serializer):
    """One aftercare check-in, as part of its placement."""

    uuid = serializers.UUIDField()
    kind = serializers.CharField(
        help_text="start (first week), m<n> (after n months; by default m1, m3, m6 and m12, "
        "per the region's aftercare plan), driegesprek (three-way conversation), voor_einde "
        "(before a planned end: extend, convert or a next placement) or anders."
    )
    kind_label = serializers.CharField(help_text="The kind, in the user's language.")
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True, help_text="Null while the check is open.")
    still_working = serializers.BooleanField(
        allow_null=True, help_text="At the check-in: the person was still working; null: unknown."
    )
    notes = serializers.CharField()
    next_step = serializers.CharField()


class AftercarePlacementSerializer(serializers.Serializer):
    """The placement a check-in belongs to, in short."""

    uuid = serializers.UUIDField()
    job_title = serializers.CharField()
    status = serializers.CharField(help_text="The placement's status (as in placements).")
    candidate = serializers.SerializerMethodField()
    employer = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    @extend_schema_field(PlacementPartyRefSerializer)
    def get_candidate(self, placement: Placement) -> dict[str, Any]:
        return _candidate_ref(placement.candidate)

    @extend_schema_field(PlacementPartyRefSerializer)
    def get_employer(self, placement: Placement) -> dict[str, Any]:
        return _employer_ref(placement.employer)

    @extend_schema_field(
        PlacementPartyRefSerializer(help_text="Who does the aftercare (staff member).")
    )
    def get_owner(self, placement: Placement) -> dict[str, Any] | None:
        return _staff_ref(placement.owner)


class AftercareCheckSerializer(PlacementCheckSerializer):
    placement = AftercarePlacementSerializer()


class AftercareCheckFilterSerializer(serializers.Serializer):
    vanaf = serializers.DateField(required=False, help_text="Due on or after this day.")
    tot = serializers.DateField(required=False, help_text="Due on or before this day.")
    open = serializers.BooleanField(
        required=False, help_text="true: not done yet; false: done. Without it: both."
    )
    mijn = serializers.BooleanField(
        required=False,
        help_text="true: only the check-ins of placements you do the aftercare of.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("vanaf") and attrs.get("tot") and attrs["tot"] < attrs["vanaf"]:
            raise serializers.ValidationError({"tot": [_("The end comes after the start.")]})
        return attrs


class AftercareRecordSerializer(serializers.Serializer):
    done_on = serializers.DateField(help_text="The day of the check-in; not in the future.")
    still_working = serializers.BooleanField(
        allow_null=True,
        required=False,
        default=None,
        help_text="The person was still working; null: not known (for instance not reached).",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    next_step = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _checks(actor: access.Actor) -> QuerySet[AftercareCheck]:
    return access.scoped(AftercareCheck, actor).select_related(
        "placement__candidate", "placement__employer", "placement__owner__user"
    )


# --- Grants and assessments -----------------------------------------------------------------


class InstrumentGrantSerializer(serializers.ModelSerializer):
    placement = serializers.UUIDField(source="placement.uuid", read_only=True)
    status = StatusField(GrantStatus.choices, read_only=True)
    rule_set = serializers.SerializerMethodField()
    arranged_by = serializers.SerializerMethodField()

    class Meta:
        model = InstrumentGrant
        fields = [
            "uuid",
            "placement",
            "kind",
            "status",
            "decided_on",
            "start_on",
            "end_on",
            "review_on",
            "amount",
            "amount_per",
            "funding",
            "rule_set",
            "arranged_by",
            "note",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "amount": {"help_text": "In euros, a decimal string; null when not known."},
        }

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True,
            help_text="The rule set valid on the grant's start (or decision) date.",
        )
    )
    def get_rule_set(self, grant: InstrumentGrant) -> str | None:
        return _uuid_of(grant.rule_set)

    @extend_schema_field(PlacementPartyRefSerializer(allow_null=True))
    def get_arranged_by(self, grant: InstrumentGrant) -> dict[str, Any] | None:
        return _staff_ref(grant.arranged_by)


@extend_schema_serializer(component_name="InstrumentGrant")  # InstrumentGrantRequest
class InstrumentGrantWriteSerializer(serializers.ModelSerializer):
    placement = ScopedRelatedField(Placement, help_text="The placement (uuid).")
    status = StatusField(
        GrantStatus.choices, required=False, help_text="Without it: aangevraagd (requested)."
    )
    arranged_by = ActiveStaffField(
        required=False,
        allow_null=True,
        help_text="Who arranged it (staff uuid); without it, you.",
    )

    class Meta:
        model = InstrumentGrant
        fields = [
            "placement",
            "kind",
            "status",
            "decided_on",
            "start_on",
            "end_on",
            "review_on",
            "amount",
            "amount_per",
            "funding",
            "arranged_by",
            "note",
        ]
        extra_kwargs = {
            "amount": {"help_text": "In euros (a decimal string), not negative."},
            "amount_per": {"help_text": "Required with an amount."},
            "decided_on": {"help_text": "Required once granted or refused."},
        }


class PlacementPartFilterSerializer(serializers.Serializer):
    placement = serializers.UUIDField(required=False, help_text="Only of this placement.")


class LoonwaardeAssessmentSerializer(serializers.ModelSerializer):
    placement = serializers.UUIDField(source="placement.uuid", read_only=True)

    class Meta:
        model = LoonwaardeAssessment
        fields = [
            "uuid",
            "placement",
            "assessed_on",
            "pct",
            "method",
            "assessor",
            "next_review_on",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"pct": {"help_text": "Loonwaarde in percent (0–100), a decimal string."}}


@extend_schema_serializer(component_name="LoonwaardeAssessment")  # ...Request
class LoonwaardeAssessmentWriteSerializer(serializers.ModelSerializer):
    placement = ScopedRelatedField(Placement, help_text="The placement (uuid).")

    class Meta:
        model = LoonwaardeAssessment
        fields = ["placement", "assessed_on", "pct", "method", "assessor", "next_review_on"]
        extra_kwargs = {
            "assessed_on": {"help_text": "The day it was assessed; not in the future."},
            "pct": {"help_text": "Loonwaarde in percent (0–100), a decimal string."},
            "method": {"help_text": "How it was assessed (the method's name)."},
            "next_review_on": {"help_text": "After the assessment."},
        }


def _grants(actor: access.Actor) -> QuerySet[InstrumentGrant]:
    return access.scoped(InstrumentGrant, actor).select_related(
        "placement", "rule_set", "arranged_by__user"
    )


def _assessments(actor: access.Actor) -> QuerySet[LoonwaardeAssessment]:
    return access.scoped(LoonwaardeAssessment, actor).select_related("placement")


# --- Placements -----------------------------------------------------------------------------


class PlacementFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlacementStatus.choices, required=False)
    kandidaat = serializers.UUIDField(required=False, help_text="Only of this candidate.")
    werkgever = serializers.UUIDField(required=False, help_text="Only with this employer.")
    loopt_af = serializers.BooleanField(
        required=False,
        help_text="true: only open placements whose alert before the planned end has come "
        "(extend, convert or a next placement) and is not done yet.",
    )


class PlacementSerializer(serializers.ModelSerializer):
    status = StatusField(
        PlacementStatus.choices,
        read_only=True,
        help_text="gepland: starts later; omgezet: converted into the placement in `followed_by`.",
    )
    candidate = serializers.SerializerMethodField()
    employer = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    opportunity = serializers.SerializerMethodField()
    conversation = serializers.SerializerMethodField()
    shortlist_entry = serializers.SerializerMethodField()
    preceded_by = serializers.SerializerMethodField()
    followed_by = serializers.SerializerMethodField()
    rule_set = serializers.SerializerMethodField()
    checks = serializers.SerializerMethodField()
    grants = serializers.SerializerMethodField()
    assessments = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = [
            "uuid",
            "candidate",
            "employer",
            "opportunity",
            "conversation",
            "shortlist_entry",
            "kind",
            "contract",
            "job_title",
            "hours_per_week",
            "wage_pct_of_wml",
            "start_on",
            "planned_end_on",
            "ended_on",
            "end_reason",
            "end_note",
            "status",
            "outflow",
            "outflow_on",
            "owner",
            "rule_set",
            "preceded_by",
            "followed_by",
            "version",
            "checks",
            "grants",
            "assessments",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "hours_per_week": {"help_text": "A decimal string."},
            "wage_pct_of_wml": {
                "help_text": "The wage as a percentage of the statutory minimum wage (a decimal "
                "string); null: no wage (the benefit is kept)."
            },
        }

    @extend_schema_field(PlacementPartyRefSerializer)
    def get_candidate(self, placement: Placement) -> dict[str, Any]:
        return _candidate_ref(placement.candidate)

    @extend_schema_field(PlacementPartyRefSerializer)
    def get_employer(self, placement: Placement) -> dict[str, Any]:
        return _employer_ref(placement.employer)

    @extend_schema_field(
        PlacementPartyRefSerializer(help_text="Who does the aftercare (staff member).")
    )
    def get_owner(self, placement: Placement) -> dict[str, Any] | None:
        return _staff_ref(placement.owner)

    @extend_schema_field(serializers.UUIDField(allow_null=True, help_text="The work opportunity."))
    def get_opportunity(self, placement: Placement) -> str | None:
        return _uuid_of(placement.opportunity)

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True, help_text="Where it came from: a conversation at a prettig gesprek."
        )
    )
    def get_conversation(self, placement: Placement) -> str | None:
        return _uuid_of(placement.conversation)

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True, help_text="Where it came from: an introduction from a shortlist."
        )
    )
    def get_shortlist_entry(self, placement: Placement) -> str | None:
        return _uuid_of(placement.shortlist_entry)

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True,
            help_text="The placement this one continues (a work-experience place or trial "
            "placement converted into this one).",
        )
    )
    def get_preceded_by(self, placement: Placement) -> str | None:
        return _uuid_of(placement.preceded_by)

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True, help_text="The placement this one was converted into."
        )
    )
    def get_followed_by(self, placement: Placement) -> str | None:
        return _uuid_of(_followed_by(placement))

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True,
            help_text="The rule set valid on the start date, which the duration was checked "
            "against; null when no rules were known for that day.",
        )
    )
    def get_rule_set(self, placement: Placement) -> str | None:
        return _uuid_of(placement.rule_set)

    def _parts(self) -> bool:
        return bool(self.context.get("with_parts"))

    @extend_schema_field(
        PlacementCheckSerializer(
            many=True,
            allow_null=True,
            help_text="The aftercare plan, by due date; when reading or saving one placement, "
            "null in the list.",
        )
    )
    def get_checks(self, placement: Placement) -> list[Any] | None:
        if not self._parts():
            return None
        return PlacementCheckSerializer(placement.checks.all(), many=True).data

    @extend_schema_field(
        InstrumentGrantSerializer(
            many=True,
            allow_null=True,
            help_text="Instrument grants, latest start first; when reading or saving one "
            "placement, null in the list.",
        )
    )
    def get_grants(self, placement: Placement) -> list[Any] | None:
        if not self._parts():
            return None
        return InstrumentGrantSerializer(placement.grants.all(), many=True).data

    @extend_schema_field(
        LoonwaardeAssessmentSerializer(
            many=True,
            allow_null=True,
            help_text="Loonwaarde assessments, latest first; when reading or saving one "
            "placement, null in the list.",
        )
    )
    def get_assessments(self, placement: Placement) -> list[Any] | None:
        if not self._parts():
            return None
        return LoonwaardeAssessmentSerializer(placement.assessments.all(), many=True).data


PLACEMENT_FIELD_HELP = {
    "kind": {
        "help_text": "A work-experience place, trial placement or participatieplaats keeps "
        "the benefit: no contract, no wage, and a planned end within the maximum duration of "
        "the rules valid on the start date."
    },
    "contract": {"help_text": "geen for a placement with the benefit kept."},
    "hours_per_week": {"help_text": "1–60, a decimal string."},
    "wage_pct_of_wml": {
        "help_text": "The wage as a percentage of the statutory minimum wage (100–500, a "
        "decimal string); required with a contract, empty with the benefit kept."
    },
    "planned_end_on": {
        "help_text": "Required for a fixed-term contract and for a placement with the benefit "
        "kept; after the start."
    },
}


@extend_schema_serializer(component_name="Placement")  # the request body: PlacementRequest
class PlacementWriteSerializer(serializers.ModelSerializer):
    """A placement to make: when placing a candidate, and as the next placement in a
    conversion (``converting`` in the context), where the person is the same and the employer
    by default too."""

    candidate = FullViewCandidateField(
        required=False,
        help_text="The candidate (uuid): one whose record you see in full. Required when "
        "placing; in a conversion the same person, so it may be left out.",
    )
    employer = LiveEmployerField(
        required=False,
        help_text="The employer (uuid), of the candidate's region. Required when placing; in "
        "a conversion, without it the employer of the placement converted.",
    )
    opportunity = ScopedRelatedField(
        WorkOpportunity,
        required=False,
        allow_null=True,
        help_text="The work opportunity (uuid), of this employer. In a conversion without "
        "`employer` and `opportunity`: the opportunity of the placement converted.",
    )
    conversation = ScopedRelatedField(
        Conversation,
        required=False,
        allow_null=True,
        help_text="Where it came from: a conversation at a prettig gesprek (uuid).",
    )
    shortlist_entry = ScopedRelatedField(
        ShortlistEntry,
        required=False,
        allow_null=True,
        help_text="Where it came from: an introduction from a shortlist (uuid).",
    )
    owner = ActiveStaffField(
        required=False,
        allow_null=True,
        help_text="Who does the aftercare (staff uuid); without it, you.",
    )

    class Meta:
        model = Placement
        fields = [
            "candidate",
            "employer",
            "opportunity",
            "conversation",
            "shortlist_entry",
            "kind",
            "contract",
            "job_title",
            "hours_per_week",
            "wage_pct_of_wml",
            "start_on",
            "planned_end_on",
            "owner",
        ]
        extra_kwargs = PLACEMENT_FIELD_HELP

    def to_internal_value(self, data: Any) -> Any:
        """Placing needs the candidate and the employer, named with the other fields' errors."""
        missing: dict[str, list[Any]] = {}
        if not self.context.get("converting") and isinstance(data, Mapping):
            required = self.error_messages["required"]
            missing = {
                name: [required]
                for name in ("candidate", "employer")
                if data.get(name) in (None, "")
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if missing and isinstance(error.detail, dict):
                raise serializers.ValidationError({**missing, **error.detail}) from error
            raise
        if missing:
            raise serializers.ValidationError(missing)
        return value


class PlacementEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="The last day; on or after the start.")
    end_reason = serializers.ChoiceField(
        choices=[c for c in EndReason.choices if c[0] != EndReason.CONVERTED],
        help_text="Why it ended. A conversion into a next placement is `convert`.",
    )
    end_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _placements(actor: access.Actor) -> QuerySet[Placement]:
    return selectors.placements(actor).select_related(
        "conversation", "shortlist_entry", "preceded_by", "followed_by", "rule_set"
    )


def _placement_detail(actor: access.Actor) -> QuerySet[Placement]:
    return _placements(actor).prefetch_related(
        Prefetch("checks", queryset=AftercareCheck.objects.order_by("due_on", "id")),
        Prefetch(
            "grants",
            queryset=InstrumentGrant.objects.select_related("rule_set", "arranged_by__user"),
        ),
        "assessments",
    )


def _get_placement(actor: access.Actor, uuid: Any) -> Placement:
    """One placement with its parts; the read is logged (it describes a person)."""
    return access.get_for_view(_placement_detail(actor), actor, uuid, purpose="API: placement")


# --- Viewsets -------------------------------------------------------------------------------


class PlacementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ApiViewSet
):
    queryset = Placement.objects.none()
    serializer_class = PlacementSerializer
    filter_serializer_class = PlacementFilterSerializer
    permission_map = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": MANAGE,
        "convert": MANAGE,
        "end": MANAGE,
    }
    bodies: dict[str, type[serializers.Serializer]] = {
        "create": PlacementWriteSerializer,
        "convert": PlacementWriteSerializer,
        "end": PlacementEndSerializer,
    }

    def get_serializer_class(self) -> Any:
        return self.bodies.get(self.action or "", PlacementSerializer)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["with_parts"] = self.action != "list"
        context["converting"] = self.action == "convert"
        return context

    def get_queryset(self) -> QuerySet[Placement]:
        params = self.filter_params() if self.action == "list" else {}
        actor = self.actor()
        queryset = _placements(actor)
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("kandidaat"):
            queryset = queryset.filter(candidate__uuid=params["kandidaat"])
        if params.get("werkgever"):
            queryset = queryset.filter(employer__uuid=params["werkgever"])
        if "loopt_af" in params:
            due = selectors.ending_soon(actor).values("placement_id")
            queryset = (
                queryset.filter(pk__in=due) if params["loopt_af"] else queryset.exclude(pk__in=due)
            )
        return queryset

    def get_object(self) -> Placement:
        return _get_placement(self.actor(), self.kwargs["uuid"])

    def _body(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _show(self, placement: Placement, status: int = 200) -> Response:
        return self.respond(
            _get_placement(self.actor(), placement.uuid),
            status=status,
            serializer_class=PlacementSerializer,
        )

    @extend_schema(
        summary="Placements",
        description="Placements of the candidates you see in full, newest start first. "
        "`loopt_af=true`: the open placements whose alert before the planned end has come "
        "(weeks before the end, per the region's aftercare plan).",
        parameters=[PlacementFilterSerializer],
        responses={200: PlacementSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One placement",
        description="With its aftercare checks, instrument grants and loonwaarde assessments; "
        "`preceded_by` and `followed_by` link a conversion. The read is logged.",
        responses={200: PlacementSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object(), serializer_class=PlacementSerializer)

    @extend_schema(
        summary="Place a candidate",
        description="Register a placement. It is checked against the rules valid on the start "
        "date (kept as `rule_set`): a work-experience place or trial placement lasts at most "
        "the rules' maximum, so a later `planned_end_on` is refused with a 400 naming it. "
        "Every broken rule is named at once and nothing is saved. The aftercare plan is made "
        "from the region's template; the candidate counts as placed. A reference to a record "
        "you may not see is a 400 naming the field.",
        request=PlacementWriteSerializer,
        responses={201: PlacementSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._body()
        placement = services.place(actor=self.actor(), placement=Placement(**data))
        return self._show(placement, status=201)

    @extend_schema(
        summary="Convert into a next placement",
        description="A work-experience place or trial placement becomes a contract (or a next "
        "placement) for the same person: this one ends the day before the next starts, as "
        "omgezet, and its open checks after that day are dropped; the next one is checked and "
        "planned as a new placement. The answer is the new placement (`preceded_by` is this "
        "one). Refused with a 400 naming `status` when this placement has ended, or "
        "`start_on` when the next one does not start after it.",
        request=PlacementWriteSerializer,
        responses={201: PlacementSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="convert", url_name="convert")
    def convert(self, request: Request, uuid: str | None = None) -> Response:
        placement = self.get_object()
        data = self._body()
        data.setdefault("candidate", placement.candidate)  # another person: the service says no
        if "employer" not in data:
            data["employer"] = placement.employer
            data.setdefault("opportunity", placement.opportunity)
        into = Placement(**data)
        made = services.convert(actor=self.actor(), placement=placement, into=into)
        return self._show(made, status=201)

    @extend_schema(
        summary="End a placement",
        description="The placement ended (a contract ran out, someone dropped out ...). The "
        "alert before the planned end is dropped; the later check-ins stay (they ask whether "
        "the person works elsewhere). Refused with a 400 naming `status` when it has ended "
        "already, or `ended_on` before the start.",
        request=PlacementEndSerializer,
        responses={200: PlacementSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="end", url_name="end")
    def end(self, request: Request, uuid: str | None = None) -> Response:
        placement = self.get_object()
        data = self._body()
        services.end(
            actor=self.actor(),
            placement=placement,
            on=data["ended_on"],
            reason=data["end_reason"],
            note=data["end_note"],
        )
        return self._show(placement)


class AftercareCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _ApiViewSet):
    queryset = AftercareCheck.objects.none()
    serializer_class = AftercareCheckSerializer
    filter_serializer_class = AftercareCheckFilterSerializer
    permission_map = {"list": VIEW, "retrieve": VIEW, "record": MANAGE}

    def get_serializer_class(self) -> Any:
        return AftercareRecordSerializer if self.action == "record" else AftercareCheckSerializer

    def get_queryset(self) -> QuerySet[AftercareCheck]:
        params = self.filter_params() if self.action == "list" else {}
        actor = self.actor()
        queryset = _checks(actor).order_by("due_on", "id")
        if params.get("vanaf"):
            queryset = queryset.filter(due_on__gte=params["vanaf"])
        if params.get("tot"):
            queryset = queryset.filter(due_on__lte=params["tot"])
        if "open" in params:
            queryset = queryset.filter(done_on__isnull=params["open"])
        if params.get("mijn"):
            queryset = queryset.filter(placement__owner_id=actor.staff_id)
        return queryset

    def get_object(self) -> AftercareCheck:
        return access.get_for_view(
            _checks(self.actor()), self.actor(), self.kwargs["uuid"], purpose="API: aftercare"
        )

    @extend_schema(
        summary="Aftercare check-ins",
        description="The check-ins of the placements you see, by due date. For a work list: "
        "`open=true&mijn=true&tot=<today>` gives your check-ins that are due.",
        parameters=[AftercareCheckFilterSerializer],
        responses={200: AftercareCheckSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One aftercare check-in",
        responses={200: AftercareCheckSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object())

    @extend_schema(
        summary="Record a check-in",
        description="How the check-in went: when, whether the person was still working, notes "
        "and the next step. Recording again replaces it. A day in the future is refused with "
        "a 400 naming `done_on`.",
        request=AftercareRecordSerializer,
        responses={200: AftercareCheckSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="record", url_name="record")
    def record(self, request: Request, uuid: str | None = None) -> Response:
        check = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        services.record_check(
            actor=actor,
            check=check,
            done_on=data["done_on"],
            still_working=data["still_working"],
            notes=data["notes"],
            next_step=data["next_step"],
        )
        return self.respond(
            _checks(actor).get(pk=check.pk), serializer_class=AftercareCheckSerializer
        )


class InstrumentGrantViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = InstrumentGrant.objects.none()
    serializer_class = InstrumentGrantSerializer
    filter_serializer_class = PlacementPartFilterSerializer
    permission_map = {"list": VIEW, "create": MANAGE}

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return InstrumentGrantWriteSerializer
        return InstrumentGrantSerializer

    def get_queryset(self) -> QuerySet[InstrumentGrant]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = _grants(self.actor())
        if params.get("placement"):
            queryset = queryset.filter(placement__uuid=params["placement"])
        return queryset

    @extend_schema(
        summary="Instrument grants",
        description="Grants (verstrekkingen) of instruments for the placements you see, latest "
        "start first; loonkostensubsidie is counted per grant.",
        parameters=[PlacementPartFilterSerializer],
        responses={200: InstrumentGrantSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a grant",
        description="A grant of an instrument for a placement, with the rule set valid on its "
        "start (or decision, or the placement's start) date. Refused with a 400 naming the "
        "field for an end before the start, a negative amount, an amount without `amount_per`, "
        "or a decision (toegekend, afgewezen) without `decided_on`.",
        request=InstrumentGrantWriteSerializer,
        responses={201: InstrumentGrantSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = self.actor()
        grant = services.add_grant(actor=actor, grant=InstrumentGrant(**serializer.validated_data))
        return self.respond(
            _grants(actor).get(pk=grant.pk),
            status=201,
            serializer_class=InstrumentGrantSerializer,
        )


class LoonwaardeAssessmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = LoonwaardeAssessment.objects.none()
    serializer_class = LoonwaardeAssessmentSerializer
    filter_serializer_class = PlacementPartFilterSerializer
    permission_map = {"list": VIEW, "create": MANAGE}

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return LoonwaardeAssessmentWriteSerializer
        return LoonwaardeAssessmentSerializer

    def get_queryset(self) -> QuerySet[LoonwaardeAssessment]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = _assessments(self.actor())
        if params.get("placement"):
            queryset = queryset.filter(placement__uuid=params["placement"])
        return queryset

    @extend_schema(
        summary="Loonwaarde assessments",
        description="Loonwaarde assessments of the placements you see, latest first.",
        parameters=[PlacementPartFilterSerializer],
        responses={200: LoonwaardeAssessmentSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Record an assessment",
        description="A loonwaarde assessment of a placement. Refused with a 400 naming "
        "`assessed_on` for a day in the future, or `next_review_on` not after it.",
        request=LoonwaardeAssessmentWriteSerializer,
        responses={201: LoonwaardeAssessmentSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = self.actor()
        assessment = services.assess_loonwaarde(
            actor=actor, assessment=LoonwaardeAssessment(**serializer.validated_data)
        )
        return self.respond(
            _assessments(actor).get(pk=assessment.pk),
            status=201,
            serializer_class=LoonwaardeAssessmentSerializer,
        )


def register(router: SimpleRouter) -> None:
    router.register("placements", PlacementViewSet, basename="placement")
    router.register("aftercare-checks", AftercareCheckViewSet, basename="aftercare-check")
    router.register("instrument-grants", InstrumentGrantViewSet, basename="instrument-grant")
    router.register(
        "loonwaarde-assessments", LoonwaardeAssessmentViewSet, basename="loonwaarde-assessment"
    )
