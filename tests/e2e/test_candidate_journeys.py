"""Journeys of the candidates app in a real browser.

1. A client manager tries to hand over an incomplete profile, is refused with the list of what
   is missing, completes each item through the links (edit sections, languages page) and hands
   the candidate over to a relationship manager.
2. A candidate on a phone changes their wishes, stops the consent that let an employer see
   them (the employer no longer finds them) and downloads their data as PDF and JSON.
3. Pool privacy: a client manager of Nijmegen sees a Wijchen candidate who agreed to the
   regional pool only as an anonymous profile, and a Wijchen candidate without consent not at
   all (404).

The UI is Dutch once translated and English until then, so texts are matched with ``either``
(both translations of the app's own string) and elements by id, name, href or data attribute.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone, translation
from e2e_support import screenshot
from playwright.sync_api import Browser, Page, expect

from candidates_support import give_consent, make_candidate
from werkbrug.candidates import data_export
from werkbrug.candidates.models import (
    Candidate,
    CandidateLanguage,
    Consent,
    ConsentScope,
    EducationLevel,
    Handover,
    JourneyStatus,
)
from werkbrug.employers.models import ContactPerson, Employer
from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, WorkKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


# --- Helpers ----------------------------------------------------------------------------------


def either(text: Any) -> re.Pattern[str]:
    """A regex matching the English or the Dutch version of one of the app's own strings."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            versions.add(translation.gettext(text) if isinstance(text, str) else str(text))
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def submit(page: Page, field_selector: str) -> None:
    """Press the submit button of the form that holds ``field_selector``."""
    page.locator(f"form:has({field_selector}) button[type=submit]").first.click()


def assert_fits_the_phone(page: Page) -> None:
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1] + 1, f"{page.url} scrolls sideways: {overflow}"


@pytest.fixture
def taxonomy(db: Any) -> None:
    # The data migration loads the curated list; a transactional test may have flushed it.
    curated.load_curated(Occupation, Skill, OccupationSkill)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Any]:
    """Open pages in fresh phone-sized, touch-enabled contexts; all close after the test."""
    contexts = []

    def _phone_page() -> Page:
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _phone_page
    for context in contexts:
        context.close()


# --- 1. The client manager completes the profile and hands over -------------------------------


