"""From a click at a prettig gesprek to the employer's cost sheet, in a real browser.

The meeting was held; the relationship manager records on its page that the warehouse and a
candidate clicked, with a work-experience place to follow, and follows "Place": the form is
prefilled from the conversation (employer, work, kind). The work-experience place of two
months started eight months ago; it becomes a six-month fixed-term contract from the day
after, which ends in three weeks. So the contract's page shows the alert "before the end:
decide the next step" (due six weeks before the end) with its buttons, and the route of the
person (work-experience place, then contract); the relationship manager's home page lists it
under "Aftercare today". The employer's contact person opens "Our placements" and gets "What
does it cost me?" for the contract: a PDF of one page with the net amount per month.

The UI is being translated from English to Dutch, so elements are found by URL, ``name`` and
data attributes, and texts checked with ``either`` (the app's own string in English or Dutch,
from the catalogue the live server uses).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from e2e_support import PageProblems, screenshot
from playwright.sync_api import Page, expect

from candidates_support import give_consent
from werkbrug.candidates.models import ConsentScope
from werkbrug.core import access
from werkbrug.meetings import services as meeting_services
from werkbrug.meetings.models import Conversation, FollowUp, Meeting
from werkbrug.placements.aftercare import add_months
from werkbrug.placements.models import (
    AftercareCheck,
    Contract,
    EndReason,
    Placement,
    PlacementKind,
    PlacementStatus,
)
from werkbrug.rules import models as rule_models
from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = r"[0-9a-f-]{36}"


def either(text: str, *, context: str | None = None, **values: Any) -> re.Pattern[str]:
    """A regex matching the English or the Dutch version of one of the app's own strings
    (with ``values`` filled in, as the app does with ``%``)."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            found = translation.pgettext(context, text) if context else translation.gettext(text)
        versions.add(found % values if values else found)
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def either_count(singular: str, plural: str, count: int, **values: Any) -> re.Pattern[str]:
    """Like ``either``, for a string with a plural (``counter`` is the count, as in the
    templates' ``blocktranslate count``)."""
    versions = set()
    for language in ("en", "nl"):
        with translation.override(language):
            found = translation.ngettext(singular, plural, count)
        versions.add(found % {"counter": count, **values})
    return re.compile("|".join(re.escape(v) for v in sorted(versions)), re.IGNORECASE)


def pdf_pages(body: bytes) -> list[str]:
    """The text of each page (pdftotext), or only as many placeholders as there are pages
    when pdftotext is missing."""
    if shutil.which("pdftotext") is None:
        count = len(re.findall(rb"/Type\s*/Page\b", body))
        return ["(pdftotext not installed)"] * count
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    )
    return [" ".join(page.split()) for page in result.stdout.decode().split("\f") if page.strip()]


@pytest.fixture(autouse=True)
def reference_data(db: Any) -> None:
    """What the data migrations load and a transactional test may have flushed: the curated
    taxonomy (first, before the fixtures' candidates get their skills) and the national rules
    of 1 July 2018 (a placement is checked against them; the cost sheet is calculated with
    them)."""
    curated.load_curated(Occupation, Skill, OccupationSkill)
    snapshot = Path(rule_models.__file__).parent / "data" / "regels-2018-07-01.json"
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    rule_models.RuleSet.objects.get_or_create(
        region=None,
        valid_from=data["valid_from"],
        defaults={
            "name": data["name"],
            "source": data["source"],
            "values": data["values"],
            "sources": data["sources"],
        },
    )


