"""Forms of the evaluation pages: a survey from a template, a control-group draw, the choice
of invitation channel, a complaint and its settlement. The public questionnaire is not a
Django form: ``questionnaires.clean_answers`` checks it (see public.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import BenefitType, LadderStep
from werkbrug.core import access
from werkbrug.evaluation import questionnaires
from werkbrug.evaluation.models import (
    Channel,
    Complaint,
    ComplaintSettlement,
    ControlGroup,
    ControlMethod,
)
from werkbrug.evaluation.services import STRATA
from werkbrug.regions.models import Municipality


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def template_choices() -> list[tuple[str, str]]:
    return [
        (code, questionnaires.load_template(code).title) for code in questionnaires.template_codes()
    ]


class SurveyForm(forms.Form):
    template_code = forms.ChoiceField(
        label=_("Questionnaire"),
        help_text=_(
            "The questions of the Werktop evaluation (2014) or the WerkBedrijf satisfaction "
            "surveys, in their own Dutch wording. The survey gets its own copy."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    control_group = forms.ModelChoiceField(
        label=_("Control group"),
        queryset=ControlGroup.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("No control group"),
        help_text=_(
            "With a control group, its participants and its drawn controls can be invited "
            "with the same questionnaire and compared."
        ),
    )
    min_cell_size = forms.IntegerField(
        label=_("Smallest group shown"),
        initial=10,
        min_value=1,
        max_value=100,
        help_text=_(
            "Tables hide groups and answers with fewer respondents than this, so nobody can be "
            "recognised."
        ),
    )
    incentive = forms.CharField(
        label=_("Thank-you gift"),
        max_length=200,
        required=False,
        help_text=_("For example: a gift voucher of € 10 for every completed questionnaire."),
    )

    def __init__(self, *args: Any, actor: access.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template_code"].choices = template_choices()
        self.fields["control_group"].queryset = access.scoped(ControlGroup, actor)
        if not self.is_bound:
            self.initial.setdefault("closes_on", timezone.localdate() + dt.timedelta(days=42))


class InviteForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How"),
        choices=Channel.choices,
        initial=Channel.EMAIL,
        widget=forms.RadioSelect,
        help_text=_(
            "E-mail goes out at once to everyone with an address; letters with a QR code are "
            "printed by the team lead or the administrator."
        ),
    )


class ControlGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    intervention_start = forms.DateField(
        label=_("The approach started on"),
        widget=DateInput(),
        help_text=_(
            "Who had a conversation at a meeting, a shortlist entry or a placement from this day "
            "on took part; the controls are drawn from everyone else in the frame."
        ),
    )
    size = forms.IntegerField(label=_("Number of controls"), min_value=1, max_value=100_000)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=ControlMethod.choices,
        initial=ControlMethod.STRATIFIED,
        widget=forms.RadioSelect,
    )
    strata = forms.MultipleChoiceField(
        label=_("Stratify by"),
        choices=[(code, label) for code, label in STRATA.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The control group gets the frame's make-up on these variables."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities in the frame"),
        queryset=Municipality.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the whole region."),
    )
    ladder_steps = forms.TypedMultipleChoiceField(
        label=_("Participation ladder steps"),
        choices=LadderStep.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Werktop compared people on steps 3 to 5."),
    )
    benefit_types = forms.MultipleChoiceField(
        label=_("Benefits"),
        choices=BenefitType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**53,
        help_text=_(
            "The starting number of the random draw. It is recorded, so anyone can redo the "
            "draw and get the same people."
        ),
    )

    def __init__(self, *args: Any, actor: access.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(
            region_id=actor.region_id
        ).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("seed", secrets.randbelow(10**9))
            self.initial.setdefault("ladder_steps", [3, 4, 5])

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "intervention_start": data["intervention_start"],
            "size": data["size"],
            "seed": data["seed"],
            "method": data["method"],
            "strata": data["strata"],
            "criteria": {
                key: value
                for key, value in {
                    "municipalities": [str(m.uuid) for m in data["municipalities"]],
                    "ladder_steps": data["ladder_steps"],
                    "benefit_types": data["benefit_types"],
                }.items()
                if value
            },
        }


class EffectWindowForm(forms.Form):
    maanden = forms.TypedChoiceField(
        label=_("Window"),
        choices=[
            (6, _("6 months")),
            (12, _("12 months")),
            (18, _("18 months")),
            (24, _("24 months")),
        ],
        coerce=int,
        initial=12,
        required=False,
    )


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["complainant", "category", "municipality", "received_on", "summary"]
        widgets = {"received_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, actor: access.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(region_id=actor.region_id).order_by("name")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class SettleForm(forms.Form):
    settlement = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ComplaintSettlement.choices if c[0] != ComplaintSettlement.OPEN],
    )
    settled_on = forms.DateField(label=_("Settled on"), widget=DateInput())
