"""Forms of the candidate case actions (views_case.py): handover, consent, contact, appointment,
return (terugmelding), signals and the region's candidate norms. They shape input; the services
in ``candidates.services`` validate against the database and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import (
    EMPLOYER_SCOPES,
    Candidate,
    CandidatePolicy,
    ConsentChannel,
    ConsentScope,
    ContactChannel,
    LadderStep,
    ReturnReason,
    Segment,
    SignalDecision,
    SignalKind,
)
from werkbrug.core import access
from werkbrug.core.roles import Role
from werkbrug.employers.models import Employer
from werkbrug.regions import selectors as region_selectors
from werkbrug.regions.forms import VersionedForm
from werkbrug.regions.models import Staff

#: Who receives a handover: relationship managers (consulent BDV) and UWV partners.
RECEIVER_ROLES = (Role.RELATIONSHIP_MANAGER, Role.UWV_PARTNER)

#: Werktop takes participation-ladder steps 3 to 5 (domain guide §4.2).
DEFAULT_LADDER_STEPS = (3, 4, 5)


#: What each consent means for the candidate, in plain words (R13).
CONSENT_EXPLANATIONS = {
    ConsentScope.REGIONAL_POOL: _(
        "Colleagues in the other municipalities of the region may see an anonymous profile: "
        "talents, skills, wishes and availability. No name, address, BSN or health details. "
        "This gives the candidate more chances of work nearby."
    ),
    ConsentScope.SHARE_WITH_EMPLOYER: _(
        "The employer named below may see the candidate's name and work profile, to get "
        "acquainted. Nothing about health or limitations."
    ),
    ConsentScope.DISCLOSE_LIMITATIONS: _(
        "The employer named below may also read what the candidate wants them to know about "
        "limitations and the adjustments needed at work. Only possible when the profile is "
        "already shared with that employer."
    ),
}

#: One line per terugmelding reason, so the municipality knows what it means (WB §3.3.4).
RETURN_EXPLANATIONS = {
    ReturnReason.TEMPORARILY_NOT_PLACEABLE: _(
        "Cannot be placed for now (for example health, care duties or a crisis); the "
        "municipality can offer the candidate again later."
    ),
    ReturnReason.STRUCTURALLY_NOT_PLACEABLE: _(
        "Cannot be placed in paid work in the foreseeable future, even with support; think of "
        "participation or care instead."
    ),
    ReturnReason.NOT_TARGET_GROUP_OR_NO_SHOW: _(
        "No longer in the Participatiewet target group (for example the benefit stopped), or "
        "did not turn up without letting us know."
    ),
    ReturnReason.END_YOUTH_SEARCH_PERIOD: _(
        "A young person under 27 applying for social assistance whose four-week search period "
        "has ended."
    ),
}

#: Instruments a consultant commonly tries before a terugmelding (checkbox list).
INSTRUMENTS = (
    "Werkervaringsplaats",
    "Proefplaatsing",
    "Jobcoach",
    "Loonkostensubsidie",
    "No-riskpolis",
    "Scholing/cursus",
    "Sollicitatietraining",
    "Praktijkdiagnose",
    "Taaltraining",
)


def date_widget() -> forms.DateInput:
    """A native date picker (dd-mm-jjjj in a Dutch browser); the value travels as ISO."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def now_minutes() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        organisation = getattr(obj, "organisation", None)
        return f"{obj} ({organisation})" if organisation else str(obj)


def receivers(actor: access.Actor) -> QuerySet[Staff]:
    """Active relationship managers and UWV partners of the actor's region."""
    return (
        region_selectors.staff_list(actor=actor)
        .filter(active=True, user__role_grants__role__in=RECEIVER_ROLES)
        .select_related(None)
        .select_related("user", "organisation")
        .prefetch_related("user__role_grants")
        .distinct()
    )


# --- Handover -------------------------------------------------------------------------------


