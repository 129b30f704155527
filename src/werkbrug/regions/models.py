"""The organisation model: who works where, for which municipalities, in which region."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel

cbs_code_validator = RegexValidator(
    r"^GM[0-9]{4}$", _("A CBS municipality code is GM followed by four digits, e.g. GM0268.")
)


class Region(AuditedModel):
    """An arbeidsmarktregio: Werkbrug's tenant. One employer register per region."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Short code, e.g. RVN.")
    )
    centrumgemeente = models.ForeignKey(
        "Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead municipality"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(AuditedModel):
    """A gemeente with its CBS code, or a cooperation of municipalities (e.g. MUG-gemeenten).

    ``composed_of`` records history and composition: a merged municipality lists the ones it
    was formed from (Berg en Dal ← Groesbeek ← Millingen aan de Rijn, Ubbergen, Groesbeek);
    a cooperation lists its members. Municipalities that no longer exist keep their records
    (for KPI history) with ``ended_on`` set.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("municipality")
        COOPERATION = "samenwerkingsverband", _("cooperation of municipalities")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=24, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[cbs_code_validator],
    )
    composed_of = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="part_of",
        verbose_name=_("formed from / members"),
    )
    ended_on = models.DateField(_("ceased to exist on"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="gemeente") | models.Q(cbs_code__isnull=False),
                name="municipality_needs_cbs_code",
                violation_error_message=_("A municipality needs a CBS code."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class Organisation(AuditedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "gemeente", _("municipality")
        WERKBEDRIJF = "werkbedrijf", _("werkbedrijf")
        WSP = "werkgeversservicepunt", _("employer service point")
        UWV = "uwv", _("UWV")
        SW_COMPANY = "sw_bedrijf", _("sheltered-employment company")
        PROVIDER = "aanbieder", _("provider")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
        help_text=_("For a municipal organisation: the municipality it belongs to."),
    )
    serves = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="served_by",
        verbose_name=_("municipalities served"),
    )
    email = models.EmailField(_("general e-mail"), blank=True)
    phone = models.CharField(_("general phone"), max_length=16, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(AuditedModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("municipality"),
    )
    lead = models.ForeignKey(
        "Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads_teams",
        verbose_name=_("team lead"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Staff(AuditedModel):
    """A person working for one of the region's organisations, linked to their login."""

    audit_personal_data = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("municipality"),
        help_text=_("The municipality whose data this person works with."),
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("team"),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    substitute = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutes_for",
        verbose_name=_("substitute"),
        help_text=_("Takes over questions and tasks while this person is away."),
    )
    away_from = models.DateField(_("away from"), null=True, blank=True)
    away_until = models.DateField(_("away until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(away_until__isnull=True)
                | models.Q(away_from__isnull=True)
                | models.Q(away_until__gte=models.F("away_from")),
                name="staff_away_period_ordered",
                violation_error_message=_("'Away until' cannot be before 'away from'."),
            ),
            models.CheckConstraint(
                condition=~models.Q(substitute=models.F("id")),
                name="staff_not_own_substitute",
                violation_error_message=_("Someone cannot be their own substitute."),
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def role_codes(self) -> list[str]:
        """The roles of this person's login (uses a prefetch of user__role_grants if present)."""
        return sorted(grant.role for grant in self.user.role_grants.all())

    def is_away_on(self, day: object) -> bool:
        if self.away_from is None:
            return False
        return self.away_from <= day and (self.away_until is None or day <= self.away_until)  # type: ignore[operator]
