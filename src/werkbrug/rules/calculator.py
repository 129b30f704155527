""" "Wat kost het mij?": an employer's monthly wage cost for one job, before and after the
instruments that apply, over the first years; every line explained in plain Dutch with the
rule it comes from. And the advisor: which instruments apply to this person and this job, and
why (or why not).

Pure: no Django, ``Decimal`` throughout, amounts rounded to cents once per line. The rule
values come from the rule set valid on the start date (``werkbrug.rules.selectors``); the
calculator itself holds no amount or duration (architecture rule 6).

The arithmetic, per month (``WML`` = the statutory minimum wage for full time):

* minimum wage for these hours = WML × hours ÷ the WML's hours per week;
* wage = that × the wage as a percentage of the minimum wage;
* holiday pay = wage × holiday pay %; employer costs = (wage + holiday pay) × employer costs %;
* loonkostensubsidie (LKS) = (minimum wage for these hours − loonwaarde% of it), plus holiday
  pay and employer costs on that amount; in the first months with a forfait (no assessment
  yet) the forfait % of the minimum wage instead. Never below 0 and never above what the
  employer pays;
* LKV = the yearly amount for the target group ÷ 12, for at most its years;
* LIV = the amount per paid hour × the hours of a year (52 weeks), at most the yearly maximum,
  ÷ 12; only for a wage within the LIV band and enough hours a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from werkbrug.rules.parameters import RuleValues

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WEEKS_A_YEAR = Decimal(52)


class LkvGroup(StrEnum):
    NONE = ""
    BANENAFSPRAAK = "banenafspraak"  # in the doelgroepregister
    OLDER = "oudere_werknemer"  # 56 and older, from a benefit
    DISABLED = "arbeidsgehandicapt"  # newly hired with an occupational disability
    REPLACED = "herplaatst"  # re-placed employee with an occupational disability
    #: One of the other LKV target groups, not named (a cost sheet for the employer says no
    #: more about the person than the amount needs).
    OTHER = "overig"


@dataclass(frozen=True)
class Situation:
    """One job for one person, as far as the money goes."""

    hours_per_week: Decimal
    wage_pct_of_wml: Decimal = HUNDRED
    #: The assessed loonwaarde (0-100); None: no LKS after a forfait period.
    loonwaarde_pct: Decimal | None = None
    #: Forfaitaire LKS in the first months, before the loonwaarde is assessed.
    forfait: bool = False
    lkv_group: LkvGroup = LkvGroup.NONE
    age: int | None = None
    months: int = 36


@dataclass(frozen=True)
class Line:
    code: str  # wage | holiday_pay | employer_costs | lks | lkv | liv
    label_nl: str
    per_month: Decimal
    explanation_nl: str
    rules: tuple[str, ...] = ()  # the parameters it rests on (names in PARAMETERS)


@dataclass(frozen=True)
class Period:
    """Months with the same amounts (1-based, inclusive)."""

    first_month: int
    last_month: int
    costs: tuple[Line, ...]
    reliefs: tuple[Line, ...]

    @property
    def cost(self) -> Decimal:
        return sum((line.per_month for line in self.costs), Decimal(0))

    @property
    def relief(self) -> Decimal:
        return sum((line.per_month for line in self.reliefs), Decimal(0))

    @property
    def net(self) -> Decimal:
        return self.cost - self.relief

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1


@dataclass(frozen=True)
class CostSheet:
    situation: Situation
    periods: tuple[Period, ...]
    notes_nl: tuple[str, ...]

    def year_totals(self) -> list[tuple[int, Decimal, Decimal]]:
        """Per year (1, 2, ...): the wage cost and the net cost after the instruments."""
        out: dict[int, list[Decimal]] = {}
        for period in self.periods:
            for month in range(period.first_month, period.last_month + 1):
                year = (month - 1) // 12 + 1
                totals = out.setdefault(year, [Decimal(0), Decimal(0)])
                totals[0] += period.cost
                totals[1] += period.net
        return [(year, cost, net) for year, (cost, net) in sorted(out.items())]


class CalculationError(ValueError):
    """The situation cannot be calculated; ``problems`` names every wrong field with its
    reason (in Dutch), so a form can show them all at once."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = dict(problems)

    @classmethod
    def one(cls, field: str, message: str) -> CalculationError:
        return cls({field: message})


