"""Candidates: people on social assistance whom the region helps into work through employers.

The record leads with what someone can and wants (talents, skills, wishes), not their file.
Health and limitations live apart (``HealthProfile``) and are shown only to the staff who work
with the person and, with the candidate's explicit consent, to a named employer.

Code lists follow the source documents exactly (domain guide §6): survey codes are never
renumbered. Sex and household are kept for statistics only and are never used for matching.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel
from werkbrug.core.validators import validate_email, validate_phone, validate_postcode
from werkbrug.taxonomy.models import WorkKind

# --- Code lists ---------------------------------------------------------------------------


class LadderStep(models.IntegerChoices):
    """Participatieladder; 6 = closest to work. Werktop takes steps 3 to 5."""

    ISOLATED = 1, _("1 Isolated")
    SOCIAL_CONTACTS = 2, _("2 Social contacts outside the home")
    ORGANISED_ACTIVITIES = 3, _("3 Taking part in organised activities")
    UNPAID_WORK = 4, _("4 Unpaid work")
    PAID_WORK_SUPPORTED = 5, _("5 Paid work with support")
    PAID_WORK = 6, _("6 Paid work")


class Segment(models.TextChoices):
    """The Assen segmentation of the whole caseload."""

    WORK = "werkklant", _("Work client (werkklant)")
    DEVELOPMENT = "ontwikkelklant", _("Development client (ontwikkelklant)")
    PARTICIPATION = "participatieklant", _("Participation client (participatieklant)")


class EducationLevel(models.IntegerChoices):
    """Hoogst voltooide opleiding, Werktop survey Tabel 6.2."""

    NONE = 1, _("No education completed")
    PRIMARY = 2, _("Primary school")
    LOWER_VOCATIONAL = 3, _("LBO/VMBO (LTS, LEAO), mavo/MBO 1")
    SECONDARY = 4, _("Havo/MBO 2, 3 or 4/VWO")
    HIGHER = 5, _("HBO/university")


class BenefitType(models.TextChoices):
    SOCIAL_ASSISTANCE = "pw_bijstand", _("Social assistance (Participatiewet)")
    NO_BENEFIT = "niet_uitkeringsgerechtigd", _("No benefit (registered job seeker)")
    WSW = "wsw", _("Sheltered employment (Wsw)")
    WMO_DAY_ACTIVITIES = "wmo_ad", _("Wmo day activities")
    UWV = "uwv_uitkering", _("UWV benefit")


class BenefitDuration(models.IntegerChoices):
    """Hoe lang uitkering? Werktop survey Tabel 6.4."""

    UNDER_6_MONTHS = 1, _("< 6 months")
    MONTHS_6_12 = 2, _("6-12 months")
    YEARS_1_3 = 3, _("1-3 years")
    YEARS_3_5 = 4, _("3-5 years")
    YEARS_5_10 = 5, _("5-10 years")
    YEARS_10_PLUS = 6, _("10 years or longer")


def benefit_duration_band(start: datetime.date, on: datetime.date) -> int:
    """The survey band for a benefit that started on ``start``, as of ``on``."""
    months = (on.year - start.year) * 12 + (on.month - start.month)
    if on.day < start.day:
        months -= 1
    for limit, band in ((6, 1), (12, 2), (36, 3), (60, 4), (120, 5)):
        if months < limit:
            return band
    return 6


class Sex(models.TextChoices):
    MALE = "man", _("Male")
    FEMALE = "vrouw", _("Female")


class Household(models.IntegerChoices):
    """Woonsituatie, Werktop survey Tabel 6.1."""

    SINGLE = 1, _("Single")
    COHABITING = 2, _("Living together/married")
    GROUP = 3, _("Group home")
    WITH_PARENTS = 4, _("Living with parents/family")


class SelfRatedHealth(models.IntegerChoices):
    """Ervaren gezondheid, Werktop survey Tabel 6.3."""

    VERY_GOOD = 1, _("Very good")
    GOOD = 2, _("Good")
    FAIR = 3, _("Fair")
    POOR = 4, _("Poor")
    VERY_POOR = 5, _("Very poor")


class Transport(models.TextChoices):
    NONE = "geen", _("No own transport")
    BICYCLE = "fiets", _("Bicycle")
    MOPED = "brommer", _("Moped or scooter")
    CAR = "auto", _("Car")


class LanguageLevel(models.TextChoices):
    NATIVE = "moedertaal", _("Native language")
    A1 = "A1", _("A1 (beginner)")
    A2 = "A2", _("A2")
    B1 = "B1", _("B1")
    B2 = "B2", _("B2")
    C1 = "C1", _("C1")
    C2 = "C2", _("C2 (fluent)")


class JourneyStatus(models.TextChoices):
    """Candidate journey (domain guide §4.2)."""

    IN_CASELOAD = "in_caseload", _("In caseload")
    HANDED_OVER = "handed_over", _("Handed over")
    CONTACTED = "contacted", _("Contacted")
    INVITED = "invited", _("Invited")
    MET_EMPLOYERS = "met_employers", _("Met employers")
    MATCHED = "matched", _("Matched")
    PLACED = "placed", _("Placed")
    AFTERCARE = "aftercare", _("Aftercare")
    RETURNED = "returned", _("Returned to the municipality")
    OUTCOME = "outcome", _("Finished")


class Deployability(models.TextChoices):
    YES = "ja", _("Yes")
    TEMPORARILY_NOT = "tijdelijk_niet", _("Temporarily not")
    STRUCTURALLY_NOT = "structureel_niet", _("Structurally not")


# --- Candidate ------------------------------------------------------------------------------


class Candidate(AuditedModel):
    audit_personal_data = True
    audit_redact = frozenset({"bsn_encrypted", "bsn_pseudonym"})

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="candidates"
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("municipality of residence"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
        verbose_name=_("portal account"),
    )
    # Identity. The BSN is never stored in plain text (core.bsn).
    bsn_pseudonym = models.CharField(max_length=64, editable=False)
    bsn_encrypted = models.TextField(editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=150, db_index=True)
    birth_date = models.DateField(
        _("date of birth"),
        help_text=_("Used only for legal age rules and statistics, never for matching."),
    )
    sex = models.CharField(
        _("sex"),
        max_length=5,
        choices=Sex.choices,
        blank=True,
        help_text=_("Statistics only; never used for matching."),
    )
    household = models.PositiveSmallIntegerField(
        _("household"),
        choices=Household.choices,
        null=True,
        blank=True,
        help_text=_("Statistics only; never used for matching."),
    )
    # Contact and address.
    email = models.CharField(_("e-mail"), max_length=254, blank=True, validators=[validate_email])
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[validate_phone])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("place"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # Benefit and position.
    benefit_type = models.CharField(
        _("benefit"), max_length=30, choices=BenefitType.choices, blank=True
    )
    benefit_start = models.DateField(_("benefit since"), null=True, blank=True)
    benefit_duration = models.PositiveSmallIntegerField(
        _("benefit duration"),
        choices=BenefitDuration.choices,
        null=True,
        blank=True,
        help_text=_("Worked out from the start date when it is known."),
    )
    ladder_step = models.PositiveSmallIntegerField(
        _("participation ladder step"), choices=LadderStep.choices, null=True, blank=True
    )
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices, blank=True)
    deployability = models.CharField(
        _("available for placement"),
        max_length=20,
        choices=Deployability.choices,
        default=Deployability.YES,
    )
    education_level = models.PositiveSmallIntegerField(
        _("highest education completed"), choices=EducationLevel.choices, null=True, blank=True
    )
    basic_qualification = models.BooleanField(_("has a basic qualification"), default=False)
    driving_licence = models.BooleanField(_("driving licence (B)"), null=True, blank=True)
    transport = models.CharField(
        _("own transport"), max_length=10, choices=Transport.choices, blank=True
    )
    hours_available = models.PositiveSmallIntegerField(
        _("hours available per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    # Positive profile: what someone is good at comes first.
    talents = models.TextField(_("what I am good at"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    development_goals = models.TextField(_("what I want to learn"), blank=True)
    skills = models.ManyToManyField(
        "taxonomy.Skill", blank=True, related_name="candidates", verbose_name=_("tasks and skills")
    )
    # Wishes (wil).
    wished_work_kinds = models.JSONField(
        _("kinds of work wanted"),
        default=list,
        blank=True,
        help_text=_("Codes from the WerkBedrijf kinds of work."),
    )
    wished_occupations = models.ManyToManyField(
        "taxonomy.Occupation",
        blank=True,
        related_name="wished_by",
        verbose_name=_("occupations wanted"),
    )
    wished_skills = models.ManyToManyField(
        "taxonomy.Skill",
        blank=True,
        related_name="wished_by",
        verbose_name=_("tasks wanted"),
    )
    wished_hours_min = models.PositiveSmallIntegerField(
        _("wants at least (hours a week)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    wished_hours_max = models.PositiveSmallIntegerField(
        _("wants at most (hours a week)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("maximum travel time (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
    )
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximum distance (km)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    # Who works with this person.
    client_manager = models.ForeignKey(
        "regions.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_caseload",
        verbose_name=_("client manager"),
    )
    consultant = models.ForeignKey(
        "regions.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultant_caseload",
        verbose_name=_("relationship manager or consultant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=JourneyStatus.choices, default=JourneyStatus.IN_CASELOAD
    )
    handed_over_at = models.DateField(_("handed over on"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    profile_confirmed_at = models.DateTimeField(_("profile confirmed"), null=True, blank=True)
    informed_at = models.DateField(
        _("told what to expect on"),
        null=True,
        blank=True,
        help_text=_("When the candidate was told what Werktop means and what to expect."),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "bsn_pseudonym"], name="candidate_bsn_once_per_region"
            ),
            models.CheckConstraint(
                condition=models.Q(wished_hours_max__isnull=True)
                | models.Q(wished_hours_min__isnull=True)
                | models.Q(wished_hours_max__gte=models.F("wished_hours_min")),
                name="candidate_wished_hours_ordered",
                violation_error_message=_("'At most' hours cannot be below 'at least'."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status"], name="cand_muni_status"),
            models.Index(fields=["consultant", "status"], name="cand_consultant_status"),
            models.Index(fields=["client_manager", "status"], name="cand_client_mgr_status"),
            models.Index(fields=["region", "last_contact_at"], name="cand_region_last_contact"),
            # The access scope in one narrow index (index-only scans for the caseload counts:
            # own municipality, own caseload, and the pool through the consent subquery by id).
            models.Index(
                fields=["region", "municipality", "client_manager", "consultant", "id"],
                name="cand_region_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def wished_work_kind_labels(self) -> list[str]:
        labels = dict(WorkKind.choices)
        return [str(labels.get(code, code)) for code in self.wished_work_kinds]


class LadderStepChange(AuditedModel):
    """History of the participation-ladder step (with the date it was assessed)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="ladder_history"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=LadderStep.choices)
    assessed_on = models.DateField(_("assessed on"))
    recorded_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]


