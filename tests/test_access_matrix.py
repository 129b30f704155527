"""The access matrix: every URL and API route × every role (and anonymous) → allow or deny.

Routes are discovered from the URL configuration (``get_resolver()``), so a route added later is
walked automatically. What each route *declares* comes from the route itself:
``view.access_rule`` for ordinary views, ``permission_map`` + ``actions`` for DRF viewsets (an
action missing from the map is denied). What each role *may* do is written out by hand in
``EXPECTED`` below, from the domain rules, and deliberately not computed with
``access.can`` (that would test the access layer against itself).

The tests:

* every route declares an access rule and every route parameter has an example value;
* every permission in ``access.PERMISSIONS`` has a row in ``EXPECTED`` (and the rows agree);
* the walk: each route × role gets the expected answer (allowed: a page, not 401/403 or the
  log-in page; denied: the log-in page for anonymous UI requests, 401/403 for anonymous API
  requests, 403 for logged-in users), nobody gets a server error, and no page shows another
  region's records or another user's jobs;
* scope: records of another region (and another user's jobs) are 404 for users who may use the
  route, and API lists contain only their own region.

A new route with a parameter this module cannot fill fails ``test_every_route_is_covered``:
add an example in ``PARAM_EXAMPLES``, ``UI_UUID_MODELS`` or ``API_UUID_PARAMS``.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.html import escape

from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    Consent,
    HandoverBatch,
    Return,
    Signal,
    WorkExperience,
)
from werkbrug.core import access
from werkbrug.core.models import BackgroundJob
from werkbrug.core.roles import Role
from werkbrug.employers.models import (
    Action,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerQuestion,
    WorkOpportunity,
)
from werkbrug.evaluation.models import Complaint, ControlGroup, Survey
from werkbrug.evaluation.models import Invitation as EvaluationInvitation
from werkbrug.evaluation.services import hash_token as survey_hash_token
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation, Invitation, Meeting
from werkbrug.monitoring.models import Programme, ReportSubscription, Target, TimeEntry
from werkbrug.placements.models import AftercareCheck, Placement
from werkbrug.privacy.models import DataSubjectRequest
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team
from werkbrug.regions.views import MANAGED
from werkbrug.rules.models import RuleSet

# --- The expectation table (written by hand) -------------------------------------------------

ANONYMOUS = "anonymous"
RM = "relatiemanager"
KM = "klantmanager"
TL = "teamleider"
RESEARCHER = "onderzoeker"
ADMIN = "beheerder"
EMPLOYER = "werkgever"
CANDIDATE = "kandidaat"
UWV = "uwv_partner"

STAFF = frozenset({RM, KM, TL, RESEARCHER, ADMIN, UWV})
PORTAL = frozenset({EMPLOYER, CANDIDATE})
LOGGED_IN = STAFF | PORTAL
ACTORS = (ANONYMOUS, RM, KM, TL, RESEARCHER, ADMIN, EMPLOYER, CANDIDATE, UWV)

#: A DRF action missing from a viewset's ``permission_map``: nobody may call it.
UNDECLARED_ACTION = "<action not in permission_map>"


#: Who must be allowed, per rule. Portal users (employers, candidates) get only the public and
#: the "any logged-in user" routes; they never see the organisation model.
class _Expectations(dict):
    """The table below; a rule that is a tuple of permissions (an API action open to "any of
    these") is allowed to the union of their rows."""

    def __missing__(self, key: Any) -> frozenset[str]:
        if isinstance(key, tuple) and all(dict.__contains__(self, k) for k in key):
            return frozenset().union(*(self[k] for k in key))
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, tuple):
            return all(dict.__contains__(self, k) for k in key)
        return dict.__contains__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        return self[key] if key in self else default  # noqa: SIM401 - get() is this method


EXPECTED: dict[str, frozenset[str]] = _Expectations(
    {
        access.PUBLIC: LOGGED_IN | {ANONYMOUS},
        access.AUTHENTICATED: LOGGED_IN,
        # The functional administrator sees the audit trail and the system settings ...
        "audit.view": frozenset({ADMIN}),
        "settings.view": frozenset({ADMIN}),
        # ... and manages regions, municipalities, organisations, teams and staff.
        "regions.manage": frozenset({ADMIN}),
        "staff.manage": frozenset({ADMIN}),
        # The team lead sees their team overview; so does the administrator, who manages teams
        # and users (domain guide §3, functional_admin: "users, teams").
        "team.overview": frozenset({TL, ADMIN}),
        # Everybody who works for the region may look up its organisation model ...
        "regions.view": STAFF,
        # ... and their colleagues, except the policy researcher (no identifiers of persons).
        "staff.view": STAFF - {RESEARCHER},
        # The employer register is shared by the region's employer services and UWV; the policy
        # researcher gets no employer records (no identifiers), portal users only their own.
        "employers.view": frozenset({RM, KM, TL, ADMIN, UWV}),
        # Relationship managers (and their team lead, and UWV as partner) keep the register up to
        # date; the client manager reads it to find work for their candidates.
        "employers.edit": frozenset({RM, TL, UWV}),
        "employers.tasks": frozenset({RM, TL, UWV}),
        # Merging duplicates and importing files are checked work: team lead or administrator.
        "employers.merge": frozenset({TL, ADMIN}),
        "employers.import": frozenset({TL, ADMIN}),
        # The norms (contact norm, response norm) are the administrator's settings.
        "employers.policy": frozenset({ADMIN}),
        # The employer portal is for the employer's contact persons only.
        "portal.employer": frozenset({EMPLOYER}),
        # Candidates (domain guide §10, privacy): the caseworkers of the municipality and the
        # werkbedrijf; UWV partners only for people assigned to them or shared region-wide
        # (which records: candidates/scopes.py). No researcher, no administrator: they hold no
        # case of their own.
        "candidates.view": frozenset({RM, KM, TL, UWV}),
        "candidates.edit": frozenset({RM, KM, TL}),
        # Registering a new candidate and handing over is the municipality's side.
        "candidates.create": frozenset({KM, TL}),
        "candidates.handover": frozenset({KM, TL}),
        # Consent given in person or on paper is recorded by the person's own caseworkers.
        "candidates.consent": frozenset({KM, RM}),
        "candidates.contact": frozenset({KM, RM}),
        # Health and limitations: only the people working with the candidate (scope narrows it
        # further to their own candidates); not the team lead.
        "candidates.health": frozenset({KM, RM}),
        # Terugmelding: sent by the werkbedrijf side, acknowledged by the municipality.
        "candidates.return": frozenset({RM, TL}),
        "candidates.return_ack": frozenset({KM, TL}),
        # Signals to the benefits department, decided by the client manager.
        "candidates.signal": frozenset({RM, KM}),
        "candidates.signal_decide": frozenset({KM, TL}),
        # Data quality is steered by the team lead; files are imported by team lead or admin.
        "candidates.quality": frozenset({TL}),
        "candidates.import": frozenset({TL, ADMIN}),
        "candidates.policy": frozenset({ADMIN}),
        # The candidate's own portal; employers see only people who consented to share with them.
        "portal.candidate": frozenset({CANDIDATE}),
        "portal.employer_candidates": frozenset({EMPLOYER}),
        # The occupation and task lists are public reference data for everyone who fills in
        # a profile: staff and the candidate themselves.
        "taxonomy.lookup": STAFF | {CANDIDATE},
        # Matching (issue 5): the people who bring candidates and work together read
        # suggestions (which candidates: the candidate scope rule) ...
        "matching.suggest": frozenset({RM, KM, TL, UWV}),
        # ... and those who keep the employer relation run the shortlist towards the employer.
        "matching.shortlist": frozenset({RM, TL, UWV}),
        # The fairness report is for steering and audit: team lead and policy researcher
        # (counts only, no persons).
        "matching.fairness": frozenset({TL, RESEARCHER}),
        # Meetings (prettig gesprek, issue 6): everyone who brings employers and candidates
        # together sees them; relationship managers and their team lead organise them.
        "meetings.view": frozenset({RM, KM, TL, UWV}),
        "meetings.organise": frozenset({RM, TL}),
        # Placements and their aftercare (issue 7): the people who place candidates and keep
        # the work going; which placements follows the candidate scope rule (in full view).
        "placements.view": frozenset({RM, KM, TL, UWV}),
        "placements.manage": frozenset({RM, KM, TL, UWV}),
        # Benefit data (uitstroom / herinstroom, for durability D2) comes from the municipality's
        # benefits system: its client managers, their team lead and the administrator import it.
        "placements.import_benefits": frozenset({KM, TL, ADMIN}),
        "placements.policy": frozenset({TL, ADMIN}),
        # Rule sets (amounts and durations with their sources): every staff member reads the
        # rules in force; the functional administrator adds a new set.
        "rules.view": STAFF,
        "rules.manage": frozenset({ADMIN}),
        # "Wat kost het mij?" and the instrument advisor: staff who talk with employers (no
        # researcher, no administrator, no portal user).
        "rules.calculate": frozenset({RM, KM, TL, UWV}),
        # Results (issue 8): counts, never names, for everyone who steers or researches; the
        # programmes and their targets are the team lead's and the administrator's; hours are
        # logged by the people who do the work.
        "monitoring.view": frozenset({RM, KM, TL, RESEARCHER, ADMIN, UWV}),
        "monitoring.manage": frozenset({TL, ADMIN}),
        "monitoring.log_time": frozenset({RM, KM, TL, UWV}),
        # Evaluation (issue 9): surveys, control groups and their analyses are counts and
        # anonymous answers, for the researcher and who steers; the invitation registry names
        # people, so only who sends the invitations (team lead, administrator) sees it; the
        # complaints register is kept by who handles complaints.
        "evaluation.research": frozenset({RESEARCHER, TL, ADMIN}),
        "evaluation.send": frozenset({TL, ADMIN}),
        "evaluation.complaints": frozenset({TL, ADMIN, KM, RM}),
        # Privacy (issue 10): requests from candidates (inzage, correction, erasure) are
        # handled by who works with the whole file (client manager, team lead), never by the
        # administrator, who has no case content; the administrator sets retention periods.
        "privacy.requests": frozenset({KM, TL}),
        "privacy.retention": frozenset({ADMIN}),
        UNDECLARED_ACTION: frozenset(),
    }
)
MARKERS = {access.PUBLIC, access.AUTHENTICATED, UNDECLARED_ACTION}

