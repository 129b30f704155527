"""The pure retention core: the cut-off date is the period before today, a record is due only
once its clock started before the cut-off, an open file (no start) is never due, and the
administrator's choices are bounded by each category's legal minimum."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from werkbrug.privacy import retention

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))
months = st.integers(min_value=0, max_value=retention.MAXIMUM_MONTHS)


def test_cutoff_examples() -> None:
    assert retention.cutoff(dt.date(2026, 12, 2), 60) == dt.date(2021, 12, 2)
    assert retention.cutoff(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert retention.cutoff(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert retention.cutoff(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


@given(days, months)
def test_cutoff_is_the_period_before_today(today: dt.date, m: int) -> None:
    cut = retention.cutoff(today, m)
    assert cut <= today
    assert (today.year - cut.year) * 12 + today.month - cut.month == m
    assert cut.day <= today.day


@given(days, months, months)
def test_a_longer_period_never_makes_more_due(today: dt.date, a: int, b: int) -> None:
    shorter, longer = sorted((a, b))
    assert retention.cutoff(today, longer) <= retention.cutoff(today, shorter)


@given(days, days, months)
def test_due_exactly_when_the_clock_started_before_the_cutoff(
    started: dt.date, today: dt.date, m: int
) -> None:
    assert retention.is_due(started, today=today, months=m) == (
        started < retention.cutoff(today, m)
    )
    assert not retention.is_due(None, today=today, months=m)


def test_every_category_has_a_legal_basis_and_a_default_within_its_bounds() -> None:
    assert len({c.code for c in retention.CATEGORIES}) == len(retention.CATEGORIES)
    for category in retention.CATEGORIES:
        assert category.legal_basis and category.action and category.starts
        assert category.default_months in retention.allowed_months(category.code)
        assert category.minimum_months - 1 not in retention.allowed_months(category.code)
        assert retention.MAXIMUM_MONTHS + 1 not in retention.allowed_months(category.code)
