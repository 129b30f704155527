"""API of matching: suggestions both ways and the shortlist workflow.

* ``GET work-opportunities/{uuid}/suggestions``: the k best candidates the caller may see for
  the opportunity, with score, per-factor breakdown and a Dutch explanation. A candidate the
  caller sees only through the regional pool is anonymous: its public uuid (to shortlist) but no
  name, and the anonymous profile (tasks, hours, distance).
* ``GET candidates/{uuid}/suggestions``: open work that fits the candidate, and employers
  without open work who are worth asking.
* ``GET/POST work-opportunities/{uuid}/shortlist`` and ``shortlist-entries/{uuid}`` with one
  action per workflow step (propose, request-consent, record-consent, introduction, outcome,
  withdraw).

Which candidates appear is decided by the candidate scope rule (``matching.selectors``); the
workflow's rules live in ``matching.services``; viewsets only translate HTTP. Records outside
the caller's scope are 404 (no existence leak); a missing permission is 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from werkbrug.api.fields import plausible_moment
from werkbrug.candidates.models import Candidate, ConsentChannel
from werkbrug.core import access
from werkbrug.core.concurrency import StaleRecordError
from werkbrug.employers import selectors as employer_selectors
from werkbrug.employers.api import STALE_RESPONSE, _ApiViewSet, _stale
from werkbrug.employers.models import WorkOpportunity
from werkbrug.matching import engine, selectors, services
from werkbrug.matching.models import IntroductionOutcome, ShortlistEntry, ShortlistStatus
from werkbrug.regions.api import ScopedRelatedField

SUGGEST = "matching.suggest"
SHORTLIST = "matching.shortlist"
#: How many of a pool candidate's tasks the anonymous profile lists (as the employer's).
PROFILE_TASKS = 12
UUID_PATH = r"(?P<uuid>[^/.]+)"

NOT_FOUND = OpenApiResponse(description="Problem details: not found, or outside your scope.")
FORBIDDEN = OpenApiResponse(description="Problem details: you lack the permission.")
INVALID = OpenApiResponse(
    description="Problem details: invalid input; `invalid_params` names the fields."
)
STEP_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}


# --- Query parameters -----------------------------------------------------------------------


class SuggestionParamsSerializer(serializers.Serializer):
    k = serializers.IntegerField(
        min_value=1,
        max_value=selectors.MAX_K,
        required=False,
        default=50,
        help_text=f"How many suggestions (1..{selectors.MAX_K}).",
    )
    mode = serializers.ChoiceField(
        choices=[(m.value, m.value) for m in engine.Mode],
        required=False,
        default=engine.Mode.BREED.value,
        help_text="breed: rank everyone and flag missing must-haves; strikt: leave out whoever "
        "misses a must-have.",
    )


class WorkSuggestionParamsSerializer(SuggestionParamsSerializer):
    k = serializers.IntegerField(
        min_value=1,
        max_value=selectors.MAX_K,
        required=False,
        default=10,
        help_text=f"How many suggestions of each kind (1..{selectors.MAX_K}).",
    )


# --- Response shapes ------------------------------------------------------------------------


class MatchFactorSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The factor's name, in the user's language.")
    value = serializers.FloatField(help_text="How well it fits, 0..1.")
    weight = serializers.FloatField(help_text="Its weight in the score.")


def _factors_field() -> serializers.DictField:
    return serializers.DictField(
        child=MatchFactorSerializer(),
        help_text="The score's breakdown, by factor: " + ", ".join(engine.FACTORS) + ".",
    )


class MatchCandidateRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField(allow_null=True)


class AnonymousMatchProfileSerializer(serializers.Serializer):
    tasks = serializers.ListField(child=serializers.CharField(), help_text="Matched first.")
    hours_min = serializers.IntegerField(allow_null=True, help_text="Hours a week wanted.")
    hours_max = serializers.IntegerField(allow_null=True)
    distance_km = serializers.IntegerField(allow_null=True, help_text="Rounded, at least 1.")


class ShortlistRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="The shortlist entry.")
    label = serializers.CharField()
    status = serializers.CharField()


class _ExplainedSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0..1, rounded to 3 decimals.")
    explanation = serializers.CharField(help_text="Why, in Dutch.")
    matched_tasks = serializers.ListField(child=serializers.CharField())
    related_tasks = serializers.ListField(
        child=serializers.CharField(),
        help_text="Tasks known through experience in the same occupation group (partial credit).",
    )
    missing_tasks = serializers.ListField(child=serializers.CharField())
    missing_requirements = serializers.ListField(child=serializers.CharField())
    distance_km = serializers.IntegerField(allow_null=True)
    factors = _factors_field()


class CandidateSuggestionSerializer(_ExplainedSerializer):
    rank = serializers.IntegerField()
    anonymous = serializers.BooleanField(
        help_text="Seen through the regional pool: no name, the anonymous profile only."
    )
    candidate = MatchCandidateRefSerializer(
        help_text="The candidate's public id; the name only when you see the record in full."
    )
    anonymous_profile = AnonymousMatchProfileSerializer(
        allow_null=True, help_text="Only for anonymous candidates."
    )
    shortlist = ShortlistRefSerializer(
        allow_null=True, help_text="The candidate's entry on this opportunity's shortlist."
    )


@extend_schema_serializer(many=False)
class CandidateSuggestionsSerializer(serializers.Serializer):
    opportunity = serializers.UUIDField()
    mode = serializers.CharField()
    k = serializers.IntegerField()
    results = CandidateSuggestionSerializer(many=True, help_text="Best first.")


class MatchOpportunityRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()


class MatchEmployerRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class WorkSuggestionSerializer(_ExplainedSerializer):
    opportunity = MatchOpportunityRefSerializer()
    employer = MatchEmployerRefSerializer()


class EmployerToAskSerializer(_ExplainedSerializer):
    employer = MatchEmployerRefSerializer()


@extend_schema_serializer(many=False)
class WorkSuggestionsSerializer(serializers.Serializer):
    candidate = serializers.UUIDField(help_text="The candidate the suggestions are for.")
    mode = serializers.CharField()
    k = serializers.IntegerField()
    work = WorkSuggestionSerializer(many=True, help_text="Open work, best first.")
    employers_to_ask = EmployerToAskSerializer(
        many=True,
        help_text="Employers without open work worth asking for work (sector, work the "
        "candidate did before, distance), best first.",
    )


def _explained(e: selectors.Explained) -> dict[str, Any]:
    return {
        "score": round(float(e.suggestion.score), 3),
        "explanation": e.explanation,
        "matched_tasks": e.matched,
        "related_tasks": e.partial,
        "missing_tasks": e.missing,
        "missing_requirements": e.missing_requirements,
        "distance_km": e.distance_km,
        "factors": {
            f.key: {"label": f.label, "value": round(float(f.value), 3), "weight": f.weight}
            for f in e.factors
        },
    }


def _pool_tasks(found: list[selectors.CandidateSuggestion]) -> dict[int, list[str]]:
    """The tasks of the anonymous candidates among ``found``, matched first (one query)."""
    ids = [s.candidate.pk for s in found if not s.full_access]
    if not ids:
        return {}
    rows = Candidate.skills.through.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "skill_id", "skill__label"
    )
    by_candidate: dict[int, list[tuple[int, str]]] = {}
    for candidate_id, skill_id, label in rows:
        by_candidate.setdefault(candidate_id, []).append((skill_id, label.lower()))
    out = {}
    for s in found:
        if s.full_access:
            continue
        matched = set(s.suggestion.matched_skills)
        tasks = sorted(
            by_candidate.get(s.candidate.pk, []), key=lambda t: (t[0] not in matched, t[1])
        )
        out[s.candidate.pk] = [label for _id, label in tasks[:PROFILE_TASKS]]
    return out


def _candidate_row(s: selectors.CandidateSuggestion, tasks: dict[int, list[str]]) -> dict:
    row = _explained(s)
    anonymous = not s.full_access
    hours = s.suggestion.hours_wanted
    if anonymous and row["distance_km"] is not None:
        row["distance_km"] = max(1, row["distance_km"])  # as the employer's anonymous profile
    row.update(
        rank=s.rank,
        anonymous=anonymous,
        # A pool candidate's uuid is a public id (the candidate list gives it too) so that they
        # can be shortlisted; their name is not shown.
        candidate={"uuid": s.candidate.uuid, "name": None if anonymous else s.candidate.full_name},
        anonymous_profile={
            "tasks": tasks.get(s.candidate.pk, []),
            "hours_min": hours[0] if hours else None,
            "hours_max": hours[1] if hours else None,
            "distance_km": row["distance_km"],
        }
        if anonymous
        else None,
        shortlist={"uuid": s.entry.uuid, "label": s.entry.label, "status": s.entry.status}
        if s.entry is not None
        else None,
    )
    return row


def _work_row(s: selectors.WorkSuggestion) -> dict:
    row = _explained(s)
    opportunity = s.opportunity
    assert opportunity is not None
    row.update(
        opportunity={"uuid": opportunity.uuid, "title": opportunity.title},
        employer={"uuid": s.employer.uuid, "name": s.employer.name},
    )
    return row


def _ask_row(s: selectors.WorkSuggestion) -> dict:
    row = _explained(s)
    row["employer"] = {"uuid": s.employer.uuid, "name": s.employer.name}
    return row


# --- Suggestions ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Candidates for a work opportunity",
        description="The k best candidates you may see for this opportunity, best first, each "
        "with the score's breakdown and a Dutch explanation. Candidates of other "
        "municipalities who share their profile region-wide come back anonymous "
        "(`anonymous: true`, `candidate: null`, `anonymous_profile`). Each shown suggestion "
        "is stored (once a day) for the fairness report.",
        parameters=[SuggestionParamsSerializer],
        responses={
            200: CandidateSuggestionsSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
)
class OpportunitySuggestionViewSet(mixins.ListModelMixin, _ApiViewSet):
    queryset = WorkOpportunity.objects.none()  # the route's {uuid} is a work opportunity
    serializer_class = CandidateSuggestionsSerializer
    filter_serializer_class = SuggestionParamsSerializer
    pagination_class = None
    permission_map = {"list": SUGGEST}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = self.actor()
        opportunity = employer_selectors.opportunity(actor=actor, uuid=self.kwargs["uuid"])
        params = self.filter_params()
        found = selectors.candidates_for_opportunity(
            actor, opportunity, k=params["k"], mode=engine.Mode(params["mode"])
        )
        tasks = _pool_tasks(found)
        data = {
            "opportunity": opportunity.uuid,
            "mode": params["mode"],
            "k": params["k"],
            "results": [_candidate_row(s, tasks) for s in found],
        }
        return Response(CandidateSuggestionsSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="Work for a candidate",
        description="Open work that fits the candidate, and employers without open work who "
        "are worth asking (ask for work, not for vacancies), best first.",
        parameters=[WorkSuggestionParamsSerializer],
        responses={200: WorkSuggestionsSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
)
class CandidateSuggestionViewSet(mixins.ListModelMixin, _ApiViewSet):
    queryset = Candidate.objects.none()  # the route's {uuid} is a candidate
    serializer_class = WorkSuggestionsSerializer
    filter_serializer_class = WorkSuggestionParamsSerializer
    pagination_class = None
    permission_map = {"list": SUGGEST}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = self.actor()
        candidate = access.get_for_view(
            Candidate, actor, self.kwargs["uuid"], purpose="API: work suggestions"
        )
        params = self.filter_params()
        work, asks = selectors.work_for_candidate(
            actor, candidate, k=params["k"], mode=engine.Mode(params["mode"])
        )
        data = {
            "candidate": candidate.uuid,
            "mode": params["mode"],
            "k": params["k"],
            "work": [_work_row(s) for s in work if s.opportunity is not None],
            "employers_to_ask": [_ask_row(s) for s in asks],
        }
        return Response(WorkSuggestionsSerializer(data).data)


# --- Shortlist ------------------------------------------------------------------------------


class ShortlistEntrySerializer(serializers.Serializer):
    """One candidate on an opportunity's shortlist. ``candidate`` only when you see the
    candidate's record in full; otherwise the entry is known by its label ("Kandidaat 3")."""

    uuid = serializers.UUIDField(read_only=True)
    opportunity = serializers.UUIDField(source="opportunity.uuid", read_only=True)
    label = serializers.CharField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="Step: " + ", ".join(ShortlistStatus.values)
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    score = serializers.SerializerMethodField(help_text="0..1 when added, 3 decimals.")
    explanation = serializers.CharField(read_only=True)
    proposed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    employer_interest = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="The employer's answer in their portal."
    )
    employer_note = serializers.CharField(read_only=True)
    introduction_at = serializers.DateTimeField(read_only=True, allow_null=True)
    introduction_place = serializers.CharField(read_only=True)
    outcome = serializers.CharField(
        read_only=True, help_text="Empty, or: " + ", ".join(IntroductionOutcome.values)
    )
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    outcome_note = serializers.CharField(read_only=True)
    withdrawn_reason = serializers.CharField(read_only=True)
    anonymous = serializers.SerializerMethodField()
    candidate = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, entry: ShortlistEntry) -> float | None:
        return None if entry.score is None else round(entry.score, 3)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_anonymous(self, entry: ShortlistEntry) -> bool:
        return not getattr(entry, "full_access", False)

    @extend_schema_field(MatchCandidateRefSerializer(allow_null=True))
    def get_candidate(self, entry: ShortlistEntry) -> dict[str, Any] | None:
        if not getattr(entry, "full_access", False):
            return None
        return {"uuid": str(entry.candidate.uuid), "name": entry.candidate.full_name}


