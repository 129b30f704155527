"""Users and the roles they hold."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel
from werkbrug.core.roles import Role


class User(AuditedModel, AbstractUser):
    """A login. Sequential ids stay inside; the UUID is the public identifier.

    Changes are audited; the password hash is redacted and log-in times are left out.
    """

    audit_exclude = AuditedModel.audit_exclude | {"last_login"}
    audit_redact = frozenset({"password"})
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts may skip two-factor authentication, only in demo mode."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleGrant(AuditedModel):
    """One role held by one user. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"
