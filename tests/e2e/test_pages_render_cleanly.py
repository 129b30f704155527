"""The main pages load without script errors, failed requests or Content-Security-Policy
violations (Chromium reports a blocked inline script or style as a console error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import PageProblems
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    ("/", "section.panel[aria-labelledby='panel-admin']"),
    ("/beheer/audit/wijzigingen/", "main h1"),
    ("/beheer/organisatie/medewerkers/", "#manage-rows table"),
    ("/beheer/organisatie/medewerkers/nieuw/", "main form[method=post]"),
    ("/profiel/", "main h1"),
]


def test_no_console_errors_or_csp_violations(
    people: dict[str, Any], page: Page, log_in: Callable[..., None], live_server: Any
) -> None:
    problems = PageProblems().watch(page)

    # The login page and the two-factor set-up page are part of the tour.
    log_in(page, people["beheerder"])

    for path, landmark in PAGES:
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert page.url == f"{live_server.url}{path}", f"{path} redirected to {page.url}"
        expect(page.locator(landmark).first).to_be_visible()
        # The stylesheet was applied (a blocked or missing stylesheet leaves the skip link
        # visible at the top of the page).
        expect(page.locator("a.skip-link")).not_to_be_in_viewport()

    assert problems.all() == [], "\n".join(problems.all())

    # The API documentation: Swagger UI is a script bundle served from our own origin, so it
    # only renders when the CSP lets its files run.
    page.goto(f"{live_server.url}/api/v1/docs", wait_until="networkidle")
    expect(page.locator(".swagger-ui").first).to_be_attached()
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Werkbrug API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()


def test_api_docs_have_no_console_errors(page: Page, live_server: Any) -> None:
    problems = PageProblems().watch(page)
    page.goto(f"{live_server.url}/api/v1/docs", wait_until="networkidle")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert problems.all() == [], "\n".join(problems.all())


def test_candidate_pages_have_no_console_errors_or_csp_violations(
    people: dict[str, Any],
    regions: dict[str, Any],
    page: Page,
    log_in: Callable[..., None],
    live_server: Any,
) -> None:
    """The caseload, the candidate page and the profile form (with its filter script) run
    cleanly under the strict CSP."""
    from candidates_support import make_candidate

    candidate = make_candidate(
        regions["own"],
        client_manager=people["klantmanager"].staff,
        consultant=people["relatiemanager"].staff,
    )
    problems = PageProblems().watch(page)
    log_in(page, people["klantmanager"])
    for path, landmark in (
        ("/kandidaten/", "main h1"),
        (f"/kandidaten/{candidate.uuid}/", "main h1"),
        (f"/kandidaten/{candidate.uuid}/bewerken/?deel=profiel", "main form[method=post]"),
        (f"/kandidaten/{candidate.uuid}/overdragen/", "main h1"),
        ("/terugmeldingen/", "main h1"),
    ):
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        expect(page.locator(landmark).first).to_be_visible()
        expect(page.locator("a.skip-link")).not_to_be_in_viewport()
    assert problems.all() == [], "\n".join(problems.all())


def test_matching_pages_have_no_console_errors_or_csp_violations(
    people: dict[str, Any],
    regions: dict[str, Any],
    page: Page,
    log_in: Callable[..., None],
    live_server: Any,
) -> None:
    """Suitable work for a candidate and the fairness report (the suggestions page and the
    portal are covered by the matching journey)."""
    from candidates_support import make_candidate

    candidate = make_candidate(regions["own"], client_manager=people["klantmanager"].staff)
    problems = PageProblems().watch(page)
    log_in(page, people["klantmanager"])
    page.goto(f"{live_server.url}/kandidaten/{candidate.uuid}/werk/", wait_until="networkidle")
    expect(page.locator("main h1").first).to_be_visible()
    expect(page.locator("a.skip-link")).not_to_be_in_viewport()
    page.context.clear_cookies()
    log_in(page, people["teamleider"])
    page.goto(f"{live_server.url}/matching/eerlijkheid/", wait_until="networkidle")
    expect(page.locator("main h1").first).to_be_visible()
    assert problems.all() == [], "\n".join(problems.all())
