"""Case actions on candidates: handing over (one person or a whole file), consent recorded by
staff, contacts and appointments, the terugmelding and its acknowledgement, signals to the
benefits department and their decisions, the data-quality overview and the region's candidate
norms. Views translate HTTP to selector and service calls; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from werkbrug.candidates import forms_case, links, profile, selectors, services
from werkbrug.candidates.models import (
    Candidate,
    CandidatePolicy,
    ConsentScope,
    Handover,
    HandoverBatch,
    JourneyStatus,
    Return,
    ServiceEpisode,
    Signal,
    SignalDecision,
)
from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors

QUALITY_PAGE_SIZE = 50
#: How long acknowledged returns and decided signals stay on their lists.
RECENT_DAYS = 90
#: Relations completeness.py needs, prefetched so a list costs a fixed number of queries.
COMPLETENESS_PREFETCH = ("languages", "skills", "wished_occupations", "wished_skills", "experience")
#: What each data-quality check means (selectors.QUALITY_CHECKS), shown on the cards.
QUALITY_TEXT = {
    "onvolledig": (
        _lazy("Incomplete profiles"),
        _lazy("A required item of the profile is missing, so the candidate cannot be handed over."),
    ),
    "niet_gezien": (
        _lazy("Not seen for too long"),
        _lazy("Candidates in service without contact for longer than the norm of %(weeks)s weeks."),
    ),
    "geen_opleiding": (
        _lazy("Education level missing"),
        _lazy(
            "UWV's Kandidatenverkenner lacked the education level of 42%% of its job seekers, "
            "and that, not the algorithm, decided how few were placed. Fill it in for everyone."
        ),
    ),
    "doelgroep_verlopen": (
        _lazy("Expired target-group memberships"),
        _lazy(
            "A granted target-group membership (such as the job-agreement register) has passed "
            "its end date: check it again or end it."
        ),
    ),
    "termijn": (
        _lazy("Service period past %(months)s months"),
        _lazy(
            "In service for %(months)s months or longer; the standard term is %(max)s months. "
            "Decide on the next step with the candidate and their client manager."
        ),
    ),
}


# --- Helpers --------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> access.Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _candidate(request: HttpRequest, uuid: Any, purpose: str) -> Candidate:
    """The candidate, if the actor may see the whole record (not the anonymous pool view)."""
    candidate = selectors.candidate_for_view(actor=_actor(request), uuid=uuid, purpose=purpose)
    if not getattr(candidate, "full_access", False):
        raise Http404
    return candidate


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _policy(actor: access.Actor) -> CandidatePolicy:
    return services.policy_for(actor.region_id) if actor.region_id else CandidatePolicy()


def _months(start: dt.date, today: dt.date) -> int:
    return max(services.months_between(start, today), 0)


def _to_detail(candidate: Candidate) -> HttpResponse:
    return redirect("candidates:detail", uuid=candidate.uuid)


# --- Handover of one candidate --------------------------------------------------------------


@access_rule("candidates.handover")
def handover(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "handover")
    policy = _policy(actor)
    result = profile.completeness_for(candidate, stale_months=policy.profile_stale_months)
    form = forms_case.HandoverForm(request.POST or None, actor=actor)
    refused: tuple[str, ...] = ()
    if request.method == "POST" and result.ready_for_handover and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.hand_over(
                candidate,
                actor=actor,
                to_staff=data["to_staff"],
                on=data["on"],
                warm=data["warm"],
                note=data["note"],
            )
        except services.IncompleteProfile as error:  # changed since the page was opened
            refused = tuple(error.missing)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been handed over to %(to)s on %(on)s.")
                % {
                    "name": candidate.full_name,
                    "to": done.to_staff,
                    "on": done.on.strftime("%d-%m-%Y"),
                },
            )
            return _to_detail(candidate)
    missing = refused or result.missing_required
    history = list(
        access.scoped(Handover.objects.filter(candidate=candidate), actor).select_related(
            "from_staff__user", "to_staff__user", "from_staff__organisation"
        )
    )
    return render(
        request,
        "candidates/case_handover.html",
        {
            "candidate": candidate,
            "result": result,
            "ready": not missing,
            "refused": bool(refused),
            "missing": links.missing_items(candidate, missing),
            "recommended": links.missing_items(candidate, result.missing_recommended),
            "form": form,
            "history": history,
        },
    )


# --- Handing over a file --------------------------------------------------------------------


def _file_candidates(actor: access.Actor, steps: list[int], segment: str) -> Any:
    """The municipality's candidates still in its caseload, fully visible to the actor."""
    flt = selectors.CaseloadFilter(
        status=JourneyStatus.IN_CASELOAD,
        segment=segment,
        municipality_id=actor.municipality_id,
    )
    queryset = selectors.caseload(actor=actor, flt=flt).filter(full_access=True)
    if steps:
        queryset = queryset.filter(ladder_step__in=steps)
    return queryset.prefetch_related(*COMPLETENESS_PREFETCH)