# --- Example values for route parameters -----------------------------------------------------

#: Non-UUID parameters: (route name or None for any route, parameter) → example values.
#: A route is walked once per value (all ``kind``s of the administrator's pages) for the actors
#: it allows; actors it denies are refused before the view reads a parameter, so they get one.
#: Raw answer-link tokens of the matrix meetings (only their hashes are stored).
MEETING_TOKENS = {"own": "matrix-token-own-0123456789abcdef", "other": "matrix-token-other-0123"}
#: The same for the questionnaire link of each region's matrix survey.
SURVEY_TOKENS = {"own": "matrix-survey-own-0123456789abcdef", "other": "matrix-survey-other-012"}

PARAM_EXAMPLES: dict[tuple[str | None, str], Callable[[], list[str]]] = {
    ("regions:manage", "kind"): lambda: list(MANAGED),
    ("regions:manage_create", "kind"): lambda: list(MANAGED),
    ("regions:manage_edit", "kind"): lambda: list(MANAGED),
    ("accounts:password_reset_confirm", "uidb64"): lambda: ["MTIzNDU"],
    ("accounts:password_reset_confirm", "token"): lambda: ["c0ffee-0123456789abcdef"],
    (None, "format"): lambda: ["json"],
    ("candidates:quality_check", "check"): lambda: ["onvolledig", "doelgroep_verlopen"],
    # The personal answer link of the own region's matrix candidate (public: no login).
    ("meetings:answer", "token"): lambda: [MEETING_TOKENS["own"]],
    ("meetings:answer_ics", "token"): lambda: [MEETING_TOKENS["own"]],
    ("evaluation:answer", "token"): lambda: [SURVEY_TOKENS["own"]],
    ("evaluation:survey_export", "output"): lambda: ["xlsx", "pdf", "csv"],
    ("monitoring:kpi", "code"): lambda: ["K1", "K6"],
    ("monitoring:kpi_records", "code"): lambda: ["K4", "C2"],
    ("monitoring:report_download", "fmt"): lambda: ["pdf", "xlsx"],
    ("kpi-detail", "code"): lambda: ["K1", "K6"],
    ("privacy:request_export", "extension"): lambda: ["pdf", "json"],
}

#: A query string a route needs to answer at all (a required filter of an API list).
ROUTE_QUERIES: dict[str, str] = {
    "kpi-value-list": "?kpi=K4",
    "survey-tables": "?question=geslacht",  # a question of the world's survey template
}

