"""Index numbers and yearly target tables (pure: no Django).

WerkBedrijf reports performance per municipality as index numbers (WB Bijlage 2, Tabel
B1-B5): ``index = round(100 × value / value in the base year)``, so municipalities of very
different size can be compared. The base year is stored with the series (2016 by default,
2014 for *uitstroom*, 2017 for the regional comparison); this module takes it as an argument.

Rounding is ROUND_HALF_UP (the ``decimal`` mode, halves away from zero) on the **exact**
quotient: the division is done on ``fractions.Fraction``, so no intermediate rounding can move
a result across a half (12.5 → 13, where Python's ``round`` would give 12).

An index on few cases jumps: 2 → 5 reads as index 250. ``small_numbers`` lists the years whose
raw value is below a threshold, so a table can flag them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from werkbrug.monitoring.targets import (
    DEFAULT_TOLERANCE_PCT,
    Target,
    TargetStatus,
    attainment,
)

#: Below this many cases a year's index is flagged as resting on small numbers.
SMALL_NUMBER = 20

Number = Decimal | int


def _fraction(value: Number, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal or an int, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}")
    return Fraction(value)


def _round_half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (``decimal.ROUND_HALF_UP``), exactly."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


def index_number(value: Number | None, base: Number | None) -> int | None:
    """``round(100 × value / base)``, ROUND_HALF_UP; None when either is missing or the base
    is 0."""
    if value is None or base is None:
        return None
    base_fraction = _fraction(base, "base")
    if base_fraction == 0:
        return None
    return _round_half_up(100 * _fraction(value, "value") / base_fraction)


def index_series(values: Mapping[int, Number | None], base_year: int) -> dict[int, int | None]:
    """The index of every year in ``values`` against ``values[base_year]`` (years in order).

    A year is None where its value is missing; every year is None where the base year is
    missing, None or 0. The base year itself is 100 whenever it can be computed.
    """
    base = values.get(base_year)
    return {year: index_number(values[year], base) for year in sorted(values)}


def small_numbers(
    values: Mapping[int, Number | None], threshold: Number = SMALL_NUMBER
) -> set[int]:
    """The years whose raw value is below ``threshold`` (missing values are not small, they
    are missing): their index rests on few cases and may jump."""
    limit = _fraction(threshold, "threshold")
    return {
        year
        for year, value in values.items()
        if value is not None and _fraction(value, f"values[{year}]") < limit
    }


def attainment_by_year(
    values: Mapping[int, Number | None],
    targets: Mapping[int, Number | None],
    tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT,
    *,
    higher_is_better: bool = True,
) -> dict[int, TargetStatus]:
    """The final status of calendar-year targets (WB Tabel 4.1: 900 part-time placements in
    2018), judged after each year with ``targets.attainment``: ``ACHIEVED``,
    ``WITHIN_TOLERANCE`` or ``MISSED``.

    Only years with both a target and a realised value are judged (years in order); a year
    without a target (None, "." in the source) or without a realised value is left out, never
    guessed.
    """
    result: dict[int, TargetStatus] = {}
    for year in sorted(targets):
        goal = targets[year]
        realised = values.get(year)
        if goal is None or realised is None:
            continue
        _fraction(goal, f"targets[{year}]")  # refuses floats before Decimal() would take one
        end = dt.date(year + 1, 1, 1)
        target = Target(
            value=Decimal(goal),
            start=dt.date(year, 1, 1),
            end=end,
            tolerance_pct=tolerance_pct,
            higher_is_better=higher_is_better,
        )
        result[year] = attainment(target, realised, on=end).status
    return result