@access_rule("candidates.handover")
def handover_file(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.municipality_id is None:
        raise Http404
    filter_form = forms_case.HandoverFileFilterForm(request.GET)
    steps, segment = filter_form.values()
    queryset = _file_candidates(actor, steps, segment)
    form = forms_case.HandoverFileForm(request.POST or None, actor=actor, candidates=queryset)
    confirming = False
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["kandidaat"])
        if request.POST.get("stap") == "overdragen":
            batch = services.hand_over_file(
                actor=actor,
                candidates=chosen,
                to_staff=form.cleaned_data["to_staff"],
                note=form.cleaned_data["note"],
            )
            return redirect("candidates:handover_batch", uuid=batch.uuid)
        confirming = True
    policy = _policy(actor)
    candidates = list(queryset)
    rows = []
    for candidate in candidates:
        result = profile.completeness_for(candidate, stale_months=policy.profile_stale_months)
        rows.append({"candidate": candidate, "result": result})
    chosen_uuids = {str(v) for v in (form["kandidaat"].value() or [])}
    pick = request.GET.get("kies", "")
    if not form.is_bound:
        if pick == "alle":
            chosen_uuids = {str(r["candidate"].uuid) for r in rows}
        elif pick == "compleet":
            chosen_uuids = {
                str(r["candidate"].uuid) for r in rows if r["result"].ready_for_handover
            }
    for row in rows:
        row["checked"] = str(row["candidate"].uuid) in chosen_uuids
    chosen_rows = [row for row in rows if row["checked"]]
    query = request.GET.copy()
    query.pop("kies", None)
    return render(
        request,
        "candidates/case_handover_file.html",
        {
            "filter_form": filter_form,
            "form": form,
            "rows": rows,
            "complete_count": sum(1 for r in rows if r["result"].ready_for_handover),
            "confirming": confirming,
            "chosen_rows": chosen_rows,
            "chosen_complete": sum(1 for r in chosen_rows if r["result"].ready_for_handover),
            "chosen_incomplete": sum(1 for r in chosen_rows if not r["result"].ready_for_handover),
            "query": query.urlencode(),
            "municipality": candidates[0].municipality if candidates else None,
        },
    )


