"""From the municipality dashboard to the council report, in a real browser (issue 8).

A programme of the region runs this year with a target for Wijchen: 40 placements on paid
work (K4). Well into its period only three candidates of Wijchen started paid work (the
team's own clients, so the team lead sees them in full); a work-experience place in Wijchen
and a job in Nijmegen do not count for it. The KPI values are computed as the nightly task
does. The team lead opens "Results", chooses Wijchen: the target is "behind" with the early
warning. "Placements on paid work" leads to the indicator, and from there to the records
behind the number: the three placements, each linking to its page. Then the council report
for Wijchen: the summary names the target falling behind, and "Download as PDF" gives a PDF
about Wijchen with "Plaatsingen op werk".

The UI is being translated, so elements are found by URL, ``name`` and data attributes;
texts checked are the ones the app writes in Dutch itself (the KPI names, the early warning,
the summary), never catalogue strings.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from e2e_support import ARTIFACTS, PageProblems, screenshot
from playwright.sync_api import Page, expect

from candidates_support import make_candidate
from werkbrug.employers.models import Employer
from werkbrug.monitoring import services
from werkbrug.monitoring.models import Programme, Target
from werkbrug.placements.aftercare import add_months
from werkbrug.placements.models import Contract, Placement, PlacementKind, PlacementStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 40
#: The candidates of Wijchen who started paid work, with the work, and how many days ago.
STARTED = [
    ("Fatima", "El Amrani", "Orderpicker", 75),
    ("Joost", "de Vries", "Heftruckchauffeur", 40),
    ("Sanne", "Bakker", "Medewerker inpak", 12),
]


def pdf_text(body: bytes) -> str | None:
    """The text of the PDF (pdftotext), whitespace collapsed; None when it is missing."""
    if shutil.which("pdftotext") is None:
        return None
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


@pytest.fixture
def behind(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """The programme with Wijchen's K4 target, the placements, and the computed values."""
    today = timezone.localdate()
    own = regions["own"]
    region = own["region"]
    nijmegen, wijchen = own["municipalities"]
    rm = people["relatiemanager"].staff
    team_client = people["klantmanager"].staff  # in the team lead's team
    # A year from 1 January; early in the year (before April) from 1 July of last year, so
    # enough of the period has passed for the pace to mean something either way.
    jan1 = dt.date(today.year, 1, 1)
    start = jan1 if today.month >= 4 else add_months(jan1, -6)
    end = add_months(start, 12)
    programme = Programme.objects.create(
        region=region,
        name="Werkoffensief Rijk van Nijmegen",
        partner="Werkgeversservicepunt",
        start_on=start,
        end_on=end,
    )
    programme.municipalities.add(wijchen)
    target = Target.objects.create(
        programme=programme,
        kpi="K4",
        municipality=wijchen,
        start_on=start,
        end_on=end,
        value=Decimal(TARGET),
    )
    employer = Employer.objects.create(
        region=region, name="Logistiek Centrum Wijchen", municipality=wijchen, owner=rm
    )

    def place(candidate: Any, job_title: str, start_on: dt.date, **fields: Any) -> Placement:
        values: dict[str, Any] = {
            "region": region,
            "candidate": candidate,
            "employer": employer,
            "kind": PlacementKind.REGULAR,
            "contract": Contract.FIXED,
            "job_title": job_title,
            "hours_per_week": Decimal(24),
            "wage_pct_of_wml": Decimal(100),
            "start_on": start_on,
            "planned_end_on": add_months(start_on, 12),
            "status": PlacementStatus.RUNNING,
            "owner": rm,
        }
        return Placement.objects.create(**(values | fields))

    def person(first: str, last: str, municipality: Any) -> Any:
        return make_candidate(
            own,
            complete=False,
            municipality=municipality,
            client_manager=team_client,
            first_name=first,
            last_name=last,
        )

    # This year's placements (not before 1 January, not after today).
    placements = [
        place(person(first, last, wijchen), job, max(jan1, today - dt.timedelta(days=ago)))
        for first, last, job, ago in STARTED
    ]
    # Not on paid work: a work-experience place keeping the benefit, in Wijchen.
    place(
        person("Koen", "Willems", wijchen),
        "Werkervaring magazijn",
        max(jan1, today - dt.timedelta(days=20)),
        kind=PlacementKind.WORK_EXPERIENCE,
        contract=Contract.NONE,
        wage_pct_of_wml=None,
    )
    # Paid work, but in Nijmegen.
    place(person("Ilse", "Peters", nijmegen), "Chauffeur", max(jan1, today - dt.timedelta(days=30)))

    services.refresh(region_id=region.pk, today=today)
    return {"wijchen": wijchen, "target": target, "placements": placements, "today": today}


