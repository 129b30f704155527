"""Every role logs in through the real login page (with a real TOTP code for staff) and lands on
its own home page; the layout works on a phone and with the keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from e2e_support import (
    PASSWORD,
    fill_in_login,
    screenshot,
    set_up_two_factor,
)
from playwright.sync_api import Page, expect

from werkbrug.core import home
from werkbrug.core.roles import STAFF_ROLES, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The home panel (core/panels.py) that belongs to each role, by its key. The template renders
#: it as <section aria-labelledby="panel-KEY"><h2 id="panel-KEY">.
OWN_PANEL = {
    Role.RELATIONSHIP_MANAGER: "my_work",
    Role.CLIENT_MANAGER: "my_caseload",
    Role.TEAM_LEAD: "team",
    Role.RESEARCHER: "research",
    Role.FUNCTIONAL_ADMIN: "admin",
    Role.EMPLOYER_CONTACT: "employer",
    Role.CANDIDATE: "candidate",
    Role.UWV_PARTNER: "uwv",
}


def panel(page: Page, key: str) -> Any:
    return page.locator(f"section.panel[aria-labelledby='panel-{key}']")


def dutch_title(role: str, key: str) -> str:
    """The panel's title as the Dutch page shows it (the msgid until it is translated)."""
    (registered,) = [p for p in home.panels_for(role) if p.key == key]
    with translation.override("nl"):
        return str(registered.title)


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_role_logs_in_and_sees_its_home_page(
    role: str, people: dict[str, Any], page: Page, live_server: Any
) -> None:
    user = people[role]
    page.goto(f"{live_server.url}/")

    # Anonymous visitors are sent to the Dutch login page.
    page.wait_for_url(re.compile(r"/inloggen/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    fill_in_login(page, user.username, PASSWORD)
    if role in STAFF_ROLES:
        set_up_two_factor(page, user)
    page.wait_for_url(f"{live_server.url}/")

    own = panel(page, OWN_PANEL[role])
    expect(own).to_be_visible()
    expect(own.get_by_role("heading", level=2)).to_have_text(dutch_title(role, OWN_PANEL[role]))
    expect(panel(page, "welcome")).to_be_visible()
    for other_role, key in OWN_PANEL.items():
        if other_role != role:
            expect(panel(page, key)).to_have_count(0)
    # Background jobs are a staff tool; portal users never see them.
    expect(panel(page, "jobs")).to_have_count(1 if role in STAFF_ROLES else 0)
    screenshot(page, f"home-{role}.png")


def test_phone_layout_has_no_horizontal_scroll(
    people: dict[str, Any], new_page: Callable[..., Page], log_in: Callable[..., None]
) -> None:
    page = new_page(viewport={"width": 375, "height": 740})
    log_in(page, people["relatiemanager"])
    expect(panel(page, "my_work")).to_be_visible()

    overflow = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert overflow["scroll"] <= overflow["inner"], overflow

    # On a phone the menu sits behind a "Menu" button that opens the links.
    desktop_menu = page.locator(".site-nav .nav-desktop")
    expect(desktop_menu).to_be_hidden()
    mobile_menu = page.locator(".site-nav details.nav-mobile")
    toggle = mobile_menu.locator("summary")
    expect(toggle).to_be_visible()
    home_link = mobile_menu.locator("a[href='/']")
    expect(home_link).to_be_hidden()
    toggle.click()
    expect(mobile_menu).to_have_attribute("open", "")
    expect(home_link).to_be_visible()
    expect(home_link).to_have_attribute("aria-current", "page")
    screenshot(page, "home-phone.png")

    # The opened menu must not push the page sideways either.
    overflow = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert overflow["scroll"] <= overflow["inner"], overflow


def test_keyboard_skip_link(
    people: dict[str, Any], page: Page, log_in: Callable[..., None]
) -> None:
    log_in(page, people["beheerder"])
    expect(panel(page, "admin")).to_be_visible()

    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visible once it has focus
    expect(skip_link).to_have_attribute("href", "#content")

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#content$"))
    expect(page.locator("main#content")).to_be_focused()
    # The next Tab continues in the main content (the first tile of the admin panel), not in
    # the header.
    page.keyboard.press("Tab")
    expect(panel(page, "admin").locator("a.tile").first).to_be_focused()


def test_admin_tiles_fit_their_labels(
    people: dict[str, Any], page: Page, log_in: Callable[..., None]
) -> None:
    """Long Dutch words such as "gebruikersaccounts" wrap inside the admin panel's tiles."""
    log_in(page, people["beheerder"])
    tiles = panel(page, "admin").locator(".tile")
    expect(tiles.first).to_be_visible()
    overflowing = tiles.evaluate_all(
        "tiles => tiles.filter(t => t.scrollWidth > t.clientWidth).map(t => t.innerText)"
    )
    assert overflowing == []
