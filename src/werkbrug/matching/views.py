"""Staff pages of matching: the suggestions for a work opportunity, putting a suggestion on
the shortlist, and the steps of the shortlist workflow.

Werkbrug suggests, people decide: every step is a button a person presses. The shortlist
panels on the opportunity page and on the employer 360° page get their context from
``shortlist_panel`` and ``employer_shortlists`` below, so the employers app only includes the
templates. Views translate HTTP to selector and service calls; the rules are in
``matching.selectors`` and ``matching.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from werkbrug.candidates.models import Candidate, ConsentChannel
from werkbrug.core import access
from werkbrug.core.views_base import access_rule, show_service_errors
from werkbrug.employers import selectors as employer_selectors
from werkbrug.employers.models import Employer, WorkOpportunity
from werkbrug.matching import engine, facts, selectors, services
from werkbrug.matching.models import IntroductionOutcome, ShortlistEntry, ShortlistStatus
from werkbrug.taxonomy import selectors as taxonomy_selectors

S = ShortlistStatus

#: How many suggestions a person can ask for at once.
COUNTS = (10, 20, 50)
DEFAULT_COUNT = 20

#: The most shortlist entries listed on the employer 360° page.
EMPLOYER_PAGE_LIMIT = 100

#: Where a failed shortlist step waits (in the session) for the opportunity page to show it.
ERROR_KEY = "matching.shortlist_error"

#: How a status shows as a badge: its colour and a label short enough for a phone.
STATUS_BADGES = {
    S.SHORTLISTED: ("badge-info", gettext_lazy("On the shortlist")),
    S.PROPOSED: ("badge-info", gettext_lazy("Proposed, anonymous")),
    S.CONSENT_REQUESTED: ("badge-warning", gettext_lazy("Consent asked")),
    S.IDENTITY_SHARED: ("badge-success", gettext_lazy("Name shared")),
    S.INTRODUCTION: ("badge-success", gettext_lazy("Introduction planned")),
    S.FINISHED: ("badge-neutral", gettext_lazy("Introduction held")),
    S.WITHDRAWN: ("badge-neutral", gettext_lazy("No longer in the running")),
}


def status_badge(status: str) -> tuple[str, Any]:
    return STATUS_BADGES.get(status, ("badge-neutral", status))


#: The names services use for what went wrong, as the person reads them.
FIELD_LABELS = {
    "status": pgettext_lazy("shortlist", "Step"),
    "version": gettext_lazy("Changed meanwhile"),
    "candidate": gettext_lazy("Candidate"),
    "opportunity": gettext_lazy("Work opportunity"),
    "via": gettext_lazy("How the candidate agreed"),
    "at": gettext_lazy("Date and time"),
    "place": gettext_lazy("Place"),
    "outcome": gettext_lazy("Outcome"),
    "note": gettext_lazy("Note"),
    "reason": gettext_lazy("Reason"),
}


# --- Forms of the steps that ask for something -----------------------------------------------


class ConsentForm(forms.Form):
    via = forms.ChoiceField(
        label=gettext_lazy("How did the candidate agree?"),
        choices=[(v, lbl) for v, lbl in ConsentChannel.choices if v != ConsentChannel.PORTAL],
        initial=ConsentChannel.IN_PERSON,
    )


class IntroductionForm(forms.Form):
    at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Give the date and time of the introduction."),
            "invalid": gettext_lazy("Give the date and time as dd-mm-yyyy hh:mm."),
        },
    )
    # Required by the service, which says so in its own words.
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("How did it go?"),
        required=False,
        choices=[("", gettext_lazy("Choose…")), *IntroductionOutcome.choices],
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- The steps --------------------------------------------------------------------------------

Run = Callable[[access.Actor, ShortlistEntry, dict[str, Any]], ShortlistEntry]


@dataclass(frozen=True)
class Step:
    slug: str  # in the URL
    name: str  # route name: matching:shortlist_<name>
    label: Any  # the button
    statuses: tuple[str, ...]  # the statuses in which the step is offered
    run: Run
    done: Any  # success message, with %(label)s
    form: type[forms.Form] | None = None
    primary: bool = False


def _version(data: dict[str, Any]) -> int | None:
    try:
        return int(data.get("version") or "")
    except ValueError:
        return None


STEPS: dict[str, Step] = {
    step.slug: step
    for step in (
        Step(
            "voorstellen",
            "propose",
            gettext_lazy("Propose to the employer"),
            services.ALLOWED_FROM["propose"],
            lambda a, e, d: services.propose(actor=a, entry=e, expected_version=_version(d)),
            gettext_lazy("%(label)s has been proposed to the employer as an anonymous profile."),
            primary=True,
        ),
        Step(
            "toestemming-vragen",
            "request_consent",
            gettext_lazy("Ask consent to share the name"),
            services.ALLOWED_FROM["request_consent"],
            lambda a, e, d: services.request_consent(actor=a, entry=e),
            gettext_lazy(
                "%(label)s: consent to share the name has been asked. The candidate answers "
                "in their portal or tells their consultant."
            ),
        ),
        Step(
            "toestemming-vastleggen",
            "record_consent",
            gettext_lazy("Record consent"),
            services.ALLOWED_FROM["record_consent"],
            lambda a, e, d: services.record_consent(actor=a, entry=e, via=d["via"]),
            gettext_lazy("%(label)s agreed: the name may now be shared with the employer."),
            form=ConsentForm,
        ),
        Step(
            "kennismaking",
            "plan_introduction",
            gettext_lazy("Plan the introduction"),
            services.ALLOWED_FROM["plan_introduction"],
            lambda a, e, d: services.plan_introduction(
                actor=a, entry=e, at=d["at"], place=d["place"]
            ),
            gettext_lazy("The introduction with %(label)s has been planned."),
            form=IntroductionForm,
            primary=True,
        ),
        Step(
            "uitkomst",
            "record_outcome",
            gettext_lazy("Record the outcome"),
            services.ALLOWED_FROM["record_outcome"],
            lambda a, e, d: services.record_outcome(
                actor=a, entry=e, outcome=d["outcome"], note=d["note"]
            ),
            gettext_lazy("The outcome of the introduction with %(label)s has been saved."),
            form=OutcomeForm,
            primary=True,
        ),
        Step(
            "afvoeren",
            "withdraw",
            gettext_lazy("Take off the shortlist"),
            services.ALLOWED_FROM["withdraw"],
            lambda a, e, d: services.withdraw(actor=a, entry=e, reason=d["reason"]),
            gettext_lazy("%(label)s is no longer in the running."),
            form=WithdrawForm,
        ),
    )
}


def _prefix(entry: ShortlistEntry, step: Step) -> str:
    return f"k{entry.number}-{step.slug}"


# --- Helpers ----------------------------------------------------------------------------------


def _count(value: str | None) -> int:
    try:
        k = int(value or DEFAULT_COUNT)
    except ValueError:
        return DEFAULT_COUNT
    return k if k in COUNTS else DEFAULT_COUNT


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _error_lines(error: ValidationError) -> list[str]:
    """Each message with the name of the field it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, messages_ in error.message_dict.items():
        label = FIELD_LABELS.get(name)
        lines += [f"{label}: {m}" if label else m for m in messages_]
    return lines


