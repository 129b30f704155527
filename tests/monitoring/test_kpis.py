"""KPI definitions and how facts become values (``monitoring.kpis``), without a database.

Hand-built fact sets with the arithmetic in the comments, then properties that hold for any
facts (hypothesis): order does not matter, months add up to the year, the region is the sum
of its municipalities, a share stays a percentage; and the catalogue ``DEFINITIONS`` itself is
complete and consistent."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkbrug.monitoring import facts as fact_streams
from werkbrug.monitoring import kpis
from werkbrug.monitoring.kpis import Amount, Dimension, Fact, Grain, Kind, Kpi

D = dt.date
REGION, MUNICIPALITY, TEAM, STAFF = (
    Dimension.REGION,
    Dimension.MUNICIPALITY,
    Dimension.TEAM,
    Dimension.STAFF,
)
JAN, FEB, MAR = D(2019, 1, 1), D(2019, 2, 1), D(2019, 3, 1)
Y2019, Y2020 = D(2019, 1, 1), D(2020, 1, 1)

_refs = itertools.count(1)


def f(
    on: dt.date,
    *,
    municipality: int | None = 1,
    team: int | None = 10,
    staff: int | None = 100,
    key: int | None = None,
    value: Any = None,
    until: dt.date | None = None,
    tags: tuple[str, ...] = (),
    ref: int | None = None,
) -> Fact:
    """A fact in municipality 1, team 10, staff member 100 unless told otherwise."""
    return Fact(
        "test",
        next(_refs) if ref is None else ref,
        on,
        municipality,
        team,
        staff,
        key=key,
        value=None if value is None else Decimal(value),
        until=until,
        tags=frozenset(tags),
    )


def k(code: str, version: int = 1) -> Kpi:
    kpi = kpis.get(code, version)
    assert kpi is not None, f"{code} v{version} is not defined"
    return kpi


#: A plain monthly count to vary with ``dataclasses.replace``.
COUNT = Kpi(
    code="T",
    version=1,
    name_nl="Test",
    definition_nl="Test",
    source_nl="test",
    stream="placement",
    kind=Kind.COUNT,
    unit="aantal",
)


def measured(
    kpi: Kpi,
    facts: list[Fact],
    dimension: Dimension = REGION,
    *,
    start: dt.date = Y2019,
    end: dt.date = Y2020,
) -> dict[tuple[dt.date, int, str], tuple[Decimal, Decimal]]:
    """The table as {(period, member, part): (numerator, denominator)}."""
    return {
        cell: (amount.numerator, amount.denominator)
        for cell, amount in kpis.measure(kpi, facts, dimension, start=start, end=end).items()
    }


# --- COUNT --------------------------------------------------------------------------------------


def test_a_count_is_per_month_and_per_municipality():
    """COUNT puts each fact in the month of its day and in the cell of its municipality; the
    region is one cell (member 0). A count's denominator is the number of facts counted."""
    facts = [
        f(D(2019, 1, 5), municipality=1),
        f(D(2019, 1, 31), municipality=2),
        f(D(2019, 2, 1), municipality=1),
        f(D(2019, 2, 28), municipality=1),
        f(D(2019, 2, 14), municipality=1),
    ]
    # January: 5th (m1) + 31st (m2) = 2; February: 1st, 14th, 28th (all m1) = 3.
    assert measured(COUNT, facts) == {(JAN, 0, ""): (2, 2), (FEB, 0, ""): (3, 3)}
    assert measured(COUNT, facts, MUNICIPALITY) == {
        (JAN, 1, ""): (1, 1),
        (JAN, 2, ""): (1, 1),
        (FEB, 1, ""): (3, 3),
    }
    assert kpis.value_of(COUNT, Amount(Decimal(3), Decimal(3))) == 3


def test_a_fact_without_a_team_is_left_out_of_the_team_dimension_only():
    """A fact with no team (a staff member outside any team) still counts for the region,
    its municipality and its staff member; only the team dimension leaves it out."""
    facts = [f(D(2019, 1, 10), team=10), f(D(2019, 1, 11), team=None)]
    assert measured(COUNT, facts) == {(JAN, 0, ""): (2, 2)}
    assert measured(COUNT, facts, MUNICIPALITY) == {(JAN, 1, ""): (2, 2)}
    assert measured(COUNT, facts, STAFF) == {(JAN, 100, ""): (2, 2)}
    assert measured(COUNT, facts, TEAM) == {(JAN, 10, ""): (1, 1)}  # 2 facts - 1 without team


