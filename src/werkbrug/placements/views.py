"""Staff pages of placements: the list, placing a candidate (from a conversation at a prettig
gesprek, a shortlist entry or the candidate page), the placement page with its aftercare
checklist, instruments and loonwaarde, and converting or ending a placement.

The small forms of the placement page (a check-in, a grant, an assessment) post to their own
route, which calls one service and returns to the page; a refused one comes back with the
reason next to its fields (kept in the session for the one request that shows it), and
nothing is saved. Views translate HTTP to selector and service calls; the rules are in
``placements.services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werkbrug.candidates import selectors as candidate_selectors
from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.views_base import access_rule, rebind, refused_for, show_service_errors
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation
from werkbrug.placements import forms, selectors, services
from werkbrug.placements.models import (
    AftercareCheck,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Placement,
    PlacementStatus,
)

PAGE_SIZE = 25

#: Where a refused small form waits (in the session) for the placement page to show it.
ERROR_KEY = "placements.error"

PURPOSE = "placement"

OPEN = (PlacementStatus.PLANNED, PlacementStatus.RUNNING)

STATUS_BADGES = {
    PlacementStatus.PLANNED: "badge-info",
    PlacementStatus.RUNNING: "badge-success",
    PlacementStatus.CONVERTED: "badge-neutral",
    PlacementStatus.ENDED: "badge-neutral",
}


# --- Helpers --------------------------------------------------------------------------------


def _placement(request: HttpRequest, uuid: Any) -> Placement:
    return selectors.placement_for_view(request.actor, uuid)  # type: ignore[attr-defined]


def _detail_url(placement: Placement, anchor: str = "") -> str:
    url = reverse("placements:detail", kwargs={"uuid": placement.uuid})
    return f"{url}#{anchor}" if anchor else url


def _lines(form: Any, error: ValidationError) -> list[str]:
    """Each message with the label of the field it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, found in error.message_dict.items():
        field = form.fields.get(name)
        lines += [f"{field.label}: {m}" if field is not None else m for m in found]
    return lines


