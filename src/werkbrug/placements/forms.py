"""Forms of the placement pages. They validate and shape input; ``placements.services`` does
the writing and checks the rules (durations of the start date, contract and wage per kind,
the region), naming the field that is wrong.

The ``*_initial`` helpers fill a new form from where the placement comes from (a conversation
at a prettig gesprek, a shortlist entry, the placement it continues): suggestions the person
can change, never rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import Candidate
from werkbrug.core.access import Actor
from werkbrug.employers import selectors as employer_selectors
from werkbrug.employers.models import Employer, OpportunityStatus, WorkOpportunity
from werkbrug.matching.models import ShortlistEntry
from werkbrug.meetings.models import Conversation, FollowUp
from werkbrug.placements.aftercare import add_months
from werkbrug.placements.models import (
    WITH_BENEFIT_KEPT,
    Contract,
    EndReason,
    GrantKind,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Outflow,
    Placement,
    PlacementKind,
    PlacementStatus,
)

#: The kind of placement a follow-up agreed at a prettig gesprek leads to.
KIND_OF_FOLLOW_UP = {
    FollowUp.TRIAL: PlacementKind.TRIAL,
    FollowUp.WORK_EXPERIENCE: PlacementKind.WORK_EXPERIENCE,
    FollowUp.JOB_OFFER: PlacementKind.REGULAR,
}

#: Follow-ups after which "Place" is offered on the meeting page.
PLACING_FOLLOW_UPS = tuple(KIND_OF_FOLLOW_UP)

#: The kind of placement of a work opportunity's kind (the codes differ for regular work only).
KIND_OF_OPPORTUNITY = {"regulier": PlacementKind.REGULAR}

#: How long a fixed-term contract after a conversion runs, as suggested (months).
CONVERSION_MONTHS = 6


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EmployerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employer) -> str:
        return f"{obj.name} ({obj.municipality})" if obj.municipality_id else obj.name


class OpportunityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: WorkOpportunity) -> str:
        return f"{obj.title} — {obj.employer.name}"


class PlacementForm(forms.ModelForm):
    """A new placement, or the next one when a placement is converted. Employer and work are
    chosen by their public id; the opportunities offered are the chosen employer's (or, with
    no employer yet, the region's open work)."""

    employer = EmployerChoice(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        to_field_name="uuid",
        error_messages={"required": _("Choose the employer.")},
    )
    opportunity = OpportunityChoice(
        label=_("Work opportunity"),
        queryset=WorkOpportunity.objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=_("The vacancy or work this placement fills, if there is one."),
    )

    class Meta:
        model = Placement
        fields = [
            "employer",
            "opportunity",
            "kind",
            "contract",
            "job_title",
            "hours_per_week",
            "wage_pct_of_wml",
            "start_on",
            "planned_end_on",
        ]
        widgets = {
            "start_on": _date_widget(),
            "planned_end_on": _date_widget(),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            "wage_pct_of_wml": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }
        labels = {
            "kind": _("Kind of placement"),
            "contract": _("Employment contract"),
            "job_title": _("Job"),
            "hours_per_week": _("Hours per week"),
            "wage_pct_of_wml": _("Wage, as a percentage of the minimum wage"),
            "start_on": _("Start"),
            "planned_end_on": _("Planned end"),
        }
        help_texts = {
            "kind": _(
                "With a work-experience place, trial placement or participatieplaats the "
                "candidate keeps the benefit: no contract and no wage."
            ),
            "wage_pct_of_wml": _(
                "For example 100 for the minimum wage. Leave empty when the employer pays no wage."
            ),
            "planned_end_on": _(
                "Required for a fixed-term contract and for placements with the benefit kept. "
                "Werkbrug plans the “before the end” check-in from it."
            ),
        }
        error_messages = {
            "kind": {"required": _("Choose the kind of placement.")},
            "job_title": {"required": _("Give the job, for example “Order picker”.")},
            "hours_per_week": {
                "required": _("Give the hours per week."),
                "invalid": _("Give the hours as a number, for example 24."),
            },
            "wage_pct_of_wml": {"invalid": _("Give the wage as a number, for example 100.")},
            "start_on": {
                "required": _("Give the start date."),
                "invalid": _("Give the date as dd-mm-yyyy."),
            },
            "planned_end_on": {"invalid": _("Give the date as dd-mm-yyyy.")},
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = (  # type: ignore[attr-defined]
            employer_selectors.employers(actor=actor)
            .select_related(None)
            .select_related("municipality")
            .order_by("name", "id")
        )
        employer_uuid = self._chosen("employer")
        chosen_work = self._chosen("opportunity") or None
        work = (
            employer_selectors.opportunities(actor=actor)
            .select_related(None)
            .select_related("employer")
            .order_by("employer__name", "title", "id")
        )
        if employer_uuid:
            work = work.filter(employer__uuid=employer_uuid).exclude(
                Q(status=OpportunityStatus.LAPSED) & ~Q(uuid=chosen_work)
            )
        else:
            work = work.filter(Q(status=OpportunityStatus.OPEN) | Q(uuid=chosen_work))
        self.fields["opportunity"].queryset = work  # type: ignore[attr-defined]
        self.fields["opportunity"].empty_label = _("No particular work opportunity")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("Choose…")), *PlacementKind.choices]  # type: ignore[attr-defined]

    def _chosen(self, name: str) -> str:
        """The public id of a choice, as posted or as filled in ("" if it is none)."""
        if self.is_bound:
            value = self.data.get(name)
        else:
            value = self.initial.get(name)
            value = getattr(value, "uuid", value)
        try:
            return str(uuid.UUID(str(value))) if value else ""
        except ValueError:
            return ""


