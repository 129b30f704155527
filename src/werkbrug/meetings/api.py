"""API of the prettig gesprek: meetings, their invitations, the table plan, check-in on the
day and the outcome of each conversation.

* ``GET/POST meetings``, ``GET/PATCH meetings/{uuid}``: the meetings of the caller's region
  (upcoming first), with the last plan's quality and (one meeting) its results.
* ``POST meetings/{uuid}/cancel``, ``POST meetings/{uuid}/held``: call a meeting off (the
  invitees are told, with the calendar file that removes it), or mark it as held.
* ``GET/POST meetings/{uuid}/invitations``: who is invited and what they answered; inviting
  mails each a personal answer link (the link's token never leaves the e-mail).
* ``GET/PATCH meetings/{uuid}/invitations/{invitation_uuid}``: one invitation; PATCH sets an
  employer's places per table. ``POST .../answer`` records an answer for someone (by phone,
  in person); ``POST .../resend`` mails a new answer link (the old one stops working).
* ``GET/POST meetings/{uuid}/plan``: the table plan as rounds → tables → seats; POST (re)plans
  from a round on and answers with the plan's objective, proven bound, gap and solve time.
* ``POST meetings/{uuid}/attendance``: check-in on the day.
* ``GET conversations/{uuid}``, ``POST conversations/{uuid}/outcome``: how a conversation went;
  a follow-up becomes a task for the employer's relationship manager.

Which meetings, invitations and conversations appear is decided by the scope rules
(``meetings.scopes``: staff of the region; candidates only as far as the caller may see them);
the rules live in ``meetings.services``; viewsets only translate HTTP. A candidate the caller
sees only through the regional pool is shown by public uuid without a name. Records outside
the caller's scope are 404; a missing permission is 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.api.fields import plausible_moment
from werkbrug.candidates.models import Candidate
from werkbrug.candidates.scopes import annotate_full_access
from werkbrug.core import access
from werkbrug.core.concurrency import StaleRecordError
from werkbrug.employers.api import (
    STALE_RESPONSE,
    LiveEmployerField,
    _ApiViewSet,
    _require_version,
    _stale,
    _version_field,
)
from werkbrug.employers.models import Employer, WorkOpportunity
from werkbrug.meetings import selectors, services
from werkbrug.meetings.models import (
    Conversation,
    FollowUp,
    Invitation,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Outcome,
)
from werkbrug.meetings.models import Response as Answer
from werkbrug.regions.api import ScopedRelatedField

VIEW = "meetings.view"
ORGANISE = "meetings.organise"
UUID_PATH = r"(?P<uuid>[^/.]+)"
#: The public answer page; the service puts each invitee's token where ``TOKEN`` stands.
ANSWER_PATH = "/uitnodiging/TOKEN/"

NOT_FOUND = OpenApiResponse(description="Problem details: not found, or outside your scope.")
FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the fields."
)
ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}
INVITATION_PARAM = OpenApiParameter(
    "invitation_uuid",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="The invitation (of this meeting).",
)


# --- Shared shapes --------------------------------------------------------------------------


class MeetingEmployerRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class MeetingCandidateRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="The candidate's public id.")
    name = serializers.CharField(
        allow_null=True,
        help_text="Only when you see the candidate's record in full; null for a candidate "
        "you see only through the regional pool.",
    )


def _employer_ref(employer: Any) -> dict[str, Any] | None:
    return None if employer is None else {"uuid": employer.uuid, "name": employer.name}


def _candidate_ref(candidate: Candidate | None, full_access: bool) -> dict[str, Any] | None:
    if candidate is None:
        return None
    return {"uuid": candidate.uuid, "name": candidate.full_name if full_access else None}


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --- Meetings -------------------------------------------------------------------------------


class MeetingFilterSerializer(serializers.Serializer):
    vanaf = serializers.DateField(
        required=False,
        help_text="Only meetings on or after this day, by date. Without it: upcoming meetings "
        "first (soonest first), then past ones (most recent first).",
    )


class MeetingPlanSummarySerializer(serializers.Serializer):
    method = serializers.CharField(
        help_text="How the plan was made: flow (proven optimal), flow+cp-sat, cp-sat or greedy."
    )
    objective = serializers.FloatField(
        allow_null=True,
        help_text="Total fit of the pairs that meet (matching score plus the bonus of a stated "
        "wish to meet), of the rounds the last run planned.",
    )
    bound = serializers.FloatField(
        allow_null=True,
        help_text="Proven upper bound of that fit for a plan that seats as many candidates; "
        "null when the method proves none.",
    )
    gap = serializers.FloatField(
        allow_null=True, help_text="(bound − objective) / bound; 0 means proven optimal."
    )
    seconds = serializers.FloatField(allow_null=True, help_text="Solve time.")
    planned_at = serializers.DateTimeField()


class MeetingResultsSerializer(serializers.Serializer):
    """Counts only, no names."""

    invited_employers = serializers.IntegerField()
    invited_candidates = serializers.IntegerField()
    coming = serializers.IntegerField(help_text="Invitations answered with yes.")
    attended = serializers.IntegerField(help_text="Checked in as present.")
    conversations = serializers.IntegerField(help_text="Seats in the table plan.")
    held = serializers.IntegerField(help_text="Conversations with an outcome.")
    clicks = serializers.IntegerField()
    follow_ups = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Per follow-up (" + ", ".join(f for f in FollowUp.values if f != "niets") + ").",
    )
    placements = serializers.IntegerField(
        help_text="Hires that followed with an employer the candidate met here."
    )


def _plan_summary(meeting: Meeting) -> dict[str, Any] | None:
    if meeting.planned_at is None:
        return None
    return {
        "method": meeting.plan_method,
        "objective": _rounded(meeting.plan_objective, 3),
        "bound": _rounded(meeting.plan_bound, 3),
        "gap": _rounded(meeting.plan_gap, 6),
        "seconds": _rounded(meeting.plan_seconds, 3),
        "planned_at": meeting.planned_at,
    }


class MeetingSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    format = serializers.ChoiceField(choices=MeetingFormat.choices)
    host_employer = MeetingEmployerRefSerializer(allow_null=True)
    location = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(
        help_text="The end of the last round: starts_at + rounds × round_minutes."
    )
    rounds = serializers.IntegerField()
    round_minutes = serializers.IntegerField()
    table_capacity = serializers.IntegerField(help_text="Candidates per table per round.")
    min_conversations = serializers.IntegerField(help_text="Conversations per candidate.")
    status = serializers.CharField(
        help_text="One of: "
        + ", ".join(MeetingStatus.values)
        + ". Follows the work: invitations sent → uitgenodigd, a plan made → gepland.",
    )
    cancelled_at = serializers.DateTimeField(
        allow_null=True, help_text="When the meeting was called off; null unless cancelled."
    )
    cancel_reason = serializers.CharField(
        help_text="Why it was called off, as told to the invitees; empty unless cancelled."
    )
    opportunities = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_opportunities(self, meeting: Meeting) -> list[str]:
        return [str(o.uuid) for o in meeting.opportunities.all()]

    @extend_schema_field(MeetingPlanSummarySerializer(allow_null=True))
    def get_plan(self, meeting: Meeting) -> dict[str, Any] | None:
        summary = _plan_summary(meeting)
        return None if summary is None else MeetingPlanSummarySerializer(summary).data

    @extend_schema_field(
        MeetingResultsSerializer(
            allow_null=True, help_text="When reading or saving one meeting; null in the list."
        )
    )
    def get_results(self, meeting: Meeting) -> dict[str, Any] | None:
        if not self.context.get("with_results"):
            return None
        return MeetingResultsSerializer(selectors.results(meeting)).data


class MeetingWriteSerializer(serializers.ModelSerializer):
    host_employer = LiveEmployerField(
        allow_null=True, required=False, help_text="The employer who hosts it (uuid)."
    )
    opportunities = ScopedRelatedField(
        WorkOpportunity,
        many=True,
        required=False,
        help_text="Work of the region the meeting is about (uuids); replaces the list.",
    )
    version = _version_field()

    class Meta:
        model = Meeting
        fields = [
            "title",
            "format",
            "host_employer",
            "location",
            "starts_at",
            "rounds",
            "round_minutes",
            "table_capacity",
            "min_conversations",
            "opportunities",
            "version",
        ]
        extra_kwargs = {"starts_at": {"validators": [plausible_moment]}}


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300,
        help_text="Why the meeting is called off; the e-mail to the invitees says it.",
    )


def _meetings(actor: access.Actor) -> QuerySet[Meeting]:
    return selectors.meetings(actor).prefetch_related("opportunities")


def _get_meeting(actor: access.Actor, uuid: Any) -> Meeting:
    return access.get_for_view(_meetings(actor), actor, uuid, purpose="API: meeting")


# --- The table plan -------------------------------------------------------------------------


class MeetingSeatSerializer(serializers.Serializer):
    conversation = serializers.UUIDField(help_text="The conversation (to record its outcome).")
    candidate = serializers.UUIDField(help_text="The candidate's public id.")
    pinned = serializers.BooleanField(help_text="Fixed by the organiser: stays when replanning.")


class MeetingTableSerializer(serializers.Serializer):
    employer = MeetingEmployerRefSerializer()
    seats = MeetingSeatSerializer(many=True)


class MeetingRoundSerializer(serializers.Serializer):
    round = serializers.IntegerField(help_text="1-based.")
    tables = MeetingTableSerializer(many=True)


class MeetingPlanSerializer(MeetingPlanSummarySerializer):
    meeting = serializers.UUIDField()
    method = serializers.CharField(
        allow_null=True, help_text="How the plan was made; null when there is no plan yet."
    )
    planned_at = serializers.DateTimeField(allow_null=True)
    hidden = serializers.IntegerField(
        help_text="Conversations of candidates you may not see (left out of the seats)."
    )
    rounds = MeetingRoundSerializer(many=True, help_text="Per round, per invited employer.")


class MeetingPlanMadeSerializer(MeetingPlanSerializer):
    method = serializers.CharField(
        help_text="flow (proven optimal), flow+cp-sat (proven optimal when gap is 0), cp-sat "
        "or greedy."
    )
    planned_at = serializers.DateTimeField()
    coverage = serializers.IntegerField(
        help_text="Of the rounds planned now: the sum over candidates of their conversations, "
        "each counted up to the number every candidate should get."
    )


class MeetingPlanRequestSerializer(serializers.Serializer):
    from_round = serializers.IntegerField(
        min_value=1,
        required=False,
        default=1,
        help_text="Plan this round and the later ones; earlier rounds stay as they are and "
        "their pairs do not meet again. Pinned pairs stay together. On the day, who checked "
        "in counts.",
    )


def _plan_body(actor: access.Actor, meeting: Meeting) -> dict[str, Any]:
    grid = selectors.plan_grid(actor, meeting)
    summary = _plan_summary(meeting) or dict.fromkeys(
        ("method", "objective", "bound", "gap", "seconds", "planned_at")
    )
    return {
        "meeting": meeting.uuid,
        **summary,
        "hidden": grid.hidden,
        "rounds": [
            {
                "round": r,
                "tables": [
                    {
                        "employer": _employer_ref(employer),
                        "seats": [
                            {
                                "conversation": c.uuid,
                                "candidate": c.candidate.uuid,
                                "pinned": c.pinned,
                            }
                            for c in grid.at(r, employer.pk)
                        ],
                    }
                    for employer in grid.employers
                ],
            }
            for r in grid.rounds
        ],
    }


# --- Invitations ----------------------------------------------------------------------------


class MeetingInvitationSerializer(serializers.Serializer):
    """One invited employer or candidate (exactly one of the two is set)."""

    uuid = serializers.UUIDField()
    meeting = serializers.UUIDField(source="meeting.uuid", help_text="The meeting.")
    employer = serializers.SerializerMethodField()
    candidate = serializers.SerializerMethodField()
    response = serializers.ChoiceField(choices=Answer.choices, help_text="Their answer.")
    waitlist_position = serializers.IntegerField(
        allow_null=True, help_text="On the waiting list: their place (1 = next)."
    )
    present = serializers.BooleanField(
        allow_null=True, help_text="On the day: checked in (true), absent (false), not yet."
    )
    sent_at = serializers.DateTimeField(
        allow_null=True, help_text="When the invitation was mailed; null without an e-mail address."
    )
    reminded_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the reminder was mailed (once, shortly before the meeting); null when "
        "none was sent.",
    )
    answer_recorded = serializers.SerializerMethodField(
        help_text="The answer was recorded by a staff member (by phone, in person), not given "
        "through the personal link."
    )
    table_capacity = serializers.IntegerField(
        allow_null=True,
        help_text="An employer's table: candidates per round; null means the meeting's number "
        "(always null for a candidate).",
    )

    @extend_schema_field(MeetingEmployerRefSerializer(allow_null=True))
    def get_employer(self, invitation: Invitation) -> dict[str, Any] | None:
        return _employer_ref(invitation.employer)

    @extend_schema_field(MeetingCandidateRefSerializer(allow_null=True))
    def get_candidate(self, invitation: Invitation) -> dict[str, Any] | None:
        return _candidate_ref(invitation.candidate, getattr(invitation, "full_access", False))

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_answer_recorded(self, invitation: Invitation) -> bool:
        return invitation.answer_recorded_by_id is not None


class MeetingInviteSerializer(serializers.Serializer):
    employers = LiveEmployerField(many=True, required=False, help_text="Employers (uuids).")
    candidates = ScopedRelatedField(
        Candidate, many=True, required=False, help_text="Candidates (uuids)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("employers") and not attrs.get("candidates"):
            raise serializers.ValidationError(
                {"employers": [_("Choose the employers or candidates to invite.")]}
            )
        return attrs


class MeetingAttendanceSerializer(serializers.Serializer):
    invitation = serializers.UUIDField(help_text="The invitation of who arrived (or did not).")
    present = serializers.BooleanField(help_text="Arrived (true) or absent (false).")


class InvitedEmployerField(LiveEmployerField):
    """An employer invited to the meeting in the serializer's context (``meeting``)."""

    def get_queryset(self) -> Any:
        meeting = self.context.get("meeting")
        if meeting is None:
            return Employer.objects.none()
        return (
            super()
            .get_queryset()
            .filter(pk__in=meeting.invitations.filter(employer__isnull=False).values("employer"))
        )


