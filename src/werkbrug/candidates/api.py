"""API of the candidate pool: candidates, handovers, consents, contacts and returns.

The access layer decides which rows a caller sees (candidates/scopes.py); this module decides
which *fields*, per row:

* staff who may see the record in full (own municipality, own caseload): the whole record,
  with the BSN only masked (``bsn_masked``), never in full;
* staff seeing someone through the regional pool (another municipality, profile shared
  region-wide): the anonymous profile, without name, BSN, contact details, address, date of
  birth or case data;
* an employer's contact person: only candidates who consented to share with that employer,
  with name and positive profile; limitations only while the disclosure consent is in force;
* a candidate: their own record.

Every write goes through ``candidates.services``; viewsets only translate HTTP.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.api.fields import plausible_moment
from werkbrug.api.problems import problem
from werkbrug.candidates import profile, selectors, services
from werkbrug.candidates.models import (
    Candidate,
    CandidateContact,
    CandidateLanguage,
    Consent,
    ConsentChannel,
    Handover,
    HealthProfile,
    JourneyStatus,
    LadderStep,
    Return,
    Segment,
)
from werkbrug.core import access
from werkbrug.core.bsn import reveal_bsn
from werkbrug.core.concurrency import StaleRecordError
from werkbrug.core.pseudonymisation import mask_bsn
from werkbrug.core.roles import Role
from werkbrug.core.validators import validate_bsn
from werkbrug.employers.api import (
    STALE_RESPONSE,
    _ApiViewSet,
    _require_version,
    _stale,
    _version_field,
)
from werkbrug.employers.models import Employer
from werkbrug.regions.api import ScopedRelatedField
from werkbrug.regions.models import Municipality, Staff

VIEW = "candidates.view"
READ = (VIEW, "portal.employer_candidates", "portal.candidate")


def _actor(serializer: serializers.Serializer) -> access.Actor:
    request = serializer.context.get("request")
    return access.actor_for(getattr(request, "user", None))


# --- Candidates -----------------------------------------------------------------------------


class CandidateFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Name (only among records you see in full) or words from the talents.",
    )
    municipality = ScopedRelatedField(Municipality, required=False)
    status = serializers.CharField(
        required=False,
        help_text="Journey status: " + ", ".join(JourneyStatus.values),
    )
    ladder_step = serializers.ChoiceField(choices=LadderStep.choices, required=False)
    segment = serializers.ChoiceField(choices=Segment.choices, required=False)

    def validate_status(self, value: str) -> str:
        if value not in JourneyStatus.values:
            raise serializers.ValidationError(_("Unknown status."))
        return value


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidateLanguage
        fields = ["language", "level"]
        read_only_fields = fields


class LimitationsSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthProfile
        fields = ["has_limitation", "nature", "structural", "limitations", "adjustments_needed"]
        read_only_fields = fields


#: The positive profile: what travels to the anonymous pool.
POOL_FIELDS = [
    "uuid",
    "municipality",
    "ladder_step",
    "segment",
    "education_level",
    "driving_licence",
    "transport",
    "hours_available",
    "available_from",
    "talents",
    "development_goals",
    "wished_work_kinds",
    "wished_hours_min",
    "wished_hours_max",
    "languages",
    "full_access",
]


class CandidatePoolSerializer(serializers.ModelSerializer):
    """A candidate of another municipality seen through the regional pool: no identity, no
    contact details, no case data."""

    municipality = ScopedRelatedField(Municipality, read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    full_access = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = POOL_FIELDS
        read_only_fields = POOL_FIELDS

    def get_full_access(self, candidate: Candidate) -> bool:
        return False


class CandidateSerializer(serializers.ModelSerializer):
    """The whole record, for staff with full access and for the candidate themselves. A row the
    caller sees only through the regional pool is written as ``CandidatePoolSerializer``."""

    bsn = serializers.CharField(
        write_only=True,
        required=False,
        max_length=20,
        validators=[validate_bsn],
        help_text="Required when registering; never returned (see bsn_masked).",
    )
    bsn_masked = serializers.SerializerMethodField()
    municipality = ScopedRelatedField(Municipality)
    client_manager = ScopedRelatedField(Staff, read_only=True)
    consultant = ScopedRelatedField(Staff, read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    full_access = serializers.SerializerMethodField()
    # A plain string in the schema: "status" enums of several apps would collide by name.
    status = serializers.CharField(
        read_only=True, help_text="Journey status: " + ", ".join(JourneyStatus.values)
    )
    version = _version_field()

    class Meta:
        model = Candidate
        fields = [
            "uuid",
            "bsn",
            "bsn_masked",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "phone",
            "street",
            "postcode",
            "city",
            "municipality",
            "benefit_type",
            "benefit_start",
            "benefit_duration",
            "ladder_step",
            "segment",
            "deployability",
            "education_level",
            "basic_qualification",
            "driving_licence",
            "transport",
            "hours_available",
            "available_from",
            "talents",
            "motivation",
            "development_goals",
            "wished_work_kinds",
            "wished_hours_min",
            "wished_hours_max",
            "max_travel_minutes",
            "max_travel_km",
            "languages",
            "client_manager",
            "consultant",
            "status",
            "handed_over_at",
            "last_contact_at",
            "profile_confirmed_at",
            "full_access",
            "version",
        ]
        read_only_fields = [
            "uuid",
            "benefit_duration",
            "status",
            "handed_over_at",
            "last_contact_at",
            "profile_confirmed_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if isinstance(self.instance, Candidate):
            fields["municipality"].read_only = True  # moving house is not an API edit
        return fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_bsn_masked(self, candidate: Candidate) -> str:
        try:
            return mask_bsn(reveal_bsn(candidate.bsn_encrypted))
        except ValueError:
            return ""

    def get_full_access(self, candidate: Candidate) -> bool:
        return bool(getattr(candidate, "full_access", False))

    def to_representation(self, instance: Any) -> Any:
        actor = _actor(self)
        own = actor.has_role(Role.CANDIDATE) and instance.user_id == actor.user_id
        if not own and not getattr(instance, "full_access", True):
            return CandidatePoolSerializer(instance, context=self.context).data
        return super().to_representation(instance)


class CandidateEmployerSerializer(serializers.ModelSerializer):
    """What an employer reads about a candidate who consented to share with them."""

    languages = LanguageSerializer(many=True, read_only=True)
    limitations = serializers.SerializerMethodField(
        help_text="Only while the candidate consents to disclosing limitations to you."
    )

    class Meta:
        model = Candidate
        fields = [
            "uuid",
            "first_name",
            "last_name",
            "talents",
            "motivation",
            "development_goals",
            "languages",
            "hours_available",
            "available_from",
            "wished_work_kinds",
            "wished_hours_min",
            "wished_hours_max",
            "driving_licence",
            "limitations",
        ]
        read_only_fields = fields

    @extend_schema_field(LimitationsSerializer(allow_null=True))
    def get_limitations(self, candidate: Candidate) -> Any:
        visible = getattr(candidate, "visible_health", None)
        if visible is None:  # not prefetched (one record): ask the scope rule
            health = selectors.health_for(candidate, actor=_actor(self))
            visible = [health] if health else []
        return LimitationsSerializer(visible[0]).data if visible else None


def _is_employer_reader(view: Any) -> bool:
    if getattr(view, "swagger_fake_view", False):
        return False
    actor = access.actor_for(view.request.user)
    return not actor.is_staff_member and actor.has_role(Role.EMPLOYER_CONTACT)


@extend_schema_view(
    list=extend_schema(
        parameters=[CandidateFilterSerializer],
        description="Candidates the caller may see. Staff: their own records in full, other "
        "municipalities' pool profiles anonymously (`full_access: false`, no name or contact "
        "details). Employers: candidates who consented to share with them. Candidates: "
        "themselves.",
    ),
    partial_update=extend_schema(responses={200: CandidateSerializer, 409: STALE_RESPONSE}),
    create=extend_schema(
        responses={
            201: CandidateSerializer,
            409: OpenApiResponse(description="Problem details: the BSN is already registered."),
        }
    ),
)
class CandidateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _ApiViewSet,
):
    queryset = Candidate.objects.none()
    serializer_class = CandidateSerializer
    filter_serializer_class = CandidateFilterSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_map = {
        "list": READ,
        "retrieve": READ,
        "create": "candidates.create",
        "partial_update": "candidates.edit",
    }

    def get_serializer_class(self) -> Any:
        return CandidateEmployerSerializer if _is_employer_reader(self) else CandidateSerializer

    def _prefetch(self, queryset: QuerySet[Candidate]) -> QuerySet[Candidate]:
        queryset = queryset.prefetch_related(
            Prefetch("languages", queryset=CandidateLanguage.objects.order_by("id"))
        )
        if _is_employer_reader(self):
            visible = access.scoped(HealthProfile, self.actor())
            queryset = queryset.prefetch_related(
                Prefetch("health", queryset=visible, to_attr="visible_health_one")
            )
        return queryset

    def get_queryset(self) -> QuerySet[Candidate]:
        params = self.filter_params() if self.action == "list" else {}
        municipality = params.get("municipality")
        flt = selectors.CaseloadFilter(
            search=params.get("search", ""),
            municipality_id=municipality.pk if municipality else None,
            status=params.get("status", ""),
            ladder_step=int(params["ladder_step"]) if params.get("ladder_step") else None,
            segment=params.get("segment", ""),
        )
        return self._prefetch(selectors.caseload(actor=self.actor(), flt=flt))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page if page is not None else self.get_queryset())
        for row in rows:
            _attach_health(row)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def get_object(self) -> Candidate:
        candidate = selectors.candidate_for_view(
            actor=self.actor(), uuid=self.kwargs["uuid"], purpose="API: candidate"
        )
        return candidate

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        candidate = self.get_object()
        if _is_employer_reader(self):
            health = selectors.health_for(candidate, actor=self.actor())
            candidate.visible_health = [health] if health else []  # type: ignore[attr-defined]
        return self.respond(candidate)

    def _reload(self, candidate: Candidate) -> Candidate:
        return selectors.with_access_flag(
            Candidate.objects.filter(pk=candidate.pk), self.actor()
        ).get()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        bsn = data.pop("bsn", "")
        if not bsn:
            raise serializers.ValidationError({"bsn": [_("This field is required.")]})
        data.pop("version", None)
        municipality = data.pop("municipality")
        ladder_step = data.pop("ladder_step", None)
        actor = self.actor()
        try:
            candidate = services.register_candidate(
                actor=actor, bsn=bsn, municipality=municipality, data=data
            )
        except services.DuplicateCandidate as duplicate:
            return problem(
                409,
                _("Conflict"),
                duplicate.messages[0],
                code="duplicate",
                invalid_params=[{"name": "bsn", "reason": duplicate.messages[0]}],
            )
        if ladder_step:
            services.set_ladder_step(candidate, actor=actor, step=int(ladder_step))
        return self.respond(self._reload(candidate), status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        candidate = self.get_object()
        actor = self.actor()
        if not services.has_full_access(actor, candidate):
            return problem(403, _("Forbidden"), _("You see this candidate only anonymously."))
        serializer = self.get_serializer(candidate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("bsn", None)
        version = _require_version(data)
        ladder_step = data.pop("ladder_step", None)
        try:
            candidate = services.update_candidate(
                candidate, actor=actor, data=data, expected_version=version
            )
        except StaleRecordError as error:
            return _stale(error)
        if ladder_step and ladder_step != candidate.ladder_step:
            services.set_ladder_step(candidate, actor=actor, step=int(ladder_step))
        return self.respond(self._reload(candidate))


def _attach_health(candidate: Candidate) -> None:
    one = getattr(candidate, "visible_health_one", None)
    if one is not None or hasattr(candidate, "visible_health_one"):
        candidate.visible_health = [one] if one is not None else []  # type: ignore[attr-defined]


# --- Handovers ------------------------------------------------------------------------------


class CandidateFilterParams(serializers.Serializer):
    candidate = ScopedRelatedField(Candidate, required=False)


class HandoverSerializer(serializers.ModelSerializer):
    candidate = ScopedRelatedField(Candidate)
    from_staff = ScopedRelatedField(Staff, read_only=True)
    to_staff = ScopedRelatedField(Staff, help_text="The relationship manager or consultant.")

    class Meta:
        model = Handover
        fields = [
            "uuid",
            "candidate",
            "from_staff",
            "to_staff",
            "on",
            "completeness",
            "warm",
            "note",
        ]
        read_only_fields = ["uuid", "on", "completeness"]


INCOMPLETE_RESPONSE = OpenApiResponse(
    description="Problem details: the profile is not complete; `invalid_params` and `missing` "
    "list the missing items."
)


def _candidate_filtered(view: _ApiViewSet, queryset: QuerySet[Any]) -> QuerySet[Any]:
    params = view.filter_params() if view.action == "list" else {}
    if params.get("candidate"):
        queryset = queryset.filter(candidate=params["candidate"])
    return queryset


def _full_candidate(actor: access.Actor, candidate: Candidate) -> Candidate:
    """Case records are written only for candidates the caller sees in full."""
    if not services.has_full_access(actor, candidate) and not (
        actor.has_role(Role.CANDIDATE) and candidate.user_id == actor.user_id
    ):
        raise serializers.ValidationError(
            {"candidate": [_("You see this candidate only anonymously.")]}
        )
    return candidate


@extend_schema_view(
    list=extend_schema(parameters=[CandidateFilterParams]),
    create=extend_schema(responses={201: HandoverSerializer, 422: INCOMPLETE_RESPONSE}),
)
class HandoverViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = Handover.objects.none()
    serializer_class = HandoverSerializer
    filter_serializer_class = CandidateFilterParams
    permission_map = {"list": VIEW, "create": "candidates.handover"}

    def get_queryset(self) -> QuerySet[Handover]:
        queryset = access.scoped(Handover, self.actor()).select_related(
            "candidate", "from_staff", "to_staff"
        )
        return _candidate_filtered(self, queryset).order_by("-on", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        candidate = _full_candidate(actor, data["candidate"])
        try:
            handover = services.hand_over(
                candidate,
                actor=actor,
                to_staff=data["to_staff"],
                warm=data.get("warm", False),
                note=data.get("note", ""),
            )
        except services.IncompleteProfile as incomplete:
            labels = profile.missing_labels(tuple(incomplete.missing))
            return problem(
                422,
                _("Profile incomplete"),
                incomplete.messages[0],
                code="incomplete",
                missing=incomplete.missing,
                invalid_params=[
                    {"name": code, "reason": label}
                    for code, label in zip(incomplete.missing, labels, strict=True)
                ],
            )
        return self.respond(handover, status=201)


# --- Consents -------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    candidate = ScopedRelatedField(Candidate)
    employer = ScopedRelatedField(Employer, allow_null=True, required=False)
    granted_via = serializers.ChoiceField(
        choices=ConsentChannel.choices,
        help_text="How the candidate gave it (a candidate's own grant is always 'portaal').",
    )
    withdrawn_via = serializers.CharField(read_only=True)
    in_force = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "uuid",
            "candidate",
            "scope",
            "employer",
            "granted_at",
            "granted_via",
            "withdrawn_at",
            "withdrawn_via",
            "in_force",
        ]
        read_only_fields = ["uuid", "granted_at", "withdrawn_at", "withdrawn_via"]
        validators: list[Any] = []  # "already in force" is the service's rule (no error)


class WithdrawSerializer(serializers.Serializer):
    via = serializers.CharField(
        required=False,
        default=ConsentChannel.PORTAL,
        help_text="How the candidate withdrew it: " + ", ".join(ConsentChannel.values),
    )

    def validate_via(self, value: str) -> str:
        if value not in ConsentChannel.values:
            raise serializers.ValidationError(_("Say how the consent was withdrawn."))
        return value


CONSENT_WRITE = ("candidates.consent", "portal.candidate")


@extend_schema_view(list=extend_schema(parameters=[CandidateFilterParams]))
class ConsentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = Consent.objects.none()
    serializer_class = ConsentSerializer
    filter_serializer_class = CandidateFilterParams
    permission_map = {
        "list": (VIEW, "portal.candidate"),
        "create": CONSENT_WRITE,
        "withdraw": CONSENT_WRITE,
    }

    def get_serializer_class(self) -> Any:
        return WithdrawSerializer if self.action == "withdraw" else ConsentSerializer

    def get_queryset(self) -> QuerySet[Consent]:
        queryset = access.scoped(Consent, self.actor()).select_related("candidate", "employer")
        return _candidate_filtered(self, queryset).order_by("-granted_at", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        consent = services.grant_consent(
            _full_candidate(actor, data["candidate"]),
            actor=actor,
            scope=data["scope"],
            via=data["granted_via"],
            employer=data.get("employer"),
        )
        return self.respond(consent, status=201, serializer_class=ConsentSerializer)

    @extend_schema(
        request=WithdrawSerializer,
        responses={200: ConsentSerializer},
        description="Withdraw the consent; it stops counting from the next request on. "
        "Withdrawing the consent to share with an employer also withdraws the disclosure of "
        "limitations to that employer.",
    )
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    def withdraw(self, request: Request, uuid: str | None = None) -> Response:
        consent = access.get_for_view(
            self.get_queryset(), self.actor(), self.kwargs["uuid"], purpose="API: consent"
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.withdraw_consent(consent, actor=self.actor(), via=serializer.validated_data["via"])
        consent.refresh_from_db()
        return self.respond(consent, serializer_class=ConsentSerializer)


# --- Contacts -------------------------------------------------------------------------------


class CandidateContactSerializer(serializers.ModelSerializer):
    candidate = ScopedRelatedField(Candidate)
    staff = ScopedRelatedField(Staff, read_only=True)

    class Meta:
        model = CandidateContact
        fields = ["uuid", "candidate", "at", "channel", "staff", "summary", "agreements"]
        read_only_fields = ["uuid", "staff"]
        extra_kwargs = {"at": {"validators": [plausible_moment]}}


@extend_schema_view(list=extend_schema(parameters=[CandidateFilterParams]))
class CandidateContactViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = CandidateContact.objects.none()
    serializer_class = CandidateContactSerializer
    filter_serializer_class = CandidateFilterParams
    permission_map = {"list": VIEW, "create": "candidates.contact"}

    def get_queryset(self) -> QuerySet[CandidateContact]:
        queryset = access.scoped(CandidateContact, self.actor()).select_related(
            "candidate", "staff"
        )
        return _candidate_filtered(self, queryset).order_by("-at", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        contact = services.record_contact(
            _full_candidate(actor, data["candidate"]),
            actor=actor,
            at=data["at"],
            channel=data["channel"],
            summary=data["summary"],
            agreements=data.get("agreements", ""),
        )
        return self.respond(contact, status=201)


# --- Returns --------------------------------------------------------------------------------


class ReturnSerializer(serializers.ModelSerializer):
    candidate = ScopedRelatedField(Candidate)
    municipality = ScopedRelatedField(Municipality, read_only=True)
    sent_by = ScopedRelatedField(Staff, read_only=True)
    receiver = ScopedRelatedField(Staff, read_only=True)
    acknowledged_by = ScopedRelatedField(Staff, read_only=True)
    instruments_tried = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, allow_empty=True
    )

    class Meta:
        model = Return
        fields = [
            "uuid",
            "candidate",
            "municipality",
            "on",
            "reason",
            "explanation",
            "instruments_tried",
            "recommended_next_step",
            "service_months",
            "sent_by",
            "receiver",
            "acknowledged_at",
            "acknowledged_by",
        ]
        read_only_fields = [
            "uuid",
            "on",
            "service_months",
            "acknowledged_at",
        ]


class _NoBody(serializers.Serializer):
    pass


@extend_schema_view(list=extend_schema(parameters=[CandidateFilterParams]))
class ReturnViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = Return.objects.none()
    serializer_class = ReturnSerializer
    filter_serializer_class = CandidateFilterParams
    permission_map = {
        "list": VIEW,
        "create": "candidates.return",
        "acknowledge": "candidates.return_ack",
    }

    def get_serializer_class(self) -> Any:
        return _NoBody if self.action == "acknowledge" else ReturnSerializer

    def get_queryset(self) -> QuerySet[Return]:
        queryset = access.scoped(Return, self.actor()).select_related(
            "candidate", "municipality", "sent_by", "receiver", "acknowledged_by"
        )
        return _candidate_filtered(self, queryset).order_by("-on", "-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        ret = services.send_return(
            _full_candidate(actor, data["candidate"]),
            actor=actor,
            reason=data["reason"],
            explanation=data["explanation"],
            instruments_tried=data.get("instruments_tried", []),
            recommended_next_step=data["recommended_next_step"],
        )
        return self.respond(ret, status=201)

    @extend_schema(
        request=None,
        responses={200: ReturnSerializer},
        description="The receiving client manager confirms the return was read.",
    )
    @action(detail=True, methods=["post"], url_path="acknowledge", url_name="acknowledge")
    def acknowledge(self, request: Request, uuid: str | None = None) -> Response:
        ret = access.get_for_view(
            self.get_queryset(), self.actor(), self.kwargs["uuid"], purpose="API: return"
        )
        ret = services.acknowledge_return(ret, actor=self.actor())
        return self.respond(ret, serializer_class=ReturnSerializer)


def register(router: SimpleRouter) -> None:
    router.register("candidates", CandidateViewSet, basename="candidate")
    router.register("handovers", HandoverViewSet, basename="handover")
    router.register("consents", ConsentViewSet, basename="consent")
    router.register("candidate-contacts", CandidateContactViewSet, basename="candidate-contact")
    router.register("returns", ReturnViewSet, basename="return")