def _kind_of_opportunity(opportunity: WorkOpportunity) -> str:
    return KIND_OF_OPPORTUNITY.get(opportunity.kind, opportunity.kind)


def _terms(kind: str) -> dict[str, Any]:
    """The contract that usually goes with a kind (the service checks the rules)."""
    if kind in WITH_BENEFIT_KEPT:
        return {"contract": Contract.NONE}
    if kind == PlacementKind.REGULAR:
        return {"contract": Contract.FIXED, "wage_pct_of_wml": 100}
    return {}


def _hours(opportunity: WorkOpportunity | None, candidate: Candidate) -> Any:
    if opportunity is not None and (opportunity.hours_max or opportunity.hours_min):
        return opportunity.hours_max or opportunity.hours_min
    return candidate.hours_available or candidate.wished_hours_max or None


def create_initial(
    *,
    candidate: Candidate,
    conversation: Conversation | None,
    entry: ShortlistEntry | None,
    today: dt.date,
) -> dict[str, Any]:
    """What the form for a new placement suggests: employer, work and job from the
    conversation or shortlist entry, the kind from the follow-up agreed at the table."""
    employer: Employer | None = None
    opportunity: WorkOpportunity | None = None
    kind = ""
    if entry is not None:
        opportunity = entry.opportunity
        employer = opportunity.employer
    if conversation is not None:
        employer = conversation.employer
        kind = KIND_OF_FOLLOW_UP.get(conversation.follow_up, "")
        if opportunity is None or opportunity.employer_id != employer.pk:
            linked = conversation.shortlist_entry
            if linked is not None and linked.opportunity.employer_id == employer.pk:
                opportunity = linked.opportunity
            else:
                theirs = [
                    o
                    for o in conversation.meeting.opportunities.all()
                    if o.employer_id == employer.pk
                ]
                opportunity = theirs[0] if len(theirs) == 1 else None
    if not kind and opportunity is not None:
        kind = _kind_of_opportunity(opportunity)
    initial: dict[str, Any] = {
        "employer": employer.uuid if employer else None,
        "opportunity": opportunity.uuid if opportunity else None,
        "job_title": opportunity.title if opportunity else "",
        "kind": kind,
        "hours_per_week": _hours(opportunity, candidate),
    }
    if opportunity is not None and opportunity.start_date and opportunity.start_date >= today:
        initial["start_on"] = opportunity.start_date
    return initial | _terms(kind)


def _plain(number: Decimal | None) -> Decimal | int | None:
    """24 rather than 24.0 in a number field."""
    if number is not None and number == int(number):
        return int(number)
    return number


def conversion_initial(placement: Placement, today: dt.date) -> dict[str, Any]:
    """The next placement as usually agreed: a work-experience place or trial placement
    becomes regular work on a fixed-term contract of six months, starting the day after the
    planned end (or today, when that has passed); a fixed-term contract becomes permanent."""
    start = today
    if placement.planned_end_on and placement.planned_end_on >= today:
        start = placement.planned_end_on + dt.timedelta(days=1)
    start = max(start, placement.start_on + dt.timedelta(days=1))
    initial: dict[str, Any] = {
        "employer": placement.employer.uuid,
        "opportunity": placement.opportunity.uuid if placement.opportunity_id else None,
        "job_title": placement.job_title,
        "hours_per_week": _plain(placement.hours_per_week),
        "kind": PlacementKind.REGULAR,
        "start_on": start,
        "wage_pct_of_wml": _plain(placement.wage_pct_of_wml) or 100,
    }
    if placement.contract == Contract.FIXED and placement.kind == PlacementKind.REGULAR:
        initial["contract"] = Contract.PERMANENT
    else:
        initial["contract"] = Contract.FIXED
        initial["planned_end_on"] = add_months(start, CONVERSION_MONTHS) - dt.timedelta(days=1)
    return initial


