"""The candidate portal ("Mijn profiel") and the employer's view of the candidates shared with
their company ("Mijn bedrijf → Kandidaten").

A candidate sees their own record only: it is always looked up as *the record linked to the
logged-in user*, through ``access.scoped`` (never from an id in the request), and a user
without a linked record gets a 404. What they are good at comes first (R12); who helps them
is named with a phone number (R14); their consents are explained in plain words and can be
withdrawn at once (privacy); appointments go into their own calendar (.ics); and they can
download everything Werkbrug holds about them (AVG inzage).

An employer's contact person sees the positive profile of the people who consented to share
it with their company, and their limitations only with the separate disclosure consent (R07).
Consent is checked by the scope rules on every query, so a withdrawal counts from the very
next request.

Reads go through the access layer and ``candidates.selectors``; writes through
``candidates.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.candidates import data_export, ics, portal_forms, profile, selectors, services
from werkbrug.candidates.models import (
    EMPLOYER_SCOPES,
    Appointment,
    Candidate,
    CandidateLanguage,
    Consent,
    ConsentChannel,
    ConsentScope,
    WorkExperience,
)
from werkbrug.core import access, audit
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.matching import services as matching_services

CANDIDATE = "portal.candidate"
EMPLOYER = "portal.employer_candidates"
EXPORT_PURPOSE = "AVG inzage"
PAGE_SIZE = 20

#: Each kind of consent in plain words: what it means, and what happens when you stop it.
CONSENT_TEXT = {
    ConsentScope.REGIONAL_POOL: {
        "title": gettext_lazy("Share my profile without my name in the region"),
        "what": gettext_lazy(
            "Work coaches in the other municipalities of the region can see what you are "
            "good at and what work you want. They do not see your name, address or other "
            "personal details. This way they can think of you when they hear about work."
        ),
        "stop": gettext_lazy(
            "If you stop this, only the people of your own municipality see your profile."
        ),
    },
    ConsentScope.SHARE_WITH_EMPLOYER: {
        "title": gettext_lazy("Show my name and profile to an employer"),
        "what": gettext_lazy(
            "This employer can see your name and what you are good at, your experience, "
            "your languages and the work you want. Not your address, your benefit or your "
            "file."
        ),
        "stop": gettext_lazy("If you stop this, the employer can no longer see you."),
    },
    ConsentScope.DISCLOSE_LIMITATIONS: {
        "title": gettext_lazy("Tell an employer about my limitations"),
        "what": gettext_lazy(
            "This employer can also read what you wrote down about your limitations and "
            "what you need at work. Then the employer can prepare the work for you."
        ),
        "stop": gettext_lazy(
            "If you stop this, the employer can no longer read about your limitations."
        ),
    },
}


# --- The candidate's own record ------------------------------------------------------------


def own_candidate(actor: access.Actor, *, prefetch: bool = False) -> Candidate:
    """The record linked to the logged-in user, through the access layer; 404 if none."""
    queryset = access.scoped(Candidate, actor).filter(user_id=actor.user_id)
    queryset = queryset.select_related("municipality", "client_manager__user", "consultant__user")
    if prefetch:
        queryset = queryset.prefetch_related(
            "skills",
            "wished_skills",
            "wished_occupations",
            Prefetch(
                "languages",
                queryset=access.scoped(CandidateLanguage, actor).order_by("id"),
            ),
            Prefetch(
                "experience",
                queryset=access.scoped(WorkExperience, actor).select_related("occupation"),
            ),
        )
    candidate = queryset.first()
    if candidate is None:
        raise Http404
    return candidate


def _helpers(candidate: Candidate) -> list[dict[str, Any]]:
    """Who helps me: the client manager and the consultant, with how to reach them."""
    result = []
    for role, staff in (
        (_("Your client manager at the municipality"), candidate.client_manager),
        (_("Your work coach, who helps you find work"), candidate.consultant),
    ):
        if staff is None:
            continue
        organisation = staff.organisation
        result.append(
            {
                "role": role,
                "name": str(staff),
                "phone": staff.phone or organisation.phone,
                "email": staff.user.email or organisation.email,
                "organisation": organisation.name,
            }
        )
    return result


def _appointments(candidate: Candidate, actor: access.Actor) -> Any:
    return (
        access.scoped(Appointment, actor)
        .filter(candidate=candidate, cancelled=False)
        .select_related("staff__user")
    )


def _upcoming(candidate: Candidate, actor: access.Actor) -> Any:
    # Until the end of an appointment it still counts as coming up.
    since = timezone.now() - dt.timedelta(hours=3)
    rows = _appointments(candidate, actor).filter(starts_at__gte=since).order_by("starts_at")
    now = timezone.now()
    return [a for a in rows if a.starts_at + dt.timedelta(minutes=a.minutes) >= now]


def _stale_months(candidate: Candidate) -> int:
    return services.policy_for(candidate.region_id).profile_stale_months


def _confirmation(candidate: Candidate) -> dict[str, Any]:
    fresh = profile.confirmed_recently(candidate, stale_months=_stale_months(candidate))
    return {"at": candidate.profile_confirmed_at, "due": not fresh}


@access_rule(CANDIDATE)
def portal_home(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """My profile: what I am good at first, then my wishes, who helps me and what is next.
    POST confirms that the profile is still right."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor, prefetch=True)
    if request.method == "POST":
        services.confirm_profile(candidate, actor=actor)
        messages.success(request, _("Thank you. You confirmed that your profile is right."))
        return redirect("candidates:portal")
    return render(
        request,
        "candidates/portal_home.html",
        {
            "candidate": candidate,
            "helpers": _helpers(candidate),
            "appointments": _upcoming(candidate, actor)[:3],
            "confirmation": _confirmation(candidate),
            "consents": services.consents_in_force(candidate),
            "consent_requests": matching_services.consent_requests_for(actor),
            "active": "home",
        },
    )