class CandidateLanguage(AuditedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "language"], name="candidate_language_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class WorkExperience(AuditedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="experience")
    role = models.CharField(_("work or role"), max_length=150)
    employer_name = models.CharField(_("where"), max_length=150, blank=True)
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("occupation"),
    )
    from_year = models.PositiveSmallIntegerField(
        _("from (year)"), null=True, blank=True, validators=[MinValueValidator(1950)]
    )
    to_year = models.PositiveSmallIntegerField(
        _("until (year)"), null=True, blank=True, validators=[MinValueValidator(1950)]
    )
    paid = models.BooleanField(_("paid work"), default=True)
    description = models.TextField(_("what I did"), blank=True)

    class Meta:
        ordering = ["-to_year", "-from_year", "id"]


class TargetGroup(models.TextChoices):
    """Prioritaire doelgroepen (WB Tabel 4.2) and the job-agreement register."""

    JOB_AGREEMENT = "banenafspraak", _("Target-group register (banenafspraak)")
    STATUS_HOLDER = "statushouder", _("Status holder")
    YOUTH = "jongere", _("Young person (under 27)")
    OLDER = "55plus", _("55 or older")
    DISABILITY = "arbeidsbeperking", _("Occupational disability")


class MembershipStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Requested")
    IN_PROGRESS = "in_behandeling", _("Being decided")
    GRANTED = "toegekend", _("Granted")
    REFUSED = "afgewezen", _("Refused")
    ENDED = "beeindigd", _("Ended")


