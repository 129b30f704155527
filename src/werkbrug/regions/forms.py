"""Forms of the administrator's pages. They validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.core.forms import PlainSelect
from werkbrug.core.roles import STAFF_ROLES, Role
from werkbrug.core.validators import normalize_phone, validate_phone
from werkbrug.regions.models import Municipality, Organisation, Region, Staff, Team


class VersionedForm(forms.ModelForm):
    """Carries the version the record had when the form was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean_phone(self) -> str:
        """Store phone numbers in one form (E.164), whatever way they were typed."""
        value = self.cleaned_data.get("phone", "")
        return normalize_phone(value) if value else value


class RegionForm(VersionedForm):
    class Meta:
        model = Region
        fields = ["name", "code", "centrumgemeente"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centrumgemeente"].queryset = Municipality.objects.filter(
            region=self.instance if self.instance.pk else None
        )


class MunicipalityForm(VersionedForm):
    class Meta:
        model = Municipality
        fields = ["region", "name", "kind", "cbs_code", "composed_of", "ended_on"]
        widgets = {"composed_of": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from werkbrug.regions import selectors

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions(actor=actor)
        parts = selectors.municipalities(actor=actor)
        if self.instance.pk:
            parts = parts.exclude(pk=self.instance.pk)
        self.fields["composed_of"].queryset = parts
        self.fields["cbs_code"].help_text = _("GM followed by four digits, e.g. GM0268.")

    def clean_cbs_code(self) -> str | None:
        value = (self.cleaned_data.get("cbs_code") or "").strip().upper()
        if value.isascii() and value.isdigit() and len(value) <= 4:
            value = "GM" + value.zfill(4)
        return value or None


class OrganisationForm(VersionedForm):
    class Meta:
        model = Organisation
        fields = ["region", "name", "kind", "municipality", "serves", "email", "phone"]
        widgets = {"serves": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from werkbrug.regions import selectors

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions(actor=actor)
        active = selectors.municipalities(actor=actor, include_ended=False)
        self.fields["municipality"].queryset = active
        self.fields["serves"].queryset = active
        self.fields["phone"].validators.append(validate_phone)


class TeamForm(VersionedForm):
    class Meta:
        model = Team
        fields = ["organisation", "name", "municipality", "lead"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from werkbrug.regions import selectors

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisations(actor=actor)
        self.fields["municipality"].queryset = selectors.municipalities(
            actor=actor, include_ended=False
        )
        self.fields["lead"].queryset = selectors.staff_list(actor=actor, role=Role.TEAM_LEAD)


STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]


class StaffForm(VersionedForm):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=STAFF_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Staff
        fields = [
            "organisation",
            "municipality",
            "team",
            "job_title",
            "phone",
            "substitute",
            "active",
        ]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        from werkbrug.regions import selectors

        super().__init__(*args, **kwargs)
        self.order_fields(["username", "first_name", "last_name", "email", "roles"])
        self.fields["organisation"].queryset = selectors.organisations(actor=actor)
        self.fields["municipality"].queryset = selectors.municipalities(
            actor=actor, include_ended=False
        )
        self.fields["team"].queryset = selectors.teams(actor=actor)
        self.fields["substitute"].queryset = selectors.substitute_choices(
            actor=actor, exclude_id=self.instance.pk
        )
        self.fields["phone"].validators.append(validate_phone)
        if self.instance.pk:
            user = self.instance.user
            self.fields["username"].initial = user.username
            self.fields["username"].disabled = True
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name
            self.fields["email"].initial = user.email
            self.fields["roles"].initial = list(user.role_grants.values_list("role", flat=True))

    def user_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("username", "first_name", "last_name", "email")
        }


class _StaffNames(forms.models.ModelChoiceIterator):
    """The options from one ``values_list`` query: no model instance per staff member."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list(
            self.field.to_field_name or "pk",
            "user__first_name",
            "user__last_name",
            "user__username",
        )
        for value, first, last, username in rows:
            yield (str(value), f"{first} {last}".strip() or username)


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff member for long lists (a national region has 1,500): the options are
    named as ``Staff.__str__`` names them, read in one query and written in one pass."""

    iterator = _StaffNames
    widget = PlainSelect
