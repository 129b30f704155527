"""Forms of the meeting pages. They validate and shape input; ``meetings.services`` does the
writing and the checks that need the database (the table plan, the region, the seats)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.access import Actor
from werkbrug.employers import selectors as employer_selectors
from werkbrug.employers.models import Employer, WorkOpportunity
from werkbrug.matching import facts as matching_facts
from werkbrug.meetings.models import FollowUp, Meeting, Outcome
from werkbrug.regions.forms import VersionedForm


def checklist() -> forms.CheckboxSelectMultiple:
    """A long list of checkboxes in a scrolling box with a filter (``candidates.js``)."""
    return forms.CheckboxSelectMultiple(attrs={"class": "checklist"})


def region_employers(actor: Actor) -> QuerySet[Employer]:
    """The live employers of the actor's region, by name (no joins the choices do not need)."""
    return (
        employer_selectors.employers(actor=actor)
        .select_related(None)
        .select_related("municipality")
        .order_by("name", "id")
    )


class EmployerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Employer) -> str:
        return f"{obj.name} ({obj.municipality})" if obj.municipality_id else obj.name


class OpportunityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: WorkOpportunity) -> str:
        return f"{obj.title} — {obj.employer.name}"


class MeetingForm(VersionedForm):
    """A new meeting or a change to one. The linked work opportunities are the region's open
    ones (plus those already linked, so an edit never drops them silently)."""

    opportunities = OpportunityChoices(
        label=_("Work opportunities"),
        queryset=WorkOpportunity.objects.none(),
        required=False,
        widget=checklist(),
        help_text=_(
            "The work the employers bring. The table plan and the suggestions of whom to "
            "invite use it; without it, the employers' other open work counts."
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "format",
            "host_employer",
            "location",
            "starts_at",
            "rounds",
            "round_minutes",
            "table_capacity",
            "min_conversations",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        labels = {"starts_at": _("Date and time")}
        help_texts = {
            "host_employer": _("Where the meeting takes place, if an employer hosts it."),
            "table_capacity": _("How many candidates sit at an employer's table in a round."),
            "min_conversations": _("The table plan gives every candidate at least this many."),
        }
        error_messages = {
            "starts_at": {
                "required": _("Give the date and time of the meeting."),
                "invalid": _("Give the date and time as dd-mm-yyyy hh:mm."),
            },
            "title": {"required": _("Give the meeting a title.")},
            "location": {"required": _("Say where the meeting takes place.")},
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        host = self.fields["host_employer"]
        host.queryset = region_employers(actor)  # type: ignore[attr-defined]
        host.empty_label = _("No host employer")  # type: ignore[attr-defined]
        linked: list[int] = []
        if self.instance.pk is not None:
            linked = list(self.instance.opportunities.values_list("pk", flat=True))
            self.fields["opportunities"].initial = linked
        self.fields["opportunities"].queryset = (  # type: ignore[attr-defined]
            employer_selectors.opportunities(actor=actor)
            .filter(Q(status__in=matching_facts.OPEN_STATUSES) | Q(pk__in=linked))
            .select_related(None)
            .select_related("employer")
            .order_by("employer__name", "title", "id")
        )


class InviteForm(forms.Form):
    """Whom to invite: employers of the region, and candidates the actor may see (the page
    offers the suggestions from the matching engine as a checklist)."""

    employers = EmployerChoices(
        label=_("Employers"),
        queryset=Employer.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=checklist(),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Candidate.objects.none(),
        to_field_name="uuid",
        required=False,
    )

    def __init__(self, *args: Any, actor: Actor, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = meeting.invitations.filter(employer__isnull=False).values("employer_id")
        self.fields["employers"].queryset = region_employers(actor).exclude(  # type: ignore[attr-defined]
            pk__in=invited
        )
        # Only checked against (never listed): the page lists the suggestions.
        self.fields["candidates"].queryset = access.scoped(Candidate, actor)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("employers") and not data.get("candidates"):
            raise forms.ValidationError(_("Tick at least one employer or candidate to invite."))
        return data


class PlanForm(forms.Form):
    from_round = forms.TypedChoiceField(
        label=_("Plan from round"), coerce=int, choices=[(1, 1)], initial=1
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Planning again replaces the rounds from the chosen one on: never a round (or one
        # before a round) whose outcomes were recorded.
        recorded = meeting.conversations.filter(recorded_at__isnull=False).aggregate(
            last=Max("round")
        )["last"]
        self.first_round = (recorded or 0) + 1
        self.fields["from_round"].choices = [  # type: ignore[attr-defined]
            (r, _("Round %(number)s") % {"number": r})
            for r in range(self.first_round, meeting.rounds + 1)
        ]
        self.fields["from_round"].initial = self.first_round

    @property
    def available(self) -> bool:
        return bool(self.fields["from_round"].choices)  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    """Another round or table for one conversation. The table is given by the employer's
    public id; the service checks the whole plan again."""

    round = forms.TypedChoiceField(label=_("Round"), coerce=int, choices=[])
    table = forms.ChoiceField(label=_("Table"), choices=[])

    def __init__(self, *args: Any, rounds: int, employers: list[Employer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r, str(r)) for r in range(1, rounds + 1)]  # type: ignore[attr-defined]
        self.fields["table"].choices = [(str(e.uuid), e.name) for e in employers]  # type: ignore[attr-defined]
        self.employers = {str(e.uuid): e for e in employers}

    def employer_id(self) -> int:
        return self.employers[self.cleaned_data["table"]].pk


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose click or no click.")},
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[("", _("Choose…")), *FollowUp.choices],
        error_messages={"required": _("Choose the follow-up.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CheckInForm(forms.Form):
    present = forms.TypedChoiceField(
        choices=[("1", _("Arrived")), ("0", _("Absent"))], coerce=lambda v: v == "1"
    )


class StaffAnswerForm(forms.Form):
    """The answer a staff member records for someone (who called, or has no e-mail)."""

    coming = forms.TypedChoiceField(
        choices=[("ja", _("Coming")), ("nee", _("Not coming"))],
        coerce=lambda value: value == "ja",
        error_messages={"required": _("Choose coming or not coming.")},
    )


class TableCapacityForm(forms.Form):
    table_capacity = forms.IntegerField(
        label=_("Candidates per table"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("Empty: the number of the meeting."),
    )


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Reason for calling off"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why does the meeting not go ahead? This goes into the e-mail everyone who did "
            "not decline receives."
        ),
        error_messages={"required": _("Say why the meeting is called off.")},
    )