def euro(amount: Decimal) -> str:
    """€ 1.234,56 (Dutch notation)."""
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount.quantize(CENT, ROUND_HALF_UP)):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}€ {'.'.join(groups)},{cents}"


def num(value: Decimal) -> str:
    """A number as people write it in Dutch: 24, 1248, 0,5 (no exponent, no trailing zeros)."""
    return f"{value.normalize():f}".replace(".", ",")


def pct(value: Decimal) -> str:
    return f"{num(value)} %"


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _check(s: Situation, rules: RuleValues) -> None:
    problems = {}
    if not Decimal(0) < s.hours_per_week <= Decimal(60):
        problems["hours_per_week"] = "Vul een aantal uren per week in, 1 tot 60."
    if s.wage_pct_of_wml < HUNDRED:
        problems["wage_pct_of_wml"] = "Het loon is ten minste het wettelijk minimumloon (100 %)."
    elif s.wage_pct_of_wml > Decimal(500):
        problems["wage_pct_of_wml"] = "Vul een loon van hoogstens 500 % in."
    if s.loonwaarde_pct is not None and not Decimal(0) <= s.loonwaarde_pct <= HUNDRED:
        problems["loonwaarde_pct"] = "De loonwaarde ligt tussen 0 en 100 %."
    if not 1 <= s.months <= 120:
        problems["months"] = "Reken over 1 tot 120 maanden."
    if s.lkv_group == LkvGroup.OLDER and (s.age is None or s.age < rules.lkv_older_min_age):
        problems["age"] = (
            f"Het LKV voor een oudere werknemer geldt vanaf {num(rules.lkv_older_min_age)} jaar."
        )
    if problems:
        raise CalculationError(problems)


def cost_sheet(s: Situation, rules: RuleValues) -> CostSheet:
    """The employer's monthly cost over ``s.months`` months, grouped into periods with the
    same amounts."""
    _check(s, rules)
    hp, ec = rules.holiday_pay_pct / HUNDRED, rules.employer_costs_pct / HUNDRED
    wml_hours = rules.wml_month * s.hours_per_week / rules.wml_hours_week
    wage = _cents(wml_hours * s.wage_pct_of_wml / HUNDRED)
    holiday = _cents(wage * hp)
    employer = _cents((wage + holiday) * ec)
    cost = wage + holiday + employer
    costs = (
        Line(
            "wage",
            "Brutoloon",
            wage,
            f"{pct(s.wage_pct_of_wml)} van het minimumloon voor {num(s.hours_per_week)} "
            f"uur per week ({euro(rules.wml_month)} voor {num(rules.wml_hours_week)} uur).",
            ("wml_month", "wml_hours_week"),
        ),
        Line(
            "holiday_pay",
            "Vakantiebijslag",
            holiday,
            f"{pct(rules.holiday_pay_pct)} van het brutoloon.",
            ("holiday_pay_pct",),
        ),
        Line(
            "employer_costs",
            "Werkgeverslasten",
            employer,
            f"{pct(rules.employer_costs_pct)} van loon en vakantiebijslag.",
            ("employer_costs_pct",),
        ),
    )
    notes = []
    lkv_line = _lkv(s, rules)
    liv_line, liv_note = _liv(s, rules, wml_hours)
    if liv_note:
        notes.append(liv_note)
    lkv_months = 0
    if lkv_line is not None:
        years = (
            rules.lkv_herplaatst_years if s.lkv_group == LkvGroup.REPLACED else rules.lkv_max_years
        )
        lkv_months = int(years * 12)
        notes.append(
            "Het LKV en het LIV vraagt de werkgever zelf aan via de loonaangifte; ze worden "
            "per jaar achteraf uitbetaald. Hier staan ze per maand, om te vergelijken."
        )
    if s.forfait and s.loonwaarde_pct is None:
        notes.append(
            f"Na de eerste {num(rules.lks_forfait_months)} maanden is een "
            "loonwaardemeting nodig; zonder meting is er daarna geen loonkostensubsidie."
        )
    monthly: list[tuple[Line, ...]] = []
    for month in range(1, s.months + 1):
        reliefs = []
        lks_line = _lks(s, rules, month, wml_hours, hp, ec, cost)
        if lks_line is not None:
            reliefs.append(lks_line)
        if lkv_line is not None and month <= lkv_months:
            reliefs.append(lkv_line)
        if liv_line is not None:
            reliefs.append(liv_line)
        monthly.append(tuple(reliefs))
    periods: list[Period] = []
    for month, month_reliefs in enumerate(monthly, start=1):
        if periods and periods[-1].reliefs == month_reliefs:
            last = periods[-1]
            periods[-1] = Period(last.first_month, month, last.costs, last.reliefs)
        else:
            periods.append(Period(month, month, costs, month_reliefs))
    return CostSheet(situation=s, periods=tuple(periods), notes_nl=tuple(notes))


