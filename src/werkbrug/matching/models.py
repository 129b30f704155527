"""Matching's tables: the shortlist of an opportunity, the events the fairness report counts,
and the journal that keeps every process's in-memory feature matrix current."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel


class ShortlistStatus(models.TextChoices):
    """Where a candidate stands for one opportunity (the order is the workflow's order)."""

    SHORTLISTED = "shortlist", _("On the shortlist")
    PROPOSED = "voorgesteld", _("Proposed to the employer (anonymous)")
    CONSENT_REQUESTED = "toestemming_gevraagd", _("Consent to share the name requested")
    IDENTITY_SHARED = "naam_gedeeld", _("Name shared with the employer")
    INTRODUCTION = "kennismaking", _("Introduction planned")
    FINISHED = "afgerond", _("Introduction held")
    WITHDRAWN = "afgevallen", _("No longer in the running")


#: Statuses in which the employer sees the (anonymous) profile in their portal.
VISIBLE_TO_EMPLOYER = (
    ShortlistStatus.PROPOSED,
    ShortlistStatus.CONSENT_REQUESTED,
    ShortlistStatus.IDENTITY_SHARED,
    ShortlistStatus.INTRODUCTION,
    ShortlistStatus.FINISHED,
)


class IntroductionOutcome(models.TextChoices):
    HIRED = "aangenomen", _("Hired or placed")
    NEXT_STEP = "vervolg", _("Next step agreed (trial, work-experience place)")
    NO_MATCH = "geen_klik", _("No match")
    CANDIDATE_DECLINED = "kandidaat_ziet_af", _("Candidate decided not to go on")
    EMPLOYER_DECLINED = "werkgever_ziet_af", _("Employer decided not to go on")
    NO_SHOW = "niet_verschenen", _("Did not take place")


class ShortlistEntry(AuditedModel):
    """A candidate picked for an opportunity by a person (Werkbrug only suggests)."""

    opportunity = models.ForeignKey(
        "employers.WorkOpportunity", on_delete=models.CASCADE, related_name="shortlist"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    #: "Kandidaat 3": how the employer knows this person until the name is shared.
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ShortlistStatus.choices,
        default=ShortlistStatus.SHORTLISTED,
        db_index=True,
    )
    added_by = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    score = models.FloatField(_("score when added"), null=True, blank=True)
    explanation = models.CharField(_("why"), max_length=500, blank=True)
    #: The anonymous profile as the employer sees it; frozen when proposed.
    profile = models.JSONField(_("anonymous profile"), default=dict, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    employer_interest = models.BooleanField(_("employer wants to meet"), null=True, blank=True)
    employer_note = models.CharField(_("employer's note"), max_length=500, blank=True)
    employer_responded_at = models.DateTimeField(null=True, blank=True)
    consent_requested_at = models.DateTimeField(null=True, blank=True)
    identity_shared_at = models.DateTimeField(null=True, blank=True)
    introduction_at = models.DateTimeField(_("introduction on"), null=True, blank=True)
    introduction_place = models.CharField(_("where"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=IntroductionOutcome.choices, blank=True
    )
    outcome_note = models.CharField(_("note"), max_length=500, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "candidate"], name="shortlist_once_per_opportunity"
            ),
            models.UniqueConstraint(
                fields=["opportunity", "number"], name="shortlist_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Kandidaat {self.number}"

    @property
    def label(self) -> str:
        return f"Kandidaat {self.number}"


class MatchEventKind(models.TextChoices):
    SUGGESTED = "gesuggereerd", _("Suggested")
    SHORTLISTED = "shortlist", _("Shortlisted")
    PROPOSED = "voorgesteld", _("Proposed to the employer")
    INTRODUCED = "kennismaking", _("Introduction held")
    HIRED = "aangenomen", _("Hired or placed")


class MatchEvent(models.Model):
    """One step a candidate reached for an opportunity, stored when it happened. The fairness
    report counts these events (not scores); a suggestion is stored once per day."""

    kind = models.CharField(max_length=14, choices=MatchEventKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(
        "employers.WorkOpportunity", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="match_events"
    )
    on = models.DateField(db_index=True)
    rank = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "opportunity", "candidate", "on"], name="match_event_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["region", "kind", "on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class IndexChange(models.Model):
    """Journal of changes that matter to matching. Written in the same transaction as the
    change (by signals), read by every process to bring its in-memory matrix up to date."""

    class Entity(models.TextChoices):
        CANDIDATE = "c", "candidate"
        OPPORTUNITY = "o", "opportunity"
        EMPLOYER = "e", "employer"

    id = models.BigAutoField(primary_key=True)
    region_id = models.BigIntegerField()
    entity = models.CharField(max_length=1, choices=Entity.choices)
    object_id = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["region_id", "id"])]

    def __str__(self) -> str:
        return f"{self.entity}{self.object_id}"
