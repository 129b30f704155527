"""Pagination that never counts more than it shows.

A relationship manager may see 150,000 candidates in a large region (the regional pool). Nobody
pages through that; counting it exactly costs a scan of every row on every page view. The
``CappedPaginator`` counts up to ``cap`` rows (a ``LIMIT`` subquery that stops early) and says
"more than ``cap``" beyond that, so the page stays fast and the person narrows the search.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

DEFAULT_CAP = 1000


def capped_count(queryset: QuerySet[Any], cap: int = DEFAULT_CAP) -> int:
    """The number of rows, or ``cap + 1`` when there are more than ``cap``."""
    return queryset.order_by()[: cap + 1].count()


class CappedPaginator(Paginator):
    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        cap: int = DEFAULT_CAP,
        count: Callable[[], int] | None = None,
        **kwargs: Any,
    ):
        """``count``: a function that counts the rows up to ``cap + 1`` faster than counting
        ``object_list`` would (default: a capped count of ``object_list``)."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self._count = count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        if self._count is not None:
            return min(self._count(), self.cap + 1)
        return capped_count(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted."""
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:  # type: ignore[override]
        shown = min(self.count, self.cap)
        if shown == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(shown / self.per_page))
