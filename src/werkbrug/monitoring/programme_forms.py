"""Forms of the pages that manage programmes and log hours. They parse what was typed;
``monitoring.programme_services`` checks the rules (the period, the region, the KPI codes,
the 24 hours of a day) and names the field that is wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.monitoring import kpis, programme_selectors, programme_services
from werkbrug.monitoring.models import Activity, Programme, Target, TargetKind
from werkbrug.regions.models import Municipality

DATE_ERRORS = {"invalid": _("Give a date as dd-mm-yyyy.")}
NUMBER_ERRORS = {"invalid": _("Give a number, for example 2.5.")}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number_widget(step: str) -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": step, "min": "0", "inputmode": "decimal"})


def plain(value: Decimal | None) -> str | None:
    """A stored amount as a number field shows it: 3 rather than 3.0, 1500 not 1500.00."""
    return None if value is None else f"{value.normalize():f}"


def kpi_label(kpi: kpis.Kpi) -> str:
    return f"{kpi.code} — {kpi.name_nl}"


def kpi_choices(
    *, only_counts: bool = False, keep: tuple[str, ...] = ()
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The KPIs grouped by theme (``kpis.THEMES_NL``), each as "K1 — Nieuwe
    werkgeverscontacten" (the latest version's name). ``only_counts``: the KPIs that count
    results (what a fee can be paid for); codes in ``keep`` are offered anyway."""
    latest: dict[str, kpis.Kpi] = {}
    for code in kpis.codes():
        latest[code] = kpis.for_code(code)[-1]
    groups: dict[str, list[tuple[str, str]]] = {theme: [] for theme in kpis.THEMES_NL}
    for code, kpi in latest.items():
        if only_counts and kpi.kind != kpis.Kind.COUNT and code not in keep:
            continue
        groups.setdefault(kpi.theme, []).append((code, kpi_label(kpi)))
    return [
        (kpis.THEMES_NL.get(theme, theme or "—"), choices)
        for theme, choices in groups.items()
        if choices
    ]


class MunicipalityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        if obj.ended_on:
            return _("%(name)s (until %(day)s)") % {
                "name": obj.name,
                "day": obj.ended_on.strftime("%d-%m-%Y"),
            }
        return obj.name


