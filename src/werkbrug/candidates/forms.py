"""Forms of the staff pages of the candidate caseload. They validate and shape input; the
services in ``candidates.services`` do the writing (and every check that needs the database or
the access rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import (
    Candidate,
    HealthProfile,
    JourneyStatus,
    LadderStep,
    LanguageLevel,
    Segment,
    TargetGroup,
    TargetGroupMembership,
    WorkExperience,
)
from werkbrug.candidates.selectors import CaseloadFilter
from werkbrug.core.access import Actor
from werkbrug.core.validators import normalize_bsn, normalize_phone, validate_bsn
from werkbrug.regions import selectors as region_selectors
from werkbrug.regions.forms import VersionedForm
from werkbrug.taxonomy.models import Occupation, Skill, WorkKind

#: The caseload tabs (?toon=...): everyone I may see, my own people, my municipality, the pool.
VIEW_MINE = "mijn"
VIEW_MUNICIPALITY = "gemeente"
VIEW_POOL = "pool"

YES_NO = [("ja", _("Yes")), ("nee", _("No"))]


def date_widget() -> forms.DateInput:
    """A native date picker (dd-mm-jjjj in a Dutch browser); the value travels as ISO."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def checklist() -> forms.CheckboxSelectMultiple:
    """A long list of checkboxes in a scrolling box (class ``checklist``). ``candidates.js``
    adds a filter box above it; without JavaScript the whole list is there to tick."""
    return forms.CheckboxSelectMultiple(attrs={"class": "checklist"})


class TaxonomyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.label


# --- The caseload list -----------------------------------------------------------------------


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, or a word from what someone is good at"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    toon = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Everyone I may see")),
            (VIEW_MINE, _("My candidates")),
            (VIEW_MUNICIPALITY, _("My municipality")),
            (VIEW_POOL, _("Regional pool")),
        ],
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("All municipalities"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *JourneyStatus.choices],
    )
    segment = forms.ChoiceField(
        label=_("Segment"), required=False, choices=[("", _("All segments")), *Segment.choices]
    )
    trede = forms.TypedChoiceField(
        label=_("Ladder step"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All steps")), *LadderStep.choices],
    )
    doelgroep = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        choices=[("", _("All target groups")), *TargetGroup.choices],
    )
    niet_gezien = forms.BooleanField(label=_("Not seen for too long"), required=False)
    onvolledig = forms.BooleanField(label=_("Profile incomplete"), required=False)
    sortering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("naam", _("Name (A–Z)")),
            ("-naam", _("Name (Z–A)")),
            ("laatste_contact", _("Last contact, longest ago first")),
            ("-laatste_contact", _("Last contact, most recent first")),
            ("trede", _("Ladder step, low to high")),
            ("-trede", _("Ladder step, high to low")),
        ],
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["gemeente"].queryset = region_selectors.municipalities(
            actor=actor, include_ended=False
        ).prefetch_related(None)

    def to_filter(self) -> CaseloadFilter:
        if not self.is_bound or not self.is_valid():
            return CaseloadFilter()
        data = self.cleaned_data
        view = data.get("toon") or ""
        municipality = data.get("gemeente")
        municipality_id = municipality.pk if municipality else None
        if view == VIEW_MUNICIPALITY and not municipality_id:
            municipality_id = self.actor.municipality_id
        return CaseloadFilter(
            search=data.get("q") or "",
            mine=view == VIEW_MINE,
            pool=view == VIEW_POOL,
            municipality_id=municipality_id,
            status=data.get("status") or "",
            segment=data.get("segment") or "",
            ladder_step=data.get("trede"),
            target_group=data.get("doelgroep") or "",
            not_seen=bool(data.get("niet_gezien")),
            incomplete=bool(data.get("onvolledig")),
            sort=data.get("sortering") or "naam",
        )


# --- Register a candidate --------------------------------------------------------------------

PERSONAL_FIELDS = [
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
]


class CandidateCreateForm(forms.ModelForm):
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=11,
        help_text=_("Citizen service number, 9 digits. Stored encrypted."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=None, to_field_name="uuid"
    )

    class Meta:
        model = Candidate
        fields = PERSONAL_FIELDS
        widgets = {"birth_date": date_widget()}
        help_texts = {
            "latitude": _("Optional. Used to work out travel distances."),
            "longitude": _("Optional."),
        }

    field_order = ["bsn", "first_name", "last_name", "birth_date", "municipality"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = region_selectors.municipalities(
            actor=actor, include_ended=False
        ).prefetch_related(None)
        self.fields["municipality"].queryset = municipalities
        if actor.municipality_id and not self.is_bound:
            own = next((m for m in municipalities if m.pk == actor.municipality_id), None)
            if own is not None:
                self.initial["municipality"] = own.uuid

    def clean_bsn(self) -> str:
        # The service checks it too, but reports only a code; say it in words here.
        value = self.cleaned_data.get("bsn", "")
        validate_bsn(value)
        return normalize_bsn(value)

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return normalize_phone(value) if value else value

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSONAL_FIELDS}


# --- Edit a candidate, one section at a time -------------------------------------------------


class CandidateSectionForm(VersionedForm):
    """One section of the record. ``relation_fields`` are many-to-many lists saved apart."""

    relation_fields: tuple[str, ...] = ()

    def data_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields  # type: ignore[union-attr]
            if name not in self.relation_fields
        }

    def relations_for_service(self) -> dict[str, Any]:
        return {name: list(self.cleaned_data[name]) for name in self.relation_fields}


class PersonalForm(CandidateSectionForm):
    class Meta:
        model = Candidate
        fields = [*PERSONAL_FIELDS, "sex", "household"]
        widgets = {"birth_date": date_widget()}


