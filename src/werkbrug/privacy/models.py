"""Privacy records: retention periods per data category (per region), the log of retention
runs, and requests from data subjects (inzage, correction, erasure) with their deadlines and
a log of what was done."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel, BaseModel
from werkbrug.privacy import retention


class RetentionCategory(models.TextChoices):
    CANDIDATE_FILE = retention.CANDIDATE_FILE, _("Candidate file")
    HEALTH = retention.HEALTH, _("Health and limitations")
    AUDIT_LOGS = retention.AUDIT_LOGS, _("Access and change log")
    SURVEY_REGISTRY = retention.SURVEY_REGISTRY, _("Survey invitation registry")


class RetentionPolicy(AuditedModel):
    """How long a region keeps one category of personal data (months after the clock starts)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.CASCADE, related_name="retention_policies"
    )
    category = models.CharField(_("category"), max_length=20, choices=RetentionCategory.choices)
    months = models.PositiveSmallIntegerField(_("months"))
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Why this region deviates from the default, e.g. the decision it is based on."),
    )

    class Meta:
        ordering = ["region", "category"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.UniqueConstraint(fields=["region", "category"], name="retention_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.months}"


class RetentionRun(BaseModel):
    """One run of the retention job for a region: what was due and what was done."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    ran_at = models.DateTimeField(_("ran at"))
    dry_run = models.BooleanField(_("preview only"), default=False)
    counts = models.JSONField(_("counts"), default=dict)
    started_by = models.CharField(_("started by"), max_length=150, blank=True)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (inzage)")
    RECTIFICATION = "rectification", _("Correction")
    ERASURE = "erasure", _("Erasure")


class RequestChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    DESK = "desk", _("At the desk or by phone")
    PORTAL = "portal", _("Portal")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class DataSubjectRequest(AuditedModel):
    """A request under the AVG (art. 15–17) from a candidate. Answer within one month of receipt;
    once extendable by two months when the request is complex (art. 12 lid 3)."""

    audit_personal_data = True

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="privacy_requests"
    )
    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    channel = models.CharField(_("received by"), max_length=8, choices=RequestChannel.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer before"))
    extended = models.BooleanField(_("deadline extended"), default=False)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    request_text = models.TextField(
        _("what the person asks"), help_text=_("In the person's own words, as far as possible.")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = models.TextField(_("answer to the person"), blank=True)
    handled_by = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["status", "due_on"]
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        indexes = [models.Index(fields=["region", "status", "due_on"], name="dsr_region_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class RequestEvent(BaseModel):
    """One step in handling a request: what was done, by whom. Corrections name the field, not
    the values (the values are in the change log)."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"))
    by_name = models.CharField(_("by"), max_length=150)
    what = models.CharField(_("what"), max_length=300)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")

    def __str__(self) -> str:
        return self.what
