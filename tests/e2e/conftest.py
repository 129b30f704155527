"""Browser tests: one headless Chromium per session, a fresh context (cookies, storage) per test.

Uses Playwright's sync API directly (not pytest-playwright) against pytest-django's
``live_server``. The Debian Chromium at /usr/bin/chromium is used; never ``playwright install``.

    def test_x(people, page, log_in):
        log_in(page, people["beheerder"])      # password + real TOTP code for staff roles
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PASSWORD,
    fill_in_login,
    set_up_two_factor,
)
from playwright.sync_api import Browser, Page, sync_playwright

from werkbrug.accounts.services import needs_two_factor


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context; all contexts close after the test."""
    contexts = []

    def _new_page(viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            viewport=viewport or DESKTOP, locale="nl-NL", timezone_id="Europe/Amsterdam"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def base_url(live_server: Any) -> str:
    return live_server.url


@pytest.fixture
def log_in(base_url: str) -> Callable[..., None]:
    """Log ``user`` in through the login page; staff set up their authenticator on the way."""

    def _log_in(
        page: Page, user: Any, password: str = PASSWORD, *, two_factor: bool = True
    ) -> None:
        page.goto(f"{base_url}/inloggen/")
        fill_in_login(page, user.username, password)
        if two_factor and needs_two_factor(user):
            set_up_two_factor(page, user)
        page.wait_for_url(f"{base_url}/")

    return _log_in
