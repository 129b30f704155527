"""Matching in the portals.

* The employer ("Mijn bedrijf → Voorgestelde kandidaten") sees the people proposed for their
  company's work as the anonymous profile frozen at proposal ("Kandidaat 3"), and says whether
  they would like to meet. The name appears only while the candidate's consent to share it
  with this company is in force, checked on every request. The candidate record itself is
  never read for an employer, except the name through the candidate scope rule.
* The candidate answers, in their portal, a request to share their name with an employer.

Reads go through ``matching.selectors`` / the access layer, writes through
``matching.services``. The company is always one of the user's own companies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from werkbrug.candidates.models import Candidate, EducationLevel
from werkbrug.core import access
from werkbrug.core.views_base import access_rule
from werkbrug.employers import portal as employer_portal
from werkbrug.matching import selectors, services
from werkbrug.matching.models import ShortlistEntry, ShortlistStatus

EMPLOYER = "portal.employer"
CANDIDATE = "portal.candidate"
PURPOSE_PROPOSAL = "Werkgeversportaal: voorgestelde kandidaat"
S = ShortlistStatus

#: Where the entry stands, in the employer's words: a short label and a sentence.
STATUS_LABEL = {
    S.PROPOSED: gettext_lazy("Proposed to you"),
    S.CONSENT_REQUESTED: gettext_lazy("Asking for the name"),
    S.IDENTITY_SHARED: gettext_lazy("Name shared"),
    S.INTRODUCTION: gettext_lazy("Introduction planned"),
    S.FINISHED: gettext_lazy("Introduction held"),
}
STATUS_TEXT = {
    S.PROPOSED: gettext_lazy("We think this person fits your work."),
    S.CONSENT_REQUESTED: gettext_lazy(
        "We are asking this person whether we may give you their name."
    ),
    S.IDENTITY_SHARED: gettext_lazy(
        "This person agreed to share their name with you. Your contact person will plan an "
        "introduction with you."
    ),
    S.INTRODUCTION: gettext_lazy("An introduction is planned."),
    S.FINISHED: gettext_lazy("The introduction has taken place."),
}
STATUS_BADGE = {
    S.PROPOSED: "badge-info",
    S.CONSENT_REQUESTED: "badge-warning",
    S.IDENTITY_SHARED: "badge-success",
    S.INTRODUCTION: "badge-success",
    S.FINISHED: "badge-neutral",
}
#: While these last, the employer can say (again) whether they would like to meet.
RESPONSE_OPEN = services.ALLOWED_FROM["employer_response"]

YES, NO = "ja", "nee"


# --- The employer: proposed candidates -----------------------------------------------------


class ResponseForm(forms.Form):
    reactie = forms.ChoiceField(choices=[(YES, YES), (NO, NO)])
    toelichting = forms.CharField(
        label=gettext_lazy("Anything you want to add (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _shared_names(actor: access.Actor, entries: list[ShortlistEntry]) -> dict[int, dict[str, Any]]:
    """Entry id → the candidate's name (and uuid, for the shared profile) when the candidate's
    consent to share with this entry's company is in force. Read through the candidate scope
    rule, and checked per company with ``services.name_shared``."""
    visible = {
        row["pk"]: row
        for row in access.scoped(Candidate, actor)
        .filter(pk__in={e.candidate_id for e in entries})
        .values("pk", "uuid", "first_name", "last_name")
    }
    names = {}
    for entry in entries:
        row = visible.get(entry.candidate_id)
        if row is not None and services.name_shared(entry):
            names[entry.pk] = {
                "name": f"{row['first_name']} {row['last_name']}".strip(),
                "uuid": row["uuid"],
            }
    return names


def _available(value: str | None, today: dt.date) -> dict[str, Any]:
    day = dt.date.fromisoformat(value) if value else None
    return {"date": day, "now": day is not None and day <= today}


def _education(value: Any) -> str:
    return str(EducationLevel(value).label) if value in EducationLevel.values else ""


def proposal_card(
    entry: ShortlistEntry, shared: dict[str, Any] | None, today: dt.date
) -> dict[str, Any]:
    """What the employer sees of one proposed person: the frozen anonymous profile."""
    p = entry.profile or {}
    matched = set(p.get("matched_tasks") or [])
    return {
        "entry": entry,
        "heading": shared["name"] if shared else entry.label,
        "shared": shared,
        "tasks": [{"label": t, "matched": t in matched} for t in p.get("tasks") or []],
        "experience": p.get("experience") or [],
        "hours": p.get("hours") or "",
        "distance_km": p.get("distance_km"),
        "available": _available(p.get("available_from"), today),
        "driving_licence": p.get("driving_licence"),
        "dutch_level": p.get("dutch_level") or "",
        "education": _education(p.get("education_level")),
        "missing": p.get("missing") or [],
        "explanation": p.get("explanation") or entry.explanation,
        "status_label": STATUS_LABEL.get(entry.status, entry.get_status_display()),
        "status_text": STATUS_TEXT.get(entry.status, ""),
        "badge": STATUS_BADGE.get(entry.status, "badge-neutral"),
        "can_respond": entry.status in RESPONSE_OPEN,
        "form": ResponseForm(initial={"toelichting": entry.employer_note}),
    }


def _grouped(cards: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cards per opportunity, the most recently proposed work first; in each, by number."""
    groups: dict[int, dict[str, Any]] = {}
    for card in cards:
        opportunity = card["entry"].opportunity
        group = groups.setdefault(opportunity.pk, {"opportunity": opportunity, "cards": []})
        group["cards"].append(card)
    for group in groups.values():
        group["cards"].sort(key=lambda c: c["entry"].number)
    return list(groups.values())