def test_facts_outside_start_and_end_are_ignored():
    """Only facts with start <= day < end count: the day before the start and the end day
    itself (exclusive) do not."""
    facts = [
        f(D(2018, 12, 31)),  # before the start
        f(D(2019, 1, 1)),  # the start: counts
        f(D(2019, 2, 28)),  # the last day before the end: counts
        f(D(2019, 3, 1)),  # the end: exclusive
    ]
    assert measured(COUNT, facts, start=JAN, end=MAR) == {
        (JAN, 0, ""): (1, 1),
        (FEB, 0, ""): (1, 1),
    }


# --- Distinct counts and K6 ---------------------------------------------------------------------


def test_k6_v1_counts_an_employer_once_a_year_even_with_five_contacts():
    """K6 v1 is a distinct count per calendar year: employer 7 with five contacts in 2019 is
    one relation; employer 8 counts in 2018 and again in 2019; a fact without an employer
    (no key) counts for nobody."""
    k6 = k("K6", 1)
    facts = [f(D(2019, month, 3), key=7) for month in (1, 3, 5, 7, 11)]
    facts += [f(D(2018, 6, 1), key=8), f(D(2019, 6, 1), key=8), f(D(2019, 6, 2), key=None)]
    # 2018: {8} = 1; 2019: {7, 8} = 2 (the fact without a key is not counted).
    assert measured(k6, facts, start=D(2018, 1, 1), end=D(2020, 1, 1)) == {
        (D(2018, 1, 1), 0, ""): (1, 1),
        (Y2019, 0, ""): (2, 2),
    }


def test_a_distinct_count_is_per_municipality_separately():
    """The distinct keys are counted per cell: an employer with facts in two municipalities
    is one relation in each of them, and still one for the region."""
    k6 = k("K6", 1)
    facts = [
        f(D(2019, 2, 1), key=7, municipality=1),
        f(D(2019, 4, 1), key=7, municipality=1),
        f(D(2019, 5, 1), key=7, municipality=2),
        f(D(2019, 5, 2), key=9, municipality=2),
    ]
    # Region: {7, 9} = 2; municipality 1: {7} = 1; municipality 2: {7, 9} = 2.
    assert measured(k6, facts) == {(Y2019, 0, ""): (2, 2)}
    assert measured(k6, facts, MUNICIPALITY) == {(Y2019, 1, ""): (1, 1), (Y2019, 2, ""): (2, 2)}


def test_the_dimensions_of_a_distinct_count_do_not_share_their_keys():
    """Ids of municipalities, teams and staff members come from different tables and may be
    equal: employer 7 seen in municipality 5 is still new for team 5 and staff member 5."""
    k6 = k("K6", 1)
    facts = [
        f(D(2019, 2, 1), key=7, municipality=5, team=6, staff=6),
        f(D(2019, 3, 1), key=7, municipality=6, team=5, staff=5),
    ]
    assert measured(k6, facts, MUNICIPALITY) == {(Y2019, 5, ""): (1, 1), (Y2019, 6, ""): (1, 1)}
    assert measured(k6, facts, TEAM) == {(Y2019, 5, ""): (1, 1), (Y2019, 6, ""): (1, 1)}
    assert measured(k6, facts, STAFF) == {(Y2019, 5, ""): (1, 1), (Y2019, 6, ""): (1, 1)}


def test_k6_has_two_versions_with_the_change_on_1_january_2020():
    """K6 v1 (activity) holds before 2020-01-01, v2 (a placement in the year) from then on;
    a period containing the change is a trend break, a period after it is not."""
    v1, v2 = kpis.for_code("K6")
    assert (v1.version, v2.version) == (1, 2)
    assert v1.valid_to == v2.valid_from == D(2020, 1, 1)
    assert (v1.stream, v2.stream) == ("employer_activity", "employer_placement")
    assert v1.distinct and v2.distinct
    assert kpis.current("K6", D(2019, 6, 1)).version == 1
    assert kpis.current("K6", D(2019, 12, 31)).version == 1
    assert kpis.current("K6", D(2020, 1, 1)).version == 2
    assert kpis.trend_break("K6", D(2019, 1, 1), D(2021, 1, 1)) is True
    assert kpis.trend_break("K6", D(2020, 1, 1), D(2021, 1, 1)) is False
    assert kpis.trend_break("K6", D(2018, 1, 1), D(2019, 1, 1)) is False
    assert kpis.trend_break("K2", D(2010, 1, 1), D(2030, 1, 1)) is False  # one version only
    assert kpis.get("K6", 3) is None
    assert kpis.current("XX", D(2019, 1, 1)) is None
    assert kpis.for_code("XX") == []