class HandoverForm(forms.Form):
    to_staff = StaffChoiceField(
        label=_("Hand over to"),
        queryset=Staff.objects.none(),
        to_field_name="uuid",
        empty_label=_("Choose a relationship manager or consultant"),
        help_text=_("Relationship managers and UWV partners of the region."),
    )
    on = forms.DateField(label=_("Date of the handover"), widget=date_widget())
    warm = forms.BooleanField(
        label=_("Warm handover"),
        required=False,
        help_text=_("The candidate was introduced to the receiver in a joint conversation."),
    )
    note = forms.CharField(
        label=_("Note for the receiver"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the receiver should know to get started, so nobody has to ask again."),
    )

    def __init__(self, *args: Any, actor: access.Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = receivers(actor)


class HandoverFileFilterForm(forms.Form):
    """Which candidates of the municipality's caseload to show (GET)."""

    trede = forms.TypedMultipleChoiceField(
        label=_("Participation ladder step"),
        choices=LadderStep.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Werktop takes steps 3 to 5."),
    )
    segment = forms.ChoiceField(
        label=_("Segment"),
        required=False,
        choices=[("", _("All segments")), *Segment.choices],
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if not data or not any(k in data for k in ("trede", "segment", "filter")):
            data = None
        super().__init__(data, initial={"trede": list(DEFAULT_LADDER_STEPS)}, **kwargs)

    def values(self) -> tuple[list[int], str]:
        if not self.is_bound:
            return list(DEFAULT_LADDER_STEPS), ""
        if not self.is_valid():
            return list(DEFAULT_LADDER_STEPS), ""
        return list(self.cleaned_data["trede"]), self.cleaned_data["segment"]


class HandoverFileForm(forms.Form):
    """The chosen candidates (by UUID) and the receiver (POST)."""

    kandidaat = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Candidate.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one candidate.")},
    )
    to_staff = StaffChoiceField(
        label=_("Hand over to"),
        queryset=Staff.objects.none(),
        to_field_name="uuid",
        empty_label=_("Choose a relationship manager or consultant"),
    )
    note = forms.CharField(
        label=_("Note for the receiver"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, actor: access.Actor, candidates: QuerySet[Candidate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kandidaat"].queryset = candidates
        self.fields["to_staff"].queryset = receivers(actor)


# --- Consent --------------------------------------------------------------------------------

STAFF_CHANNELS = [(c.value, c.label) for c in ConsentChannel if c != ConsentChannel.PORTAL]


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What does the candidate agree to?"),
        choices=ConsentScope.choices,
        widget=forms.RadioSelect,
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("Choose the employer"),
        help_text=_(
            "Needed when sharing with an employer or telling an employer about limitations."
        ),
    )
    via = forms.ChoiceField(
        label=_("How did the candidate give consent?"),
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        help_text=_(
            "Candidates give consent in the portal themselves; here you record it for them."
        ),
    )

    def __init__(self, *args: Any, actor: access.Actor, candidate: Candidate, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = (
            access.scoped(Employer, actor)
            .filter(region_id=candidate.region_id, merged_into__isnull=True)
            .order_by("name", "id")
            .only("id", "uuid", "name", "city")
        )
        self.fields["employer"].label_from_instance = lambda e: (
            f"{e.name}, {e.city}" if e.city else e.name
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") in EMPLOYER_SCOPES and not data.get("employer"):
            self.add_error("employer", _("Choose the employer this consent is for."))
        return data


class ConsentWithdrawForm(forms.Form):
    via = forms.ChoiceField(
        label=_("How did the candidate withdraw consent?"),
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
    )


# --- Contact and appointment ---------------------------------------------------------------


class ContactForm(forms.Form):
    at = forms.DateTimeField(label=_("When"), widget=datetime_widget())
    channel = forms.ChoiceField(
        label=_("How"), choices=ContactChannel.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    agreements = forms.CharField(
        label=_("Agreements"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the candidate and you agreed to do, and by when."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("at", now_minutes())
        super().__init__(*args, **kwargs)


class AppointmentForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=datetime_widget())
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480)
    subject = forms.CharField(label=_("Subject"), max_length=150)
    location = forms.CharField(
        label=_("Where"), max_length=200, help_text=_("Address, or 'phone' or 'video'.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("minutes", 45)
        initial.setdefault(
            "starts_at",
            (timezone.localtime() + dt.timedelta(days=1)).replace(
                hour=10, minute=0, second=0, microsecond=0
            ),
        )
        super().__init__(*args, **kwargs)


# --- Return (terugmelding) -----------------------------------------------------------------


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=ReturnReason.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What happened and why the candidate goes back, so the client manager does not "
            "have to ask the candidate to tell their story again."
        ),
    )
    instruments = forms.MultipleChoiceField(
        label=_("Instruments tried"),
        required=False,
        choices=[(name, name) for name in INSTRUMENTS],
        widget=forms.CheckboxSelectMultiple,
    )
    instruments_other = forms.CharField(
        label=_("Other instruments tried"),
        required=False,
        max_length=300,
        help_text=_("Separate several with commas."),
    )
    recommended_next_step = forms.CharField(
        label=_("Recommended next step"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your advice to the municipality: what could help this candidate now?"),
    )

    def instruments_tried(self) -> list[str]:
        chosen = list(self.cleaned_data.get("instruments") or [])
        other = self.cleaned_data.get("instruments_other") or ""
        chosen += [part.strip() for part in other.split(",") if part.strip()]
        return chosen


# --- Signals --------------------------------------------------------------------------------


class SignalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"), choices=SignalKind.choices, widget=forms.RadioSelect
    )
    occurred_on = forms.DateField(label=_("On"), widget=date_widget())
    description = forms.CharField(
        label=_("Description"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The facts: what was agreed, what happened, what the candidate said."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class SignalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in SignalDecision.choices if c[0] != SignalDecision.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation of the decision"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person who reported the signal reads this."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=date_widget())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_decided_on(self) -> dt.date:
        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


# --- The region's candidate norms ----------------------------------------------------------


class CandidatePolicyForm(VersionedForm):
    class Meta:
        model = CandidatePolicy
        fields = [
            "weeks_without_contact",
            "first_alert_months",
            "max_term_months",
            "profile_stale_months",
        ]
        help_texts = {
            "weeks_without_contact": _(
                "A candidate in service who has not been seen for this long appears in the "
                "consultant's alerts and in the data-quality overview."
            ),
            "first_alert_months": _("WerkBedrijf: an alert after one year in service (12)."),
            "max_term_months": _("The standard term is two years (24)."),
            "profile_stale_months": _(
                "After this many months the candidate's profile has to be confirmed again."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, maximum = data.get("first_alert_months"), data.get("max_term_months")
        if first is not None and maximum is not None and first >= maximum:
            self.add_error(
                "first_alert_months",
                _("The first alert must come before the maximum term is reached."),
            )
        return data
