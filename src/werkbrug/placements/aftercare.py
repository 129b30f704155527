"""The aftercare schedule of a placement, and the alert before a temporary contract or a
work-experience place ends.

Pure: no Django. ``schedule`` turns a start date, a planned end and the region's template into
the checks to plan; ``add_months`` keeps month ends (31 January + 1 month = 28/29 February).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """The region's aftercare: check-ins after these months, a three-way conversation
    (driegesprek: candidate, employer, jobcoach) in one of them, and an alert this many weeks
    before a planned end."""

    first_week: bool = True
    check_months: tuple[int, ...] = (1, 3, 6, 12)
    three_way_month: int | None = 1
    end_alert_weeks: int = 6

    def __post_init__(self) -> None:
        if any(m < 1 or m > 60 for m in self.check_months):
            raise ValueError("Check-ins fall in months 1 to 60.")
        if len(set(self.check_months)) != len(self.check_months):
            raise ValueError("Each month once.")
        if self.three_way_month is not None and not 1 <= self.three_way_month <= 60:
            raise ValueError("The three-way conversation falls in months 1 to 60.")
        if not 1 <= self.end_alert_weeks <= 26:
            raise ValueError("The alert comes 1 to 26 weeks before the end.")


@dataclass(frozen=True)
class PlannedCheck:
    kind: str  # start | m1 | m3 | ... | driegesprek | voor_einde
    due_on: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_alert_on(planned_end: dt.date, template: Template) -> dt.date:
    return planned_end - dt.timedelta(weeks=template.end_alert_weeks)


def schedule(
    start: dt.date, template: Template, planned_end: dt.date | None = None
) -> list[PlannedCheck]:
    """The checks of a new placement, in date order. The month checks stay after a planned
    end: they ask whether the person still works (6 and 12 months count for durability). The
    alert before the end is planned when there is an end, but never before the start."""
    checks = []
    if template.first_week:
        checks.append(PlannedCheck("start", start + dt.timedelta(days=7)))
    checks += [PlannedCheck(f"m{m}", add_months(start, m)) for m in sorted(template.check_months)]
    if template.three_way_month is not None:
        checks.append(PlannedCheck("driegesprek", add_months(start, template.three_way_month)))
    if planned_end is not None:
        checks.append(PlannedCheck("voor_einde", max(start, end_alert_on(planned_end, template))))
    order = {"start": 0, "driegesprek": 2, "voor_einde": 3}
    return sorted(checks, key=lambda c: (c.due_on, order.get(c.kind, 1), c.kind))
