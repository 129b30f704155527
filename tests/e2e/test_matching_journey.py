"""The matching journey in a real browser: from a new work opportunity to three anonymous
profiles in the employer's portal.

A relationship manager describes new work for the warehouse in Wijchen with tasks from the
task list, opens the suggestions, reads why the first one scores as it does, puts three people
on the shortlist and proposes them. The employer's contact person then logs in and sees three
anonymous profiles ("Kandidaat 1", "2", "3"): no names.

The UI is Dutch once translated and English until then, so elements are found by id, name,
href or data attribute, and texts with ``either`` (both versions of the app's own string).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from e2e_support import PageProblems, screenshot
from playwright.sync_api import Page, expect

import matching_support
from matching_support import picker
from werkbrug.employers.models import WorkOpportunity
from werkbrug.matching.models import ShortlistEntry, ShortlistStatus
from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def either(text: Any) -> re.Pattern[str]:
    """A regex matching the English or the Dutch version of one of the app's own strings."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            versions.add(translation.gettext(text) if isinstance(text, str) else str(text))
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"{page.url} scrolls sideways: {overflow}"


world = matching_support.world  # the fixture


@pytest.fixture
def taxonomy(db: Any) -> None:
    # The data migration loads the curated list; a transactional test may have flushed it.
    curated.load_curated(Occupation, Skill, OccupationSkill)


@pytest.fixture
def warehouse(taxonomy: None, world: dict[str, Any]) -> dict[str, Any]:
    """The matching world (warehouse in Wijchen, candidates around Nijmegen), built after the
    curated task list is back."""
    return world