@access_rule(CANDIDATE)
def portal_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """Change my profile and wishes, my languages and my work experience. Each part has its
    own form (``onderdeel``), so saving one never throws away what was typed in another."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor, prefetch=True)
    part = request.POST.get("onderdeel", "") if request.method == "POST" else ""
    profile_form = portal_forms.ProfileForm(
        request.POST if part == "profiel" else None, candidate=candidate, actor=actor
    )
    languages = portal_forms.LanguageFormSet(
        request.POST if part == "talen" else None,
        initial=None if part == "talen" else portal_forms.language_initial(candidate, actor),
        prefix="talen",
    )
    experience_form = portal_forms.ExperienceForm(
        request.POST if part == "ervaring" else None, prefix="ervaring"
    )
    language_error = ""
    focus = part

    if part == "profiel" and profile_form.is_valid():
        try:
            services.update_own_profile(
                candidate,
                actor=actor,
                data=profile_form.data_for_service(),
                relations=profile_form.relations_for_service(),
                expected_version=profile_form.cleaned_data["version"],
            )
        except ValidationError as error:
            show_service_errors(profile_form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("candidates:portal")
    elif part == "talen" and languages.is_valid():
        try:
            services.set_languages(candidate, actor=actor, languages=languages.rows())
        except ValidationError as error:
            language_error = "; ".join(error.messages)
        else:
            messages.success(request, _("Your languages are saved."))
            return redirect(reverse("candidates:portal_edit") + "#talen")
    elif part == "ervaring" and experience_form.is_valid():
        try:
            services.add_work_experience(candidate, actor=actor, data=experience_form.cleaned_data)
        except ValidationError as error:
            show_service_errors(experience_form, error)
        else:
            messages.success(request, _("Your work experience is added."))
            return redirect(reverse("candidates:portal_edit") + "#ervaring")
    elif part == "ervaring_weg":
        row = (
            access.scoped(WorkExperience, actor)
            .filter(candidate=candidate, uuid=request.POST.get("item") or None)
            .first()
        )
        if row is None:
            raise Http404
        services.remove_work_experience(row, actor=actor)
        messages.success(request, _("The work experience is removed."))
        return redirect(reverse("candidates:portal_edit") + "#ervaring")
    elif part and part not in ("profiel", "talen", "ervaring"):
        raise Http404

    return render(
        request,
        "candidates/portal_edit.html",
        {
            "candidate": candidate,
            "form": profile_form,
            "languages": languages,
            "language_error": language_error,
            "experience_form": experience_form,
            "experience": list(candidate.experience.all()),
            "pick_skills": profile_form.picker("skills"),
            "pick_wished_skills": profile_form.picker("wished_skills"),
            "pick_occupations": profile_form.picker("wished_occupations"),
            "focus": focus,
            "active": "edit",
        },
        status=400 if part else 200,
    )


def _regrantable(rows: list[Consent]) -> list[Consent]:
    """Employer consents withdrawn earlier and not in force now: the candidate may give them
    again here (new employers are agreed with the work coach)."""
    in_force = {(c.scope, c.employer_id) for c in rows if c.in_force}
    seen: set[tuple[str, int | None]] = set()
    result = []
    for consent in rows:  # newest first
        key = (consent.scope, consent.employer_id)
        if consent.scope not in EMPLOYER_SCOPES or key in in_force or key in seen:
            continue
        seen.add(key)
        if consent.scope == ConsentScope.DISCLOSE_LIMITATIONS and (
            (ConsentScope.SHARE_WITH_EMPLOYER, consent.employer_id) not in in_force
        ):
            continue  # limitations only go to an employer who may see the profile
        result.append(consent)
    return result


def _by_uuid(rows: list[Consent], value: Any) -> Consent:
    for row in rows:
        if str(row.uuid) == str(value):
            return row
    raise Http404


@access_rule(CANDIDATE)
def portal_consent(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """My consent: what each kind means, what is in force, the history; give the regional
    consent, or give an employer consent again that was stopped earlier."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor)
    rows = selectors.consent_history(candidate, actor=actor)
    if request.method == "POST":
        action = request.POST.get("actie", "")
        try:
            if action == "regio":
                services.grant_consent(
                    candidate,
                    actor=actor,
                    scope=ConsentScope.REGIONAL_POOL,
                    via=ConsentChannel.PORTAL,
                )
            elif action == "opnieuw":
                earlier = _by_uuid(_regrantable(rows), request.POST.get("item"))
                services.grant_consent(
                    candidate,
                    actor=actor,
                    scope=earlier.scope,
                    via=ConsentChannel.PORTAL,
                    employer=earlier.employer,
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. Your consent is saved."))
        return redirect("candidates:portal_consent")

    in_force = [c for c in rows if c.in_force]
    return render(
        request,
        "candidates/portal_consent.html",
        {
            "candidate": candidate,
            "kinds": [{"scope": scope, **CONSENT_TEXT[scope]} for scope in ConsentScope.values],
            "texts": CONSENT_TEXT,
            "in_force": [{"consent": c, **CONSENT_TEXT[c.scope]} for c in in_force],
            "history": rows,
            "regional_in_force": any(c.scope == ConsentScope.REGIONAL_POOL for c in in_force),
            "regrantable": [{"consent": c, **CONSENT_TEXT[c.scope]} for c in _regrantable(rows)],
            "consent_requests": matching_services.consent_requests_for(actor),
            "active": "consent",
        },
    )


@access_rule(CANDIDATE)
def portal_consent_withdraw(request: HttpRequest, item: Any, **kwargs: object) -> HttpResponse:
    """Stop a consent: a page that says what will happen, then a button. Effective at once."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor)
    consent = selectors.consent_for(candidate, item, actor=actor)
    if consent is None:
        raise Http404
    if not consent.in_force:
        messages.info(request, _("This consent was already stopped."))
        return redirect("candidates:portal_consent")
    also = (
        list(
            access.scoped(Consent, actor).filter(
                candidate=candidate,
                scope=ConsentScope.DISCLOSE_LIMITATIONS,
                employer_id=consent.employer_id,
                withdrawn_at__isnull=True,
            )
        )
        if consent.scope == ConsentScope.SHARE_WITH_EMPLOYER
        else []
    )
    if request.method == "POST":
        services.withdraw_consent(consent, actor=actor, via=ConsentChannel.PORTAL)
        messages.success(request, _("Your consent is stopped. This counts from now on."))
        return redirect("candidates:portal_consent")
    return render(
        request,
        "candidates/portal_consent_withdraw.html",
        {
            "candidate": candidate,
            "consent": consent,
            "text": CONSENT_TEXT[consent.scope],
            "also_limitations": bool(also),
            "active": "consent",
        },
    )


@access_rule(CANDIDATE)
def portal_appointments(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """My appointments: the ones coming up (with "add to my calendar") and the earlier ones."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor)
    upcoming = _upcoming(candidate, actor)
    upcoming_ids = {a.pk for a in upcoming}
    past = [
        a
        for a in _appointments(candidate, actor)
        .filter(starts_at__lt=timezone.now())
        .order_by("-starts_at")[:50]
        if a.pk not in upcoming_ids
    ]
    return render(
        request,
        "candidates/portal_appointments.html",
        {"candidate": candidate, "upcoming": upcoming, "past": past, "active": "appointments"},
    )


def appointment_event(appointment: Appointment) -> ics.Event:
    staff = str(appointment.staff)
    description = _("Appointment with %(name)s.") % {"name": staff}
    phone = appointment.staff.phone or appointment.staff.organisation.phone
    if phone:
        description += "\n" + _("Can you not come? Call %(phone)s.") % {"phone": phone}
    return ics.Event(
        uid=f"{appointment.uuid}@werkbrug",
        starts_at=appointment.starts_at,
        ends_at=appointment.starts_at + dt.timedelta(minutes=appointment.minutes),
        summary=appointment.subject,
        location=appointment.location,
        description=description,
    )


@access_rule(CANDIDATE)
def portal_appointment_ics(request: HttpRequest, item: Any, **kwargs: object) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor)
    appointment = (
        _appointments(candidate, actor).select_related("staff__organisation").filter(uuid=item)
    ).first()
    if appointment is None:
        raise Http404
    body = ics.event_ics(appointment_event(appointment), now=timezone.now())
    day = timezone.localtime(appointment.starts_at).strftime("%Y-%m-%d")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{day}.ics"'
    response["Cache-Control"] = "no-store"
    return response


