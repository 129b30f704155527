"""Attainment of a target: is it met, will it be met at this pace, and what is the fee (pure).

No Django, ``Decimal`` throughout, deterministic. The dashboards, the council reports and the
yearly tables (``monitoring.index.attainment_by_year``) all judge a target here, so the rules
below live in one place.

**A target** (``Target``) is a number to reach over a period ``[start, end)`` (the end is
exclusive: the Werktop contract ran from 2012-12-01 to 2014-01-01). Most targets are *higher
is better* (70 new employers, 40 outflows); some are a maximum (*lower is better*: sickness
absence in the SW company at most 15 %). A target is either

- **cumulative** (``cumulative=True``, the default): a count that builds up over the period
  (placements, new employers, complaints). Pro rata, ``value × days_elapsed / days_total`` is
  expected at a given day, and the forecast is the current pace carried on to the end; or
- **a level** (``cumulative=False``): a rate, share or average that holds at every moment
  (sickness absence %, average loonwaarde, added value per FTE). The whole target applies at
  every day, and the forecast is the current level.

**Tolerance** (WB §4.2.5: "Wanneer de realisatie slechts een paar procenten lager ligt dan de
doelstelling, beschouwen we de doelstelling als behaald"): a higher-is-better target counts as
met when the realisation is at least ``value × (1 − tolerance_pct / 100)``; a maximum counts as
met up to ``value × (1 + tolerance_pct / 100)``. The source gives no number; the default is 3
[design, to confirm]. The raw percentage of the target is always reported next to the status.

**Status** (``attainment``), at a day ``on``:

- *the period is over* (``on ≥ end``): ``ACHIEVED`` when the realisation meets the target,
  ``WITHIN_TOLERANCE`` when it meets it only with the tolerance, else ``MISSED``;
- *not started* (no day of the period has passed: ``on ≤ start``): ``ON_TRACK`` with no
  forecast, since nothing can be said about a pace yet;
- *running*: ``ACHIEVED`` as soon as a cumulative higher-is-better target is met (a count
  cannot go down again); otherwise ``ON_TRACK`` when the forecast meets the target within the
  tolerance, else ``BEHIND`` with a Dutch early warning. A maximum or a level is never
  ``ACHIEVED`` early: it can still be exceeded or drop before the end.

Days: ``days_total = (end − start).days`` and ``days_elapsed = (on − start).days``, clamped to
``[0, days_total]``: ``on`` is a moment at the start of that day, so the realisation counts
what happened before it (on 2013-07-01, 212 of the contract's 396 days have passed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")
DEFAULT_TOLERANCE_PCT = Decimal(3)
#: At most this many decimals in the amounts of a Dutch sentence.
_MAX_PLACES = 2


class TargetStatus(StrEnum):
    ACHIEVED = "behaald"
    WITHIN_TOLERANCE = "binnen_tolerantie"
    ON_TRACK = "op_koers"
    BEHIND = "achter"
    MISSED = "niet_behaald"


STATUS_LABELS_NL: dict[TargetStatus, str] = {
    TargetStatus.ACHIEVED: "Behaald",
    TargetStatus.WITHIN_TOLERANCE: "Binnen tolerantie",
    TargetStatus.ON_TRACK: "Op koers",
    TargetStatus.BEHIND: "Achter",
    TargetStatus.MISSED: "Niet behaald",
}

#: The statuses of a finished period; the others only occur while it runs (or before).
FINAL_STATUSES = frozenset(
    {TargetStatus.ACHIEVED, TargetStatus.WITHIN_TOLERANCE, TargetStatus.MISSED}
)


def _decimal(value: Decimal | int, name: str) -> Decimal:
    """``value`` as a finite ``Decimal``; ints are exact, floats are refused (money and counts
    must not carry binary rounding)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal or an int, not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, not {value}")
    return result


