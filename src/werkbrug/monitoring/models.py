"""Steering on results: programmes with targets per KPI, municipality and period, the time
logged against them, figures from outside Werkbrug, and the KPI values computed from the
records (a table the dashboards read, refreshed by ``werkbrug refresh-kpis``).

The KPI definitions themselves are code, not data: ``monitoring.kpis.DEFINITIONS``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel


class Programme(AuditedModel):
    """A project with agreed results, e.g. "Werktop Hilversum" (1-12-2012 to 1-4-2014, with an
    external partner, two days a week each, €1,500 per outflow placement)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    partner = models.CharField(_("external partner"), max_length=150, blank=True)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), help_text=_("The first day after the programme."))
    municipalities = models.ManyToManyField(
        "regions.Municipality", related_name="+", blank=True, verbose_name=_("municipalities")
    )
    tolerance_pct = models.DecimalField(
        _("tolerance (%)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(3),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("A result this many percent short of the target still counts as achieved."),
    )
    capacity_days_per_week = models.DecimalField(
        _("agreed capacity (days a week)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(7)],
    )
    fee_per_result = models.DecimalField(
        _("fee per result (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("No cure no pay: the amount due per result of the KPIs that earn a fee."),
    )
    fee_kpis = models.JSONField(_("KPIs that earn a fee"), default=list, blank=True)

    class Meta:
        ordering = ["-start_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")), name="programme_end_after"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> dt.date:
        """The last day of the programme (``end_on`` is the first day after it)."""
        return self.end_on - dt.timedelta(days=1)


class TargetKind(models.TextChoices):
    TARGET = "doel", _("Target")
    ESTIMATE = "raming", _("Budget estimate (not a hard target)")


class Target(AuditedModel):
    """A number to reach for one KPI, in one municipality (or the whole programme), over a
    period: 70 new employers in Hilversum from 1-12-2012 to 1-4-2014."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(_("KPI"), max_length=10)
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Empty: the whole programme."),
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), help_text=_("The first day after the period."))
    value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=TargetKind.choices, default=TargetKind.TARGET
    )
    tolerance_pct = models.DecimalField(
        _("tolerance (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("Empty: the programme's tolerance."),
    )

    class Meta:
        # The programme's own targets (no municipality) first on every database.
        ordering = [
            "kpi",
            models.F("municipality__name").asc(nulls_first=True),
            "start_on",
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")), name="target_end_after"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.value}"

    @property
    def last_day(self) -> dt.date:
        return self.end_on - dt.timedelta(days=1)


class Activity(models.TextChoices):
    ACQUISITION = "acquisitie", _("Acquisition and employer contacts")
    MEETINGS = "bijeenkomsten", _("Meetings (prettig gesprek)")
    MATCHING = "bemiddeling", _("Matching and introductions")
    AFTERCARE = "nazorg", _("Aftercare")
    OTHER = "overig", _("Other")


class TimeEntry(AuditedModel):
    """Hours a staff member spent on a programme on a day."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="time_entries")
    staff = models.ForeignKey("regions.Staff", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(24)],
    )
    activity = models.CharField(_("activity"), max_length=14, choices=Activity.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [models.Index(fields=["programme", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.hours}"


class Observation(AuditedModel):
    """A figure from outside Werkbrug: another region's benchmark, a year before Werkbrug, a
    number printed in an evaluation report. Shown beside the computed values; with a
    municipality of the region it also counts as realisation for a target in its period."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kpi = models.CharField(_("KPI"), max_length=10)
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    area = models.CharField(
        _("area"),
        max_length=150,
        blank=True,
        help_text=_("Another region or a benchmark group, when not one of our municipalities."),
    )
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), help_text=_("The first day after the period."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    trend_break = models.BooleanField(
        _("trend break"),
        default=False,
        help_text=_("Counted under another definition than the figures before it."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported_from = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["kpi", "start_on", "area"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gt=models.F("start_on")),
                name="observation_end_after",
            )
        ]

    @property
    def last_day(self) -> dt.date:
        return self.end_on - dt.timedelta(days=1)

    @property
    def value_shown(self) -> str:
        """The value as imported, in Dutch notation without trailing zeros: 2.427; 95,5."""
        text = f"{self.value.normalize():,f}"
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    @property
    def where(self) -> str:
        if self.municipality_id:
            return str(self.municipality)
        return self.area or str(_("The whole region"))


class KpiValue(models.Model):
    """A computed KPI value for one period and one cell: the region (member 0), a
    municipality, a team or a staff member; ``part`` is a breakdown (a placement kind, a
    return reason) or empty for the whole. Rebuilt by ``monitoring.services.refresh``."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    kpi = models.CharField(max_length=10)
    kpi_version = models.PositiveSmallIntegerField()
    grain = models.CharField(max_length=5)  # kpis.Grain
    period_start = models.DateField()
    dimension = models.CharField(max_length=10)  # kpis.Dimension
    member = models.PositiveIntegerField()  # the municipality/team/staff id; 0 for the region
    part = models.CharField(max_length=40, blank=True, default="")
    numerator = models.DecimalField(max_digits=18, decimal_places=4)
    denominator = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "region",
                    "kpi",
                    "kpi_version",
                    "dimension",
                    "member",
                    "grain",
                    "period_start",
                    "part",
                ],
                name="kpi_value_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["region", "dimension", "member", "kpi", "period_start"],
                name="kpi_value_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.dimension} {self.member} {self.period_start}"


class KpiRefresh(models.Model):
    """When the values of a region were last rebuilt, and how long it took."""

    region = models.OneToOneField("regions.Region", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    facts = models.PositiveIntegerField(default=0)
    values = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.region_id} {self.refreshed_at:%Y-%m-%d %H:%M}"


class ReportSubscription(AuditedModel):
    """Someone who receives the council report by e-mail every month: for the whole region or
    one municipality, the year so far up to the end of the previous month."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    #: The first day of the last month a report was sent for (never twice for one month).
    last_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "municipality"], name="report_subscription_once"
            ),
            models.UniqueConstraint(
                fields=["user", "region"],
                condition=models.Q(municipality__isnull=True),
                name="report_subscription_region_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.municipality or self.region}"