#: UUID parameters of UI routes: route name → the model the UUID belongs to (given the other
#: parameters), or a dict parameter → model for routes with two UUIDs. DRF routes take the model
#: from their serializer.
UI_UUID_MODELS: dict[str, Callable[[dict[str, str]], type | dict[str, type]]] = {
    "core:job": lambda kwargs: BackgroundJob,
    "core:job_download": lambda kwargs: BackgroundJob,
    "regions:manage_edit": lambda kwargs: type(MANAGED[kwargs["kind"]].new(access.ANONYMOUS)),
    "employers:detail": lambda kwargs: Employer,
    "employers:edit": lambda kwargs: Employer,
    "employers:contact": lambda kwargs: Employer,
    "employers:contact_person_create": lambda kwargs: Employer,
    "employers:question_create": lambda kwargs: Employer,
    "employers:opportunity_create": lambda kwargs: Employer,
    "employers:contact_person_edit": lambda kwargs: ContactPerson,
    "employers:question": lambda kwargs: EmployerQuestion,
    "employers:opportunity": lambda kwargs: WorkOpportunity,
    "employers:task_done": lambda kwargs: Action,
    "employers:portal_opportunity": lambda kwargs: WorkOpportunity,
    **{
        f"candidates:{name}": lambda kwargs: Candidate
        for name in (
            "detail",
            "edit",
            "languages",
            "experience_add",
            "target_group_add",
            "health",
            "ladder",
            "confirm",
            "portal_account",
            "caseworkers",
            "handover",
            "consent_add",
            "contact_add",
            "appointment_add",
            "return_add",
            "signal_add",
            "employer_shared_detail",
        )
    },
    **{
        f"evaluation:{name}": lambda kwargs: Survey
        for name in (
            "survey",
            "survey_questions",
            "survey_invite",
            "survey_remind",
            "survey_close",
            "survey_letters",
            "survey_analysis",
            "survey_export",
        )
    },
    "evaluation:control_group": lambda kwargs: ControlGroup,
    "evaluation:complaint_settle": lambda kwargs: Complaint,
    "privacy:request_new": lambda kwargs: Candidate,
    **{
        f"privacy:{name}": lambda kwargs: DataSubjectRequest
        for name in (
            "request",
            "request_extend",
            "request_complete",
            "request_correct",
            "request_export",
        )
    },
    "candidates:experience_delete": lambda kwargs: {"uuid": Candidate, "item": WorkExperience},
    "candidates:consent_withdraw": lambda kwargs: {"uuid": Candidate, "item": Consent},
    "candidates:handover_batch": lambda kwargs: HandoverBatch,
    "candidates:return_ack": lambda kwargs: Return,
    "candidates:signal_decide": lambda kwargs: Signal,
    "candidates:portal_consent_withdraw": lambda kwargs: {"item": Consent},
    "candidates:portal_appointment_ics": lambda kwargs: {"item": Appointment},
    **{
        f"meetings:{name}": lambda kwargs: Meeting
        for name in (
            "detail",
            "edit",
            "invite",
            "plan",
            "table_cards",
            "table_cards_html",
            "cancel",
            "held",
        )
    },
    "meetings:schedule": lambda kwargs: {"uuid": Meeting, "candidate": Candidate},
    "meetings:schedule_html": lambda kwargs: {"uuid": Meeting, "candidate": Candidate},
    "meetings:move": lambda kwargs: Conversation,
    "meetings:outcome": lambda kwargs: Conversation,
    **{
        f"placements:{name}": lambda kwargs: Placement
        for name in (
            "detail",
            "convert",
            "end",
            "add_grant",
            "add_assessment",
            "record_outflow",
            "assign_jobcoach",
            "portal_cost_sheet",
        )
    },
    "placements:record_check": lambda kwargs: AftercareCheck,
    **{
        f"meetings:{name}": lambda kwargs: Invitation
        for name in ("check_in", "record_answer", "resend", "table_capacity")
    },
    "matching:suggestions": lambda kwargs: WorkOpportunity,
    "rules:detail": lambda kwargs: RuleSet,
    **{
        f"monitoring:{name}": lambda kwargs: Programme
        for name in ("programme", "programme_edit", "target_add", "time_entries")
    },
    "monitoring:target_edit": lambda kwargs: {"uuid": Programme, "target": Target},
    "monitoring:target_delete": lambda kwargs: {"uuid": Programme, "target": Target},
    "monitoring:time_entry_delete": lambda kwargs: {"uuid": Programme, "entry": TimeEntry},
    "monitoring:report_unsubscribe": lambda kwargs: ReportSubscription,
    "matching:shortlist_add": lambda kwargs: WorkOpportunity,
    "matching:work": lambda kwargs: Candidate,
    **{
        f"matching:{name}": lambda kwargs: ShortlistEntry
        for name in (
            "shortlist_propose",
            "shortlist_request_consent",
            "shortlist_record_consent",
            "shortlist_plan_introduction",
            "shortlist_record_outcome",
            "shortlist_withdraw",
            "portal_respond",
            "portal_consent_answer",
        )
    },
}

#: The region-scoped records used as examples, per model.
REGION_RECORDS: dict[type, Callable[[dict[str, Any], Any], Any]] = {
    Region: lambda place, staff: place["region"],
    Municipality: lambda place, staff: place["municipalities"][0],
    Organisation: lambda place, staff: place["organisation"],
    Team: lambda place, staff: place["team"],
    Staff: lambda place, staff: staff,
    Employer: lambda place, staff: place["employer"],
    ContactPerson: lambda place, staff: place["contact_person"],
    ContactMoment: lambda place, staff: place["contact_moment"],
    EmployerQuestion: lambda place, staff: place["question"],
    WorkOpportunity: lambda place, staff: place["opportunity"],
    Action: lambda place, staff: place["action"],
    Candidate: lambda place, staff: place["candidate"],
    Consent: lambda place, staff: place["consent"],
    Appointment: lambda place, staff: place["appointment"],
    WorkExperience: lambda place, staff: place["experience"],
    HandoverBatch: lambda place, staff: place["handover_batch"],
    Return: lambda place, staff: place["return"],
    Signal: lambda place, staff: place["signal"],
    ShortlistEntry: lambda place, staff: place["shortlist_entry"],
    Meeting: lambda place, staff: place["meeting"],
    Invitation: lambda place, staff: place["invitation"],
    Conversation: lambda place, staff: place["conversation"],
    Placement: lambda place, staff: place["placement"],
    AftercareCheck: lambda place, staff: place["aftercare_check"],
    RuleSet: lambda place, staff: place["rule_set"],
    Programme: lambda place, staff: place["programme"],
    Target: lambda place, staff: place["target"],
    TimeEntry: lambda place, staff: place["time_entry"],
    ReportSubscription: lambda place, staff: place["report_subscription"],
    Survey: lambda place, staff: place["survey"],
    ControlGroup: lambda place, staff: place["control_group"],
    Complaint: lambda place, staff: place["complaint"],
    DataSubjectRequest: lambda place, staff: place["privacy_request"],
}
UUID_MODELS = {*REGION_RECORDS, BackgroundJob}

#: A DRF route's ``{uuid}`` is a record of the viewset's model; a nested route's second UUID
#: parameter (its ``lookup_url_kwarg``) is named here, with the model it belongs to.
API_UUID_PARAMS: dict[str, type] = {"invitation_uuid": Invitation}

#: UI views that are POST-only but answer a GET with something else than 405 (Django's
#: set_language redirects a GET without changing anything). POST-only views that answer 405 to
#: a GET are found automatically. Body per route name.
EXTRA_POST_ROUTES: dict[str, dict[str, str]] = {"set_language": {"language": "nl", "next": "/"}}

SKIPPED_VIEW_MODULES = ("django.views.static", "django.contrib.staticfiles.views")