@dataclass(frozen=True)
class Target:
    """A number to reach over ``[start, end)``; see the module docstring for the rules."""

    value: Decimal
    start: dt.date
    end: dt.date  # exclusive
    tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT
    higher_is_better: bool = True
    #: True: a count that builds up over the period (pro rata, linear forecast); False: a
    #: level that holds at every moment (a rate, share or average; forecast = current level).
    cumulative: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _decimal(self.value, "value"))
        object.__setattr__(self, "tolerance_pct", _decimal(self.tolerance_pct, "tolerance_pct"))
        if self.value < 0:
            raise ValueError(f"a target cannot be negative: {self.value}")
        if not ZERO <= self.tolerance_pct <= HUNDRED:
            raise ValueError(f"tolerance_pct must lie between 0 and 100: {self.tolerance_pct}")
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days_total(self) -> int:
        return (self.end - self.start).days

    def days_elapsed(self, on: dt.date) -> int:
        """Days of the period before ``on``, between 0 and ``days_total``."""
        return min(max((on - self.start).days, 0), self.days_total)

    @property
    def tolerance_limit(self) -> Decimal:
        """The realisation that still counts as met: the lower bound of a higher-is-better
        target (70 with 3 % → 67.9), the upper bound of a maximum (15 with 3 % → 15.45)."""
        margin = self.value * self.tolerance_pct / HUNDRED
        return self.value - margin if self.higher_is_better else self.value + margin

    def is_met(self, realised: Decimal) -> bool:
        """Met without the tolerance."""
        return realised >= self.value if self.higher_is_better else realised <= self.value

    def is_met_within_tolerance(self, realised: Decimal) -> bool:
        """Met, counting the tolerance."""
        limit = self.tolerance_limit
        return realised >= limit if self.higher_is_better else realised <= limit


@dataclass(frozen=True)
class Attainment:
    """How far a target is reached on one day, with what the dashboard shows next to it."""

    status: TargetStatus
    realised: Decimal
    #: realised ÷ target × 100, one decimal (ROUND_HALF_UP); None when the target is 0.
    pct_of_target: Decimal | None
    #: What the target asks by this day: the pro-rata share of a count, the whole of a level.
    expected_now: Decimal
    #: The realisation expected at the end (cents); the realisation itself once the period
    #: is over; None before any day of the period has passed.
    forecast: Decimal | None
    #: Whether the target is (or will be, at this pace) met within the tolerance; None when
    #: nothing can be said yet.
    will_be_met: bool | None
    #: Empty, or one plain Dutch sentence for the user (the early warning when ``BEHIND``).
    warning_nl: str
    days_elapsed: int
    days_total: int

    @property
    def label_nl(self) -> str:
        return STATUS_LABELS_NL[self.status]


def expected_by(target: Target, on: dt.date) -> Decimal:
    """What the target asks by ``on``, in cents (ROUND_HALF_UP).

    Cumulative: the pro-rata share ``value × days_elapsed / days_total`` (0 before the start,
    the whole value from the end on; a zero-length period asks nothing before its end and
    everything from it). A level: the whole value on every day.
    """
    if not target.cumulative or on >= target.end:
        return target.value.quantize(CENT, ROUND_HALF_UP)
    if target.days_total == 0:  # zero-length period, not yet reached
        return ZERO.quantize(CENT)
    share = target.value * target.days_elapsed(on) / target.days_total
    return share.quantize(CENT, ROUND_HALF_UP)