def test_both_k6_versions_stay_computable_for_any_year():
    """The validity dates choose the version shown, not what can be measured: v1 still
    counts 2021 and v2 still counts 2019 (for comparing the series)."""
    facts = [f(D(2019, 3, 1), key=1), f(D(2021, 3, 1), key=2)]
    start, end = D(2019, 1, 1), D(2022, 1, 1)
    for kpi in kpis.for_code("K6"):
        assert measured(kpi, facts, start=start, end=end) == {
            (D(2019, 1, 1), 0, ""): (1, 1),
            (D(2021, 1, 1), 0, ""): (1, 1),
        }


def test_year_grain_periods_start_on_1_january():
    """A YEAR-grain KPI puts facts from March and November in one period that starts on
    1 January; ``period_of`` and ``period_end`` agree."""
    k6 = k("K6", 1)
    assert k6.grain == Grain.YEAR
    facts = [f(D(2019, 3, 15), key=1), f(D(2019, 11, 30), key=2)]
    assert measured(k6, facts) == {(Y2019, 0, ""): (2, 2)}
    assert kpis.period_of(k6, D(2019, 11, 30)) == Y2019
    assert kpis.period_end(k6, Y2019) == D(2020, 1, 1)
    assert kpis.period_of(COUNT, D(2019, 11, 30)) == D(2019, 11, 1)
    assert kpis.period_end(COUNT, D(2019, 12, 1)) == D(2020, 1, 1)


def test_a_year_measured_from_inside_the_year_is_never_half_a_year():
    """A YEAR-grain KPI is only meaningful per calendar year: measured from 1 June 2019,
    K6 v1 either counts the whole of 2019 (2 employers) or leaves 2019 out, never the one
    employer seen after June."""
    k6 = k("K6", 1)
    facts = [f(D(2019, 3, 1), key=1), f(D(2019, 9, 1), key=2)]
    whole = measured(k6, facts)  # {2019: 2}
    from_june = measured(k6, facts, start=D(2019, 6, 1))
    assert from_june in (whole, {})


# --- SHARE and MEAN -----------------------------------------------------------------------------


def test_a_share_is_hits_over_cases_in_percent():
    """SHARE keeps the hits (value 1) over the cases as numerator and denominator;
    ``value_of`` gives the percentage to one decimal. A fact without a value is no case."""
    m2 = k("M2")
    facts = [f(D(2019, 5, 1), value=1), f(D(2019, 5, 2), value=1), f(D(2019, 5, 3), value=0)]
    facts.append(f(D(2019, 5, 4), value=None))
    table = kpis.measure(m2, facts, REGION, start=JAN, end=D(2020, 1, 1))
    assert {c: (a.numerator, a.denominator) for c, a in table.items()} == {
        (D(2019, 5, 1), 0, ""): (2, 3)
    }
    assert kpis.value_of(m2, table[(D(2019, 5, 1), 0, "")]) == Decimal("66.7")  # 2/3 = 66.67 %
    assert kpis.value_of(m2, Amount(Decimal(1), Decimal(8))) == Decimal("12.5")
    assert kpis.value_of(m2, Amount(Decimal(3), Decimal(3))) == Decimal("100.0")
    assert kpis.value_of(m2, Amount()) is None  # no cases: nothing to divide by


def test_a_mean_is_the_sum_over_the_number_of_facts():
    """MEAN keeps the sum of the values over the number of facts; ``value_of`` gives the
    mean to one decimal, None without facts."""
    w3 = k("W3")
    facts = [f(D(2019, 4, 6), value=35), f(D(2019, 4, 10), value=21), f(D(2019, 4, 12), value=1)]
    table = kpis.measure(w3, facts, REGION, start=JAN, end=D(2020, 1, 1))
    amount = table[(D(2019, 4, 1), 0, "")]
    assert (amount.numerator, amount.denominator) == (57, 3)  # 35 + 21 + 1 = 57 over 3
    assert kpis.value_of(w3, amount) == Decimal("19.0")  # 57 / 3 = 19
    assert kpis.value_of(w3, Amount(Decimal(56), Decimal(2))) == Decimal("28.0")
    assert kpis.value_of(w3, Amount(Decimal(10), Decimal(3))) == Decimal("3.3")  # 3.333...
    assert kpis.value_of(w3, Amount(Decimal(5), Decimal(0))) is None


