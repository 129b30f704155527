"""The screenshots in docs/screenshots/ (used by the README), taken from the demo region.

Run on its own to refresh them:  .venv/bin/python -m pytest tests/e2e -m browser -k readme
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from e2e_support import DESKTOP, README_SCREENSHOTS, fill_in_login, screenshot
from playwright.sync_api import Page, expect

from werkbrug.demo.accounts import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_readme_screenshots(settings: Any, new_page: Callable[..., Page], live_server: Any) -> None:
    settings.DEMO = True
    call_command("seed-demo", "--scale", "demo", "--seed", "2026", stdout=io.StringIO())

    page = new_page(viewport=DESKTOP)
    page.goto(f"{live_server.url}/inloggen/")
    expect(page.locator(".demo-banner")).to_be_visible()
    demo_logins = page.locator("section.demo-logins")
    expect(demo_logins).to_be_visible()
    expect(demo_logins.locator("tbody tr")).to_have_count(8)
    expect(demo_logins).to_contain_text(DEMO_PASSWORD)
    screenshot(page, "login.png", folder=README_SCREENSHOTS)

    for username, own_panel in (("relatiemanager", "my_work"), ("beheerder", "admin")):
        page = new_page(viewport=DESKTOP)
        page.goto(f"{live_server.url}/")
        # Demo accounts skip the second factor while the system runs in demo mode.
        fill_in_login(page, username, DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        expect(page.locator(f"section.panel[aria-labelledby='panel-{own_panel}']")).to_be_visible()
        screenshot(page, f"home-{username}.png", folder=README_SCREENSHOTS)