class ShortlistAddSerializer(serializers.Serializer):
    candidate = ScopedRelatedField(Candidate, help_text="The candidate's uuid.")


class ShortlistProposeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The entry's version the proposal is based on; a stale one is refused with 409.",
    )


class ShortlistNoBodySerializer(serializers.Serializer):
    pass


class ShortlistConsentSerializer(serializers.Serializer):
    via = serializers.ChoiceField(
        choices=[c for c in ConsentChannel.choices if c[0] != ConsentChannel.PORTAL],
        required=False,
        default=ConsentChannel.PHONE,
        help_text="How the candidate agreed (a candidate answers in their own portal).",
    )


class ShortlistIntroductionSerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        validators=[plausible_moment], help_text="When the introduction takes place."
    )
    place = serializers.CharField(max_length=200, help_text="Where.")


class ShortlistOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=IntroductionOutcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ShortlistWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why the candidate is off the list.")


def _entries(actor: access.Actor) -> QuerySet[ShortlistEntry]:
    return selectors.with_full_access(
        access.scoped(ShortlistEntry, actor).select_related("opportunity", "candidate"), actor
    )


@extend_schema_view(
    list=extend_schema(
        summary="Shortlist of a work opportunity",
        responses={200: ShortlistEntrySerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Put a candidate on the shortlist",
        description="With the score and explanation of this moment. A candidate who is "
        "already on it is returned as is; one who fell off is put back.",
        request=ShortlistAddSerializer,
        responses={201: ShortlistEntrySerializer, **STEP_ERRORS},
    ),
)
class OpportunityShortlistViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, _ApiViewSet):
    queryset = WorkOpportunity.objects.none()  # the route's {uuid} is a work opportunity
    serializer_class = ShortlistEntrySerializer
    permission_map = {"list": SUGGEST, "create": SHORTLIST}

    def get_serializer_class(self) -> Any:
        return ShortlistAddSerializer if self.action == "create" else ShortlistEntrySerializer

    def _opportunity(self) -> WorkOpportunity:
        return employer_selectors.opportunity(actor=self.actor(), uuid=self.kwargs["uuid"])

    def get_queryset(self) -> QuerySet[ShortlistEntry]:
        actor = self.actor()
        return selectors.with_full_access(
            selectors.shortlist_for(actor, self._opportunity()).select_related("opportunity"),
            actor,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        opportunity = self._opportunity()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actor = self.actor()
        entry = services.add_to_shortlist(
            actor=actor, opportunity=opportunity, candidate=serializer.validated_data["candidate"]
        )
        return self.respond(
            _entries(actor).get(pk=entry.pk), status=201, serializer_class=ShortlistEntrySerializer
        )


def _step(summary: str, description: str, request: Any, extra: dict | None = None) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: ShortlistEntrySerializer, **STEP_ERRORS, **(extra or {})},
    )