def forecast_at_end(target: Target, realised: Decimal | int, on: dt.date) -> Decimal | None:
    """The realisation expected at the end, in cents (ROUND_HALF_UP), or None.

    The method is stated, not hidden:

    - period over (``on ≥ end``): the realisation itself, it is final;
    - no day of the period passed yet (``on ≤ start``, or a zero-length period before its end):
      None, there is no pace to extrapolate;
    - cumulative: **linear pace**, ``realised × days_total / days_elapsed`` (30 after 212 of
      396 days → 30 × 396 / 212 = 56.04). No seasonality and no slow start are modelled: most
      municipalities started slowly (WT), so an early forecast errs on the low side;
    - a level: the **current level** carries on, ``realised``.
    """
    value = _decimal(realised, "realised")
    if on >= target.end:
        return value.quantize(CENT, ROUND_HALF_UP)
    elapsed = target.days_elapsed(on)
    if elapsed == 0:
        return None
    if not target.cumulative:
        return value.quantize(CENT, ROUND_HALF_UP)
    return (value * target.days_total / elapsed).quantize(CENT, ROUND_HALF_UP)


def attainment(target: Target, realised: Decimal | int, on: dt.date) -> Attainment:
    """The status of ``target`` on ``on`` with ``realised`` so far; rules in the module
    docstring. While the period runs, the status is judged on the forecast as reported (in
    cents), so what the user sees is what was judged."""
    value = _decimal(realised, "realised")
    forecast = forecast_at_end(target, value, on)
    will: bool | None
    if on >= target.end:
        if target.is_met(value):
            status = TargetStatus.ACHIEVED
        elif target.is_met_within_tolerance(value):
            status = TargetStatus.WITHIN_TOLERANCE
        else:
            status = TargetStatus.MISSED
        will = status is not TargetStatus.MISSED
        warning = _final_sentence(target, value, status)
    elif forecast is None:  # not started: nothing to say yet
        status, will, warning = TargetStatus.ON_TRACK, None, ""
    else:
        if target.cumulative and target.higher_is_better and target.is_met(value):
            status, will = TargetStatus.ACHIEVED, True
        elif target.is_met_within_tolerance(forecast):
            status, will = TargetStatus.ON_TRACK, True
        else:
            status, will = TargetStatus.BEHIND, False
        warning = "" if will else _behind_sentence(target, value, forecast, on)
    return Attainment(
        status=status,
        realised=value,
        pct_of_target=_pct(value, target.value),
        expected_now=expected_by(target, on),
        forecast=forecast,
        will_be_met=will,
        warning_nl=warning,
        days_elapsed=target.days_elapsed(on),
        days_total=target.days_total,
    )


def fee_due(results: int, fee_per_result: Decimal) -> Decimal:
    """No cure no pay: ``results × fee_per_result``, in cents (ROUND_HALF_UP). Werktop: €1,500
    per realised outflow placement (WT §4.2). Which results count (pending contracts, WEPs) is
    the caller's choice; the amount comes from the contract, never from code."""
    if isinstance(results, bool) or not isinstance(results, int):
        raise TypeError(f"results must be an int, not {type(results).__name__}")
    fee = _decimal(fee_per_result, "fee_per_result")
    if results < 0:
        raise ValueError(f"results cannot be negative: {results}")
    if fee < 0:
        raise ValueError(f"a fee cannot be negative: {fee}")
    return (fee * results).quantize(CENT, ROUND_HALF_UP)


# --- Dutch sentences ---------------------------------------------------------------------


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _places(*values: Decimal) -> int:
    """Decimals needed to show these amounts (at most two): 70 → 0, 12.5 → 1, 15.45 → 2."""
    places = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return min(places, _MAX_PLACES)


def nl_number(value: Decimal, places: int) -> str:
    """Dutch notation, ROUND_HALF_UP: 1234.5 with 1 place → ``1.234,5``; 56.04 with 0 → ``56``."""
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) + 0  # no "-0"
    text = f"{rounded:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def nl_date(day: dt.date) -> str:
    """dd-mm-jjjj."""
    return f"{day:%d-%m-%Y}"


def _pct_text(part: Decimal, whole: Decimal) -> str:
    pct = _pct(part, whole)
    return "" if pct is None else f" ({nl_number(pct, 1)} %)"


