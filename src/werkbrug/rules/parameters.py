"""The parameters of a rule set: every amount, percentage and duration from law or policy that
Werkbrug calculates with (architecture rule 6), declared once with its unit, its Dutch label
and whether the source documents print it.

Pure: no Django. ``RuleValues`` is one rule set's values, typed; ``from_mapping`` reads and
checks a stored mapping (names every missing or wrong value), ``to_mapping`` writes one. The
form for administrators and the API are generated from ``PARAMETERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Parameter:
    name: str
    unit: str  # "eur_month", "eur_year", "eur_hour", "pct", "months", "years", "hours", "age"
    label_nl: str
    group_nl: str
    #: False: the source documents give no value; it is configuration to be checked.
    in_source: bool = True
    minimum: Decimal = Decimal(0)
    maximum: Decimal | None = None


def _p(name: str, unit: str, label: str, group: str, **kw: Any) -> Parameter:
    return Parameter(name, unit, label, group, **kw)


WAGE = "Loon"
LKS = "Loonkostensubsidie"
LKV = "Loonkostenvoordeel (LKV)"
LIV = "Lage-inkomensvoordeel (LIV)"
DURATION = "Duur van instrumenten"
NORISK = "No-riskpolis"
QUOTUM = "Banenafspraak en quotum"

PARAMETERS: tuple[Parameter, ...] = (
    _p(
        "wml_month", "eur_month", "Wettelijk minimumloon per maand (voltijd)", WAGE, in_source=False
    ),
    _p(
        "wml_hours_week",
        "hours",
        "Uren per week waarop het minimumloon is gebaseerd",
        WAGE,
        in_source=False,
        minimum=Decimal(1),
        maximum=Decimal(40),
    ),
    _p("holiday_pay_pct", "pct", "Vakantiebijslag", WAGE, in_source=False, maximum=Decimal(100)),
    _p(
        "employer_costs_pct",
        "pct",
        "Werkgeverslasten (opslag op loon en vakantiebijslag)",
        WAGE,
        in_source=False,
        maximum=Decimal(100),
    ),
    _p(
        "lks_forfait_pct",
        "pct",
        "Forfaitaire loonkostensubsidie, deel van het minimumloon",
        LKS,
        maximum=Decimal(100),
    ),
    _p("lks_forfait_months", "months", "Forfaitaire loonkostensubsidie, eerste maanden", LKS),
    _p("lkv_banenafspraak_year", "eur_year", "LKV doelgroep banenafspraak, per jaar", LKV),
    _p("lkv_other_year", "eur_year", "LKV overige doelgroepen, per jaar", LKV),
    _p("lkv_max_years", "years", "LKV, hoogstens jaren", LKV),
    _p(
        "lkv_herplaatst_years", "years", "LKV herplaatste arbeidsgehandicapte, hoogstens jaren", LKV
    ),
    _p("lkv_older_min_age", "age", "LKV oudere werknemer, vanaf leeftijd", LKV),
    _p("liv_min_wage_pct", "pct", "LIV, loon vanaf (deel van het minimumloon)", LIV),
    _p("liv_max_wage_pct", "pct", "LIV, loon tot en met (deel van het minimumloon)", LIV),
    _p("liv_min_hours_year", "hours", "LIV, ten minste verloonde uren per jaar", LIV),
    _p("liv_max_year", "eur_year", "LIV, hoogstens per jaar", LIV),
    _p("liv_eur_hour", "eur_hour", "LIV, bedrag per verloond uur", LIV, in_source=False),
    _p("proefplaatsing_uwv_months", "months", "Proefplaatsing UWV, gewoonlijk maanden", DURATION),
    _p(
        "proefplaatsing_uwv_max_months", "months", "Proefplaatsing UWV, hoogstens maanden", DURATION
    ),
    _p(
        "proefplaatsing_gemeente_max_months",
        "months",
        "Proefplaatsing of werkervaringsplaats gemeente, hoogstens maanden",
        DURATION,
    ),
    _p(
        "loonwaarde_behoud_max_months",
        "months",
        "Werken met behoud van uitkering voor de loonwaardebepaling, hoogstens maanden",
        DURATION,
    ),
    _p("jobcoach_max_years", "years", "Jobcoach via UWV, in principe hoogstens jaren", DURATION),
    _p(
        "participatieplaats_years", "years", "Participatieplaats, eerste periode in jaren", DURATION
    ),
    _p(
        "participatieplaats_extensions",
        "years",
        "Participatieplaats, aantal verlengingen van een jaar",
        DURATION,
    ),
    _p("participatieplaats_min_age", "age", "Participatieplaats, vanaf leeftijd", DURATION),
    _p(
        "noriskpolis_ao_pct_below",
        "pct",
        "No-riskpolis: minder dan dit percentage arbeidsongeschikt na twee jaar ziekte",
        NORISK,
        maximum=Decimal(100),
    ),
    _p("quotum_min_hours_year", "hours", "Quotumheffing vanaf verloonde uren per jaar", QUOTUM),
    _p("quotum_levy_per_job", "eur_year", "Quotumheffing per niet-ingevulde arbeidsplaats", QUOTUM),
    _p(
        "quotum_hours_per_job_week",
        "hours",
        "Uren per week van één baan in de banenafspraak",
        QUOTUM,
        in_source=False,
        minimum=Decimal(1),
    ),
)

BY_NAME = {p.name: p for p in PARAMETERS}


class RuleValueError(ValueError):
    """The values of a rule set are incomplete or wrong; ``problems`` maps a parameter name
    to a Dutch message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class RuleValues:
    wml_month: Decimal
    wml_hours_week: Decimal
    holiday_pay_pct: Decimal
    employer_costs_pct: Decimal
    lks_forfait_pct: Decimal
    lks_forfait_months: Decimal
    lkv_banenafspraak_year: Decimal
    lkv_other_year: Decimal
    lkv_max_years: Decimal
    lkv_herplaatst_years: Decimal
    lkv_older_min_age: Decimal
    liv_min_wage_pct: Decimal
    liv_max_wage_pct: Decimal
    liv_min_hours_year: Decimal
    liv_max_year: Decimal
    liv_eur_hour: Decimal
    proefplaatsing_uwv_months: Decimal
    proefplaatsing_uwv_max_months: Decimal
    proefplaatsing_gemeente_max_months: Decimal
    loonwaarde_behoud_max_months: Decimal
    jobcoach_max_years: Decimal
    participatieplaats_years: Decimal
    participatieplaats_extensions: Decimal
    participatieplaats_min_age: Decimal
    noriskpolis_ao_pct_below: Decimal
    quotum_min_hours_year: Decimal
    quotum_levy_per_job: Decimal
    quotum_hours_per_job_week: Decimal