def test_a_team_lead_follows_a_target_falling_behind_to_the_council_report(
    page: Page, people: dict[str, Any], behind: dict[str, Any], log_in: Any, base_url: str
) -> None:
    wijchen, target, placements = behind["wijchen"], behind["target"], behind["placements"]
    year = str(behind["today"].year)
    problems = PageProblems().watch(page)
    log_in(page, people["teamleider"])

    # 1. "Results", filtered on Wijchen this year.
    dashboard = reverse("monitoring:dashboard")
    page.goto(f"{base_url}{dashboard}")
    expect(page.locator("[data-refreshed]")).to_be_visible()
    form = page.locator("form[data-dashboard-filter]")
    form.locator("select[name=gemeente]").select_option(str(wijchen.uuid))
    form.locator("select[name=jaar]").select_option(year)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{re.escape(dashboard)}\?.*gemeente={wijchen.uuid}"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["gemeente"] == [str(wijchen.uuid)] and query["jaar"] == [year], page.url
    expect(page.locator("h1")).to_contain_text(wijchen.name)

    # The target for Wijchen is behind, with the early warning in plain Dutch.
    row = page.locator(f"section[data-targets] tr[data-target='{target.uuid}']")
    expect(row).to_have_attribute("data-status", "achter")
    expect(row.locator("th")).to_contain_text("Plaatsingen op werk")
    expect(row).to_contain_text(wijchen.name)
    warning = row.locator("[data-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"Achter op schema: {len(placements)} gerealiseerd")
    expect(warning).to_contain_text("Bij dit tempo komt de realisatie op")
    # The indicator itself: three placements on paid work in Wijchen this year.
    k4 = page.locator("tr[data-kpi=K4]")
    expect(k4.locator("[data-value]")).to_have_text(str(len(placements)))
    screenshot(page, "monitoring-journey-dashboard.png")

    # 2. The indicator, still for Wijchen this year.
    k4.locator("th a").first.click()
    page.wait_for_url(re.compile(rf"/sturing/kpi/K4/\?.*gemeente={wijchen.uuid}"))
    expect(page.locator("h1")).to_contain_text("Plaatsingen op werk")
    expect(page.locator("select[name=gemeente]")).to_have_value(str(wijchen.uuid))
    screenshot(page, "monitoring-journey-kpi.png")

    # 3. The records behind the number: the three placements, not the others.
    page.locator("a[data-records-link]").click()
    records_url = re.compile(rf"/sturing/kpi/K4/dossiers/\?.*gemeente={wijchen.uuid}")
    page.wait_for_url(records_url)
    expect(page.locator("[data-total]")).to_have_attribute("data-total", str(len(placements)))
    rows = page.locator("table[data-records] tbody tr")
    expect(rows).to_have_count(len(placements))
    for placement in placements:
        href = reverse("placements:detail", kwargs={"uuid": placement.uuid})
        link = rows.locator(f"a[href='{href}']")
        expect(link).to_have_count(1)
        expect(link).to_contain_text(str(placement.candidate))
        expect(link).to_contain_text(placement.job_title)
        expect(link).to_contain_text(placement.employer.name)
    expect(page.locator("table[data-records]")).not_to_contain_text("Koen Willems")
    expect(page.locator("table[data-records]")).not_to_contain_text("Ilse Peters")
    screenshot(page, "monitoring-journey-records.png")

    # Open one placement and come back.
    first = placements[0]
    rows.locator(f"a[href='{reverse('placements:detail', kwargs={'uuid': first.uuid})}']").click()
    page.wait_for_url(f"{base_url}{reverse('placements:detail', kwargs={'uuid': first.uuid})}")
    expect(page.locator("h1")).to_contain_text(str(first.candidate))
    expect(page.locator("h1")).to_contain_text(first.employer.name)
    screenshot(page, "monitoring-journey-placement.png")
    page.go_back()
    page.wait_for_url(records_url)
    expect(rows).to_have_count(len(placements))

    # 4. Back through the breadcrumbs (the indicator, then "Results", still for Wijchen) to
    #    the council report, which takes the municipality along.
    report = reverse("monitoring:report")
    page.locator("main .breadcrumb a").click()
    page.wait_for_url(re.compile(rf"/sturing/kpi/K4/\?.*gemeente={wijchen.uuid}"))
    page.locator("main .breadcrumb a").click()
    page.wait_for_url(re.compile(rf"{re.escape(dashboard)}\?.*gemeente={wijchen.uuid}"))
    page.locator("main a[data-report-link]").click()
    page.wait_for_url(re.compile(rf"{re.escape(report)}\?.*gemeente={wijchen.uuid}"))
    form = page.locator("form[data-report-form]")
    expect(form.locator("select[name=gemeente]")).to_have_value(str(wijchen.uuid))
    summary = page.locator("ul[data-summary] li")
    expect(summary.first).to_be_visible()
    sentences = summary.all_inner_texts()
    pct = f"{Decimal(len(placements) * 100) / TARGET:.1f}".replace(".", ",")
    assert (
        f"Plaatsingen op werk in {wijchen.name}: {len(placements)} van {TARGET} ({pct} %)."
        in sentences
    ), sentences
    assert any("loopt achter" in sentence for sentence in sentences), sentences
    screenshot(page, "monitoring-journey-report.png")

    # "Download as PDF".
    with page.expect_download() as download_info:
        page.locator("a[data-download-pdf]").click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    name = download.suggested_filename
    assert name.endswith(".pdf") and "wijchen" in name, name
    body = Path(download.path()).read_bytes()
    download.save_as(ARTIFACTS / "monitoring-journey-report.pdf")  # kept with the screenshots
    assert body.startswith(b"%PDF"), body[:20]
    text = pdf_text(body)
    if text is not None:
        assert wijchen.name in text, text
        assert "Plaatsingen op werk" in text, text

    assert not problems.all(), problems.all()  # no script errors, CSP violations or 4xx/5xx