def test_a_share_of_a_year_is_the_sum_of_hits_over_the_sum_of_cases():
    """Months add up as numerators and denominators: January 1 of 1 and February 1 of 3 is
    2 of 4 = 50 %, not the average of 100 % and 33.3 %."""
    m2 = k("M2")
    months = [(JAN, Amount(Decimal(1), Decimal(1))), (FEB, Amount(Decimal(1), Decimal(3)))]
    assert kpis.value_of(m2, kpis.total(m2, months)) == Decimal("50.0")


# --- STOCK --------------------------------------------------------------------------------------


def test_a_stock_counts_what_runs_on_the_last_day_of_the_month():
    """STOCK (C2) counts in each month what runs on its last day (on <= last < until): a fact
    starting on the last day counts, one ending (until, exclusive) on the last day does not,
    one still running counts in every month from its start."""
    c2 = k("C2")
    facts = [
        f(D(2019, 1, 31)),  # starts on the last day of January: Jan, Feb
        f(D(2019, 1, 1), until=D(2019, 1, 31)),  # ended on the 31st (exclusive): never
        f(D(2018, 6, 1), until=D(2019, 2, 1)),  # runs on 31 Jan, not on 28 Feb: Jan
        f(D(2019, 2, 1), until=D(2019, 3, 1)),  # 28 Feb < 1 Mar: Feb
        f(D(2019, 2, 28), until=D(2019, 2, 28)),  # ends the day it starts: never
        f(D(2019, 3, 1)),  # starts after the last period's end: never
    ]
    # January: 2 (the first and third); February: 2 (the first and fourth).
    assert measured(c2, facts, start=JAN, end=MAR) == {
        (JAN, 0, ""): (2, 2),
        (FEB, 0, ""): (2, 2),
    }
    assert kpis.value_of(c2, Amount(Decimal(2), Decimal(2))) == 2


def test_c4_is_the_share_of_the_stock_running_longer_than_730_days():
    """C4: of those in service on the last day of the month, the share that started more
    than 730 days before it (exactly 730 days is not more)."""
    c4 = k("C4")
    assert (c4.kind, c4.older_than_days) == (Kind.STOCK, 730)
    last = D(2019, 1, 31)
    facts = [
        f(last - dt.timedelta(days=731)),  # 731 > 730: a hit
        f(last - dt.timedelta(days=730)),  # 730 is not more than 730
        f(D(2018, 12, 1)),  # two months: no hit
        f(D(2016, 1, 1), until=D(2019, 1, 1)),  # long, but ended before the last day
    ]
    table = measured(c4, facts, start=JAN, end=FEB)
    assert table == {(JAN, 0, ""): (1, 3)}
    assert kpis.value_of(c4, Amount(Decimal(1), Decimal(3))) == Decimal("33.3")


def test_total_sums_months_but_takes_the_last_period_of_a_stock():
    """``total`` adds months up for counts, shares and means; for a STOCK it is the value of
    its last period, whatever the order the periods come in; nothing gives an empty amount."""
    months = [
        (FEB, Amount(Decimal(5), Decimal(5))),
        (MAR, Amount(Decimal(4), Decimal(4))),
        (JAN, Amount(Decimal(7), Decimal(7))),
    ]
    assert kpis.total(COUNT, months) == Amount(Decimal(16), Decimal(16))  # 5 + 4 + 7
    assert kpis.total(k("C2"), months) == Amount(Decimal(4), Decimal(4))  # March
    assert kpis.total(k("W3"), months) == Amount(Decimal(16), Decimal(16))
    assert kpis.total(COUNT, []) == Amount()
    assert kpis.total(k("C2"), []) == Amount()


# --- Breakdowns and tags ------------------------------------------------------------------------


