"""Forms of the employer portal, in plain language (B1) and with as few required fields as
possible: the employer describes the work in their own words, the relationship manager does
the rest (ontzorgen). The services in ``employers.services`` do the writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.employers.forms import LinesField, date_widget
from werkbrug.employers.models import Employer, EmployerQuestion, OpportunityKind, WorkOpportunity

Topic = EmployerQuestion.Topic

#: The question topics in the employer's words (the codes are the register's).
TOPIC_CHOICES = [
    (Topic.REINTEGRATION, _("Finding new staff")),
    (Topic.WORK_OFFER, _("Work I want to offer")),
    (Topic.INSTRUMENT, _("Subsidies and other arrangements")),
    (Topic.INCIDENT, _("An employee who came through you")),
    (Topic.TENDER, _("A tender or social return")),
    (Topic.PERMIT, _("A permit or another matter for the municipality")),
    (Topic.OTHER, _("Something else")),
]

LANGUAGE_CHOICES = [
    ("", _("It does not matter")),
    ("A2", _("A little (level A2)")),
    ("B1", _("Reasonably well (level B1)")),
    ("B2", _("Well (level B2)")),
]


class WorkForm(forms.Form):
    """New work, described as tasks. Only the tasks are required."""

    tasks = LinesField(
        label=_("What needs to be done?"),
        help_text=_("Write one task per line. For example: 'fill shelves' or 'get orders ready'."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    title = forms.CharField(
        label=_("What do you call this work?"),
        required=False,
        max_length=150,
        help_text=_("For example 'Warehouse assistant'. You may leave this empty."),
    )
    places = forms.IntegerField(
        label=_("How many people do you need?"), min_value=1, max_value=99, initial=1
    )
    hours_min = forms.IntegerField(
        label=_("Hours per week: at least"), required=False, min_value=1, max_value=60
    )
    hours_max = forms.IntegerField(
        label=_("Hours per week: at most"), required=False, min_value=1, max_value=60
    )
    schedule = forms.CharField(
        label=_("On which days and at what times?"),
        required=False,
        max_length=200,
        help_text=_("For example: 'Monday to Friday, mornings'."),
    )
    start_date = forms.DateField(
        label=_("From when can someone start?"), required=False, widget=date_widget()
    )
    location = forms.CharField(
        label=_("Where is the work?"),
        required=False,
        max_length=200,
        help_text=_("Leave this empty if the work is at your company address."),
    )
    must_have = LinesField(
        label=_("Is anything required?"),
        required=False,
        help_text=_(
            "One thing per line, for example 'safety shoes' or 'can lift 20 kg'. "
            "Leave this empty if nothing is required."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    driving_licence = forms.BooleanField(label=_("A driving licence is needed"), required=False)
    language_level = forms.ChoiceField(
        label=_("How well must someone speak Dutch?"), choices=LANGUAGE_CHOICES, required=False
    )
    latent = forms.BooleanField(
        label=_("We have not advertised this work anywhere"),
        required=False,
        help_text=_("Work that is not a vacancy (yet) is welcome too."),
    )

    def clean_start_date(self) -> dt.date | None:
        value = self.cleaned_data.get("start_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("hours_min"), data.get("hours_max")
        if low and high and high < low:
            self.add_error("hours_max", _("'At most' cannot be less than 'at least'."))
        return data

    def to_opportunity(self, employer: Employer) -> WorkOpportunity:
        """An unsaved work opportunity for ``employer`` (always the employer the portal chose,
        never one named in the request)."""
        data = self.cleaned_data
        tasks: list[str] = data["tasks"]
        title = data.get("title") or tasks[0]
        address = ", ".join(part for part in (employer.street, employer.city) if part)
        return WorkOpportunity(
            employer=employer,
            title=(title[:1].upper() + title[1:])[:150],
            tasks=tasks,
            kind=OpportunityKind.REGULAR,
            latent=data.get("latent", False),
            places=data["places"],
            hours_min=data.get("hours_min"),
            hours_max=data.get("hours_max"),
            schedule=data.get("schedule", ""),
            location=data.get("location") or address,
            start_date=data.get("start_date"),
            driving_licence=data.get("driving_licence", False),
            language_level=data.get("language_level", ""),
            must_have=data.get("must_have") or [],
        )


class QuestionForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is your question about?"),
        choices=TOPIC_CHOICES,
        initial=Topic.OTHER,
        widget=forms.RadioSelect,
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write it down in your own words. We will call or e-mail you back."),
    )

    def clean_question(self) -> str:
        value = " ".join(self.cleaned_data.get("question", "").split(" ")).strip()
        if not value:
            raise forms.ValidationError(_("Write down your question."))
        return value
