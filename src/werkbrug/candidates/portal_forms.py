"""Forms of the candidate portal ("Mijn profiel"), in plain words (B1).

The candidate edits what they are good at and what they want; the services in
``candidates.services`` do the writing (``update_own_profile``, ``set_languages``,
``add_work_experience``). Picking tasks and occupations works without JavaScript: plain
checkboxes, grouped by kind of work (``choice_groups``), each group in a fold-out section.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.candidates.models import Candidate, LanguageLevel, Transport
from werkbrug.candidates.services import OWN_PROFILE_FIELDS
from werkbrug.core import access
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source, WorkKind

#: At most this many tasks or occupations are offered per list (the curated list is small;
#: with a full ESCO import only the curated ones and those already chosen are offered).
MAX_CHOICES = 400
OTHER_GROUP = ""

YES_NO_CHOICES = [("", _("I do not want to say")), ("ja", _("Yes")), ("nee", _("No"))]

LEVEL_CHOICES = [
    ("", _("Choose how well")),
    (LanguageLevel.NATIVE, _("It is my first language")),
    (LanguageLevel.A1, _("A few words (A1)")),
    (LanguageLevel.A2, _("Simple conversations (A2)")),
    (LanguageLevel.B1, _("Everyday conversations (B1)")),
    (LanguageLevel.B2, _("Well (B2)")),
    (LanguageLevel.C1, _("Very well (C1)")),
    (LanguageLevel.C2, _("Fluently (C2)")),
]


def _yes_no(value: str) -> bool | None:
    return {"ja": True, "nee": False}.get(value)


def _hours(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=60,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Fill in at least 1 hour."),
            "max_value": _("Fill in at most 60 hours."),
            "invalid": _("Fill in a number of hours, for example 24."),
        },
    )


# --- Choices grouped by kind of work -------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Checkboxes of one kind of work: ``code`` is a WorkKind code or "" (other)."""

    code: str
    label: str
    options: list[tuple[str, str]]  # (value, label)


def _offered(
    model: type[Occupation] | type[Skill], actor: access.Actor, chosen: Iterable[int]
) -> list[Any]:
    """Curated entries plus the ones already chosen (staff may have picked ESCO entries)."""
    chosen = list(chosen)
    return list(
        access.scoped(model, actor)
        .filter(Q(source=Source.CURATED) | Q(pk__in=chosen))
        .order_by("label", "id")[:MAX_CHOICES]
    )


def _skill_kinds(skill_ids: list[int]) -> dict[int, str]:
    """Each skill's kind of work: the kind of most of the occupations it belongs to."""
    rows = (
        OccupationSkill.objects.filter(skill_id__in=skill_ids)
        .exclude(occupation__work_kind="")
        .values("skill_id", "occupation__work_kind")
        .annotate(n=Count("id"))
        .order_by("skill_id", "-n", "occupation__work_kind")
    )
    kinds: dict[int, str] = {}
    for row in rows:
        kinds.setdefault(row["skill_id"], row["occupation__work_kind"])
    return kinds


def _groups(items: list[tuple[int, str, str]]) -> list[Group]:
    """(id, label, kind) triples into groups in WorkKind order, "other" last."""
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pk, label, kind in items:
        by_kind[kind if kind in WorkKind.values else OTHER_GROUP].append((str(pk), label))
    groups = [Group(code, str(label), by_kind[code]) for code, label in WorkKind.choices]
    groups.append(Group(OTHER_GROUP, str(_("Other")), by_kind[OTHER_GROUP]))
    return [g for g in groups if g.options]


def occupation_groups(actor: access.Actor, chosen: Iterable[int]) -> list[Group]:
    return _groups([(o.pk, o.label, o.work_kind) for o in _offered(Occupation, actor, chosen)])


def skill_groups(actor: access.Actor, chosen: Iterable[int]) -> list[Group]:
    skills = _offered(Skill, actor, chosen)
    kinds = _skill_kinds([s.pk for s in skills])
    return _groups([(s.pk, s.label, kinds.get(s.pk, OTHER_GROUP)) for s in skills])


