"""Attainment of a target (monitoring/targets.py, pure): hand-computed cases with the
arithmetic written out, the tolerance boundaries, lower-is-better targets and levels, the
degenerate periods, the fee, and properties that hold for any target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.monitoring.targets import (
    FINAL_STATUSES,
    STATUS_LABELS_NL,
    Target,
    TargetStatus,
    attainment,
    expected_by,
    fee_due,
    forecast_at_end,
    nl_date,
    nl_number,
)

D = Decimal
CONTRACT_START = dt.date(2012, 12, 1)
CONTRACT_END = dt.date(2014, 1, 1)
MID_2013 = dt.date(2013, 7, 1)


def werktop(value: int = 70, **kwargs: object) -> Target:
    """A Werktop contract target: 2012-12-01 up to (not including) 2014-01-01."""
    return Target(value=D(value), start=CONTRACT_START, end=CONTRACT_END, **kwargs)  # type: ignore[arg-type]


def year(value: str | int, y: int = 2020, **kwargs: object) -> Target:
    return Target(value=D(value), start=dt.date(y, 1, 1), end=dt.date(y + 1, 1, 1), **kwargs)  # type: ignore[arg-type]


# --- the running contract: pro rata, forecast and the early warning ----------------------------


def test_werktop_employers_halfway_is_behind_with_an_early_warning():
    """30 of 70 employers on 2013-07-01: elapsed = 2013-07-01 − 2012-12-01 = 212 days of
    2014-01-01 − 2012-12-01 = 396; forecast = 30 × 396 / 212 = 56.0377… → 56.04, below the
    tolerant bound 70 × 0.97 = 67.9, so BEHIND; pro rata 70 × 212 / 396 = 37.474… → 37.47."""
    result = attainment(werktop(70), 30, MID_2013)
    assert (result.days_elapsed, result.days_total) == (212, 396)
    assert result.forecast == D("56.04")
    assert result.expected_now == D("37.47")
    assert result.pct_of_target == D("42.9")  # 30 / 70 = 0.42857…
    assert result.status is TargetStatus.BEHIND
    assert result.will_be_met is False
    assert result.warning_nl == (
        "Achter op schema: 30 gerealiseerd, pro rata verwacht 37 op 01-07-2013. "
        "Bij dit tempo komt de realisatie op 56,0 van 70 (80,1 %): 14,0 te weinig op 31-12-2013."
    )  # 56.04 / 70 = 80.06 %; 70 − 56 = 14


@pytest.mark.parametrize(
    ("realised", "forecast", "status"),
    [
        (36, "67.25", TargetStatus.BEHIND),  # 36 × 396 / 212 = 67.245… < 67.9
        (37, "69.11", TargetStatus.ON_TRACK),  # 37 × 396 / 212 = 69.113… ≥ 67.9 (tolerance)
        (38, "70.98", TargetStatus.ON_TRACK),  # 38 × 396 / 212 = 70.981… ≥ 70
        (70, "130.75", TargetStatus.ACHIEVED),  # met already: a count cannot go down again
    ],
)
def test_on_track_when_the_linear_forecast_meets_the_target_within_tolerance(
    realised, forecast, status
):
    """ON_TRACK vs BEHIND is decided on the linear forecast against the tolerant bound 67.9;
    a met count is ACHIEVED before the end."""
    result = attainment(werktop(70), realised, MID_2013)
    assert result.forecast == D(forecast)
    assert result.status is status
    assert result.will_be_met is True or status is TargetStatus.BEHIND
    assert (result.warning_nl != "") == (status is TargetStatus.BEHIND)


def test_without_tolerance_a_forecast_just_short_is_behind():
    """Tolerance 0: 37 → 69.11 is under 70, so BEHIND where 3 % made it ON_TRACK."""
    result = attainment(werktop(70, tolerance_pct=D(0)), 37, MID_2013)
    assert result.status is TargetStatus.BEHIND
    assert "69,1 van 70 (98,7 %): 0,9 te weinig op 31-12-2013" in result.warning_nl  # 69.11/70


def test_a_forecast_that_rounds_to_the_target_is_shown_with_a_decimal():
    """Tolerance 0, 2020 (366 days), 19 realised after 100 days (on 2020-04-10): forecast =
    19 × 366 / 100 = 69.54 < 70, BEHIND; shown as "69,5 van 70", never as "70 van 70"."""
    result = attainment(year(70, tolerance_pct=D(0)), 19, dt.date(2020, 4, 10))
    assert result.forecast == D("69.54")
    assert result.status is TargetStatus.BEHIND
    assert "op 69,5 van 70 (99,3 %): 0,5 te weinig op 31-12-2020" in result.warning_nl


def test_before_the_start_and_on_the_first_day_nothing_can_be_said():
    """No day passed: ON_TRACK, no forecast, no verdict, nothing expected yet."""
    for on in (dt.date(2012, 11, 15), CONTRACT_START):
        result = attainment(werktop(70), 0, on)
        assert result.status is TargetStatus.ON_TRACK
        assert (result.forecast, result.will_be_met, result.warning_nl) == (None, None, "")
        assert result.expected_now == D("0.00")
        assert (result.days_elapsed, result.days_total) == (0, 396)


def test_the_day_before_the_end_is_still_running():
    """On 2013-12-31, 395 of 396 days: 67 → forecast 67 × 396 / 395 = 67.17 < 67.9, BEHIND
    (not MISSED: the last day can still bring results)."""
    result = attainment(werktop(70), 67, dt.date(2013, 12, 31))
    assert result.forecast == D("67.17")
    assert result.status is TargetStatus.BEHIND


# --- the finished period and the tolerance boundary -------------------------------------------


@pytest.mark.parametrize(
    ("realised", "status"),
    [
        (D(101), TargetStatus.ACHIEVED),
        (D(100), TargetStatus.ACHIEVED),
        (D("99.99"), TargetStatus.WITHIN_TOLERANCE),
        (D(97), TargetStatus.WITHIN_TOLERANCE),  # 100 × (1 − 3/100) = 97: the bound counts
        (D("96.99"), TargetStatus.MISSED),
        (D(96), TargetStatus.MISSED),
    ],
)
def test_after_the_end_the_tolerance_boundary_is_inclusive(realised, status):
    """WB §4.2.5: met when realisation ≥ target × (1 − tolerance/100) = 97 of 100."""
    result = attainment(year(100), realised, dt.date(2021, 1, 1))
    assert result.status is status
    assert result.forecast == realised.quantize(D("0.01"))  # final: the forecast is the outcome
    assert result.will_be_met is (status is not TargetStatus.MISSED)


def test_finished_sentences_show_the_raw_percentage_and_the_bound():
    """The raw percentage is always shown; the sentence says where the tolerance ends."""
    within = attainment(year(100), 97, dt.date(2021, 1, 1))
    assert within.warning_nl == (
        "Behaald binnen de tolerantie van 3 %: 97 van 100 (97,0 %); de ondergrens is 97."
    )
    missed = attainment(year(20), 19, dt.date(2021, 6, 1))  # any day after the end
    assert missed.status is TargetStatus.MISSED
    assert missed.warning_nl == (
        "Niet behaald: 19 van 20 (95,0 %), 1 te weinig. "
        "Met de tolerantie van 3 % is de ondergrens 19,4."
    )  # 20 × 0.97 = 19.4
    assert attainment(year(100), 100, dt.date(2021, 1, 1)).warning_nl == ""


def test_a_wider_tolerance_moves_the_bound():
    """5 %: 95 of 100 is within (bound 95); 94.99 is not."""
    assert attainment(year(100, tolerance_pct=D(5)), 95, dt.date(2021, 1, 1)).status is (
        TargetStatus.WITHIN_TOLERANCE
    )
    assert attainment(year(100, tolerance_pct=D(5)), D("94.99"), dt.date(2021, 1, 1)).status is (
        TargetStatus.MISSED
    )


# --- lower is better: a maximum --------------------------------------------------------------


def absence(**kwargs: object) -> Target:
    """SW sickness absence at most 15 % in 2017 (WB Tabel 4.2-SW): a level, lower is better."""
    return year("15", 2017, higher_is_better=False, cumulative=False, **kwargs)


@pytest.mark.parametrize(
    ("realised", "status"),
    [
        ("12", TargetStatus.ACHIEVED),
        ("15", TargetStatus.ACHIEVED),
        ("15.45", TargetStatus.WITHIN_TOLERANCE),  # 15 × (1 + 3/100) = 15.45
        ("15.46", TargetStatus.MISSED),
    ],
)
def test_a_maximum_is_met_at_or_below_it_with_tolerance_above(realised, status):
    assert attainment(absence(), D(realised), dt.date(2018, 1, 1)).status is status


@pytest.mark.parametrize(
    ("realised", "status"),
    [
        ("10", TargetStatus.ON_TRACK),  # far below, yet never ACHIEVED before the end
        ("15.3", TargetStatus.ON_TRACK),  # above 15, within the bound 15.45
        ("16.2", TargetStatus.BEHIND),
    ],
)
def test_a_running_level_is_judged_on_its_current_level(realised, status):
    """A level's forecast is the level itself (16.2 % absence in July stays 16.2 %, not the
    nonsense 16.2 × 365 / 181); the whole maximum applies on every day."""
    result = attainment(absence(), D(realised), dt.date(2017, 7, 1))
    assert result.forecast == D(realised).quantize(D("0.01"))
    assert result.expected_now == D("15.00")
    assert result.status is status


def test_a_level_above_its_maximum_warns_in_plain_dutch():
    result = attainment(absence(), D("16.2"), dt.date(2017, 7, 1))
    assert result.warning_nl == (
        "De realisatie is nu 16,2 tegen een maximum van 15 (108,0 %): 1,2 te veel. "
        "Blijft dit zo, dan wordt het doel op 31-12-2017 niet gehaald."
    )


def test_a_higher_is_better_level_is_not_achieved_early():
    """Added value per FTE (€7,100 in 2017) met in May can still drop: ON_TRACK, not ACHIEVED;
    below the bound 7,100 × 0.97 = 6,887 it is BEHIND."""
    value_per_fte = year(7100, 2017, cumulative=False)
    assert attainment(value_per_fte, 7200, dt.date(2017, 5, 1)).status is TargetStatus.ON_TRACK
    behind = attainment(value_per_fte, D("6800.5"), dt.date(2017, 5, 1))
    assert behind.status is TargetStatus.BEHIND
    assert "6.800,5 van 7.100 (95,8 %): 299,5 te weinig" in behind.warning_nl


@pytest.mark.parametrize(
    ("realised", "forecast", "status", "warning"),
    [
        (4, "8.04", TargetStatus.ON_TRACK, ""),  # 4 × 366 / 182 = 8.043… ≤ 10.3
        (
            6,
            "12.07",  # 6 × 366 / 182 = 12.065… > 10.3
            TargetStatus.BEHIND,
            "Bij dit tempo komt de realisatie op 12,1 tegen een maximum van 10 (120,7 %): "
            "2,1 te veel op 31-12-2020.",
        ),
        (
            11,
            "22.12",  # already over 10.3: no pace can repair it
            TargetStatus.BEHIND,
            "Het maximum is al overschreden: 11 tegen een maximum van 10 (110,0 %). "
            "Het doel is niet meer te halen.",
        ),
    ],
)
def test_a_cumulative_maximum_is_judged_on_its_pace(realised, forecast, status, warning):
    """At most 10 complaints in 2020 (a leap year, 366 days); on 2020-07-01, 182 days passed."""
    result = attainment(year(10, higher_is_better=False), realised, dt.date(2020, 7, 1))
    assert result.days_elapsed == 182
    assert result.forecast == D(forecast)
    assert result.status is status
    assert result.warning_nl == warning


# --- degenerate targets and periods ----------------------------------------------------------


def test_a_target_of_zero_has_no_percentage_and_divides_by_nothing():
    """Target 0: pct_of_target is None; pro rata asks 0; any count ≥ 0 meets it."""
    zero = year(0)
    running = attainment(zero, 0, dt.date(2020, 7, 1))
    assert running.pct_of_target is None
    assert running.expected_now == D("0.00")
    assert running.status is TargetStatus.ACHIEVED
    assert attainment(zero, 3, dt.date(2021, 1, 1)).status is TargetStatus.ACHIEVED


def test_a_maximum_of_zero_allows_nothing():
    """No complaints at all: 0 × 1.03 = 0, so one complaint misses it; the sentence has no
    percentage to show."""
    none_allowed = year(0, higher_is_better=False)
    assert attainment(none_allowed, 0, dt.date(2020, 7, 1)).status is TargetStatus.ON_TRACK
    assert attainment(none_allowed, 1, dt.date(2020, 7, 1)).status is TargetStatus.BEHIND
    missed = attainment(none_allowed, 1, dt.date(2021, 1, 1))
    assert missed.status is TargetStatus.MISSED
    assert missed.warning_nl == (
        "Niet behaald: 1 tegen een maximum van 0, 1 te veel. "
        "Met de tolerantie van 3 % is de bovengrens 0."
    )


def test_a_zero_length_period_is_open_before_its_day_and_final_from_it():
    """start = end = 2020-01-01: days_total 0; before it ON_TRACK with nothing expected,
    from it a final verdict with everything expected; no division by zero anywhere."""
    point = Target(value=D(5), start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 1))
    before = attainment(point, 0, dt.date(2019, 12, 31))
    assert (before.status, before.forecast, before.days_total) == (TargetStatus.ON_TRACK, None, 0)
    assert before.expected_now == D("0.00")
    after = attainment(point, 4, dt.date(2020, 1, 1))
    assert after.status is TargetStatus.MISSED  # 4 < 5 × 0.97 = 4.85
    assert after.expected_now == D("5.00")
    assert attainment(point, 5, dt.date(2020, 1, 1)).status is TargetStatus.ACHIEVED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"value": D(-1)},
        {"tolerance_pct": D(-1)},
        {"tolerance_pct": D(101)},
        {"end": dt.date(2019, 12, 31)},
    ],
)
def test_an_impossible_target_is_refused(kwargs):
    fields = {"value": D(10), "start": dt.date(2020, 1, 1), "end": dt.date(2021, 1, 1)}
    with pytest.raises(ValueError):
        Target(**{**fields, **kwargs})


def test_floats_are_refused_and_ints_become_decimals():
    """Counts and money must not carry binary rounding."""
    with pytest.raises(TypeError):
        Target(value=0.1, start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        attainment(year(10), 2.5, dt.date(2020, 6, 1))  # type: ignore[arg-type]
    target = Target(value=10, start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1))  # type: ignore[arg-type]
    assert isinstance(target.value, Decimal)


# --- pro rata, forecast, fee, notation ------------------------------------------------------


def test_expected_by_is_the_pro_rata_share():
    """70 × 212 / 396 = 37.47 mid-2013; 0 before and at the start; 70 from the end on."""
    target = werktop(70)
    assert expected_by(target, MID_2013) == D("37.47")
    assert expected_by(target, dt.date(2012, 1, 1)) == D("0.00")
    assert expected_by(target, CONTRACT_START) == D("0.00")
    assert expected_by(target, CONTRACT_END) == D("70.00")
    assert expected_by(target, dt.date(2015, 1, 1)) == D("70.00")
    assert expected_by(werktop(70, cumulative=False), MID_2013) == D("70.00")


def test_forecast_method_per_phase():
    target = werktop(40)
    assert forecast_at_end(target, 10, CONTRACT_START) is None
    assert forecast_at_end(target, 10, MID_2013) == D("18.68")  # 10 × 396 / 212 = 18.679…
    assert forecast_at_end(target, 10, CONTRACT_END) == D("10.00")


def test_fee_is_results_times_the_fee_in_cents():
    """Werktop: €1,500 per realised uitstroomplaats; 40 → €60,000.00."""
    assert fee_due(40, D(1500)) == D("60000.00")
    assert fee_due(0, D(1500)) == D("0.00")
    assert fee_due(3, D("0.335")) == D("1.01")  # 1.005 → 1.01, ROUND_HALF_UP
    with pytest.raises(ValueError):
        fee_due(-1, D(1500))
    with pytest.raises(ValueError):
        fee_due(1, D(-1))
    with pytest.raises(TypeError):
        fee_due(True, D(1500))


def test_dutch_notation():
    assert nl_number(D("1234567.891"), 2) == "1.234.567,89"
    assert nl_number(D("56.04"), 0) == "56"
    assert nl_number(D("0.5"), 0) == "1"  # ROUND_HALF_UP
    assert nl_number(D("-0.001"), 2) == "0,00"  # no "-0,00"
    assert nl_date(dt.date(2014, 1, 1)) == "01-01-2014"


def test_every_status_has_a_dutch_label():
    assert {STATUS_LABELS_NL[s] for s in TargetStatus} == {
        "Behaald",
        "Binnen tolerantie",
        "Op koers",
        "Achter",
        "Niet behaald",
    }
    assert attainment(year(1), 1, dt.date(2021, 1, 1)).label_nl == "Behaald"


# --- properties ------------------------------------------------------------------------------

#: Within one phase (running or finished) a higher rank is a better status.
RANK = {
    TargetStatus.MISSED: 0,
    TargetStatus.BEHIND: 0,
    TargetStatus.WITHIN_TOLERANCE: 1,
    TargetStatus.ON_TRACK: 1,
    TargetStatus.ACHIEVED: 2,
}

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=800))
    return Target(
        value=draw(amounts),
        start=start,
        end=start + dt.timedelta(days=length),
        tolerance_pct=draw(st.decimals(min_value=0, max_value=20, places=1)),
        higher_is_better=draw(st.booleans()),
        cumulative=draw(st.booleans()),
    )


@given(targets(), amounts, st.integers(min_value=0, max_value=400))
def test_after_the_end_the_status_is_final(target, realised, days_after):
    """From the end on the status is ACHIEVED, WITHIN_TOLERANCE or MISSED, never ON_TRACK or
    BEHIND, and will_be_met agrees with it."""
    result = attainment(target, realised, target.end + dt.timedelta(days=days_after))
    assert result.status in FINAL_STATUSES
    assert result.will_be_met is (result.status is not TargetStatus.MISSED)
    assert result.days_elapsed == result.days_total


@given(targets(), amounts, st.integers(min_value=0, max_value=400))
def test_before_the_start_the_status_is_open(target, realised, days_before):
    on = target.start - dt.timedelta(days=days_before)
    if on >= target.end:  # a zero-length period is final on its day
        return
    result = attainment(target, realised, on)
    assert result.status is TargetStatus.ON_TRACK
    assert result.forecast is None and result.will_be_met is None


@given(targets(), amounts, amounts, st.integers(min_value=-50, max_value=900))
def test_more_realised_never_gives_a_worse_status(target, a, b, offset):
    """For higher-is-better, more realised is never worse on the same day; for a maximum,
    less realised is never worse."""
    on = target.start + dt.timedelta(days=offset)
    low, high = sorted((a, b))
    worse, better = (low, high) if target.higher_is_better else (high, low)
    assert RANK[attainment(target, worse, on).status] <= RANK[attainment(target, better, on).status]


@given(targets(), amounts, st.integers(min_value=-50, max_value=900))
def test_status_warning_and_verdict_agree(target, realised, offset):
    """A warning exactly for BEHIND, MISSED and WITHIN_TOLERANCE; pct_of_target only without
    a zero target; the forecast exists once a day has passed."""
    on = target.start + dt.timedelta(days=offset)
    result = attainment(target, realised, on)
    warned = {TargetStatus.BEHIND, TargetStatus.MISSED, TargetStatus.WITHIN_TOLERANCE}
    assert (result.warning_nl != "") == (result.status in warned)
    assert (result.pct_of_target is None) == (target.value == 0)
    assert (result.forecast is None) == (on < target.end and result.days_elapsed == 0)
    if result.status is TargetStatus.BEHIND:
        assert result.will_be_met is False


@given(targets(), st.integers(min_value=-50, max_value=900), st.integers(min_value=0, max_value=60))
def test_pro_rata_grows_from_zero_to_the_target(target, offset, step):
    """expected_by never falls as time passes and stays between 0 and the target."""
    first = target.start + dt.timedelta(days=offset)
    earlier, later = expected_by(target, first), expected_by(target, first + dt.timedelta(step))
    assert D(0) <= earlier <= later <= target.value.quantize(D("0.01"))