# --- Route discovery -------------------------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True, eq=False)
class Route:
    pattern: str
    name: str | None
    callback: Any
    params: dict[str, str]  # parameter → converter ("uuid", "slug", "str", "regex")

    def __str__(self) -> str:
        return f"{self.pattern} ({self.name or 'unnamed'})"

    @property
    def is_drf(self) -> bool:
        return hasattr(self.callback, "cls")

    @property
    def is_viewset(self) -> bool:
        return bool(getattr(self.callback, "actions", None))

    @property
    def declared(self) -> dict[str, str] | None:
        """HTTP method → rule, or ``{"*": rule}`` for a view with one rule; None if undeclared."""
        rule = getattr(self.callback, "access_rule", None)
        if rule is not None:
            return {"*": rule}
        cls = getattr(self.callback, "cls", None)
        permission_map = getattr(cls, "permission_map", None)
        if permission_map is None:
            return None
        actions = getattr(self.callback, "actions", None)
        if actions:  # HEAD is left out: DRF maps it to the GET action (on the first request)
            return {
                m.upper(): permission_map.get(a, UNDECLARED_ACTION)
                for m, a in actions.items()
                if m != "head"
            }
        methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)]
        return {m.upper(): permission_map.get(m, UNDECLARED_ACTION) for m in methods}

    def rule_for(self, method: str) -> str:
        declared = self.declared or {}
        return declared.get("*") or declared.get(method, UNDECLARED_ACTION)

    @property
    def api_methods(self) -> list[str]:
        """The methods to try on a DRF route (GET for views with one rule)."""
        declared = self.declared or {}
        return ["GET"] if "*" in declared else sorted(declared, key=_method_order)

    def uuid_model(self, kwargs: dict[str, str], param: str = "uuid") -> type | None:
        if self.is_drf:
            if param in API_UUID_PARAMS:
                return API_UUID_PARAMS[param]
            cls = self.callback.cls
            serializer = getattr(cls, "serializer_class", None)
            model = getattr(getattr(serializer, "Meta", None), "model", None)
            queryset = getattr(cls, "queryset", None)
            return model or (queryset.model if queryset is not None else None)
        finder = UI_UUID_MODELS.get(self.name or "")
        found = finder(kwargs) if finder else None
        return found.get(param) if isinstance(found, dict) else found


def _method_order(method: str) -> int:
    order = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return order.index(method) if method in order else len(order)


def _params(pattern: Any) -> dict[str, str]:
    if isinstance(pattern, RoutePattern):
        return {
            m["name"]: m["converter"] or "str" for m in _ROUTE_PARAM.finditer(str(pattern._route))
        }
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex, "regex")
    return {}


def discover_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespaces: list[str], params: dict) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(
                    entry,
                    prefix + str(entry.pattern),
                    namespaces + [entry.namespace] if entry.namespace else namespaces,
                    {**params, **_params(entry.pattern)},
                )
            elif isinstance(entry, URLPattern):
                if entry.callback.__module__.startswith(SKIPPED_VIEW_MODULES):
                    continue
                name = ":".join([*namespaces, entry.name]) if entry.name else None
                routes.append(
                    Route(
                        pattern=prefix + str(entry.pattern),
                        name=name,
                        callback=entry.callback,
                        params={**params, **_params(entry.pattern)},
                    )
                )

    walk(get_resolver(), "/", [], {})
    return routes


ROUTES = discover_routes()


def unfillable_params(route: Route) -> list[str]:
    missing = []
    for param, converter in route.params.items():
        if _is_uuid_param(param, converter):
            kinds = PARAM_EXAMPLES.get((route.name, "kind"), lambda: [""])()
            models = {route.uuid_model({"kind": kind}, param) for kind in kinds}
            if not models <= UUID_MODELS:
                unknown = ", ".join(
                    sorted(getattr(m, "__name__", "unknown") for m in models - UUID_MODELS)
                )
                missing.append(f"{param} (record of {unknown}; see UI_UUID_MODELS, REGION_RECORDS)")
        elif (route.name, param) not in PARAM_EXAMPLES and (None, param) not in PARAM_EXAMPLES:
            missing.append(param)
    return missing


def _is_uuid_param(param: str, converter: str) -> bool:
    return converter == "uuid" or param == "uuid" or param in API_UUID_PARAMS


# --- The world the walk runs in --------------------------------------------------------------


@dataclass
class World:
    people: dict[str, Any]
    places: dict[str, dict[str, Any]]
    jobs: dict[str, BackgroundJob]
    clients: dict[str, Client]
    login: Callable[[Any], Client]
    foreign_markers: list[str]  # text of other regions' records, lower case
    foreign_uuids: set[str]

    def client_for(self, actor: str, *, fresh: bool = False) -> Client:
        if actor == ANONYMOUS:
            return Client()
        return self.login(self.people[actor]) if fresh else self.clients[actor]

    def record(self, model: type, actor: str, where: str) -> Any:
        """An example record: ``own`` (visible to the actor) or ``foreign`` (must not be)."""
        if model is BackgroundJob:
            if where == "own":
                return self.jobs[actor if actor != ANONYMOUS else ADMIN]
            return self.jobs[RM if actor == ADMIN else ADMIN]  # another user's job
        if model is ReportSubscription and where == "own" and actor != ANONYMOUS:
            # One's own subscription (someone else's is 404 to everybody else).
            return ReportSubscription.objects.get_or_create(
                user=self.people[actor], region=self.places["own"]["region"], municipality=None
            )[0]
        place = self.places["own" if where == "own" else "other"]
        staff = self.people[RM if where == "own" else "other_region_rm"].staff
        return REGION_RECORDS[model](place, staff)

    def user_markers(self, actor: str) -> list[str]:
        """Other users' jobs, which no page may show to ``actor``."""
        return [
            marker
            for owner, job in self.jobs.items()
            if owner != actor
            for marker in (str(job.uuid), job.title.lower())
        ]

    def examples(self, route: Route, actor: str, where: str = "own") -> Iterator[str]:
        plain = [p for p, c in route.params.items() if not _is_uuid_param(p, c)]
        choices = [
            (PARAM_EXAMPLES.get((route.name, p)) or PARAM_EXAMPLES[(None, p)])() for p in plain
        ]
        for values in itertools.product(*choices):
            kwargs = dict(zip(plain, values, strict=True))
            for param, converter in route.params.items():
                if _is_uuid_param(param, converter):
                    model = route.uuid_model(kwargs, param)
                    kwargs[param] = str(self.record(model, actor, where).uuid)
            yield build_path(route, kwargs) + ROUTE_QUERIES.get(route.name or "", "")


def build_path(route: Route, kwargs: dict[str, str]) -> str:
    if route.name:
        path = reverse(route.name, kwargs=kwargs or None)
    else:  # unnamed route: fill the route string (regex routes must be named)
        path = _ROUTE_PARAM.sub(lambda m: kwargs[m["name"]], route.pattern)
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None or match.func is not route.callback:
        raise AssertionError(f"example path {path} does not resolve to {route}")
    return path