def _flat(groups: list[Group]) -> list[tuple[str, str]]:
    return [option for group in groups for option in group.options]


# --- Profile and wishes -------------------------------------------------------------------


class ProfileForm(forms.Form):
    """What I am good at, what I want, and how to reach me. ``version`` guards against
    overwriting a change made by someone else in the meantime."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    talents = forms.CharField(
        label=_("What are you good at?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: 'I work carefully', 'I like helping people', 'I can cook'."),
    )
    skills = forms.MultipleChoiceField(
        label=_("Tasks you can do"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose tasks from the list.")},
    )
    development_goals = forms.CharField(
        label=_("What do you want to learn?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    motivation = forms.CharField(
        label=_("Why do you want to work?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wished_work_kinds = forms.MultipleChoiceField(
        label=_("What kind of work do you want?"),
        required=False,
        choices=WorkKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose a kind of work from the list.")},
    )
    wished_occupations = forms.MultipleChoiceField(
        label=_("Which jobs would you like?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose jobs from the list.")},
    )
    wished_skills = forms.MultipleChoiceField(
        label=_("Which tasks would you like to do?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose tasks from the list.")},
    )
    hours_available = _hours(
        _("How many hours a week can you work?"), _("Fill in a number, for example 24.")
    )
    wished_hours_min = _hours(_("At least"))
    wished_hours_max = _hours(_("At most"))
    available_from = forms.DateField(
        label=_("From what date can you start?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Fill in a date, for example 01-09-2026.")},
    )
    max_travel_minutes = forms.IntegerField(
        label=_("How long may the trip to work take? In minutes"),
        required=False,
        min_value=5,
        max_value=180,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Fill in at least 5 minutes."),
            "max_value": _("Fill in at most 180 minutes (3 hours)."),
            "invalid": _("Fill in a number of minutes, for example 30."),
        },
    )
    max_travel_km = forms.IntegerField(
        label=_("How far away may the work be? In kilometres"),
        required=False,
        min_value=1,
        max_value=200,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Fill in at least 1 km."),
            "max_value": _("Fill in at most 200 km."),
            "invalid": _("Fill in a number of kilometres, for example 10."),
        },
    )
    transport = forms.ChoiceField(
        label=_("How do you travel?"),
        required=False,
        choices=[("", _("I do not want to say")), *Transport.choices],
        widget=forms.RadioSelect,
    )
    driving_licence = forms.ChoiceField(
        label=_("Do you have a driving licence for a car?"),
        required=False,
        choices=YES_NO_CHOICES,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(
        self, data: Any = None, *, candidate: Candidate, actor: access.Actor, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", self.initial_for(candidate))
        super().__init__(data, **kwargs)
        chosen_skills = {s.pk for s in candidate.skills.all()} | {
            s.pk for s in candidate.wished_skills.all()
        }
        chosen_occupations = [o.pk for o in candidate.wished_occupations.all()]
        self.skill_groups = skill_groups(actor, chosen_skills)
        self.occupation_groups = occupation_groups(actor, chosen_occupations)
        self.fields["skills"].choices = _flat(self.skill_groups)
        self.fields["wished_skills"].choices = _flat(self.skill_groups)
        self.fields["wished_occupations"].choices = _flat(self.occupation_groups)

    @staticmethod
    def initial_for(candidate: Candidate) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(candidate, name) for name in OWN_PROFILE_FIELDS}
        initial["version"] = candidate.version
        initial["driving_licence"] = {True: "ja", False: "nee"}.get(candidate.driving_licence, "")
        initial["skills"] = [str(s.pk) for s in candidate.skills.all()]
        initial["wished_skills"] = [str(s.pk) for s in candidate.wished_skills.all()]
        initial["wished_occupations"] = [str(o.pk) for o in candidate.wished_occupations.all()]
        return initial

    def clean_available_from(self) -> dt.date | None:
        value = self.cleaned_data.get("available_from")
        if value and value < timezone.localdate() - dt.timedelta(days=366):
            raise forms.ValidationError(_("This date is long ago. Fill in today or later."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("wished_hours_min"), data.get("wished_hours_max")
        if low and high and high < low:
            self.add_error("wished_hours_max", _("'At most' cannot be less than 'at least'."))
        return data

    def data_for_service(self) -> dict[str, Any]:
        """The record fields for ``services.update_own_profile``."""
        data = self.cleaned_data
        result: dict[str, Any] = {}
        for name in OWN_PROFILE_FIELDS:
            value = data.get(name)
            if name == "driving_licence":
                value = _yes_no(value or "")
            elif name == "wished_work_kinds":
                value = list(value or [])
            elif isinstance(self.fields[name], forms.CharField) and value is None:
                value = ""
            elif isinstance(value, str):
                value = value.strip()
            result[name] = value
        return result

    def relations_for_service(self) -> dict[str, list[int]]:
        return {
            name: [int(pk) for pk in self.cleaned_data.get(name, [])]
            for name in ("skills", "wished_occupations", "wished_skills")
        }

    def checked(self, name: str) -> set[str]:
        """The values ticked in a checkbox list (as shown: posted data or initial)."""
        return {str(v) for v in (self[name].value() or [])}

    def picker(self, name: str) -> dict[str, Any]:
        """A checkbox list for the template: what is ticked now comes first (so untick it
        there); the other options follow in folded groups by kind of work. Each option appears
        once, so unticking always removes it."""
        groups = self.occupation_groups if name == "wished_occupations" else self.skill_groups
        checked = self.checked(name)
        labels = {value: label for group in groups for value, label in group.options}
        chosen = [
            {"value": value, "label": labels[value]}
            for value in sorted(checked, key=lambda v: labels.get(v, "").lower())
            if value in labels
        ]
        result = []
        for group in groups:
            options = [
                {"value": value, "label": label}
                for value, label in group.options
                if value not in checked
            ]
            if options:
                result.append(
                    {"code": group.code or "overig", "label": group.label, "options": options}
                )
        return {"field": self[name], "chosen": chosen, "groups": result}


# --- Languages and work experience ----------------------------------------------------------


class LanguageForm(forms.Form):
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=60,
        help_text=_("For example Dutch, English or Arabic."),
    )
    level = forms.ChoiceField(label=_("How well?"), required=False, choices=LEVEL_CHOICES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("language", "").strip() and not data.get("level"):
            self.add_error("level", _("Choose how well you speak this language."))
        return data


class BaseLanguageFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple[str, str]]:
        return [
            (f.cleaned_data["language"], f.cleaned_data["level"])
            for f in self.forms
            if f.cleaned_data.get("language", "").strip()
        ]


LanguageFormSet = forms.formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=2, max_num=20, absolute_max=30
)


def language_initial(candidate: Candidate, actor: access.Actor) -> list[dict[str, str]]:
    from werkbrug.candidates.models import CandidateLanguage

    rows = access.scoped(CandidateLanguage, actor).filter(candidate=candidate).order_by("id")
    return [{"language": row.language, "level": row.level} for row in rows]


def _year(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1950,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Fill in a year from 1950."),
            "max_value": _("Fill in a year, for example 2021."),
            "invalid": _("Fill in a year, for example 2021."),
        },
    )


class ExperienceForm(forms.Form):
    role = forms.CharField(
        label=_("What work did you do?"),
        max_length=150,
        help_text=_("For example: 'cashier' or 'helping in the garden'."),
        error_messages={"required": _("Write down what work you did.")},
    )
    employer_name = forms.CharField(label=_("Where?"), required=False, max_length=150)
    from_year = _year(_("From (year)"))
    to_year = _year(_("Until (year)"))
    paid = forms.BooleanField(label=_("I was paid for this work"), required=False, initial=True)
    description = forms.CharField(
        label=_("What did you do there?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from_year"), data.get("to_year")
        if start and end and end < start:
            self.add_error("to_year", _("'Until' cannot be before 'from'."))
        if end and end > timezone.localdate().year:
            self.add_error("to_year", _("This year has not come yet."))
        return data
