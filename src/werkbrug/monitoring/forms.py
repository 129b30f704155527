"""The dashboard's filter: which cell (the region, a municipality, a team, a staff member),
which year and how finely to show the trend. Sent with GET, so a view can be bookmarked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core import access
from werkbrug.monitoring.kpis import Dimension
from werkbrug.monitoring.selectors import Granularity
from werkbrug.regions.forms import StaffChoiceField
from werkbrug.regions.models import Municipality, Staff, Team

FIRST_YEAR = 2010

GRANULARITY_CHOICES = [
    (Granularity.MONTH, _("Per month")),
    (Granularity.QUARTER, _("Per quarter")),
    (Granularity.YEAR, _("Per year")),
]


class DashboardFilter(forms.Form):
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("The whole region"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("All teams"),
    )
    medewerker = StaffChoiceField(
        label=_("Staff member"),
        queryset=Staff.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Everyone"),
    )
    jaar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    indeling = forms.ChoiceField(
        label=_("Trend"), choices=GRANULARITY_CHOICES, required=False, initial=Granularity.MONTH
    )

    def __init__(self, *args: Any, actor: access.Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = actor.region_id
        self.fields["gemeente"].queryset = Municipality.objects.filter(region_id=region).order_by(
            "name"
        )
        self.fields["team"].queryset = (
            Team.objects.filter(organisation__region_id=region)
            .select_related("organisation")  # a team is named with its organisation
            .order_by("name")
        )
        self.fields["medewerker"].queryset = (
            Staff.objects.filter(organisation__region_id=region, user__is_active=True)
            .select_related("user")  # for the chosen one's name
            .order_by("user__first_name", "user__last_name")
        )
        this_year = timezone.localdate().year
        self.fields["jaar"].choices = [
            (year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = [name for name in ("gemeente", "team", "medewerker") if data.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(
                _("Choose a municipality, a team or a staff member: one of them at a time.")
            )
        return data

    def cell(self) -> tuple[Dimension, int, str]:
        """The dimension, the member and how the page names it."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("gemeente"):
            return Dimension.MUNICIPALITY, data["gemeente"].pk, str(data["gemeente"])
        if data.get("team"):
            return Dimension.TEAM, data["team"].pk, str(data["team"])
        if data.get("medewerker"):
            return Dimension.STAFF, data["medewerker"].pk, str(data["medewerker"])
        return Dimension.REGION, 0, ""

    def year(self) -> int:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("jaar") or timezone.localdate().year

    def granularity(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("indeling") or Granularity.MONTH


def year_range(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The year, or for the current year the months up to and including this one."""
    start = dt.date(year, 1, 1)
    end = dt.date(year + 1, 1, 1)
    if year == today.year:
        end = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return start, end


def _indicator_choices() -> list[tuple[str, str]]:
    from werkbrug.monitoring import kpis

    return [(code, f"{code} — {kpis.for_code(code)[-1].name_nl}") for code in kpis.codes()]


class IndexForm(forms.Form):
    """Which indicator as an index, on which base year, over which years."""

    indicator = forms.ChoiceField(label=_("Indicator"), choices=_indicator_choices)
    basisjaar = forms.TypedChoiceField(label=_("Base year (= 100)"), coerce=int)
    van = forms.TypedChoiceField(label=_("From"), coerce=int)
    tot = forms.TypedChoiceField(label=_("Up to and including"), coerce=int)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        years = [(y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)]
        for name in ("basisjaar", "van", "tot"):
            self.fields[name].choices = years
        for name, value in self.defaults().items():
            self.fields[name].initial = value

    def defaults(self) -> dict[str, Any]:
        year = self.today.year
        return {"indicator": "K4", "basisjaar": year - 2, "van": year - 2, "tot": year}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last, base = data.get("van"), data.get("tot"), data.get("basisjaar")
        if first is not None and last is not None:
            if last < first:
                self.add_error("tot", _("The last year lies before the first."))
            elif last - first > 15:
                self.add_error("van", _("Show at most sixteen years."))
            elif base is not None and not first <= base <= last:
                self.add_error("basisjaar", _("Choose a base year within the years shown."))
        return data