def test_r1_is_broken_down_by_reason_and_the_empty_part_is_the_whole():
    """R1 has a part per ``reden:`` tag; part "" counts every fact once."""
    r1 = k("R1")
    facts = [
        f(D(2019, 1, 3), tags=("reden:verhuisd",)),
        f(D(2019, 1, 4), tags=("reden:ziek",)),
        f(D(2019, 1, 5), tags=("reden:ziek",)),
        f(D(2019, 1, 6)),  # no reason: only in the whole
    ]
    assert measured(r1, facts) == {
        (JAN, 0, ""): (4, 4),
        (JAN, 0, "verhuisd"): (1, 1),
        (JAN, 0, "ziek"): (2, 2),
    }


def test_k4_and_p1_are_broken_down_by_kind():
    """K4 and P1 split by the ``soort:`` tag; the whole ("") counts each placement once even
    when a fact has two parts, which then both count it."""
    facts = [
        f(D(2019, 2, 1), tags=("soort:regulier_werk",)),
        f(D(2019, 2, 2), tags=("soort:regulier_werk", "deeltijd")),
        f(D(2019, 2, 3), tags=("soort:detachering", "deeltijd")),
        f(D(2019, 2, 4), tags=("soort:a", "soort:b")),  # two parts, one placement
    ]
    expected = {
        (FEB, 0, ""): (4, 4),
        (FEB, 0, "regulier_werk"): (2, 2),
        (FEB, 0, "detachering"): (1, 1),
        (FEB, 0, "a"): (1, 1),
        (FEB, 0, "b"): (1, 1),
    }
    assert measured(k("K4"), facts) == expected
    assert measured(k("P1"), facts) == expected


def test_tags_all_keeps_only_the_facts_with_every_tag():
    """K2 counts only regular jobs, K3 only work-experience places, K5 only part-time work."""
    facts = [
        f(D(2019, 3, 1), tags=("soort:regulier_werk",)),
        f(D(2019, 3, 2), tags=("soort:regulier_werk", "deeltijd")),
        f(D(2019, 3, 3), tags=("soort:detachering", "deeltijd")),
        f(D(2019, 3, 4), tags=("soort:werkervaringsplaats", "deeltijd")),
    ]
    assert measured(k("K2"), facts) == {(MAR, 0, ""): (2, 2)}  # the first two
    assert measured(k("K3"), facts) == {(MAR, 0, ""): (1, 1)}  # the last
    assert measured(k("K5"), facts) == {(MAR, 0, ""): (3, 3)}  # all but the first


def test_tags_none_leaves_facts_out():
    """A KPI with ``tags_none`` ignores the facts carrying one of them."""
    kpi = replace(COUNT, tags_none=frozenset({"test"}))
    facts = [f(D(2019, 1, 2)), f(D(2019, 1, 3), tags=("test", "x"))]
    assert measured(kpi, facts) == {(JAN, 0, ""): (1, 1)}


# --- Derived facts ------------------------------------------------------------------------------


def test_first_facts_keeps_the_earliest_fact_per_key():
    """K1: per employer only its first contact ever; on the same day the lowest ref wins;
    facts without a key are dropped; the result is sorted by day and ref."""
    facts = [
        f(D(2019, 5, 1), key=1, ref=10),
        f(D(2019, 3, 1), key=1, ref=11),  # earlier: employer 1's first
        f(D(2019, 4, 1), key=2, ref=5),
        f(D(2019, 4, 1), key=2, ref=3),  # same day, lower ref: employer 2's first
        f(D(2019, 1, 1), key=None, ref=1),  # no employer
    ]
    assert [(x.key, x.ref) for x in kpis.first_facts(facts)] == [(1, 11), (2, 3)]
    # Measured as K1: one new employer in March and one in April.
    assert measured(k("K1"), kpis.first_facts(facts)) == {
        (MAR, 0, ""): (1, 1),
        (D(2019, 4, 1), 0, ""): (1, 1),
    }


def test_an_employer_first_contacted_in_an_earlier_year_is_not_new_again():
    """K1 over several years: an employer contacted in 2018 and again in 2019 is new in 2018
    only."""
    facts = [f(D(2018, 10, 1), key=1), f(D(2019, 2, 1), key=1), f(D(2019, 2, 2), key=2)]
    assert measured(k("K1"), kpis.first_facts(facts), start=D(2018, 1, 1)) == {
        (D(2018, 10, 1), 0, ""): (1, 1),
        (FEB, 0, ""): (1, 1),  # employer 2 only
    }