class MeetingAnswerSerializer(serializers.Serializer):
    coming = serializers.BooleanField(
        help_text="Coming (true) or not (false). A candidate who says yes when all seats are "
        "taken goes on the waiting list; one who cancels frees a seat for the first waiting."
    )
    wants_to_meet = InvitedEmployerField(
        many=True,
        required=False,
        help_text="Candidates: the employers invited to this meeting they would like to meet "
        "(uuids; counts in the table plan). Sent, it replaces the list; not sent, the list "
        "stays as it is. Ignored for an employer.",
    )


class MeetingInvitationChangeSerializer(serializers.Serializer):
    table_capacity = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=50,
        help_text="Candidates per round at this employer's table (1–50); null: the meeting's "
        "number. More places let candidates on the waiting list move up.",
    )


def _invitations(actor: access.Actor, meeting: Meeting) -> QuerySet[Invitation]:
    return annotate_full_access(selectors.invitations(actor, meeting), actor)


# --- Conversations --------------------------------------------------------------------------


class ConversationTaskSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    due_on = serializers.DateField()


class ConversationSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    meeting = serializers.UUIDField(source="meeting.uuid")
    round = serializers.IntegerField()
    employer = serializers.SerializerMethodField()
    candidate = serializers.SerializerMethodField()
    pinned = serializers.BooleanField()
    held = serializers.BooleanField(allow_null=True)
    outcome = serializers.CharField(help_text="Empty, or: " + ", ".join(Outcome.values))
    follow_up = serializers.CharField(help_text="Empty, or: " + ", ".join(FollowUp.values))
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    task = serializers.SerializerMethodField()
    shortlist_entry = serializers.SerializerMethodField()

    @extend_schema_field(MeetingEmployerRefSerializer)
    def get_employer(self, conversation: Conversation) -> dict[str, Any] | None:
        return _employer_ref(conversation.employer)

    @extend_schema_field(MeetingCandidateRefSerializer)
    def get_candidate(self, conversation: Conversation) -> dict[str, Any] | None:
        return _candidate_ref(conversation.candidate, getattr(conversation, "full_access", False))

    @extend_schema_field(
        ConversationTaskSerializer(
            allow_null=True,
            help_text="The follow-up task for the employer's relationship manager.",
        )
    )
    def get_task(self, conversation: Conversation) -> dict[str, Any] | None:
        task = conversation.action
        if task is None:
            return None
        return {"uuid": str(task.uuid), "title": task.title, "due_on": task.due_on.isoformat()}

    @extend_schema_field(
        serializers.UUIDField(
            allow_null=True,
            help_text="The shortlist entry (matching) a click with a follow-up put the "
            "candidate on, for the employer's work at this meeting: the placement pipeline.",
        )
    )
    def get_shortlist_entry(self, conversation: Conversation) -> str | None:
        entry = conversation.shortlist_entry
        return None if entry is None else str(entry.uuid)


class ConversationOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    follow_up = serializers.ChoiceField(
        choices=FollowUp.choices,
        help_text="What follows; anything but niets becomes a task for the employer's "
        "relationship manager.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _conversations(actor: access.Actor) -> QuerySet[Conversation]:
    return annotate_full_access(
        access.scoped(Conversation, actor).select_related(
            "meeting", "employer", "candidate", "action", "shortlist_entry"
        ),
        actor,
    )


# --- Viewsets -------------------------------------------------------------------------------


class MeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ApiViewSet
):
    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer
    filter_serializer_class = MeetingFilterSerializer
    permission_map = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": ORGANISE,
        "partial_update": ORGANISE,
        "plan": VIEW,
        "make_plan": ORGANISE,
        "attendance": VIEW,
        "cancel": ORGANISE,
        "held": ORGANISE,
    }
    bodies: dict[str, type[serializers.Serializer]] = {
        "create": MeetingWriteSerializer,
        "partial_update": MeetingWriteSerializer,
        "make_plan": MeetingPlanRequestSerializer,
        "attendance": MeetingAttendanceSerializer,
        "plan": MeetingPlanSerializer,
        "cancel": MeetingCancelSerializer,
    }

    def get_serializer_class(self) -> Any:
        return self.bodies.get(self.action or "", MeetingSerializer)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["with_results"] = self.action != "list"
        return context

    def get_queryset(self) -> QuerySet[Meeting]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = _meetings(self.actor())
        if params.get("vanaf"):
            start = timezone.make_aware(dt.datetime.combine(params["vanaf"], dt.time.min))
            return queryset.filter(starts_at__gte=start).order_by("starts_at", "id")
        now = timezone.now()
        return queryset.annotate(
            past=Case(
                When(starts_at__lt=now, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            upcoming_at=Case(
                When(starts_at__gte=now, then=F("starts_at")),
                default=None,
                output_field=DateTimeField(),
            ),
        ).order_by("past", F("upcoming_at").asc(nulls_last=True), "-starts_at", "id")

    def get_object(self) -> Meeting:
        return _get_meeting(self.actor(), self.kwargs["uuid"])

    def _show(self, meeting: Meeting, status: int = 200) -> Response:
        return self.respond(
            _get_meeting(self.actor(), meeting.uuid),
            status=status,
            serializer_class=MeetingSerializer,
        )

    def _body(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(
        summary="Meetings",
        description="The meetings of your region. Upcoming meetings first (soonest first), "
        "then past ones (most recent first); with `vanaf`, the meetings from that day on, by "
        "date. `results` is given when reading one meeting.",
        parameters=[MeetingFilterSerializer],
        responses={200: MeetingSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One meeting",
        description="With the last table plan's quality and the results (counts only).",
        responses={200: MeetingSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object(), serializer_class=MeetingSerializer)

    @extend_schema(
        summary="Organise a meeting",
        description="In your region; you become its organiser.",
        request=MeetingWriteSerializer,
        responses={201: MeetingSerializer, 400: INVALID, 403: FORBIDDEN},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._body()
        data.pop("version", None)
        opportunities = data.pop("opportunities", [])
        meeting = services.save_meeting(
            actor=self.actor(), meeting=Meeting(**data), opportunities=opportunities
        )
        return self._show(meeting, status=201)

    @extend_schema(
        summary="Change a meeting",
        description="Send the `version` you read; a stale one is refused with 409.",
        request=MeetingWriteSerializer,
        responses={200: MeetingSerializer, **ERRORS, 409: STALE_RESPONSE},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self.get_object()
        serializer = self.get_serializer(meeting, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = _require_version(data)
        opportunities = data.pop("opportunities", None)
        if opportunities is None:  # the service replaces the list: keep it when not sent
            opportunities = list(meeting.opportunities.all())
        for name, value in data.items():
            setattr(meeting, name, value)
        try:
            services.save_meeting(
                actor=self.actor(),
                meeting=meeting,
                opportunities=opportunities,
                expected_version=version,
            )
        except StaleRecordError as error:
            return _stale(error)
        return self._show(meeting)

    @extend_schema(
        summary="Cancel a meeting",
        description="Call the meeting off. Everyone invited who did not decline and has an "
        "e-mail address is told why, with the calendar file that removes the meeting; the "
        "answer links stop working. A meeting already cancelled or held is refused with a 400 "
        "naming `status`.",
        request=MeetingCancelSerializer,
        responses={200: MeetingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request: Request, uuid: str | None = None) -> Response:
        meeting = self.get_object()
        data = self._body()
        services.cancel_meeting(actor=self.actor(), meeting=meeting, reason=data["reason"])
        return self._show(meeting)

    @extend_schema(
        summary="Mark a meeting as held",
        description="The meeting took place. Conversations without an outcome count as held, "
        "unless the candidate or the employer was checked in as absent. Refused with a 400 "
        "naming `status` before the meeting starts, or when it was cancelled or already held.",
        request=None,
        responses={200: MeetingSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="held", url_name="held")
    def held(self, request: Request, uuid: str | None = None) -> Response:
        meeting = self.get_object()
        services.mark_held(actor=self.actor(), meeting=meeting)
        return self._show(meeting)

    @extend_schema(
        summary="The table plan",
        description="Per round, per invited employer's table, who sits there. Candidates you "
        "may not see are left out (`hidden` counts them).",
        responses={200: MeetingPlanSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="plan", url_name="plan")
    def plan(self, request: Request, uuid: str | None = None) -> Response:
        meeting = self.get_object()
        return Response(MeetingPlanSerializer(_plan_body(self.actor(), meeting)).data)

    @extend_schema(
        summary="Make the table plan",
        description="Plan the rounds from `from_round` on with who is coming (on the day: who "
        "checked in), best fit first after giving every candidate their conversations. The "
        "answer is the plan with its objective, proven bound, gap and solve time. When the "
        "input cannot be planned the answer is a 400 naming `plan`.",
        request=MeetingPlanRequestSerializer,
        responses={200: MeetingPlanMadeSerializer, **ERRORS},
    )
    @plan.mapping.post
    def make_plan(self, request: Request, uuid: str | None = None) -> Response:
        meeting = self.get_object()
        data = self._body()
        actor = self.actor()
        made = services.make_plan(actor=actor, meeting=meeting, from_round=data["from_round"])
        meeting.refresh_from_db()
        body = _plan_body(actor, meeting)
        body["coverage"] = made.coverage
        return Response(MeetingPlanMadeSerializer(body).data)

    @extend_schema(
        summary="Check in",
        description="On the day: whether an invited employer or candidate arrived. The "
        "invitation must be one of this meeting's (else a 400 naming `invitation`).",
        request=MeetingAttendanceSerializer,
        responses={200: MeetingInvitationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="attendance", url_name="attendance")
    def attendance(self, request: Request, uuid: str | None = None) -> Response:
        meeting = self.get_object()
        data = self._body()
        actor = self.actor()
        invitation = _invitations(actor, meeting).filter(uuid=data["invitation"]).first()
        if invitation is None:
            raise serializers.ValidationError(
                {"invitation": [_("This is not an invitation to this meeting.")]}
            )
        services.check_in(actor=actor, invitation=invitation, present=data["present"])
        return self.respond(
            _invitations(actor, meeting).get(pk=invitation.pk),
            serializer_class=MeetingInvitationSerializer,
        )


class MeetingInvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _ApiViewSet
):
    queryset = Meeting.objects.none()  # the route's {uuid} is a meeting
    serializer_class = MeetingInvitationSerializer
    lookup_url_kwarg = "invitation_uuid"  # the invitation's uuid, in the detail routes
    permission_map = {
        "list": VIEW,
        "create": ORGANISE,
        "retrieve": VIEW,
        "partial_update": ORGANISE,
        "answer": ORGANISE,
        "resend": ORGANISE,
    }
    bodies: dict[str, type[serializers.Serializer]] = {
        "create": MeetingInviteSerializer,
        "partial_update": MeetingInvitationChangeSerializer,
        "answer": MeetingAnswerSerializer,
    }

    def get_serializer_class(self) -> Any:
        return self.bodies.get(self.action or "", MeetingInvitationSerializer)

    def _meeting(self) -> Meeting:
        return _get_meeting(self.actor(), self.kwargs["uuid"])

    def get_queryset(self) -> QuerySet[Invitation]:
        return _invitations(self.actor(), self._meeting())

    def get_object(self) -> Invitation:
        """An invitation of the route's meeting that the caller may see; else 404."""
        return access.get_for_view(
            self.get_queryset(),
            self.actor(),
            self.kwargs["invitation_uuid"],
            purpose="API: meeting invitation",
        )

    def _body(self, **context: Any) -> dict[str, Any]:
        serializer = self.get_serializer_class()(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _show(self, invitation: Invitation) -> Response:
        return self.respond(
            _invitations(self.actor(), invitation.meeting).get(pk=invitation.pk),
            serializer_class=MeetingInvitationSerializer,
        )

    @extend_schema(
        summary="Invitations of a meeting",
        description="The invited employers and candidates with their answers; candidates only "
        "as far as you may see them (pool candidates without a name).",
        responses={200: MeetingInvitationSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Invite",
        description="Each new invitee gets an e-mail with a personal answer link and the "
        "meeting as a calendar file; the link's token is only in that e-mail. Someone invited "
        "before is not invited again: the answer lists the invitations made now.",
        request=MeetingInviteSerializer,
        responses={201: MeetingInvitationSerializer(many=True), **ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = self._meeting()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        made = services.invite(
            actor=actor,
            meeting=meeting,
            employers=data.get("employers", []),
            candidates=data.get("candidates", []),
            answer_url=request.build_absolute_uri(ANSWER_PATH),
        )
        rows = _invitations(actor, meeting).filter(pk__in=[i.pk for i in made])
        return Response(
            MeetingInvitationSerializer(
                rows, many=True, context=self.get_serializer_context()
            ).data,
            status=201,
        )

    @extend_schema(
        summary="One invitation",
        description="An invitation of this meeting, as in the list; a candidate only as far as "
        "you may see them.",
        parameters=[INVITATION_PARAM],
        responses={200: MeetingInvitationSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object(), serializer_class=MeetingInvitationSerializer)

    @extend_schema(
        summary="Change an employer's table",
        description="How many candidates the employer's table takes per round; null: the "
        "meeting's number. More places let candidates on the waiting list move up (they are "
        "told by e-mail). Refused with a 400 naming `table_capacity` for a candidate's "
        "invitation or a number outside 1–50.",
        parameters=[INVITATION_PARAM],
        request=MeetingInvitationChangeSerializer,
        responses={200: MeetingInvitationSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invitation = self.get_object()
        data = self._body()
        services.set_table_capacity(
            actor=self.actor(), invitation=invitation, capacity=data["table_capacity"]
        )
        return self._show(invitation)

    @extend_schema(
        summary="Record an answer",
        description="For someone who answered by phone or in person, or has no e-mail: the "
        "same rules as an answer through the personal link (waiting list included), and "
        "`answer_recorded` shows that staff recorded it. Refused with a 400 naming `status` "
        "when the meeting was cancelled or held.",
        parameters=[INVITATION_PARAM],
        request=MeetingAnswerSerializer,
        responses={200: MeetingInvitationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="answer", url_name="answer")
    def answer(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invitation = self.get_object()
        data = self._body(meeting=invitation.meeting)
        wants_to_meet = data.get("wants_to_meet")
        if wants_to_meet is None:  # the service replaces the list: keep it when not sent
            wants_to_meet = list(invitation.wants_to_meet.all())
        services.record_answer(
            actor=self.actor(),
            invitation=invitation,
            coming=data["coming"],
            wants_to_meet=wants_to_meet,
        )
        return self._show(invitation)

    @extend_schema(
        summary="Send a new answer link",
        description="Mail the invitation again with a new personal answer link, to the current "
        "address of the candidate or the employer's contact person; the old link stops "
        "working. Refused with a 400 naming `email` when no address is known, or `status` "
        "when the meeting was cancelled or held.",
        parameters=[INVITATION_PARAM],
        request=None,
        responses={200: MeetingInvitationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="resend", url_name="resend")
    def resend(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invitation = self.get_object()
        services.resend_link(
            actor=self.actor(),
            invitation=invitation,
            answer_url=request.build_absolute_uri(ANSWER_PATH),
        )
        return self._show(invitation)


class ConversationViewSet(mixins.RetrieveModelMixin, _ApiViewSet):
    queryset = Conversation.objects.none()
    serializer_class = ConversationSerializer
    permission_map = {"retrieve": VIEW, "outcome": VIEW}

    def get_serializer_class(self) -> Any:
        return ConversationOutcomeSerializer if self.action == "outcome" else ConversationSerializer

    def get_queryset(self) -> QuerySet[Conversation]:
        return _conversations(self.actor())

    def get_object(self) -> Conversation:
        return access.get_for_view(
            self.get_queryset(), self.actor(), self.kwargs["uuid"], purpose="API: conversation"
        )

    @extend_schema(
        summary="One conversation of a table plan",
        responses={200: ConversationSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.respond(self.get_object(), serializer_class=ConversationSerializer)

    @extend_schema(
        summary="Record the outcome",
        description="How the conversation went. A follow-up other than niets becomes a task "
        "for the employer's relationship manager (`task`), once.",
        request=ConversationOutcomeSerializer,
        responses={200: ConversationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="outcome", url_name="outcome")
    def outcome(self, request: Request, uuid: str | None = None) -> Response:
        conversation = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.record_outcome(
            actor=self.actor(),
            conversation=conversation,
            outcome=data["outcome"],
            follow_up=data["follow_up"],
            note=data["note"],
        )
        return self.respond(
            self.get_queryset().get(pk=conversation.pk), serializer_class=ConversationSerializer
        )


def register(router: SimpleRouter) -> None:
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register(
        f"meetings/{UUID_PATH}/invitations",
        MeetingInvitationViewSet,
        basename="meeting-invitations",
    )
    router.register("conversations", ConversationViewSet, basename="conversation")
