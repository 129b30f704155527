"""The form for a new rule set, generated from ``rules.parameters.PARAMETERS``: per rule a value
(typed as people write numbers in Dutch: ``1594,20``, ``1.594,20``, ``€ 1.594,20``, ``8 %``)
and the line saying where it comes from. The form shapes the input and shows every problem at
once; ``rules.services.save_rule_set`` decides (and checks again)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from werkbrug.employers.forms import date_widget
from werkbrug.rules import parameters, services
from werkbrug.rules.models import RuleSet
from werkbrug.rules.parameters import Parameter

NATIONAL = "landelijk"
REGION = "regio"

UNIT_HELP = {
    "eur_month": _("Euro per month."),
    "eur_year": _("Euro per year."),
    "eur_hour": _("Euro per hour."),
    "pct": _("Percentage."),
    "months": _("Number of months."),
    "years": _("Number of years."),
    "hours": _("Number of hours."),
    "age": _("Age in years."),
}

#: 1.594 or 40.575: a point before exactly three digits may be a Dutch thousands point.
_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def dutch_number(text: str) -> str:
    """The number in ``text`` with a decimal point, as ``rules.parameters`` reads it: the euro
    sign, the percent sign and spaces are left out; ``1.594,20`` and ``1594,20`` become
    ``1594.20``, ``1,594.20`` becomes ``1594.20``. A number the service cannot read is left
    as it is (the service names it). ``1.594`` is refused: thousands or decimals?"""
    plain = re.sub(r"[\s\u00a0€%]", "", text)
    comma, point = plain.rfind(","), plain.rfind(".")
    if comma >= 0 and point >= 0:
        if comma > point:  # 1.594,20
            return plain.replace(".", "").replace(",", ".")
        return plain.replace(",", "")  # 1,594.20
    if comma >= 0:
        return plain.replace(",", ".") if plain.count(",") == 1 else plain
    if _THOUSANDS.fullmatch(plain):
        whole = plain.replace(".", "")
        raise forms.ValidationError(
            _(
                "Is that %(whole)s or %(decimal)s? Write the number without a thousands "
                "point, with a decimal comma: %(whole)s or %(decimal)s."
            ),
            params={"whole": whole, "decimal": plain.replace(".", ",")},
            code="ambiguous",
        )
    return plain


def dutch_input(value: Any) -> str:
    """A stored value as the form shows it: with a decimal comma."""
    return str(value).replace(".", ",")


def unit_help(parameter: Parameter) -> str:
    text = str(UNIT_HELP.get(parameter.unit, ""))
    low = parameter.minimum
    high = parameter.maximum
    if high is not None:
        text += " " + str(_("From %(low)s to %(high)s.")) % {
            "low": dutch_input(low),
            "high": dutch_input(high),
        }
    elif low != Decimal(0):
        text += " " + str(_("At least %(low)s.")) % {"low": dutch_input(low)}
    return text.strip()


@dataclass(frozen=True)
class RuleFields:
    """One rule in the form: its declaration and its two bound fields."""

    parameter: Parameter
    value: forms.BoundField
    source: forms.BoundField


class RuleSetForm(forms.Form):
    """A new rule set. ``basis`` is the set it starts from (the one in force today): its values
    and per-rule sources fill the form, so a new minimum wage is one change."""

    name = forms.CharField(
        label=_("Name"),
        max_length=services.NAME_MAX_LENGTH,
        error_messages={"required": _("Give the rule set a name.")},
        help_text=_(
            "For example “Landelijke regels per 1 januari 2019” or “Regionale catalogus 2019”."
        ),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=date_widget(),
        error_messages={
            "required": _("Give the date from which the rules hold."),
            "invalid": _("Write the date as dd-mm-yyyy, for example 01-01-2019."),
        },
        help_text=_(
            "(dd-mm-yyyy) From this day on the new set holds, until a newer set of the same "
            "scope starts. "
            "Calculations for an earlier day keep using the set of their day."
        ),
    )
    scope = forms.ChoiceField(
        label=_("Applies to"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the rules hold nationally or in your region only.")
        },
        help_text=_(
            "National rules hold in every region. Rules of your own region go before the "
            "national ones from their date (for example a regional catalogue of durations)."
        ),
    )
    source = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say where the rules come from (a law, a regulation, a publication).")
        },
        help_text=_(
            "The law, regulation or publication these rules come from, with its date. The "
            "source of each rule goes with the rule below."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed compared with the set before, and why."),
    )

    def __init__(
        self,
        *args: Any,
        basis: RuleSet | None = None,
        region_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NATIONAL, _("All regions (national rules)"))]
        if region_name:
            choices.append(
                (REGION, _("Only my region: %(region)s") % {"region": region_name})  # type: ignore[arg-type]
            )
        self.fields["scope"].choices = choices
        values = basis.values if basis is not None else {}
        sources = basis.sources if basis is not None else {}
        for p in parameters.PARAMETERS:
            self.fields[p.name] = forms.CharField(
                label=p.label_nl,
                required=False,
                max_length=30,
                help_text=unit_help(p),
                initial=dutch_input(values[p.name]) if p.name in values else "",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
                ),
            )
            self.fields[services.source_field(p.name)] = forms.CharField(
                label=_("Source of “%(rule)s”") % {"rule": p.label_nl},
                required=False,
                max_length=services.SOURCE_MAX_LENGTH,
                initial=sources.get(p.name, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    # --- Reading the input ------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for p in parameters.PARAMETERS:
            if p.name in self.errors:
                continue
            try:
                data[p.name] = dutch_number(data.get(p.name) or "")
            except forms.ValidationError as error:
                self.add_error(p.name, error)
        readable = {p.name: data[p.name] for p in parameters.PARAMETERS if p.name in data}
        for name, message in services.value_problems(readable).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def values(self) -> dict[str, str]:
        return {p.name: self.cleaned_data[p.name] for p in parameters.PARAMETERS}

    def sources(self) -> dict[str, str]:
        return {
            p.name: self.cleaned_data[services.source_field(p.name)] for p in parameters.PARAMETERS
        }

    def rule_set(self, region_id: int | None) -> RuleSet:
        """The new (unsaved) set; ``region_id``: the actor's region."""
        data = self.cleaned_data
        return RuleSet(
            name=data["name"],
            valid_from=data["valid_from"],
            region_id=region_id if data["scope"] == REGION else None,
            source=data["source"],
            notes=data["notes"],
        )

    # --- Laying it out ----------------------------------------------------------------------

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "valid_from", "scope", "source", "notes")]

    def groups(self) -> list[tuple[str, list[RuleFields]]]:
        """The rules per group, in the order of ``PARAMETERS``."""
        out: dict[str, list[RuleFields]] = {}
        for p in parameters.PARAMETERS:
            out.setdefault(p.group_nl, []).append(
                RuleFields(p, self[p.name], self[services.source_field(p.name)])
            )
        return list(out.items())
