"""Occupations (ISCO-08 / ESCO) and the tasks and skills they involve, with Dutch labels.

Werkbrug ships a curated Dutch list of the occupations and tasks that matter for people on
social assistance (``data/curated_nl.json``); the full ESCO taxonomy can be imported on top of
it from ESCO's CSV downloads in any language (``werkbrug import-esco``). Both end up in the
same three tables. Taxonomy records are reference data shared by all regions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import BaseModel


class WorkKind(models.TextChoices):
    """The WerkBedrijf *werksoorten* (WB §3.1.2; the text says seven, six are listed)."""

    GREY_GREEN = "grijs_groen", _("Grey and green")
    BUSINESS_SERVICES = "zakelijke_dienstverlening", _("Business services")
    CLEANING = "schoonmaak", _("Cleaning")
    PRODUCTION_LOGISTICS = "productie_logistiek", _("Production, warehouse and logistics")
    HOSPITALITY_CARE_RETAIL = "horeca_zorg_verkoop", _("Hospitality, care and retail")
    CONSTRUCTION_ICT_TECH = "bouw_ict_techniek", _("Construction, ICT, security and technology")


class Source(models.TextChoices):
    CURATED = "curated", _("Werkbrug curated list")
    ESCO = "esco", _("ESCO import")


class Occupation(BaseModel):
    isco_code = models.CharField(
        _("ISCO-08 code"), max_length=4, db_index=True, help_text=_("Four-digit unit group.")
    )
    esco_code = models.CharField(_("ESCO code"), max_length=30, blank=True)
    uri = models.CharField(_("URI"), max_length=255, unique=True)
    label = models.CharField(_("name"), max_length=255, db_index=True)
    labels = models.JSONField(_("names per language"), default=dict, blank=True)
    alt_labels = models.JSONField(_("other names"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    work_kind = models.CharField(
        _("kind of work"), max_length=30, choices=WorkKind.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["label"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.label} ({self.isco_code})"

    @property
    def isco_minor_group(self) -> str:
        """The three-digit group: occupations in the same group share much of their work."""
        return self.isco_code[:3]


class Skill(BaseModel):
    class Kind(models.TextChoices):
        TASK = "taak", _("Task")
        SKILL = "vaardigheid", _("Skill")
        KNOWLEDGE = "kennis", _("Knowledge")
        ATTITUDE = "houding", _("Attitude")

    uri = models.CharField(_("URI"), max_length=255, unique=True)
    label = models.CharField(_("name"), max_length=255, db_index=True)
    labels = models.JSONField(_("names per language"), default=dict, blank=True)
    alt_labels = models.JSONField(_("other names"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TASK)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    occupations = models.ManyToManyField(
        Occupation, through="OccupationSkill", related_name="skills", blank=True
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("task or skill")
        verbose_name_plural = _("tasks and skills")

    def __str__(self) -> str:
        return self.label


class OccupationSkill(models.Model):
    class Relation(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        OPTIONAL = "optional", _("Optional")

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(
        _("relation"), max_length=10, choices=Relation.choices, default=Relation.ESSENTIAL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_once")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} → {self.skill_id} ({self.relation})"
