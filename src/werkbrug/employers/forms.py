"""Forms of the staff pages of the employer register. They validate and shape input; the
services in ``employers.services`` do the writing (and the checks that need the database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.access import Actor
from werkbrug.core.concurrency import StaleRecordError
from werkbrug.core.roles import Role
from werkbrug.core.validators import (
    normalize_kvk,
    normalize_postcode,
    normalize_vestigingsnummer,
    validate_phone,
)
from werkbrug.employers import selectors, services
from werkbrug.employers.models import (
    Channel,
    ContactPerson,
    Employer,
    EmployerPolicy,
    EmployerQuestion,
    OpportunityStatus,
    Phase,
    WorkOpportunity,
)
from werkbrug.employers.selectors import SORTS, EmployerFilter
from werkbrug.regions import selectors as region_selectors
from werkbrug.regions.forms import VersionedForm
from werkbrug.regions.models import Staff

#: The roles that work with employers (owner, substitute, colleagues present, action owners).
EMPLOYER_SERVICE_ROLES = (Role.RELATIONSHIP_MANAGER, Role.TEAM_LEAD, Role.UWV_PARTNER)

#: How many agreed actions the contact form offers.
ACTION_ROWS = 3

MINE = "mij"


def employer_staff(actor: Actor, *, include: tuple[int | None, ...] = ()) -> QuerySet[Staff]:
    """Active colleagues of the region who work with employers (plus people already linked to
    the record, so an edit never silently drops them)."""
    keep = [pk for pk in include if pk]
    return (
        region_selectors.staff_list(actor=actor)
        .filter(Q(active=True, user__role_grants__role__in=EMPLOYER_SERVICE_ROLES) | Q(pk__in=keep))
        .select_related(None)
        .select_related("user")
        .prefetch_related(None)
        .distinct()
    )


def date_widget() -> forms.DateInput:
    """A native date picker (dd-mm-jjjj in a Dutch browser); the value travels as ISO."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj)