class TargetGroupMembership(AuditedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.GRANTED,
    )
    decided_by = models.CharField(
        _("decided by"),
        max_length=10,
        choices=[("uwv", "UWV"), ("gemeente", _("municipality"))],
        blank=True,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    next_check_on = models.DateField(_("check again on"), null=True, blank=True)

    class Meta:
        ordering = ["group", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_validity_ordered",
                violation_error_message=_("'Valid until' cannot be before 'valid from'."),
            )
        ]

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.status == MembershipStatus.GRANTED
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


class LimitationNature(models.TextChoices):
    PHYSICAL = "fysiek", _("Physical")
    INTELLECTUAL = "verstandelijk", _("Intellectual")
    PSYCHOLOGICAL = "psychisch", _("Psychological")
    OTHER = "overig", _("Other")


class HealthProfile(AuditedModel):
    """The sensitive part: health and limitations (special-category data, AVG art. 9).

    Visible to the candidate, to their client manager and consultant, and to an employer only
    while the candidate consents to disclosing limitations to that employer.
    """

    audit_personal_data = True

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="health")
    self_rated_health = models.PositiveSmallIntegerField(
        _("self-rated health"), choices=SelfRatedHealth.choices, null=True, blank=True
    )
    has_limitation = models.BooleanField(_("has a limitation"), default=False)
    nature = models.CharField(
        _("nature of the limitation"), max_length=16, choices=LimitationNature.choices, blank=True
    )
    structural = models.BooleanField(_("structural"), default=False)
    limitations = models.TextField(_("what the employer should know"), blank=True)
    adjustments_needed = models.TextField(_("adjustments needed at work"), blank=True)


