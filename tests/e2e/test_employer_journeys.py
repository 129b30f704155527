"""Journeys of the employer register in a real browser.

1. A relationship manager registers a new employer after an unannounced visit, records latent
   work and a follow-up action, and finds the action on today's task list.
2. The employer logs in and sees their work opportunity and who their contact is.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from e2e_support import screenshot
from playwright.sync_api import Page, expect

from werkbrug.employers.models import ContactPerson, Employer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Page, field_selector: str) -> None:
    """Press the submit button of the form that holds ``field_selector``."""
    page.locator(f"form:has({field_selector}) button[type=submit]").first.click()


def test_relationship_manager_registers_employer_after_unannounced_visit(
    page: Page, people: dict[str, Any], regions: dict[str, Any], log_in: Any, base_url: str
) -> None:
    log_in(page, people["relatiemanager"])
    wijchen = regions["own"]["municipalities"][1]

    # Register the employer met on the street this morning.
    page.goto(f"{base_url}/werkgevers/")
    page.locator("a[href='/werkgevers/nieuw/']").first.click()
    page.fill("#id_name", "Tuincentrum De Groene Vingers")
    page.fill("#id_kvk_number", "1234 5678")
    page.fill("#id_postcode", "6601ab")
    page.fill("#id_city", "Wijchen")
    page.select_option("#id_municipality", label=wijchen.name)
    submit(page, "#id_name")
    page.wait_for_url(re.compile(r"/werkgevers/[0-9a-f-]{36}/$"))
    employer = Employer.objects.get(name="Tuincentrum De Groene Vingers")
    assert employer.kvk_number == "12345678" and employer.postcode == "6601 AB"
    assert employer.owner == people["relatiemanager"].staff

    # Log the unannounced visit: latent work found, a follow-up action for today.
    page.locator(f"a[href='/werkgevers/{employer.uuid}/contact/']").first.click()
    page.check("input[name=channel][value=bezoek_onaangekondigd]")
    page.check("#id_work_found")
    page.fill("#id_notes", "Eigenaar zoekt hulp bij het oppotten en de kassa op zaterdag.")
    page.fill("#id_action_1_title", "Terugbellen over de zaterdagklussen")
    page.fill("#id_action_1_due", timezone.localdate().isoformat())  # native date picker
    submit(page, "#id_notes")
    page.wait_for_url(f"{base_url}/werkgevers/{employer.uuid}/")
    employer.refresh_from_db()
    assert employer.phase == "betrokken" and employer.first_contact_on == timezone.localdate()
    moment = employer.contact_moments.get()
    assert moment.is_first_contact and moment.channel == "bezoek_onaangekondigd"
    expect(page.locator("main")).to_contain_text("zaterdag")

    # Record the latent work as a work opportunity, described as tasks.
    page.locator(f"a[href='/werkgevers/{employer.uuid}/werkkansen/nieuw/']").first.click()
    page.fill("#id_title", "Medewerker planten en kassa (zaterdag)")
    page.fill("#id_tasks", "Planten oppotten\nKlanten afrekenen aan de kassa")
    page.check("#id_latent")
    submit(page, "#id_title")
    page.wait_for_load_state()
    opportunity = employer.opportunities.get()
    assert opportunity.latent and opportunity.tasks == [
        "Planten oppotten",
        "Klanten afrekenen aan de kassa",
    ]
    screenshot(page, "employer-360-after-visit.png")

    # The follow-up action is on today's task list.
    page.goto(f"{base_url}/")
    page.locator("nav a[href='/taken/']").first.click()
    expect(page.locator("main")).to_contain_text("Terugbellen over de zaterdagklussen")
    expect(page.locator("main")).to_contain_text("Tuincentrum De Groene Vingers")
    screenshot(page, "my-tasks-today.png")


def test_employer_sees_their_opportunity_and_contact(
    page: Page, people: dict[str, Any], regions: dict[str, Any], log_in: Any, base_url: str
) -> None:
    own = regions["own"]
    rm = people["relatiemanager"].staff
    employer = Employer.objects.create(
        region=own["region"],
        name="Hoveniersbedrijf Willems",
        municipality=own["municipalities"][1],
        owner=rm,
        substitute=people["teamleider"].staff,
        phase="werkkans",
    )
    ContactPerson.objects.create(
        employer=employer, name="Henk Willems", user=people["werkgever"], is_primary=True
    )
    employer.opportunities.create(
        title="Hovenier in opleiding",
        tasks=["Gras maaien", "Hagen snoeien"],
        opened_on=timezone.localdate(),
        status="voorgesteld",
    )
    log_in(page, people["werkgever"])
    page.goto(f"{base_url}/mijn-bedrijf/")
    main = page.locator("main")
    expect(main).to_contain_text("Hoveniersbedrijf Willems")
    expect(main).to_contain_text("Hovenier in opleiding")
    expect(main).to_contain_text(str(rm))  # their fixed contact
    expect(main).to_contain_text(str(people["teamleider"].staff))  # and the substitute
    # No candidate data and no other companies: the portal shows only their own work.
    assert "Matrix" not in main.inner_text()
    screenshot(page, "employer-portal.png")
