"""Fixtures live in tests_support.py so test modules can import its helpers too."""

from tests_support import login, people, regions  # noqa: F401
