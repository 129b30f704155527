"""API of evaluation: surveys with their anonymous answers and tables, the invitation
registry, control groups with their balance and effect, and the complaints register.

* ``GET/POST surveys``, ``GET surveys/{uuid}``: the region's surveys; a new one copies the
  questions of a template. One survey with its questionnaire and response per group.
* ``POST surveys/{uuid}/invite-control-group``: invite the survey's control group (its
  participants and drawn controls) by e-mail or letter; ``POST surveys/{uuid}/close``.
* ``GET surveys/{uuid}/responses``: the answers, one row per response, anonymised (group,
  mode, month; open texts left out); ``GET surveys/{uuid}/tables?question=``: one question by
  group, small cells suppressed, with its tests.
* ``GET survey-invitations``: the invitation registry (who was asked, whether they answered),
  only for who sends the invitations (``evaluation.send``).
* ``GET/POST control-groups``, ``GET control-groups/{uuid}``: draw and read control groups;
  ``GET control-groups/{uuid}/balance`` and ``/effect``: the groups compared on the register.
* ``GET/POST complaints``, ``GET complaints/{uuid}``, ``POST complaints/{uuid}/settle``.

Researchers read counts and anonymous answers, never names: nothing here but the invitation
registry refers to a person, and that only by uuid. The rules (who may be invited, the draw,
suppression of small cells, the tests) live in ``evaluation.services`` and
``evaluation.selectors``; the viewsets only translate HTTP. A record of another region is
404; a missing permission is 403; invalid input is a 400 naming the field.
"""

from __future__ import annotations

import math
import secrets
from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.candidates.models import BenefitType
from werkbrug.core import access
from werkbrug.employers.api import _ApiViewSet
from werkbrug.evaluation import questionnaires, selectors, services
from werkbrug.evaluation.models import (
    Audience,
    Channel,
    Complainant,
    Complaint,
    ComplaintCategory,
    ComplaintSettlement,
    ControlGroup,
    ControlMethod,
    Group,
    Invitation,
    Mode,
    Survey,
    SurveyStatus,
)
from werkbrug.placements.api import StatusField
from werkbrug.regions.api import ScopedRelatedField
from werkbrug.regions.models import Municipality

RESEARCH = "evaluation.research"
SEND = "evaluation.send"
COMPLAINTS = "evaluation.complaints"

NOT_FOUND = OpenApiResponse(description="Problem details: not found, or outside your scope.")
FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the fields."
)
ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}
WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN}

#: The public answer page; TOKEN is replaced by each invitation's personal token.
ANSWER_ROUTE = "evaluation:answer"
#: The longest window after the intervention's start that an effect is measured over.
MAX_WINDOW_MONTHS = 60


def _answer_base_url(request: Request) -> str:
    try:
        path = reverse(ANSWER_ROUTE, kwargs={"token": "TOKEN"})
    except NoReverseMatch:  # the public questionnaire is not routed (never in production)
        path = "/enquete/TOKEN/"
    return request.build_absolute_uri(path)


class FiniteFloatField(serializers.FloatField):
    """A float, or null where a statistic is not finite (JSON has no NaN or infinity)."""

    def to_representation(self, value: Any) -> float | None:
        number = float(value)
        return number if math.isfinite(number) else None


def _float(**kwargs: Any) -> FiniteFloatField:
    kwargs.setdefault("read_only", True)
    return FiniteFloatField(**kwargs)


# --- Statistics and tables --------------------------------------------------------------------


class EvaluationChiSquareSerializer(serializers.Serializer):
    """Pearson's χ² test of independence (no Yates correction)."""

    statistic = _float(help_text="χ².")
    dof = serializers.IntegerField(help_text="Degrees of freedom.")
    p_value = _float()
    cramers_v = _float(help_text="Cramér's V, between 0 and 1.")
    n = serializers.IntegerField(help_text="The number of observations tested.")
    mark = serializers.CharField(help_text="The report's significance mark: *, ** or *** (or '').")
    small_expected = serializers.BooleanField(
        help_text="Cochran's rule is broken: an expected count below 1, or more than 20 % below 5."
    )
    warning = serializers.CharField(
        allow_null=True, help_text="A Dutch warning for the report when the rule is broken."
    )
    fisher_p_value = _float(
        allow_null=True,
        help_text="Fisher's exact two-sided p for a 2×2 table with small expected counts.",
    )
    expected = serializers.ListField(
        child=serializers.ListField(child=_float()),
        allow_null=True,
        help_text="Expected counts under independence, for the rows `kept_rows` and columns "
        "`kept_cols`. Null in a table with a suppressed cell: the expected counts would give "
        "its count away.",
    )
    kept_rows = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The rows (indices) the test kept; rows without any observation are dropped.",
    )
    kept_cols = serializers.ListField(
        child=serializers.IntegerField(), help_text="The columns (indices) the test kept."
    )


