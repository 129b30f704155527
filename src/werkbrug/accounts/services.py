"""Writes for users, roles and two-factor devices (one use case per function)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts.models import RoleGrant, User
from werkbrug.core.roles import STAFF_ROLES, Role


def needs_two_factor(user: Any) -> bool:
    """Staff must use TOTP; demo accounts are exempt only while the system runs in demo mode."""
    if not getattr(user, "is_authenticated", False):
        return False
    if settings.DEMO and getattr(user, "is_demo", False):
        return False
    if user.is_superuser:
        return True
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    return bool(roles & STAFF_ROLES)


@transaction.atomic
def set_roles(*, user: User, roles: Iterable[str]) -> None:
    """Make the user hold exactly ``roles``; each grant and revocation is audited."""
    wanted = {Role(role).value for role in roles}
    current = {grant.role: grant for grant in RoleGrant.objects.filter(user=user)}
    for role, grant in current.items():
        if role not in wanted:
            grant.delete()
    for role in sorted(wanted - current.keys()):
        RoleGrant.objects.create(user=user, role=role)
    if hasattr(user, "_werkbrug_actor"):
        del user._werkbrug_actor


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    roles: Iterable[str] = (),
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_demo=is_demo,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    set_roles(user=user, roles=roles)
    return user


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator device (replaces an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def update_profile(*, user: User, email: str, preferred_language: str) -> User:
    user.email = email
    user.preferred_language = preferred_language
    user.full_clean()
    user.save()
    return user
