"""The capped paginator counts at most ``cap + 1`` rows and pages through the first ``cap``."""

from __future__ import annotations

import pytest

from werkbrug.core.pagination import CappedPaginator, capped_count
from werkbrug.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_regions() -> None:
    Region.objects.bulk_create(Region(name=f"Regio {n}", code=f"R{n:02d}") for n in range(12))


def test_below_the_cap_it_counts_exactly(twelve_regions) -> None:
    paginator = CappedPaginator(Region.objects.order_by("code"), 5, cap=100)
    assert paginator.count == 12 and not paginator.capped
    assert paginator.num_pages == 3
    assert [r.code for r in paginator.get_page(3)] == ["R10", "R11"]


def test_beyond_the_cap_it_says_more_and_pages_through_the_cap(twelve_regions) -> None:
    paginator = CappedPaginator(Region.objects.order_by("code"), 5, cap=10)
    assert paginator.count == 11 and paginator.capped
    assert paginator.num_pages == 2
    assert capped_count(Region.objects.all(), 3) == 4


def test_an_empty_list_has_one_empty_page() -> None:
    paginator = CappedPaginator(Region.objects.all(), 5)
    assert paginator.count == 0 and paginator.num_pages == 1
    assert list(paginator.get_page(1)) == []
