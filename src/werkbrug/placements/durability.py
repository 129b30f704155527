"""Did the work last? Still working 6 and 12 months after the start of a placement (D1), and
no return to benefit within 12 months of leaving it (D2).

Pure: no Django. A person's *chain* is a placement with the ones that continue it (a
work-experience place converted into a contract counts as one stretch of work). On a day the
answer is:

* ``True`` when a placement of the chain covers the day (started, not ended before it), or a
  check-in done on or after that day says the person still works (elsewhere, perhaps);
* ``False`` when the chain ended before the day and no such check-in says otherwise, or a
  check-in on or after the day says they no longer work;
* ``None`` when the day has not come yet: not known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from werkbrug.placements.aftercare import add_months


@dataclass(frozen=True)
class Stretch:
    start: dt.date
    end: dt.date | None  # None: still running


@dataclass(frozen=True)
class CheckIn:
    done_on: dt.date
    still_working: bool | None


def working_on(
    day: dt.date, stretches: Sequence[Stretch], checks: Sequence[CheckIn], *, today: dt.date
) -> bool | None:
    if day > today:
        return None
    if any(s.start <= day and (s.end is None or s.end >= day) for s in stretches):
        return True
    answers = sorted(
        (c for c in checks if c.done_on >= day and c.still_working is not None),
        key=lambda c: c.done_on,
    )
    if answers:
        return answers[0].still_working
    return False


def lasted(
    months: int, stretches: Sequence[Stretch], checks: Sequence[CheckIn], *, today: dt.date
) -> bool | None:
    """Still working ``months`` after the start of the first stretch."""
    if not stretches:
        return None
    start = min(s.start for s in stretches)
    return working_on(add_months(start, months), stretches, checks, today=today)


def no_return_within(
    months: int, outflow_on: dt.date, reentries: Sequence[dt.date], *, today: dt.date
) -> bool | None:
    """After leaving the benefit on ``outflow_on``: no re-entry within ``months`` (from the
    municipality's benefit data). ``None`` while the period has not passed and no re-entry
    happened yet."""
    until = add_months(outflow_on, months)
    if any(outflow_on < r <= until for r in reentries):
        return False
    if until > today:
        return None
    return True