def _lks(
    s: Situation,
    rules: RuleValues,
    month: int,
    wml_hours: Decimal,
    hp: Decimal,
    ec: Decimal,
    cost: Decimal,
) -> Line | None:
    if s.forfait and month <= rules.lks_forfait_months:
        base = wml_hours * rules.lks_forfait_pct / HUNDRED
        why = (
            f"Forfaitair: {pct(rules.lks_forfait_pct)} van het minimumloon voor deze uren, in de "
            f"eerste {num(rules.lks_forfait_months)} maanden (zonder loonwaardemeting)"
        )
        used: tuple[str, ...] = ("lks_forfait_pct", "lks_forfait_months", "wml_month")
    elif s.loonwaarde_pct is not None:
        base = wml_hours * (HUNDRED - s.loonwaarde_pct) / HUNDRED
        why = (
            f"Minimumloon voor deze uren ({euro(wml_hours)}) min de loonwaarde van "
            f"{pct(s.loonwaarde_pct)} ({euro(wml_hours * s.loonwaarde_pct / HUNDRED)})"
        )
        used = ("wml_month",)
    else:
        return None
    amount = _cents(base * (1 + hp) * (1 + ec))
    amount = min(max(amount, Decimal(0)), cost)
    if amount == 0:
        return None
    return Line(
        "lks",
        "Loonkostensubsidie (gemeente)",
        amount,
        f"{why}, plus vakantiebijslag en werkgeverslasten daarover.",
        (*used, "holiday_pay_pct", "employer_costs_pct"),
    )


def _lkv_terms(group: LkvGroup, rules: RuleValues) -> tuple[Decimal, Decimal, str, tuple[str, str]]:
    """Per year, for how many years, for whom (in Dutch), and the rules it rests on."""
    per_year = (
        rules.lkv_banenafspraak_year if group == LkvGroup.BANENAFSPRAAK else rules.lkv_other_year
    )
    years = rules.lkv_herplaatst_years if group == LkvGroup.REPLACED else rules.lkv_max_years
    who = {
        LkvGroup.BANENAFSPRAAK: "iemand uit de doelgroep banenafspraak",
        LkvGroup.OLDER: f"een werknemer van {num(rules.lkv_older_min_age)} jaar of ouder",
        LkvGroup.DISABLED: "een arbeidsgehandicapte werknemer",
        LkvGroup.REPLACED: "een herplaatste arbeidsgehandicapte werknemer",
        LkvGroup.OTHER: "een werknemer uit een doelgroep van het LKV",
    }[group]
    names = (
        "lkv_banenafspraak_year" if group == LkvGroup.BANENAFSPRAAK else "lkv_other_year",
        "lkv_herplaatst_years" if group == LkvGroup.REPLACED else "lkv_max_years",
    )
    return per_year, years, who, names


