"""Privacy in a real browser (issue 10).

A client manager opens a candidate whose journey still runs, registers an erasure request from
the candidate page's "More" menu, sees why the law does not allow it yet and refuses it with
that answer; then registers an inzage request and downloads the copy as JSON, which holds the
candidate's name. The administrator sees the retention periods with what is due today (one
file closed six years ago), changes the health period, gets a Dutch error naming the minimum
when choosing too short a period for files, and applies the periods: the old file becomes a
placeholder. Screenshots of each page go to test-artifacts/screenshots/privacy-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from e2e_support import PageProblems, screenshot
from playwright.sync_api import Page, expect

from candidates_support import make_candidate
from werkbrug.candidates.models import Candidate, JourneyStatus
from werkbrug.core.roles import Role
from werkbrug.privacy.models import DataSubjectRequest, RequestStatus, RetentionPolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_manager_handles_requests_and_admin_applies_retention(
    regions: dict, people: dict, new_page: Callable[..., Page], log_in: Any, base_url: str
) -> None:
    own = regions["own"]
    km = people[Role.CLIENT_MANAGER]
    candidate = make_candidate(
        own, client_manager=km.staff, first_name="Noor", last_name="Bakkali", status="placed"
    )
    old = make_candidate(own, first_name="Oud", last_name="Dossier", status=JourneyStatus.OUTCOME)
    long_ago = timezone.now() - dt.timedelta(days=6 * 366)
    Candidate.objects.filter(pk=old.pk).update(updated_at=long_ago, last_contact_at=long_ago)

    page = new_page()
    problems = PageProblems().watch(page)
    log_in(page, km)
    page.goto(f"{base_url}/kandidaten/{candidate.uuid}/")
    page.locator("details.candidate-more summary").click()
    page.locator("[data-privacy-request]").click()
    page.locator("select[name=kind]").select_option("erasure")
    page.locator("select[name=channel]").select_option("desk")
    page.locator("textarea[name=request_text]").fill("Verwijder al mijn gegevens.")
    screenshot(page, "privacy-register.png")
    page.locator("[data-request-form] button[type=submit]").click()
    expect(page.locator("[data-erasure]")).to_contain_text("17 lid 3")
    screenshot(page, "privacy-erasure-request.png")
    page.locator("[data-complete] textarea[name=outcome]").fill(
        "Uw traject loopt nog; na afsluiting verwijderen wij uw gegevens."
    )
    page.locator("[data-complete] input[name=refuse]").check()
    page.locator("[data-complete] button[type=submit]").click()
    expect(page.locator("[data-events]")).to_contain_text(km.first_name)
    erasure = DataSubjectRequest.objects.get(kind="erasure")
    assert erasure.status == RequestStatus.REFUSED
    assert Candidate.objects.get(pk=candidate.pk).last_name == "Bakkali"

    page.goto(f"{base_url}/privacy/kandidaten/{candidate.uuid}/verzoek/")
    page.locator("select[name=kind]").select_option("access")
    page.locator("select[name=channel]").select_option("letter")
    page.locator("textarea[name=request_text]").fill("Welke gegevens hebben jullie van mij?")
    page.locator("[data-request-form] button[type=submit]").click()
    with page.expect_download() as download:
        page.locator("[data-copy] a[href$='kopie.json']").click()
    copy = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert "Bakkali" in json.dumps(copy, ensure_ascii=False)
    screenshot(page, "privacy-access-request.png")
    page.goto(f"{base_url}/privacy/verzoeken/")
    expect(page.locator("[data-requests]")).to_contain_text("Bakkali")
    screenshot(page, "privacy-requests.png")
    page.close()

    page = new_page()
    problems.watch(page)
    log_in(page, people[Role.FUNCTIONAL_ADMIN])
    page.goto(f"{base_url}/beheer/bewaartermijnen/")
    expect(page.locator("[data-period=candidate_file] [data-due]")).to_have_text("1")
    page.locator("[data-period=candidate_file] input[name=months]").fill("6")
    page.locator("[data-period=candidate_file] button[type=submit]").click()
    expect(page.locator("[data-period=candidate_file] .field-errors")).to_contain_text("maanden")
    page.locator("[data-period=health] input[name=months]").fill("6")
    page.locator("[data-period=health] button[type=submit]").click()
    expect(page.locator("[data-period=health]")).to_contain_text("6")
    assert RetentionPolicy.objects.get(category="health").months == 6
    page.locator("[data-runs] button[type=submit]").click()
    expect(page.locator("[data-runs] tbody tr")).to_have_count(1)
    screenshot(page, "privacy-retention.png")
    assert Candidate.objects.get(pk=old.pk).last_name == "[verwijderd]"
    assert not RetentionPolicy.objects.filter(category="candidate_file").exists()
    # The refused form posts answer 400 on purpose; nothing else may fail.
    assert [p for p in problems.all() if " 400 " not in f" {p} "] == [], problems.all()
