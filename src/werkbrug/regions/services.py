"""Writes to the organisation model. Each function is one use case: keyword-only, atomic,
validated, audited (through AuditedModel), and checked against the actor's permission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.accounts import services as account_services
from werkbrug.accounts.models import User
from werkbrug.core import access
from werkbrug.core.concurrency import lock_current
from werkbrug.core.roles import STAFF_ROLES
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team


def _save(
    instance: Any, *, expected_version: int | None, m2m: dict[str, Iterable[Any]] | None = None
) -> Any:
    if instance.pk is not None:
        lock_current(instance, expected_version)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


def _in_region(actor: access.Actor, region_id: int | None) -> None:
    if not actor.is_superuser and region_id != actor.region_id:
        raise ValidationError({"region": _("You can only manage your own region.")})


@transaction.atomic
def save_region(
    *, actor: access.Actor, region: Region, expected_version: int | None = None
) -> Region:
    access.require(actor, "regions.manage")
    if region.pk is None and not actor.is_superuser:
        raise ValidationError(_("Only a system administrator can add a region."))
    if region.pk is not None:
        _in_region(actor, region.pk)
    return _save(region, expected_version=expected_version)


@transaction.atomic
def save_municipality(
    *,
    actor: access.Actor,
    municipality: Municipality,
    composed_of: Iterable[Municipality] = (),
    expected_version: int | None = None,
) -> Municipality:
    access.require(actor, "regions.manage")
    _in_region(actor, municipality.region_id)
    parts = list(composed_of)
    if municipality.pk is not None and any(part.pk == municipality.pk for part in parts):
        raise ValidationError({"composed_of": _("A municipality cannot be part of itself.")})
    return _save(municipality, expected_version=expected_version, m2m={"composed_of": parts})


@transaction.atomic
def save_organisation(
    *,
    actor: access.Actor,
    organisation: Organisation,
    serves: Iterable[Municipality] = (),
    expected_version: int | None = None,
) -> Organisation:
    access.require(actor, "regions.manage")
    _in_region(actor, organisation.region_id)
    served = list(serves)
    if any(m.region_id != organisation.region_id for m in served):
        raise ValidationError({"serves": _("Choose municipalities of the organisation's region.")})
    return _save(organisation, expected_version=expected_version, m2m={"serves": served})


@transaction.atomic
def save_team(*, actor: access.Actor, team: Team, expected_version: int | None = None) -> Team:
    access.require(actor, "regions.manage")
    _in_region(actor, team.organisation.region_id)
    if team.lead_id and team.lead.organisation.region_id != team.organisation.region_id:
        raise ValidationError({"lead": _("The team lead must work in the same region.")})
    return _save(team, expected_version=expected_version)


@transaction.atomic
def save_staff(
    *,
    actor: access.Actor,
    staff: Staff,
    user_data: dict[str, Any],
    roles: Iterable[str],
    expected_version: int | None = None,
) -> Staff:
    """Create or update a staff member together with their login and roles.

    A new staff member gets no password: they set one through the password-reset e-mail.
    """
    access.require(actor, "staff.manage")
    _in_region(actor, staff.organisation.region_id)
    wanted_roles = set(roles)
    if not wanted_roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if not wanted_roles <= STAFF_ROLES:
        raise ValidationError({"roles": _("Employer and candidate roles are not staff roles.")})
    if staff.municipality.region_id != staff.organisation.region_id:
        raise ValidationError(
            {"municipality": _("Choose a municipality in the organisation's region.")}
        )
    if staff.team_id and staff.team.organisation.region_id != staff.organisation.region_id:
        raise ValidationError({"team": _("Choose a team in the organisation's region.")})
    if (
        staff.substitute_id
        and staff.substitute.organisation.region_id != staff.organisation.region_id
    ):
        raise ValidationError({"substitute": _("The substitute must work in the same region.")})
    if staff.pk is None:
        if User.objects.filter(username__iexact=user_data["username"]).exists():
            raise ValidationError({"username": _("This user name is already taken.")})
        user = account_services.create_user(roles=(), **user_data)
        staff.user = user
    else:
        user = staff.user
        for name in ("email", "first_name", "last_name"):
            setattr(user, name, user_data[name])
        user.full_clean()
        user.save()
    _save(staff, expected_version=expected_version)
    account_services.set_roles(user=user, roles=wanted_roles)
    return staff


@transaction.atomic
def set_away(
    *, actor: access.Actor, staff: Staff, away_from: dt.date | None, away_until: dt.date | None
) -> Staff:
    """Record an absence; while away, the named substitute takes over questions and tasks."""
    if staff.pk != actor.staff_id:
        access.require(actor, "staff.manage")
    staff.away_from = away_from
    staff.away_until = away_until if away_from else None
    return _save(staff, expected_version=None)


def acting_for(staff: Staff, *, on: dt.date) -> Staff:
    """Who handles this person's work on a day: the substitute while they are away, and the
    substitute's substitute if that person is away too (a chain never loops)."""
    seen = {staff.pk}
    current = staff
    while current.is_away_on(on) and current.substitute_id and current.substitute_id not in seen:
        seen.add(current.substitute_id)
        current = current.substitute  # type: ignore[assignment]
    return current