class LinesField(forms.CharField):
    """A textarea with one item per line, stored as a list of strings."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            lines = [str(item) for item in value]
        else:
            lines = str(value or "").splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        for line in value or []:
            super().run_validators(line)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


# --- The employer list ------------------------------------------------------------------------


class EmployerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, place, KvK number or postcode"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("All municipalities"),
    )
    fase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Phase.choices]
    )
    relatiemanager = forms.ChoiceField(label=_("Relationship manager"), required=False)
    relatie = forms.ChoiceField(
        label=_("Relation"),
        required=False,
        choices=[("", _("Warm and cold")), ("warm", _("Warm")), ("koud", _("Cold"))],
    )
    ambassadeur = forms.ChoiceField(
        label=_("Ambassador"),
        required=False,
        choices=[
            ("", _("All employers")),
            ("ja", _("Ambassadors only")),
            ("nee", _("No ambassadors")),
        ],
    )
    sortering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("naam", _("Name (A–Z)")),
            ("-naam", _("Name (Z–A)")),
            ("-laatste_contact", _("Last contact, newest first")),
            ("laatste_contact", _("Last contact, oldest first")),
            ("gemeente", _("Municipality")),
            ("fase", _("Phase")),
        ],
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["gemeente"].queryset = region_selectors.municipalities(
            actor=actor, include_ended=False
        ).prefetch_related(None)
        people = list(employer_staff(actor))
        self.staff_ids = {str(s.uuid): s.pk for s in people}
        mine = [(MINE, _("Mine (also as substitute)"))] if actor.staff_id else []
        self.fields["relatiemanager"].choices = [
            ("", _("Everybody")),
            *mine,
            *((str(s.uuid), str(s)) for s in people),
        ]

    def to_filter(self) -> EmployerFilter:
        data = self.cleaned_data if self.is_valid() else {}
        owner = data.get("relatiemanager") or ""
        owner_id: int | None = None
        if owner == MINE:
            owner_id = self.actor.staff_id
        elif owner:
            owner_id = self.staff_ids.get(owner)
        ambassador = {"ja": True, "nee": False}.get(data.get("ambassadeur") or "")
        municipality = data.get("gemeente")
        sort = data.get("sortering") or "naam"
        return EmployerFilter(
            search=(data.get("q") or "").strip(),
            municipality_id=municipality.pk if municipality else None,
            phase=data.get("fase") or "",
            owner_id=owner_id,
            relation=data.get("relatie") or "",
            ambassador=ambassador,
            sort=sort if sort in SORTS else "naam",
        )


# --- Register and edit an employer ----------------------------------------------------------


class EmployerForm(VersionedForm):
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    duplicates_checked = forms.BooleanField(
        label=_("I checked the matches: this is a different establishment"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Employer
        fields = [
            "name",
            "kvk_number",
            "vestigingsnummer",
            "street",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "municipality",
            "website",
            "sbi_code",
            "size_class",
            "owner",
            "substitute",
            "phase",
            "ambassador",
            "source",
            "brought_in_by",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "kvk_number": _("Eight digits, from the Chamber of Commerce (KvK)."),
            "vestigingsnummer": _("Twelve digits; identifies this branch of the company."),
            "sbi_code": _("The SBI activity code, when known."),
            "latitude": _("For travel distances, e.g. 51.84257 (from a map service)."),
            "longitude": _("For travel distances, e.g. 5.85282."),
            "brought_in_by": _("Only ambassador employers can be chosen."),
        }

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self._loosen_lengths()
        self.fields["municipality"].queryset = region_selectors.municipalities(
            actor=actor, include_ended=False
        ).prefetch_related(None)
        staff = employer_staff(actor, include=(instance.owner_id, instance.substitute_id))
        self.fields["owner"] = StaffChoiceField(
            label=_("Relationship manager"),
            queryset=staff,
            to_field_name="uuid",
            help_text=_("The employer's fixed point of contact."),
        )
        self.fields["substitute"] = StaffChoiceField(
            label=_("Substitute"),
            queryset=staff,
            to_field_name="uuid",
            required=False,
            help_text=_("Receives questions while the relationship manager is away."),
        )
        ambassadors = selectors.employers(actor=actor, flt=EmployerFilter(ambassador=True))
        if instance.pk:
            ambassadors = ambassadors.exclude(pk=instance.pk)
        self.fields["brought_in_by"].queryset = ambassadors.select_related(None)
        self.fields["brought_in_by"].to_field_name = "uuid"
        if instance.pk:
            del self.fields["duplicates_checked"]
            # Choices travel by public id: the initial values must be the records themselves.
            self.initial["owner"] = instance.owner
            self.initial["substitute"] = instance.substitute
            self.initial["brought_in_by"] = instance.brought_in_by
        else:
            # A new employer starts as a prospect; the phase moves on with contacts.
            del self.fields["phase"]
            if actor.staff_id and not self.is_bound:
                self.initial["owner"] = staff.filter(pk=actor.staff_id).first()

    #: Typed with spaces (1234 5678, 6511ab) and stored in one form, like phone numbers.
    NORMALISED = {
        "kvk_number": normalize_kvk,
        "vestigingsnummer": normalize_vestigingsnummer,
        "postcode": normalize_postcode,
    }

    def _loosen_lengths(self) -> None:
        from django.core.validators import MaxLengthValidator

        for name in self.NORMALISED:
            field = self.fields[name]
            field.max_length = None
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs["autocomplete"] = "off"

    def _normalised(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        try:
            return self.NORMALISED[name](value)
        except ValueError:
            return value  # the model's validator explains what is wrong

    def clean_kvk_number(self) -> str:
        return self._normalised("kvk_number")

    def clean_vestigingsnummer(self) -> str:
        return self._normalised("vestigingsnummer")

    def clean_postcode(self) -> str:
        return self._normalised("postcode")

    def ask_duplicate_check(self) -> None:
        """Show the 'different establishment' checkbox (after matches were found)."""
        self.fields["duplicates_checked"].widget = forms.CheckboxInput()


# --- The contact moment form (used on a phone) ----------------------------------------------


class ContactMomentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_widget())
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect)
    contact_person = forms.ModelChoiceField(
        label=_("Spoke with"),
        queryset=ContactPerson.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Nobody in particular"),
    )
    work_found = forms.BooleanField(
        label=_("Work found"),
        required=False,
        help_text=_("The employer has work we can fill (a work opportunity)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    staff = forms.MultipleChoiceField(
        label=_("Colleagues present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You are added automatically."),
    )

    def __init__(self, *args: Any, actor: Actor, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employer = employer
        self.fields["date"].initial = timezone.localdate()
        persons = selectors.contact_persons(actor=actor, employer=employer)
        self.fields["contact_person"].queryset = persons
        if not persons.exists():
            self.fields["contact_person"].help_text = _(
                "No contact persons yet: add them on the employer's page afterwards."
            )
        staff = list(employer_staff(actor, include=(employer.owner_id,)))
        self.fields["staff"].choices = [
            (str(s.uuid), str(s)) for s in staff if s.pk != actor.staff_id
        ]
        self.staff_by_uuid = {str(s.uuid): s for s in staff}
        owner_choices = [(str(s.uuid), str(s)) for s in staff]
        for index in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{index}_title"] = forms.CharField(
                label=_("What"), required=False, max_length=200
            )
            self.fields[f"action_{index}_owner"] = forms.ChoiceField(
                label=_("Who"),
                required=False,
                choices=owner_choices,
                initial=str(employer.owner.uuid),
            )
            self.fields[f"action_{index}_due"] = forms.DateField(
                label=_("Deadline"), required=False, widget=date_widget()
            )

    @property
    def main_fields(self) -> list[forms.BoundField]:
        names = ["date", "channel", "contact_person", "work_found", "notes"]
        return [self[name] for name in names]

    @property
    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "index": index,
                "title": self[f"action_{index}_title"],
                "owner": self[f"action_{index}_owner"],
                "due": self[f"action_{index}_due"],
                "filled": bool(
                    self.is_bound
                    and (
                        self.data.get(f"action_{index}_title", "").strip()
                        or self.errors.get(f"action_{index}_due")
                    )
                ),
            }
            for index in range(1, ACTION_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(1, ACTION_ROWS + 1):
            title = (data.get(f"action_{index}_title") or "").strip()
            if not title:
                continue
            if not data.get(f"action_{index}_due") and f"action_{index}_due" not in self.errors:
                self.add_error(
                    f"action_{index}_due", _("Give a deadline for “%(what)s”.") % {"what": title}
                )
            if data.get(f"action_{index}_owner") not in self.staff_by_uuid:
                self.add_error(f"action_{index}_owner", _("Choose who will do this."))
        return data

    def staff_present(self) -> list[Staff]:
        return [self.staff_by_uuid[value] for value in self.cleaned_data.get("staff") or []]

    def agreed_actions(self) -> list[services.AgreedAction]:
        actions = []
        for index in range(1, ACTION_ROWS + 1):
            title = (self.cleaned_data.get(f"action_{index}_title") or "").strip()
            if title:
                actions.append(
                    services.AgreedAction(
                        title=title,
                        owner=self.staff_by_uuid[self.cleaned_data[f"action_{index}_owner"]],
                        due_on=self.cleaned_data[f"action_{index}_due"],
                    )
                )
        return actions


# --- Contact persons --------------------------------------------------------------------------


class ContactPersonForm(VersionedForm):
    """Contact persons carry no version counter in their service, so the form refuses a save
    when the record changed (``updated_at``) since the form was opened."""

    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "phone", "email", "preferred_channel", "is_primary", "active"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}
        help_texts = {
            "phone": _("Any notation, e.g. 024 123 45 67 or 06 12345678."),
            "is_primary": _("The person we contact first."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(validate_phone)
        if self.instance.pk:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()
        else:
            del self.fields["active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        loaded = data.get("loaded_at")
        if self.instance.pk and loaded and loaded != self.instance.updated_at.isoformat():
            raise StaleRecordError()
        return data


# --- Questions --------------------------------------------------------------------------------


class QuestionForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=EmployerQuestion.Topic.choices,
        initial=EmployerQuestion.Topic.OTHER,
    )
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the employer's words, as far as possible."),
    )
    contact_person = forms.ModelChoiceField(
        label=_("Asked by"),
        queryset=ContactPerson.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Not known"),
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        required=False,
        help_text=_("Leave empty when the question came in just now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, actor: Actor, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = selectors.contact_persons(
            actor=actor, employer=employer
        )

    def clean_received_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("A question cannot arrive in the future."))
        return value


class RouteQuestionForm(forms.Form):
    routed_to = forms.CharField(
        label=_("Passed on to"),
        max_length=200,
        help_text=_("Department or organisation, e.g. 'Vergunningen gemeente Nijmegen'."),
    )


class AnswerQuestionForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer given"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was answered, so colleagues can read it back."),
    )


class QuestionFilterForm(forms.Form):
    wie = forms.ChoiceField(
        label=_("Whose questions"),
        required=False,
        choices=[("", _("All open questions")), (MINE, _("Handled by me"))],
    )


# --- Work opportunities -----------------------------------------------------------------------


class OpportunityForm(VersionedForm):
    tasks = LinesField(
        label=_("Tasks"),
        help_text=_("One task per line, e.g. 'orders picking'."),
    )
    must_have = LinesField(
        label=_("Must have"), required=False, help_text=_("One requirement per line.")
    )
    nice_to_have = LinesField(
        label=_("Nice to have"), required=False, help_text=_("One wish per line.")
    )

    class Meta:
        model = WorkOpportunity
        fields = [
            "title",
            "tasks",
            "kind",
            "latent",
            "places",
            "hours_min",
            "hours_max",
            "schedule",
            "location",
            "start_date",
            "driving_licence",
            "language_level",
            "must_have",
            "nice_to_have",
            "occupation_code",
        ]
        widgets = {"start_date": date_widget()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("hours_min"), data.get("hours_max")
        if low is not None and high is not None and high < low:
            self.add_error("hours_max", _("'Hours up to' cannot be less than 'hours from'."))
        return data


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the employer"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Added to the e-mail the employer's contact persons receive."),
    )

    def __init__(self, *args: Any, opportunity: WorkOpportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = services.ALLOWED_TRANSITIONS.get(opportunity.status, set())
        self.fields["to_status"].choices = [
            (value, label) for value, label in OpportunityStatus.choices if value in allowed
        ]


class OpportunityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Description or employer name"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *OpportunityStatus.choices],
    )
    soort = forms.ChoiceField(label=_("Kind"), required=False)
    latent = forms.ChoiceField(
        label=_("Latent work"),
        required=False,
        choices=[
            ("", _("Latent and advertised")),
            ("ja", _("Latent only")),
            ("nee", _("Advertised only")),
        ],
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("All municipalities"),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        from werkbrug.employers.models import OpportunityKind

        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [("", _("All kinds")), *OpportunityKind.choices]
        self.fields["gemeente"].queryset = region_selectors.municipalities(
            actor=actor, include_ended=False
        ).prefetch_related(None)

    def to_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        municipality = data.get("gemeente")
        return {
            "status": data.get("status") or "",
            "kind": data.get("soort") or "",
            "latent": {"ja": True, "nee": False}.get(data.get("latent") or ""),
            "municipality_id": municipality.pk if municipality else None,
            "search": (data.get("q") or "").strip(),
        }


# --- Merge, policy ----------------------------------------------------------------------------


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Which record stays?"), widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same establishment"),
        error_messages={"required": _("Tick this box to confirm the merge.")},
    )

    def __init__(self, *args: Any, left: Employer, right: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            ("a", _("%(name)s (left)") % {"name": left.name}),
            ("b", _("%(name)s (right)") % {"name": right.name}),
        ]
        self.fields["keep"].initial = "a"


class PolicyForm(forms.Form):
    """The region's norms; labels and limits come from the EmployerPolicy model."""

    FIELDS = ("contacts_per_year", "visits_per_year", "cold_after_days", "response_days")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(EmployerPolicy, fields=self.FIELDS))
        self.fields["contacts_per_year"].help_text = _(
            "Within the last 12 months, per employer that is not a prospect."
        )
        self.fields["visits_per_year"].help_text = _("Company visits count as contacts too.")
        self.fields["response_days"].help_text = _(
            "Working days (Monday to Friday). 0 means: the same day."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contacts, visits = data.get("contacts_per_year"), data.get("visits_per_year")
        if contacts is not None and visits is not None and visits > contacts:
            self.add_error(
                "visits_per_year", _("There cannot be more visits than contacts in the norm.")
            )
        return data
