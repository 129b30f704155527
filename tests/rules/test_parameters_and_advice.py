"""Rule values are read strictly (every wrong value named, in Dutch), the 2018 snapshot is
complete and says per rule where it comes from, and the advisor says which instruments apply
and why, prompting staff to tell the employer about the no-riskpolis."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.rules import calculator as calc
from werkbrug.rules import parameters
from werkbrug.rules.calculator import Facts, LkvGroup

SNAPSHOT = json.loads(
    (Path(parameters.__file__).parent / "data" / "regels-2018-07-01.json").read_text()
)
VALUES = SNAPSHOT["values"]
RULES = parameters.from_mapping(VALUES)
D = Decimal


def test_the_snapshot_is_complete_and_every_rule_names_its_source():
    assert set(VALUES) == set(parameters.BY_NAME) == set(SNAPSHOT["sources"])
    for p in parameters.PARAMETERS:
        source = SNAPSHOT["sources"][p.name]
        # What the book does not print is marked as configuration, to be checked.
        assert source.startswith("Configuratie") == (not p.in_source), p.name
        if p.in_source:
            assert "Hanze" in source


def test_a_round_trip_keeps_every_digit():
    assert parameters.from_mapping(parameters.to_mapping(RULES)) == RULES


def test_every_problem_is_named_at_once():
    wrong = dict(VALUES, wml_month="", holiday_pay_pct="acht", lkv_max_years="-1", extra="1")
    wrong["employer_costs_pct"] = "150"
    with pytest.raises(parameters.RuleValueError) as error:
        parameters.from_mapping(wrong)
    assert error.value.problems == {
        "wml_month": "Vul een waarde in.",
        "holiday_pay_pct": "Vul een getal in.",
        "lkv_max_years": "Vul 0 of meer in.",
        "employer_costs_pct": "Vul hoogstens 100 in.",
        "extra": "Onbekende regel.",
    }


def test_a_decimal_comma_is_read_and_the_liv_band_must_be_a_band():
    assert parameters.from_mapping(dict(VALUES, wml_month="1594,20")).wml_month == D("1594.20")
    with pytest.raises(parameters.RuleValueError) as error:
        parameters.from_mapping(dict(VALUES, liv_min_wage_pct="130"))
    assert list(error.value.problems) == ["liv_max_wage_pct"]


@given(st.dictionaries(st.sampled_from(sorted(parameters.BY_NAME)), st.text(max_size=8)))
def test_reading_never_crashes_it_accepts_or_names_the_problem(changes):
    try:
        values = parameters.from_mapping(dict(VALUES, **changes))
    except parameters.RuleValueError as error:
        assert error.problems and set(error.problems) <= set(parameters.BY_NAME)
    else:
        assert all(getattr(values, name).is_finite() for name in parameters.BY_NAME)


def advice(**facts) -> dict[str, calc.Advice]:
    return {a.instrument: a for a in calc.advise(Facts(**facts), RULES)}


def test_someone_in_the_banenafspraak_register_with_lks():
    found = advice(
        age=30,
        in_lks_target_group=True,
        in_banenafspraak_register=True,
        wage_pct_of_wml=D(100),
        hours_per_week=D(24),
    )
    assert found["lks"].applies and found["forfaitaire_lks"].applies
    assert found["jobcoach"].applies and "3 jaar" in found["jobcoach"].why_nl
    assert found["lkv"].applies and "€ 2.000" in found["lkv"].why_nl
    assert found["liv"].applies  # 24 × 52 = 1248 hours, exactly enough
    polis = found["noriskpolis"]
    assert polis.applies and polis.tell_employer and "doelgroepregister" in polis.why_nl


def test_an_older_worker_gets_the_higher_lkv_and_no_riskpolis_only_when_a_group_fits():
    found = advice(age=58, wage_pct_of_wml=D(130), hours_per_week=D(36))
    assert found["lkv"].applies and "€ 6.000" in found["lkv"].why_nl
    assert not found["lks"].applies and "forfaitaire_lks" not in found
    assert not found["liv"].applies  # 130 % is above the band
    assert not found["noriskpolis"].applies and not found["noriskpolis"].tell_employer


def test_the_chosen_lkv_group_decides_the_advice_so_it_agrees_with_the_table():
    """A re-placed employee with an occupational disability has the LKV for fewer years
    (1 in 2018) than a newly hired one (3); the advice says what the table calculates."""
    replaced = advice(disability_benefit=True, lkv_group=LkvGroup.REPLACED)["lkv"]
    assert replaced.applies and "herplaatste" in replaced.why_nl
    assert "€ 6.000,00 per jaar, 1 jaar;" in replaced.why_nl
    assert RULES.lkv_herplaatst_years == 1 and RULES.lkv_max_years == 3
    # The group chosen wins over what the facts alone would suggest.
    older = advice(age=58, in_banenafspraak_register=True, lkv_group=LkvGroup.OLDER)["lkv"]
    assert "56 jaar of ouder" in older.why_nl and "€ 6.000,00 per jaar, 3 jaar;" in older.why_nl
    # Without a chosen group the facts decide, the register first.
    assert "banenafspraak" in advice(age=58, in_banenafspraak_register=True)["lkv"].why_nl


@given(st.sampled_from([g for g in LkvGroup if g != LkvGroup.NONE]))
def test_the_lkv_advice_and_the_lkv_line_name_the_same_amount_and_years(group):
    line = calc._lkv(calc.Situation(hours_per_week=D(24), lkv_group=group, age=60), RULES)
    why = advice(lkv_group=group)["lkv"].why_nl
    per_year, years, _who, _names = calc._lkv_terms(group, RULES)
    assert calc.euro(per_year) in line.explanation_nl and calc.euro(per_year) in why
    assert f"{calc.num(years)} jaar" in line.explanation_nl and f"{calc.num(years)} jaar" in why


def test_the_no_riskpolis_after_two_years_of_illness_below_35_percent():
    assert advice(ao_pct_after_two_years=D(30))["noriskpolis"].applies
    assert not advice(ao_pct_after_two_years=D(35))["noriskpolis"].applies


def test_a_participatieplaats_from_27_with_a_large_distance():
    assert advice(participatiewet=True, age=27, large_distance=True)["participatieplaats"].applies
    assert not advice(participatiewet=True, age=26, large_distance=True)[
        "participatieplaats"
    ].applies
    assert "participatieplaats" not in advice(age=40)  # not under the Participatiewet
