"""Pure rules of employer services: the contact norm, warm/cold relations and the response
norm for employer questions. No Django; dates in, verdicts out (architecture rule 2).

Contact norm (WerkBedrijf §3.1.2): in the last 365 days at least ``contacts_per_year``
contacts, of which at least ``visits_per_year`` visits. A relation is *cold* when the last
contact is more than ``cold_after_days`` ago (or there never was one).
Response norm: a question is answered within ``response_days`` working days (Mon–Fri).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class Norm:
    contacts_per_year: int = 2
    visits_per_year: int = 1
    cold_after_days: int = 365
    response_days: int = 1


@dataclass(frozen=True)
class NormStatus:
    contacts: int
    visits: int
    missing_contacts: int
    missing_visits: int

    @property
    def met(self) -> bool:
        return self.missing_contacts == 0 and self.missing_visits == 0


def contact_norm(
    contacts: Iterable[tuple[dt.date, bool]], *, on: dt.date, norm: Norm
) -> NormStatus:
    """``contacts``: (date, is_visit) pairs. Counts those in the 365 days up to ``on``."""
    start = on - YEAR
    in_window = [(day, visit) for day, visit in contacts if start < day <= on]
    n_visits = sum(1 for _day, visit in in_window if visit)
    return norm_from_counts(len(in_window), n_visits, norm=norm)


def norm_from_counts(contacts: int, visits: int, *, norm: Norm) -> NormStatus:
    """The norm verdict from the counts of the last 365 days."""
    missing_visits = max(0, norm.visits_per_year - visits)
    # A missing visit is also a missing contact; count the larger shortfall.
    missing_contacts = max(0, norm.contacts_per_year - contacts, missing_visits)
    return NormStatus(contacts, visits, missing_contacts, missing_visits)


def is_cold(last_contact: dt.date | None, *, on: dt.date, norm: Norm) -> bool:
    return last_contact is None or (on - last_contact).days > norm.cold_after_days


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``start`` plus ``days`` working days (weekends skipped). A question that arrives on a
    Saturday with a one-day norm is due on Monday at the end of the day."""
    current = start
    while current.weekday() >= 5:
        current = (current + dt.timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current.replace(hour=23, minute=59, second=59, microsecond=0)


def response_due(received_at: dt.datetime, *, norm: Norm) -> dt.datetime:
    return add_working_days(received_at, max(norm.response_days, 0))


def working_days_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole working days from ``start`` to ``end`` (0 when answered the same day)."""
    if end <= start:
        return 0
    days = 0
    day = start.date()
    while day < end.date():
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days