class EndForm(forms.Form):
    """Why and when a placement ended (a conversion has its own page)."""

    ended_on = forms.DateField(
        label=_("Ended on"),
        widget=_date_widget(),
        error_messages={
            "required": _("Give the last day of the placement."),
            "invalid": _("Give the date as dd-mm-yyyy."),
        },
    )
    end_reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose…"))]
        + [(v, label) for v, label in EndReason.choices if v != EndReason.CONVERTED],
        error_messages={"required": _("Choose why the placement ended.")},
    )
    end_note = forms.CharField(
        label=_("About the end"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, and what the candidate needs next. Goes into the file."),
    )


class CheckForm(forms.Form):
    """The result of one aftercare check-in."""

    #: The check's version when the page was opened: a colleague's save in between is not
    #: overwritten (architecture rule 10).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    done_on = forms.DateField(
        label=_("Done on"),
        widget=_date_widget(),
        error_messages={
            "required": _("Give the date of the check-in."),
            "invalid": _("Give the date as dd-mm-yyyy."),
        },
    )
    still_working = forms.TypedChoiceField(
        label=_("Still working?"),
        choices=[("ja", _("Yes")), ("nee", _("No"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the candidate still works.")},
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(
        label=_("Next step"),
        required=False,
        max_length=300,
        help_text=_("For example: extend, a contract, a jobcoach, nothing needed."),
    )


class GrantForm(forms.ModelForm):
    class Meta:
        model = InstrumentGrant
        fields = [
            "kind",
            "status",
            "decided_on",
            "start_on",
            "end_on",
            "review_on",
            "amount",
            "amount_per",
            "funding",
            "note",
        ]
        widgets = {
            "decided_on": _date_widget(),
            "start_on": _date_widget(),
            "end_on": _date_widget(),
            "review_on": _date_widget(),
            "amount": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        }
        labels = {"amount": _("Amount (€)")}
        error_messages = {
            "kind": {"required": _("Choose the instrument.")},
            **{
                name: {"invalid": _("Give the date as dd-mm-yyyy.")}
                for name in ("decided_on", "start_on", "end_on", "review_on")
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose…")), *GrantKind.choices]  # type: ignore[attr-defined]


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = LoonwaardeAssessment
        fields = ["assessed_on", "pct", "method", "assessor", "next_review_on"]
        widgets = {
            "assessed_on": _date_widget(),
            "next_review_on": _date_widget(),
            "pct": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
        }
        labels = {"pct": _("Loonwaarde (%)"), "next_review_on": _("Next review on")}
        help_texts = {"method": _("The validated method, for example Dariuz or Loonwaarde Plus.")}
        error_messages = {
            "assessed_on": {
                "required": _("Give the date of the assessment."),
                "invalid": _("Give the date as dd-mm-yyyy."),
            },
            "pct": {"required": _("Give the loonwaarde as a percentage.")},
            "method": {"required": _("Give the method used.")},
            "next_review_on": {"invalid": _("Give the date as dd-mm-yyyy.")},
        }


class OutflowForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outflow = forms.ChoiceField(
        label=_("Effect on the benefit"),
        choices=Outflow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the effect on the benefit.")},
    )
    outflow_on = forms.DateField(
        label=_("Since"),
        required=False,
        widget=_date_widget(),
        error_messages={"invalid": _("Give the date as dd-mm-yyyy.")},
    )


# --- The list filter -------------------------------------------------------------------------

WHO_MINE = "mij"
WHO_ALL = "alle"
OPEN = "open"


class ListFilter(forms.Form):
    wie = forms.ChoiceField(
        label=_("Whose"),
        choices=[(WHO_MINE, _("My placements")), (WHO_ALL, _("All I may see"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), (OPEN, _("Planned or running")), *PlacementStatus.choices],
        required=False,
    )
    binnenkort = forms.BooleanField(label=_("Ending soon: decide the next step"), required=False)


class AftercarePolicyForm(forms.Form):
    """The region's aftercare template; months typed as "1, 3, 6, 12"."""

    first_week = forms.BooleanField(label=_("A check-in in the first week"), required=False)
    check_months = forms.CharField(
        label=_("Check-ins after these months"),
        help_text=_(
            "Separate with commas, for example 1, 3, 6, 12. Months 6 and 12 count for durability."
        ),
        error_messages={"required": _("Give at least one month for a check-in.")},
    )
    three_way_month = forms.IntegerField(
        label=_("Three-way conversation (candidate, employer, jobcoach) in month"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Empty: none planned."),
    )
    end_alert_weeks = forms.IntegerField(
        label=_("Alert this many weeks before a planned end"),
        min_value=1,
        max_value=26,
        error_messages={"required": _("Give the number of weeks.")},
    )

    def clean_check_months(self) -> list[int]:
        text = self.cleaned_data["check_months"]
        parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
        if not parts or not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Write whole months separated by commas: 1, 3, 6, 12."))
        months = sorted({int(p) for p in parts})
        if months[0] < 1 or months[-1] > 60:
            raise forms.ValidationError(_("Months 1 to 60."))
        return months


class JobcoachForm(forms.ModelForm):
    class Meta:
        model = JobcoachAssignment
        fields = ["coach_name", "organisation", "uwv_recognised", "phone", "email", "start_on"]
        widgets = {"start_on": _date_widget()}
        error_messages = {
            "coach_name": {"required": _("Give the jobcoach's name.")},
            "start_on": {
                "required": _("Give the date the coaching starts."),
                "invalid": _("Give the date as dd-mm-yyyy."),
            },
        }
