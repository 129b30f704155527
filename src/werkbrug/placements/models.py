"""Placements: a candidate at work with an employer (a job, a work-experience place, a trial
placement ...), where it came from, the instruments granted for it, loonwaarde assessments, and
the aftercare that keeps it going."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel


class PlacementKind(models.TextChoices):
    REGULAR = "regulier_werk", _("Regular job")
    WORK_EXPERIENCE = "werkervaringsplaats", _("Work-experience place (benefit kept)")
    TRIAL = "proefplaatsing", _("Trial placement")
    LEARNING = "leerwerkplek", _("Learning workplace")
    PARTICIPATION = "participatieplaats", _("Participatieplaats")
    INTERNSHIP = "stage", _("Internship")
    SECONDMENT = "detachering", _("Secondment")
    SHELTERED = "beschut_werk", _("Sheltered work (beschut werk)")


#: Kinds with a benefit kept and no wage: no contract, a maximum duration from the rules.
WITH_BENEFIT_KEPT = frozenset(
    {PlacementKind.WORK_EXPERIENCE, PlacementKind.TRIAL, PlacementKind.PARTICIPATION}
)


class Contract(models.TextChoices):
    NONE = "geen", _("No employment contract")
    FIXED = "bepaalde_tijd", _("Fixed term")
    PERMANENT = "onbepaalde_tijd", _("Permanent")
    ON_CALL = "nuluren", _("Zero hours / on call")
    AGENCY = "uitzend", _("Through an agency")


class PlacementStatus(models.TextChoices):
    PLANNED = "gepland", _("Planned")
    RUNNING = "lopend", _("Running")
    CONVERTED = "omgezet", _("Converted into a next placement")
    ENDED = "beeindigd", _("Ended")


class EndReason(models.TextChoices):
    COMPLETED = "afgerond", _("Completed as planned")
    CONTRACT_ENDED = "einde_contract", _("The contract ended")
    CONVERTED = "omgezet", _("Converted into a contract or next placement")
    DROPPED_OUT = "uitval", _("Dropped out")
    DISMISSED = "ontslag", _("Dismissed by the employer")
    RESIGNED = "eigen_ontslag", _("The candidate resigned")
    HEALTH = "gezondheid", _("Health")
    OTHER_JOB = "andere_baan", _("Another job")
    OTHER = "anders", _("Other")


class Outflow(models.TextChoices):
    FULL = "volledig", _("Benefit ended completely")
    PARTIAL = "gedeeltelijk", _("Benefit reduced")
    NONE = "geen", _("No effect on the benefit")


class Placement(AuditedModel):
    audit_personal_data = True

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="placements"
    )
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="placements"
    )
    opportunity = models.ForeignKey(
        "employers.WorkOpportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        verbose_name=_("work opportunity"),
    )
    #: Where it came from: a conversation at a prettig gesprek, a shortlist introduction.
    conversation = models.ForeignKey(
        "meetings.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    shortlist_entry = models.ForeignKey(
        "matching.ShortlistEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    #: A work-experience place or trial placement this one continues (a conversion).
    preceded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
        verbose_name=_("continues"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlacementKind.choices)
    contract = models.CharField(
        _("contract"), max_length=16, choices=Contract.choices, default=Contract.NONE
    )
    job_title = models.CharField(_("job"), max_length=150)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    #: The wage as a percentage of the statutory minimum wage (empty: no wage).
    wage_pct_of_wml = models.DecimalField(
        _("wage, as a percentage of the minimum wage"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(500)],
    )
    start_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("about the end"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PlacementStatus.choices,
        default=PlacementStatus.PLANNED,
        db_index=True,
    )
    outflow = models.CharField(
        _("effect on the benefit"), max_length=12, choices=Outflow.choices, blank=True
    )
    outflow_on = models.DateField(_("benefit ended or reduced on"), null=True, blank=True)
    owner = models.ForeignKey(
        "regions.Staff",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("aftercare by"),
    )
    #: The rule set valid on the start date (durations and amounts were checked against it).
    rule_set = models.ForeignKey(
        "rules.RuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.job_title} ({self.get_kind_display()})"


class AftercareCheck(AuditedModel):
    class Kind(models.TextChoices):
        START = "start", _("First week")
        M1 = "m1", _("After 1 month")
        M3 = "m3", _("After 3 months")
        M6 = "m6", _("After 6 months")
        M12 = "m12", _("After 12 months")
        THREE_WAY = "driegesprek", _("Three-way conversation")
        BEFORE_END = "voor_einde", _("Before the end: next step")
        OTHER = "anders", _("Other check-in")

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("kind"), max_length=12)
    due_on = models.DateField(_("due"), db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    still_working = models.BooleanField(_("still working"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    #: The day the owner's daily reminder last listed it (never twice on one day).
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"

    @property
    def kind_label(self) -> str:
        if self.kind in self.Kind.values:
            return str(self.Kind(self.kind).label)
        if self.kind.startswith("m") and self.kind[1:].isdigit():
            return str(_("After %(n)s months") % {"n": self.kind[1:]})
        return self.kind


class AftercarePolicy(AuditedModel):
    """The region's aftercare template (configurable by administrators)."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="aftercare_policy"
    )
    first_week = models.BooleanField(_("check-in in the first week"), default=True)
    check_months = models.JSONField(_("check-ins after months"), default=list)
    three_way_month = models.PositiveSmallIntegerField(
        _("three-way conversation in month"), null=True, blank=True
    )
    end_alert_weeks = models.PositiveSmallIntegerField(
        _("alert weeks before a planned end"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )


class GrantKind(models.TextChoices):
    LKS = "lks", _("Loonkostensubsidie")
    LKS_FORFAIT = "forfaitaire_lks", _("Loonkostensubsidie, forfaitair")
    LKV = "lkv", _("Loonkostenvoordeel (LKV)")
    LIV = "liv", _("Lage-inkomensvoordeel (LIV)")
    JOBCOACH = "jobcoach", _("Jobcoach")
    NO_RISK = "noriskpolis", _("No-riskpolis")
    WORKPLACE = "werkplekaanpassing", _("Workplace adjustment")
    PARTICIPATION_PREMIUM = "premie_participatieplaats", _("Participatieplaats premium")
    EMPLOYER_BONUS = "werkgeversbonus", _("Employer bonus")


class GrantStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Requested")
    GRANTED = "toegekend", _("Granted")
    REFUSED = "afgewezen", _("Refused")
    RUNNING = "lopend", _("Running")
    ENDED = "beeindigd", _("Ended")


class AmountPer(models.TextChoices):
    MONTH = "maand", _("per month")
    YEAR = "jaar", _("per year")
    ONCE = "eenmalig", _("once")


class Funding(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Municipality")
    UWV = "uwv", _("UWV")
    PAYROLL_TAX = "loonaangifte", _("Employer, through the payroll tax return")
    REGION = "regio", _("Regional budget")


class InstrumentGrant(AuditedModel):
    """One grant (verstrekking) of an instrument: loonkostensubsidie is counted per grant."""

    audit_personal_data = True

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="grants", verbose_name=_("placement")
    )
    kind = models.CharField(_("instrument"), max_length=28, choices=GrantKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.REQUESTED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("until"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_per = models.CharField(
        _("amount per"), max_length=8, choices=AmountPer.choices, blank=True
    )
    funding = models.CharField(_("paid by"), max_length=14, choices=Funding.choices, blank=True)
    rule_set = models.ForeignKey(
        "rules.RuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    arranged_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-start_on", "-id"]


class LoonwaardeAssessment(AuditedModel):
    audit_personal_data = True

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    pct = models.DecimalField(
        _("loonwaarde (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    method = models.CharField(_("method"), max_length=100)
    assessor = models.CharField(_("assessed by"), max_length=150, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]


class JobcoachAssignment(AuditedModel):
    """A jobcoach for a person: the coaching follows the person, also to a next employer."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="jobcoaches"
    )
    coach_name = models.CharField(_("jobcoach"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    uwv_recognised = models.BooleanField(_("UWV-recognised organisation"), default=False)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("until"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["-start_on", "-id"]


class BenefitEventKind(models.TextChoices):
    OUTFLOW = "uitstroom", _("Left the benefit")
    REENTRY = "herinstroom", _("Back on benefit")


class BenefitEvent(models.Model):
    """One line of the municipality's benefit data: someone (by BSN pseudonym only) left the
    benefit or came back on it on a day. Imported per municipality; durability (D2) links it
    to placements through the candidate's pseudonym, never through the BSN itself."""

    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    bsn_pseudonym = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=12, choices=BenefitEventKind.choices)
    on = models.DateField()
    imported_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200, blank=True)  # the file it came from

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "bsn_pseudonym", "kind", "on"],
                name="benefit_event_once",
            )
        ]
        indexes = [models.Index(fields=["bsn_pseudonym", "kind", "on"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"
