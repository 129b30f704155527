"""API of the employer register: employers, contact persons, contact moments, employer
questions and work opportunities.

Viewsets translate HTTP to the selectors and services the staff pages use; the access layer
decides what a caller sees. Staff of a region see the region's shared register; an employer's
contact person (portal role ``werkgever``) reads their own company, may ask questions and
submit work for it, and never sees contact moments (internal notes).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.api.fields import plausible_moment
from werkbrug.api.permissions import DenyByDefault
from werkbrug.api.problems import problem
from werkbrug.core import access
from werkbrug.core.concurrency import StaleRecordError, lock_current
from werkbrug.core.validators import (
    normalize_email,
    normalize_kvk,
    normalize_phone,
    normalize_postcode,
    normalize_vestigingsnummer,
    validate_email,
    validate_kvk,
    validate_phone,
    validate_postcode,
    validate_vestigingsnummer,
)
from werkbrug.employers import selectors, services
from werkbrug.employers.models import (
    Action,
    Channel,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityKind,
    OpportunityStatus,
    Phase,
    WorkOpportunity,
)
from werkbrug.regions.api import ScopedRelatedField
from werkbrug.regions.models import Municipality, Staff

VIEW = "employers.view"
EDIT = "employers.edit"
PORTAL = "portal.employer"
#: Read by staff of the region or by the employer's own contact person (scope rules decide rows).
VIEW_OR_PORTAL = (VIEW, PORTAL)
EDIT_OR_PORTAL = (EDIT, PORTAL)

WRITE = {"create": EDIT, "update": EDIT, "partial_update": EDIT}


class AnyOfPermissions(DenyByDefault):
    """DenyByDefault, where a ``permission_map`` value may also be a tuple: any one of those
    permissions will do. An action missing from the map is still denied."""

    def has_permission(self, request: Any, view: Any) -> bool:
        permission_map: dict[str, str | tuple[str, ...]] = getattr(view, "permission_map", {})
        action_name = getattr(view, "action", None) or request.method.lower()
        wanted = permission_map.get(action_name)
        if wanted is None:
            return False
        actor = access.actor_for(request.user)
        options = (wanted,) if isinstance(wanted, str) else wanted
        return any(access.can(actor, permission) for permission in options)


# --- Fields and helpers ---------------------------------------------------------------------


class LiveEmployerField(ScopedRelatedField):
    """An employer the caller may see and that was not merged into another record."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Employer, **kwargs)

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(merged_into__isnull=True)


def _normalised(value: str, normalise: Any) -> str:
    """Store codes typed with spaces in one form; an invalid value is left for the
    validator to explain."""
    value = value.strip()
    if not value:
        return ""
    try:
        return str(normalise(value))
    except ValueError:
        return value


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version the change is based on; required when changing a record. "
        "A stale version is refused with 409.",
    )


def _require_version(data: dict[str, Any]) -> int:
    version = data.pop("version", None)
    if version is None:
        raise serializers.ValidationError(
            {"version": [_("Send the version of the record you are changing.")]}
        )
    return int(version)


def _stale(error: StaleRecordError) -> Response:
    return problem(409, _("Conflict"), error.messages[0], code="stale")


STALE_RESPONSE = OpenApiResponse(
    description="Problem details: someone else saved the record since `version` was read."
)


def _is_staff_reader(view: Any) -> bool:
    if getattr(view, "swagger_fake_view", False):
        return True
    return access.can(access.actor_for(view.request.user), VIEW)


class _ApiViewSet(viewsets.GenericViewSet):
    lookup_field = "uuid"
    permission_classes = [AnyOfPermissions]
    filter_backends: list[Any] = []  # filters are selector arguments, read by filter_params
    filter_serializer_class: type[serializers.Serializer] | None = None

    def actor(self) -> access.Actor:
        return access.actor_for(self.request.user)

    def filter_params(self) -> dict[str, Any]:
        """The list's query parameters, validated (a bad value is a 400 naming it)."""
        if self.filter_serializer_class is None:
            return {}
        serializer = self.filter_serializer_class(
            data=self.request.query_params.dict(), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance: Any, status: int = 200, serializer_class: Any = None) -> Response:
        cls = serializer_class or self.get_serializer_class()
        return Response(cls(instance, context=self.get_serializer_context()).data, status=status)


# --- Employers ------------------------------------------------------------------------------

