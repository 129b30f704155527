"""One "Wat kost het mij?" calculation as plain data, shared by the page, the PDF and the
API: ``calculate`` picks the rule set valid on the start date (national, or the caller's
region's own), runs the pure calculator and the advisor, and returns a ``Calculation``; every
problem with the input is a ``CalculationError`` naming the field (no rules yet on the start
date is one, on ``start_date``). The text helpers say the result in Dutch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.rules import selectors
from werkbrug.rules.calculator import (
    Advice,
    CalculationError,
    CostSheet,
    Facts,
    Line,
    LkvGroup,
    Period,
    Situation,
    advise,
    cost_sheet,
    euro,
    num,
    pct,
)
from werkbrug.rules.parameters import BY_NAME, RuleValueError

#: The most periods the one-page layout is made for (the calculator gives at most three for
#: the national rules: flat-rate months, LKV years, the rest).
MAX_PERIODS = 5


# --- Plain data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSetInfo:
    uuid: uuid.UUID
    name: str
    valid_from: dt.date
    source: str
    #: Parameter name → where its value comes from.
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleUsed:
    name: str
    label: str
    source: str


@dataclass(frozen=True)
class Calculation:
    start_date: dt.date
    rule_set: RuleSetInfo
    sheet: CostSheet
    advice: tuple[Advice, ...]
    generated_at: dt.datetime = field(default_factory=timezone.localtime)

    @property
    def situation(self) -> Situation:
        return self.sheet.situation

    @property
    def tell_employer(self) -> tuple[Advice, ...]:
        """What staff should tell the employer (the no-riskpolis)."""
        return tuple(a for a in self.advice if a.applies and a.tell_employer)

    @property
    def applying(self) -> tuple[Advice, ...]:
        return tuple(a for a in self.advice if a.applies)

    def rules_used(self) -> list[RuleUsed]:
        """The rules the lines rest on, in order of first use, with their sources."""
        names: dict[str, None] = {}
        for period in self.sheet.periods:
            for line in (*period.costs, *period.reliefs):
                names.update(dict.fromkeys(line.rules))
        return [
            RuleUsed(
                name,
                BY_NAME[name].label_nl if name in BY_NAME else name,
                self.rule_set.sources.get(name, ""),
            )
            for name in names
        ]


def calculate(
    *, region_id: int | None, situation: Situation, facts: Facts, start_date: dt.date
) -> Calculation:
    """The cost sheet and the advice with the rules valid on ``start_date``."""
    try:
        rule_set = selectors.rule_set_on(start_date, region_id)
    except selectors.NoRules:
        first = selectors.rule_sets(region_id).last()
        message = (
            _("There are no rules before %(date)s. Choose that date or a later one.")
            % {"date": first.valid_from.strftime("%d-%m-%Y")}
            if first is not None
            else _("No rules have been entered yet. Ask the functional administrator.")
        )
        raise CalculationError.one("start_date", message) from None
    try:
        rules = rule_set.rule_values
    except RuleValueError as error:
        raise CalculationError.one(
            "start_date",
            _(
                "The rules “%(name)s” are incomplete (%(problems)s). "
                "Ask the functional administrator."
            )
            % {"name": rule_set.name, "problems": ", ".join(sorted(error.problems))},
        ) from None
    sheet = cost_sheet(situation, rules)
    if (start_date - rule_set.valid_from).days > 366:
        # The newest rules are more than a year older than the job: say so, on the sheet too.
        note = _(
            "These rules date from %(date)s, more than a year before the start. Check with the "
            "functional administrator whether newer rules (a new minimum wage) apply."
        ) % {"date": rule_set.valid_from.strftime("%d-%m-%Y")}
        sheet = dataclasses.replace(sheet, notes_nl=(note, *sheet.notes_nl))
    return Calculation(
        start_date=start_date,
        rule_set=RuleSetInfo(
            uuid=rule_set.uuid,
            name=rule_set.name,
            valid_from=rule_set.valid_from,
            source=rule_set.source,
            sources=dict(rule_set.sources or {}),
        ),
        sheet=sheet,
        advice=tuple(advise(facts, rules)),
    )


# --- Words ------------------------------------------------------------------------------------


def lkv_label(group: LkvGroup) -> str:
    return {
        LkvGroup.NONE: _("no LKV"),
        LkvGroup.BANENAFSPRAAK: _("LKV for the target group banenafspraak"),
        LkvGroup.OLDER: _("LKV for an older employee"),
        LkvGroup.DISABLED: _("LKV for an employee with an occupational disability"),
        LkvGroup.REPLACED: _("LKV for a re-placed employee with an occupational disability"),
        LkvGroup.OTHER: _("LKV (a target group other than the banenafspraak)"),
    }[group]


def situation_text(calculation: Calculation) -> str:
    """The situation in words: "24 hours a week, 100 % of the minimum wage, ..."."""
    s = calculation.situation
    parts = [
        _("%(hours)s hours a week") % {"hours": num(s.hours_per_week)},
        _("%(pct)s of the minimum wage") % {"pct": pct(s.wage_pct_of_wml)},
    ]
    if s.loonwaarde_pct is not None:
        parts.append(_("loonwaarde %(pct)s") % {"pct": pct(s.loonwaarde_pct)})
    else:
        parts.append(_("no loonwaarde assessed"))
    if s.forfait:
        parts.append(_("flat-rate wage cost subsidy in the first months"))
    parts.append(lkv_label(s.lkv_group))
    if s.age is not None:
        parts.append(_("age %(age)s") % {"age": s.age})
    parts.append(
        _("over %(months)s months from %(date)s")
        % {"months": s.months, "date": calculation.start_date.strftime("%d-%m-%Y")}
    )
    return ", ".join(parts)


def tell_text(advice: Advice) -> str:
    """ "Tell the employer about the no-riskpolis" (employers said nobody told them)."""
    label = advice.label_nl[:1].lower() + advice.label_nl[1:]
    return _("Tell the employer about the %(instrument)s") % {"instrument": label}


def period_label(period: Period) -> str:
    if period.first_month == period.last_month:
        return _("Month %(month)s") % {"month": period.first_month}
    return _("Months %(first)s-%(last)s") % {"first": period.first_month, "last": period.last_month}


def minus(amount: Decimal) -> str:
    return f"- {euro(amount)}"


def relief_rows(sheet: CostSheet) -> list[tuple[str, str, list[Line | None]]]:
    """The reliefs as rows over the periods: (code, label, the line per period or None)."""
    codes: dict[str, str] = {}
    for period in sheet.periods:
        for line in period.reliefs:
            codes.setdefault(line.code, line.label_nl)
    return [
        (
            code,
            label,
            [next((x for x in p.reliefs if x.code == code), None) for p in sheet.periods],
        )
        for code, label in codes.items()
    ]


def explanations(sheet: CostSheet) -> list[tuple[str, str]]:
    """Every (label, explanation) once, in the order of the table."""
    seen: dict[tuple[str, str], None] = {}
    for line in sheet.periods[0].costs if sheet.periods else ():
        seen.setdefault((line.label_nl, line.explanation_nl))
    for period in sheet.periods:
        for line in period.reliefs:
            seen.setdefault((line.label_nl, line.explanation_nl))
    return list(seen)
