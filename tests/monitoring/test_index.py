"""Index numbers and yearly target tables (monitoring/index.py, pure): hand-computed indices,
ROUND_HALF_UP at exact halves, missing and zero bases, the small-numbers flag, yearly
attainment, and the properties every index series has."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from werkbrug.monitoring.index import (
    SMALL_NUMBER,
    attainment_by_year,
    index_number,
    index_series,
    small_numbers,
)
from werkbrug.monitoring.targets import TargetStatus

D = Decimal


def test_index_of_placements_against_2016():
    """WB Fig. 4.5 placements: 2016 = 1,776 is the base. 2017: 100 × 2,427 / 1,776 = 136.65…
    → 137; 2019: 100 × 2,018 / 1,776 = 113.63… → 114; 2020: 100 × 1,778 / 1,776 = 100.11… →
    100."""
    series = index_series({2017: 2427, 2016: 1776, 2019: 2018, 2020: 1778}, base_year=2016)
    assert series == {2016: 100, 2017: 137, 2019: 114, 2020: 100}
    assert list(series) == [2016, 2017, 2019, 2020]  # years in order, whatever the input


def test_halves_round_up_not_to_even():
    """100 × 1/8 = 12.5 → 13 and 100 × 1/200 = 0.5 → 1 (banker's rounding would give 12 and
    0); 100 × 3/8 = 37.5 → 38; 100 × 7/16 = 43.75 → 44; 100 × 1/3 = 33.3… → 33."""
    series = index_series({2016: 8, 2017: 1, 2018: 3}, base_year=2016)
    assert series == {2016: 100, 2017: 13, 2018: 38}
    assert index_number(1, 200) == 1
    assert index_number(7, 16) == 44
    assert index_number(1, 3) == 33
    assert index_number(D("0.995"), D(1)) == 100  # 99.5 exactly → 100
    assert index_number(D("0.99499"), D(1)) == 99


def test_a_negative_half_rounds_away_from_zero():
    """ROUND_HALF_UP takes halves away from zero: 100 × −1/8 = −12.5 → −13."""
    assert index_number(-1, 8) == -13


def test_missing_values_and_bases_give_none():
    """A missing year is None; a missing, None or zero base makes every year None."""
    assert index_series({2016: 50, 2017: None, 2018: 60}, 2016) == {
        2016: 100,
        2017: None,
        2018: 120,
    }
    assert index_series({2017: 10, 2018: 20}, 2016) == {2017: None, 2018: None}
    assert index_series({2016: None, 2017: 10}, 2016) == {2016: None, 2017: None}
    assert index_series({2016: 0, 2017: 10}, 2016) == {2016: None, 2017: None}
    assert index_series({}, 2016) == {}


def test_decimals_and_ints_mix_but_floats_are_refused():
    assert index_series({2016: D("12.5"), 2017: 25}, 2016) == {2016: 100, 2017: 200}
    with pytest.raises(TypeError):
        index_series({2016: 12.5, 2017: 25}, 2016)  # type: ignore[dict-item]


def test_small_numbers_flags_years_below_the_threshold():
    """Below 20 is small (19 yes, 20 no); a missing value is missing, not small."""
    values = {2016: 19, 2017: 20, 2018: None, 2019: 0, 2020: D("19.99")}
    assert SMALL_NUMBER == 20
    assert small_numbers(values) == {2016, 2019, 2020}
    assert small_numbers(values, threshold=5) == {2019}


def test_attainment_by_year_judges_each_finished_year():
    """97 of 100 → within 3 %; 96 → missed; 120 → achieved; 2021 has no target ("." in the
    source) and 2022 no realisation: both are left out, not guessed."""
    values = {2018: 97, 2019: 96, 2020: 120, 2021: 50}
    targets = {2018: 100, 2019: 100, 2020: 100, 2021: None, 2022: 100}
    assert attainment_by_year(values, targets) == {
        2018: TargetStatus.WITHIN_TOLERANCE,
        2019: TargetStatus.MISSED,
        2020: TargetStatus.ACHIEVED,
    }
    assert attainment_by_year(values, targets, tolerance_pct=D(0))[2018] is TargetStatus.MISSED


def test_attainment_by_year_for_a_maximum():
    """Sickness absence at most 12.5 (2016) and 15 (2017): 12.8 ≤ 12.5 × 1.03 = 12.875 is
    within tolerance; 15.5 > 15 × 1.03 = 15.45 is missed."""
    result = attainment_by_year(
        {2016: D("12.8"), 2017: D("15.5")},
        {2016: D("12.5"), 2017: 15},
        higher_is_better=False,
    )
    assert result == {2016: TargetStatus.WITHIN_TOLERANCE, 2017: TargetStatus.MISSED}


# --- properties ------------------------------------------------------------------------------

counts = st.one_of(
    st.integers(min_value=0, max_value=10**9),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
)
years = st.integers(min_value=2000, max_value=2040)
series_values = st.dictionaries(years, st.one_of(st.none(), counts), min_size=1, max_size=12)


@given(series_values, st.data())
def test_the_base_year_is_100(values, data):
    base_year = data.draw(st.sampled_from(sorted(values)))
    base = values[base_year]
    assume(base is not None and base != 0)
    assert index_series(values, base_year)[base_year] == 100


@given(
    series_values,
    st.data(),
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=-6, max_value=0),
)
def test_index_series_is_scale_invariant(values, data, factor, shift):
    """Multiplying every value by the same positive number (exactly: factor × 10^shift, from
    10^-6 to 10^6) changes no index: counting in thousands or in units gives the same table."""
    base_year = data.draw(st.sampled_from(sorted(values)))
    scale = D(factor).scaleb(shift)
    scaled = {y: None if v is None else D(v) * scale for y, v in values.items()}
    assert index_series(scaled, base_year) == index_series(values, base_year)


@given(series_values, st.data())
def test_index_follows_the_order_of_the_values(values, data):
    """A larger value never has a smaller index (against the same positive base)."""
    base_year = data.draw(st.sampled_from(sorted(values)))
    assume(values[base_year] not in (None, 0))
    series = index_series(values, base_year)
    known = sorted((v, series[y]) for y, v in values.items() if v is not None)
    indices = [i for _, i in known]
    assert indices == sorted(indices)  # type: ignore[type-var]