#: API ordering → the selector's sort keys (shared with the staff list page).
EMPLOYER_ORDERING = {
    "name": "naam",
    "-name": "-naam",
    "last_contact_on": "laatste_contact",
    "-last_contact_on": "-laatste_contact",
    "municipality": "gemeente",
    "phase": "fase",
}


class EmployerFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Name or place; also the start of a KvK number or postcode.",
    )
    municipality = ScopedRelatedField(Municipality, required=False)
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    owner = ScopedRelatedField(
        Staff, required=False, help_text="Relationship manager or substitute (staff uuid)."
    )
    relation = serializers.ChoiceField(
        choices=[("warm", "warm"), ("koud", "koud")],
        required=False,
        help_text="Warm: contact within the region's norm; koud: none since.",
    )
    ambassador = serializers.BooleanField(required=False)
    ordering = serializers.ChoiceField(choices=list(EMPLOYER_ORDERING), required=False)


EMPLOYER_FIELDS = [
    "uuid",
    "name",
    "kvk_number",
    "vestigingsnummer",
    "sbi_code",
    "size_class",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "municipality",
    "website",
    "owner",
    "substitute",
    "phase",
    "ambassador",
    "source",
    "first_contact_on",
    "last_contact_on",
    "version",
]


class EmployerSerializer(serializers.ModelSerializer):
    kvk_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[validate_kvk]
    )
    vestigingsnummer = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[validate_vestigingsnummer]
    )
    postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, validators=[validate_postcode]
    )
    municipality = ScopedRelatedField(Municipality)
    owner = ScopedRelatedField(Staff, help_text="The relationship manager (staff uuid).")
    substitute = ScopedRelatedField(Staff, allow_null=True, required=False)
    version = _version_field()
    duplicates_checked = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Set after checking the suspected duplicates a 409 answer listed: this is "
        "a different establishment.",
    )

    class Meta:
        model = Employer
        fields = [*EMPLOYER_FIELDS[:-1], "notes", "version", "duplicates_checked"]
        read_only_fields = ["uuid", "first_contact_on", "last_contact_on"]
        extra_kwargs = {
            "phase": {"help_text": "Ignored on create: a new employer starts as a prospect."},
            "notes": {"help_text": "Internal notes; not shown to the employer."},
        }

    def validate_kvk_number(self, value: str) -> str:
        return _normalised(value, normalize_kvk)

    def validate_vestigingsnummer(self, value: str) -> str:
        return _normalised(value, normalize_vestigingsnummer)

    def validate_postcode(self, value: str) -> str:
        return _normalised(value, normalize_postcode)


class EmployerPortalSerializer(serializers.ModelSerializer):
    """What an employer's own contact person reads about their company (no internal notes)."""

    municipality = ScopedRelatedField(Municipality, read_only=True)
    owner = ScopedRelatedField(Staff, read_only=True)
    substitute = ScopedRelatedField(Staff, read_only=True)

    class Meta:
        model = Employer
        fields = EMPLOYER_FIELDS
        read_only_fields = EMPLOYER_FIELDS


def _duplicates(matches: list[Employer]) -> list[dict[str, str]]:
    return [{"uuid": str(m.uuid), "name": m.name} for m in matches]


def _registered_conflict(error: services.AlreadyRegistered) -> Response:
    """A KvK + establishment number already in the register: 409 with the registered record,
    which no confirmation can override."""
    return problem(
        409,
        _("Conflict"),
        error.messages[0],
        code="registered",
        invalid_params=[{"name": "kvk_number", "reason": error.messages[0]}],
        duplicates=_duplicates([error.existing]),
    )


