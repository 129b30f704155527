"""The prettig gesprek: meetings of employers and candidates at tables, the invitations with
their answers and check-in, and the conversations of the table plan with their outcomes."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import AuditedModel


class MeetingFormat(models.TextChoices):
    TABLES = "tafels", _("Several employers at tables")
    ONE_EMPLOYER = "een_werkgever", _("One employer with several candidates")
    ACTIVITY = "activiteit", _("An activity (a walk, a golf clinic)")


class MeetingStatus(models.TextChoices):
    DRAFT = "concept", _("Being prepared")
    INVITED = "uitgenodigd", _("Invitations sent")
    PLANNED = "gepland", _("Table plan made")
    HELD = "gehouden", _("Held")
    CANCELLED = "geannuleerd", _("Cancelled")


class Meeting(AuditedModel):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=150)
    format = models.CharField(
        _("format"), max_length=14, choices=MeetingFormat.choices, default=MeetingFormat.TABLES
    )
    host_employer = models.ForeignKey(
        "employers.Employer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
        verbose_name=_("host employer"),
    )
    location = models.CharField(_("location"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    round_minutes = models.PositiveSmallIntegerField(
        _("minutes per round"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    table_capacity = models.PositiveSmallIntegerField(
        _("candidates per table"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    min_conversations = models.PositiveSmallIntegerField(
        _("conversations per candidate (at least)"), default=2
    )
    organisers = models.ManyToManyField(
        "regions.Staff", related_name="organised_meetings", verbose_name=_("organisers")
    )
    opportunities = models.ManyToManyField(
        "employers.WorkOpportunity",
        blank=True,
        related_name="meetings",
        verbose_name=_("work opportunities"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    # The last table plan: how it was made and how good it is.
    plan_method = models.CharField(max_length=16, blank=True)
    plan_objective = models.FloatField(null=True, blank=True)
    plan_bound = models.FloatField(null=True, blank=True)
    plan_seconds = models.FloatField(null=True, blank=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def round_times(self, number: int) -> tuple[dt.datetime, dt.datetime]:
        """Start and end of round ``number`` (1-based); round 1 starts at the start."""
        start = self.starts_at + dt.timedelta(minutes=(number - 1) * self.round_minutes)
        return start, start + dt.timedelta(minutes=self.round_minutes)

    @property
    def ends_at(self) -> dt.datetime:
        """The end of the last round: the time the pages, printouts and calendar file show."""
        return self.round_times(self.rounds)[1]

    @property
    def plan_gap(self) -> float | None:
        if self.plan_bound is None or self.plan_objective is None:
            return None
        if self.plan_bound <= 0:
            return 0.0
        return max(0.0, (self.plan_bound - self.plan_objective) / self.plan_bound)


class Response(models.TextChoices):
    OPEN = "open", _("No answer yet")
    YES = "ja", _("Coming")
    NO = "nee", _("Not coming")
    WAITING = "wachtlijst", _("On the waiting list")


class Invitation(AuditedModel):
    """One invited employer or candidate, with a personal answer link (only its hash is
    kept) and, on the day, whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    employer = models.ForeignKey(
        "employers.Employer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: Which answer link is current: the token is derived from the invitation and this
    #: number (see services.answer_token), so a reminder can carry the same link and a
    #: resent link replaces the old one.
    link_version = models.PositiveSmallIntegerField(default=1, editable=False)
    token_expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.OPEN
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    #: Set when a staff member recorded the answer (by phone, in person) for someone.
    answer_recorded_by = models.ForeignKey(
        "regions.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    #: Employers' tables: candidates per round (empty: the meeting's number).
    table_capacity = models.PositiveSmallIntegerField(
        _("candidates per table"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    #: Candidates: the employers they would like to meet (counts in the table plan).
    wants_to_meet = models.ManyToManyField(
        "employers.Employer", blank=True, related_name="+", verbose_name=_("would like to meet")
    )
    present = models.BooleanField(_("present"), null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=True, candidate__isnull=False)
                | Q(employer__isnull=False, candidate__isnull=True),
                name="invitation_employer_or_candidate",
            ),
            models.UniqueConstraint(
                fields=["meeting", "employer"],
                condition=Q(employer__isnull=False),
                name="invitation_employer_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "candidate"],
                condition=Q(candidate__isnull=False),
                name="invitation_candidate_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.employer or self.candidate)

    @property
    def is_employer(self) -> bool:
        return self.employer_id is not None


class Outcome(models.TextChoices):
    CLICK = "klik", _("Click")
    NO_CLICK = "geen_klik", _("No click")


class FollowUp(models.TextChoices):
    INTRODUCTION = "kennismaking", _("Introduction")
    TRIAL = "proefplaats", _("Trial placement")
    WORK_EXPERIENCE = "werkervaringsplaats", _("Work-experience place")
    APPLICATION = "sollicitatie", _("Application")
    JOB_OFFER = "baanaanbod", _("Job offer")
    NOTHING = "niets", _("Nothing")


class Conversation(AuditedModel):
    """One seat of the table plan: a candidate at an employer's table in a round."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conversations")
    round = models.PositiveSmallIntegerField(_("round"))  # 1-based, as people count
    employer = models.ForeignKey("employers.Employer", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="meeting_conversations"
    )
    pinned = models.BooleanField(_("fixed by the organiser"), default=False)
    fit = models.FloatField(null=True, blank=True)
    held = models.BooleanField(_("held"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    action = models.ForeignKey(
        "employers.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The shortlist entry a click with a follow-up put forward (the placement pipeline).
    shortlist_entry = models.ForeignKey(
        "matching.ShortlistEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_conversations",
    )

    class Meta:
        ordering = ["round", "employer_id", "candidate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "round", "candidate"], name="conversation_one_table_a_round"
            ),
            models.UniqueConstraint(
                fields=["meeting", "employer", "candidate"], name="conversation_pair_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.employer_id}–{self.candidate_id}"
