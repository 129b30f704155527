"""The form of "Wat kost het mij?": the situation (one job for one person, as far as the money
goes) and what is known of the person for the instrument advisor.

The form is sent with GET, so a result can be bookmarked, printed and opened as PDF with the
same query string. It validates and shapes the input into ``calculator.Situation`` and
``calculator.Facts``; the ranges the law sets (hours, wage, loonwaarde, the age of the LKV
for older employees) are checked by the calculator itself, which names every wrong field at
once (``CalculationError.problems``), so the rule lives in one place. Numbers may be typed
the Dutch way (``24,5``) or the English way (``24.5``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from werkbrug.rules.calculator import HUNDRED, Facts, LkvGroup, Situation

#: Years the calculator offers (the page); the API takes months.
YEARS = (1, 2, 3, 4, 5)
DEFAULT_YEARS = 3

LKV_CHOICES = [
    (LkvGroup.NONE.value, _("None")),
    (LkvGroup.BANENAFSPRAAK.value, _("Target group banenafspraak (in the register)")),
    (LkvGroup.OLDER.value, _("Older employee (56 or older, from a benefit)")),
    (LkvGroup.DISABLED.value, _("Employee with an occupational disability")),
    (LkvGroup.REPLACED.value, _("Re-placed employee with an occupational disability")),
]

#: The advisor's checkboxes, in the order the page shows them.
FACT_FIELDS = (
    "in_lks_target_group",
    "in_banenafspraak_register",
    "beschut_werk",
    "disability_benefit",
    "participatiewet",
    "large_distance",
)


class NumberField(forms.DecimalField):
    """A number typed with a comma or a point; shown in a text box with the numeric keyboard
    on a phone (no spinner that changes the value on a scroll)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Enter a number, for example 24 or 24,5.")
        self.error_messages["max_decimal_places"] = _("Use at most two decimals.")

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("%", "").replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No min/max/step attributes: the browser must not refuse input the page explains.
        return {}


class CalculatorForm(forms.Form):
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The rules valid on this day are used. Empty: today."),
        error_messages={"invalid": _("Give the date as dd-mm-yyyy.")},
    )
    hours_per_week = NumberField(
        label=_("Hours per week"),
        error_messages={"required": _("Fill in the hours per week.")},
    )
    wage_pct_of_wml = NumberField(
        label=_("Wage, as a percentage of the minimum wage"),
        required=False,
        initial=HUNDRED,
        help_text=_("100 is the statutory minimum wage."),
    )
    loonwaarde_pct = NumberField(
        label=_("Loonwaarde %"),
        required=False,
        help_text=_(
            "The assessed loonwaarde, 0 to 100. Empty: no wage cost subsidy after the "
            "flat-rate months."
        ),
    )
    forfait = forms.BooleanField(
        label=_("Flat-rate wage cost subsidy in the first months"),
        required=False,
        help_text=_("Before the loonwaarde has been assessed."),
    )
    lkv_group = forms.ChoiceField(
        label=_("Wage cost advantage (LKV)"),
        choices=LKV_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    age = forms.IntegerField(
        label=_("Age"),
        required=False,
        min_value=15,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Needed for the LKV for an older employee and the participatieplaats."),
        error_messages={
            "invalid": _("Enter an age in whole years."),
            "min_value": _("Enter an age of 15 or more."),
            "max_value": _("Enter an age of 100 or less."),
        },
    )
    years = forms.TypedChoiceField(
        label=_("Calculate over"),
        choices=[(y, ngettext_lazy("%(n)s year", "%(n)s years", "n") % {"n": y}) for y in YEARS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_YEARS,
        initial=DEFAULT_YEARS,
    )
    # The advisor: what is known of the person.
    in_lks_target_group = forms.BooleanField(
        label=_("Belongs to the target group for wage cost subsidy"), required=False
    )
    in_banenafspraak_register = forms.BooleanField(
        label=_("In the target group register banenafspraak"), required=False
    )
    beschut_werk = forms.BooleanField(label=_("Sheltered work (beschut werk)"), required=False)
    disability_benefit = forms.BooleanField(
        label=_("Has a Wajong, WIA, WAO or WAZ benefit"), required=False
    )
    participatiewet = forms.BooleanField(label=_("Falls under the Participatiewet"), required=False)
    large_distance = forms.BooleanField(
        label=_("Large distance to the labour market"), required=False
    )

    #: The situation's fields, in the order of the form (the rest are the advisor's).
    SITUATION_FIELDS = (
        "start_date",
        "hours_per_week",
        "wage_pct_of_wml",
        "loonwaarde_pct",
        "forfait",
        "lkv_group",
        "age",
        "years",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate

    @classmethod
    def submitted(cls, data: Any) -> bool:
        """Whether the query string holds the form (a bare page shows the empty form)."""
        return any(name in data for name in cls.base_fields)

    def situation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SITUATION_FIELDS]

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FACT_FIELDS]

    # The values below are read after ``is_valid()``.

    def start(self) -> dt.date:
        return self.cleaned_data.get("start_date") or timezone.localdate()

    def situation(self) -> Situation:
        data = self.cleaned_data
        wage = data.get("wage_pct_of_wml")
        return Situation(
            hours_per_week=data["hours_per_week"],
            wage_pct_of_wml=HUNDRED if wage is None else wage,
            loonwaarde_pct=data.get("loonwaarde_pct"),
            forfait=bool(data.get("forfait")),
            lkv_group=LkvGroup(data.get("lkv_group") or ""),
            age=data.get("age"),
            months=(data.get("years") or DEFAULT_YEARS) * 12,
        )

    def facts(self) -> Facts:
        return facts_for(self.situation(), self._ticked())

    def implied_labels(self) -> list[str]:
        """The labels of the advisor's facts that count without being ticked."""
        ticked, implied = self._ticked(), implied_facts(self.situation())
        return [
            str(self.fields[name].label)
            for name in FACT_FIELDS
            if name in implied and not ticked.get(name)
        ]

    def _ticked(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in FACT_FIELDS}


def implied_facts(situation: Situation) -> set[str]:
    """The advisor's facts the situation itself says: a loonwaarde or a forfait is only
    calculated for the target group for wage cost subsidy, the LKV for the banenafspraak
    needs the register, and the LKV for (re-placed) employees with an occupational disability
    rests on a Wajong, WIA, WAO or WAZ benefit. So the advice never contradicts the table."""
    implied = set()
    if situation.forfait or situation.loonwaarde_pct is not None:
        implied.add("in_lks_target_group")
    if situation.lkv_group == LkvGroup.BANENAFSPRAAK:
        implied.add("in_banenafspraak_register")
    if situation.lkv_group in (LkvGroup.DISABLED, LkvGroup.REPLACED):
        implied.add("disability_benefit")
    return implied


def facts_for(situation: Situation, known: dict[str, Any]) -> Facts:
    """The advisor's facts: what was ticked or sent, plus ``implied_facts``."""
    implied = implied_facts(situation)

    def given(name: str) -> bool:
        return bool(known.get(name)) or name in implied

    return Facts(
        age=situation.age,
        in_lks_target_group=given("in_lks_target_group"),
        in_banenafspraak_register=given("in_banenafspraak_register"),
        beschut_werk=given("beschut_werk"),
        disability_benefit=given("disability_benefit"),
        ao_pct_after_two_years=known.get("ao_pct_after_two_years"),
        participatiewet=given("participatiewet"),
        large_distance=given("large_distance"),
        wage_pct_of_wml=situation.wage_pct_of_wml,
        hours_per_week=situation.hours_per_week,
        lkv_group=situation.lkv_group,
    )