# --- Consent --------------------------------------------------------------------------------


class ConsentScope(models.TextChoices):
    REGIONAL_POOL = "regionale_pool", _("Share an anonymous profile across the region")
    SHARE_WITH_EMPLOYER = "delen_met_werkgever", _("Share my name and profile with an employer")
    DISCLOSE_LIMITATIONS = "beperkingen_delen", _("Tell an employer about my limitations")


class ConsentChannel(models.TextChoices):
    IN_PERSON = "persoonlijk", _("In person")
    PORTAL = "portaal", _("Portal")
    PHONE = "telefoon", _("Phone")
    LETTER = "brief", _("Letter or form")


EMPLOYER_SCOPES = frozenset({ConsentScope.SHARE_WITH_EMPLOYER, ConsentScope.DISCLOSE_LIMITATIONS})


class Consent(AuditedModel):
    """One grant of permission. Withdrawing stamps ``withdrawn_at``; rows are never deleted, so
    the history is the table itself. Only rows without ``withdrawn_at`` are in force."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("what"), max_length=24, choices=ConsentScope.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="candidate_consents",
        verbose_name=_("employer"),
    )
    granted_at = models.DateTimeField(_("given at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_via = models.CharField(_("how"), max_length=12, choices=ConsentChannel.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_via = models.CharField(
        _("withdrawn how"), max_length=12, choices=ConsentChannel.choices, blank=True
    )

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope=ConsentScope.REGIONAL_POOL, employer__isnull=True)
                    | (
                        ~models.Q(scope=ConsentScope.REGIONAL_POOL)
                        & models.Q(employer__isnull=False)
                    )
                ),
                name="consent_employer_matches_scope",
                violation_error_message=_("Consent to share with an employer names the employer."),
            ),
            # One consent of a kind in force at a time (per employer for the employer kinds).
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["candidate", "scope"],
                condition=models.Q(withdrawn_at__isnull=True, employer__isnull=True),
                name="consent_in_force_once",
                violation_error_message=_("This consent is already in force."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "scope", "employer"],
                condition=models.Q(withdrawn_at__isnull=True, employer__isnull=False),
                name="employer_consent_in_force_once",
                violation_error_message=_("This consent is already in force."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["candidate", "scope"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_in_force",
            ),
            models.Index(
                fields=["employer", "scope"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_employer_in_force",
            ),
        ]

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


# --- Handover, contacts, episodes -------------------------------------------------------------


class HandoverBatch(AuditedModel):
    """A municipality handing over a file of candidates at once (Werktop: 100 people, steps 3-5)."""

    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    from_staff = models.ForeignKey("regions.Staff", on_delete=models.PROTECT, related_name="+")
    to_staff = models.ForeignKey("regions.Staff", on_delete=models.PROTECT, related_name="+")
    handed_over = models.PositiveIntegerField(default=0)
    refused = models.JSONField(default=list, blank=True)
    note = models.TextField(_("note"), blank=True)


class Handover(AuditedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="handovers")
    from_staff = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="handovers_given"
    )
    to_staff = models.ForeignKey(
        "regions.Staff",
        on_delete=models.PROTECT,
        related_name="handovers_received",
        verbose_name=_("handed over to"),
    )
    on = models.DateField(_("handed over on"))
    completeness = models.PositiveSmallIntegerField(_("completeness (%)"))
    warm = models.BooleanField(
        _("warm handover"), default=False, help_text=_("Introduced in a joint conversation.")
    )
    note = models.TextField(_("note for the receiver"), blank=True)
    batch = models.ForeignKey(
        HandoverBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="handovers"
    )

    class Meta:
        ordering = ["-on", "-id"]


class ContactChannel(models.TextChoices):
    IN_PERSON = "gesprek", _("Conversation at the office")
    HOME_VISIT = "huisbezoek", _("Home visit")
    WORKPLACE = "werkplek", _("At the workplace")
    MEETING = "bijeenkomst", _("Meeting with employers")
    VIDEO = "video", _("Video call")
    PHONE = "telefoon", _("Phone")
    EMAIL = "email", _("E-mail or message")
    LETTER = "brief", _("Letter")


FACE_TO_FACE_CHANNELS = frozenset(
    {
        ContactChannel.IN_PERSON,
        ContactChannel.HOME_VISIT,
        ContactChannel.WORKPLACE,
        ContactChannel.MEETING,
    }
)


class CandidateContact(AuditedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("when"))
    channel = models.CharField(_("how"), max_length=12, choices=ContactChannel.choices)
    staff = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    summary = models.TextField(_("summary"))
    agreements = models.TextField(_("agreements"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["candidate", "-at"], name="cand_contact_latest")]

    @property
    def face_to_face(self) -> bool:
        return self.channel in FACE_TO_FACE_CHANNELS


class Appointment(AuditedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(5)]
    )
    subject = models.CharField(_("subject"), max_length=150)
    location = models.CharField(_("where"), max_length=200)
    staff = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("with")
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["starts_at"]


class EpisodePhase(models.TextChoices):
    INTAKE = "intake", _("Intake")
    DIAGNOSIS = "diagnose", _("Diagnosis")
    INTERVENTION = "interventie", _("Intervention")
    MEDIATION = "bemiddeling", _("Mediation")
    PLACEMENT = "plaatsing", _("Placement")
    AFTERCARE = "nazorg", _("Aftercare")
    CLOSED = "afgesloten", _("Closed")


class ServiceEpisode(AuditedModel):
    """A period in service (WB: standard term 2 years; alert after 1 year)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="episodes")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    phase = models.CharField(
        _("phase"), max_length=12, choices=EpisodePhase.choices, default=EpisodePhase.INTAKE
    )
    max_term_months = models.PositiveSmallIntegerField(_("maximum term (months)"), default=24)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(end__isnull=True),
                name="one_open_episode_per_candidate",
                violation_error_message=_("This candidate already has an open service period."),
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="episode_period_ordered",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]


