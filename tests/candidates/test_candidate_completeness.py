"""The completeness core (pure): the handover gate and the score behave as promised."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.candidates.completeness import ITEM_CODES, ITEMS, assess
from werkbrug.candidates.models import benefit_duration_band
from werkbrug.candidates.profile import ITEM_LABELS

fillings = st.dictionaries(st.sampled_from(sorted(ITEM_CODES)), st.booleans())


@given(fillings)
def test_ready_for_handover_exactly_when_no_required_item_is_missing(filled: dict) -> None:
    result = assess(filled)
    required = {item.code for item in ITEMS if item.required}
    assert result.ready_for_handover == all(filled.get(code, False) for code in required)
    assert set(result.missing) == {code for code in ITEM_CODES if not filled.get(code, False)}


@given(fillings, st.sampled_from(sorted(ITEM_CODES)))
def test_filling_in_an_item_never_lowers_the_score(filled: dict, code: str) -> None:
    before = assess({**filled, code: False}).score
    after = assess({**filled, code: True}).score
    assert after > before
    assert 0 <= before < after <= 100


@given(fillings)
def test_score_is_100_only_when_nothing_is_missing(filled: dict) -> None:
    result = assess(filled)
    assert (result.score == 100) == (not result.missing)


def test_required_items_weigh_more_than_recommended() -> None:
    nothing = dict.fromkeys(ITEM_CODES, False)
    assert (
        assess({**nothing, "education_level": True}).score
        > assess({**nothing, "work_experience": True}).score
    )


def test_unknown_items_are_refused() -> None:
    with pytest.raises(ValueError, match="bogus"):
        assess({"bogus": True})


def test_every_item_has_a_label_for_the_missing_list() -> None:
    assert set(ITEM_LABELS) == ITEM_CODES


@pytest.mark.parametrize(
    ("start", "on", "band"),
    [
        (dt.date(2026, 6, 1), dt.date(2026, 11, 30), 1),  # 5 months
        (dt.date(2026, 6, 1), dt.date(2026, 12, 1), 2),  # exactly 6 months
        (dt.date(2025, 12, 2), dt.date(2026, 12, 1), 2),  # one day short of a year
        (dt.date(2025, 12, 1), dt.date(2026, 12, 1), 3),
        (dt.date(2023, 12, 1), dt.date(2026, 12, 1), 4),
        (dt.date(2021, 12, 1), dt.date(2026, 12, 1), 5),
        (dt.date(2016, 12, 1), dt.date(2026, 12, 1), 6),
    ],
)
def test_benefit_duration_band_follows_the_survey_bands(start, on, band) -> None:
    assert benefit_duration_band(start, on) == band


_DAYS = st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(9000, 12, 31))


@given(_DAYS, _DAYS)
def test_benefit_duration_band_grows_with_time(start: dt.date, on: dt.date) -> None:
    if on < start:
        start, on = on, start
    band = benefit_duration_band(start, on)
    assert 1 <= band <= 6
    assert benefit_duration_band(start, on + dt.timedelta(days=400)) >= band