class BenefitForm(CandidateSectionForm):
    class Meta:
        model = Candidate
        fields = [
            "benefit_type",
            "benefit_start",
            "benefit_duration",
            "segment",
            "deployability",
            "education_level",
            "basic_qualification",
            "informed_at",
        ]
        widgets = {"benefit_start": date_widget(), "informed_at": date_widget()}


class ProfileForm(CandidateSectionForm):
    relation_fields = ("skills",)

    skills = TaxonomyChoiceField(
        label=_("Tasks and skills"),
        queryset=Skill.objects.order_by("label"),
        required=False,
        widget=checklist(),
        help_text=_("Tick what the candidate can do. Type in the filter box to find a task."),
    )
    driving_licence = forms.TypedChoiceField(
        label=_("Driving licence (B)"),
        choices=YES_NO,
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Candidate
        fields = [
            "talents",
            "motivation",
            "development_goals",
            "skills",
            "hours_available",
            "available_from",
            "driving_licence",
            "transport",
        ]
        widgets = {
            "available_from": date_widget(),
            "talents": forms.Textarea(attrs={"rows": 4}),
            "motivation": forms.Textarea(attrs={"rows": 3}),
            "development_goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        licence = self.instance.driving_licence
        if not self.is_bound and licence is not None:
            self.initial["driving_licence"] = "ja" if licence else "nee"


class WishesForm(CandidateSectionForm):
    relation_fields = ("wished_occupations", "wished_skills")

    wished_work_kinds = forms.MultipleChoiceField(
        label=_("Kinds of work wanted"),
        choices=WorkKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wished_occupations = TaxonomyChoiceField(
        label=_("Occupations wanted"),
        queryset=Occupation.objects.order_by("label"),
        required=False,
        widget=checklist(),
    )
    wished_skills = TaxonomyChoiceField(
        label=_("Tasks wanted"),
        queryset=Skill.objects.order_by("label"),
        required=False,
        widget=checklist(),
    )

    class Meta:
        model = Candidate
        fields = [
            "wished_work_kinds",
            "wished_occupations",
            "wished_skills",
            "wished_hours_min",
            "wished_hours_max",
            "max_travel_minutes",
            "max_travel_km",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("wished_hours_min"), data.get("wished_hours_max")
        if low is not None and high is not None and high < low:
            self.add_error("wished_hours_max", _("'At most' hours cannot be below 'at least'."))
        return data


#: ?deel=... -> (form class, title)
SECTIONS: dict[str, tuple[type[CandidateSectionForm], Any]] = {
    "persoonlijk": (PersonalForm, _("Personal details, contact and address")),
    "uitkering": (BenefitForm, _("Benefit, segment and education")),
    "profiel": (ProfileForm, _("What the candidate is good at")),
    "wensen": (WishesForm, _("Wishes")),
}


# --- Lists and case items --------------------------------------------------------------------


class LanguageRowForm(forms.Form):
    language = forms.CharField(label=_("Language"), max_length=60, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "—"), *LanguageLevel.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("language") and not data.get("level"):
            self.add_error("level", _("Choose the level."))
        return data


LanguageFormSet = forms.formset_factory(LanguageRowForm, extra=3, max_num=30)


class WorkExperienceForm(forms.ModelForm):
    occupation = forms.ModelChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.order_by("label"),
        required=False,
        to_field_name="uuid",
        help_text=_("Optional: the nearest occupation from the list."),
    )

    class Meta:
        model = WorkExperience
        fields = [
            "role",
            "employer_name",
            "occupation",
            "from_year",
            "to_year",
            "paid",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TargetGroupForm(forms.ModelForm):
    class Meta:
        model = TargetGroupMembership
        fields = ["group", "status", "decided_by", "valid_from", "valid_to", "next_check_on"]
        widgets = {
            "valid_from": date_widget(),
            "valid_to": date_widget(),
            "next_check_on": date_widget(),
        }


class LadderStepForm(forms.Form):
    step = forms.TypedChoiceField(
        label=_("Participation ladder step"),
        coerce=int,
        choices=LadderStep.choices,
        widget=forms.RadioSelect,
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=date_widget())
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Why the step changed, in a sentence."),
    )


class HealthForm(forms.ModelForm):
    class Meta:
        model = HealthProfile
        fields = [
            "self_rated_health",
            "has_limitation",
            "nature",
            "structural",
            "limitations",
            "adjustments_needed",
        ]
        widgets = {
            "limitations": forms.Textarea(attrs={"rows": 3}),
            "adjustments_needed": forms.Textarea(attrs={"rows": 3}),
        }


class PortalAccountForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The name the candidate logs in with, for example their e-mail address."),
    )


class CaseworkersForm(forms.Form):
    """The candidate's municipality of residence and client manager."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=None, empty_label=None
    )
    client_manager = forms.ModelChoiceField(
        label=_("Client manager"),
        queryset=None,
        required=False,
        empty_label=_("(none)"),
        help_text=_("A client manager of the candidate's municipality."),
    )

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        from werkbrug.core.roles import Role
        from werkbrug.regions.models import Municipality, Staff

        kwargs.setdefault(
            "initial",
            {"municipality": candidate.municipality, "client_manager": candidate.client_manager},
        )
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region_id=candidate.region_id, ended_on__isnull=True
        ).order_by("name")
        self.fields["client_manager"].queryset = (
            Staff.objects.filter(
                organisation__region_id=candidate.region_id,
                active=True,
                user__role_grants__role=Role.CLIENT_MANAGER,
            )
            .select_related("user", "municipality")
            .order_by("municipality__name", "user__last_name")
        )
        self.fields["client_manager"].label_from_instance = lambda staff: (
            f"{staff} ({staff.municipality.name})"
        )
