"""The functional administrator adds a staff member through the menu and the form, and sees
each error next to its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import screenshot
from playwright.sync_api import Locator, Page, expect

from werkbrug.regions.models import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(*names: str) -> re.Pattern[str]:
    """A label starting with one of ``names`` (Dutch or English); "(verplicht)" may follow."""
    return re.compile(r"^\s*(" + "|".join(names) + r")", re.IGNORECASE)


def assert_error_next_to(page: Page, field: Locator) -> None:
    """The input is marked invalid and described by an error message inside its own field."""
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    error_ids = [i for i in described_by.split() if i.endswith("_error")]
    assert error_ids, f"aria-describedby={described_by!r} does not point to an error message"
    error = page.locator(f"#{error_ids[0]}")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    field_id = field.get_attribute("id")
    wrapper = page.locator("div.field").filter(has=page.locator(f"#{field_id}"))
    expect(wrapper).to_have_class(re.compile(r"\bfield-has-error\b"))
    expect(wrapper.locator(f"#{error_ids[0]}")).to_have_count(1)


def test_admin_creates_a_staff_member_and_sees_field_errors_in_dutch(
    people: dict[str, Any], page: Page, log_in: Callable[..., None]
) -> None:
    log_in(page, people["beheerder"])

    # Beheer -> Organisatie -> Medewerkers -> Nieuwe medewerker, by clicking.
    page.locator(".site-nav a").filter(
        has_text=re.compile(r"^\s*(Organisatie|Organisation)\s*$"), visible=True
    ).click()
    page.wait_for_url(re.compile(r"/beheer/organisatie/"))
    page.locator("nav.tabs").get_by_role(
        "link", name=re.compile(r"^\s*(Medewerkers|Staff)\s*$", re.IGNORECASE)
    ).click()
    page.wait_for_url(re.compile(r"/beheer/organisatie/medewerkers/$"))
    page.locator(".toolbar").get_by_role(
        "link", name=re.compile(r"toevoegen|nieuw|new|add", re.I)
    ).click()
    page.wait_for_url(re.compile(r"/beheer/organisatie/medewerkers/nieuw/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    form = page.locator("main form[method=post]")
    username = form.get_by_label(label("gebruikersnaam", "user ?name"))
    first_name = form.get_by_label(label("voornaam", "first name"))
    last_name = form.get_by_label(label("achternaam", "last name"))
    email = form.get_by_label(label("e-?mail"))
    phone = form.get_by_label(label("telefoon", "phone"))
    organisation = form.get_by_label(label("organisatie", "organisation"))
    municipality = form.get_by_label(label("gemeente", "municipality"))
    role = form.get_by_label(re.compile(r"^\s*(relatiemanager|relationship manager)\s*$", re.I))
    save = form.get_by_role("button", name=re.compile(r"opslaan|save", re.I))

    username.fill("a.devries")
    first_name.fill("Anouk")
    last_name.fill("de Vries")
    email.fill("geen-adres")
    phone.fill("06 1234")
    organisation.select_option(index=1)
    municipality.select_option(index=1)
    role.check()
    save.click()

    # Still on the form: a summary at the top, each error next to its own field.
    page.wait_for_url(re.compile(r"/beheer/organisatie/medewerkers/nieuw/$"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()  # werkbrug.js moves focus there for keyboard users
    # Every line in the summary links to its field; only e-mail and phone are wrong.
    linked = {a.get_attribute("href") for a in summary.get_by_role("link").all()}
    assert linked == {f"#{email.get_attribute('id')}", f"#{phone.get_attribute('id')}"}, linked
    assert_error_next_to(page, email)
    assert_error_next_to(page, phone)
    # The fields without errors are not marked invalid, and keep what was typed.
    expect(username).not_to_have_attribute("aria-invalid", "true")
    expect(username).to_have_value("a.devries")
    expect(role).to_be_checked()
    screenshot(page, "staff-form-errors.png")
    assert not Staff.objects.filter(user__username="a.devries").exists()

    # Fix both fields and save: back on the list with the new colleague in it.
    email.fill("a.devries@example.nl")
    phone.fill("024 329 9999")
    save.click()
    page.wait_for_url(re.compile(r"/beheer/organisatie/medewerkers/$"))
    expect(page.locator(".messages")).to_contain_text("Anouk de Vries")
    expect(page.locator("#manage-rows").get_by_role("link", name="Anouk de Vries")).to_be_visible()
    staff = Staff.objects.select_related("user").get(user__username="a.devries")
    assert staff.user.email == "a.devries@example.nl"
    assert re.sub(r"\D", "", staff.phone).endswith("243299999")


def test_an_invalid_field_shows_one_message(
    people: dict[str, Any], page: Page, log_in: Callable[..., None], live_server: Any
) -> None:
    log_in(page, people["beheerder"])
    page.goto(f"{live_server.url}/beheer/organisatie/medewerkers/nieuw/")
    email = page.get_by_label(label("e-?mail"))
    email.fill("geen-adres")
    page.get_by_role("button", name=re.compile(r"opslaan|save", re.I)).click()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{email.get_attribute('id')}_error p")).to_have_count(1, timeout=1_000)


def test_phone_layout_of_the_staff_list_has_no_horizontal_scroll(
    people: dict[str, Any],
    new_page: Callable[..., Page],
    log_in: Callable[..., None],
    live_server: Any,
) -> None:
    page = new_page(viewport={"width": 375, "height": 740})
    log_in(page, people["beheerder"])
    page.goto(f"{live_server.url}/beheer/organisatie/medewerkers/")
    expect(page.locator("#manage-rows table")).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
