"""Durability (pure): still working after 6 and 12 months over a chain of placements and the
check-ins, and no return to benefit within 12 months; unknown until the day has come."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from werkbrug.placements.durability import CheckIn, Stretch, lasted, no_return_within, working_on

D = dt.date
TODAY = D(2027, 6, 1)


def test_a_converted_work_experience_place_counts_as_one_stretch_of_work():
    chain = [Stretch(D(2026, 1, 5), D(2026, 4, 30)), Stretch(D(2026, 5, 1), None)]
    assert lasted(6, chain, [], today=TODAY) is True
    assert lasted(12, chain, [], today=TODAY) is True


def test_a_contract_that_ended_counts_only_when_a_check_in_says_they_still_work():
    chain = [Stretch(D(2026, 1, 5), D(2026, 6, 30))]
    assert lasted(6, chain, [], today=TODAY) is False  # ended before 5 July
    elsewhere = [CheckIn(D(2026, 7, 10), still_working=True)]
    assert lasted(6, chain, elsewhere, today=TODAY) is True
    stopped = [CheckIn(D(2026, 7, 10), still_working=False)]
    assert lasted(6, chain, stopped, today=TODAY) is False


def test_not_known_before_the_day():
    chain = [Stretch(D(2027, 3, 1), None)]
    assert lasted(6, chain, [], today=TODAY) is None
    assert lasted(6, [], [], today=TODAY) is None


def test_no_return_to_benefit_within_12_months():
    out = D(2026, 2, 1)
    assert no_return_within(12, out, [], today=TODAY) is True
    assert no_return_within(12, out, [D(2026, 11, 3)], today=TODAY) is False
    assert no_return_within(12, out, [D(2027, 3, 1)], today=TODAY) is True  # after 12 months
    assert no_return_within(12, D(2026, 12, 1), [], today=TODAY) is None  # not over yet
    assert no_return_within(12, D(2026, 12, 1), [D(2027, 1, 5)], today=TODAY) is False


@given(
    start=st.dates(min_value=D(2018, 1, 1), max_value=D(2026, 12, 31)),
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=900)),
    day_offset=st.integers(min_value=0, max_value=900),
)
def test_a_running_placement_is_working_on_every_known_day_it_covers(start, length, day_offset):
    end = None if length is None else start + dt.timedelta(days=length)
    day = start + dt.timedelta(days=day_offset)
    answer = working_on(day, [Stretch(start, end)], [], today=TODAY)
    if day > TODAY:
        assert answer is None
    else:
        assert answer is (end is None or day <= end)