class ShortlistEntryViewSet(mixins.RetrieveModelMixin, _ApiViewSet):
    queryset = ShortlistEntry.objects.none()
    serializer_class = ShortlistEntrySerializer
    permission_map = {
        "retrieve": SUGGEST,
        "propose": SHORTLIST,
        "request_consent": SHORTLIST,
        "record_consent": SHORTLIST,
        "introduction": SHORTLIST,
        "outcome": SHORTLIST,
        "withdraw": SHORTLIST,
    }
    bodies: dict[str, type[serializers.Serializer]] = {
        "propose": ShortlistProposeSerializer,
        "request_consent": ShortlistNoBodySerializer,
        "record_consent": ShortlistConsentSerializer,
        "introduction": ShortlistIntroductionSerializer,
        "outcome": ShortlistOutcomeSerializer,
        "withdraw": ShortlistWithdrawSerializer,
    }

    def get_serializer_class(self) -> Any:
        return self.bodies.get(self.action or "", ShortlistEntrySerializer)

    def get_queryset(self) -> QuerySet[ShortlistEntry]:
        return _entries(self.actor())

    def get_object(self) -> ShortlistEntry:
        return access.get_for_view(
            self.get_queryset(), self.actor(), self.kwargs["uuid"], purpose="API: shortlist"
        )

    def _body(self) -> dict[str, Any]:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _done(self, entry: ShortlistEntry) -> Response:
        return self.respond(
            self.get_queryset().get(pk=entry.pk), serializer_class=ShortlistEntrySerializer
        )

    @_step(
        "Propose to the employer",
        "Show the candidate to the employer as an anonymous profile (frozen now).",
        ShortlistProposeSerializer,
        {409: STALE_RESPONSE},
    )
    @action(detail=True, methods=["post"], url_path="propose", url_name="propose")
    def propose(self, request: Request, uuid: str | None = None) -> Response:
        entry = self.get_object()
        data = self._body()
        try:
            entry = services.propose(
                actor=self.actor(), entry=entry, expected_version=data.get("version")
            )
        except StaleRecordError as error:
            return _stale(error)
        return self._done(entry)

    @_step(
        "Ask consent to share the name",
        "Ask the candidate whether their name may be shared with the employer (they get an "
        "e-mail and answer in their portal). When that consent is already in force, the name "
        "counts as shared at once.",
        None,
    )
    @action(detail=True, methods=["post"], url_path="request-consent", url_name="request-consent")
    def request_consent(self, request: Request, uuid: str | None = None) -> Response:
        entry = services.request_consent(actor=self.actor(), entry=self.get_object())
        return self._done(entry)

    @_step(
        "Record consent to share the name",
        "Record that the candidate agreed (in person, by phone, on paper) to share their name "
        "with this employer.",
        ShortlistConsentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="record-consent", url_name="record-consent")
    def record_consent(self, request: Request, uuid: str | None = None) -> Response:
        entry = self.get_object()
        data = self._body()
        entry = services.record_consent(actor=self.actor(), entry=entry, via=data["via"])
        return self._done(entry)

    @_step(
        "Plan the introduction",
        "Plan the introduction (kennismaking). The candidate's consent to share their name "
        "with the employer must be in force; without it the answer is a 400 naming `status`.",
        ShortlistIntroductionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="introduction", url_name="introduction")
    def introduction(self, request: Request, uuid: str | None = None) -> Response:
        entry = self.get_object()
        data = self._body()
        entry = services.plan_introduction(
            actor=self.actor(), entry=entry, at=data["at"], place=data["place"]
        )
        return self._done(entry)

    @_step("Record the outcome", "How the introduction went.", ShortlistOutcomeSerializer)
    @action(detail=True, methods=["post"], url_path="outcome", url_name="outcome")
    def outcome(self, request: Request, uuid: str | None = None) -> Response:
        entry = self.get_object()
        data = self._body()
        entry = services.record_outcome(
            actor=self.actor(), entry=entry, outcome=data["outcome"], note=data["note"]
        )
        return self._done(entry)

    @_step(
        "Take off the shortlist",
        "The candidate is no longer in the running; the history stays.",
        ShortlistWithdrawSerializer,
    )
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    def withdraw(self, request: Request, uuid: str | None = None) -> Response:
        entry = self.get_object()
        data = self._body()
        entry = services.withdraw(actor=self.actor(), entry=entry, reason=data["reason"])
        return self._done(entry)


def register(router: SimpleRouter) -> None:
    # Nested under the records they belong to; the routes do not overlap the employer and
    # candidate viewsets' own (``{uuid}`` and ``{uuid}/status``).
    router.register(
        f"work-opportunities/{UUID_PATH}/suggestions",
        OpportunitySuggestionViewSet,
        basename="opportunity-suggestions",
    )
    router.register(
        f"work-opportunities/{UUID_PATH}/shortlist",
        OpportunityShortlistViewSet,
        basename="opportunity-shortlist",
    )
    router.register(
        f"candidates/{UUID_PATH}/suggestions",
        CandidateSuggestionViewSet,
        basename="candidate-suggestions",
    )
    router.register("shortlist-entries", ShortlistEntryViewSet, basename="shortlist-entry")
