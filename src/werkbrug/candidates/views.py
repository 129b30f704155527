"""Staff pages of the candidate caseload: the caseload list, the candidate page (full record or
anonymous regional-pool profile), registering, editing the record section by section, languages,
work experience, target groups, the ladder step, health and limitations, confirming the profile
and the portal account. Case actions (handover, consent, contacts, returns, signals) live in
views_case.py. Views translate HTTP to selector and service calls; the rules live there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from werkbrug.candidates import forms, links, profile, selectors, services
from werkbrug.candidates.models import (
    Candidate,
    HealthProfile,
    JourneyStatus,
    MembershipStatus,
)
from werkbrug.core import access, audit
from werkbrug.core.bsn import reveal_bsn
from werkbrug.core.pagination import DEFAULT_CAP, CappedPaginator
from werkbrug.core.pseudonymisation import mask_bsn
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.meetings import selectors as meeting_selectors

PAGE_SIZE = 50
TALENTS_WORDS = 14

#: Where each completeness item is filled in: (url name, ?deel=, field anchor).

PURPOSE_PAGE = "candidate page"
PURPOSE_EDIT = "edit candidate"
PURPOSE_BSN = "BSN tonen"


# --- Helpers --------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> access.Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


def _query_with_sort(request: HttpRequest, sort: str) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    query["sortering"] = sort
    return query.urlencode()


def _full_candidate(request: HttpRequest, uuid: Any, purpose: str = PURPOSE_EDIT) -> Candidate:
    """The candidate, only if the actor may see the whole record (else 404: an anonymous pool
    profile is not there to be changed)."""
    candidate = selectors.candidate_for_view(actor=_actor(request), uuid=uuid, purpose=purpose)
    if not candidate.full_access:  # type: ignore[attr-defined]
        raise Http404
    return candidate


def _shown_count(count: int) -> str:
    """A capped count for display: "1000+" when there are more than the cap."""
    return f"{DEFAULT_CAP}+" if count > DEFAULT_CAP else str(count)


def _detail_url(candidate: Candidate, anchor: str = "") -> str:
    url = reverse("candidates:detail", kwargs={"uuid": candidate.uuid})
    return f"{url}#{anchor}" if anchor else url


def _weeks_since(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if moment is None else (now - moment).days // 7


def _not_seen(candidate: Candidate, *, now: dt.datetime, weeks: int) -> int | None:
    """Weeks without contact when over the norm (None when within it or not being worked with);
    0 means never seen."""
    if candidate.status not in selectors.ACTIVE_STATUSES:
        return None
    if candidate.last_contact_at is None:
        return 0
    since = _weeks_since(candidate.last_contact_at, now) or 0
    return since if candidate.last_contact_at < now - dt.timedelta(weeks=weeks) else None


def _masked_bsn(candidate: Candidate) -> tuple[str, str]:
    """(masked, full) BSN; both empty when the stored value cannot be read."""
    try:
        full = reveal_bsn(candidate.bsn_encrypted)
    except Exception:  # a rotated key or damaged value must not break the page
        return "", ""
    return mask_bsn(full), full


def _is_worker(actor: access.Actor, candidate: Candidate) -> bool:
    return actor.is_superuser or (
        actor.staff_id is not None
        and actor.staff_id in (candidate.client_manager_id, candidate.consultant_id)
    )


# --- The caseload ---------------------------------------------------------------------------


@access_rule("candidates.view")
def caseload(request: HttpRequest, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    form = forms.CaseloadFilterForm(request.GET or None, actor=actor)
    flt = form.to_filter()
    page = CappedPaginator(
        selectors.caseload(actor=actor, flt=flt),
        PAGE_SIZE,
        count=lambda: selectors.caseload_count(actor=actor, flt=flt),
    ).get_page(request.GET.get("pagina"))
    weeks = services.policy_for(actor.region_id).weeks_without_contact if actor.region_id else 6
    now = timezone.now()
    rows = [
        {
            "candidate": c,
            "full": c.full_access,
            "not_seen": _not_seen(c, now=now, weeks=weeks) if c.full_access else None,
        }
        for c in page.object_list
    ]
    current_sort = flt.sort if flt.sort in selectors.SORTS else "naam"
    sorts = {
        column: _query_with_sort(
            request, f"-{column}" if current_sort == column else column.lstrip("-")
        )
        for column in ("naam", "laatste_contact", "trede")
    }
    filtered = any(v for k, v in request.GET.items() if k not in ("pagina", "sortering", "toon"))
    view = form.cleaned_data.get("toon", "") if form.is_bound and form.is_valid() else ""
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    # The tabs are only on the full page; a filter change (htmx) replaces just the rows.
    counts = {} if htmx else selectors.tab_counts(actor=actor)
    tab_counts = {
        "": counts.get("all", 0),
        forms.VIEW_MINE: counts.get("mine", 0),
        forms.VIEW_MUNICIPALITY: counts.get("municipality", 0),
        forms.VIEW_POOL: counts.get("pool", 0),
    }
    tabs = []
    for code, label in form.fields["toon"].choices:
        query = request.GET.copy()
        query.pop("pagina", None)
        if code:
            query["toon"] = code
        else:
            query.pop("toon", None)
        tabs.append(
            {
                "code": code,
                "label": label,
                "count": _shown_count(tab_counts.get(code, 0)),
                "query": query.urlencode(),
                "active": code == view,
            }
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "tabs": tabs,
        "view": view,
        "weeks": weeks,
        "sort": current_sort,
        "sorts": sorts,
        "filtered": filtered,
        "query": _query_without_page(request),
        "can_create": access.can(actor, "candidates.create"),
        "can_handover": access.can(actor, "candidates.handover"),
        "can_import": access.can(actor, "candidates.import"),
        "can_quality": access.can(actor, "candidates.quality"),
    }
    template = "candidates/staff_caseload_rows.html" if htmx else "candidates/staff_caseload.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Register -------------------------------------------------------------------------------


@access_rule("candidates.create")
def candidate_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    form = forms.CandidateCreateForm(request.POST or None, actor=actor, instance=Candidate())
    existing: Candidate | None = None
    existing_hidden = False
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.register_candidate(
                actor=actor,
                bsn=form.cleaned_data["bsn"],
                municipality=form.cleaned_data["municipality"],
                data=form.data_for_service(),
            )
        except services.DuplicateCandidate as duplicate:
            if services.has_full_access(actor, duplicate.existing):
                existing = duplicate.existing
                form.add_error(
                    "bsn",
                    _(
                        "This person is already registered. Open the existing record instead "
                        "of registering them twice."
                    ),
                )
            else:
                existing_hidden = True
                form.add_error(
                    "bsn",
                    _(
                        "This person is already registered in the region, in a caseload you "
                        "cannot open. Ask your team lead who works with them."
                    ),
                )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been added to the caseload. Fill in the profile next.")
                % {"name": candidate.full_name},
            )
            return redirect("candidates:detail", uuid=candidate.uuid)
    return render(
        request,
        "candidates/staff_create.html",
        {"form": form, "existing": existing, "existing_hidden": existing_hidden},
    )


# --- The candidate page ---------------------------------------------------------------------


@access_rule("candidates.view")
@require_http_methods(["GET", "HEAD", "POST"])
def candidate_detail(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = selectors.candidate_for_view(actor=actor, uuid=uuid, purpose=PURPOSE_PAGE)
    if not candidate.full_access:  # type: ignore[attr-defined]
        if request.method == "POST":
            raise PermissionDenied("anonymous profile")
        return _anonymous_page(request, candidate)

    masked, full_bsn = _masked_bsn(candidate)
    show_bsn = request.method == "POST" and request.POST.get("bsn") == "tonen"
    if show_bsn and full_bsn:
        audit.log_access(candidate, purpose=PURPOSE_BSN, action="disclose")
    if request.method == "POST" and request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "candidates/staff_bsn.html",
            {"candidate": candidate, "masked": masked, "full_bsn": full_bsn, "show_bsn": show_bsn},
        )

    today = timezone.localdate()
    policy = services.policy_for(candidate.region_id)
    result = profile.completeness_for(candidate, stale_months=policy.profile_stale_months)
    records = selectors.case_records(candidate, actor=actor)
    consents = records["consents"]
    episodes = records["episodes"]
    open_episode = next((e for e in episodes if e.end is None), None)  # type: ignore[attr-defined]
    episode_months = services.months_between(open_episode.start, today) if open_episode else None
    target_groups = [
        {
            "item": m,
            "expired": m.status == MembershipStatus.GRANTED
            and m.valid_to is not None
            and m.valid_to < today,
            "valid": m.is_valid_on(today),
        }
        for m in records["target_groups"]  # type: ignore[attr-defined]
    ]
    health = records["health"]
    is_worker = _is_worker(actor, candidate)
    can_health = access.can(actor, "candidates.health") and is_worker
    now = timezone.now()
    return render(
        request,
        "candidates/staff_detail.html",
        {
            "candidate": candidate,
            "masked_bsn": masked,
            "full_bsn": full_bsn,
            "show_bsn": show_bsn,
            "completeness": result,
            # Still with the municipality: the profile is being made ready for a handover.
            "with_municipality": candidate.status
            in (JourneyStatus.IN_CASELOAD, JourneyStatus.RETURNED),
            "missing": links.missing_items(candidate, result.missing),
            "records": records,
            "consents_in_force": [c for c in consents if c.withdrawn_at is None],  # type: ignore[attr-defined]
            "consents_past": [c for c in consents if c.withdrawn_at is not None],  # type: ignore[attr-defined]
            "open_episode": open_episode,
            "episode_months": episode_months,
            "episode_first_alert": episode_months is not None
            and episode_months >= policy.first_alert_months,
            "episode_max_reached": open_episode is not None
            and episode_months is not None
            and episode_months >= open_episode.max_term_months,
            "policy": policy,
            "target_groups": target_groups,
            "show_health": health is not None or can_health,
            "health": health,
            "can_health": can_health,
            "not_seen": _not_seen(candidate, now=now, weeks=policy.weeks_without_contact),
            "weeks_since_contact": _weeks_since(candidate.last_contact_at, now),
            "today": today,
            "can_edit": access.can(actor, "candidates.edit"),
            "can_handover": access.can(actor, "candidates.handover"),
            "can_consent": access.can(actor, "candidates.consent"),
            "can_contact": access.can(actor, "candidates.contact"),
            "can_return": access.can(actor, "candidates.return"),
            "can_signal": access.can(actor, "candidates.signal"),
            "can_suggest": access.can(actor, "matching.suggest"),
            "can_place": access.can(actor, "placements.manage"),
            "can_privacy": access.can(actor, "privacy.requests"),
            "meetings": meeting_selectors.candidate_meetings(actor, candidate)
            if access.can(actor, "meetings.view")
            else [],
        },
    )


def _anonymous_page(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """The regional-pool view: what someone can and wants, never who they are."""
    worker = candidate.consultant or candidate.client_manager
    team = worker.team if worker is not None else None
    return render(
        request,
        "candidates/staff_detail_anonymous.html",
        {
            "candidate": candidate,
            "team": team,
            "organisation": worker.organisation if worker is not None else None,
        },
    )


# --- Edit -----------------------------------------------------------------------------------


@access_rule("candidates.edit")
def candidate_edit(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    section = request.GET.get("deel") or "persoonlijk"
    if section not in forms.SECTIONS:
        raise Http404
    candidate = _full_candidate(request, uuid)
    form_class, title = forms.SECTIONS[section]
    form = form_class(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_candidate(
                candidate,
                actor=actor,
                data=form.data_for_service(),
                relations=form.relations_for_service(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_detail_url(candidate, f"deel-{section}"))
    return render(
        request,
        "candidates/staff_edit.html",
        {
            "candidate": candidate,
            "form": form,
            "section": section,
            "title": title,
            "sections": [(code, label) for code, (_cls, label) in forms.SECTIONS.items()],
        },
    )


@access_rule("candidates.edit")
def caseworkers(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    """Who the candidate's client manager is, and (after a move) their municipality."""
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    form = forms.CaseworkersForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_caseworkers(
                candidate,
                actor=actor,
                client_manager=form.cleaned_data["client_manager"],
                municipality=form.cleaned_data["municipality"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_detail_url(candidate, ""))
    return render(
        request, "candidates/staff_caseworkers.html", {"candidate": candidate, "form": form}
    )


@access_rule("candidates.edit")
def languages_edit(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    initial = [{"language": row.language, "level": row.level} for row in candidate.languages.all()]
    formset = forms.LanguageFormSet(request.POST or None, initial=initial, prefix="taal")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = [
            (f.cleaned_data.get("language", ""), f.cleaned_data.get("level", ""))
            for f in formset.forms
            if f.cleaned_data.get("language")
        ]
        try:
            services.set_languages(candidate, actor=actor, languages=rows)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The languages have been saved."))
            return redirect(_detail_url(candidate, "deel-profiel"))
    return render(
        request,
        "candidates/staff_languages.html",
        {"candidate": candidate, "formset": formset, "service_errors": errors},
    )


@access_rule("candidates.edit")
def experience_add(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    form = forms.WorkExperienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_work_experience(candidate, actor=actor, data=form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The work experience has been added."))
            return redirect("candidates:experience_add", uuid=candidate.uuid)
    return render(
        request,
        "candidates/staff_experience.html",
        {"candidate": candidate, "form": form, "rows": list(candidate.experience.all())},
    )


@access_rule("candidates.edit")
@require_POST
def experience_delete(request: HttpRequest, uuid: Any, item: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    try:
        row = access.get_for_view(candidate.experience.all(), actor, item, purpose=PURPOSE_EDIT)
    except Http404:
        # Gone already (a double click, or a colleague was first): nothing left to do.
        messages.info(request, _("This work experience was already removed."))
    else:
        services.remove_work_experience(row, actor=actor)
        messages.success(request, _("The work experience has been removed."))
    return redirect("candidates:experience_add", uuid=candidate.uuid)


@access_rule("candidates.edit")
def target_group_add(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    form = forms.TargetGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_target_group(candidate, actor=actor, data=form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The target group has been added."))
            return redirect(_detail_url(candidate, "deel-praktisch"))
    records = selectors.case_records(candidate, actor=actor)
    return render(
        request,
        "candidates/staff_target_groups.html",
        {
            "candidate": candidate,
            "form": form,
            "rows": records["target_groups"],
            "today": timezone.localdate(),
        },
    )


@access_rule("candidates.edit")
def ladder_step(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    form = forms.LadderStepForm(
        request.POST or None,
        initial={"step": candidate.ladder_step, "assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_ladder_step(
                candidate,
                actor=actor,
                step=form.cleaned_data["step"],
                assessed_on=form.cleaned_data["assessed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The ladder step has been recorded."))
            return redirect(_detail_url(candidate, "deel-praktisch"))
    records = selectors.case_records(candidate, actor=actor)
    return render(
        request,
        "candidates/staff_ladder.html",
        {"candidate": candidate, "form": form, "history": records["ladder_history"]},
    )


@access_rule("candidates.health")
def health_edit(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid, purpose="health and limitations")
    if not _is_worker(actor, candidate):
        raise PermissionDenied("health: not this candidate's caseworker")
    health = selectors.health_for(candidate, actor=actor) or HealthProfile(candidate=candidate)
    form = forms.HealthForm(request.POST or None, instance=health)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_health(
                candidate,
                actor=actor,
                data={name: form.cleaned_data[name] for name in forms.HealthForm.Meta.fields},
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Health and limitations have been saved."))
            return redirect(_detail_url(candidate, "deel-gezondheid"))
    return render(request, "candidates/staff_health.html", {"candidate": candidate, "form": form})


@access_rule("candidates.edit")
@require_POST
def confirm_profile(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    services.confirm_profile(candidate, actor=actor)
    messages.success(request, _("The profile is confirmed as up to date."))
    return redirect(_detail_url(candidate))


@access_rule("candidates.edit")
def portal_account(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    actor = _actor(request)
    candidate = _full_candidate(request, uuid)
    form = forms.PortalAccountForm(
        request.POST or None, initial={"username": candidate.email or ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.give_portal_account(
                candidate, actor=actor, username=form.cleaned_data["username"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The account has been made. The candidate sets a password with “Forgot "
                    "password” on the log-in page, using the e-mail address %(email)s."
                )
                % {"email": candidate.email},
            )
            return redirect(_detail_url(candidate))
    return render(
        request, "candidates/staff_portal_account.html", {"candidate": candidate, "form": form}
    )


urlpatterns = [
    path("kandidaten/", caseload, name="caseload"),
    path("kandidaten/nieuw/", candidate_create, name="create"),
    path("kandidaten/<uuid:uuid>/", candidate_detail, name="detail"),
    path("kandidaten/<uuid:uuid>/bewerken/", candidate_edit, name="edit"),
    path("kandidaten/<uuid:uuid>/klantmanager/", caseworkers, name="caseworkers"),
    path("kandidaten/<uuid:uuid>/talen/", languages_edit, name="languages"),
    path("kandidaten/<uuid:uuid>/werkervaring/", experience_add, name="experience_add"),
    path(
        "kandidaten/<uuid:uuid>/werkervaring/<uuid:item>/verwijderen/",
        experience_delete,
        name="experience_delete",
    ),
    path("kandidaten/<uuid:uuid>/doelgroepen/", target_group_add, name="target_group_add"),
    path("kandidaten/<uuid:uuid>/gezondheid/", health_edit, name="health"),
    path("kandidaten/<uuid:uuid>/trede/", ladder_step, name="ladder"),
    path("kandidaten/<uuid:uuid>/bevestigen/", confirm_profile, name="confirm"),
    path("kandidaten/<uuid:uuid>/account/", portal_account, name="portal_account"),
]
