"""The "Wat kost het mij?" calculator, checked against sums done by hand with the national
rules of 1 July 2018 (the snapshot the app loads), and its properties for any input.

Hand sums use: minimum wage (WML) € 1.594,20 a month for 38 hours, holiday pay 8 %, employer
costs 23 %, forfait 50 % for 6 months, LKV € 2.000 / € 6.000 a year for 3 years (1 year when
re-placed), LIV € 1 an hour, at most € 2.000 a year, for 100-125 % WML and 1.248 hours a year.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkbrug.rules import calculator as calc
from werkbrug.rules import parameters
from werkbrug.rules.calculator import LkvGroup, Situation

SNAPSHOT = Path(calc.__file__).parent / "data" / "regels-2018-07-01.json"
RULES = parameters.from_mapping(json.loads(SNAPSHOT.read_text())["values"])
D = Decimal


def amounts(period: calc.Period) -> dict[str, Decimal]:
    return {line.code: line.per_month for line in (*period.costs, *period.reliefs)}


def test_24_hours_at_the_minimum_wage_with_a_loonwaarde_of_60_percent_and_lkv():
    sheet = calc.cost_sheet(
        Situation(
            hours_per_week=D(24),
            loonwaarde_pct=D(60),
            lkv_group=LkvGroup.BANENAFSPRAAK,
            months=36,
        ),
        RULES,
    )
    # WML for 24 hours: 1594.20 × 24 / 38 = 1006.8632 → wage 1006.86
    # holiday pay 1006.86 × 0.08 = 80.5488 → 80.55
    # employer costs (1006.86 + 80.55) × 0.23 = 250.1043 → 250.10; cost 1337.51
    # LKS: 1006.8632 × 0.40 = 402.7453; × 1.08 × 1.23 = 535.0068 → 535.01
    # LKV: 2000 / 12 = 166.67 (36 months); LIV: 24 × 52 = 1248 hours → 1248 / 12 = 104.00
    (only,) = sheet.periods
    assert (only.first_month, only.last_month) == (1, 36)
    assert amounts(only) == {
        "wage": D("1006.86"),
        "holiday_pay": D("80.55"),
        "employer_costs": D("250.10"),
        "lks": D("535.01"),
        "lkv": D("166.67"),
        "liv": D("104.00"),
    }
    assert only.cost == D("1337.51") and only.net == D("531.83")
    assert sheet.year_totals() == [
        (1, D("16050.12"), D("6381.96")),
        (2, D("16050.12"), D("6381.96")),
        (3, D("16050.12"), D("6381.96")),
    ]
    lks = next(line for line in only.reliefs if line.code == "lks")
    assert "loonwaarde van 60 %" in lks.explanation_nl and "€ 1.006,86" in lks.explanation_nl


def test_a_forfait_for_six_months_then_nothing_without_an_assessment():
    sheet = calc.cost_sheet(Situation(hours_per_week=D(32), forfait=True, months=12), RULES)
    # WML for 32 hours: 1594.20 × 32 / 38 = 1342.4842 → wage 1342.48; holiday 107.40;
    # employer costs 1449.88 × 0.23 = 333.47; cost 1783.35
    # forfait: 1342.4842 × 0.5 × 1.08 × 1.23 = 891.678 → 891.68 (months 1-6)
    # LIV: 32 × 52 = 1664 hours → 1664 / 12 = 138.67
    first, rest = sheet.periods
    assert (first.first_month, first.last_month, rest.first_month, rest.last_month) == (
        1,
        6,
        7,
        12,
    )
    assert amounts(first)["lks"] == D("891.68") and first.cost == D("1783.35")
    assert first.net == D("753.00")
    assert "lks" not in amounts(rest) and rest.net == D("1644.68")
    assert any("loonwaardemeting" in note for note in sheet.notes_nl)


def test_a_replaced_employee_gets_the_lkv_for_one_year_and_full_time_more_than_38_hours():
    sheet = calc.cost_sheet(
        Situation(
            hours_per_week=D(40),
            wage_pct_of_wml=D(110),
            lkv_group=LkvGroup.REPLACED,
            months=24,
        ),
        RULES,
    )
    # WML for 40 hours: 1594.20 × 40 / 38 = 1678.1053; × 1.10 = 1845.9158 → 1845.92
    # LKV other groups 6000 / 12 = 500.00 for 12 months; LIV 40 × 52 = 2080 h → 2000 / 12
    first, second = sheet.periods
    assert (first.last_month, second.first_month, second.last_month) == (12, 13, 24)
    assert amounts(first)["wage"] == D("1845.92")
    assert amounts(first)["lkv"] == D("500.00") and amounts(first)["liv"] == D("166.67")
    assert "lkv" not in amounts(second) and amounts(second)["liv"] == D("166.67")


def test_no_liv_above_the_band_or_below_the_hours():
    above = calc.cost_sheet(Situation(hours_per_week=D(36), wage_pct_of_wml=D(130)), RULES)
    assert all("liv" not in amounts(p) for p in above.periods)
    few = calc.cost_sheet(Situation(hours_per_week=D(20)), RULES)  # 1040 hours a year
    assert all("liv" not in amounts(p) for p in few.periods)
    assert any("1248" in note and "1040" in note for note in few.notes_nl)


@pytest.mark.parametrize(
    ("field", "situation"),
    [
        ("hours_per_week", Situation(hours_per_week=D(0))),
        ("wage_pct_of_wml", Situation(hours_per_week=D(20), wage_pct_of_wml=D(90))),
        ("loonwaarde_pct", Situation(hours_per_week=D(20), loonwaarde_pct=D(120))),
        ("months", Situation(hours_per_week=D(20), months=0)),
        ("age", Situation(hours_per_week=D(20), lkv_group=LkvGroup.OLDER, age=50)),
    ],
)
def test_an_impossible_situation_names_the_field(field, situation):
    with pytest.raises(calc.CalculationError) as error:
        calc.cost_sheet(situation, RULES)
    assert list(error.value.problems) == [field] and error.value.problems[field]


def test_every_problem_is_named_at_once():
    """A form shows all its problems in one go, not one per try."""
    wrong = Situation(
        hours_per_week=D(0),
        wage_pct_of_wml=D(90),
        loonwaarde_pct=D(120),
        months=0,
        lkv_group=LkvGroup.OLDER,
        age=50,
    )
    with pytest.raises(calc.CalculationError) as error:
        calc.cost_sheet(wrong, RULES)
    assert set(error.value.problems) == {
        "hours_per_week",
        "wage_pct_of_wml",
        "loonwaarde_pct",
        "months",
        "age",
    }
    assert "56 jaar" in str(error.value) and "0 en 100 %" in str(error.value)


def test_euro_and_number_notation_are_dutch():
    assert calc.euro(D("1234.5")) == "€ 1.234,50"
    assert calc.euro(D("0.005")) == "€ 0,01"
    assert calc.euro(D("-12")) == "-€ 12,00"
    assert calc.num(D("40")) == "40" and calc.num(D("25.50")) == "25,5"
    assert calc.pct(D("100")) == "100 %"


# --- Properties ----------------------------------------------------------------------------

situations = st.builds(
    Situation,
    hours_per_week=st.decimals(min_value=D("0.5"), max_value=D(60), places=1),
    wage_pct_of_wml=st.decimals(min_value=D(100), max_value=D(200), places=0),
    loonwaarde_pct=st.one_of(st.none(), st.decimals(min_value=D(0), max_value=D(100), places=0)),
    forfait=st.booleans(),
    lkv_group=st.sampled_from([g for g in LkvGroup if g != LkvGroup.OLDER]),
    months=st.integers(min_value=1, max_value=60),
)


@settings(max_examples=200, deadline=None)
@given(situations)
def test_the_subsidy_is_never_negative_and_never_above_its_cap(s):
    sheet = calc.cost_sheet(s, RULES)
    wml_hours = RULES.wml_month * s.hours_per_week / RULES.wml_hours_week
    surcharge = (1 + RULES.holiday_pay_pct / 100) * (1 + RULES.employer_costs_pct / 100)
    cap = (wml_hours * surcharge).quantize(D("0.01")) + D("0.01")
    for period in sheet.periods:
        for line in period.reliefs:
            assert line.per_month > 0
            if line.code == "lks":
                assert line.per_month <= min(cap, period.cost)


@settings(max_examples=200, deadline=None)
@given(situations)
def test_the_periods_cover_every_month_once_and_add_up(s):
    sheet = calc.cost_sheet(s, RULES)
    months = [m for p in sheet.periods for m in range(p.first_month, p.last_month + 1)]
    assert months == list(range(1, s.months + 1))
    for period in sheet.periods:
        assert period.net == period.cost - period.relief
    lkv_months = sum(p.months for p in sheet.periods if "lkv" in amounts(p))
    limit = RULES.lkv_herplaatst_years if s.lkv_group == LkvGroup.REPLACED else RULES.lkv_max_years
    assert lkv_months <= limit * 12
    assert sum(n for _y, _c, n in sheet.year_totals()) == sum(
        p.net * p.months for p in sheet.periods
    )


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(min_value=D(1), max_value=D(60), places=0),
    st.decimals(min_value=D(0), max_value=D(99), places=0),
)
def test_a_higher_loonwaarde_never_gives_more_subsidy(hours, loonwaarde):
    def lks(value):
        sheet = calc.cost_sheet(Situation(hours_per_week=hours, loonwaarde_pct=value), RULES)
        return amounts(sheet.periods[0]).get("lks", D(0))

    assert lks(loonwaarde + 1) <= lks(loonwaarde)


@pytest.mark.django_db
def test_rules_more_than_a_year_older_than_the_start_are_flagged_on_the_sheet():
    import datetime as dt

    from werkbrug.rules.calculator import Facts
    from werkbrug.rules.cost_sheet import calculate

    def notes(start):
        found = calculate(
            region_id=None,
            situation=Situation(hours_per_week=D(24)),
            facts=Facts(),
            start_date=start,
        )
        return found.sheet.notes_nl

    assert not any("01-07-2018" in n for n in notes(dt.date(2019, 3, 1)))
    assert any("01-07-2018" in n for n in notes(dt.date(2026, 3, 1)))
