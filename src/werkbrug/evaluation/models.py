"""Evaluation: surveys with personal links, anonymous responses, control groups.

Three things are kept apart on purpose (domain guide §9, "module requirements"):

* the **invitation registry** (``Invitation``): who was asked, by which channel, with which
  incentive, and whether they answered. It names people, so only the survey's managers see it;
  one person is invited once per survey (a unique pseudonym), which prevents the double
  invitations that contaminated the Werktop control group;
* the **answers** (``Response``): no link to the invitation or the person, only the group
  (participant or control), the mode and the day. Researchers read answers, never names;
* the **control group** (``ControlGroup`` and its ``ControlGroupMember`` rows): drawn from the
  caseload by a recorded frame, method and seed, frozen before any effect is reported, so the
  draw can be repeated and checked.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel, BaseModel


class Audience(models.TextChoices):
    EMPLOYER = "employer", _("Employers")
    CANDIDATE = "candidate", _("Candidates")
    CONTROL = "control", _("Control group")


class Group(models.TextChoices):
    """Which side of the comparison someone is on."""

    PARTICIPANT = "participant", _("Participants")
    CONTROL = "control", _("Control group")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(AuditedModel):
    """One questionnaire sent in one round; the questions are a copy of a template, so a
    template can change without changing what earlier respondents were asked."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    template_code = models.CharField(_("template"), max_length=60, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    #: The questionnaire as evaluation.questionnaires.to_dict writes it.
    questionnaire = models.JSONField(_("questionnaire"))
    #: The control group's version, where the template has one (the Werktop controls got the
    #: same items without being told they took part): same question codes, so the two
    #: groups' answers are tabulated together.
    control_questionnaire = models.JSONField(_("questionnaire for the control group"), null=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_on = models.DateField(_("closes on"))
    #: Reports hide every cell with fewer respondents than this.
    min_cell_size = models.PositiveSmallIntegerField(_("smallest cell shown"), default=10)
    incentive = models.CharField(_("incentive"), max_length=200, blank=True)
    control_group = models.ForeignKey(
        "evaluation.ControlGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        verbose_name=_("control group"),
    )
    created_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter with QR code")


class Invitation(BaseModel):
    """The invitation registry: one person asked to answer one survey.

    Only the hash of the personal link is kept. ``person_key`` is a keyed pseudonym of the
    person (candidate or contact person) so one person cannot be invited twice; the foreign
    keys let the survey's managers send e-mails and letters, and are never shown to
    researchers. ``completed_at`` keeps the day only, so it cannot be matched to a response
    by the minute.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person_key = models.CharField(max_length=64, editable=False)
    candidate = models.ForeignKey(
        "candidates.Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_person = models.ForeignKey(
        "employers.ContactPerson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link valid until"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person_key"], name="survey_invitation_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(candidate__isnull=True) | Q(contact_person__isnull=True),
                name="survey_invitation_one_person",
            ),
        ]


class Mode(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Telephone")
    PAPER = "paper", _("Paper")


class Response(BaseModel):
    """One completed questionnaire: answers by question code, with no link to who gave them."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.WEB)
    submitted_on = models.DateField(_("submitted on"))
    answers = models.JSONField(_("answers"))

    class Meta:
        ordering = ["id"]


class ControlMethod(models.TextChoices):
    RANDOM = "random", _("Simple random sample")
    STRATIFIED = "stratified", _("Stratified random sample")


class ControlGroup(AuditedModel):
    """A comparison group drawn from the caseload: who did not take part, drawn at random or
    per stratum from a recorded frame with a recorded seed, and frozen once drawn."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    #: Taking part means a conversation at a meeting, a shortlist entry or a placement from
    #: this day on; the frame is everyone in service who did not.
    intervention_start = models.DateField(_("intervention started on"))
    #: The sampling frame's filters: municipality codes, ladder steps, benefit types.
    criteria = models.JSONField(_("sampling frame"), default=dict)
    method = models.CharField(
        _("method"), max_length=12, choices=ControlMethod.choices, default=ControlMethod.RANDOM
    )
    #: Stratification variables (subset of sampling.STRATA), in order.
    strata = models.JSONField(_("strata"), default=list)
    size = models.PositiveIntegerField(_("size"))
    seed = models.PositiveBigIntegerField(_("seed"))
    frame_size = models.PositiveIntegerField(_("frame size"), default=0)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-drawn_at", "id"]

    def __str__(self) -> str:
        return self.name


class ControlGroupMember(models.Model):
    """Frozen membership: the participants and the drawn controls, with their stratum."""

    control_group = models.ForeignKey(
        ControlGroup, on_delete=models.CASCADE, related_name="members"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The candidate's pseudonym, kept when the candidate record is erased.
    person_key = models.CharField(max_length=64)
    group = models.CharField(max_length=12, choices=Group.choices)
    stratum = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["control_group", "person_key"], name="control_group_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.control_group_id}:{self.group}:{self.person_key[:8]}"


class ComplaintCategory(models.TextChoices):
    SERVICE = "service", _("Service and treatment")
    COMMUNICATION = "communication", _("Communication and reachability")
    DECISION = "decision", _("Decision or instrument")
    PLACEMENT = "placement", _("Placement or match")
    PRIVACY = "privacy", _("Privacy")
    OTHER = "other", _("Other")


class ComplaintSettlement(models.TextChoices):
    OPEN = "open", _("Being handled")
    AMICABLE = "amicable", _("Settled amicably")
    FORMAL = "formal", _("Handled formally")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Complainant(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    EMPLOYER = "employer", _("Employer")


class Complaint(AuditedModel):
    """A complaint from a candidate or employer, as the WerkBedrijf report counts them."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("municipality"),
    )
    complainant = models.CharField(_("complainant"), max_length=12, choices=Complainant.choices)
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"), max_length=2000)
    settlement = models.CharField(
        _("handling"),
        max_length=12,
        choices=ComplaintSettlement.choices,
        default=ComplaintSettlement.OPEN,
    )
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "id"]

    @property
    def handling_days(self) -> int | None:
        if self.settled_on is None:
            return None
        return (self.settled_on - self.received_on).days
