"""The regional employer register: one shared record per establishment, one face to the
employer (owner + named substitute), contact history, questions and work opportunities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel
from werkbrug.core.validators import (
    validate_kvk,
    validate_postcode,
    validate_sbi,
    validate_vestigingsnummer,
)


class Phase(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    VISITED = "bezocht", _("Visited")
    ENGAGED = "betrokken", _("Engaged")
    MEETING = "prettig_gesprek", _("Host or guest of a prettig gesprek")
    OPPORTUNITY = "werkkans", _("Work opportunity")
    PLACEMENT = "plaatsing", _("Placement")
    AFTERCARE = "nazorg", _("Aftercare")


class SizeClass(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


class Source(models.TextChoices):
    VISIT = "bedrijfsbezoek", _("Company visit (own acquisition)")
    AMBASSADOR = "ambassadeur", _("Referred by an ambassador employer")
    NETWORK = "netwerkbijeenkomst", _("Network event")
    EMPLOYER_QUESTION = "werkgeversvraag", _("The employer contacted us")
    UWV = "uwv", _("Via UWV")
    SOCIAL_RETURN = "social_return", _("Social return (tender)")
    IMPORT = "import", _("Imported")
    OTHER = "overig", _("Other")


class Channel(models.TextChoices):
    VISIT_UNANNOUNCED = "bezoek_onaangekondigd", _("Company visit, unannounced")
    VISIT_APPOINTMENT = "bezoek_afspraak", _("Company visit, by appointment")
    PHONE = "telefoon", _("Phone")
    EMAIL = "email", _("E-mail")
    NETWORK = "netwerkbijeenkomst", _("Network event")
    MEETING = "prettig_gesprek", _("Prettig gesprek")


VISIT_CHANNELS = frozenset({Channel.VISIT_UNANNOUNCED, Channel.VISIT_APPOINTMENT})


class Employer(AuditedModel):
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="employers",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk], db_index=True
    )
    vestigingsnummer = models.CharField(
        _("establishment number"),
        max_length=12,
        blank=True,
        validators=[validate_vestigingsnummer],
    )
    sbi_code = models.CharField(_("SBI code"), max_length=5, blank=True, validators=[validate_sbi])
    size_class = models.CharField(_("size"), max_length=6, choices=SizeClass.choices, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode], db_index=True
    )
    city = models.CharField(_("place"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="employers",
        verbose_name=_("municipality"),
    )
    website = models.URLField(_("website"), blank=True)
    owner = models.ForeignKey(
        "regions.Staff",
        on_delete=models.PROTECT,
        related_name="owned_employers",
        verbose_name=_("relationship manager"),
    )
    substitute = models.ForeignKey(
        "regions.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitute_for_employers",
        verbose_name=_("substitute"),
        help_text=_("Receives questions while the relationship manager is away."),
    )
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.PROSPECT
    )
    ambassador = models.BooleanField(_("ambassador"), default=False)
    brought_in_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brought_in",
        verbose_name=_("brought in by"),
    )
    source = models.CharField(
        _("how they came in"), max_length=20, choices=Source.choices, default=Source.VISIT
    )
    notes = models.TextField(_("notes"), blank=True)
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, db_index=True)
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [
            models.Index(fields=["region", "name"]),
            models.Index(fields=["owner", "last_contact_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kvk_number", "vestigingsnummer"],
                condition=models.Q(merged_into__isnull=True) & ~models.Q(kvk_number=""),
                name="employer_unique_establishment",
                violation_error_message=_(
                    "This KvK and establishment number are already registered."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active_record(self) -> bool:
        return self.merged_into_id is None


class ContactPerson(AuditedModel):
    audit_personal_data = True

    class PreferredChannel(models.TextChoices):
        PHONE = "telefoon", _("Phone")
        EMAIL = "email", _("E-mail")
        VISIT = "bezoek", _("Visit")
        WHATSAPP = "whatsapp", _("WhatsApp")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contact_persons")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=PreferredChannel.choices, blank=True
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_person",
        verbose_name=_("portal login"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class ContactMoment(AuditedModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contact_moments")
    date = models.DateField(_("date"), db_index=True)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    staff = models.ManyToManyField(
        "regions.Staff", related_name="contact_moments", verbose_name=_("staff present")
    )
    contact_person = models.ForeignKey(
        ContactPerson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("spoke with"),
    )
    is_first_contact = models.BooleanField(
        _("first contact"),
        default=False,
        help_text=_("The first contact ever with this employer (the 'new employer contact' KPI)."),
    )
    work_found = models.BooleanField(_("work found"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        indexes = [models.Index(fields=["employer", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.date:%d-%m-%Y}"

    @property
    def is_visit(self) -> bool:
        return self.channel in VISIT_CHANNELS


class Action(AuditedModel):
    """An agreed follow-up action (interne taak) with an owner and a deadline."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="actions")
    contact_moment = models.ForeignKey(
        ContactMoment, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("what"), max_length=200)
    owner = models.ForeignKey(
        "regions.Staff", on_delete=models.PROTECT, related_name="actions", verbose_name=_("who")
    )
    due_on = models.DateField(_("deadline"), db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["owner", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.title


class EmployerQuestion(AuditedModel):
    class Topic(models.TextChoices):
        REINTEGRATION = "reintegratie", _("Staff and re-integration")
        INSTRUMENT = "instrument", _("Subsidies and instruments")
        WORK_OFFER = "werkaanbod", _("Offering work")
        INCIDENT = "incident", _("Problem with a placed employee")
        TENDER = "aanbesteding", _("Tender or social return")
        PERMIT = "vergunning", _("Permit")
        OTHER = "overig", _("Other")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="questions")
    contact_person = models.ForeignKey(
        ContactPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, default=Topic.OTHER)
    question = models.TextField(_("question"))
    assigned_to = models.ForeignKey(
        "regions.Staff",
        on_delete=models.PROTECT,
        related_name="assigned_questions",
        verbose_name=_("handled by"),
    )
    routed_to = models.CharField(
        _("passed on to"),
        max_length=200,
        blank=True,
        help_text=_(
            "Department or organisation that answers a question outside the social domain."
        ),
    )
    routed_at = models.DateTimeField(_("passed on at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("employer question")
        verbose_name_plural = _("employer questions")

    def __str__(self) -> str:
        return self.question[:60]


class OpportunityKind(models.TextChoices):
    REGULAR = "regulier", _("Regular employment")
    WORK_EXPERIENCE = "werkervaringsplaats", _("Work-experience place (benefit kept)")
    TRIAL = "proefplaatsing", _("Trial placement")
    LEARNING = "leerwerkplek", _("Learning-work place")
    INTERNSHIP = "stage", _("Internship")
    PARTICIPATION = "participatieplaats", _("Participation place")
    SECONDMENT = "detachering", _("Secondment")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PROPOSED = "voorgesteld", _("Candidates proposed")
    INTRODUCTION = "kennismaking", _("Introduction")
    FILLED = "ingevuld", _("Filled")
    LAPSED = "vervallen", _("Lapsed")


LANGUAGE_LEVELS = [
    ("", _("No requirement")),
    *[(lvl, lvl) for lvl in ("A1", "A2", "B1", "B2", "C1")],
]


class WorkOpportunity(AuditedModel):
    """Work described as tasks (werkkans), including latent work that is not advertised."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(_("short description"), max_length=150)
    tasks = models.JSONField(_("tasks"), default=list, help_text=_("One task per line."))
    occupation_code = models.CharField(
        _("occupation code (ISCO-08)"),
        max_length=4,
        blank=True,
        help_text=_("When known; four digits."),
    )
    #: The task lines recognised in the taxonomy (kept in step by services.save_opportunity);
    #: matching scores on these.
    skills = models.ManyToManyField(
        "taxonomy.Skill",
        blank=True,
        related_name="opportunities",
        verbose_name=_("tasks from the task list"),
    )
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("occupation"),
    )
    latent = models.BooleanField(
        _("latent work"), default=False, help_text=_("Work that exists but is not advertised.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=OpportunityKind.choices, default=OpportunityKind.REGULAR
    )
    places = models.PositiveSmallIntegerField(_("number of places"), default=1)
    hours_min = models.PositiveSmallIntegerField(_("hours per week, from"), null=True, blank=True)
    hours_max = models.PositiveSmallIntegerField(_("hours per week, up to"), null=True, blank=True)
    schedule = models.CharField(_("working times"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    driving_licence = models.BooleanField(_("driving licence required"), default=False)
    language_level = models.CharField(
        _("Dutch language level required"), max_length=2, choices=LANGUAGE_LEVELS, blank=True
    )
    must_have = models.JSONField(_("must have"), default=list, blank=True)
    nice_to_have = models.JSONField(_("nice to have"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.OPEN,
        db_index=True,
    )
    opened_on = models.DateField(_("opened on"))
    filled_on = models.DateField(_("filled on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("work opportunity")
        verbose_name_plural = _("work opportunities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_min__isnull=True)
                | models.Q(hours_max__isnull=True)
                | models.Q(hours_max__gte=models.F("hours_min")),
                name="opportunity_hours_ordered",
                violation_error_message=_("'Hours up to' cannot be less than 'hours from'."),
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1), name="opportunity_places_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_to_fill_days(self) -> int | None:
        return (self.filled_on - self.opened_on).days if self.filled_on else None


class OpportunityStatusChange(AuditedModel):
    opportunity = models.ForeignKey(
        WorkOpportunity, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=14, choices=OpportunityStatus.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=OpportunityStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note for the employer"), max_length=300, blank=True)
    reported_to_employer_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]


class EmployerPolicy(AuditedModel):
    """The region's norms for employer services (configurable by the functional administrator)."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="employer_policy"
    )
    contacts_per_year = models.PositiveSmallIntegerField(
        _("contacts per year (at least)"), default=2
    )
    visits_per_year = models.PositiveSmallIntegerField(_("of which visits (at least)"), default=1)
    cold_after_days = models.PositiveSmallIntegerField(
        _("relation turns cold after (days without contact)"), default=365
    )
    response_days = models.PositiveSmallIntegerField(
        _("answer employer questions within (working days)"), default=1
    )

    class Meta:
        verbose_name = _("employer policy")
