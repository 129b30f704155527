"""Staff pages of the regional employer register: the list, the employer 360° page, the quick
contact form, contact persons, questions, work opportunities, my tasks, the contact-norm list,
the merge tool and the norms page. Views translate HTTP to selector and service calls."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.employers import forms, selectors, services
from werkbrug.employers.models import (
    ContactPerson,
    Employer,
    OpportunityStatus,
    WorkOpportunity,
)
from werkbrug.employers.norms import Norm, is_cold, response_due
from werkbrug.matching import views as matching_views
from werkbrug.meetings import selectors as meeting_selectors
from werkbrug.regions import selectors as region_selectors

PAGE_SIZE = 25
TIMELINE_LIMIT = 60
OPEN_STATUSES = (OpportunityStatus.OPEN, OpportunityStatus.PROPOSED, OpportunityStatus.INTRODUCTION)


# --- Helpers --------------------------------------------------------------------------------


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def _list_response(
    request: HttpRequest, template: str, rows_template: str, context: dict[str, Any]
) -> HttpResponse:
    """The whole page, or only its results for an htmx filter request."""
    chosen = rows_template if request.htmx else template  # type: ignore[attr-defined]
    response = render(request, chosen, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _norm(actor: access.Actor) -> Norm:
    return services.policy_for(actor.region_id) if actor.region_id else Norm()


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _employer_for_change(request: HttpRequest, uuid: Any) -> Employer:
    """The employer, if it is a live record (a merged record is read-only)."""
    employer = selectors.employer(actor=request.actor, uuid=uuid)  # type: ignore[attr-defined]
    if employer.merged_into_id:
        raise Http404
    return employer


# --- The employer list ----------------------------------------------------------------------


@access_rule("employers.view")
def employer_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.EmployerFilterForm(request.GET or None, actor=actor)
    flt = form.to_filter()
    page = Paginator(selectors.employers(actor=actor, flt=flt), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    norm, today = _norm(actor), timezone.localdate()
    rows = [
        {"employer": e, "cold": is_cold(e.last_contact_on, on=today, norm=norm)}
        for e in page.object_list
    ]
    filtered = any(v for k, v in request.GET.items() if k not in ("pagina", "sortering"))
    return _list_response(
        request,
        "employers/employer_list.html",
        "employers/employer_rows.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": filtered,
            "query": _query_without_page(request),
            "can_edit": access.can(actor, "employers.edit"),
            "can_merge": access.can(actor, "employers.merge"),
            "can_import": access.can(actor, "employers.import"),
            "can_tasks": access.can(actor, "employers.tasks"),
        },
    )


# --- Register and edit ----------------------------------------------------------------------


@access_rule("employers.edit")
def employer_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.EmployerForm(
        request.POST or None, instance=Employer(region_id=actor.region_id), actor=actor
    )
    matches: list[Employer] = []
    exact = False
    if request.method == "POST":
        if request.POST.get("duplicates_checked") in ("on", "True", "true", "1"):
            form.ask_duplicate_check()  # keep showing what the user confirmed
        if form.is_valid():
            try:
                employer = services.register_employer(
                    actor=actor,
                    employer=form.instance,
                    duplicates_checked=form.cleaned_data.get("duplicates_checked", False),
                )
            except services.DuplicateSuspected as suspected:
                matches = suspected.matches
                form.ask_duplicate_check()
            except services.AlreadyRegistered as registered:
                show_service_errors(form, registered)
                matches, exact = [registered.existing], True
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s has been added to the employer register.")
                    % {"name": employer.name},
                )
                return redirect("employers:detail", uuid=employer.uuid)
    return render(
        request,
        "employers/employer_form.html",
        {"form": form, "matches": matches, "exact": exact, "employer": None},
    )


@access_rule("employers.edit")
def employer_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    employer = _employer_for_change(request, uuid)
    form = forms.EmployerForm(request.POST or None, instance=employer, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employer(
                actor=actor,
                employer=form.instance,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("The changes to %(name)s have been saved.") % {"name": employer.name}
            )
            return redirect("employers:detail", uuid=employer.uuid)
    return render(
        request, "employers/employer_form.html", {"form": form, "matches": [], "employer": employer}
    )


# --- The employer 360° page -----------------------------------------------------------------


@access_rule("employers.view")
def employer_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    employer = selectors.employer(actor=actor, uuid=uuid)
    today = timezone.localdate()
    summary = selectors.summary(actor=actor, employer=employer, today=today)
    timeline = selectors.timeline(actor=actor, employer=employer, limit=TIMELINE_LIMIT)
    if access.can(actor, "meetings.view"):
        # The prettig gesprekken the employer took part in, with what came of them.
        timeline = sorted(
            timeline
            + [
                selectors.TimelineItem(m.at, "meeting", m)
                for m in meeting_selectors.employer_meetings(actor, employer)
            ],
            key=lambda item: item.at,
            reverse=True,
        )[:TIMELINE_LIMIT]
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "summary": summary,
            "timeline": timeline,
            "timeline_full": len(timeline) >= TIMELINE_LIMIT,
            "timeline_limit": TIMELINE_LIMIT,
            "contact_persons": list(selectors.contact_persons(actor=actor, employer=employer)),
            "owner_away": employer.owner.is_away_on(today),
            "today": today,
            "can_edit": access.can(actor, "employers.edit") and employer.merged_into_id is None,
            "shortlists": matching_views.employer_shortlists(actor, employer)
            if access.can(actor, "matching.suggest")
            else None,
        },
    )


# --- The contact moment form ----------------------------------------------------------------


@access_rule("employers.edit")
def contact_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    employer = _employer_for_change(request, uuid)
    form = forms.ContactMomentForm(request.POST or None, actor=actor, employer=employer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moment = services.record_contact(
                actor=actor,
                employer=employer,
                date=data["date"],
                channel=data["channel"],
                staff=form.staff_present(),
                contact_person=data.get("contact_person"),
                notes=data.get("notes") or "",
                work_found=data.get("work_found", False),
                actions=form.agreed_actions(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            text = _("The contact of %(date)s with %(name)s has been saved.") % {
                "date": moment.date.strftime("%d-%m-%Y"),
                "name": employer.name,
            }
            if moment.is_first_contact:
                text += " " + _("It counts as the first contact with this employer.")
            if form.agreed_actions():
                text += " " + _("The agreed actions are in the task lists.")
            messages.success(request, text)
            return redirect("employers:detail", uuid=employer.uuid)
    return render(request, "employers/contact_form.html", {"form": form, "employer": employer})


# --- Contact persons ------------------------------------------------------------------------


def _contact_person_form(
    request: HttpRequest, employer: Employer, person: ContactPerson
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.ContactPersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact_person(actor=actor, person=form.instance)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Contact person %(name)s has been saved.") % {"name": person.name}
            )
            return redirect("employers:detail", uuid=employer.uuid)
    return render(
        request,
        "employers/contact_person_form.html",
        {"form": form, "employer": employer, "person": person},
    )


@access_rule("employers.edit")
def contact_person_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    employer = _employer_for_change(request, uuid)
    return _contact_person_form(request, employer, ContactPerson(employer=employer))


@access_rule("employers.edit")
def contact_person_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    person = selectors.contact_person(actor=request.actor, uuid=uuid)  # type: ignore[attr-defined]
    if person.employer.merged_into_id:
        raise Http404
    return _contact_person_form(request, person.employer, person)


# --- Questions ------------------------------------------------------------------------------


@access_rule("employers.edit")
def question_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    employer = _employer_for_change(request, uuid)
    form = forms.QuestionForm(request.POST or None, actor=actor, employer=employer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.receive_question(
                actor=actor,
                employer=employer,
                question=data["question"],
                topic=data["topic"],
                contact_person=data.get("contact_person"),
                received_at=data.get("received_at"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The question has been saved. %(name)s handles it.")
                % {"name": question.assigned_to},
            )
            return redirect("employers:question", uuid=question.uuid)
    return render(request, "employers/question_form.html", {"form": form, "employer": employer})


@access_rule("employers.view")
def question_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.QuestionFilterForm(request.GET or None)
    mine = form.is_valid() and form.cleaned_data.get("wie") == forms.MINE
    assigned = [actor.staff_id] if mine and actor.staff_id else None
    items = selectors.open_questions(actor=actor, assigned_ids=assigned)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("pagina"))
    now = timezone.now()
    rows = [{"item": item, "overdue": item.due < now} for item in page.object_list]
    return _list_response(
        request,
        "employers/question_list.html",
        "employers/question_rows.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "mine": mine,
            "query": _query_without_page(request),
        },
    )


@access_rule("employers.view")
def question_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    question = selectors.question(actor=actor, uuid=uuid)
    can_edit = access.can(actor, "employers.edit")
    which = request.POST.get("form") if request.method == "POST" else None
    if which and not can_edit:
        raise PermissionDenied("employers.edit")
    route_form = forms.RouteQuestionForm(
        request.POST if which == "route" else None,
        initial={"routed_to": question.routed_to},
        prefix="route",
    )
    answer_form = forms.AnswerQuestionForm(
        request.POST if which == "answer" else None,
        initial={"answer": question.answer},
        prefix="answer",
    )
    form = {"route": route_form, "answer": answer_form}.get(which or "")
    if form is not None and form.is_valid():
        try:
            if which == "route":
                services.route_question(
                    actor=actor, question=question, routed_to=form.cleaned_data["routed_to"]
                )
                text = _("Noted: the question was passed on to %(to)s.") % {
                    "to": question.routed_to
                }
            else:
                services.answer_question(
                    actor=actor, question=question, answer=form.cleaned_data["answer"]
                )
                text = _("The answer has been saved; the question is closed.")
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, text)
            return redirect("employers:question", uuid=question.uuid)
    due = response_due(timezone.localtime(question.received_at), norm=_norm(actor))
    return render(
        request,
        "employers/question_detail.html",
        {
            "question": question,
            "due": due,
            "overdue": question.answered_at is None and due < timezone.now(),
            "route_form": route_form,
            "answer_form": answer_form,
            "can_edit": can_edit,
        },
    )


# --- Work opportunities ---------------------------------------------------------------------


@access_rule("employers.edit")
def opportunity_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    employer = _employer_for_change(request, uuid)
    form = forms.OpportunityForm(request.POST or None, instance=WorkOpportunity(employer=employer))
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.save_opportunity(actor=actor, opportunity=form.instance)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Work opportunity “%(title)s” has been saved.") % {"title": opportunity.title},
            )
            return redirect("employers:opportunity", uuid=opportunity.uuid)
    return render(
        request,
        "employers/opportunity_form.html",
        {"form": form, "employer": employer, "opportunity": None},
    )


@access_rule("employers.view")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.OpportunityFilterForm(request.GET or None, actor=actor)
    queryset = selectors.opportunities(actor=actor, **form.to_kwargs())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return _list_response(
        request,
        "employers/opportunity_list.html",
        "employers/opportunity_rows.html",
        {
            "form": form,
            "page": page,
            "filtered": any(v for k, v in request.GET.items() if k != "pagina"),
            "query": _query_without_page(request),
        },
    )


@access_rule("employers.view")
def opportunity_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    opportunity = selectors.opportunity(actor=actor, uuid=uuid)
    can_edit = access.can(actor, "employers.edit") and opportunity.employer.merged_into_id is None
    which = request.POST.get("form") if request.method == "POST" else None
    if which and not can_edit:
        raise PermissionDenied("employers.edit")
    status_form = forms.StatusChangeForm(
        request.POST if which == "status" else None, opportunity=opportunity, prefix="status"
    )
    edit_form = forms.OpportunityForm(
        request.POST if which == "edit" else None, instance=opportunity, prefix="edit"
    )
    if which == "status" and status_form.is_valid():
        try:
            change = services.change_status(
                actor=actor,
                opportunity=opportunity,
                to_status=status_form.cleaned_data["to_status"],
                note=status_form.cleaned_data.get("note") or "",
            )
        except ValidationError as error:
            show_service_errors(status_form, error)
        else:
            text = _("The status is now “%(status)s”.") % {"status": change.get_to_status_display()}
            if change.reported_to_employer_at:
                text += " " + _("The employer's contact persons have been told by e-mail.")
            messages.success(request, text)
            return redirect("employers:opportunity", uuid=opportunity.uuid)
    if which == "edit" and edit_form.is_valid():
        try:
            services.save_opportunity(
                actor=actor,
                opportunity=edit_form.instance,
                expected_version=edit_form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            show_service_errors(edit_form, error)
        else:
            messages.success(request, _("The work opportunity has been saved."))
            return redirect("employers:opportunity", uuid=opportunity.uuid)
    history = list(selectors.opportunity_history(actor=actor, opportunity=opportunity))
    today = timezone.localdate()
    days_open = ((opportunity.closed_on or today) - opportunity.opened_on).days
    return render(
        request,
        "employers/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "employer": opportunity.employer,
            "history": history,
            "days_open": days_open,
            "status_form": status_form,
            "edit_form": edit_form,
            "edit_open": which == "edit",
            "can_edit": can_edit,
            "shortlist": matching_views.shortlist_panel(request, opportunity)
            if access.can(actor, "matching.suggest")
            else None,
        },
    )


# --- My tasks -------------------------------------------------------------------------------


@access_rule("employers.tasks")
def task_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    later = request.GET.get("later") == "1"
    today = timezone.localdate()
    queryset = selectors.tasks_for(
        actor=actor, staff_id=actor.staff_id, on=today, include_later=later
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "employers/task_list.html",
        {
            "page": page,
            "rows": task_rows(page.object_list, actor=actor, today=today),
            "later": later,
            "today": today,
            "query": _query_without_page(request),
        },
    )


def task_rows(actions: Any, *, actor: access.Actor, today: dt.date) -> list[dict[str, Any]]:
    """Tasks with what the lists show about them (also used by the home panel)."""
    return [
        {
            "action": action,
            "overdue": action.due_on < today,
            "due_today": action.due_on == today,
            "covering": action.owner_id != actor.staff_id,
        }
        for action in actions
    ]


@access_rule("employers.tasks")
@require_POST
def task_done(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    action = selectors.action(actor=actor, uuid=uuid)
    services.complete_action(actor=actor, action=action)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "employers/task_done.html", {"action": action})
    messages.success(request, _("Done: “%(title)s”.") % {"title": action.title})
    return redirect(_safe_next(request, reverse("employers:tasks")))


# --- Employers below the contact norm -------------------------------------------------------


@access_rule("employers.tasks")
def norm_overdue(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    may_see_team = access.can(actor, "team.overview") and actor.team_id is not None
    team_view = may_see_team and request.GET.get("wie") == "team"
    members: list[Any] = []
    if team_view:
        members = list(region_selectors.team_members(actor=actor, team_id=actor.team_id))
        owner_ids = [m.pk for m in members]
    else:
        owner_ids = [actor.staff_id] if actor.staff_id else []
    items = selectors.overdue_contact_norm(actor=actor, owner_ids=owner_ids)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("pagina"))
    counts = (
        selectors.overdue_contact_norm_counts(actor=actor, owner_ids=owner_ids) if team_view else {}
    )
    return render(
        request,
        "employers/norm_overdue.html",
        {
            "page": page,
            "team_view": team_view,
            "may_see_team": may_see_team,
            "per_member": [
                {"staff": m, "count": counts.get(m.pk, 0)}
                for m in members
                if counts.get(m.pk) or set(m.role_codes) & set(forms.EMPLOYER_SERVICE_ROLES)
            ],
            "norm": _norm(actor),
            "query": _query_without_page(request),
        },
    )


# --- Merge duplicates -----------------------------------------------------------------------


MERGE_FIELDS = (
    ("name", "name"),
    ("kvk_number", "kvk_number"),
    ("vestigingsnummer", "vestigingsnummer"),
    ("street", "street"),
    ("postcode", "postcode"),
    ("city", "city"),
    ("municipality", "municipality"),
    ("owner", "owner"),
    ("phase", "get_phase_display"),
    ("last_contact_on", "last_contact_on"),
    ("created_at", "created_at"),
)


@access_rule("employers.merge")
def merge(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    params = {k: request.GET.get(k, "").strip() for k in ("a", "b", "zoek_a", "zoek_b")}
    left = selectors.employer(actor=actor, uuid=params["a"]) if params["a"] else None
    right = selectors.employer(actor=actor, uuid=params["b"]) if params["b"] else None

    def results(side: str) -> list[dict[str, Any]]:
        term = params[f"zoek_{side}"]
        if not term:
            return []
        found = selectors.employers(actor=actor, flt=selectors.EmployerFilter(search=term))[:10]
        return [
            {"employer": e, "url": "?" + urlencode({**params, side: str(e.uuid)})} for e in found
        ]

    both = left is not None and right is not None and left.pk != right.pk
    form = forms.MergeForm(request.POST or None, left=left, right=right) if both else None
    if form is not None and request.method == "POST" and form.is_valid():
        keep, duplicate = (left, right) if form.cleaned_data["keep"] == "a" else (right, left)
        try:
            services.merge_employers(actor=actor, keep=keep, duplicate=duplicate)  # type: ignore[arg-type]
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(duplicate)s has been merged into %(keep)s. Its history is kept.")
                % {"duplicate": duplicate.name, "keep": keep.name},  # type: ignore[union-attr]
            )
            return redirect("employers:detail", uuid=keep.uuid)  # type: ignore[union-attr]
    comparison = []
    if both:
        labels = {
            f.name: f.verbose_name
            for f in Employer._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        for field, attr in MERGE_FIELDS:
            values = []
            for record in (left, right):
                value = getattr(record, attr)
                values.append(value() if callable(value) else value)
            comparison.append(
                {
                    "label": labels.get(field, field),
                    "left": values[0],
                    "right": values[1],
                    "differs": values[0] != values[1],
                }
            )
    return render(
        request,
        "employers/merge.html",
        {
            "left": left,
            "right": right,
            "same": left is not None and right is not None and left.pk == right.pk,
            "left_summary": selectors.summary(actor=actor, employer=left) if both else None,
            "right_summary": selectors.summary(actor=actor, employer=right) if both else None,
            "results_a": results("a"),
            "results_b": results("b"),
            "params": params,
            "clear_a": "?" + urlencode({**params, "a": ""}),
            "clear_b": "?" + urlencode({**params, "b": ""}),
            "comparison": comparison,
            "form": form,
        },
    )


# --- The region's norms ---------------------------------------------------------------------


@access_rule("employers.policy")
def policy(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    region = region_selectors.regions(actor=actor).filter(pk=actor.region_id).first()
    if region is None:
        raise Http404
    norm = services.policy_for(region.pk)
    form = forms.PolicyForm(
        request.POST or None,
        initial={name: getattr(norm, name) for name in forms.PolicyForm.FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(actor=actor, region=region, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("The employer norms of %(region)s have been saved.") % {"region": region}
            )
            return redirect("employers:policy")
    return render(request, "employers/policy.html", {"form": form, "region": region})


urlpatterns = [
    path("werkgevers/", employer_list, name="list"),
    path("werkgevers/nieuw/", employer_create, name="create"),
    path("werkgevers/contactnorm/", norm_overdue, name="norm_overdue"),
    path("werkgevers/samenvoegen/", merge, name="merge"),
    path("werkgevers/vragen/", question_list, name="questions"),
    path("werkgevers/vragen/<uuid:uuid>/", question_detail, name="question"),
    path(
        "werkgevers/contactpersonen/<uuid:uuid>/", contact_person_edit, name="contact_person_edit"
    ),
    path("werkgevers/<uuid:uuid>/", employer_detail, name="detail"),
    path("werkgevers/<uuid:uuid>/bewerken/", employer_edit, name="edit"),
    path("werkgevers/<uuid:uuid>/contact/", contact_create, name="contact"),
    path(
        "werkgevers/<uuid:uuid>/contactpersonen/nieuw/",
        contact_person_create,
        name="contact_person_create",
    ),
    path("werkgevers/<uuid:uuid>/vragen/nieuw/", question_create, name="question_create"),
    path("werkgevers/<uuid:uuid>/werkkansen/nieuw/", opportunity_create, name="opportunity_create"),
    path("werkkansen/", opportunity_list, name="opportunities"),
    path("werkkansen/<uuid:uuid>/", opportunity_detail, name="opportunity"),
    path("taken/", task_list, name="tasks"),
    path("taken/<uuid:uuid>/klaar/", task_done, name="task_done"),
    path("beheer/werkgeversnormen/", policy, name="policy"),
]