def norm(contacts: list[Fact], **kwargs: Any) -> dict[tuple[int, int], Fact]:
    kwargs.setdefault("min_contacts", 2)
    kwargs.setdefault("min_visits", 1)
    return {(x.key, x.on.year): x for x in kpis.contact_norm_facts(contacts, **kwargs)}


def test_the_contact_norm_needs_two_contacts_of_which_one_visit():
    """K8: two contacts of which one a visit meets the norm (value 1); three phone calls do
    not (value 0). One fact per employer and year, on 1 January, keyed by the employer."""
    contacts = [
        f(D(2019, 2, 1), key=1),
        f(D(2019, 6, 1), key=1, tags=("bezoek",)),  # employer 1: 2 contacts, 1 visit
        f(D(2019, 2, 1), key=2),
        f(D(2019, 3, 1), key=2),
        f(D(2019, 4, 1), key=2),  # employer 2: 3 contacts, 0 visits
        f(D(2019, 4, 1), key=3, tags=("bezoek",)),  # employer 3: 1 visit, 1 contact
    ]
    out = norm(contacts)
    assert {cell: x.value for cell, x in out.items()} == {
        (1, 2019): 1,
        (2, 2019): 0,
        (3, 2019): 0,
    }
    assert all(x.on == Y2019 and x.ref == x.key and x.source == "employer" for x in out.values())
    # Measured as K8: 1 of the 3 employers with contact met the norm.
    table = kpis.measure(k("K8"), out.values(), REGION, start=JAN, end=D(2020, 1, 1))
    assert table == {(Y2019, 0, ""): Amount(Decimal(1), Decimal(3))}
    assert kpis.value_of(k("K8"), table[(Y2019, 0, "")]) == Decimal("33.3")


def test_the_contact_norm_is_per_year_separately():
    """A visit in December 2018 and a call in January 2019 are one contact in each year:
    neither year meets the norm. The ``years`` filter leaves other years out."""
    contacts = [
        f(D(2018, 12, 20), key=1, tags=("bezoek",)),
        f(D(2019, 1, 10), key=1),
        f(D(2020, 3, 1), key=1, tags=("bezoek",)),
        f(D(2020, 3, 2), key=1),
    ]
    assert {c: x.value for c, x in norm(contacts).items()} == {
        (1, 2018): 0,
        (1, 2019): 0,
        (1, 2020): 1,
    }
    assert set(norm(contacts, years=[2019])) == {(1, 2019)}


def test_the_contact_norm_reads_its_thresholds():
    """The region's policy sets the thresholds: three phone calls meet a norm of three
    contacts without a visit, not one of four."""
    contacts = [f(D(2019, m, 1), key=1) for m in (1, 2, 3)]
    assert norm(contacts, min_contacts=3, min_visits=0)[(1, 2019)].value == 1
    assert norm(contacts, min_contacts=4, min_visits=0)[(1, 2019)].value == 0


def test_the_contact_norm_fact_is_in_the_cell_of_the_latest_contact():
    """The employer's cell for the year is that of its latest contact (by day, then ref),
    whatever the order the contacts come in; contacts without an employer are ignored."""
    contacts = [
        f(D(2019, 9, 1), key=1, municipality=3, team=30, staff=300, ref=40),  # same day, lower
        f(D(2019, 9, 1), key=1, municipality=2, team=20, staff=200, ref=50),  # the latest
        f(D(2019, 2, 1), key=1, municipality=1, team=10, staff=100, ref=60),
        f(D(2019, 12, 31), key=None, municipality=9),
    ]
    for order in (contacts, contacts[::-1]):
        (only,) = kpis.contact_norm_facts(order, min_contacts=2, min_visits=1)
        assert (only.municipality, only.team, only.staff) == (2, 20, 200)


# --- Properties ---------------------------------------------------------------------------------

TAGS = (
    "soort:regulier_werk",
    "soort:werkervaringsplaats",
    "soort:detachering",
    "deeltijd",
    "reden:verhuisd",
    "reden:werk",
    "bezoek",
)
days_2019 = st.dates(min_value=D(2019, 1, 1), max_value=D(2019, 12, 31))
days_around = st.dates(min_value=D(2016, 1, 1), max_value=D(2020, 12, 31))
percentages = st.integers(0, 100)
some_municipality = st.one_of(st.none(), st.integers(1, 4))


