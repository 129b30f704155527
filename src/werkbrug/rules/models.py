"""Rule sets: every amount, percentage and duration Werkbrug calculates with, as dated data
with its source (architecture rule 6). A set is valid from its date until the next set of the
same scope starts; a region may have its own sets (the regional catalogue), which go before
the national ones."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel
from werkbrug.rules import parameters


class RuleSet(AuditedModel):
    #: Empty: national rules; otherwise rules of this region only.
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name"), max_length=150)
    valid_from = models.DateField(_("valid from"), db_index=True)
    source = models.TextField(_("source"))
    #: Parameter name → value (a string, so JSON keeps every digit); see rules.parameters.
    values = models.JSONField(_("values"), default=dict)
    #: Parameter name → where the value comes from.
    sources = models.JSONField(_("sources per rule"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from"],
                condition=Q(region__isnull=True),
                name="ruleset_national_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["region", "valid_from"],
                condition=Q(region__isnull=False),
                name="ruleset_regional_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d-%m-%Y})"

    @property
    def rule_values(self) -> parameters.RuleValues:
        return parameters.from_mapping(self.values)
