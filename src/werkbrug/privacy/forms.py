"""Forms of the privacy pages. They check the shape of the input; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.forms import date_widget
from werkbrug.candidates.models import Candidate
from werkbrug.privacy import retention
from werkbrug.privacy.models import RequestChannel, RequestKind
from werkbrug.privacy.services import CORRECTABLE


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What does the person ask?"), choices=RequestKind.choices)
    channel = forms.ChoiceField(label=_("Received by"), choices=RequestChannel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=date_widget())
    request_text = forms.CharField(
        label=_("What the person asks"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("In the person's own words, as far as possible."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())


class ExtendForm(VersionForm):
    extension_reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=300,
        help_text=_("Tell the person within the first month, with this reason."),
    )


class CompleteForm(VersionForm):
    outcome = forms.CharField(
        label=_("Answer to the person"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    refuse = forms.BooleanField(label=_("Refuse the request"), required=False)


class CorrectionForm(VersionForm):
    """The candidate's record fields that may be corrected, filled with the current values;
    only the fields that differ are sent to the service."""

    candidate_version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        for name in CORRECTABLE:
            model_field = Candidate._meta.get_field(name)
            form_field = model_field.formfield(required=False)
            if name == "birth_date":
                form_field.widget = date_widget()
            form_field.initial = getattr(candidate, name)
            self.fields[name] = form_field
        self.fields["candidate_version"].initial = candidate.version

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in CORRECTABLE
            if self.cleaned_data.get(name) not in (None, "")
            and self.cleaned_data[name] != getattr(self.candidate, name)
        }


class PeriodForm(forms.Form):
    category = forms.ChoiceField(choices=[(c.code, c.code) for c in retention.CATEGORIES])
    months = forms.IntegerField(label=_("Months"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