def test_client_manager_completes_profile_and_hands_over(
    page: Page,
    people: dict[str, Any],
    regions: dict[str, Any],
    log_in: Any,
    base_url: str,
    taxonomy: None,
) -> None:
    own = regions["own"]
    km = people["klantmanager"].staff
    rm = people["relatiemanager"].staff
    today = timezone.localdate()
    candidate = make_candidate(
        own,
        complete=False,
        client_manager=km,
        first_name="Samira",
        last_name="Bakker",
        email="samira.bakker@example.nl",
        phone="0612345678",
        street="Molenstraat 12",
        postcode="6511 AB",
        city="Nijmegen",
        benefit_type="pw_bijstand",
        ladder_step=4,
        segment="werkklant",
        driving_licence=False,
        transport="fiets",
        hours_available=24,
        available_from=today,
        wished_work_kinds=["productie_logistiek"],
        max_travel_minutes=30,
    )
    candidate.skills.add(Skill.objects.order_by("label").first())
    detail = f"/kandidaten/{candidate.uuid}/"
    handover = f"{detail}overdragen/"

    log_in(page, people["klantmanager"])
    page.goto(f"{base_url}{detail}")
    expect(page.locator("main h1")).to_contain_text("Samira Bakker")
    page.locator(f"main a[href='{handover}']").first.click()
    page.wait_for_url(f"{base_url}{handover}")

    # Refused: education, languages and talents are missing, each with a link to its form.
    refusal = page.locator("[data-error-summary]")
    expect(refusal).to_be_visible()
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    links = refusal.locator("ul.case-missing a")
    expect(links).to_have_count(3)
    expect(refusal).to_contain_text(either("Highest education completed"))
    expect(refusal).to_contain_text(either("Languages spoken"))
    expect(refusal).to_contain_text(either("What the candidate is good at"))
    screenshot(page, "candidate-handover-refused.png")

    def follow(href_part: str, field: str) -> None:
        """From the handover page, follow the link of one item: it opens the form with it."""
        page.goto(f"{base_url}{handover}")
        page.locator(f"[data-error-summary] ul.case-missing a[href*='{href_part}']").click()
        page.wait_for_url(re.compile(re.escape(href_part)))
        expect(page.locator(field)).to_be_visible()

    # Education level: the benefit section of the record.
    follow("deel=uitkering", "#id_education_level")
    page.select_option("#id_education_level", str(EducationLevel.SECONDARY.value))
    submit(page, "#id_education_level")
    page.wait_for_url(re.compile(rf"{re.escape(detail)}#deel-uitkering$"))

    # Languages: their own page, one language a line.
    follow("/talen/", "#id_taal-0-language")
    page.fill("#id_taal-0-language", "Nederlands")
    page.select_option("#id_taal-0-level", "B1")
    page.fill("#id_taal-1-language", "Arabisch")
    page.select_option("#id_taal-1-level", "C2")
    screenshot(page, "candidate-languages-form.png")
    submit(page, "#id_taal-0-language")
    page.wait_for_url(re.compile(rf"{re.escape(detail)}#deel-profiel$"))

    # What the candidate is good at: the profile section.
    follow("deel=profiel", "#id_talents")
    page.fill("#id_talents", "Zorgvuldig, punctueel en goed met klanten.")
    submit(page, "#id_talents")
    page.wait_for_url(re.compile(rf"{re.escape(detail)}#deel-profiel$"))

    candidate.refresh_from_db()
    assert candidate.education_level == EducationLevel.SECONDARY
    assert candidate.talents.startswith("Zorgvuldig")
    assert set(
        CandidateLanguage.objects.filter(candidate=candidate).values_list("language", "level")
    ) == {("Nederlands", "B1"), ("Arabisch", "C2")}

    # Back to the handover: now the form; pick the relationship manager and hand over.
    page.locator(f"main a[href='{handover}']").first.click()
    page.wait_for_url(f"{base_url}{handover}")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(page.locator("#id_on")).to_have_value(today.isoformat())
    page.select_option("#id_to_staff", str(rm.uuid))
    page.check("#id_warm")
    page.fill("#id_note", "Wil graag in een magazijn werken; fietst overal heen.")
    screenshot(page, "candidate-handover-form.png")
    submit(page, "#id_to_staff")
    page.wait_for_url(f"{base_url}{detail}")

    # The candidate page: status handed over, the receiver and today's date.
    header = page.locator("main .candidate-header")
    expect(header).to_contain_text(either(JourneyStatus.HANDED_OVER.label))
    expect(header).to_contain_text(str(rm))
    expect(page.locator("main")).to_contain_text(today.strftime("%d-%m-%Y"))
    expect(page.locator("main")).to_contain_text("magazijn")
    screenshot(page, "candidate-handed-over.png")

    done = Handover.objects.get(candidate=candidate)
    assert (done.from_staff, done.to_staff, done.on, done.warm) == (km, rm, today, True)
    assert done.completeness >= 80
    candidate.refresh_from_db()
    assert candidate.consultant == rm
    assert candidate.status == JourneyStatus.HANDED_OVER
    assert candidate.handed_over_at == today


# --- 2. The candidate on a phone --------------------------------------------------------------