@pytest.fixture
def held(
    reference_data: None,
    world: dict[str, Any],
    meeting: Meeting,
    people: dict[str, Any],
    base_url: str,
) -> Conversation:
    """The meeting of ``meetings_support`` with the warehouse's work, the warehouse and a
    candidate of the relationship manager's own municipality (seen in full) invited and
    coming, their conversation in round one; it began two hours ago and is marked held. The
    candidate lets the warehouse know their first name."""
    rm = access.actor_for(people["relatiemanager"])
    employer, candidate = world["employer"], world["good"]
    meeting.opportunities.add(world["opportunity"])
    meeting_services.invite(
        actor=rm,
        meeting=meeting,
        employers=[employer],
        candidates=[candidate],
        answer_url=f"{base_url}{reverse('meetings:answer', kwargs={'token': 'TOKEN'})}",
    )
    for invitation in meeting.invitations.all():
        meeting_services.answer(token=meeting_services.answer_token(invitation), coming=True)
    conversation = Conversation.objects.create(
        meeting=meeting, round=1, employer=employer, candidate=candidate
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    meeting.refresh_from_db()
    meeting_services.mark_held(actor=rm, meeting=meeting)
    give_consent(
        candidate, ConsentScope.SHARE_WITH_EMPLOYER, by=people["klantmanager"], employer=employer
    )
    return conversation


def test_from_a_click_to_the_contract_and_what_it_costs_the_employer(
    page: Page,
    new_page: Callable[..., Page],
    people: dict[str, Any],
    world: dict[str, Any],
    held: Conversation,
    log_in: Any,
    base_url: str,
) -> None:
    employer, candidate = world["employer"], world["good"]
    today = timezone.localdate()
    # The contract: six months, ending in three weeks. The work-experience place before it:
    # two months, to the day before the contract (so it started about eight months ago).
    contract_end = today + dt.timedelta(days=21)
    contract_start = add_months(contract_end + dt.timedelta(days=1), -6)
    wep_end = contract_start - dt.timedelta(days=1)
    wep_start = add_months(contract_start, -2)
    problems = PageProblems().watch(page)
    log_in(page, people["relatiemanager"])

    # 1. On the meeting page: a click, with a work-experience place to follow.
    page.goto(f"{base_url}{reverse('meetings:detail', kwargs={'uuid': held.meeting.uuid})}")
    row = page.locator(f"[data-outcome-item='{held.uuid}']")
    details = row.locator("details")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    form = row.locator("form[data-outcome-form]")
    form.locator("input[name=outcome][value=klik]").check()
    form.locator("select[name=follow_up]").select_option(FollowUp.WORK_EXPERIENCE)
    form.locator("button[type=submit]").click()
    row = page.locator(f"[data-outcome-item='{held.uuid}']")
    expect(row.locator("[data-outcome=klik]")).to_be_visible()
    place = row.locator("a[data-place]")
    expect(place).to_contain_text(either("Place", context="verb: register a placement"))

    # 2. "Place": the form is prefilled from the conversation.
    place.click()
    page.wait_for_url(re.compile(rf"/plaatsingen/nieuw/\?gesprek={held.uuid}$"))
    expect(page.locator("[data-source=gesprek]")).to_contain_text(held.meeting.title)
    expect(page.locator("#id_employer")).to_have_value(str(employer.uuid))
    expect(page.locator("#id_opportunity")).to_have_value(str(world["opportunity"].uuid))
    expect(page.locator("#id_kind")).to_have_value(PlacementKind.WORK_EXPERIENCE)
    expect(page.locator("#id_contract")).to_have_value(Contract.NONE)
    expect(page.locator("#id_job_title")).to_have_value(world["opportunity"].title)
    expect(page.locator("#id_wage_pct_of_wml")).to_have_value("")
    page.fill("#id_hours_per_week", "24")
    page.fill("#id_start_on", wep_start.isoformat())
    page.fill("#id_planned_end_on", wep_end.isoformat())
    page.locator("form[data-placement-form] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/plaatsingen/{UUID}/$"))
    wep = Placement.objects.get(candidate=candidate)
    assert page.url == f"{base_url}{reverse('placements:detail', kwargs={'uuid': wep.uuid})}"
    assert wep.conversation == held and wep.kind == PlacementKind.WORK_EXPERIENCE
    assert (wep.start_on, wep.planned_end_on) == (wep_start, wep_end)
    assert wep.status == PlacementStatus.RUNNING and wep.rule_set is not None
    expect(page.locator(".message-success")).to_contain_text(employer.name)
    # The aftercare plan, every check-in of it on the page.
    checks = page.locator("#nazorg li[data-check]")
    expect(checks).to_have_count(wep.checks.count())
    expect(page.locator("#nazorg li[data-check=voor_einde]")).to_have_count(1)
    expect(page.locator("[data-origin]")).to_contain_text(held.meeting.title)

    # 3. Convert it (its planned end has passed, so the alert offers it): prefilled with a
    #    regular job on a fixed-term contract at the minimum wage.
    convert_url = reverse("placements:convert", kwargs={"uuid": wep.uuid})
    expect(page.locator("[data-before-end]")).to_be_visible()
    page.locator(f"[data-before-end] a[href='{convert_url}']").click()
    page.wait_for_url(f"{base_url}{convert_url}")
    expect(page.locator("#id_employer")).to_have_value(str(employer.uuid))
    expect(page.locator("#id_kind")).to_have_value(PlacementKind.REGULAR)
    expect(page.locator("#id_contract")).to_have_value(Contract.FIXED)
    expect(page.locator("#id_wage_pct_of_wml")).to_have_value("100")
    expect(page.locator("#id_hours_per_week")).to_have_value("24")
    page.fill("#id_start_on", contract_start.isoformat())
    page.fill("#id_planned_end_on", contract_end.isoformat())
    page.locator("form[data-convert-form] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/plaatsingen/{UUID}/$"))
    contract = Placement.objects.get(candidate=candidate, preceded_by=wep)
    contract_url = reverse("placements:detail", kwargs={"uuid": contract.uuid})
    assert page.url == f"{base_url}{contract_url}"
    assert contract.kind == PlacementKind.REGULAR and contract.contract == Contract.FIXED
    assert (contract.start_on, contract.planned_end_on) == (contract_start, contract_end)
    wep.refresh_from_db()
    assert wep.status == PlacementStatus.CONVERTED and wep.end_reason == EndReason.CONVERTED
    assert wep.ended_on == wep_end
    expect(page.locator(".message-success")).to_be_visible()

    # The alert before the end came three weeks ago (six weeks before the end), with what
    # to do next.
    before_end = contract.checks.get(kind=AftercareCheck.Kind.BEFORE_END)
    assert before_end.due_on == contract_end - dt.timedelta(weeks=6) <= today
    alert = page.locator("[data-before-end]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(
        either_count(
            "The planned end is tomorrow (%(date)s): decide the next step.",
            "The planned end is in %(counter)s days (%(date)s): decide the next step.",
            21,
            date=contract_end.strftime("%d-%m-%Y"),
        )
    )
    convert_contract = reverse("placements:convert", kwargs={"uuid": contract.uuid})
    # Already a contract: extend it or convert it (into a permanent one).
    expect(alert.locator(f"a[href='{convert_contract}']")).to_contain_text(
        either("Convert or extend")
    )
    expect(
        alert.locator(f"a[href='{reverse('placements:end', kwargs={'uuid': contract.uuid})}']")
    ).to_contain_text(either("End the placement"))
    expect(alert.locator(f"a[href='#nazorg-{before_end.uuid}']")).to_contain_text(
        either("Record the check-in")
    )
    # The route of this person: the work-experience place, then this contract.
    route = page.locator("[data-chain] li")
    expect(route).to_have_count(2)
    expect(route.nth(0).locator("a")).to_have_attribute(
        "href", reverse("placements:detail", kwargs={"uuid": wep.uuid})
    )
    expect(route.nth(1).locator("[aria-current=page]")).to_be_visible()
    screenshot(page, "placement-journey-contract.png")

    # 4. The home page: "Aftercare today" lists the contract as ending soon.
    page.goto(f"{base_url}/")
    panel = page.locator("section.panel", has=page.locator("#panel-placements_aftercare"))
    expect(panel.locator("h2")).to_have_text(either("Aftercare today"))
    ending = panel.locator("[data-ending-soon] li")
    expect(ending).to_have_count(1)
    expect(ending.locator(f"a[href='{contract_url}']")).to_contain_text(str(candidate))
    expect(ending).to_contain_text(contract_end.strftime("%d-%m-%Y"))

    # 5. The employer's contact person, in a browser of their own: "Our placements" shows the
    #    contract (by first name: the candidate consented) and the converted place before it.
    werkgever = new_page()
    problems.watch(werkgever)
    log_in(werkgever, people["werkgever"])
    werkgever.goto(f"{base_url}{reverse('employers:portal')}")
    werkgever.locator(f"main a[href='{reverse('placements:portal_employer')}']").click()
    werkgever.wait_for_url(f"{base_url}{reverse('placements:portal_employer')}")
    expect(werkgever.locator("h1")).to_have_text(either("Our placements"))
    item = werkgever.locator(f"li[data-placement='{contract.uuid}']")
    expect(item.locator("h3")).to_contain_text(candidate.first_name)
    expect(item.locator("h3")).not_to_contain_text(candidate.last_name)
    expect(item).to_contain_text(contract.job_title)
    earlier = werkgever.locator(f"li[data-placement='{wep.uuid}']")
    expect(earlier).to_be_visible()
    expect(earlier.locator("a.portal-button")).to_have_count(0)  # no wage, nothing to cost
    cost = item.locator("a.portal-button")
    expect(cost).to_have_text(either("What does it cost me? (PDF)"))
    href = cost.get_attribute("href")
    assert href == reverse("placements:portal_cost_sheet", kwargs={"uuid": contract.uuid})
    # The sheet, fetched with the contact person's session (a PDF opened by a click leaves
    # headless Chromium with nothing to check).
    response = werkgever.request.get(f"{base_url}{href}")
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    pages = pdf_pages(body)
    assert len(pages) == 1, pages
    if shutil.which("pdftotext") is not None:
        sheet = pages[0]
        assert either("Net per month").search(sheet), sheet
        assert re.search(r"€ \d{1,3}(\.\d{3})*,\d{2}", sheet), sheet
        assert candidate.first_name not in sheet and candidate.last_name not in sheet

    assert not problems.all(), problems.all()  # no script errors, CSP violations or 4xx/5xx