def _refused(
    request: HttpRequest,
    kind: str,
    target: Any,
    form: Any,
    error: ValidationError | None,
    intro: str,
) -> None:
    """Keep a refused small form for the placement page (shown next to its fields)."""
    lines = _lines(form, error) if error is not None else []
    request.session[ERROR_KEY] = {
        "kind": kind,
        "target": str(target),
        "data": {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"},
        "errors": error.message_dict if error is not None and hasattr(error, "error_dict") else {},
        "lines": lines,
    }
    messages.error(request, f"{intro} {' '.join(lines)}".strip())


# --- The list -------------------------------------------------------------------------------


@access_rule("placements.view")
@require_GET
def placement_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("wie"):
        data["wie"] = forms.WHO_MINE if actor.staff_id else forms.WHO_ALL
    form = forms.ListFilter(data)
    flt = form.cleaned_data if form.is_valid() else {"wie": data["wie"]}
    ending = selectors.ending_soon(actor, on=today)
    status = flt.get("status") or ""
    queryset = selectors.placement_list(
        actor,
        staff_id=actor.staff_id if flt.get("wie") != forms.WHO_ALL else None,
        statuses=OPEN if status == forms.OPEN else (status,) if status else (),
        ending_soon=ending if flt.get("binnenkort") else None,
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown = list(page.object_list)
    soon = set(
        ending.filter(placement__in=[p.pk for p in shown]).values_list("placement_id", flat=True)
    )
    rows = [
        {
            "placement": p,
            "badge": STATUS_BADGES.get(p.status, "badge-neutral"),
            "ending_soon": p.pk in soon,
            "check_overdue": p.next_check_on is not None and p.next_check_on < today,  # type: ignore[attr-defined]
        }
        for p in shown
    ]
    query = data.copy()
    query.pop("pagina", None)
    others = {k: v for k, v in query.items() if k != "wie"}
    tabs = [
        {
            "label": label,
            "url": "?" + urlencode({**others, "wie": value}),
            "active": flt.get("wie") == value,
        }
        for value, label in forms.ListFilter.base_fields["wie"].choices  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "placements/placement_list.html",
        {
            "form": form,
            "tabs": tabs,
            "mine": flt.get("wie") != forms.WHO_ALL,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": bool(flt.get("status") or flt.get("binnenkort")),
            "today": today,
        },
    )


# --- Placing a candidate --------------------------------------------------------------------


@dataclass
class Source:
    """Who is placed, and where it came from."""

    candidate: Candidate
    conversation: Conversation | None = None
    entry: ShortlistEntry | None = None


def _source(request: HttpRequest) -> Source | None:
    """The candidate (``kandidaat``), conversation (``gesprek``) and shortlist entry
    (``shortlist``) of the query; each must be in the actor's view, the candidate in full, and
    all about the same person (else 404)."""
    actor = request.actor  # type: ignore[attr-defined]
    conversation = entry = None
    if request.GET.get("gesprek"):
        conversation = access.get_for_view(
            Conversation.objects.select_related(
                "meeting", "employer", "candidate", "shortlist_entry__opportunity__employer"
            ).prefetch_related("meeting__opportunities"),
            actor,
            request.GET["gesprek"],
            purpose=PURPOSE,
        )
    if request.GET.get("shortlist"):
        entry = access.get_for_view(
            ShortlistEntry.objects.select_related("opportunity__employer", "candidate"),
            actor,
            request.GET["shortlist"],
            purpose=PURPOSE,
        )
    candidate_uuid = request.GET.get("kandidaat") or (
        conversation.candidate.uuid if conversation else entry.candidate.uuid if entry else None
    )
    if not candidate_uuid:
        return None
    candidate = access.get_for_view(
        candidate_selectors.with_access_flag(
            Candidate.objects.select_related("municipality"), actor
        ),
        actor,
        candidate_uuid,
        purpose=PURPOSE,
    )
    if not candidate.full_access:  # type: ignore[attr-defined]
        raise Http404
    for part in (conversation, entry):
        if part is not None and part.candidate_id != candidate.pk:
            raise Http404
    return Source(candidate, conversation, entry)


@access_rule("placements.manage")
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    source = _source(request)
    if source is None:
        return render(request, "placements/placement_start.html")
    today = timezone.localdate()
    form = forms.PlacementForm(
        request.POST or None,
        actor=actor,
        initial=forms.create_initial(
            candidate=source.candidate,
            conversation=source.conversation,
            entry=source.entry,
            today=today,
        ),
    )
    if request.method == "POST" and form.is_valid():
        placement = form.save(commit=False)
        placement.candidate = source.candidate
        placement.conversation = source.conversation
        placement.shortlist_entry = source.entry
        try:
            placed = services.place(actor=actor, placement=placement)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            count = placed.checks.count()
            messages.success(
                request,
                ngettext(
                    "%(name)s is placed at %(employer)s. The aftercare plan has %(count)s "
                    "check-in.",
                    "%(name)s is placed at %(employer)s. The aftercare plan has %(count)s "
                    "check-ins.",
                    count,
                )
                % {"name": source.candidate, "employer": placed.employer.name, "count": count},
            )
            return redirect(_detail_url(placed))
    return render(
        request,
        "placements/placement_form.html",
        {
            "form": form,
            "source": source,
            "action": request.get_full_path(),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The placement page ---------------------------------------------------------------------


@dataclass
class CheckRow:
    check: AftercareCheck
    overdue: bool = False
    due_today: bool = False
    form: Any = None
    open_form: bool = False

    @property
    def anchor(self) -> str:
        return f"nazorg-{self.check.uuid}"


def _check_rows(
    placement: Placement, failed: dict[str, Any] | None, *, today: dt.date, can_manage: bool
) -> list[CheckRow]:
    rows = []
    # The form of the first check-in that is due stands open (or the one that was refused).
    first_due = failed is None or failed.get("kind") != "check"
    for check in placement.checks.all():
        row = CheckRow(check)
        if check.done_on is None:
            row.overdue = check.due_on < today
            row.due_today = check.due_on == today
            if can_manage:
                auto_id = f"nazorg-{check.uuid}-%s"
                refused = refused_for(failed, "check", check.uuid)
                row.form = (
                    rebind(forms.CheckForm, refused, auto_id=auto_id)
                    if refused
                    else forms.CheckForm(
                        initial={"done_on": today, "version": check.version}, auto_id=auto_id
                    )
                )
                row.open_form = refused is not None or (first_due and check.due_on <= today)
                first_due = first_due and not row.open_form
        rows.append(row)
    return rows


def _detail_context(request: HttpRequest, placement: Placement) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    failed = request.session.pop(ERROR_KEY, None) if hasattr(request, "session") else None
    today = timezone.localdate()
    can_manage = access.can(actor, "placements.manage")
    is_open = placement.status in OPEN
    prefetch_related_objects(
        [placement], "conversation__meeting", "shortlist_entry__opportunity__employer"
    )
    chain = selectors.chain(placement)
    prefetch_related_objects(chain, "employer")
    checks = _check_rows(placement, failed, today=today, can_manage=can_manage)
    before_end = next(
        (
            row
            for row in checks
            if is_open
            and row.check.kind == AftercareCheck.Kind.BEFORE_END
            and row.check.done_on is None
            and row.check.due_on <= today
        ),
        None,
    )
    grant_form = assessment_form = outflow_form = jobcoach_form = None
    jobcoach_failed = refused_for(failed, "jobcoach", placement.uuid)
    outflow_failed = refused_for(failed, "outflow", placement.uuid)
    grant_failed = refused_for(failed, "grant", placement.uuid)
    assessment_failed = refused_for(failed, "assessment", placement.uuid)
    if can_manage:
        grant_form = (
            rebind(forms.GrantForm, grant_failed, auto_id="instrument-%s")
            if grant_failed
            else forms.GrantForm(auto_id="instrument-%s")
        )
        assessment_form = (
            rebind(forms.AssessmentForm, assessment_failed, auto_id="loonwaarde-%s")
            if assessment_failed
            else forms.AssessmentForm(initial={"assessed_on": today}, auto_id="loonwaarde-%s")
        )
        jobcoach_form = (
            rebind(forms.JobcoachForm, jobcoach_failed, auto_id="jobcoach-%s")
            if jobcoach_failed
            else forms.JobcoachForm(initial={"start_on": today}, auto_id="jobcoach-%s")
        )
        outflow_form = (
            rebind(forms.OutflowForm, outflow_failed, auto_id="uitstroom-%s")
            if outflow_failed
            else forms.OutflowForm(
                initial={
                    "outflow": placement.outflow,
                    "outflow_on": placement.outflow_on or placement.start_on,
                    "version": placement.version,
                },
                auto_id="uitstroom-%s",
            )
        )
    open_checks = [row for row in checks if row.check.done_on is None]
    return {
        "placement": placement,
        "candidate": placement.candidate,
        "status_badge": STATUS_BADGES.get(placement.status, "badge-neutral"),
        "is_open": is_open,
        "can_manage": can_manage,
        "can_change": can_manage and is_open,
        "chain": chain if len(chain) > 1 else [],
        "checks": checks,
        "checks_overdue": sum(1 for row in open_checks if row.overdue),
        "checks_open": len(open_checks),
        "before_end": before_end,
        "days_left": (placement.planned_end_on - today).days if placement.planned_end_on else None,
        "grants": list(placement.grants.all()),
        "assessments": list(placement.assessments.all()),
        "grant_form": grant_form,
        "grant_open": grant_failed is not None,
        "assessment_form": assessment_form,
        "assessment_open": assessment_failed is not None,
        "outflow_form": outflow_form,
        "jobcoach_form": jobcoach_form,
        "jobcoach_open": jobcoach_failed is not None,
        "jobcoaches": list(
            access.scoped(JobcoachAssignment, actor)
            .filter(candidate_id=placement.candidate_id)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        ),
        "can_see_meetings": access.can(actor, "meetings.view"),
        "can_see_employers": access.can(actor, "employers.view"),
        "today": today,
    }


@access_rule("placements.view")
@require_GET
def placement_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    placement = _placement(request, uuid)
    return render(request, "placements/placement_detail.html", _detail_context(request, placement))


# --- The small forms of the placement page --------------------------------------------------


@access_rule("placements.manage")
@require_POST
def record_check(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    check = access.get_for_view(
        AftercareCheck.objects.select_related("placement"), actor, uuid, purpose=PURPOSE
    )
    placement = check.placement
    back = _detail_url(placement, f"nazorg-{check.uuid}")
    form = forms.CheckForm(request.POST, auto_id=f"nazorg-{check.uuid}-%s")
    intro = _("The check-in was not saved:")
    if not form.is_valid():
        _refused(request, "check", check.uuid, form, None, intro)
        return redirect(back)
    try:
        services.record_check(
            actor=actor,
            check=check,
            done_on=form.cleaned_data["done_on"],
            still_working=form.cleaned_data["still_working"],
            notes=form.cleaned_data["notes"],
            next_step=form.cleaned_data["next_step"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _refused(request, "check", check.uuid, form, error, intro)
        return redirect(back)
    messages.success(
        request,
        _("The check-in “%(kind)s” has been recorded.") % {"kind": check.kind_label},
    )
    return redirect(_detail_url(placement, "nazorg"))


@access_rule("placements.manage")
@require_POST
def add_grant(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    placement = _placement(request, uuid)
    form = forms.GrantForm(
        request.POST, instance=InstrumentGrant(placement=placement), auto_id="instrument-%s"
    )
    intro = _("The instrument was not saved:")
    back = _detail_url(placement, "instrumenten")
    if not form.is_valid():
        _refused(request, "grant", placement.uuid, form, None, intro)
        return redirect(back)
    try:
        grant = services.add_grant(actor=actor, grant=form.instance)
    except ValidationError as error:
        _refused(request, "grant", placement.uuid, form, error, intro)
        return redirect(back)
    messages.success(request, _("%(kind)s has been recorded.") % {"kind": grant.get_kind_display()})
    return redirect(back)


@access_rule("placements.manage")
@require_POST
def add_assessment(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    placement = _placement(request, uuid)
    form = forms.AssessmentForm(
        request.POST,
        instance=LoonwaardeAssessment(placement=placement),
        auto_id="loonwaarde-%s",
    )
    intro = _("The loonwaarde was not saved:")
    back = _detail_url(placement, "loonwaarde")
    if not form.is_valid():
        _refused(request, "assessment", placement.uuid, form, None, intro)
        return redirect(back)
    try:
        done = services.assess_loonwaarde(actor=actor, assessment=form.instance)
    except ValidationError as error:
        _refused(request, "assessment", placement.uuid, form, error, intro)
        return redirect(back)
    messages.success(
        request,
        _("The loonwaarde of %(pct)s%% on %(date)s has been recorded.")
        % {"pct": done.pct, "date": done.assessed_on.strftime("%d-%m-%Y")},
    )
    return redirect(back)


@access_rule("placements.manage")
@require_POST
def record_outflow(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    placement = _placement(request, uuid)
    form = forms.OutflowForm(request.POST, auto_id="uitstroom-%s")
    intro = _("The effect on the benefit was not saved:")
    back = _detail_url(placement, "uitkering")
    if not form.is_valid():
        _refused(request, "outflow", placement.uuid, form, None, intro)
        return redirect(back)
    try:
        done = services.record_outflow(
            actor=actor,
            placement=placement,
            outflow=form.cleaned_data["outflow"],
            on=form.cleaned_data["outflow_on"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        _refused(request, "outflow", placement.uuid, form, error, intro)
        return redirect(back)
    messages.success(
        request,
        _("Saved: %(effect)s.") % {"effect": done.get_outflow_display().lower()},
    )
    return redirect(back)


@access_rule("placements.manage")
@require_POST
def assign_jobcoach(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A jobcoach for the person of this placement (the coaching follows them)."""
    actor = request.actor  # type: ignore[attr-defined]
    placement = _placement(request, uuid)
    form = forms.JobcoachForm(
        request.POST,
        instance=JobcoachAssignment(candidate_id=placement.candidate_id),
        auto_id="jobcoach-%s",
    )
    intro = _("The jobcoach was not saved:")
    back = _detail_url(placement, "jobcoach")
    if not form.is_valid():
        _refused(request, "jobcoach", placement.uuid, form, None, intro)
        return redirect(back)
    try:
        done = services.assign_jobcoach(actor=actor, assignment=form.instance)
    except ValidationError as error:
        _refused(request, "jobcoach", placement.uuid, form, error, intro)
        return redirect(back)
    messages.success(request, _("%(name)s is now the jobcoach.") % {"name": done.coach_name})
    return redirect(back)


# --- Converting and ending ------------------------------------------------------------------


@access_rule("placements.manage")
@require_http_methods(["GET", "POST"])
def placement_convert(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The next placement (a contract after a work-experience place), prefilled from this one;
    this one ends the day before the next starts."""
    actor = request.actor  # type: ignore[attr-defined]
    placement = _placement(request, uuid)
    closed = placement.status not in OPEN
    form = forms.PlacementForm(
        request.POST or None,
        actor=actor,
        initial=forms.conversion_initial(placement, timezone.localdate()),
    )
    if request.method == "POST" and not closed and form.is_valid():
        into = form.save(commit=False)
        into.candidate_id = placement.candidate_id
        into.owner_id = placement.owner_id  # aftercare stays with the same person
        try:
            new = services.convert(actor=actor, placement=placement, into=into)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The placement has been converted: %(kind)s from %(date)s, with its own "
                    "aftercare plan. The previous one ended the day before."
                )
                % {
                    "kind": new.get_kind_display().lower(),
                    "date": new.start_on.strftime("%d-%m-%Y"),
                },
            )
            return redirect(_detail_url(new))
    return render(
        request,
        "placements/placement_convert.html",
        {"placement": placement, "form": form, "closed": closed},
        status=400 if request.method == "POST" else 200,
    )


@access_rule("placements.manage")
@require_http_methods(["GET", "POST"])
def placement_end(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    placement = _placement(request, uuid)
    closed = placement.status not in OPEN
    today = timezone.localdate()
    planned = placement.planned_end_on
    form = forms.EndForm(
        request.POST or None,
        initial={"ended_on": planned if planned and planned < today else today},
    )
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.end(
                actor=actor,
                placement=placement,
                on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
                note=form.cleaned_data["end_note"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The placement has been ended. The later check-ins stay: they ask whether "
                    "%(name)s works elsewhere."
                )
                % {"name": placement.candidate},
            )
            return redirect(_detail_url(placement))
    return render(
        request,
        "placements/placement_end.html",
        {"placement": placement, "form": form, "closed": closed},
        status=400 if request.method == "POST" else 200,
    )


# --- The region's aftercare template ------------------------------------------------------


@access_rule("placements.policy")
@require_http_methods(["GET", "POST"])
def aftercare_policy(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    template = services.template_for(actor.region_id) if actor.region_id else None
    if template is None:
        raise PermissionDenied
    form = forms.AftercarePolicyForm(
        request.POST or None,
        initial={
            "first_week": template.first_week,
            "check_months": ", ".join(str(m) for m in template.check_months),
            "three_way_month": template.three_way_month,
            "end_alert_weeks": template.end_alert_weeks,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_aftercare_policy(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The aftercare plan has been saved. It applies to placements registered "
                    "from now on."
                ),
            )
            return redirect("placements:policy")
    return render(
        request,
        "placements/aftercare_policy.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("plaatsingen/", placement_list, name="list"),
    path("plaatsingen/nazorgplan/", aftercare_policy, name="policy"),
    path("plaatsingen/nieuw/", placement_create, name="create"),
    path("plaatsingen/<uuid:uuid>/", placement_detail, name="detail"),
    path("plaatsingen/<uuid:uuid>/omzetten/", placement_convert, name="convert"),
    path("plaatsingen/<uuid:uuid>/beeindigen/", placement_end, name="end"),
    path("plaatsingen/<uuid:uuid>/instrumenten/", add_grant, name="add_grant"),
    path("plaatsingen/<uuid:uuid>/loonwaarde/", add_assessment, name="add_assessment"),
    path("nazorg/<uuid:uuid>/vastleggen/", record_check, name="record_check"),
    path("plaatsingen/<uuid:uuid>/uitkering/", record_outflow, name="record_outflow"),
    path("plaatsingen/<uuid:uuid>/jobcoach/", assign_jobcoach, name="assign_jobcoach"),
]
