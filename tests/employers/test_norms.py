"""Pure employer-service rules: contact norm, warm/cold and the response norm."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from werkbrug.employers.norms import (
    Norm,
    add_working_days,
    contact_norm,
    is_cold,
    response_due,
    working_days_between,
)

TODAY = dt.date(2026, 11, 22)
days = st.integers(min_value=-800, max_value=0).map(lambda d: TODAY + dt.timedelta(days=d))
contacts = st.lists(st.tuples(days, st.booleans()), max_size=30)
norms = st.builds(
    Norm,
    contacts_per_year=st.integers(0, 6),
    visits_per_year=st.integers(0, 3),
    cold_after_days=st.integers(1, 800),
    response_days=st.integers(0, 10),
)


def test_default_norm_two_contacts_one_visit():
    norm = Norm()
    assert not contact_norm([], on=TODAY, norm=norm).met
    two_calls = [(TODAY - dt.timedelta(days=10), False), (TODAY - dt.timedelta(days=100), False)]
    status = contact_norm(two_calls, on=TODAY, norm=norm)
    assert not status.met and status.missing_visits == 1 and status.missing_contacts == 1
    call_and_visit = [
        (TODAY - dt.timedelta(days=10), False),
        (TODAY - dt.timedelta(days=300), True),
    ]
    assert contact_norm(call_and_visit, on=TODAY, norm=norm).met


def test_contacts_older_than_a_year_do_not_count():
    old = [(TODAY - dt.timedelta(days=366), True), (TODAY - dt.timedelta(days=400), True)]
    assert contact_norm(old, on=TODAY, norm=Norm()).contacts == 0


@given(contacts, norms)
def test_norm_counts_only_the_last_year_and_shortfall_is_consistent(items, norm):
    status = contact_norm(items, on=TODAY, norm=norm)
    in_year = [i for i in items if TODAY - dt.timedelta(days=365) < i[0] <= TODAY]
    assert status.contacts == len(in_year)
    assert status.visits == sum(1 for _d, v in in_year if v)
    assert status.missing_visits == max(0, norm.visits_per_year - status.visits)
    assert status.missing_contacts >= status.missing_visits
    assert status.met == (
        status.contacts >= norm.contacts_per_year and status.visits >= norm.visits_per_year
    )


@given(contacts, st.tuples(days, st.booleans()), norms)
def test_an_extra_contact_never_makes_the_norm_worse(items, extra, norm):
    before = contact_norm(items, on=TODAY, norm=norm)
    after = contact_norm([*items, extra], on=TODAY, norm=norm)
    assert after.missing_contacts <= before.missing_contacts
    assert after.missing_visits <= before.missing_visits


@given(st.one_of(st.none(), days), norms)
def test_cold_exactly_when_last_contact_is_too_long_ago(last, norm):
    cold = is_cold(last, on=TODAY, norm=norm)
    assert cold == (last is None or (TODAY - last).days > norm.cold_after_days)


datetimes = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 1, 1))


@given(datetimes, st.integers(0, 15))
def test_due_moment_is_a_weekday_and_counts_working_days(start, n):
    due = add_working_days(start, n)
    assert due.weekday() < 5 and due >= start
    assert working_days_between(start, due) <= n + 2  # a weekend start shifts to Monday


def test_friday_question_with_one_day_norm_is_due_monday():
    friday = dt.datetime(2026, 11, 20, 16, 0)
    assert response_due(friday, norm=Norm(response_days=1)).date() == dt.date(2026, 11, 23)
    saturday = dt.datetime(2026, 11, 21, 10, 0)
    assert response_due(saturday, norm=Norm(response_days=0)).date() == dt.date(2026, 11, 23)
    assert response_due(friday, norm=Norm(response_days=0)).date() == friday.date()


def test_working_days_between_same_day_is_zero():
    morning = dt.datetime(2026, 11, 18, 9)
    assert working_days_between(morning, morning.replace(hour=17)) == 0
    assert working_days_between(morning, dt.datetime(2026, 11, 23, 9)) == 3
