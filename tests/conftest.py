"""Fixtures live in tests_support.py so test modules can import its helpers too."""

import pytest

from matching_support import world  # noqa: F401
from meetings_support import meeting, second_employer  # noqa: F401
from tests_support import login, login_en, people, regions  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    """Each test starts with no in-memory matching index: the database is rolled back between
    tests (ids and journal positions are reused), so an index kept from an earlier test would
    describe rows that no longer exist."""
    from werkbrug.matching import index

    index.forget()
    yield
    index.forget()
