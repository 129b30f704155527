"""API for the organisation model: read for staff, write for functional administrators.
Viewsets translate HTTP to the same selectors and services the web pages use."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.core import access
from werkbrug.core.roles import STAFF_ROLES
from werkbrug.core.validators import normalize_phone, validate_email, validate_phone
from werkbrug.regions import selectors, services
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team

READ = {"list": "regions.view", "retrieve": "regions.view"}
WRITE = {"create": "regions.manage", "update": "regions.manage", "partial_update": "regions.manage"}


class ScopedRelatedField(serializers.SlugRelatedField):
    """A relation given by UUID, limited to the records the caller may see."""

    def __init__(self, model: type, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("slug_field", "uuid")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        actor = access.actor_for(getattr(request, "user", None))
        return access.scoped(self.model, actor)


class RegionSerializer(serializers.ModelSerializer):
    centrumgemeente = ScopedRelatedField(Municipality, allow_null=True, required=False)

    class Meta:
        model = Region
        fields = ["uuid", "name", "code", "centrumgemeente", "version"]
        read_only_fields = ["uuid", "version"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = ScopedRelatedField(Region)
    composed_of = ScopedRelatedField(Municipality, many=True, required=False)

    class Meta:
        model = Municipality
        fields = [
            "uuid",
            "name",
            "kind",
            "cbs_code",
            "region",
            "composed_of",
            "ended_on",
            "version",
        ]
        read_only_fields = ["uuid", "version"]


class OrganisationSerializer(serializers.ModelSerializer):
    region = ScopedRelatedField(Region)
    municipality = ScopedRelatedField(Municipality, allow_null=True, required=False)
    serves = ScopedRelatedField(Municipality, many=True, required=False)
    email = serializers.CharField(
        max_length=254, allow_blank=True, required=False, validators=[validate_email]
    )
    phone = serializers.CharField(
        max_length=20, allow_blank=True, required=False, validators=[validate_phone]
    )

    class Meta:
        model = Organisation
        fields = [
            "uuid",
            "name",
            "kind",
            "region",
            "municipality",
            "serves",
            "email",
            "phone",
            "version",
        ]
        read_only_fields = ["uuid", "version"]

    def validate_phone(self, value: str) -> str:
        return normalize_phone(value) if value else value


class TeamSerializer(serializers.ModelSerializer):
    organisation = ScopedRelatedField(Organisation)
    municipality = ScopedRelatedField(Municipality, allow_null=True, required=False)
    lead = ScopedRelatedField(Staff, allow_null=True, required=False)

    class Meta:
        model = Team
        fields = ["uuid", "name", "organisation", "municipality", "lead", "version"]
        read_only_fields = ["uuid", "version"]


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", max_length=150)
    first_name = serializers.CharField(source="user.first_name", max_length=150)
    last_name = serializers.CharField(source="user.last_name", max_length=150)
    email = serializers.CharField(source="user.email", max_length=254, validators=[validate_email])
    roles = serializers.ListField(
        source="role_codes",
        child=serializers.ChoiceField(choices=sorted(STAFF_ROLES)),
        allow_empty=False,
    )
    organisation = ScopedRelatedField(Organisation)
    municipality = ScopedRelatedField(Municipality)
    team = ScopedRelatedField(Team, allow_null=True, required=False)
    substitute = ScopedRelatedField(Staff, allow_null=True, required=False)
    phone = serializers.CharField(
        max_length=20, allow_blank=True, required=False, validators=[validate_phone]
    )

    class Meta:
        model = Staff
        fields = [
            "uuid",
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "organisation",
            "municipality",
            "team",
            "job_title",
            "phone",
            "substitute",
            "away_from",
            "away_until",
            "active",
            "version",
        ]
        read_only_fields = ["uuid", "version"]

    def validate_phone(self, value: str) -> str:
        return normalize_phone(value) if value else value

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["username"].read_only = True
        return fields


class _ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "uuid"
    permission_map = {**READ, **WRITE}

    def actor(self) -> access.Actor:
        return access.actor_for(self.request.user)

    def _write(self, serializer: Any, save: Any) -> Response:
        serializer.is_valid(raise_exception=True)
        instance = serializer.instance or serializer.Meta.model()
        data = dict(serializer.validated_data)
        m2m = {
            name: data.pop(name)
            for name in list(data)
            if isinstance(serializer.fields.get(name), serializers.ManyRelatedField)
        }
        for name, value in data.items():
            setattr(instance, name, value)
        with transaction.atomic():
            saved = save(instance, m2m)
        return Response(
            type(serializer)(saved, context=self.get_serializer_context()).data,
            status=201 if serializer.instance is None else 200,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._write(self.get_serializer(data=request.data), self.save_instance)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        return self._write(serializer, self.save_instance)

    def save_instance(self, instance: Any, m2m: dict[str, Any]) -> Any:
        raise NotImplementedError


class RegionViewSet(_ScopedViewSet):
    serializer_class = RegionSerializer
    permission_map = READ  # regions are created by system administrators only

    def get_queryset(self) -> Any:
        return selectors.regions(actor=self.actor())


class MunicipalityViewSet(_ScopedViewSet):
    serializer_class = MunicipalitySerializer

    def get_queryset(self) -> Any:
        return selectors.municipalities(actor=self.actor())

    def save_instance(self, instance: Municipality, m2m: dict[str, Any]) -> Municipality:
        return services.save_municipality(
            actor=self.actor(),
            municipality=instance,
            composed_of=m2m.get("composed_of", instance.composed_of.all() if instance.pk else []),
        )


class OrganisationViewSet(_ScopedViewSet):
    serializer_class = OrganisationSerializer

    def get_queryset(self) -> Any:
        return selectors.organisations(actor=self.actor())

    def save_instance(self, instance: Organisation, m2m: dict[str, Any]) -> Organisation:
        return services.save_organisation(
            actor=self.actor(),
            organisation=instance,
            serves=m2m.get("serves", instance.serves.all() if instance.pk else []),
        )


class TeamViewSet(_ScopedViewSet):
    serializer_class = TeamSerializer

    def get_queryset(self) -> Any:
        return selectors.teams(actor=self.actor())

    def save_instance(self, instance: Team, m2m: dict[str, Any]) -> Team:
        return services.save_team(actor=self.actor(), team=instance)


class StaffViewSet(_ScopedViewSet):
    serializer_class = StaffSerializer
    permission_map = {
        "list": "staff.view",
        "retrieve": "staff.view",
        "create": "staff.manage",
        "update": "staff.manage",
        "partial_update": "staff.manage",
    }

    def get_queryset(self) -> Any:
        return selectors.staff_list(actor=self.actor())

    def get_object(self) -> Staff:
        return selectors.staff_member(
            actor=self.actor(), uuid=self.kwargs["uuid"], purpose="API: staff record"
        )

    def _write(self, serializer: Any, save: Any) -> Response:
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user_data = data.pop("user", {})
        roles = data.pop("role_codes", None)
        staff = serializer.instance or Staff()
        if staff.pk is not None:
            user_data = {
                "username": staff.user.username,
                "first_name": user_data.get("first_name", staff.user.first_name),
                "last_name": user_data.get("last_name", staff.user.last_name),
                "email": user_data.get("email", staff.user.email),
            }
            roles = roles if roles is not None else staff.role_codes
        for name, value in data.items():
            setattr(staff, name, value)
        saved = services.save_staff(
            actor=self.actor(), staff=staff, user_data=user_data, roles=roles or []
        )
        return Response(
            StaffSerializer(saved, context=self.get_serializer_context()).data,
            status=201 if serializer.instance is None else 200,
        )


def register(router: SimpleRouter) -> None:
    router.register("regions", RegionViewSet, basename="region")
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("teams", TeamViewSet, basename="team")
    router.register("staff", StaffViewSet, basename="staff")