def _lkv(s: Situation, rules: RuleValues) -> Line | None:
    if s.lkv_group == LkvGroup.NONE:
        return None
    per_year, years, who, names = _lkv_terms(s.lkv_group, rules)
    return Line(
        "lkv",
        "Loonkostenvoordeel (LKV)",
        _cents(per_year / 12),
        f"Voor {who}: hoogstens {euro(per_year)} per jaar, {num(years)} jaar lang. "
        "Er is een doelgroepverklaring nodig.",
        names,
    )


def _liv(s: Situation, rules: RuleValues, wml_hours: Decimal) -> tuple[Line | None, str]:
    hours_year = s.hours_per_week * WEEKS_A_YEAR
    if not rules.liv_min_wage_pct <= s.wage_pct_of_wml <= rules.liv_max_wage_pct:
        return None, ""
    if hours_year < rules.liv_min_hours_year:
        return None, (
            f"Geen LIV: daarvoor zijn ten minste {num(rules.liv_min_hours_year)} "
            f"verloonde uren per jaar nodig; dit zijn er {num(hours_year)}."
        )
    per_year = min(rules.liv_max_year, rules.liv_eur_hour * hours_year)
    return (
        Line(
            "liv",
            "Lage-inkomensvoordeel (LIV)",
            _cents(per_year / 12),
            f"Loon tussen {pct(rules.liv_min_wage_pct)} en {pct(rules.liv_max_wage_pct)} van het "
            f"minimumloon en {num(hours_year)} uur per jaar: {euro(rules.liv_eur_hour)} "
            f"per uur, hoogstens {euro(rules.liv_max_year)} per jaar.",
            (
                "liv_min_wage_pct",
                "liv_max_wage_pct",
                "liv_min_hours_year",
                "liv_max_year",
                "liv_eur_hour",
            ),
        ),
        "",
    )