class EvaluationTTestSerializer(serializers.Serializer):
    """Welch's two-sample t-test, two-sided; a: participants, b: controls."""

    statistic = _float(help_text="t.")
    dof = _float(help_text="Degrees of freedom (Welch).")
    p_value = _float()
    mean_a = _float()
    mean_b = _float()
    sd_a = _float()
    sd_b = _float()
    n_a = serializers.IntegerField()
    n_b = serializers.IntegerField()
    cohens_d = _float(help_text="Cohen's d.")
    mark = serializers.CharField(help_text="*, ** or *** (or '').")


class EvaluationMannWhitneySerializer(serializers.Serializer):
    """The Mann-Whitney U test, two-sided, normal approximation; a: participants, b: controls."""

    statistic = _float(help_text="U of the participants.")
    p_value = _float()
    z = _float(help_text="Continuity-corrected z; positive: the participants tend higher.")
    median_a = _float()
    median_b = _float()
    n_a = serializers.IntegerField()
    n_b = serializers.IntegerField()
    mark = serializers.CharField(help_text="*, ** or *** (or '').")


class EvaluationCellSerializer(serializers.Serializer):
    count = serializers.SerializerMethodField()
    percentage = _float(
        allow_null=True, help_text="Of the column (one decimal); null when suppressed."
    )
    suppressed = serializers.BooleanField(
        help_text="Hidden, without its count or percentage, so nobody can be singled out: "
        "fewer than `min_cell` (but not none), or `complementary`."
    )
    complementary = serializers.BooleanField(
        help_text="Hidden only so that a small cell beside it cannot be worked out from N "
        "(the report prints it as '•'); a small cell itself is printed as '< min_cell'."
    )

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="Null when the cell is suppressed.")
    )
    def get_count(self, cell: selectors.Cell) -> int | None:
        return None if cell.suppressed else cell.count


class EvaluationTableSerializer(serializers.Serializer):
    """A question (or register variable) by group: answers as rows, groups as columns."""

    title = serializers.CharField()
    row_labels = serializers.ListField(child=serializers.CharField())
    columns = serializers.ListField(
        child=serializers.CharField(), help_text="The groups shown (participants, controls)."
    )
    cells = serializers.ListField(
        child=serializers.ListField(child=EvaluationCellSerializer()),
        help_text="Rows × shown columns.",
    )
    n = serializers.ListField(
        child=serializers.IntegerField(), help_text="Respondents per shown column."
    )
    hidden_columns = serializers.ListField(
        child=serializers.CharField(),
        help_text="Groups with fewer respondents than `min_cell`: not shown, nor is the test.",
    )
    min_cell = serializers.IntegerField(help_text="The smallest cell shown (the survey's).")
    chi = serializers.SerializerMethodField()
    means = serializers.ListField(
        child=_float(allow_null=True),
        help_text="Scale questions: the mean per shown column (else empty).",
    )
    sds = serializers.ListField(
        child=_float(allow_null=True),
        help_text="Scale questions: the standard deviation per shown column (else empty).",
    )
    t = EvaluationTTestSerializer(allow_null=True, help_text="Scale questions, both groups shown.")
    mann_whitney = EvaluationMannWhitneySerializer(
        allow_null=True, help_text="Scale questions, both groups shown."
    )
    note = serializers.CharField(help_text="Why a test is missing, or how to read the table.")

    @extend_schema_field(
        EvaluationChiSquareSerializer(
            allow_null=True, help_text="Only when both groups are shown (not for multi)."
        )
    )
    def get_chi(self, table: selectors.GroupTable) -> dict[str, Any] | None:
        if table.chi is None:
            return None
        data = dict(EvaluationChiSquareSerializer(table.chi).data)
        if any(cell.suppressed for row in table.cells for cell in row):
            data["expected"] = None
        return data