@st.composite
def any_fact(
    draw: Any,
    days: Any = days_around,
    values: Any = percentages,
    municipalities: Any = some_municipality,
) -> Fact:
    on = draw(days)
    length = draw(st.one_of(st.none(), st.integers(0, 1000)))
    return Fact(
        "test",
        draw(st.integers(1, 10_000)),
        on,
        draw(municipalities),
        draw(st.one_of(st.none(), st.integers(10, 12))),
        draw(st.one_of(st.none(), st.integers(100, 102))),
        key=draw(st.one_of(st.none(), st.integers(1, 6))),
        value=draw(st.one_of(st.none(), values.map(Decimal))),
        until=None if length is None else on + dt.timedelta(days=length),
        tags=frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=3))),
    )


@settings(deadline=None)
@given(
    facts=st.lists(any_fact(), max_size=25),
    kpi=st.sampled_from(kpis.DEFINITIONS),
    random=st.randoms(use_true_random=False),
)
def test_measuring_does_not_depend_on_the_order_of_the_facts(facts, kpi, random):
    """Any KPI of the catalogue gives the same table in every dimension for the same facts
    in any order (distinct counts, stocks, breakdowns included)."""
    shuffled = list(facts)
    random.shuffle(shuffled)
    start, end = D(2017, 1, 1), D(2020, 7, 1)
    for dimension in Dimension:
        assert kpis.measure(kpi, facts, dimension, start=start, end=end) == kpis.measure(
            kpi, shuffled, dimension, start=start, end=end
        )


@settings(deadline=None)
@given(facts=st.lists(any_fact(days=days_around), max_size=40))
def test_the_months_of_a_count_add_up_to_the_year(facts):
    """Split by month, a COUNT adds up (``total``) to the same count measured per year, in
    every municipality and for the region; the region's year holds every fact of the year."""
    yearly_kpi = replace(COUNT, grain=Grain.YEAR)
    for dimension in (REGION, MUNICIPALITY):
        monthly = kpis.measure(COUNT, facts, dimension, start=Y2019, end=D(2020, 1, 1))
        yearly = kpis.measure(yearly_kpi, facts, dimension, start=Y2019, end=D(2020, 1, 1))
        members = {member for _p, member, _part in monthly} | {m for _p, m, _part in yearly}
        for member in members:
            months = [(p, a) for (p, m, part), a in monthly.items() if m == member and part == ""]
            assert all(p.year == 2019 for p, _a in months)
            assert kpis.total(COUNT, months) == yearly[(Y2019, member, "")]
    in_2019 = [x for x in facts if x.on.year == 2019]
    region = kpis.measure(yearly_kpi, facts, REGION, start=Y2019, end=D(2020, 1, 1))
    assert region.get((Y2019, 0, ""), Amount()).numerator == len(in_2019)


@settings(deadline=None)
@given(
    facts=st.lists(any_fact(municipalities=st.integers(1, 4)), max_size=40),
    kpi=st.sampled_from([COUNT, k("K2"), k("K4"), k("P1"), k("R1"), k("K5")]),
)
def test_the_region_is_the_sum_of_its_municipalities(facts, kpi):
    """For a (non-distinct) COUNT, when every fact has a municipality, the region's value in
    each month and part equals the sum over the municipalities."""
    start, end = D(2016, 1, 1), D(2021, 1, 1)
    region = kpis.measure(kpi, facts, REGION, start=start, end=end)
    summed: dict[tuple[dt.date, str], Amount] = {}
    for (period, _member, part), amount in kpis.measure(
        kpi, facts, MUNICIPALITY, start=start, end=end
    ).items():
        summed[(period, part)] = summed.get((period, part), Amount()) + amount
    assert {(period, part): a for (period, _m, part), a in region.items()} == summed


@settings(deadline=None)
@given(
    facts=st.lists(any_fact(values=st.sampled_from([0, 1])), max_size=40),
    kpi=st.sampled_from([k for k in kpis.DEFINITIONS if k.unit == "%" and k.kind != Kind.MEAN]),
)
def test_a_share_stays_between_0_and_100(facts, kpi):
    """Every SHARE (and share of a STOCK) value is None or a percentage in 0..100."""
    for dimension in Dimension:
        table = kpis.measure(kpi, facts, dimension, start=D(2016, 1, 1), end=D(2021, 1, 1))
        for amount in table.values():
            value = kpis.value_of(kpi, amount)
            assert value is None or 0 <= value <= 100


# --- The catalogue ------------------------------------------------------------------------------