# --- The advisor --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What is known of the person and the job (from target-group memberships and the
    placement); the advisor never guesses what is not given."""

    age: int | None = None
    in_lks_target_group: bool = False  # doelgroep loonkostensubsidie (set by the gemeente)
    in_banenafspraak_register: bool = False
    beschut_werk: bool = False
    disability_benefit: bool = False  # Wajong, WIA, WAO or WAZ
    ao_pct_after_two_years: Decimal | None = None
    participatiewet: bool = False
    large_distance: bool = False  # grote afstand tot de arbeidsmarkt
    wage_pct_of_wml: Decimal | None = None
    hours_per_week: Decimal | None = None
    #: The LKV group the calculation uses, if one was chosen: the advice then speaks of that
    #: group (a re-placed employee: fewer years), so it never contradicts the table.
    lkv_group: LkvGroup = LkvGroup.NONE


@dataclass(frozen=True)
class Advice:
    instrument: (
        str  # lks | forfaitaire_lks | lkv | liv | noriskpolis | jobcoach | participatieplaats
    )
    label_nl: str
    applies: bool
    why_nl: str
    #: Staff should tell the employer (the no-riskpolis: employers said nobody told them).
    tell_employer: bool = False


def advise(facts: Facts, rules: RuleValues) -> list[Advice]:
    """Which instruments apply, and why; the consultant decides."""
    out = []
    lks = facts.in_lks_target_group
    out.append(
        Advice(
            "lks",
            "Loonkostensubsidie",
            lks,
            "Hoort bij de doelgroep loonkostensubsidie: de gemeente vult het verschil tussen "
            "minimumloon en loonwaarde aan."
            if lks
            else "Alleen voor wie de gemeente tot de doelgroep loonkostensubsidie rekent.",
        )
    )
    if lks:
        out.append(
            Advice(
                "forfaitaire_lks",
                "Forfaitaire loonkostensubsidie",
                True,
                f"{pct(rules.lks_forfait_pct)} van het minimumloon in de eerste "
                f"{num(rules.lks_forfait_months)} maanden, nog zonder loonwaardemeting.",
            )
        )
        out.append(
            Advice(
                "jobcoach",
                "Jobcoach",
                True,
                "Wie tot de doelgroep loonkostensubsidie hoort, heeft recht op een jobcoach; via "
                f"UWV in principe hoogstens {num(rules.jobcoach_max_years)} jaar, bij een "
                "erkende jobcoachorganisatie.",
            )
        )
    out.append(_lkv_advice(facts, rules))
    if facts.wage_pct_of_wml is not None and facts.hours_per_week is not None:
        hours_year = facts.hours_per_week * WEEKS_A_YEAR
        in_band = rules.liv_min_wage_pct <= facts.wage_pct_of_wml <= rules.liv_max_wage_pct
        enough = hours_year >= rules.liv_min_hours_year
        out.append(
            Advice(
                "liv",
                "Lage-inkomensvoordeel",
                in_band and enough,
                f"Loon van {pct(facts.wage_pct_of_wml)} van het minimumloon en "
                f"{num(hours_year)} uur per jaar; nodig: "
                f"{pct(rules.liv_min_wage_pct)}-{pct(rules.liv_max_wage_pct)} en ten minste "
                f"{num(rules.liv_min_hours_year)} uur.",
            )
        )
    reasons = []
    if facts.in_banenafspraak_register:
        reasons.append("staat in het doelgroepregister banenafspraak")
    if facts.beschut_werk:
        reasons.append("werkt in beschut werk")
    if facts.disability_benefit:
        reasons.append("heeft een Wajong-, WIA-, WAO- of WAZ-uitkering")
    if (
        facts.ao_pct_after_two_years is not None
        and facts.ao_pct_after_two_years < rules.noriskpolis_ao_pct_below
    ):
        reasons.append(
            f"was na twee jaar ziekte minder dan {pct(rules.noriskpolis_ao_pct_below)} "
            "arbeidsongeschikt"
        )
    out.append(
        Advice(
            "noriskpolis",
            "No-riskpolis",
            bool(reasons),
            (
                "De werknemer " + ", ".join(reasons) + ". Vertel de werkgever dat UWV bij ziekte "
                "het loon vergoedt."
            )
            if reasons
            else "Geen van de groepen van de no-riskpolis.",
            tell_employer=bool(reasons),
        )
    )
    if facts.participatiewet:
        fits = (
            facts.age is not None
            and facts.age >= rules.participatieplaats_min_age
            and facts.large_distance
        )
        out.append(
            Advice(
                "participatieplaats",
                "Participatieplaats",
                fits,
                f"Vanaf {num(rules.participatieplaats_min_age)} jaar, met een grote afstand tot "
                "de arbeidsmarkt, additioneel werk: "
                f"{num(rules.participatieplaats_years)} jaar plus "
                f"{num(rules.participatieplaats_extensions)} keer een jaar.",
            )
        )
    return out


def _lkv_advice(facts: Facts, rules: RuleValues) -> Advice:
    group = facts.lkv_group
    if group == LkvGroup.NONE:
        older = facts.age is not None and facts.age >= rules.lkv_older_min_age
        if facts.in_banenafspraak_register:
            group = LkvGroup.BANENAFSPRAAK
        elif older:
            group = LkvGroup.OLDER
        elif facts.disability_benefit:
            group = LkvGroup.DISABLED
    if group == LkvGroup.NONE:
        return Advice(
            "lkv",
            "Loonkostenvoordeel",
            False,
            "Niet in de doelgroep banenafspraak, geen arbeidsgehandicapte en jonger dan "
            f"{num(rules.lkv_older_min_age)} jaar.",
        )
    per_year, years, who, _names = _lkv_terms(group, rules)
    return Advice(
        "lkv",
        "Loonkostenvoordeel",
        True,
        f"Voor {who}: {euro(per_year)} per jaar, {num(years)} jaar; doelgroepverklaring nodig.",
    )


def explain_totals(sheet: CostSheet) -> Sequence[str]:
    """Per year one sentence: wage cost and net cost."""
    return [
        f"Jaar {year}: loonkosten {euro(cost)}, na de instrumenten {euro(net)}."
        for year, cost, net in sheet.year_totals()
    ]