# --- Surveys ----------------------------------------------------------------------------------


class SurveyResponseRateSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="participant or control.")
    label = serializers.CharField()
    invited = serializers.IntegerField()
    sent = serializers.IntegerField(help_text="E-mails sent and letters printed.")
    opened = serializers.IntegerField()
    completed = serializers.IntegerField()
    rate = _float(allow_null=True, help_text="Completed as a percentage of sent (one decimal).")


class SurveySerializer(serializers.ModelSerializer):
    audience = StatusField(Audience.choices, read_only=True)
    status = StatusField(SurveyStatus.choices, read_only=True)
    control_group = serializers.SerializerMethodField()
    questionnaire = serializers.SerializerMethodField()
    response_rates = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "uuid",
            "title",
            "template_code",
            "audience",
            "status",
            "closes_on",
            "min_cell_size",
            "incentive",
            "control_group",
            "created_at",
            "version",
            "questionnaire",
            "response_rates",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "min_cell_size": {
                "help_text": "Tables hide every group and answer with fewer respondents."
            },
            "closes_on": {"help_text": "The personal links work up to and including this day."},
        }

    def _detail(self) -> bool:
        return bool(self.context.get("detail"))

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_control_group(self, survey: Survey) -> str | None:
        group = survey.control_group
        return None if group is None else str(group.uuid)

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "description": "The questions (sections with their questions, as the templates "
            "are written); null in the list.",
        }
    )
    def get_questionnaire(self, survey: Survey) -> dict[str, Any] | None:
        return survey.questionnaire if self._detail() else None

    @extend_schema_field(
        SurveyResponseRateSerializer(
            many=True,
            allow_null=True,
            help_text="Per group (participants, controls): invited, sent, opened, completed and "
            "the response rate; null in the list.",
        )
    )
    def get_response_rates(self, survey: Survey) -> list[Any] | None:
        if not self._detail():
            return None
        actor = access.actor_for(self.context["request"].user)
        rows = selectors.response_rates(actor, survey)
        return SurveyResponseRateSerializer(rows, many=True).data


@extend_schema_serializer(component_name="Survey")  # the request body: SurveyRequest
class SurveyWriteSerializer(serializers.Serializer):
    template_code = StatusField(
        [(code, code) for code in questionnaires.template_codes()],
        help_text="The questionnaire template whose questions are copied.",
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Without it, the template's title.",
    )
    closes_on = serializers.DateField(help_text="In the future.")
    min_cell_size = serializers.IntegerField(
        min_value=1,
        max_value=100,
        default=10,
        help_text="Tables hide every group and answer with fewer respondents than this.",
    )
    incentive = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="A thank-you gift."
    )
    control_group = ScopedRelatedField(
        ControlGroup,
        required=False,
        allow_null=True,
        default=None,
        help_text="A control group of your region (uuid), to invite with the same questions.",
    )


class SurveyFilterSerializer(serializers.Serializer):
    status = StatusField(SurveyStatus.choices, required=False)


class SurveyInviteSerializer(serializers.Serializer):
    channel = StatusField(
        Channel.choices,
        help_text="email: sent at once to everyone with an address; letter: printed with a QR "
        "code by the team lead or the administrator.",
    )


class SurveyInvitedSerializer(serializers.Serializer):
    participant = serializers.IntegerField(help_text="Participants invited now.")
    control = serializers.IntegerField(help_text="Controls invited now.")
    total = serializers.IntegerField()


class SurveyAnswersSerializer(serializers.Serializer):
    """One response, anonymised: nothing that links it to the invitation or the person."""

    group = StatusField(Group.choices)
    mode = StatusField(Mode.choices)
    month = serializers.CharField(help_text="The month it was answered: YYYY-MM.")
    answers = serializers.DictField(
        help_text="By question code (open-text questions left out): the answer's value, a "
        "list for a multiple-choice question, null when not asked or not answered."
    )


class SurveyTableParamsSerializer(serializers.Serializer):
    question = serializers.CharField(
        max_length=40, help_text="The question's code; not an open-text question."
    )
    collapsed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: a five-point scale in three (positive, neutral, negative), as Werktop "
        "reported it.",
    )