@access_rule("candidates.handover")
def handover_batch(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    batch = access.get_for_view(
        HandoverBatch.objects.select_related(
            "municipality", "from_staff__user", "to_staff__user", "to_staff__organisation"
        ),
        actor,
        uuid,
        purpose="handover",
    )
    handed = list(
        access.scoped(Handover.objects.filter(batch=batch), actor)
        .select_related("candidate")
        .order_by("candidate__last_name", "candidate__first_name", "id")
    )
    refused = [dict(row) for row in batch.refused]
    for row in refused:
        row["handover_url"] = reverse("candidates:handover", kwargs={"uuid": row["candidate"]})
    return render(
        request,
        "candidates/case_handover_batch.html",
        {"batch": batch, "handed": handed, "refused": refused},
    )


# --- Consent --------------------------------------------------------------------------------


@access_rule("candidates.consent")
def consent_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "consent")
    form = forms_case.ConsentForm(request.POST or None, actor=actor, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.grant_consent(
                candidate,
                actor=actor,
                scope=data["scope"],
                via=data["via"],
                employer=data.get("employer"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            text = _("Consent recorded: %(what)s.") % {"what": consent.get_scope_display()}
            if consent.employer_id:
                text = _("Consent recorded: %(what)s (%(employer)s).") % {
                    "what": consent.get_scope_display(),
                    "employer": consent.employer,
                }
            messages.success(request, text)
            return _to_detail(candidate)
    history = selectors.consent_history(candidate, actor=actor)
    return render(
        request,
        "candidates/case_consent.html",
        {
            "candidate": candidate,
            "form": form,
            "scope_rows": _radio_rows(form, "scope", forms_case.CONSENT_EXPLANATIONS),
            "in_force": [c for c in history if c.withdrawn_at is None],
            "withdrawn": [c for c in history if c.withdrawn_at is not None],
        },
    )


def _radio_rows(form: Any, name: str, texts: dict[Any, Any]) -> list[dict[str, Any]]:
    """The radio buttons of a choice field, each with its one-line explanation."""
    return [{"radio": radio, "text": texts.get(radio.data["value"], "")} for radio in form[name]]


@access_rule("candidates.consent")
def consent_withdraw(request: HttpRequest, uuid: Any, item: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "consent")
    consent = selectors.consent_for(candidate, item, actor=actor)
    if consent is None:
        raise Http404
    if consent.withdrawn_at is not None:
        messages.info(request, _("This consent had already been withdrawn."))
        return _to_detail(candidate)
    form = forms_case.ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = services.withdraw_consent(
                consent, actor=actor, via=form.cleaned_data["via"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            text = _("Consent withdrawn: %(what)s. It no longer applies, from now on.") % {
                "what": consent.get_scope_display()
            }
            if len(withdrawn) > 1:
                text += " " + _(
                    "Sharing limitations with this employer has been withdrawn too, because it "
                    "depends on sharing the profile."
                )
            messages.success(request, text)
            return _to_detail(candidate)
    return render(
        request,
        "candidates/case_consent_withdraw.html",
        {
            "candidate": candidate,
            "consent": consent,
            "form": form,
            "text": forms_case.CONSENT_EXPLANATIONS[consent.scope],
            "also_limitations": consent.scope == ConsentScope.SHARE_WITH_EMPLOYER,
        },
    )


# --- Contact and appointment ---------------------------------------------------------------


@access_rule("candidates.contact")
def contact_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "contact")
    form = forms_case.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = services.record_contact(
                candidate,
                actor=actor,
                at=data["at"],
                channel=data["channel"],
                summary=data["summary"],
                agreements=data["agreements"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The contact of %(at)s has been saved.")
                % {"at": timezone.localtime(contact.at).strftime("%d-%m-%Y %H:%M")},
            )
            return _to_detail(candidate)
    return render(
        request,
        "candidates/case_form.html",
        {
            "candidate": candidate,
            "form": form,
            "title": _("Log a contact"),
            "intro": _(
                "Every conversation counts: the last contact date drives the alerts for "
                "candidates not seen for too long."
            ),
            "button": _("Save contact"),
        },
    )


@access_rule("candidates.contact")
def appointment_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "appointment")
    form = forms_case.AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.plan_appointment(
                candidate,
                actor=actor,
                starts_at=data["starts_at"],
                minutes=data["minutes"],
                subject=data["subject"],
                location=data["location"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The appointment on %(at)s has been planned.")
                % {"at": timezone.localtime(appointment.starts_at).strftime("%d-%m-%Y %H:%M")},
            )
            return _to_detail(candidate)
    return render(
        request,
        "candidates/case_form.html",
        {
            "candidate": candidate,
            "form": form,
            "title": _("Plan an appointment"),
            "intro": "",
            "button": _("Plan appointment"),
        },
    )


# --- Return (terugmelding) -----------------------------------------------------------------


@access_rule("candidates.return")
def return_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "return")
    form = forms_case.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ret = services.send_return(
                candidate,
                actor=actor,
                reason=data["reason"],
                explanation=data["explanation"],
                instruments_tried=form.instruments_tried(),
                recommended_next_step=data["recommended_next_step"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been returned to %(to)s. They see your explanation and advice.")
                % {"name": candidate.full_name, "to": ret.receiver},
            )
            return _to_detail(candidate)
    today = timezone.localdate()
    episode = (
        access.scoped(ServiceEpisode.objects.filter(candidate=candidate, end__isnull=True), actor)
        .order_by("-start")
        .first()
    )
    return render(
        request,
        "candidates/case_return.html",
        {
            "candidate": candidate,
            "form": form,
            "reason_rows": _radio_rows(form, "reason", forms_case.RETURN_EXPLANATIONS),
            "episode": episode,
            "months": _months(episode.start, today) if episode else None,
            "policy": _policy(actor),
        },
    )


@access_rule("candidates.view")
def return_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    open_returns = list(selectors.open_returns(actor=actor).select_related("sent_by__organisation"))
    mine = [r for r in open_returns if r.receiver_id == actor.staff_id]
    others = [r for r in open_returns if r.receiver_id != actor.staff_id]
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    recent = list(
        access.scoped(Return, actor)
        .filter(acknowledged_at__gte=since)
        .select_related(
            "candidate",
            "sent_by__user",
            "sent_by__organisation",
            "receiver__user",
            "acknowledged_by__user",
        )
        .order_by("-acknowledged_at", "-id")[:50]
    )
    for ret in [*open_returns, *recent]:
        ret.reason_text = forms_case.RETURN_EXPLANATIONS.get(ret.reason, "")
    return render(
        request,
        "candidates/case_returns.html",
        {
            "mine": mine,
            "others": others,
            "recent": recent,
            "recent_days": RECENT_DAYS,
            "can_ack": access.can(actor, "candidates.return_ack"),
        },
    )


@access_rule("candidates.return_ack")
@require_POST
def return_acknowledge(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    ret = access.get_for_view(
        Return.objects.select_related("candidate"), actor, uuid, purpose="return"
    )
    services.acknowledge_return(ret, actor=actor)
    messages.success(
        request,
        _("You have acknowledged the return of %(name)s.") % {"name": ret.candidate.full_name},
    )
    return redirect(_safe_next(request, reverse("candidates:returns")))


# --- Signals --------------------------------------------------------------------------------


@access_rule("candidates.signal")
def signal_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    candidate = _candidate(request, uuid, "signal")
    form = forms_case.SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_signal(
                candidate,
                actor=actor,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                description=data["description"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The signal has been sent to the municipality. You will see its decision "
                    "under Signals."
                ),
            )
            return _to_detail(candidate)
    return render(
        request,
        "candidates/case_form.html",
        {
            "candidate": candidate,
            "form": form,
            "title": _("Report a signal"),
            "intro": _(
                "A signal tells the municipality's benefits department that the candidate did "
                "not keep to their obligations. The municipality decides whether a measure "
                "follows and tells you its decision."
            ),
            "button": _("Send signal"),
        },
    )


@access_rule("candidates.view")
def signal_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    pending = list(selectors.pending_signals(actor=actor))
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    decided = list(
        access.scoped(Signal, actor)
        .exclude(decision=SignalDecision.PENDING)
        .filter(decided_on__gte=since)
        .select_related("candidate", "reported_by__user", "decided_by__user")
        .order_by("-decided_on", "-id")[:100]
    )
    return render(
        request,
        "candidates/case_signals.html",
        {
            "pending": pending,
            "decided": decided,
            "recent_days": RECENT_DAYS,
            "can_decide": access.can(actor, "candidates.signal_decide"),
        },
    )


@access_rule("candidates.signal_decide")
def signal_decide(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = _actor(request)
    signal = access.get_for_view(
        Signal.objects.select_related("candidate", "reported_by__user", "decided_by__user"),
        actor,
        uuid,
        purpose="signal",
    )
    form = forms_case.SignalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_signal(
                signal,
                actor=actor,
                decision=data["decision"],
                note=data["note"],
                decided_on=data["decided_on"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The decision has been saved. %(name)s sees it in the list of signals.")
                % {"name": signal.reported_by},
            )
            return redirect("candidates:signals")
    return render(request, "candidates/case_signal_decide.html", {"signal": signal, "form": form})


# --- Data quality ---------------------------------------------------------------------------


def _quality_text(check: str, policy: CandidatePolicy) -> tuple[str, str]:
    title, text = QUALITY_TEXT[check]
    values = {
        "weeks": policy.weeks_without_contact,
        "months": policy.first_alert_months,
        "max": policy.max_term_months,
    }
    return str(title) % values, str(text) % values


@access_rule("candidates.quality")
def quality(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    policy = _policy(actor)
    counts = selectors.quality_counts(actor=actor)
    cards = []
    for check in selectors.QUALITY_CHECKS:
        title, text = _quality_text(check, policy)
        cards.append({"check": check, "title": title, "text": text, "count": counts[check]})
    today = timezone.localdate()
    alerts_qs = selectors.episode_alerts(actor=actor, today=today)
    alert_total = alerts_qs.count()
    alerts = []
    for episode in alerts_qs[:QUALITY_PAGE_SIZE]:
        months = _months(episode.start, today)
        alerts.append(
            {
                "episode": episode,
                "months": months,
                "max_reached": months >= episode.max_term_months,
            }
        )
    return render(
        request,
        "candidates/case_quality.html",
        {
            "cards": cards,
            "alerts": alerts,
            "alert_total": alert_total,
            "alerts_cut": alert_total > len(alerts),
            "policy": policy,
        },
    )


@access_rule("candidates.quality")
def quality_check(request: HttpRequest, check: str) -> HttpResponse:
    actor = _actor(request)
    if check not in selectors.QUALITY_CHECKS:
        raise Http404
    policy = _policy(actor)
    queryset = selectors.quality_queryset(check, actor=actor)
    if check == "onvolledig":
        queryset = queryset.prefetch_related(*COMPLETENESS_PREFETCH)
    page = Paginator(queryset, QUALITY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = []
    for candidate in page.object_list:
        row: dict[str, Any] = {"candidate": candidate}
        if check == "onvolledig":
            result = profile.completeness_for(candidate, stale_months=policy.profile_stale_months)
            row["missing"] = len(result.missing_required)
            row["score"] = result.score
        rows.append(row)
    title, text = _quality_text(check, policy)
    return render(
        request,
        "candidates/case_quality_check.html",
        {"check": check, "title": title, "text": text, "page": page, "rows": rows},
    )


# --- The region's candidate norms ----------------------------------------------------------


@transaction.atomic
@access_rule("candidates.policy")
def policy(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.region_id is None:
        raise Http404
    current = (
        access.scoped(CandidatePolicy, actor)
        .select_related("region")
        .filter(region_id=actor.region_id)
        .first()
    ) or CandidatePolicy(region_id=actor.region_id)
    form = forms_case.CandidatePolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(
                actor=actor,
                policy=form.instance,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The candidate norms have been saved."))
            return redirect("candidates:policy")
    return render(
        request,
        "candidates/case_policy.html",
        {"form": form, "region": current.region if current.region_id else None},
    )


urlpatterns = [
    path("kandidaten/overdracht/", handover_file, name="handover_file"),
    path("kandidaten/overdracht/<uuid:uuid>/", handover_batch, name="handover_batch"),
    path("kandidaten/<uuid:uuid>/overdragen/", handover, name="handover"),
    path("kandidaten/<uuid:uuid>/toestemming/", consent_add, name="consent_add"),
    path(
        "kandidaten/<uuid:uuid>/toestemming/<uuid:item>/intrekken/",
        consent_withdraw,
        name="consent_withdraw",
    ),
    path("kandidaten/<uuid:uuid>/contact/", contact_add, name="contact_add"),
    path("kandidaten/<uuid:uuid>/afspraak/", appointment_add, name="appointment_add"),
    path("kandidaten/<uuid:uuid>/terugmelden/", return_add, name="return_add"),
    path("kandidaten/<uuid:uuid>/signaal/", signal_add, name="signal_add"),
    path("terugmeldingen/", return_list, name="returns"),
    path("terugmeldingen/<uuid:uuid>/bevestigen/", return_acknowledge, name="return_ack"),
    path("signalen/", signal_list, name="signals"),
    path("signalen/<uuid:uuid>/besluit/", signal_decide, name="signal_decide"),
    path("datakwaliteit/", quality, name="quality"),
    path("datakwaliteit/<slug:check>/", quality_check, name="quality_check"),
    path("beheer/kandidaatnormen/", policy, name="policy"),
]