def test_from_new_work_to_three_anonymous_profiles_in_the_portal(
    page: Page,
    new_page: Callable[..., Page],
    people: dict[str, Any],
    warehouse: dict[str, Any],
    log_in: Any,
    base_url: str,
) -> None:
    employer = warehouse["employer"]
    place = warehouse["place"]
    # Two more people who did warehouse work, so that there is a choice.
    extra = [picker(place, first_name="Sanne"), picker(place, first_name="Youssef")]
    names = [str(c) for c in (warehouse["good"], warehouse["far"], warehouse["cashier"], *extra)]

    problems = PageProblems().watch(page)
    log_in(page, people["relatiemanager"])

    # 1. Describe the new work with tasks from the task list.
    page.goto(f"{base_url}{reverse('employers:detail', kwargs={'uuid': employer.uuid})}")
    page.locator(f"a[href='/werkgevers/{employer.uuid}/werkkansen/nieuw/']").first.click()
    page.fill("#id_title", "Magazijnmedewerker avond")
    page.fill(
        "#id_tasks", "Orders verzamelen\nPallets stapelen\nOrders inpakken en verzendklaar maken"
    )
    page.fill("#id_hours_min", "24")
    page.fill("#id_hours_max", "32")
    page.locator("form:has(#id_title) button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/werkkansen/[0-9a-f-]{36}/$"))
    opportunity = WorkOpportunity.objects.get(title="Magazijnmedewerker avond")
    assert opportunity.skills.count() == 3  # every task line found in the task list

    # 2. Open its suggestions from the shortlist panel (empty for now).
    panel = page.locator("[data-shortlist-panel]")
    expect(panel).to_be_visible()
    panel.locator("a[data-suggestions-link]").click()
    page.wait_for_url(re.compile(r"/werkkansen/[0-9a-f-]{36}/suggesties/"))
    expect(page.locator("h1")).to_contain_text("Magazijnmedewerker avond")
    cards = page.locator("li[data-suggestion]")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 4

    # 3. Why does the first one score as it does?
    first = cards.first
    first.locator("details > summary").click()
    expect(first.locator("details progress")).to_have_count(6)
    expect(first).to_contain_text("orders verzamelen")  # the Dutch explanation and chips
    expect(first).to_contain_text(re.compile(r"woont op \d+ km"))
    screenshot(page, "matching-suggestions.png")

    # 4. Three on the shortlist: each button brings the page back with the next one.
    for n in range(1, 4):
        page.locator("button[data-shortlist-add]").first.click()
        page.wait_for_load_state()
        expect(page.locator(".message-success")).to_contain_text(f"Kandidaat {n}")
    assert ShortlistEntry.objects.filter(opportunity=opportunity).count() == 3
    expect(page.locator("button[data-shortlist-add]")).to_have_count(cards.count() - 3)

    # 5. Propose the three to the employer from the opportunity page.
    page.goto(f"{base_url}{reverse('employers:opportunity', kwargs={'uuid': opportunity.uuid})}")
    entries = page.locator("[data-shortlist-entry]")
    expect(entries).to_have_count(3)
    screenshot(page, "matching-shortlist-panel.png")
    for n in range(1, 4):
        page.locator(f"[data-shortlist-entry='{n}'] button[data-step=voorstellen]").click()
        page.wait_for_load_state()
        expect(page.locator(f"[data-shortlist-entry='{n}']")).to_have_attribute(
            "data-status", ShortlistStatus.PROPOSED
        )
    expect(page.locator("button[data-step=voorstellen]")).to_have_count(0)
    assert set(
        ShortlistEntry.objects.filter(opportunity=opportunity).values_list("status", flat=True)
    ) == {ShortlistStatus.PROPOSED}
    screenshot(page, "matching-shortlist-proposed.png")

    # Taking someone off without a reason is refused, and the panel says why, at the entry.
    third = page.locator("[data-shortlist-entry='3']")
    third.locator("details[data-step-form=afvoeren] > summary").click()
    third.locator("details[data-step-form=afvoeren] button[type=submit]").click()
    page.wait_for_load_state()
    third = page.locator("[data-shortlist-entry='3']")
    expect(third.locator("[role=alert]")).to_contain_text(either("Give a reason."))
    expect(third.locator("details[data-step-form=afvoeren]")).to_have_attribute("open", "")
    expect(third).to_have_attribute("data-status", ShortlistStatus.PROPOSED)
    screenshot(page, "matching-shortlist-error.png")

    # The employer's 360° page lists them under the opportunity.
    page.goto(f"{base_url}{reverse('employers:detail', kwargs={'uuid': employer.uuid})}")
    listed = page.locator("[data-employer-shortlists]")
    expect(listed).to_contain_text("Magazijnmedewerker avond")
    for n in range(1, 4):
        expect(listed).to_contain_text(f"Kandidaat {n}")
    screenshot(page, "matching-employer-360.png")
    page.goto(f"{base_url}{reverse('employers:opportunity', kwargs={'uuid': opportunity.uuid})}")

    # The same pages on a phone: nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    page.reload()
    assert_fits_the_phone(page)
    screenshot(page, "matching-shortlist-panel-phone.png")
    page.goto(f"{base_url}{reverse('matching:suggestions', kwargs={'uuid': opportunity.uuid})}")
    assert_fits_the_phone(page)
    screenshot(page, "matching-suggestions-phone.png")

    assert not problems.all(), problems.all()  # no script errors or CSP violations

    # 6. The employer's contact person sees three anonymous profiles.
    employer_page = new_page()
    log_in(employer_page, people["werkgever"])
    employer_page.goto(f"{base_url}{reverse('matching:portal_proposals')}")
    section = employer_page.locator("section", has_text="Magazijnmedewerker avond")
    proposed = section.locator("li.card")
    expect(proposed).to_have_count(3)
    for n in range(1, 4):
        expect(proposed.nth(n - 1).locator("h3")).to_have_text(re.compile(rf"Kandidaat {n}"))
    shown = employer_page.locator("main").inner_text()
    for name in names:
        assert name not in shown, f"{name} is visible to the employer"
    screenshot(employer_page, "matching-portal-proposals.png")