def _answer_rows(actor: access.Actor, survey: Survey) -> list[dict[str, Any]]:
    """``selectors.anonymised_rows`` as JSON objects: multiple answers as lists again."""
    header, rows = selectors.anonymised_rows(actor, survey)
    multi = {
        q.code
        for q in questionnaires.parse(survey.questionnaire).questions
        if q.kind is questionnaires.Kind.MULTI
    }
    codes = header[3:]
    result = []
    for group, mode, month, *values in rows:
        answers = {
            code: value.split(";") if code in multi and isinstance(value, str) else value
            for code, value in zip(codes, values, strict=True)
        }
        result.append({"group": group, "mode": mode, "month": month, "answers": answers})
    return result


class _EvaluationViewSet(_ApiViewSet):
    bodies: dict[str, type[serializers.Serializer]] = {}
    default_serializer: type[serializers.Serializer]

    def get_serializer_class(self) -> Any:
        return self.bodies.get(self.action or "", self.default_serializer)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["detail"] = self.action != "list"
        return context

    def _body(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _query(self, params_class: type[serializers.Serializer]) -> dict[str, Any]:
        """An action's query parameters, validated (a bad value is a 400 naming it)."""
        serializer = params_class(
            data=self.request.query_params.dict(), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _show(self, instance: Any, status: int = 200) -> Response:
        return self.respond(instance, status=status, serializer_class=self.default_serializer)


class SurveyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _EvaluationViewSet
):
    queryset = Survey.objects.none()
    serializer_class = SurveySerializer
    default_serializer = SurveySerializer
    filter_serializer_class = SurveyFilterSerializer
    permission_map = {
        "list": RESEARCH,
        "retrieve": RESEARCH,
        "create": RESEARCH,
        "invite_control_group": RESEARCH,
        "close": RESEARCH,
        "responses": RESEARCH,
        "tables": RESEARCH,
    }
    bodies = {
        "create": SurveyWriteSerializer,
        "invite_control_group": SurveyInviteSerializer,
    }

    def get_queryset(self) -> QuerySet[Survey]:
        params = self.filter_params() if self.action == "list" else {}
        queryset = selectors.surveys(self.actor())
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        return queryset

    def get_object(self) -> Survey:
        actor = self.actor()
        return access.get_for_view(
            selectors.surveys(actor), actor, self.kwargs["uuid"], purpose="API: survey"
        )

    @extend_schema(
        summary="Surveys",
        description="The surveys of your region, newest first. `questionnaire` and "
        "`response_rates` are given when reading one survey.",
        parameters=[SurveyFilterSerializer],
        responses={200: SurveySerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One survey",
        description="With its questionnaire and, per group, how many were invited, reached, "
        "opened the link and answered (counts only). A survey of another region is 404.",
        responses={200: SurveySerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._show(self.get_object())

    @extend_schema(
        summary="Create a survey",
        description="A draft survey in your region with a copy of the template's questions "
        "(a later change of the template does not change it). Refused with a 400 naming "
        "`closes_on` for a day not in the future, or `control_group` for one you may not see.",
        request=SurveyWriteSerializer,
        responses={201: SurveySerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        survey = services.create_survey(actor=self.actor(), **self._body())
        return self._show(self.get_queryset().get(pk=survey.pk), status=201)

    @extend_schema(
        summary="Invite the control group",
        description="Invite the survey's control group with the survey's questions: its "
        "participants as participants, its drawn controls as controls. Everyone gets their own "
        "link; someone already invited to this survey is skipped (never twice). E-mails go out "
        "at once; letters are printed from the survey page. The answer counts who was invited "
        "now, per group. A survey without a control group, or closed, is refused with a 400.",
        request=SurveyInviteSerializer,
        responses={200: SurveyInvitedSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="invite-control-group",
        url_name="invite-control-group",
    )
    def invite_control_group(self, request: Request, uuid: str | None = None) -> Response:
        survey = self.get_object()
        data = self._body()
        made = services.invite_control_group(
            actor=self.actor(),
            survey=survey,
            channel=data["channel"],
            base_url=_answer_base_url(request),
        )
        counts = Counter(invitation.group for invitation in made)
        body = {
            "participant": counts[Group.PARTICIPANT],
            "control": counts[Group.CONTROL],
            "total": len(made),
        }
        return Response(SurveyInvitedSerializer(body).data)

    @extend_schema(
        summary="Close a survey",
        description="The personal links stop working; the answers stay.",
        request=None,
        responses={200: SurveySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="close", url_name="close")
    def close(self, request: Request, uuid: str | None = None) -> Response:
        survey = services.close_survey(actor=self.actor(), survey=self.get_object())
        return self._show(survey)

    @extend_schema(
        summary="The answers, anonymised",
        description="One row per completed questionnaire: the group, the mode, the month of "
        "answering and the answers by question code. Open-text questions are left out (they can "
        "identify someone); nothing links a row to an invitation or a person, and the rows are "
        "in no order that mirrors the order of answering.",
        responses={200: SurveyAnswersSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="responses", url_name="responses")
    def responses(self, request: Request, uuid: str | None = None) -> Response:
        survey = self.get_object()
        page = self.paginate_queryset(_answer_rows(self.actor(), survey))
        assert page is not None  # the answers are always paginated
        return self.get_paginated_response(SurveyAnswersSerializer(page, many=True).data)

    @extend_schema(
        summary="One question by group",
        description="The answers to one question by group (participants, controls): counts "
        "and column percentages, a group with fewer respondents than the survey's smallest "
        "cell left out, and a count below it suppressed (`count` null). With both groups "
        "shown, Pearson's χ² with Cramér's V (and Fisher's exact test where expected counts "
        "are small); scale questions also get means, standard deviations, the t-test and "
        "Mann-Whitney. An unknown or open-text question is a 400 naming `question`.",
        parameters=[SurveyTableParamsSerializer],
        responses={200: EvaluationTableSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="tables", url_name="tables")
    def tables(self, request: Request, uuid: str | None = None) -> Response:
        survey = self.get_object()
        params = self._query(SurveyTableParamsSerializer)
        table = selectors.question_table(
            self.actor(), survey, params["question"], collapsed=params["collapsed"]
        )
        if table is None:
            raise serializers.ValidationError(
                {"question": [_("This survey has no such question, or it is an open question.")]}
            )
        return Response(EvaluationTableSerializer(table).data)


# --- The invitation registry ------------------------------------------------------------------


class SurveyInvitationSerializer(serializers.ModelSerializer):
    survey = serializers.UUIDField(source="survey.uuid", read_only=True)
    group = StatusField(Group.choices, read_only=True)
    channel = StatusField(Channel.choices, read_only=True)
    candidate = serializers.SerializerMethodField()
    contact_person = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "uuid",
            "survey",
            "group",
            "channel",
            "sent_at",
            "opened_at",
            "completed_on",
            "reminders_sent",
            "candidate",
            "contact_person",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "sent_at": {"help_text": "The e-mail sent or the letter printed; null: not yet."},
            "completed_on": {"help_text": "The day only (it cannot be matched to an answer)."},
        }

    @extend_schema_field(serializers.UUIDField(allow_null=True, help_text="The invited candidate."))
    def get_candidate(self, invitation: Invitation) -> str | None:
        return None if invitation.candidate is None else str(invitation.candidate.uuid)

    @extend_schema_field(
        serializers.UUIDField(allow_null=True, help_text="The invited employer's contact person.")
    )
    def get_contact_person(self, invitation: Invitation) -> str | None:
        person = invitation.contact_person
        return None if person is None else str(person.uuid)


class SurveyInvitationFilterSerializer(serializers.Serializer):
    survey = ScopedRelatedField(Survey, required=False, help_text="Only of this survey (uuid).")


class SurveyInvitationViewSet(mixins.ListModelMixin, _ApiViewSet):
    queryset = Invitation.objects.none()
    serializer_class = SurveyInvitationSerializer
    filter_serializer_class = SurveyInvitationFilterSerializer
    permission_map = {"list": SEND}

    def get_queryset(self) -> QuerySet[Invitation]:
        params = self.filter_params()
        queryset = (
            access.scoped(Invitation, self.actor())
            .select_related("survey", "candidate", "contact_person")
            .order_by("-survey__created_at", "id")
        )
        if params.get("survey"):
            queryset = queryset.filter(survey=params["survey"])
        return queryset

    @extend_schema(
        summary="The invitation registry",
        description="Who was invited to the surveys of your region, by which channel, and "
        "whether they opened the link and answered: the person as a candidate or contact "
        "person uuid. Only for the team lead and the administrator, who send the invitations; "
        "the answers are never linked to it. Never the personal link.",
        parameters=[SurveyInvitationFilterSerializer],
        responses={200: SurveyInvitationSerializer(many=True), 400: INVALID, 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


# --- Control groups ---------------------------------------------------------------------------


class ControlGroupMembersSerializer(serializers.Serializer):
    participant = serializers.IntegerField(help_text="Participants recorded at the draw.")
    control = serializers.IntegerField(help_text="Controls drawn.")


class ControlGroupSerializer(serializers.ModelSerializer):
    method = StatusField(ControlMethod.choices, read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = ControlGroup
        fields = [
            "uuid",
            "name",
            "intervention_start",
            "criteria",
            "method",
            "strata",
            "size",
            "seed",
            "frame_size",
            "participant_count",
            "drawn_at",
            "members",
            "version",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "intervention_start": {
                "help_text": "Who had a conversation at a meeting, a shortlist entry or a "
                "placement from this day on took part."
            },
            "criteria": {
                "help_text": "The sampling frame: municipalities (uuids), ladder_steps, "
                "benefit_types; none: the whole region."
            },
            "strata": {"help_text": "The stratification variables, in order."},
            "seed": {"help_text": "The seed of the draw: with the frame, redoes it."},
            "frame_size": {"help_text": "The people in the frame who did not take part."},
        }

    @extend_schema_field(ControlGroupMembersSerializer)
    def get_members(self, group: ControlGroup) -> dict[str, int]:
        # Counted with the query (``_control_groups``), not one query per group.
        return {
            "participant": getattr(group, "participants_frozen", 0),
            "control": getattr(group, "controls_frozen", 0),
        }


class ControlGroupCriteriaSerializer(serializers.Serializer):
    municipalities = ScopedRelatedField(
        Municipality,
        many=True,
        required=False,
        help_text="Municipalities of your region (uuids); none: the whole region.",
    )
    ladder_steps = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=6),
        required=False,
        help_text="Participation ladder steps (1-6); Werktop compared steps 3 to 5.",
    )
    benefit_types = serializers.ListField(child=StatusField(BenefitType.choices), required=False)


@extend_schema_serializer(component_name="ControlGroup")  # the request body: ControlGroupRequest
class ControlGroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    intervention_start = serializers.DateField(
        help_text="Who took part from this day on is a participant; the controls are drawn "
        "from everyone else in the frame."
    )
    size = serializers.IntegerField(
        min_value=1, max_value=100_000, help_text="The number of controls."
    )
    seed = serializers.IntegerField(
        min_value=0,
        max_value=2**53,
        required=False,
        help_text="The starting number of the random draw; without it, a random one. It is "
        "recorded, so anyone can redo the draw.",
    )
    method = StatusField(ControlMethod.choices, default=ControlMethod.RANDOM)
    strata = serializers.ListField(
        child=StatusField([(code, code) for code in services.STRATA]),
        required=False,
        default=list,
        help_text="Stratify by these variables (required for stratified).",
    )
    criteria = ControlGroupCriteriaSerializer(
        required=False, help_text="The sampling frame; without it, the whole region."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        frame = attrs.pop("criteria", {}) or {}
        attrs["criteria"] = {
            key: value
            for key, value in {
                "municipalities": [str(m.uuid) for m in frame.get("municipalities", [])],
                "ladder_steps": frame.get("ladder_steps", []),
                "benefit_types": frame.get("benefit_types", []),
            }.items()
            if value
        }
        if attrs.get("seed") is None:
            attrs["seed"] = secrets.randbelow(10**9)
        return attrs


class EffectParamsSerializer(serializers.Serializer):
    window_months = serializers.IntegerField(
        min_value=1,
        max_value=MAX_WINDOW_MONTHS,
        default=12,
        help_text="The months after the intervention's start that count.",
    )


class ProportionDifferenceSerializer(serializers.Serializer):
    p_a = _float(help_text="The participants' proportion.")
    p_b = _float(help_text="The controls' proportion.")
    difference = _float(help_text="p_a − p_b.")
    ci_low = _float()
    ci_high = _float()
    confidence = _float(help_text="0.95.")
    method = serializers.CharField(help_text="newcombe or wald: how the interval is computed.")
    z = _float(help_text="The pooled two-proportion z.")
    p_value = _float()
    mark = serializers.CharField(help_text="*, ** or *** (or '').")


class EffectRowSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    participants = serializers.IntegerField(help_text="Participants who reached it.")
    participants_n = serializers.IntegerField()
    participant_pct = _float(allow_null=True)
    controls = serializers.IntegerField(help_text="Controls who reached it.")
    controls_n = serializers.IntegerField()
    control_pct = _float(allow_null=True)
    difference = ProportionDifferenceSerializer(
        allow_null=True, help_text="With a 95 % interval; null while a group is empty."
    )
    chi = EvaluationChiSquareSerializer(
        allow_null=True, help_text="Pearson's χ² on the 2×2 table (Fisher where counts are small)."
    )


def _control_groups(actor: access.Actor) -> QuerySet[ControlGroup]:
    return (
        selectors.control_groups(actor)
        .annotate(
            participants_frozen=Count("members", filter=Q(members__group=Group.PARTICIPANT)),
            controls_frozen=Count("members", filter=Q(members__group=Group.CONTROL)),
        )
        .order_by("-drawn_at", "id")  # a grouped query drops the model's ordering
    )


class ControlGroupViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _EvaluationViewSet
):
    queryset = ControlGroup.objects.none()
    serializer_class = ControlGroupSerializer
    default_serializer = ControlGroupSerializer
    permission_map = {
        "list": RESEARCH,
        "retrieve": RESEARCH,
        "create": RESEARCH,
        "balance": RESEARCH,
        "effect": RESEARCH,
    }
    bodies = {"create": ControlGroupWriteSerializer}

    def get_queryset(self) -> QuerySet[ControlGroup]:
        return _control_groups(self.actor())

    def get_object(self) -> ControlGroup:
        actor = self.actor()
        return access.get_for_view(
            _control_groups(actor), actor, self.kwargs["uuid"], purpose="API: control group"
        )

    @extend_schema(
        summary="Control groups",
        description="The control groups of your region, latest draw first: the frame, method, "
        "strata and seed, and how many participants and controls are frozen in it (counts, "
        "never names).",
        responses={200: ControlGroupSerializer(many=True), 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One control group",
        responses={200: ControlGroupSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._show(self.get_object())

    @extend_schema(
        summary="Draw a control group",
        description="Record who took part from `intervention_start` on (a conversation at a "
        "meeting, a shortlist entry or a placement) and draw `size` controls from everyone "
        "else in the frame, at random or per stratum, with the seed; the group is frozen. "
        "Refused with a 400 naming the field: `strata` for stratified without variables, "
        "`size` when the frame holds fewer people.",
        request=ControlGroupWriteSerializer,
        responses={201: ControlGroupSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = services.draw_control_group(actor=self.actor(), **self._body())
        return self._show(self.get_queryset().get(pk=group.pk), status=201)

    @extend_schema(
        summary="Balance of the groups",
        description="Participants against controls on the register variables (municipality, "
        "ladder step, benefit duration, sex, age, education), each with χ²: are the groups "
        "comparable? Counts only. Read it before the effect.",
        responses={200: EvaluationTableSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="balance",
        url_name="balance",
        pagination_class=None,  # one table per register variable
    )
    def balance(self, request: Request, uuid: str | None = None) -> Response:
        tables = selectors.balance_table(self.actor(), self.get_object())
        return Response(EvaluationTableSerializer(tables, many=True).data)

    @extend_schema(
        summary="Effect from the register",
        description="Participants against controls on what the register records within the "
        "window after the intervention's start: a regular job, a work-experience place, "
        "outflow from benefit, a regular job lasting six months. Each with the difference of "
        "proportions and its 95 % interval (Newcombe) and χ² (Fisher where counts are small).",
        parameters=[EffectParamsSerializer],
        responses={200: EffectRowSerializer(many=True), **ERRORS},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="effect",
        url_name="effect",
        pagination_class=None,  # one row per outcome
    )
    def effect(self, request: Request, uuid: str | None = None) -> Response:
        group = self.get_object()
        params = self._query(EffectParamsSerializer)
        rows = selectors.effect_table(self.actor(), group, window_months=params["window_months"])
        return Response(EffectRowSerializer(rows, many=True).data)


# --- Complaints -------------------------------------------------------------------------------


class ComplaintSerializer(serializers.ModelSerializer):
    municipality = serializers.SerializerMethodField()
    complainant = StatusField(Complainant.choices, read_only=True)
    category = StatusField(ComplaintCategory.choices, read_only=True)
    settlement = StatusField(ComplaintSettlement.choices, read_only=True)
    handling_days = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Received to settled; null while open."
    )

    class Meta:
        model = Complaint
        fields = [
            "uuid",
            "complainant",
            "category",
            "municipality",
            "received_on",
            "summary",
            "settlement",
            "settled_on",
            "handling_days",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_municipality(self, complaint: Complaint) -> str | None:
        found = complaint.municipality
        return None if found is None else str(found.uuid)


@extend_schema_serializer(component_name="Complaint")  # the request body: ComplaintRequest
class ComplaintWriteSerializer(serializers.Serializer):
    complainant = StatusField(Complainant.choices, help_text="Who complains.")
    category = StatusField(ComplaintCategory.choices)
    municipality = ScopedRelatedField(
        Municipality,
        required=False,
        allow_null=True,
        help_text="A municipality of your region (uuid).",
    )
    received_on = serializers.DateField(help_text="Not in the future.")
    summary = serializers.CharField(max_length=2000)
    settlement = StatusField(
        ComplaintSettlement.choices, required=False, help_text="Without it: open."
    )
    settled_on = serializers.DateField(
        required=False, allow_null=True, help_text="Required once settled; not before received."
    )


class ComplaintSettleSerializer(serializers.Serializer):
    settlement = StatusField(
        [c for c in ComplaintSettlement.choices if c[0] != ComplaintSettlement.OPEN]
    )
    settled_on = serializers.DateField(help_text="Not before the complaint was received.")


class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _EvaluationViewSet
):
    queryset = Complaint.objects.none()
    serializer_class = ComplaintSerializer
    default_serializer = ComplaintSerializer
    permission_map = {
        "list": COMPLAINTS,
        "retrieve": COMPLAINTS,
        "create": COMPLAINTS,
        "settle": COMPLAINTS,
    }
    bodies = {"create": ComplaintWriteSerializer, "settle": ComplaintSettleSerializer}

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaints(self.actor())

    def get_object(self) -> Complaint:
        actor = self.actor()
        return access.get_for_view(
            selectors.complaints(actor), actor, self.kwargs["uuid"], purpose="API: complaint"
        )

    @extend_schema(
        summary="Complaints",
        description="The complaints register of your region, latest received first.",
        responses={200: ComplaintSerializer(many=True), 403: FORBIDDEN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One complaint",
        responses={200: ComplaintSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._show(self.get_object())

    @extend_schema(
        summary="Record a complaint",
        description="A complaint from a candidate or an employer, as the WerkBedrijf report "
        "counts them. Refused with a 400 naming `received_on` for a day in the future, or "
        "`settled_on` when it does not fit the settlement.",
        request=ComplaintWriteSerializer,
        responses={201: ComplaintSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = {key: value for key, value in self._body().items() if value is not None}
        complaint = services.record_complaint(actor=self.actor(), **data)
        return self._show(self.get_queryset().get(pk=complaint.pk), status=201)

    @extend_schema(
        summary="Settle a complaint",
        description="How and when it was settled: amicably, formally or withdrawn. Refused "
        "with a 400 naming `settled_on` before the complaint was received.",
        request=ComplaintSettleSerializer,
        responses={200: ComplaintSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="settle", url_name="settle")
    def settle(self, request: Request, uuid: str | None = None) -> Response:
        complaint = self.get_object()
        data = self._body()
        services.settle_complaint(
            actor=self.actor(),
            complaint=complaint,
            settlement=data["settlement"],
            settled_on=data["settled_on"],
        )
        return self._show(self.get_queryset().get(pk=complaint.pk))


def register(router: SimpleRouter) -> None:
    router.register("surveys", SurveyViewSet, basename="survey")
    router.register("survey-invitations", SurveyInvitationViewSet, basename="survey-invitation")
    router.register("control-groups", ControlGroupViewSet, basename="control-group")
    router.register("complaints", ComplaintViewSet, basename="complaint")
