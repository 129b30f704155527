"""Which rule set holds on a day.

The sets of a region are the national ones plus the region's own. On a day the newest set
started on or before it holds (on the same start date, the region's own goes first). A region
that deviates from the national rules (its own catalogue of durations) adds a set of its own;
a later national set (a new minimum wage) takes over from its date, and the form for a new
set starts from the values in force, so a region copies its deviations along.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet

from werkbrug.rules.models import RuleSet


class NoRules(LookupError):
    """No rule set is valid on that day (before the first one)."""


def rule_sets(region_id: int | None) -> QuerySet[RuleSet]:
    """The national sets and the region's own, newest first."""
    return RuleSet.objects.filter(Q(region__isnull=True) | Q(region_id=region_id)).order_by(
        "-valid_from", F("region_id").desc(nulls_last=True)
    )


def rule_set_on(day: dt.date, region_id: int | None = None) -> RuleSet:
    """The set valid on ``day`` (one query); ``NoRules`` before the first set."""
    found = rule_sets(region_id).filter(valid_from__lte=day).first()
    if found is None:
        raise NoRules(day)
    return found