def _step(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _shown_places(reference: Decimal, amount: Decimal, places: int) -> int:
    """``places``, or more (up to two) when ``amount`` would otherwise look equal to a
    different ``reference``: a forecast of 69.6 against 70 reads "69,6 van 70", not "70 van 70"."""
    while places < _MAX_PLACES and amount != reference:
        step = _step(places)
        if amount.quantize(step, ROUND_HALF_UP) != reference.quantize(step, ROUND_HALF_UP):
            break
        places += 1
    return places


def _gap(target: Target, amount: Decimal, places: int) -> str:
    """ "14 te weinig" / "1,2 te veel": the difference between the target and ``amount`` as
    shown (both rounded first, so the sentence adds up)."""
    step = _step(places)
    shown_target = target.value.quantize(step, ROUND_HALF_UP)
    shown_amount = amount.quantize(step, ROUND_HALF_UP)
    word = "te weinig" if shown_amount < shown_target else "te veel"
    return f"{nl_number(abs(shown_target - shown_amount), places)} {word}"


def _against(target: Target, amount: Decimal, places: int) -> str:
    """ "56 van 70 (80,1 %)" or "16,2 tegen een maximum van 15 (108,0 %)"."""
    shown = nl_number(amount, places)
    goal = nl_number(target.value, _places(target.value))
    of = "van" if target.higher_is_better else "tegen een maximum van"
    return f"{shown} {of} {goal}{_pct_text(amount, target.value)}"


def _final_sentence(target: Target, realised: Decimal, status: TargetStatus) -> str:
    if status is TargetStatus.ACHIEVED:
        return ""
    places = _shown_places(target.value, realised, _places(target.value, realised))
    tolerance = nl_number(target.tolerance_pct, _places(target.tolerance_pct))
    limit = nl_number(target.tolerance_limit, _places(target.tolerance_limit))
    bound = "ondergrens" if target.higher_is_better else "bovengrens"
    if status is TargetStatus.WITHIN_TOLERANCE:
        return (
            f"Behaald binnen de tolerantie van {tolerance} %: {_against(target, realised, places)}"
            f"; de {bound} is {limit}."
        )
    return (
        f"Niet behaald: {_against(target, realised, places)}, "
        f"{_gap(target, realised, places)}. "
        f"Met de tolerantie van {tolerance} % is de {bound} {limit}."
    )


def _behind_sentence(target: Target, realised: Decimal, forecast: Decimal, on: dt.date) -> str:
    places = _places(target.value, realised)
    # The last day of the period (its end is exclusive): "op 31-12-2026", not "01-01-2027".
    end = nl_date(target.end - dt.timedelta(days=1)) if target.days_total else nl_date(target.end)
    if not target.cumulative:
        places = _shown_places(target.value, realised, places)
        return (
            f"De realisatie is nu {_against(target, realised, places)}: "
            f"{_gap(target, realised, places)}. "
            f"Blijft dit zo, dan wordt het doel op {end} niet gehaald."
        )
    if not target.higher_is_better and not target.is_met_within_tolerance(realised):
        places = _shown_places(target.value, realised, places)
        return (
            f"Het maximum is al overschreden: {_against(target, realised, places)}. "
            "Het doel is niet meer te halen."
        )
    # A forecast that is not whole keeps one decimal, as in the Forecast column, so the
    # percentage beside it is that of the number shown.
    at_pace = _shown_places(target.value, forecast, max(places, 0 if forecast % 1 == 0 else 1))
    sentence = (
        f"Bij dit tempo komt de realisatie op {_against(target, forecast, at_pace)}: "
        f"{_gap(target, forecast, at_pace)} op {end}."
    )
    if not target.higher_is_better:
        return sentence
    due = expected_by(target, on)
    expected = nl_number(due, _shown_places(realised, due, places))
    return (
        f"Achter op schema: {nl_number(realised, places)} gerealiseerd, pro rata verwacht "
        f"{expected} op {nl_date(on)}. {sentence}"
    )