def _entry_anchor(entry: ShortlistEntry) -> str:
    return f"kandidaat-{entry.number}"


# --- The suggestions page ---------------------------------------------------------------------


@access_rule("matching.suggest")
@require_GET
def suggestions(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    opportunity = employer_selectors.opportunity(actor=actor, uuid=uuid)
    mode = selectors.parse_mode(request.GET.get("modus"))
    k = _count(request.GET.get("aantal"))
    found = selectors.candidates_for_opportunity(actor, opportunity, k=k, mode=mode)
    recognised = taxonomy_selectors.skills_named(opportunity.tasks)
    unrecognised = [t for t in opportunity.tasks if t not in recognised]
    is_open = opportunity.status in facts.OPEN_STATUSES
    return render(
        request,
        "matching/suggestions.html",
        {
            "opportunity": opportunity,
            "employer": opportunity.employer,
            "suggestions": found,
            "cards": [
                {"s": s, "badge": status_badge(s.entry.status) if s.entry else None} for s in found
            ],
            "mode": mode.value,
            "modes": [
                (
                    engine.Mode.BREED.value,
                    _("Broad"),
                    _("Everyone, best first, with what is missing."),
                ),
                (
                    engine.Mode.STRIKT.value,
                    _("Strict"),
                    _("Only who meets every must-have."),
                ),
            ],
            "count": k,
            "counts": COUNTS,
            "recognised": bool(recognised),
            "unrecognised": unrecognised,
            "is_open": is_open,
            "can_shortlist": access.can(actor, "matching.shortlist") and is_open,
        },
    )


@access_rule("matching.shortlist")
@require_POST
def shortlist_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    opportunity = employer_selectors.opportunity(actor=actor, uuid=uuid)
    back = _safe_next(request, reverse("matching:suggestions", kwargs={"uuid": opportunity.uuid}))
    try:
        candidate = access.get_for_view(
            Candidate, actor, request.POST.get("kandidaat"), purpose="shortlist"
        )
    except Http404:  # missing, or not visible: the same answer, so nothing leaks
        messages.error(request, _("Choose a candidate from the suggestions."))
        return redirect(back)
    try:
        entry = services.add_to_shortlist(actor=actor, opportunity=opportunity, candidate=candidate)
    except ValidationError as error:
        messages.error(request, " ".join(_error_lines(error)))
        return redirect(back)
    messages.success(
        request,
        _("%(label)s is on the shortlist of “%(title)s”.")
        % {"label": entry.label, "title": opportunity.title},
    )
    return redirect(f"{back}#suggestie-{candidate.uuid}")


# --- The shortlist steps ----------------------------------------------------------------------


@access_rule("matching.shortlist")
@require_POST
def shortlist_step(request: HttpRequest, uuid: Any, step: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    entry = access.get_for_view(
        ShortlistEntry.objects.select_related("opportunity"), actor, uuid, purpose="shortlist"
    )
    chosen = STEPS[step]
    back = reverse("employers:opportunity", kwargs={"uuid": entry.opportunity.uuid})
    form = chosen.form(request.POST, prefix=_prefix(entry, chosen)) if chosen.form else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationError(form.errors.as_data())
        data = form.cleaned_data if form is not None else {"version": request.POST.get("version")}
        done = chosen.run(actor, entry, data)
    except ValidationError as error:
        request.session[ERROR_KEY] = {
            "entry": str(entry.uuid),
            "step": chosen.slug,
            "data": {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"},
            "errors": error.message_dict if hasattr(error, "error_dict") else {},
            "lines": _error_lines(error),
        }
        messages.error(
            request,
            _("Nothing was changed for %(label)s: %(errors)s")
            % {"label": entry.label, "errors": " ".join(_error_lines(error))},
        )
        return redirect(f"{back}#{_entry_anchor(entry)}")
    text = str(chosen.done) % {"label": done.label}
    if chosen.slug == "toestemming-vragen" and done.status == S.IDENTITY_SHARED:
        text = _("%(label)s had already agreed: the name may be shared with the employer.") % {
            "label": done.label
        }
    messages.success(request, text)
    return redirect(back)


# --- The panels on the employers' pages -------------------------------------------------------


@dataclass
class StepForm:
    step: Step
    url: str
    form: forms.Form | None
    open: bool = False


#: Outcomes of an introduction that can lead to a placement.
PLACEABLE_OUTCOMES = (IntroductionOutcome.HIRED, IntroductionOutcome.NEXT_STEP)


@dataclass
class PanelRow:
    entry: ShortlistEntry
    full_access: bool
    badge: tuple[str, Any]
    anchor: str
    steps: list[StepForm] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: The placement that came from this entry (its page instead of "Place").
    placement: Any = None

    @property
    def buttons(self) -> list[StepForm]:
        return [s for s in self.steps if s.form is None]

    @property
    def forms(self) -> list[StepForm]:
        return [s for s in self.steps if s.form is not None]


def _steps_of(entry: ShortlistEntry, failed: dict[str, Any] | None) -> list[StepForm]:
    out = []
    for step in STEPS.values():
        if entry.status not in step.statuses:
            continue
        url = reverse(f"matching:shortlist_{step.name}", kwargs={"uuid": entry.uuid})
        # The step that just failed: its form again, with what was typed and why it failed.
        again = failed if failed is not None and failed.get("step") == step.slug else None
        form = None
        if step.form is not None:
            form = step.form(again["data"] if again else None, prefix=_prefix(entry, step))
            if again:
                form.is_valid()
                errors = {k: v for k, v in again["errors"].items() if k not in form.errors}
                if errors:
                    show_service_errors(form, ValidationError(errors))
        out.append(StepForm(step=step, url=url, form=form, open=again is not None))
    return out


def shortlist_panel(request: HttpRequest, opportunity: WorkOpportunity) -> dict[str, Any]:
    """Context of ``matching/shortlist_panel.html`` on the opportunity page."""
    actor = request.actor  # type: ignore[attr-defined]
    entries = selectors.shortlist_for(actor, opportunity)
    failed = request.session.pop(ERROR_KEY, None) if hasattr(request, "session") else None
    can_work = access.can(actor, "matching.shortlist")
    rows = []
    for entry in entries:
        mine = failed if failed and failed.get("entry") == str(entry.uuid) else None
        rows.append(
            PanelRow(
                entry=entry,
                full_access=entry.full_access,  # type: ignore[attr-defined]
                badge=status_badge(entry.status),
                anchor=_entry_anchor(entry),
                steps=_steps_of(entry, mine) if can_work else [],
                errors=mine["lines"] if mine else [],
            )
        )
    from werkbrug.placements.selectors import placed_from  # placements builds on matching

    by_id = {row.entry.pk: row for row in rows}
    hired = [row.entry.pk for row in rows if row.entry.outcome in PLACEABLE_OUTCOMES]
    for (_kind, pk), placement in placed_from(actor, shortlist_entries=hired).items():
        by_id[pk].placement = placement
    return {
        "rows": rows,
        "can_work": can_work,
        "can_place": access.can(actor, "placements.manage"),
        "suggestions_url": reverse("matching:suggestions", kwargs={"uuid": opportunity.uuid}),
    }


def employer_shortlists(actor: access.Actor, employer: Employer) -> dict[str, Any]:
    """Context of ``matching/shortlist_employer.html``: the shortlist entries of the employer's
    opportunities, grouped per opportunity, newest opportunity first."""
    entries = list(selectors.shortlists_of_employer(actor, employer)[: EMPLOYER_PAGE_LIMIT + 1])
    groups: list[dict[str, Any]] = []
    for entry in entries[:EMPLOYER_PAGE_LIMIT]:
        if not groups or groups[-1]["opportunity"].pk != entry.opportunity_id:
            groups.append({"opportunity": entry.opportunity, "rows": []})
        groups[-1]["rows"].append(
            {
                "entry": entry,
                "full_access": entry.full_access,  # type: ignore[attr-defined]
                "badge": status_badge(entry.status),
            }
        )
    return {
        "groups": groups,
        "more": len(entries) > EMPLOYER_PAGE_LIMIT,
        "limit": EMPLOYER_PAGE_LIMIT,
    }


urlpatterns = [
    path("werkkansen/<uuid:uuid>/suggesties/", suggestions, name="suggestions"),
    path("werkkansen/<uuid:uuid>/shortlist/", shortlist_add, name="shortlist_add"),
    *[
        path(
            f"shortlist/<uuid:uuid>/{step.slug}/",
            shortlist_step,
            {"step": step.slug},
            name=f"shortlist_{step.name}",
        )
        for step in STEPS.values()
    ],
]
