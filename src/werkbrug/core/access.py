"""The one access mechanism (architecture rule 3). Deny by default.

Three questions, answered here and nowhere else:

1. *Who is acting?* ``actor_for(user)`` turns a user into an ``Actor``: their roles and, for
   staff, their organisation, municipality, team and region.
2. *May they do this?* ``can(actor, permission)`` looks the permission up in ``PERMISSIONS``,
   a table of permission → roles. Unknown permissions are denied. Views declare their
   permission with ``core.views.access_rule``; the access-matrix test walks every URL and fails
   on a route without one.
3. *Which records may they see?* ``scoped(Model, actor)`` returns a queryset filtered by the
   scope rule registered for that model with ``@scope_rule(Model)``. A model without a rule
   returns nothing. Selectors start every query here; ``get_for_view`` fetches one record by
   its public UUID and logs the read when the model holds personal data.

Later apps add permissions with ``register_permissions`` and scope rules with ``@scope_rule``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from werkbrug.core import audit
from werkbrug.core.roles import PORTAL_ROLES, STAFF_ROLES, Role

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Actor:
    """Everything the access layer needs to know about the person acting."""

    user_id: int | None
    username: str = ""
    roles: frozenset[str] = frozenset()
    is_superuser: bool = False
    staff_id: int | None = None
    organisation_id: int | None = None
    municipality_id: int | None = None
    region_id: int | None = None
    team_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_staff_member(self) -> bool:
        return self.staff_id is not None and bool(self.roles & STAFF_ROLES)

    @property
    def is_portal_user(self) -> bool:
        return bool(self.roles & PORTAL_ROLES) and not self.is_staff_member

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


ANONYMOUS = Actor(user_id=None)


def actor_for(user: Any) -> Actor:
    """The Actor for a user, computed once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_werkbrug_actor", None)
    if cached is not None:
        return cached
    from werkbrug.accounts.models import RoleGrant
    from werkbrug.regions.models import Staff

    roles = frozenset(RoleGrant.objects.filter(user_id=user.pk).values_list("role", flat=True))
    staff = (
        Staff.objects.filter(user_id=user.pk, active=True)
        .select_related("organisation")
        .only("id", "organisation_id", "municipality_id", "team_id", "organisation__region_id")
        .first()
    )
    actor = Actor(
        user_id=user.pk,
        username=user.get_username(),
        roles=roles if staff is not None else roles - STAFF_ROLES,
        is_superuser=bool(user.is_superuser),
        staff_id=staff.pk if staff else None,
        organisation_id=staff.organisation_id if staff else None,
        municipality_id=staff.municipality_id if staff else None,
        region_id=staff.organisation.region_id if staff else None,
        team_id=staff.team_id if staff else None,
    )
    user._werkbrug_actor = actor
    return actor


# --- Permissions ----------------------------------------------------------------------------

AUTHENTICATED = "__authenticated__"  # any logged-in user
PUBLIC = "__public__"  # no login (login page, health)

_ALL_STAFF = frozenset(STAFF_ROLES)

PERMISSIONS: dict[str, frozenset[str]] = {
    # regions app
    "regions.view": _ALL_STAFF,
    "regions.manage": frozenset({Role.FUNCTIONAL_ADMIN}),
    "staff.view": _ALL_STAFF - {Role.RESEARCHER},
    "staff.manage": frozenset({Role.FUNCTIONAL_ADMIN}),
    # core
    "audit.view": frozenset({Role.FUNCTIONAL_ADMIN}),
    "settings.view": frozenset({Role.FUNCTIONAL_ADMIN}),
    "team.overview": frozenset({Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN}),
}


def register_permissions(permissions: dict[str, Iterable[str]]) -> None:
    """Add a later app's permissions; a name may be registered only once."""
    for name, roles in permissions.items():
        if name in PERMISSIONS:
            raise ValueError(f"Permission {name!r} is already registered.")
        PERMISSIONS[name] = frozenset(roles)


def can(actor: Actor, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    if not actor.is_authenticated:
        return False
    if permission == AUTHENTICATED:
        return True
    allowed = PERMISSIONS.get(permission)
    if allowed is None:
        return False  # deny by default: an unknown permission is nobody's
    return bool(actor.roles & allowed)


def require(actor: Actor, permission: str) -> None:
    if not can(actor, permission):
        raise PermissionDenied(permission)


# --- Scoping --------------------------------------------------------------------------------

ScopeFn = Callable[[Actor], models.Q | bool]
_SCOPE_RULES: dict[type[models.Model], ScopeFn] = {}


def scope_rule(model: type[models.Model]) -> Callable[[ScopeFn], ScopeFn]:
    """Register the function that says which rows of ``model`` an actor may see.

    It returns a Q object, True (all rows) or False (none). It is never called for anonymous
    actors (they see nothing).
    """

    def register(fn: ScopeFn) -> ScopeFn:
        if model in _SCOPE_RULES:
            raise ValueError(f"{model.__name__} already has a scope rule.")
        _SCOPE_RULES[model] = fn
        return fn

    return register


def has_scope_rule(model: type[models.Model]) -> bool:
    return model in _SCOPE_RULES


def scoped(model_or_queryset: type[M] | models.QuerySet[M], actor: Actor) -> models.QuerySet[M]:
    """Rows the actor may see. Deny by default: no rule or no login means an empty result."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    rule = _SCOPE_RULES.get(queryset.model)
    if rule is None or not actor.is_authenticated:
        return queryset.none()
    verdict = rule(actor)
    if verdict is True:
        return queryset
    if verdict is False:
        return queryset.none()
    return queryset.filter(verdict)


def get_for_view(
    model_or_queryset: type[M] | models.QuerySet[M], actor: Actor, uuid: Any, *, purpose: str
) -> M:
    """One record by public UUID, if the actor may see it; 404 otherwise (no existence leak).

    Reads of models holding personal data are written to the access log with their purpose.
    """
    try:
        instance = scoped(model_or_queryset, actor).get(uuid=uuid)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    except Exception as exc:  # invalid UUID string on some backends
        if exc.__class__.__name__ == "ValidationError":
            raise Http404 from exc
        raise
    if getattr(instance, "audit_personal_data", False):
        audit.log_access(instance, purpose=purpose)
    return instance