ENGLISH_WORDS = (" the ", " and ", " with ", " which ", " per month", " employers ")


def test_every_definition_has_a_unique_code_and_version():
    """(code, version) identifies a definition; versions of a code count 1, 2, ... and their
    validity windows follow each other without gap or overlap."""
    labels = [(kpi.code, kpi.version) for kpi in kpis.DEFINITIONS]
    assert len(labels) == len(set(labels))
    for code in kpis.codes():
        versions = kpis.for_code(code)
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        assert versions[0].valid_from is None and versions[-1].valid_to is None
        for before, after in itertools.pairwise(versions):
            assert before.valid_to is not None and before.valid_to == after.valid_from


@pytest.mark.parametrize("kpi", kpis.DEFINITIONS, ids=lambda kpi: kpi.label)
def test_every_definition_is_complete(kpi):
    """Each definition reads a stream ``monitoring.facts`` knows, has a Dutch name and
    definition, a source, a theme on the dashboard, a unit, and only options that fit its
    kind; its code fits ``KpiValue.kpi``."""
    assert kpi.stream in fact_streams.STREAMS
    assert kpi.name_nl.strip() and kpi.definition_nl.strip() and kpi.source_nl.strip()
    for text in (kpi.name_nl, kpi.definition_nl):
        assert not any(word in f" {text.lower()} " for word in ENGLISH_WORDS), text
    assert kpi.theme in kpis.THEMES_NL
    assert kpi.unit in {"aantal", "%", "dagen", "uren"}
    assert len(kpi.code) <= 10
    if kpi.distinct or kpi.breakdown:
        assert kpi.kind == Kind.COUNT
    if kpi.older_than_days is not None:
        assert kpi.kind == Kind.STOCK and kpi.unit == "%"
    if kpi.kind == Kind.SHARE:
        assert kpi.unit == "%"
    if kpi.breakdown:
        assert kpi.breakdown.endswith(":")


def test_with_relations_a_year_without_contact_counts_as_not_met():
    """K8 over relations: employer 1 (relation since 2018) met the norm in 2019 but had no
    contact at all in 2020: that year counts as 0, in the relation's own cell; employer 9 is
    no relation, so its contacts are left out. 2019: 1 of 1; 2020: 0 of 1."""
    contacts = [
        f(D(2019, 2, 1), key=1, municipality=5),
        f(D(2019, 6, 1), key=1, tags=("bezoek",), municipality=5),
        f(D(2019, 6, 1), key=9, tags=("bezoek",)),
        f(D(2019, 7, 1), key=9),
    ]
    relations = {1: kpis.Relation(D(2018, 3, 1), municipality=7, team=70, staff=700)}
    out = norm(contacts, relations=relations, until_year=2020)
    assert {cell: x.value for cell, x in out.items()} == {(1, 2018): 0, (1, 2019): 1, (1, 2020): 0}
    assert {(x.municipality, x.team, x.staff) for x in out.values()} == {(7, 70, 700)}


def test_a_stock_of_an_unfinished_month_is_taken_on_the_last_day_measured():
    """C2 measured up to and including 15 March: someone in service from 1 to 20 March is in
    March's stock (taken on 15 March, not on 31 March, after they left)."""
    c2 = k("C2")
    fact = f(D(2019, 3, 1), until=D(2019, 3, 21))
    table = kpis.measure(c2, [fact], REGION, start=JAN, end=D(2019, 3, 16))
    assert table == {(MAR, 0, ""): Amount(Decimal(1), Decimal(1))}


def test_the_total_of_a_stock_is_its_last_period_and_zero_when_that_is_empty():
    """A quarter's stock is its last month's; a last month without a stored value means no
    one was in service then, not the month before's number."""
    c2 = k("C2")
    jan, feb = Amount(Decimal(4), Decimal(4)), Amount(Decimal(6), Decimal(6))
    assert kpis.total(c2, [(JAN, jan), (FEB, feb)], last=FEB) == feb
    assert kpis.total(c2, [(JAN, jan), (FEB, feb)], last=MAR) == Amount()
    assert kpis.total(c2, [(JAN, jan), (FEB, feb)]) == feb


def test_shares_and_means_round_half_up():
    """One decimal, half up as Dutch reports do: 1 of 16 is 6,25 % → 6,3 %."""
    assert kpis.value_of(k("M2"), Amount(Decimal(1), Decimal(16))) == Decimal("6.3")
