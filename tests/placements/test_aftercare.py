"""The aftercare schedule (pure): check-ins after the template's months, a three-way
conversation, and the alert a number of weeks before a planned end; month ends kept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkbrug.placements.aftercare import PlannedCheck, Template, add_months, schedule


def test_the_default_plan_of_a_six_month_contract():
    start = dt.date(2026, 3, 2)
    plan = schedule(start, Template(), planned_end=dt.date(2026, 9, 1))
    assert plan == [
        PlannedCheck("start", dt.date(2026, 3, 9)),
        PlannedCheck("m1", dt.date(2026, 4, 2)),
        PlannedCheck("driegesprek", dt.date(2026, 4, 2)),
        PlannedCheck("m3", dt.date(2026, 6, 2)),
        PlannedCheck("voor_einde", dt.date(2026, 7, 21)),  # six weeks before 1 September
        PlannedCheck("m6", dt.date(2026, 9, 2)),
        PlannedCheck("m12", dt.date(2027, 3, 2)),
    ]


def test_a_permanent_job_has_no_alert_and_a_template_can_leave_things_out():
    plan = schedule(
        dt.date(2026, 1, 31),
        Template(first_week=False, check_months=(2, 6), three_way_month=None),
    )
    assert plan == [
        PlannedCheck("m2", dt.date(2026, 3, 31)),
        PlannedCheck("m6", dt.date(2026, 7, 31)),
    ]


def test_the_alert_of_a_short_placement_is_never_before_the_start():
    start = dt.date(2026, 5, 1)
    plan = schedule(start, Template(end_alert_weeks=6), planned_end=dt.date(2026, 5, 20))
    assert PlannedCheck("voor_einde", start) in plan


def test_month_ends_are_kept():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 12) == dt.date(2027, 12, 15)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"check_months": (0,)},
        {"check_months": (3, 3)},
        {"three_way_month": 61},
        {"end_alert_weeks": 0},
    ],
)
def test_an_impossible_template_is_refused(kwargs):
    with pytest.raises(ValueError):
        Template(**kwargs)


@given(
    start=st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2035, 12, 31)),
    months=st.sets(st.integers(min_value=1, max_value=60), min_size=1, max_size=6),
    weeks=st.integers(min_value=1, max_value=26),
    length=st.one_of(st.none(), st.integers(min_value=1, max_value=1000)),
)
def test_every_check_falls_on_or_after_the_start_in_date_order(start, months, weeks, length):
    end = None if length is None else start + dt.timedelta(days=length)
    plan = schedule(start, Template(check_months=tuple(months), end_alert_weeks=weeks), end)
    assert all(c.due_on >= start for c in plan)
    assert [c.due_on for c in plan] == sorted(c.due_on for c in plan)
    assert {c.kind for c in plan} >= {f"m{m}" for m in months}
    assert (end is not None) == any(c.kind == "voor_einde" for c in plan)
    for m in months:
        due = next(c.due_on for c in plan if c.kind == f"m{m}")
        assert (due.year - start.year) * 12 + due.month - start.month == m