def act_as_administrator(world: World, who: str, place: dict[str, Any], staff: Any) -> dict:
    """Leave entries in the audit trail, as the administrator ``who`` working in ``place``: a
    change (API) and a read of a staff member's record (UI)."""
    client = world.login(world.people[who])
    municipality = place["municipalities"][0]
    response = client.patch(
        reverse("municipality-detail", kwargs={"uuid": municipality.uuid}),
        {"name": f"{municipality.name} (gewijzigd)"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    path = reverse("regions:manage_edit", kwargs={"kind": "medewerkers", "uuid": staff.uuid})
    assert client.get(path).status_code == 200
    municipality.refresh_from_db()
    return {"changed": escape(str(municipality)), "read": escape(str(staff))}


EMPLOYER_RECORD_KEYS = (
    "employer",
    "contact_person",
    "contact_moment",
    "question",
    "opportunity",
    "action",
)


def add_employer_records(place: dict[str, Any], owner: Any, *, tag: str) -> None:
    """One employer with a record of every kind, in ``place``."""
    import datetime as dt

    from django.utils import timezone

    employer = Employer.objects.create(
        region=place["region"],
        name=f"Matrixbedrijf {tag.title()}",
        municipality=place["municipalities"][0],
        owner=owner,
    )
    today = timezone.localdate()
    place.update(
        employer=employer,
        contact_person=ContactPerson.objects.create(employer=employer, name=f"Contact {tag}"),
        contact_moment=ContactMoment.objects.create(
            employer=employer,
            date=today,
            channel="telefoon",
            recorded_by=owner,
        ),
        question=EmployerQuestion.objects.create(
            employer=employer,
            question=f"Vraag {tag}",
            received_at=timezone.now(),
            assigned_to=owner,
        ),
        opportunity=WorkOpportunity.objects.create(
            employer=employer,
            title=f"Werkkans {tag}",
            tasks=["Vakken vullen"],
            opened_on=today,
        ),
        action=Action.objects.create(
            employer=employer,
            title=f"Actie {tag}",
            owner=owner,
            due_on=today + dt.timedelta(days=1),
        ),
    )


CANDIDATE_RECORD_KEYS = (
    "candidate",
    "consent",
    "appointment",
    "experience",
    "handover_batch",
    "return",
    "signal",
    "shortlist_entry",
)


def add_candidate_records(
    place: dict[str, Any], *, consultant: Any, client_manager: Any, user: Any, tag: str
) -> None:
    """A candidate with a case record of every kind, in ``place``. The candidate shares an
    anonymous profile region-wide (so UWV partners see it) and their profile with the place's
    employer; ``client_manager`` and ``consultant`` are their caseworkers."""
    import datetime as dt

    from django.utils import timezone

    from werkbrug.core.bsn import protect_bsn

    bsn = {"own": "111222333", "other": "123456782"}[tag]
    protected = protect_bsn(bsn)
    now = timezone.now()
    candidate = Candidate.objects.create(
        region=place["region"],
        municipality=place["municipalities"][0],
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        first_name="Matrixkandidaat",
        last_name=tag.title(),
        birth_date=dt.date(1990, 5, 17),
        client_manager=client_manager,
        consultant=consultant,
        user=user,
    )
    granted_by = (client_manager or consultant).user
    pool = Consent.objects.create(
        candidate=candidate,
        scope="regionale_pool",
        granted_at=now,
        granted_by=granted_by,
        granted_via="persoonlijk",
    )
    shared = Consent.objects.create(
        candidate=candidate,
        scope="delen_met_werkgever",
        employer=place["employer"],
        granted_at=now,
        granted_by=granted_by,
        granted_via="persoonlijk",
    )
    staff = client_manager or consultant
    place.update(
        candidate=candidate,
        # The walk withdraws the example consent: the one with the employer, so that the
        # regional pool (which UWV partners see this candidate through) stays in force.
        consent=shared,
        pool_consent=pool,
        appointment=Appointment.objects.create(
            candidate=candidate,
            starts_at=now + dt.timedelta(days=3),
            subject=f"Gesprek {tag}",
            location="Werkplein",
            staff=staff,
        ),
        experience=WorkExperience.objects.create(candidate=candidate, role=f"Werk {tag}"),
        handover_batch=HandoverBatch.objects.create(
            municipality=place["municipalities"][0], from_staff=staff, to_staff=consultant
        ),
        signal=Signal.objects.create(
            candidate=candidate,
            kind="niet_verschenen",
            occurred_on=now.date(),
            description=f"Signaal {tag}",
            reported_by=consultant,
        ),
    )
    place["shortlist_entry"] = ShortlistEntry.objects.create(
        opportunity=place["opportunity"],
        candidate=candidate,
        number=1,
        added_by=consultant,
        status="toestemming_gevraagd",  # proposed, the candidate asked to share the name
        proposed_at=now,
        consent_requested_at=now,
        profile={"tasks": ["vakken vullen"], "explanation": f"Matrixprofiel {tag}"},
    )
    place["return"] = Return.objects.create(
        candidate=candidate,
        municipality=place["municipalities"][0],
        on=now.date(),
        reason="tijdelijk_niet_plaatsbaar",
        explanation=f"Terugmelding {tag}",
        recommended_next_step="Zorgtraject",
        sent_by=consultant,
        receiver=staff,
    )


def add_meeting_records(place: dict[str, Any], owner: Any, *, tag: str) -> None:
    """A meeting of the place's employer and candidate: two invitations (the candidate's
    with a known answer link) and one conversation."""
    import datetime as dt

    from django.utils import timezone

    from werkbrug.meetings.services import hash_token

    starts = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        region=place["region"],
        title=f"Matrixbijeenkomst {tag}",
        host_employer=place["employer"],
        location="Werkplein",
        starts_at=starts,
    )
    meeting.organisers.add(owner)
    Invitation.objects.create(
        meeting=meeting,
        employer=place["employer"],
        token_hash=hash_token(f"{MEETING_TOKENS[tag]}-employer"),
        token_expires_at=starts + dt.timedelta(days=1),
        response="ja",
    )
    place.update(
        meeting=meeting,
        invitation=Invitation.objects.create(
            meeting=meeting,
            candidate=place["candidate"],
            token_hash=hash_token(MEETING_TOKENS[tag]),
            token_expires_at=starts + dt.timedelta(days=1),
            response="ja",
        ),
        conversation=Conversation.objects.create(
            meeting=meeting, round=1, employer=place["employer"], candidate=place["candidate"]
        ),
    )


def add_placement_records(place: dict[str, Any], owner: Any, consultant: Any, *, tag: str) -> None:
    """A running placement at the place's employer, with a check-in due, of a candidate of
    the place's first municipality who works with ``consultant``."""
    import datetime as dt

    from django.utils import timezone

    from candidates_support import make_candidate

    today = timezone.localdate()
    candidate = make_candidate(
        place, first_name="Plaatsingskandidaat", last_name=tag.title(), consultant=consultant
    )
    placement = Placement.objects.create(
        region=place["region"],
        candidate=candidate,
        employer=place["employer"],
        kind="werkervaringsplaats",
        job_title=f"Matrixwerk {tag}",
        hours_per_week=24,
        start_on=today - dt.timedelta(days=30),
        planned_end_on=today + dt.timedelta(days=60),
        status="lopend",
        owner=owner,
    )
    place.update(
        placement=placement,
        aftercare_check=AftercareCheck.objects.create(placement=placement, kind="m1", due_on=today),
    )


@pytest.fixture
def world(regions: dict, people: dict, login: Callable[[Any], Client]) -> Iterator[World]:
    cache.clear()  # API throttles count per IP; start and end with a clean slate
    jobs = {
        key: BackgroundJob.objects.create(
            started_by=user,
            kind="matrix",
            title=f"Matrixtaak van {user.username}",
            status=BackgroundJob.Status.DONE,
            progress=100,
            result_file=b"matrix",
            result_filename="matrix.txt",
            result_content_type="text/plain",
        )
        for key, user in people.items()
    }
    for where, owner_key in (("own", RM), ("other", "other_region_rm")):
        add_employer_records(regions[where], people[owner_key].staff, tag=where)
    # The werkgever is a contact person of the own region's employer (their own company).
    regions["own"]["contact_person"].user = people[EMPLOYER]
    regions["own"]["contact_person"].save()
    add_candidate_records(
        regions["own"],
        consultant=people[RM].staff,
        client_manager=people[KM].staff,
        user=people[CANDIDATE],
        tag="own",
    )
    add_candidate_records(
        regions["other"],
        consultant=people["other_region_rm"].staff,
        client_manager=None,
        user=None,
        tag="other",
    )
    for where, owner_key in (("own", RM), ("other", "other_region_rm")):
        add_meeting_records(regions[where], people[owner_key].staff, tag=where)
    # The placement's candidate works with the UWV partner (who sees only those in full).
    for where, owner_key, worker_key in (
        ("own", RM, UWV),
        ("other", "other_region_rm", "other_region_rm"),
    ):
        add_placement_records(
            regions[where], people[owner_key].staff, people[worker_key].staff, tag=where
        )
    for where in ("own", "other"):
        add_rule_set(regions[where], tag=where)
        add_programme(
            regions[where], people[RM if where == "own" else "other_region_rm"].staff, tag=where
        )
        add_evaluation_records(regions[where], tag=where)
        add_privacy_request(regions[where])
    other = regions["other"]
    foreign_records: list[Any] = [
        other["region"],
        *other["municipalities"],
        other["organisation"],
        other["team"],
        *Staff.objects.filter(organisation__region=other["region"]).select_related("user"),
        *(other[key] for key in EMPLOYER_RECORD_KEYS),
        *(other[key] for key in CANDIDATE_RECORD_KEYS),
        *(other[key] for key in ("meeting", "invitation", "conversation")),
        *(other[key] for key in ("placement", "aftercare_check")),
        other["rule_set"],
        other["programme"],
        *(other[key] for key in ("survey", "control_group", "complaint")),
        other["privacy_request"],
    ]
    names = [
        other["region"].name,
        other["organisation"].name,
        *(m.name for m in other["municipalities"]),
        *(s.user.username for s in foreign_records if isinstance(s, Staff)),
        other["employer"].name,
        other["candidate"].full_name,
    ]
    foreign_uuids = {str(record.uuid) for record in foreign_records}
    world = World(
        people=people,
        places=regions,
        jobs=jobs,
        clients={actor: login(people[actor]) for actor in ACTORS if actor != ANONYMOUS},
        login=login,
        foreign_markers=sorted(foreign_uuids) + [n.lower() for n in names],
        foreign_uuids=foreign_uuids,
    )
    # The other region's administrator leaves a trail, which no page here may show.
    act_as_administrator(world, "other_region_admin", other, people["other_region_rm"].staff)
    yield world
    cache.clear()


# --- Judging one response --------------------------------------------------------------------


def _login_redirect(response: Any) -> tuple[str, str] | None:
    """(path, next) if the response sends the user to the log-in page to log in first."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    location = urlsplit(response["Location"])
    nxt = parse_qs(location.query).get("next", [None])[0]
    if location.path != resolve_url(settings.LOGIN_URL) or nxt is None:
        return None
    return location.path, nxt


def _describe(response: Any) -> str:
    text = str(response.status_code)
    if 300 <= response.status_code < 400:
        text += f" → {response['Location']}"
    return text


def judge(route: Route, method: str, path: str, actor: str, response: Any) -> str | None:
    """What is wrong with this response, or None."""
    rule = route.rule_for(method)
    if rule not in EXPECTED:
        return f"rule {rule!r} has no row in EXPECTED"
    allowed = actor in EXPECTED[rule]
    status = response.status_code
    redirect = 300 <= status < 400
    to_login = _login_redirect(response)
    verdict = f"should be {'allowed' if allowed else 'denied'} ({rule}), got {_describe(response)}"
    if status >= 500:
        return verdict
    if allowed:
        if status in (401, 403) or to_login:
            return verdict
        if method == "GET":
            ok = status == 200 if route.is_viewset else status == 200 or redirect or status == 405
        else:
            ok = status < 300 or redirect or status == 400  # 400: the empty body is invalid
        return None if ok else verdict
    if actor == ANONYMOUS and not route.is_drf:
        return None if to_login and to_login[1] == path else verdict
    if actor == ANONYMOUS:
        return None if status in (401, 403) else verdict
    return None if status == 403 else verdict


def send(client: Client, method: str, path: str, data: dict[str, str] | None = None) -> Any:
    if method == "GET":
        return client.get(path)
    if data is not None:  # a form post
        return client.post(path, data)
    return client.generic(method, path, data="{}", content_type="application/json")


def leaks(response: Any, markers: list[str]) -> list[str]:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", "replace").lower()
    return [marker for marker in markers if marker in body]


# --- Tests ------------------------------------------------------------------------------------


def test_routes_are_discovered() -> None:
    names = {route.name for route in ROUTES}
    assert {"home", "accounts:login", "regions:manage_edit", "municipality-detail"} <= names
    assert all(route.pattern.startswith("/") for route in ROUTES)


def test_every_role_is_walked() -> None:
    """A new role must be added to ACTORS (and get its rows in EXPECTED) before it ships."""
    assert set(ACTORS) - {ANONYMOUS} == set(Role.values)
    assert all(roles <= set(ACTORS) for roles in EXPECTED.values())


def test_every_route_declares_an_access_rule() -> None:
    undeclared = [str(route) for route in ROUTES if route.declared is None]
    assert not undeclared, (
        "Routes without an access rule (use core.views_base.access_rule / public / declared, "
        "or a permission_map on the viewset):\n  " + "\n  ".join(undeclared)
    )


def test_every_route_is_covered() -> None:
    """Every declared rule has an expectation and every parameter an example value."""
    problems = []
    for route in ROUTES:
        for method, rule in (route.declared or {}).items():
            if rule not in EXPECTED:
                problems.append(f"{route} {method}: rule {rule!r} has no row in EXPECTED")
        missing = unfillable_params(route)
        if missing:
            problems.append(f"{route}: no example for {', '.join(missing)} (see PARAM_EXAMPLES)")
    assert not problems, "\n".join(problems)


def test_every_permission_has_an_expectation() -> None:
    """A new permission forces a decision here; a removed one must leave the table too."""
    missing = sorted(set(access.PERMISSIONS) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(access.PERMISSIONS) - MARKERS)
    assert not missing, f"Permissions without a row in EXPECTED: {missing}"
    assert not stale, f"Rows in EXPECTED for permissions that no longer exist: {stale}"


def test_permission_table_agrees_with_expectations() -> None:
    differences = [
        f"{name}: PERMISSIONS grants {sorted(map(str, roles))}, "
        f"EXPECTED says {sorted(EXPECTED.get(name, ()))}"
        for name, roles in sorted(access.PERMISSIONS.items())
        if {str(role) for role in roles} != EXPECTED.get(name)
    ]
    assert not differences, "\n".join(differences)


@pytest.fixture
def quiet_requests(caplog: pytest.LogCaptureFixture) -> None:
    """Denials (403, 404) are logged as warnings with a traceback; hundreds are expected here."""
    caplog.set_level(logging.ERROR, logger="django.request")


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
def test_access_matrix(world: World) -> None:
    """Every route × every role (and anonymous) answers allow or deny as EXPECTED says."""
    problems: list[str] = []
    checks = 0
    post_only: set[Route] = {r for r in ROUTES if r.name in EXTRA_POST_ROUTES}

    def check(route: Route, method: str, actor: str, path: str, **kwargs: Any) -> Any:
        nonlocal checks
        checks += 1
        client = world.client_for(actor, fresh=kwargs.pop("fresh", False))
        try:
            response = send(client, method, path, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a server error; report and walk on
            problems.append(f"{method:5} {path} as {actor}: raised {type(exc).__name__}: {exc}")
            return None
        problem = judge(route, method, path, actor, response)
        if problem:
            problems.append(f"{method:5} {path} as {actor}: {problem}")
        markers = world.foreign_markers + world.user_markers(actor)
        found = leaks(response, markers)
        if found:
            problems.append(f"{method:5} {path} as {actor}: shows records it must not: {found}")
        return response

    for route in ROUTES:
        for actor in ACTORS:
            paths = list(world.examples(route, actor))
            if not any(actor in EXPECTED.get(route.rule_for(m), ()) for m in route.api_methods):
                # Denied before the view reads its parameters: one example path is enough.
                paths = paths[:1]
            for path in paths:
                for method in route.api_methods:
                    response = check(route, method, actor, path)
                    if (
                        response is not None
                        and method == "GET"
                        and not route.is_drf
                        and response.status_code == 405
                    ):
                        post_only.add(route)

    # POST-only pages (log-out, set language, audit export), each with a fresh session: the
    # log-out ends it.
    for route in sorted(post_only, key=lambda r: r.pattern):
        for actor in ACTORS:
            for path in world.examples(route, actor):
                data = EXTRA_POST_ROUTES.get(route.name or "", {})
                check(route, "POST", actor, path, data=data, fresh=True)

    print(f"\naccess matrix: {len(ROUTES)} routes, {checks} requests")  # noqa: T201
    assert not problems, f"{len(problems)} of {checks} checks failed:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
def test_records_of_another_region_or_user_are_not_found(world: World) -> None:
    """A record outside the user's scope is 404, as if it did not exist (no 403, no 200)."""
    problems: list[str] = []
    detail_routes = [
        route for route in ROUTES if any(_is_uuid_param(p, c) for p, c in route.params.items())
    ]
    assert detail_routes
    for route in detail_routes:
        for method in route.api_methods:
            allowed = EXPECTED.get(route.rule_for(method), frozenset()) - {ANONYMOUS}
            for actor in sorted(allowed):
                for path in world.examples(route, actor, where="foreign"):
                    try:
                        response = send(world.clients[actor], method, path)
                        if response.status_code == 405 and not route.is_drf:  # POST-only view
                            response = send(world.clients[actor], "POST", path, {})
                    except Exception as exc:  # noqa: BLE001
                        problems.append(f"{method} {path} as {actor}: raised {exc!r}")
                        continue
                    if response.status_code != 404:
                        problems.append(
                            f"{method} {path} as {actor}: expected 404, got {_describe(response)}"
                        )
    assert not problems, "\n".join(problems)


#: A candidate's case file (consents, contacts, handovers, returns) is seen only by those who
#: see the candidate in full; the UWV partner sees the world's candidate only as an anonymous
#: pool profile, so their (allowed) lists rightly leave it out.
CASE_FILES_NOT_SHARED = {(model, UWV) for model in (Consent, Return)}


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


@pytest.mark.django_db
def test_api_lists_show_only_the_own_region(world: World) -> None:
    problems: list[str] = []
    list_routes = [
        route
        for route in ROUTES
        if route.is_viewset and getattr(route.callback, "actions", {}).get("get") == "list"
    ]
    assert list_routes
    for route in list_routes:
        model = route.uuid_model({})
        allowed = EXPECTED.get(route.rule_for("GET"), frozenset()) - {ANONYMOUS}
        for actor in sorted(allowed):
            path = next(world.examples(route, actor))
            # The route's own query (a required filter) and a page large enough for all.
            base, _, query = path.partition("?")
            params = {key: values[-1] for key, values in parse_qs(query).items()}
            response = world.clients[actor].get(base, {**params, "page_size": 500})
            if response.status_code != 200:
                problems.append(f"GET {path} as {actor}: {_describe(response)}")
                continue
            values = set(_strings(json.loads(response.content)))
            leaked = sorted(values & world.foreign_uuids)
            if leaked:
                problems.append(f"GET {path} as {actor}: other region's records {leaked}")
            if model in REGION_RECORDS and (model, actor) not in CASE_FILES_NOT_SHARED:
                own = str(world.record(model, actor, "own").uuid)
                if own not in values:  # the check above would be vacuous on an empty list
                    problems.append(f"GET {path} as {actor}: own region's record {own} missing")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_audit_trail_shows_only_the_own_region(world: World) -> None:
    """An administrator's audit pages and home page show their own region's trail only."""
    own = act_as_administrator(world, ADMIN, world.places["own"], world.people[RM].staff)
    client = world.clients[ADMIN]
    problems = []
    for name, expected in (
        ("home", own["changed"]),
        ("core:audit_changes", own["changed"]),
        ("core:audit_access", own["read"]),
    ):
        response = client.get(reverse(name))
        found = leaks(response, world.foreign_markers)
        if found:
            problems.append(f"{name}: shows the other region's trail {found}")
        if expected not in response.content.decode():  # else the check above proves nothing
            problems.append(f"{name}: does not show the own region's entry {expected}")
    assert not problems, "\n".join(problems)


def add_programme(place: dict[str, Any], staff: Any, *, tag: str) -> None:
    """A programme of the place's region with one target, a time entry of ``staff`` and
    their subscription to the council report."""
    import datetime as dt
    from decimal import Decimal

    place["programme"] = Programme.objects.create(
        region=place["region"],
        name=f"Matrixprogramma {tag}",
        start_on=dt.date(2026, 1, 1),
        end_on=dt.date(2027, 1, 1),
    )
    place["target"] = Target.objects.create(
        programme=place["programme"],
        kpi="K1",
        start_on=dt.date(2026, 1, 1),
        end_on=dt.date(2027, 1, 1),
        value=Decimal(10),
    )
    place["time_entry"] = TimeEntry.objects.create(
        programme=place["programme"],
        staff=staff,
        on=dt.date(2026, 3, 2),
        hours=Decimal(4),
        activity="acquisitie",
    )
    place["report_subscription"] = ReportSubscription.objects.create(
        user=staff.user, region=place["region"]
    )


def add_evaluation_records(place: dict[str, Any], *, tag: str) -> None:
    """A survey (open, closing in a month) with one personal link, a control group and a
    complaint of the place's region, made directly: no draw."""
    import datetime as dt

    from django.utils import timezone

    from werkbrug.evaluation import questionnaires

    template = questionnaires.load_template("werktop_kandidaat")
    place["control_group"] = ControlGroup.objects.create(
        region=place["region"],
        name=f"Matrixcontrolegroep {tag}",
        intervention_start=dt.date(2025, 1, 1),
        size=1,
        seed=1,
        drawn_at=timezone.now(),
    )
    place["survey"] = Survey.objects.create(
        region=place["region"],
        title=f"Matrixenquete {tag}",
        template_code=template.code,
        audience=template.audience,
        questionnaire=questionnaires.to_dict(template),
        status="open",
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        control_group=place["control_group"],
    )
    # A personal questionnaire link with a known token (only its hash is stored).
    EvaluationInvitation.objects.create(
        survey=place["survey"],
        person_key=f"matrix-{tag}",
        group="participant",
        channel="letter",
        token_hash=survey_hash_token(SURVEY_TOKENS[tag]),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    place["complaint"] = Complaint.objects.create(
        region=place["region"],
        complainant="candidate",
        category="service",
        received_on=timezone.localdate(),
        summary=f"Matrixklacht {tag}",
    )


def add_rule_set(place: dict[str, Any], *, tag: str) -> None:
    """A rule set of the place's region (the national ones are everybody's)."""
    import datetime as dt

    national = RuleSet.objects.filter(region__isnull=True).earliest("valid_from")
    place["rule_set"] = RuleSet.objects.create(
        region=place["region"],
        name=f"Matrixregels {tag}",
        valid_from=national.valid_from + dt.timedelta(days=1),
        source=f"Matrixbron {tag}",
        values=national.values,
        sources=national.sources,
    )


def add_privacy_request(place: dict[str, Any]) -> None:
    """An open inzage request of the place's matrix candidate."""
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    candidate = place["candidate"]
    place["privacy_request"] = DataSubjectRequest.objects.create(
        region=place["region"],
        municipality=candidate.municipality,
        candidate=candidate,
        kind="access",
        channel="letter",
        received_on=today - dt.timedelta(days=3),
        due_on=today + dt.timedelta(days=27),
        request_text="Matrixverzoek: welke gegevens hebben jullie?",
    )


# --- Within the region: another municipality, another employer, another candidate -----------

#: Records the region's staff share by design, whatever their municipality or team: the
#: organisation model; the employer register with its questions, opportunities, actions and
#: the shortlists on those opportunities (one relationship per employer for the whole region,
#: domain guide §4.1); meetings (organised for the region); rules, programmes and targets,
#: surveys, control groups and complaints (steering the region); and a candidate's anonymous
#: pool profile (the world's candidates consented to the regional pool). Everything else about
#: a candidate — consents, appointments, work history, handovers, returns, signals,
#: placements, aftercare, data-subject requests — and anyone's logged hours are their own
#: people's only. Portal users (employers, candidates) share nothing with each other.
SHARED_IN_REGION: frozenset[type] = frozenset(
    {
        Region,
        Municipality,
        Organisation,
        Team,
        Staff,
        Employer,
        ContactPerson,
        ContactMoment,
        EmployerQuestion,
        WorkOpportunity,
        Action,
        ShortlistEntry,
        Meeting,
        Invitation,
        Conversation,
        RuleSet,
        Programme,
        Target,
        Survey,
        ControlGroup,
        Complaint,
        Candidate,
    }
)
#: Logged hours belong to the programme, which the region's team leads manage (they correct
#: and remove anyone's hours); everybody else sees only their own.
SHARED_WITH: dict[type, frozenset[str]] = {TimeEntry: frozenset({TL})}
#: Answers that refuse: not found (404), or forbidden (403) for a change to a record whose
#: anonymous profile the person may see anyway.
REFUSED = {403, 404}


def _neighbours(world: World) -> dict[str, Any]:
    """Users of the own region who work elsewhere in it: staff of the other municipality in
    another team, the contact person of another employer, and another candidate."""
    from tests_support import make_person

    own = world.places["own"]
    wijchen = own["municipalities"][1]
    team = Team.objects.create(organisation=own["organisation"], name="Team Wijchen")
    neighbours: dict[str, Any] = {}
    for role in (RM, KM, TL, UWV):
        user = make_person(f"{role}_wijchen", role, own)
        user.staff.municipality = wijchen
        user.staff.team = team
        user.staff.save()
        neighbours[role] = user
    other_employer = Employer.objects.create(
        region=own["region"],
        name="Buurbedrijf Wijchen",
        municipality=wijchen,
        owner=neighbours[RM].staff,
    )
    neighbours[EMPLOYER] = make_person("werkgever_wijchen", EMPLOYER, None)
    ContactPerson.objects.create(
        employer=other_employer, name="Buurcontact", user=neighbours[EMPLOYER]
    )
    from candidates_support import make_candidate

    neighbours[CANDIDATE] = make_person("kandidaat_wijchen", CANDIDATE, None)
    make_candidate(own, municipality=wijchen, user=neighbours[CANDIDATE])
    return neighbours


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
def test_records_of_another_municipality_employer_or_candidate_are_not_found(
    world: World,
) -> None:
    """IDOR inside the region: someone of another municipality, employer or candidate who may
    use a route, asking for this world's records by UUID, gets 404 — except for what the
    region's staff share by design (``SHARED_IN_REGION``)."""
    neighbours = _neighbours(world)
    clients = {role: world.login(user) for role, user in neighbours.items()}
    problems: list[str] = []
    checks = 0
    for route in ROUTES:
        uuid_params = [p for p, c in route.params.items() if _is_uuid_param(p, c)]
        if not uuid_params:
            continue
        for method in route.api_methods:
            allowed = EXPECTED.get(route.rule_for(method), frozenset())
            for role in sorted(set(neighbours) & allowed):
                for path in world.examples(route, role):
                    kwargs = resolve(urlsplit(path).path).kwargs
                    models_ = {
                        p: route.uuid_model({k: str(v) for k, v in kwargs.items()}, p)
                        for p in uuid_params
                    }
                    if any(m in (BackgroundJob, ReportSubscription) for m in models_.values()):
                        continue  # a user's own records: covered by the region test
                    if role in STAFF and all(
                        m in SHARED_IN_REGION or role in SHARED_WITH.get(m, ())
                        for m in models_.values()
                    ):
                        continue
                    checks += 1
                    response = send(clients[role], method, path)
                    if response.status_code == 405 and not route.is_drf:
                        response = send(clients[role], "POST", path, {})
                    # Someone else's hours are "already removed" (a double click answers the
                    # same); they must still be there.
                    if (
                        route.name == "monitoring:time_entry_delete"
                        and response.status_code == 302
                        and TimeEntry.objects.filter(uuid=kwargs["entry"]).exists()
                    ):
                        continue
                    if response.status_code not in REFUSED:
                        problems.append(
                            f"{method} {path} ({route.name}) as {role} of Wijchen: expected "
                            f"404 or 403, got {_describe(response)}"
                        )
    print(f"\nIDOR within the region: {checks} requests")  # noqa: T201
    assert checks > 40
    assert not problems, f"{len(problems)} of {checks}:\n" + "\n".join(problems)