assert [f.name for f in fields(RuleValues)] == [p.name for p in PARAMETERS]


def from_mapping(values: Mapping[str, Any]) -> RuleValues:
    """Typed values from a stored mapping; every missing, non-numeric or out-of-range value is
    named (in Dutch), all at once."""
    problems: dict[str, str] = {}
    out: dict[str, Decimal] = {}
    for p in PARAMETERS:
        raw = values.get(p.name)
        if raw is None or raw == "":
            problems[p.name] = "Vul een waarde in."
            continue
        try:
            number = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            problems[p.name] = "Vul een getal in."
            continue
        if not number.is_finite():
            problems[p.name] = "Vul een getal in."
        elif number < p.minimum:
            problems[p.name] = f"Vul {p.minimum} of meer in."
        elif p.maximum is not None and number > p.maximum:
            problems[p.name] = f"Vul hoogstens {p.maximum} in."
        else:
            out[p.name] = number
    unknown = sorted(set(values) - set(BY_NAME))
    for name in unknown:
        problems[name] = "Onbekende regel."
    if not problems and out["liv_min_wage_pct"] > out["liv_max_wage_pct"]:
        problems["liv_max_wage_pct"] = "Moet ten minste de ondergrens van het LIV zijn."
    if problems:
        raise RuleValueError(problems)
    return RuleValues(**out)


def to_mapping(values: RuleValues) -> dict[str, str]:
    """For storing (strings, so no precision is lost in JSON)."""
    return {p.name: str(getattr(values, p.name)) for p in PARAMETERS}