class ProgrammeForm(forms.Form):
    """A new programme, or a change to one (with the version it was opened at)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        error_messages={"required": _("Give the programme a name.")},
        help_text=_("For example “Werktop Hilversum”."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    partner = forms.CharField(
        label=_("External partner"),
        required=False,
        max_length=150,
        help_text=_("The organisation that carries out the programme with you, if any."),
    )
    start_on = forms.DateField(
        label=_("Start"),
        widget=_date_widget(),
        error_messages={"required": _("Give the date the programme starts."), **DATE_ERRORS},
    )
    end_on = forms.DateField(
        label=_("End"),
        widget=_date_widget(),
        help_text=_("The first day after the programme."),
        error_messages={
            "required": _("Give the end: the first day after the programme."),
            **DATE_ERRORS,
        },
    )
    municipalities = MunicipalityChoices(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole region."),
        error_messages={
            "invalid_choice": _("Choose municipalities of your own region."),
            "invalid_pk_value": _("Choose municipalities of your own region."),
        },
    )
    tolerance_pct = forms.DecimalField(
        label=_("Tolerance (%)"),
        required=False,
        initial=3,
        widget=_number_widget("0.1"),
        help_text=_(
            "A result this many percent short of the target still counts as achieved. Empty: 3 %."
        ),
        error_messages=NUMBER_ERRORS,
    )
    capacity_days_per_week = forms.DecimalField(
        label=_("Agreed capacity (days a week)"),
        required=False,
        widget=_number_widget("0.5"),
        help_text=_(
            "The time agreed for the programme, e.g. 2 days a week; the programme page "
            "shows the hours logged against it."
        ),
        error_messages=NUMBER_ERRORS,
    )
    fee_per_result = forms.DecimalField(
        label=_("Fee per result (€)"),
        required=False,
        widget=_number_widget("0.01"),
        help_text=_(
            "No cure no pay: the amount due per result of the indicators chosen below. "
            "Empty: no fee."
        ),
        error_messages=NUMBER_ERRORS,
    )
    fee_kpis = forms.MultipleChoiceField(
        label=_("Indicators that earn the fee"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each result of these indicators counts once towards the fee. Whether a "
            "work-experience place or a pending contract earns a fee is up to the agreement."
        ),
        error_messages={"invalid_choice": _("Choose indicators from the list.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, actor: access.Actor, programme: Programme | None = None, **kwargs: Any
    ) -> None:
        if programme is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": programme.name,
                "description": programme.description,
                "partner": programme.partner,
                "start_on": programme.start_on,
                "end_on": programme.end_on,
                "municipalities": [m.uuid for m in programme.municipalities.all()],
                "tolerance_pct": plain(programme.tolerance_pct),
                "capacity_days_per_week": plain(programme.capacity_days_per_week),
                "fee_per_result": plain(programme.fee_per_result),
                "fee_kpis": list(programme.fee_kpis or []),
                "version": programme.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = programme_selectors.region_municipalities(actor)  # type: ignore[attr-defined]
        keep = tuple(programme.fee_kpis or []) if programme is not None else ()
        self.fields["fee_kpis"].choices = kpi_choices(only_counts=True, keep=keep)  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        """What the service takes: everything but the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class TargetForm(forms.Form):
    """A target of a programme: an indicator, a municipality (or the whole programme), a
    period within the programme's, the number and its kind."""

    kpi = forms.ChoiceField(
        label=_("Indicator"),
        error_messages={
            "required": _("Choose the indicator."),
            "invalid_choice": _("Choose an indicator from the list."),
        },
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("The whole programme"),
        error_messages={
            "invalid_choice": _(
                "Choose a municipality of this programme, or none for the whole programme."
            )
        },
    )
    start_on = forms.DateField(
        label=_("Start"),
        widget=_date_widget(),
        error_messages={"required": _("Give the first day of the period."), **DATE_ERRORS},
    )
    end_on = forms.DateField(
        label=_("End"),
        widget=_date_widget(),
        help_text=_("The first day after the period."),
        error_messages={"required": _("Give the first day after the period."), **DATE_ERRORS},
    )
    value = forms.DecimalField(
        label=_("Target"),
        widget=_number_widget("any"),
        help_text=_("The number to reach; for a percentage the percentage, e.g. 75."),
        error_messages={"required": _("Give the number to reach."), **NUMBER_ERRORS},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TargetKind.choices,
        initial=TargetKind.TARGET,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether this is a target or a budget estimate."),
            "invalid_choice": _("Choose whether this is a target or a budget estimate."),
        },
    )
    tolerance_pct = forms.DecimalField(
        label=_("Tolerance (%)"),
        required=False,
        widget=_number_widget("0.1"),
        error_messages=NUMBER_ERRORS,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, programme: Programme, target: Target | None = None, **kwargs: Any
    ) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = (
                {
                    "kpi": target.kpi,
                    "municipality": target.municipality.uuid if target.municipality else None,
                    "start_on": target.start_on,
                    "end_on": target.end_on,
                    "value": plain(target.value),
                    "kind": target.kind,
                    "tolerance_pct": plain(target.tolerance_pct),
                    "version": target.version,
                }
                if target is not None
                else {"start_on": programme.start_on, "end_on": programme.end_on}
            )
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["kpi"].choices = [("", _("Choose an indicator…")), *kpi_choices()]  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = programme_selectors.target_municipalities(  # type: ignore[attr-defined]
            programme
        )
        self.fields["tolerance_pct"].help_text = _(
            "Empty: the programme's tolerance (%(pct)s %%)."
        ) % {"pct": (plain(programme.tolerance_pct) or "").replace(".", ",")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_on"), data.get("end_on")
        if start and end:
            for field, problem in programme_services.period_problems(
                self.programme, start, end
            ).items():
                self.add_error(field, problem)
        return data

    def clean_value(self) -> Any:
        value = self.cleaned_data.get("value")
        problem = programme_services.value_problem(value) if value is not None else None
        if problem:
            raise forms.ValidationError(problem)
        return value

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")


class TimeEntryForm(forms.Form):
    """Hours on a day of the programme."""

    on = forms.DateField(
        label=_("Date"),
        widget=_date_widget(),
        error_messages={"required": _("Give the day the work was done."), **DATE_ERRORS},
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        widget=forms.NumberInput(
            attrs={"step": "0.25", "min": "0.25", "max": "24", "inputmode": "decimal"}
        ),
        help_text=_("In quarters: 1.5 is an hour and a half."),
        error_messages={"required": _("Give the hours."), **NUMBER_ERRORS},
    )
    activity = forms.ChoiceField(
        label=_("Activity"),
        choices=[("", _("Choose…")), *Activity.choices],
        error_messages={
            "required": _("Choose the activity."),
            "invalid_choice": _("Choose the activity."),
        },
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_on(self) -> Any:
        on = self.cleaned_data.get("on")
        problem = (
            programme_services.day_problem(self.programme, on, timezone.localdate())
            if on is not None
            else None
        )
        if problem:
            raise forms.ValidationError(problem)
        return on

    def clean_hours(self) -> Any:
        hours = self.cleaned_data.get("hours")
        problem = programme_services.hours_problem(hours) if hours is not None else None
        if problem:
            raise forms.ValidationError(problem)
        return hours

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            last_day = programme.end_on - dt.timedelta(days=1)
            kwargs["initial"] = {"on": min(timezone.localdate(), last_day)}
        super().__init__(*args, **kwargs)
        self.programme = programme