def _export_name(candidate: Candidate, extension: str) -> str:
    day = timezone.localdate().isoformat()
    name = slugify(candidate.full_name) or "kandidaat"
    return f"mijn-gegevens-{name}-{day}.{extension}"


def _export(request: HttpRequest, extension: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    candidate = own_candidate(actor)
    data = data_export.collect(candidate, actor=actor)
    audit.log_access(candidate, purpose=EXPORT_PURPOSE, action="export")
    if extension == "pdf":
        body, content_type = data_export.as_pdf(data), "application/pdf"
    else:
        body, content_type = data_export.as_json(data), "application/json; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_export_name(candidate, extension)}"'
    response["Cache-Control"] = "no-store"
    return response


@access_rule(CANDIDATE)
def portal_export_pdf(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _export(request, "pdf")


@access_rule(CANDIDATE)
def portal_export_json(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _export(request, "json")


# --- The employer's view of shared candidates -----------------------------------------------


@access_rule(EMPLOYER)
def employer_shared_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """The people who agreed to share their profile with my company."""
    actor = request.actor  # type: ignore[attr-defined]
    queryset = selectors.shared_with_my_company(actor=actor).prefetch_related("wished_occupations")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "candidates/employer_shared_list.html",
        {"page": page, "candidates": list(page.object_list)},
    )


@access_rule(EMPLOYER)
def employer_shared_detail(request: HttpRequest, uuid: Any, **kwargs: object) -> HttpResponse:
    """One shared person's positive profile; limitations only with the disclosure consent."""
    actor = request.actor  # type: ignore[attr-defined]
    candidate = access.get_for_view(
        selectors.shared_with_my_company(actor=actor).prefetch_related(
            "wished_skills", "wished_occupations"
        ),
        actor,
        uuid,
        purpose="Werkgeversportaal: gedeeld profiel",
    )
    experience = list(
        access.scoped(WorkExperience, actor)
        .filter(candidate=candidate)
        .select_related("occupation")
    )
    health = selectors.health_for(candidate, actor=actor)
    if health is not None and not (
        health.has_limitation or health.limitations or health.adjustments_needed
    ):
        health = None
    if health is not None:
        audit.log_access(health, purpose="Werkgeversportaal: beperkingen (met toestemming)")
    consultant = candidate.consultant
    if consultant is not None and not consultant.active:
        consultant = None
    return render(
        request,
        "candidates/employer_shared_detail.html",
        {
            "candidate": candidate,
            "experience": experience,
            "health": health,
            "consultant": consultant,
            "consultant_phone": (consultant.phone or consultant.organisation.phone)
            if consultant
            else "",
        },
    )


urlpatterns = [
    path("mijn-profiel/", portal_home, name="portal"),
    path("mijn-profiel/bewerken/", portal_edit, name="portal_edit"),
    path("mijn-profiel/toestemming/", portal_consent, name="portal_consent"),
    path(
        "mijn-profiel/toestemming/<uuid:item>/intrekken/",
        portal_consent_withdraw,
        name="portal_consent_withdraw",
    ),
    path("mijn-profiel/afspraken/", portal_appointments, name="portal_appointments"),
    path(
        "mijn-profiel/afspraken/<uuid:item>.ics",
        portal_appointment_ics,
        name="portal_appointment_ics",
    ),
    path("mijn-profiel/mijn-gegevens.pdf", portal_export_pdf, name="portal_export_pdf"),
    path("mijn-profiel/mijn-gegevens.json", portal_export_json, name="portal_export_json"),
    path("mijn-bedrijf/kandidaten/", employer_shared_list, name="employer_shared"),
    path(
        "mijn-bedrijf/kandidaten/<uuid:uuid>/",
        employer_shared_detail,
        name="employer_shared_detail",
    ),
]