def test_candidate_on_phone_changes_wishes_stops_consent_and_downloads_data(
    phone_page: Any,
    new_page: Any,
    people: dict[str, Any],
    regions: dict[str, Any],
    log_in: Any,
    base_url: str,
    taxonomy: None,
) -> None:
    own = regions["own"]
    km = people["klantmanager"]
    employer = Employer.objects.create(
        region=own["region"],
        name="Bakkerij Van Dijk",
        municipality=own["municipalities"][0],
        owner=people["relatiemanager"].staff,
        phase="werkkans",
    )
    ContactPerson.objects.create(
        employer=employer, name="Els van Dijk", user=people["werkgever"], is_primary=True
    )
    candidate = make_candidate(
        own,
        client_manager=km.staff,
        user=people["kandidaat"],
        first_name="Noor",
        last_name="Visser",
    )
    give_consent(candidate, ConsentScope.REGIONAL_POOL, by=km)
    shared = give_consent(candidate, ConsentScope.SHARE_WITH_EMPLOYER, by=km, employer=employer)

    # The employer sees Noor before she stops her consent.
    employer_page = new_page()
    log_in(employer_page, people["werkgever"])
    employer_page.goto(f"{base_url}/mijn-bedrijf/kandidaten/")
    expect(employer_page.locator("main")).to_contain_text("Noor Visser")

    page = phone_page()
    log_in(page, people["kandidaat"])
    page.goto(f"{base_url}/mijn-profiel/")
    expect(page.locator("main h1")).to_contain_text("Noor")
    assert_fits_the_phone(page)
    screenshot(page, "candidate-phone-my-profile.png")

    # Change the wishes: hours, travel time and one more kind of work.
    page.locator("nav.portal-nav a[href='/mijn-profiel/bewerken/']").tap()
    page.wait_for_url(f"{base_url}/mijn-profiel/bewerken/")
    assert_fits_the_phone(page)
    page.fill("#id_wished_hours_min", "20")
    page.fill("#id_wished_hours_max", "32")
    page.fill("#id_max_travel_minutes", "45")
    page.check(f"#profiel input[name=wished_work_kinds][value={WorkKind.CLEANING.value}]")
    screenshot(page, "candidate-phone-edit.png", full_page=False)
    page.locator("form#profiel button[type=submit]").tap()
    page.wait_for_url(f"{base_url}/mijn-profiel/")
    wishes = page.locator("section[aria-labelledby=wish-title]")
    expect(wishes).to_contain_text(either(WorkKind.CLEANING.label))
    expect(wishes).to_contain_text(either(WorkKind.PRODUCTION_LOGISTICS.label))
    expect(wishes).to_contain_text(re.compile(r"20\D+32"))
    expect(wishes).to_contain_text("45")
    assert_fits_the_phone(page)
    candidate.refresh_from_db()
    assert (candidate.wished_hours_min, candidate.wished_hours_max) == (20, 32)
    assert candidate.max_travel_minutes == 45
    assert set(candidate.wished_work_kinds) == {"productie_logistiek", "schoonmaak"}

    # Stop the consent for the employer, through the confirmation step.
    page.locator("nav.portal-nav a[href='/mijn-profiel/toestemming/']").tap()
    page.wait_for_url(f"{base_url}/mijn-profiel/toestemming/")
    assert_fits_the_phone(page)
    screenshot(page, "candidate-phone-consent.png")
    page.locator(f"main a[href='/mijn-profiel/toestemming/{shared.uuid}/intrekken/']").tap()
    page.wait_for_url(re.compile(r"/intrekken/$"))
    expect(page.locator("main")).to_contain_text("Bakkerij Van Dijk")
    assert_fits_the_phone(page)
    screenshot(page, "candidate-phone-consent-stop.png")
    shared.refresh_from_db()
    assert shared.withdrawn_at is None, "nothing may change before the confirmation"
    page.locator("main form button[type=submit]").tap()
    page.wait_for_url(f"{base_url}/mijn-profiel/toestemming/")
    expect(page.locator("main .portal-history")).to_contain_text(either("stopped"))
    shared.refresh_from_db()
    assert shared.withdrawn_at is not None and not shared.in_force
    assert Consent.objects.get(candidate=candidate, scope=ConsentScope.REGIONAL_POOL).in_force

    # The employer no longer finds her, from the very next request.
    employer_page.reload()
    expect(employer_page.locator("main h1")).to_be_visible()
    expect(employer_page.locator("main")).not_to_contain_text("Noor Visser")
    expect(
        employer_page.locator(f"main a[href='/mijn-bedrijf/kandidaten/{candidate.uuid}/']")
    ).to_have_count(0)
    screenshot(employer_page, "employer-shared-after-withdrawal.png")

    # Download everything: the PDF to read and the JSON data file.
    page.locator("nav.portal-nav a[href='/mijn-profiel/']").tap()
    page.wait_for_url(f"{base_url}/mijn-profiel/")
    with page.expect_download() as pdf_info:
        page.locator("main a[href='/mijn-profiel/mijn-gegevens.pdf']").tap()
    pdf = pdf_info.value
    body = pdf.path().read_bytes()
    assert body.startswith(b"%PDF") and len(body) > 1024
    assert pdf.suggested_filename.endswith(".pdf")

    with page.expect_download() as json_info:
        page.locator("main a[href='/mijn-profiel/mijn-gegevens.json']").tap()
    data = json.loads(json_info.value.path().read_text(encoding="utf-8"))
    assert data["candidate"] == "Noor Visser"
    sections = data["sections"]
    withdrawn_keys = set()
    for language in ("en", "nl"):
        with translation.override(language):
            withdrawn_keys.add(data_export._label(Consent, "withdrawn_at"))
    consents = sections["consents"]["items"]
    assert len(consents) == 2
    stopped = [item for item in consents if any(item.get(key) for key in withdrawn_keys)]
    assert len(stopped) == 1, consents
    assert "Bakkerij Van Dijk" in stopped[0].values()
    wish_text = json.dumps(sections["wishes"]["items"], ensure_ascii=False)
    assert either(WorkKind.CLEANING.label).search(wish_text), wish_text
    details = sections["details"]["items"][0]
    assert 20 in details.values() and 32 in details.values() and 45 in details.values()