DUPLICATE_RESPONSE = OpenApiResponse(
    description="Problem details: a suspected duplicate (extension member `duplicates`: "
    "uuid and name of each match; send `duplicates_checked: true` to register anyway), the "
    "KvK and establishment number are already registered, or a stale `version`."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[EmployerFilterSerializer],
        description="The employer register of the caller's region; an employer's contact "
        "person sees only their own company (without internal notes).",
    ),
    create=extend_schema(responses={201: EmployerSerializer, 409: DUPLICATE_RESPONSE}),
    update=extend_schema(responses={200: EmployerSerializer, 409: DUPLICATE_RESPONSE}),
    partial_update=extend_schema(responses={200: EmployerSerializer, 409: DUPLICATE_RESPONSE}),
)
class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _ApiViewSet,
):
    queryset = Employer.objects.none()
    serializer_class = EmployerSerializer
    filter_serializer_class = EmployerFilterSerializer
    permission_map = {"list": VIEW_OR_PORTAL, "retrieve": VIEW_OR_PORTAL, **WRITE}

    def get_serializer_class(self) -> Any:
        return EmployerSerializer if _is_staff_reader(self) else EmployerPortalSerializer

    def get_queryset(self) -> QuerySet[Employer]:
        params = self.filter_params() if self.action == "list" else {}
        municipality, owner = params.get("municipality"), params.get("owner")
        flt = selectors.EmployerFilter(
            search=params.get("search", ""),
            municipality_id=municipality.pk if municipality else None,
            phase=params.get("phase", ""),
            owner_id=owner.pk if owner else None,
            relation=params.get("relation", ""),
            ambassador=params.get("ambassador"),
            sort=EMPLOYER_ORDERING.get(params.get("ordering", ""), "naam"),
        )
        return selectors.employers(actor=self.actor(), flt=flt)

    def get_object(self) -> Employer:
        return selectors.employer(actor=self.actor(), uuid=self.kwargs["uuid"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        checked = bool(data.pop("duplicates_checked", False))
        data.pop("version", None)
        data.pop("phase", None)  # a new employer starts as a prospect; contacts move it on
        employer = Employer(**data)
        try:
            employer = services.register_employer(
                actor=self.actor(), employer=employer, duplicates_checked=checked
            )
        except services.DuplicateSuspected as suspected:
            return problem(
                409,
                _("Possible duplicate"),
                suspected.messages[0],
                code="duplicate",
                duplicates=_duplicates(suspected.matches),
            )
        except services.AlreadyRegistered as error:
            return _registered_conflict(error)
        return self.respond(employer, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        employer = self.get_object()
        if employer.merged_into_id:
            raise Http404  # a merged record is read-only; changes go to the one it joined
        serializer = self.get_serializer(employer, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("duplicates_checked", None)
        version = _require_version(data)
        for name, value in data.items():
            setattr(employer, name, value)
        try:
            services.update_employer(
                actor=self.actor(), employer=employer, expected_version=version
            )
        except StaleRecordError as error:
            return _stale(error)
        except services.AlreadyRegistered as error:
            return _registered_conflict(error)
        return self.respond(employer)


# --- Contact persons ------------------------------------------------------------------------


class ContactPersonFilterSerializer(serializers.Serializer):
    employer = ScopedRelatedField(Employer, required=False)


class ContactPersonSerializer(serializers.ModelSerializer):
    employer = LiveEmployerField()
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, validators=[validate_phone]
    )
    email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, validators=[validate_email]
    )
    version = _version_field()

    class Meta:
        model = ContactPerson
        fields = [
            "uuid",
            "employer",
            "name",
            "role",
            "phone",
            "email",
            "preferred_channel",
            "is_primary",
            "active",
            "version",
        ]
        read_only_fields = ["uuid"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if isinstance(self.instance, ContactPerson):
            fields["employer"].read_only = True  # a person does not move to another company
        return fields

    def validate_phone(self, value: str) -> str:
        return _normalised(value, normalize_phone)

    def validate_email(self, value: str) -> str:
        return _normalised(value, normalize_email)


@extend_schema_view(
    list=extend_schema(parameters=[ContactPersonFilterSerializer]),
    update=extend_schema(responses={200: ContactPersonSerializer, 409: STALE_RESPONSE}),
    partial_update=extend_schema(responses={200: ContactPersonSerializer, 409: STALE_RESPONSE}),
)
class ContactPersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _ApiViewSet,
):
    queryset = ContactPerson.objects.none()
    serializer_class = ContactPersonSerializer
    filter_serializer_class = ContactPersonFilterSerializer
    permission_map = {"list": VIEW_OR_PORTAL, "retrieve": VIEW_OR_PORTAL, **WRITE}

    def _base(self) -> QuerySet[ContactPerson]:
        return access.scoped(ContactPerson, self.actor()).select_related("employer")

    def get_queryset(self) -> QuerySet[ContactPerson]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = self._base()
        if params.get("employer"):
            queryset = queryset.filter(employer=params["employer"])
        return queryset.order_by("employer__name", "employer_id", "-is_primary", "name", "id")

    def get_object(self) -> ContactPerson:
        return access.get_for_view(
            self._base(), self.actor(), self.kwargs["uuid"], purpose="API: contact person"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        person = services.save_contact_person(actor=self.actor(), person=ContactPerson(**data))
        return self.respond(person, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        person = self.get_object()
        if person.employer.merged_into_id:
            raise Http404
        serializer = self.get_serializer(person, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        for name, value in data.items():
            setattr(person, name, value)
        try:
            with transaction.atomic():
                # save_contact_person takes no version: lock and check it here, in the same
                # transaction as the service's save.
                lock_current(person, version)
                services.save_contact_person(actor=self.actor(), person=person)
        except StaleRecordError as error:
            return _stale(error)
        return self.respond(person)


# --- Contact moments (staff only) -----------------------------------------------------------


class ContactMomentFilterSerializer(serializers.Serializer):
    employer = ScopedRelatedField(Employer, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    first_contact = serializers.BooleanField(
        required=False, help_text="Only (or no) first contacts ever with the employer."
    )


class AgreedActionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(max_length=200)
    owner = ScopedRelatedField(Staff, help_text="Who does it (staff uuid).")
    due_on = serializers.DateField()
    done_at = serializers.DateTimeField(read_only=True)


class ContactMomentSerializer(serializers.ModelSerializer):
    employer = LiveEmployerField()
    staff = ScopedRelatedField(
        Staff, many=True, required=False, help_text="Colleagues present; you are added."
    )
    contact_person = ScopedRelatedField(ContactPerson, allow_null=True, required=False)
    recorded_by = ScopedRelatedField(Staff, read_only=True)
    actions = AgreedActionSerializer(many=True, required=False)

    class Meta:
        model = ContactMoment
        fields = [
            "uuid",
            "employer",
            "date",
            "channel",
            "staff",
            "contact_person",
            "notes",
            "work_found",
            "is_first_contact",
            "recorded_by",
            "actions",
        ]
        read_only_fields = ["uuid", "is_first_contact"]


@extend_schema_view(list=extend_schema(parameters=[ContactMomentFilterSerializer]))
class ContactMomentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ApiViewSet
):
    queryset = ContactMoment.objects.none()
    serializer_class = ContactMomentSerializer
    filter_serializer_class = ContactMomentFilterSerializer
    permission_map = {"list": VIEW, "retrieve": VIEW, "create": EDIT}

    def _base(self) -> QuerySet[ContactMoment]:
        return (
            access.scoped(ContactMoment, self.actor())
            .select_related("employer", "contact_person", "recorded_by")
            .prefetch_related(
                "staff", Prefetch("actions", queryset=Action.objects.select_related("owner"))
            )
        )

    def get_queryset(self) -> QuerySet[ContactMoment]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = self._base()
        if params.get("employer"):
            queryset = queryset.filter(employer=params["employer"])
        if params.get("date_from"):
            queryset = queryset.filter(date__gte=params["date_from"])
        if params.get("date_to"):
            queryset = queryset.filter(date__lte=params["date_to"])
        if params.get("channel"):
            queryset = queryset.filter(channel=params["channel"])
        if params.get("first_contact") is not None:
            queryset = queryset.filter(is_first_contact=params["first_contact"])
        return queryset.order_by("-date", "-id")

    def get_object(self) -> ContactMoment:
        return access.get_for_view(
            self._base(), self.actor(), self.kwargs["uuid"], purpose="API: contact moment"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        moment = services.record_contact(
            actor=self.actor(),
            employer=data["employer"],
            date=data["date"],
            channel=data["channel"],
            staff=data.get("staff", []),
            contact_person=data.get("contact_person"),
            notes=data.get("notes", ""),
            work_found=data.get("work_found", False),
            actions=[
                services.AgreedAction(title=a["title"], owner=a["owner"], due_on=a["due_on"])
                for a in data.get("actions", [])
            ],
        )
        return self.respond(self._base().get(pk=moment.pk), status=201)


# --- Employer questions ---------------------------------------------------------------------


class QuestionFilterSerializer(serializers.Serializer):
    employer = ScopedRelatedField(Employer, required=False)
    open = serializers.BooleanField(required=False, help_text="Unanswered (true) or answered.")
    assigned_to = ScopedRelatedField(Staff, required=False)


class EmployerQuestionSerializer(serializers.ModelSerializer):
    employer = LiveEmployerField()
    contact_person = ScopedRelatedField(
        ContactPerson,
        allow_null=True,
        required=False,
        help_text="Who asked; for an employer's own contact person, themselves by default.",
    )
    received_at = serializers.DateTimeField(
        required=False,
        validators=[plausible_moment],
        help_text="When the question came in (staff only; default now).",
    )
    assigned_to = ScopedRelatedField(Staff, read_only=True)

    class Meta:
        model = EmployerQuestion
        fields = [
            "uuid",
            "employer",
            "contact_person",
            "received_at",
            "topic",
            "question",
            "assigned_to",
            "routed_to",
            "routed_at",
            "answer",
            "answered_at",
        ]
        read_only_fields = ["uuid", "routed_to", "routed_at", "answer", "answered_at"]


class QuestionHandlingSerializer(serializers.Serializer):
    """Answer a question, or note to whom it was passed on (or both)."""

    answer = serializers.CharField(required=False, allow_blank=True)
    routed_to = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "answer" not in attrs and "routed_to" not in attrs:
            raise serializers.ValidationError(
                _("Give the answer, or say to whom the question was passed on.")
            )
        return attrs


@extend_schema_view(
    list=extend_schema(parameters=[QuestionFilterSerializer]),
    partial_update=extend_schema(
        request=QuestionHandlingSerializer, responses=EmployerQuestionSerializer
    ),
)
class EmployerQuestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ApiViewSet
):
    queryset = EmployerQuestion.objects.none()
    serializer_class = EmployerQuestionSerializer
    filter_serializer_class = QuestionFilterSerializer
    permission_map = {
        "list": VIEW_OR_PORTAL,
        "retrieve": VIEW_OR_PORTAL,
        "create": EDIT_OR_PORTAL,
        "partial_update": EDIT,
    }

    def get_serializer_class(self) -> Any:
        if self.action == "partial_update":
            return QuestionHandlingSerializer
        return EmployerQuestionSerializer

    def _base(self) -> QuerySet[EmployerQuestion]:
        return access.scoped(EmployerQuestion, self.actor()).select_related(
            "employer", "contact_person", "assigned_to"
        )

    def get_queryset(self) -> QuerySet[EmployerQuestion]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = self._base()
        if params.get("employer"):
            queryset = queryset.filter(employer=params["employer"])
        if params.get("open") is not None:
            queryset = queryset.filter(answered_at__isnull=params["open"])
        if params.get("assigned_to"):
            queryset = queryset.filter(assigned_to=params["assigned_to"])
        return queryset.order_by("-received_at", "-id")

    def get_object(self) -> EmployerQuestion:
        return selectors.question(actor=self.actor(), uuid=self.kwargs["uuid"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        employer = data["employer"]
        contact_person = data.get("contact_person")
        received_at = data.get("received_at")
        if not access.can(actor, EDIT):  # an employer asking through the portal
            received_at = None
            if contact_person is None:
                contact_person = (
                    access.scoped(ContactPerson, actor)
                    .filter(employer=employer, user_id=actor.user_id)
                    .first()
                )
        question = services.receive_question(
            actor=actor,
            employer=employer,
            question=data["question"],
            topic=data.get("topic", EmployerQuestion.Topic.OTHER),
            contact_person=contact_person,
            received_at=received_at,
        )
        return self.respond(question, status=201, serializer_class=EmployerQuestionSerializer)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        question = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        with transaction.atomic():  # both or neither
            if "routed_to" in data:
                services.route_question(actor=actor, question=question, routed_to=data["routed_to"])
            if "answer" in data:
                services.answer_question(actor=actor, question=question, answer=data["answer"])
        return self.respond(question, serializer_class=EmployerQuestionSerializer)


# --- Work opportunities ---------------------------------------------------------------------


class OpportunityFilterSerializer(serializers.Serializer):
    employer = ScopedRelatedField(Employer, required=False)
    status = serializers.ChoiceField(choices=OpportunityStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=OpportunityKind.choices, required=False)
    latent = serializers.BooleanField(required=False)
    municipality = ScopedRelatedField(Municipality, required=False)


def _lines(help_text: str, *, required: bool) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=required,
        allow_empty=not required,
        help_text=help_text,
    )


class WorkOpportunitySerializer(serializers.ModelSerializer):
    employer = LiveEmployerField()
    tasks = _lines("The work, one task per item.", required=True)
    must_have = _lines("Requirements, one per item.", required=False)
    nice_to_have = _lines("Wishes, one per item.", required=False)
    version = _version_field()

    class Meta:
        model = WorkOpportunity
        fields = [
            "uuid",
            "employer",
            "title",
            "tasks",
            "occupation_code",
            "latent",
            "kind",
            "places",
            "hours_min",
            "hours_max",
            "schedule",
            "location",
            "start_date",
            "driving_licence",
            "language_level",
            "must_have",
            "nice_to_have",
            "status",
            "opened_on",
            "filled_on",
            "closed_on",
            "version",
        ]
        read_only_fields = ["uuid", "status", "opened_on", "filled_on", "closed_on"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if isinstance(self.instance, WorkOpportunity):
            fields["employer"].read_only = True
        return fields


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=OpportunityStatus.choices)
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Added to the e-mail the employer's contact persons receive.",
    )


@extend_schema_view(
    list=extend_schema(parameters=[OpportunityFilterSerializer]),
    update=extend_schema(responses={200: WorkOpportunitySerializer, 409: STALE_RESPONSE}),
    partial_update=extend_schema(responses={200: WorkOpportunitySerializer, 409: STALE_RESPONSE}),
)
class WorkOpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _ApiViewSet,
):
    queryset = WorkOpportunity.objects.none()
    serializer_class = WorkOpportunitySerializer
    filter_serializer_class = OpportunityFilterSerializer
    permission_map = {
        "list": VIEW_OR_PORTAL,
        "retrieve": VIEW_OR_PORTAL,
        "create": EDIT_OR_PORTAL,
        "update": EDIT,
        "partial_update": EDIT,
        "change_status": EDIT,
    }

    def get_serializer_class(self) -> Any:
        if self.action == "change_status":
            return StatusChangeSerializer
        return WorkOpportunitySerializer

    def get_queryset(self) -> QuerySet[WorkOpportunity]:
        params = self.filter_params() if self.action == "list" else {}
        municipality = params.get("municipality")
        queryset = selectors.opportunities(
            actor=self.actor(),
            status=params.get("status", ""),
            kind=params.get("kind", ""),
            latent=params.get("latent"),
            municipality_id=municipality.pk if municipality else None,
        )
        if params.get("employer"):
            queryset = queryset.filter(employer=params["employer"])
        return queryset

    def get_object(self) -> WorkOpportunity:
        return selectors.opportunity(actor=self.actor(), uuid=self.kwargs["uuid"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        opportunity = services.save_opportunity(
            actor=self.actor(), opportunity=WorkOpportunity(**data)
        )
        return self.respond(opportunity, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        opportunity = self.get_object()
        if opportunity.employer.merged_into_id:
            raise Http404
        serializer = self.get_serializer(opportunity, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        for name, value in data.items():
            setattr(opportunity, name, value)
        try:
            services.save_opportunity(
                actor=self.actor(), opportunity=opportunity, expected_version=version
            )
        except StaleRecordError as error:
            return _stale(error)
        return self.respond(opportunity)

    @extend_schema(
        request=StatusChangeSerializer,
        responses={200: WorkOpportunitySerializer},
        description="Move the opportunity along its pipeline (open → voorgesteld → "
        "kennismaking → ingevuld / vervallen). The employer's contact persons are told by "
        "e-mail. A transition that is not allowed is a 400 naming `status`.",
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def change_status(self, request: Request, uuid: str | None = None) -> Response:
        opportunity = self.get_object()
        if opportunity.employer.merged_into_id:
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            change = services.change_status(
                actor=self.actor(),
                opportunity=opportunity,
                to_status=serializer.validated_data["status"],
                note=serializer.validated_data.get("note", ""),
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict") and "to_status" in error.error_dict:
                # The service speaks of the form's field; the API's field is ``status``.
                errors = dict(error.message_dict)
                errors["status"] = errors.pop("to_status")
                raise DjangoValidationError(errors) from error
            raise
        return self.respond(change.opportunity, serializer_class=WorkOpportunitySerializer)


def register(router: SimpleRouter) -> None:
    router.register("employers", EmployerViewSet, basename="employer")
    router.register("contact-persons", ContactPersonViewSet, basename="contact-person")
    router.register("contact-moments", ContactMomentViewSet, basename="contact-moment")
    router.register("employer-questions", EmployerQuestionViewSet, basename="employer-question")
    router.register("work-opportunities", WorkOpportunityViewSet, basename="work-opportunity")