def _no_company(request: HttpRequest, found: employer_portal.Companies) -> HttpResponse:
    if not found.all:
        return render(request, "employers/portal/not_linked.html", {})
    return render(
        request,
        "employers/portal/choose.html",
        {
            "companies": found.all,
            "next_url": reverse("matching:portal_proposals"),
            "param": employer_portal.CHOICE_PARAM,
        },
    )


@access_rule(EMPLOYER)
@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    """The people proposed for the company's work, per piece of work."""
    actor = request.actor  # type: ignore[attr-defined]
    found = employer_portal.companies(request)
    employer = found.current
    if employer is None or (request.GET.get("kies") and len(found.all) > 1):
        return _no_company(request, employer_portal.Companies(found.all, None))
    entries = list(selectors.proposals_for_employer(actor).filter(opportunity__employer=employer))
    names = _shared_names(actor, entries)
    today = timezone.localdate()
    groups = _grouped(proposal_card(e, names.get(e.pk), today) for e in entries)
    return render(
        request,
        "matching/portal_proposals.html",
        {
            "employer": employer,
            "companies": found.all,
            "groups": groups,
            "contact": employer_portal.contact_card(actor, employer, today=today),
        },
    )


@access_rule(EMPLOYER)
@require_POST
def respond(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The employer says "I would like to meet" or "rather not", with an optional note."""
    actor = request.actor  # type: ignore[attr-defined]
    entry = access.get_for_view(
        selectors.proposals_for_employer(actor), actor, uuid, purpose=PURPOSE_PROPOSAL
    )
    found = employer_portal.companies(request)
    url = reverse("matching:portal_proposals")
    if len(found.all) > 1:
        url += f"?{employer_portal.CHOICE_PARAM}={entry.opportunity.employer.uuid}"
    url += f"#kandidaat-{entry.uuid}"
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Choose “I would like to meet” or “Rather not”. A note can be 500 characters "
                "at most."
            ),
        )
        return redirect(url)
    interested = form.cleaned_data["reactie"] == YES
    services.employer_response(
        actor=actor, entry=entry, interested=interested, note=form.cleaned_data["toelichting"]
    )
    if interested:
        messages.success(
            request,
            _(
                "Thank you. We have passed on that you would like to meet %(label)s. Your "
                "contact person will let you know about the next step."
            )
            % {"label": entry.label},
        )
    else:
        messages.success(
            request,
            _("Thank you for letting us know. We will not go on with %(label)s for this work.")
            % {"label": entry.label},
        )
    return redirect(url)


# --- The candidate: requests to share their name -------------------------------------------

BACK_TO = {"toestemming": "candidates:portal_consent"}


@access_rule(CANDIDATE)
@require_POST
def consent_answer(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Yes or no to sharing my name with an employer who may have work for me."""
    actor = request.actor  # type: ignore[attr-defined]
    entry = services.own_entry(actor, uuid)
    if entry is None:  # not about this candidate
        raise Http404
    back = BACK_TO.get(request.POST.get("terug", ""), "candidates:portal")
    if entry.status != ShortlistStatus.CONSENT_REQUESTED:  # answered before, or withdrawn
        messages.info(request, _("This question has already been answered."))
        return redirect(back)
    answer = request.POST.get("antwoord")
    if answer not in (YES, NO):
        messages.error(request, _("Choose yes or no."))
        return redirect(back)
    employer = entry.opportunity.employer.name
    try:
        services.answer_consent_request(actor=actor, entry=entry, agree=answer == YES)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if answer == YES:
        messages.success(
            request,
            _(
                "Thank you. We will give %(employer)s your name. Your consultant will contact "
                "you to plan a first meeting. You can stop this at any time under Consent."
            )
            % {"employer": employer},
        )
    else:
        messages.success(
            request,
            _("Thank you for your answer. We will not give %(employer)s your name.")
            % {"employer": employer},
        )
    return redirect(back)


urlpatterns = [
    path("portaal/werkgever/voorgesteld/", proposals, name="portal_proposals"),
    path("portaal/werkgever/voorgesteld/<uuid:uuid>/reactie/", respond, name="portal_respond"),
    path("portaal/toestemming/<uuid:uuid>/", consent_answer, name="portal_consent_answer"),
]
