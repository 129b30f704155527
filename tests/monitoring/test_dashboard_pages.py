"""The steering pages: the dashboard ``/sturing/`` for the region, a municipality, a team
and a staff member, and the page of one KPI ``/sturing/kpi/<code>/``.

The numbers come from ``KpiValue`` rows written by hand (``steering_support.kv``), so every
figure on the page is known: 2024 against 2023, with values in 2022 and 2025 that must not
count. One test builds records and runs ``services.refresh`` to show the whole road from a
placement to the dashboard. Who may see the pages, that another region's figures never
appear, and that the dashboard's number of queries does not grow with the programmes or
with the years of stored values."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from steering_support import (
    MUNICIPALITY,
    STAFF,
    TEAM,
    headline,
    kpi_row,
    kpi_row_head,
    kv,
    place,
    table_rows,
    text,
)
from werkbrug.monitoring import services
from werkbrug.monitoring.models import Observation, Programme, Target
from werkbrug.placements.models import PlacementKind

pytestmark = pytest.mark.django_db

D = dt.date
DASHBOARD = "/sturing/"
YEAR = "2024"


def kpi_url(code: str) -> str:
    return reverse("monitoring:kpi", kwargs={"code": code})


@pytest.fixture
def own(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    place_ = regions["own"]
    nijmegen, wijchen = place_["municipalities"]
    return {
        "region": place_["region"],
        "nijmegen": nijmegen,
        "wijchen": wijchen,
        "team": place_["team"],
        "staff": people["relatiemanager"].staff,
    }


@pytest.fixture
def figures(own: dict[str, Any], regions: dict[str, Any]) -> dict[str, Any]:
    """The stored values (the arithmetic is in the comments):

    - K4 placements, region: March 2024 3 + July 2024 4 = 7; May 2023 5; 2022 9 and
      January 2025 50 lie outside both years. Parts 2024: 5 regular jobs, 2 secondments.
      Nijmegen 2 (2024) against 1 (2023); Wijchen 5 (2024); the team 6, the relationship
      manager 1 (2024).
    - K1 new employers, region: 6 in 2024 against 10 in 2023 (a fall of 4).
    - C2 candidates in service (a stock): 5, 6, 7, 9, 8, 10 in January to June 2024, 12 in
      November and 11 in December; 30 in June 2023 and 8 in December 2023. The year's value
      is December's: 11 against 8.
    - D1-6 still working after 6 months (a share): 3 of 4 in April and 2 of 4 in September
      2024 = 5 of 8 = 62,5 %; 1 of 2 = 50 % in 2023. Nijmegen 1 of 2 in 2024.
    - R1 returns by reason: 2 "temporarily not placeable" in 2024.
    - The other region: 4321 placements everywhere, in the same months."""
    region, n, w = own["region"], own["nijmegen"].pk, own["wijchen"].pk
    for period, amount in (
        (D(2024, 3, 1), 3),
        (D(2024, 7, 1), 4),
        (D(2023, 5, 1), 5),
        (D(2022, 5, 1), 9),
        (D(2025, 1, 1), 50),
    ):
        kv(region, "K4", period, amount)
    kv(region, "K4", D(2024, 3, 1), 3, part="regulier_werk")
    kv(region, "K4", D(2024, 7, 1), 2, part="regulier_werk")
    kv(region, "K4", D(2024, 7, 1), 2, part="detachering")
    kv(region, "K4", D(2024, 3, 1), 2, dimension=MUNICIPALITY, member=n)
    kv(region, "K4", D(2023, 5, 1), 1, dimension=MUNICIPALITY, member=n)
    kv(region, "K4", D(2024, 7, 1), 5, dimension=MUNICIPALITY, member=w)
    kv(region, "K4", D(2024, 3, 1), 6, dimension=TEAM, member=own["team"].pk)
    kv(region, "K4", D(2024, 7, 1), 1, dimension=STAFF, member=own["staff"].pk)
    kv(region, "K1", D(2024, 2, 1), 6)
    kv(region, "K1", D(2023, 2, 1), 10)
    for month, amount in ((1, 5), (2, 6), (3, 7), (4, 9), (5, 8), (6, 10), (11, 12), (12, 11)):
        kv(region, "C2", D(2024, month, 1), amount)
    kv(region, "C2", D(2023, 6, 1), 30)
    kv(region, "C2", D(2023, 12, 1), 8)
    kv(region, "D1-6", D(2024, 4, 1), 3, 4)
    kv(region, "D1-6", D(2024, 9, 1), 2, 4)
    kv(region, "D1-6", D(2023, 4, 1), 1, 2)
    kv(region, "D1-6", D(2024, 4, 1), 1, 2, dimension=MUNICIPALITY, member=n)
    kv(region, "R1", D(2024, 5, 1), 2)
    kv(region, "R1", D(2024, 5, 1), 2, part="tijdelijk_niet_plaatsbaar")
    zaa = regions["other"]
    for period in (D(2024, 3, 1), D(2023, 5, 1)):
        kv(zaa["region"], "K4", period, 4321)
        kv(zaa["region"], "K4", period, 4321, dimension=MUNICIPALITY, member=n)
        kv(
            zaa["region"],
            "K4",
            period,
            4321,
            dimension=MUNICIPALITY,
            member=zaa["municipalities"][0].pk,
        )
    return own


@pytest.fixture
def lead(login_en: Any, people: dict[str, Any]) -> Any:
    return login_en(people["teamleider"])


# --- The dashboard --------------------------------------------------------------------------------


def test_the_region_against_last_year(lead, figures):
    """The whole region in 2024: a count is summed over the months of the year, a stock is
    its last month, a share is hits over cases; each beside the same months of 2023 and
    the difference (a fall with a real minus sign)."""
    response = lead.get(DASHBOARD, {"jaar": YEAR})
    assert response.status_code == 200
    assert "Results of the region, 2024" in text(response)
    assert kpi_row(response, "K4") == ["7", "5", "+2"]
    assert kpi_row(response, "K1") == ["6", "10", "−4"]
    assert kpi_row(response, "C2") == ["11", "8", "+3"]
    assert kpi_row(response, "D1-6") == ["62,5 %", "50 %", "+12,5 %"]
    # A KPI without any value: zero for a count, a dash for a share.
    assert kpi_row(response, "M1") == ["0", "0", "="]
    assert kpi_row(response, "M2") == ["–", "–", "–"]
    # The headline tiles show the same figures with last year's.
    assert headline(response, "K4") == ("7", "same months last year: 5")
    assert headline(response, "C2") == ("11", "same months last year: 8")
    assert headline(response, "D1-6") == ("62,5 %", "same months last year: 50 %")


def test_the_region_compares_its_municipalities_and_months(lead, figures):
    response = lead.get(DASHBOARD, {"jaar": YEAR})
    comparisons = {c["kpi"].code: dict(c["rows"]) for c in response.context["comparisons"]}
    assert comparisons["K4"] == {"Nijmegen": "2", "Wijchen": "5"}
    assert comparisons["D1-6"] == {"Nijmegen": "50 %", "Wijchen": "–"}
    # Placements per month, 2024 against 2023.
    monthly = {label: (now, before) for label, now, before in response.context["monthly"]["rows"]}
    assert len(monthly) == 12
    assert monthly["mrt"] == ("3", "0") and monthly["mei"] == ("0", "5")
    assert monthly["jul"] == ("4", "0") and monthly["jan"] == ("0", "0")
    assert ["mrt", "3", "0"] in table_rows(response, "data-monthly")


@pytest.mark.parametrize(
    ("cell", "name", "k4"),
    [
        ("gemeente", "Nijmegen", ["2", "1", "+1"]),
        ("team", "Bedrijfsdienstverlening (Werkbedrijf RVN)", ["6", "0", "+6"]),
        ("medewerker", "Relatiemanager Test", ["1", "0", "+1"]),
    ],
)
def test_one_cell(lead, figures, cell, name, k4):
    """A municipality, a team or a staff member: that cell's own values, nobody else's; no
    municipalities side by side (that is the region's view)."""
    uuid = {
        "gemeente": figures["nijmegen"].uuid,
        "team": figures["team"].uuid,
        "medewerker": figures["staff"].uuid,
    }[cell]
    response = lead.get(DASHBOARD, {cell: str(uuid), "jaar": YEAR})
    assert response.status_code == 200
    assert f"Results of {name}, 2024" in text(response)
    assert kpi_row(response, "K4") == k4
    assert headline(response, "K4")[0] == k4[0]
    # Nothing of the region's other values leaks into the cell.
    assert kpi_row(response, "C2") == ["0", "0", "="]
    assert response.context["comparisons"] == []
    assert "Municipalities compared" not in text(response)


def test_a_share_in_one_municipality(lead, figures):
    response = lead.get(DASHBOARD, {"gemeente": str(figures["nijmegen"].uuid), "jaar": YEAR})
    assert kpi_row(response, "D1-6") == ["50 %", "–", "–"]


def test_two_cells_at_once_is_an_error_not_a_server_error(lead, login, people, figures):
    query = {
        "gemeente": str(figures["nijmegen"].uuid),
        "team": str(figures["team"].uuid),
        "jaar": YEAR,
    }
    response = lead.get(DASHBOARD, query)
    assert response.status_code == 200
    assert "Choose a municipality, a team or a staff member: one of them at a time." in text(
        response
    )
    assert response.context["form"].non_field_errors()
    # The same in the Dutch interface: the page, the error in an alert, no server error.
    dutch = login(people["teamleider"]).get(DASHBOARD, query)
    assert dutch.status_code == 200
    assert 'role="alert"' in dutch.content.decode()
    assert dutch.context["form"].non_field_errors()


def test_an_unknown_cell_or_year_is_named_by_its_field(lead, figures):
    response = lead.get(DASHBOARD, {"gemeente": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 200
    assert "gemeente" in response.context["form"].errors
    response = lead.get(DASHBOARD, {"jaar": "1999"})
    assert response.status_code == 200
    assert "jaar" in response.context["form"].errors


def test_another_regions_municipality_cannot_be_chosen(lead, figures, regions):
    zaanstad = regions["other"]["municipalities"][0]
    response = lead.get(DASHBOARD, {"gemeente": str(zaanstad.uuid), "jaar": YEAR})
    assert response.status_code == 200
    assert "gemeente" in response.context["form"].errors
    assert "4.321" not in text(response)


def test_another_regions_figures_never_appear(lead, figures, login_en, people):
    """The other region stored 4321 placements in the same months, also under the member id
    of Nijmegen: none of it on the dashboard, the KPI page or the municipality's view;
    their administrator sees their own figures and none of ours."""
    for url, query in (
        (DASHBOARD, {"jaar": YEAR}),
        (DASHBOARD, {"jaar": YEAR, "gemeente": str(figures["nijmegen"].uuid)}),
        (kpi_url("K4"), {"jaar": YEAR, "indeling": "jaar"}),
    ):
        page = text(lead.get(url, query))
        assert "4.321" not in page and "Zaanstad" not in page
    theirs = login_en(people["other_region_admin"]).get(DASHBOARD, {"jaar": YEAR})
    assert kpi_row(theirs, "K4") == ["4.321", "4.321", "="]
    assert "Nijmegen" not in text(theirs)


def test_the_trend_break_of_a_redefined_kpi_is_marked(lead, figures):
    """K6 was redefined on 1 January 2020: the 2020 dashboard (against 2019) marks it, the
    2024 dashboard does not."""
    response = lead.get(DASHBOARD, {"jaar": "2020"})
    assert "trend break" in kpi_row_head(response, "K6")
    response = lead.get(DASHBOARD, {"jaar": YEAR})
    assert "trend break" not in kpi_row_head(response, "K6")


def test_from_records_to_the_dashboard(lead, world, people):
    """Placements recorded and the values refreshed: the dashboard counts the paid ones of
    2025 in the candidate's municipality (a work-experience place is no K4 placement)."""
    region = world["place"]["region"]
    nijmegen, wijchen = world["place"]["municipalities"]
    world["cashier"].municipality = wijchen
    world["cashier"].save()
    rm, employer = world["rm"], world["employer"]
    place(region, world["good"], employer, rm, start_on=D(2025, 3, 3))
    place(region, world["far"], employer, rm, start_on=D(2025, 9, 1))
    place(region, world["cashier"], employer, rm, start_on=D(2025, 5, 5))
    place(region, world["good"], employer, rm, start_on=D(2024, 5, 6))
    place(
        region,
        world["far"],
        employer,
        rm,
        start_on=D(2025, 2, 3),
        kind=PlacementKind.WORK_EXPERIENCE,
        contract="geen",
        wage_pct_of_wml=None,
    )
    services.refresh(region_id=region.pk, today=timezone.localdate())
    response = lead.get(DASHBOARD, {"jaar": "2025"})
    assert kpi_row(response, "K4") == ["3", "1", "+2"]
    assert kpi_row(response, "K3") == ["1", "0", "+1"]
    assert dict(response.context["comparisons"][1]["rows"]) == {"Nijmegen": "2", "Wijchen": "1"}
    response = lead.get(DASHBOARD, {"jaar": "2025", "gemeente": str(wijchen.uuid)})
    assert kpi_row(response, "K4") == ["1", "0", "+1"]
    assert "Figures brought up to date on" in text(response)


def test_the_targets_of_the_programmes_running_that_year(lead, figures):
    """The region sees every target of the programmes running in the year; a municipality
    its own targets and the programme-wide ones, and a link to its own council report."""
    own = figures
    werktop = programme(own, "Werktop Nijmegen")  # K4 Nijmegen 10, K1 whole programme 40
    Target.objects.create(
        programme=werktop,
        kpi="K4",
        municipality=own["wijchen"],
        start_on=werktop.start_on,
        end_on=werktop.end_on,
        value=Decimal(4),
    )
    Programme.objects.create(
        region=own["region"], name="Oud programma", start_on=D(2019, 1, 1), end_on=D(2020, 1, 1)
    )
    response = lead.get(DASHBOARD, {"jaar": YEAR})
    (shown,) = response.context["programmes"]
    assert shown["programme"] == werktop
    rows = {(t["row"].target.kpi, str(t["row"].target.municipality)): t for t in shown["rows"]}
    # Nijmegen: 2 of 10 (not achieved); Wijchen: 5 of 4 (achieved); the whole programme:
    # 6 new employers of 40 (the region's K1 is not stored per municipality: 0).
    assert (rows[("K4", "Nijmegen")]["realised"], rows[("K4", "Nijmegen")]["pct"]) == ("2", "20 %")
    assert rows[("K4", "Wijchen")]["label"] == "Achieved"
    assert rows[("K1", "None")]["target"] == "40"
    assert "Oud programma" not in text(response)
    response = lead.get(DASHBOARD, {"jaar": YEAR, "gemeente": str(own["nijmegen"].uuid)})
    (shown,) = response.context["programmes"]
    assert sorted(
        (t["row"].target.kpi, str(t["row"].target.municipality)) for t in shown["rows"]
    ) == [
        ("K1", "None"),
        ("K4", "Nijmegen"),
    ]
    html = response.content.decode()
    report = (
        f"/sturing/rapport/?gemeente={own['nijmegen'].uuid}&amp;van=2024-01-01&amp;tot=2024-12-31"
    )
    assert f'href="{report}"' in html


def test_the_report_link_of_a_past_year_is_that_years_report(lead, figures):
    response = lead.get(DASHBOARD, {"jaar": YEAR, "gemeente": str(figures["nijmegen"].uuid)})
    link = re.search(r'href="([^"]*)" data-report-link', response.content.decode()).group(1)
    report = lead.get(html_lib.unescape(link)).context["report"]
    assert report.title == "Resultaten Nijmegen, 2024"


# --- One KPI --------------------------------------------------------------------------------------


def points(response: Any) -> dict[str, str]:
    return dict(response.context["points"])


def test_an_unknown_kpi_is_not_found(lead, figures):
    assert lead.get(kpi_url("K99")).status_code == 404
    assert lead.get(reverse("monitoring:kpi_records", kwargs={"code": "K99"})).status_code == 404


def test_the_trend_per_month(lead, figures):
    response = lead.get(kpi_url("K4"), {"jaar": YEAR, "indeling": "maand"})
    assert response.status_code == 200
    trend = points(response)
    assert list(trend)[0] == "jan 2024" and list(trend)[-1] == "dec 2024"
    assert len(trend) == 12
    assert trend["mrt 2024"] == "3" and trend["jul 2024"] == "4" and trend["feb 2024"] == "0"
    assert ["mrt 2024", "3"] in table_rows(response, "data-trend")


def test_the_trend_per_quarter_and_year(lead, figures):
    """Per quarter and per year the trend covers five years; a count is summed, a stock is
    the last month of the quarter or year."""
    trend = points(lead.get(kpi_url("K4"), {"jaar": YEAR, "indeling": "kwartaal"}))
    assert list(trend)[0] == "K1 2020" and list(trend)[-1] == "K4 2024"
    assert trend["K1 2024"] == "3" and trend["K3 2024"] == "4" and trend["K2 2023"] == "5"
    assert trend["K2 2022"] == "9" and trend["K4 2024"] == "0"
    trend = points(lead.get(kpi_url("K4"), {"jaar": YEAR, "indeling": "jaar"}))
    assert trend == {"2020": "0", "2021": "0", "2022": "9", "2023": "5", "2024": "7"}
    # C2: March (7), June (10), nothing in September (0), December (11).
    trend = points(lead.get(kpi_url("C2"), {"jaar": YEAR, "indeling": "kwartaal"}))
    assert [trend[f"K{q} 2024"] for q in (1, 2, 3, 4)] == ["7", "10", "0", "11"]
    assert trend["K2 2023"] == "30" and trend["K4 2023"] == "8"
    trend = points(lead.get(kpi_url("C2"), {"jaar": YEAR, "indeling": "jaar"}))
    assert trend["2023"] == "8" and trend["2024"] == "11"
    # A share per quarter: hits over cases of the quarter.
    trend = points(lead.get(kpi_url("D1-6"), {"jaar": YEAR, "indeling": "kwartaal"}))
    assert trend["K2 2024"] == "75 %" and trend["K3 2024"] == "50 %" and trend["K1 2024"] == "–"


def test_the_kpi_page_per_municipality_and_its_parts(lead, login, people, figures):
    response = lead.get(kpi_url("K4"), {"jaar": YEAR})
    assert response.context["municipalities"] == [("Nijmegen", "2"), ("Wijchen", "5")]
    assert ["Nijmegen", "2"] in table_rows(response, "data-municipalities")
    dutch = login(people["teamleider"]).get(kpi_url("K4"), {"jaar": YEAR})
    assert dutch.context["parts"] == [("Detachering", "2"), ("Regulier werk", "5")]
    assert ["Regulier werk", "5"] in table_rows(dutch, "data-parts")
    # Returns by reason: the reasons as the WerkBedrijf report prints them (Dutch codes).
    response = lead.get(kpi_url("R1"), {"jaar": YEAR})
    assert response.context["parts"] == [("Kandidaat is tijdelijk niet plaatsbaar", "2")]
    # A share with no value in Wijchen.
    response = lead.get(kpi_url("D1-6"), {"jaar": YEAR})
    assert response.context["municipalities"] == [("Nijmegen", "50 %"), ("Wijchen", "–")]
    assert "data-parts" not in response.content.decode()


def test_the_kpi_page_of_one_cell(lead, figures):
    response = lead.get(
        kpi_url("K4"),
        {"jaar": YEAR, "indeling": "jaar", "gemeente": str(figures["nijmegen"].uuid)},
    )
    assert points(response)["2024"] == "2" and points(response)["2023"] == "1"
    assert "Nijmegen" in text(response)
    # The link to the records keeps the cell and the year.
    html = response.content.decode()
    assert "/sturing/kpi/K4/dossiers/?jaar=2024&amp;indeling=jaar&amp;gemeente=" in html


def test_figures_from_outside_are_listed_with_their_source(lead, figures, regions):
    own_region = figures["region"]
    Observation.objects.create(
        region=own_region,
        kpi="K4",
        municipality=figures["nijmegen"],
        start_on=D(2015, 1, 1),
        end_on=D(2016, 1, 1),
        value=Decimal(120),
        source="Jaarverslag Werkbedrijf 2015, tabel 3",
        imported_from="jaarverslag-2015.csv",
    )
    Observation.objects.create(
        region=own_region,
        kpi="K4",
        area="Regio Arnhem",
        start_on=D(2024, 1, 1),
        end_on=D(2025, 1, 1),
        value=Decimal("95.5"),
        source="Divosa benchmark 2024",
        trend_break=True,
    )
    Observation.objects.create(
        region=own_region,
        kpi="K1",
        area="Regio Twente",
        start_on=D(2024, 1, 1),
        end_on=D(2025, 1, 1),
        value=Decimal(44),
        source="Een bron over K1",
    )
    Observation.objects.create(
        region=regions["other"]["region"],
        kpi="K4",
        area="Zaanstreek",
        start_on=D(2024, 1, 1),
        end_on=D(2025, 1, 1),
        value=Decimal(77),
        source="Zaans jaarverslag",
    )
    response = lead.get(kpi_url("K4"), {"jaar": YEAR})
    rows = table_rows(response, "data-observations")
    assert rows[1:] == [
        # The period to its last day; the value in the interface's notation.
        ["Regio Arnhem trend break", "01-01-2024 – 31-12-2024", "95,5", "Divosa benchmark 2024"],
        [
            "Nijmegen",
            "01-01-2015 – 31-12-2015",
            "120",
            "Jaarverslag Werkbedrijf 2015, tabel 3",
        ],
    ]
    page = text(response)
    assert "Zaans jaarverslag" not in page and "Een bron over K1" not in page


def test_both_versions_of_a_redefined_kpi_with_the_trend_break_note(lead, figures):
    response = lead.get(kpi_url("K6"), {"jaar": "2020"})
    assert response.status_code == 200
    page = text(response)
    assert "Definitions over time" in page
    assert "Version 1: until 01-01-2020" in page and "Version 2: from 01-01-2020" in page
    assert "figures before and after the change are not comparable (a trend break)" in page
    assert "met een contact, een werkgelegenheid of een plaatsing in het jaar" in page
    assert "waar in het jaar ten minste één kandidaat is geplaatst" in page
    # The version the page measures is the one valid in the chosen year.
    assert response.context["kpi"].version == 2
    assert lead.get(kpi_url("K6"), {"jaar": "2019"}).context["kpi"].version == 1
    # A KPI with one definition has no such section.
    assert "Definitions over time" not in text(lead.get(kpi_url("K4"), {"jaar": YEAR}))


# --- Who may see it -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["onderzoeker", "beheerder", "teamleider", "uwv_partner"])
def test_researchers_administrators_and_staff_may_view(login_en, people, figures, role):
    client = login_en(people[role])
    for url in (DASHBOARD, kpi_url("K4"), "/sturing/index/", "/sturing/rapport/"):
        assert client.get(url, {"jaar": YEAR} if "kpi" in url else {}).status_code == 200, url


@pytest.mark.parametrize("role", ["werkgever", "kandidaat"])
def test_employers_and_candidates_may_not(login_en, people, figures, role):
    client = login_en(people[role])
    for url in (DASHBOARD, kpi_url("K4"), "/sturing/kpi/K4/dossiers/", "/sturing/index/"):
        assert client.get(url).status_code == 403, url
    for url in ("/sturing/rapport/", "/sturing/rapport.pdf", "/sturing/rapport.xlsx"):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login(client, figures):
    for url in (DASHBOARD, kpi_url("K4"), "/sturing/kpi/K4/dossiers/", "/sturing/index/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/inloggen/?next=")
        assert "7" not in text(response)


# --- Bounded queries ------------------------------------------------------------------------------


def programme(own: dict[str, Any], name: str) -> Programme:
    created = Programme.objects.create(
        region=own["region"], name=name, start_on=D(2024, 1, 1), end_on=D(2025, 1, 1)
    )
    created.municipalities.set([own["nijmegen"], own["wijchen"]])
    for kpi, municipality, value in (("K4", own["nijmegen"], 10), ("K1", None, 40)):
        Target.objects.create(
            programme=created,
            kpi=kpi,
            municipality=municipality,
            start_on=created.start_on,
            end_on=created.end_on,
            value=Decimal(value),
        )
    return created


def count_queries(client: Any, url: str, query: dict[str, str]) -> int:
    assert client.get(url, query).status_code == 200  # warm: sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def test_the_dashboard_queries_do_not_grow_with_the_programmes(lead, figures):
    programme(figures, "Werktop Nijmegen")
    one = count_queries(lead, DASHBOARD, {"jaar": YEAR})
    programme(figures, "Werktop Wijchen")
    programme(figures, "Samen naar werk")
    assert len(lead.get(DASHBOARD, {"jaar": YEAR}).context["programmes"]) == 3
    assert count_queries(lead, DASHBOARD, {"jaar": YEAR}) == one


def test_the_dashboard_queries_do_not_grow_with_the_years_of_values(lead, figures):
    programme(figures, "Werktop Nijmegen")
    one = count_queries(lead, DASHBOARD, {"jaar": YEAR})
    for year in (2020, 2021, 2022, 2023, 2025):
        for month in (1, 6, 12):
            for code in ("K2", "K3", "W1", "M1"):
                kv(figures["region"], code, D(year, month, 1), month)
    assert count_queries(lead, DASHBOARD, {"jaar": YEAR}) == one
    assert one < 40  # a handful per page, never one per KPI or month


def test_the_kpi_page_queries_do_not_grow_with_the_years_of_values(lead, figures):
    query = {"jaar": YEAR, "indeling": "kwartaal"}
    one = count_queries(lead, kpi_url("K4"), query)
    for year in (2020, 2021, 2022, 2023):
        for month in range(1, 13):
            kv(
                figures["region"],
                "K4",
                D(year, month, 1),
                month,
                dimension=MUNICIPALITY,
                member=figures["wijchen"].pk,
            )
    assert count_queries(lead, kpi_url("K4"), query) == one


def test_the_kpi_page_and_the_index_download_their_tables_as_workbooks(lead, figures):
    """Every table of these pages as a workbook, numbers as numbers."""
    import io

    from openpyxl import load_workbook

    response = lead.get("/sturing/kpi/K4/", {"jaar": YEAR, "formaat": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="K4-{YEAR}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Verloop", f"Per gemeente {YEAR}", f"Uitgesplitst {YEAR}"]
    values = [row[1] for row in book["Verloop"].iter_rows(min_row=2, values_only=True)]
    assert values and all(v is None or isinstance(v, int | float) for v in values)
    index = lead.get(
        "/sturing/index/",
        {
            "indicator": "K4",
            "basisjaar": YEAR,
            "van": int(YEAR) - 1,
            "tot": YEAR,
            "formaat": "xlsx",
        },
    )
    assert index.status_code == 200
    sheets = load_workbook(io.BytesIO(index.content)).sheetnames
    assert sheets[:2] == [f"Index {YEAR}=100", "Aantallen"]