# --- Return and signals --------------------------------------------------------------------


class ReturnReason(models.TextChoices):
    """The four reason codes of the WerkBedrijf report (WB §4.2.1), labels as printed."""

    TEMPORARILY_NOT_PLACEABLE = (
        "tijdelijk_niet_plaatsbaar",
        "Kandidaat is tijdelijk niet plaatsbaar",
    )
    STRUCTURALLY_NOT_PLACEABLE = (
        "structureel_niet_plaatsbaar",
        "Kandidaat is structureel niet plaatsbaar",
    )
    NOT_TARGET_GROUP_OR_NO_SHOW = (
        "geen_doelgroep_of_niet_verschenen",
        "Kandidaat is geen doelgroep voor de Participatiewet (meer) of niet verschenen "
        "zonder bericht",
    )
    END_YOUTH_SEARCH_PERIOD = (
        "einde_zoekperiode_jongeren",
        "Einde van de zoekperiode van vier weken voor jongeren tot 27 jaar die een "
        "bijstandsuitkering aanvragen",
    )


class Return(AuditedModel):
    """Terugmelding: the candidate goes back to the municipality, with reasons."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="returns")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=40, choices=ReturnReason.choices)
    explanation = models.TextField(_("explanation"))
    instruments_tried = models.JSONField(_("instruments tried"), default=list, blank=True)
    recommended_next_step = models.TextField(_("recommended next step"))
    service_months = models.PositiveSmallIntegerField(_("months in service"), default=0)
    sent_by = models.ForeignKey("regions.Staff", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        "regions.Staff",
        on_delete=models.PROTECT,
        related_name="returns_received",
        verbose_name=_("client manager"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]


class SignalKind(models.TextChoices):
    NO_SHOW = "niet_verschenen", _("Did not show up")
    REFUSED_WORK = "werk_geweigerd", _("Refused suitable work")
    OTHER = "overig", _("Other breach of obligations")


class SignalDecision(models.TextChoices):
    PENDING = "open", _("Awaiting decision")
    NO_MEASURE = "geen_maatregel", _("No measure")
    WARNING = "waarschuwing", _("Warning")
    MEASURE = "maatregel", _("Measure (benefit reduced)")


class Signal(AuditedModel):
    """A signal to the benefits department, with the municipality's decision fed back."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="signals")
    kind = models.CharField(_("what happened"), max_length=16, choices=SignalKind.choices)
    occurred_on = models.DateField(_("on"))
    description = models.TextField(_("description"))
    reported_by = models.ForeignKey("regions.Staff", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        _("decision"), max_length=16, choices=SignalDecision.choices, default=SignalDecision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("explanation of the decision"), blank=True)
    decided_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-id"]


# --- Norms ---------------------------------------------------------------------------------


class CandidatePolicy(AuditedModel):
    """The region's norms for candidate contact and service terms (configurable by admins)."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="candidate_policy"
    )
    weeks_without_contact = models.PositiveSmallIntegerField(
        _("alert when not seen for (weeks)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    first_alert_months = models.PositiveSmallIntegerField(
        _("first alert after (months in service)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum term (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    profile_stale_months = models.PositiveSmallIntegerField(
        _("profile needs confirming after (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