# --- 3. Pool privacy ---------------------------------------------------------------------------


def test_pool_candidate_is_anonymous_and_others_are_not_found(
    page: Page, people: dict[str, Any], regions: dict[str, Any], log_in: Any, base_url: str
) -> None:
    own = regions["own"]
    wijchen = own["municipalities"][1]
    pooled = make_candidate(
        own,
        municipality=wijchen,
        first_name="Pieter",
        last_name="Poolman",
        talents="Sterk in het magazijn en altijd vrolijk.",
    )
    give_consent(pooled, ConsentScope.REGIONAL_POOL, by=people["beheerder"])
    private = make_candidate(own, municipality=wijchen, first_name="Greet", last_name="Geheim")
    mine = make_candidate(
        own, client_manager=people["klantmanager"].staff, first_name="Eigen", last_name="Klant"
    )

    log_in(page, people["klantmanager"])
    page.goto(f"{base_url}/kandidaten/")
    main = page.locator("main")
    expect(main.locator(f"a[href='/kandidaten/{mine.uuid}/']")).to_contain_text("Klant")
    row = main.locator("tr.pool-row", has=page.locator(f"a[href='/kandidaten/{pooled.uuid}/']"))
    expect(row).to_contain_text(either("Anonymous profile"))
    expect(row).to_contain_text("magazijn")
    for name in ("Pieter", "Poolman", "Greet", "Geheim"):
        expect(main).not_to_contain_text(name)
    expect(main.locator(f"a[href='/kandidaten/{private.uuid}/']")).to_have_count(0)
    screenshot(page, "caseload-with-pool-row.png")

    # The anonymous page: what they can and want, not who they are.
    row.locator(f"a[href='/kandidaten/{pooled.uuid}/']").click()
    page.wait_for_url(f"{base_url}/kandidaten/{pooled.uuid}/")
    expect(page.locator("main h1")).to_have_text(either("Anonymous profile"))
    expect(main).to_contain_text("magazijn")
    for name in ("Pieter", "Poolman"):
        expect(main).not_to_contain_text(name)
    assert "Pieter" not in page.title() and "Poolman" not in page.title()
    screenshot(page, "candidate-anonymous-profile.png")

    # No consent: the record is not there for Nijmegen.
    response = page.goto(f"{base_url}/kandidaten/{private.uuid}/")
    assert response is not None and response.status == 404
    expect(page.locator("main h1")).to_have_text(either("Page not found"))
    for name in ("Greet", "Geheim"):
        expect(page.locator("body")).not_to_contain_text(name)
    screenshot(page, "candidate-not-found.png")
    assert Candidate.objects.filter(pk=private.pk).exists()
