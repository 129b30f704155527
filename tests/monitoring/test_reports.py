"""The council report: ``reports.council_report`` for the region and one municipality (the
figures, the targets of that municipality only, a summary written from the numbers), the PDF
and the workbook, the page ``/sturing/rapport/`` with its downloads, subscribing to it, the
monthly mailing (``report_services.queue_monthly`` and the task) and the two commands.

The figures are ``KpiValue`` rows written by hand (``steering_support.kv``); the report is
2024 against 2023, made on 1 March 2025 (every 2024 target is over):

- K4 placements: region 20 (March) + 10 (July) = 30 against 20 (May 2023): +50 %, a notable
  rise on enough cases. Nijmegen 12, Wijchen 18.
- K1 new employers: 5 (Wijchen) against 2: +150 %, but on fewer than 20 cases: not notable.
- C2 in service (a stock): 100 in December against 95: +5 %, not notable.
- D1-6 still working after 6 months: 30 of 40 = 75 % against 20 of 40 = 50 %: notable.
- K3 work-experience places: 2 in Wijchen.

Targets: "Werkbedrijf 2024" (Nijmegen and Wijchen): K4 Nijmegen 10 (12: achieved), K1 Wijchen
40 (5: not achieved, 12,5 %), K4 for the whole programme 30 (12 + 18: achieved). "Werktop
Wijchen" (Wijchen only): K3 Wijchen 2 (2: achieved)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from steering_support import MUNICIPALITY, kv, pdf_info, pdf_text, text
from werkbrug.accounts import services as account_services
from werkbrug.core.access import actor_for
from werkbrug.monitoring import report_services, reports
from werkbrug.monitoring.models import KpiRefresh, KpiValue, Programme, ReportSubscription, Target
from werkbrug.monitoring.report_pdf import report_pdf
from werkbrug.monitoring.report_xlsx import report_xlsx

pytestmark = pytest.mark.django_db

D = dt.date
START, END, MADE = D(2024, 1, 1), D(2025, 1, 1), D(2025, 3, 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = "/sturing/rapport/"
PERIOD = {"van": "2024-01-01", "tot": "2024-12-31"}


def programme(region: Any, name: str, municipalities: list[Any], **fields: Any) -> Programme:
    created = Programme.objects.create(
        region=region,
        name=name,
        start_on=fields.pop("start_on", START),
        end_on=fields.pop("end_on", END),
        **fields,
    )
    created.municipalities.set(municipalities)
    return created


def target(programme_: Programme, kpi: str, value: int, municipality: Any = None) -> Target:
    return Target.objects.create(
        programme=programme_,
        kpi=kpi,
        municipality=municipality,
        start_on=programme_.start_on,
        end_on=programme_.end_on,
        value=Decimal(value),
    )


@pytest.fixture
def council(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    own = regions["own"]
    region = own["region"]
    nijmegen, wijchen = own["municipalities"]
    n, w = (
        {"dimension": MUNICIPALITY, "member": nijmegen.pk},
        {
            "dimension": MUNICIPALITY,
            "member": wijchen.pk,
        },
    )
    kv(region, "K4", D(2024, 3, 1), 20)
    kv(region, "K4", D(2024, 7, 1), 10)
    kv(region, "K4", D(2023, 5, 1), 20)
    kv(region, "K4", D(2024, 3, 1), 12, **n)
    kv(region, "K4", D(2023, 5, 1), 12, **n)
    kv(region, "K4", D(2024, 7, 1), 18, **w)
    kv(region, "K1", D(2024, 2, 1), 5)
    kv(region, "K1", D(2024, 2, 1), 5, **w)
    kv(region, "K1", D(2023, 2, 1), 2)
    kv(region, "C2", D(2024, 12, 1), 100)
    kv(region, "C2", D(2023, 12, 1), 95)
    kv(region, "D1-6", D(2024, 4, 1), 30, 40)
    kv(region, "D1-6", D(2023, 4, 1), 20, 40)
    kv(region, "K3", D(2024, 6, 1), 2)
    kv(region, "K3", D(2024, 6, 1), 2, **w)
    # The other region: large numbers under the same member ids; never in our report.
    zaa = regions["other"]["region"]
    kv(zaa, "K4", D(2024, 3, 1), 4321)
    kv(zaa, "K4", D(2024, 3, 1), 4321, **n)
    both = programme(region, "Werkbedrijf 2024", [nijmegen, wijchen])
    target(both, "K4", 10, nijmegen)
    target(both, "K1", 40, wijchen)
    target(both, "K4", 30)
    werktop = programme(region, "Werktop Wijchen", [wijchen])
    target(werktop, "K3", 2, wijchen)
    programme(zaa, "Zaans programma", regions["other"]["municipalities"])
    return {
        "region": region,
        "nijmegen": nijmegen,
        "wijchen": wijchen,
        "lead": actor_for(people["teamleider"]),
    }


def report_of(council: dict[str, Any], municipality: Any = None, **kwargs: Any):
    return reports.council_report(
        council["lead"],
        municipality=municipality,
        start=kwargs.pop("start", START),
        end=kwargs.pop("end", END),
        today=kwargs.pop("today", MADE),
    )


def row(report: reports.CouncilReport, code: str) -> reports.ReportRow:
    return next(r for _theme, rows in report.themes for r in rows if r.code == code)


# --- What the report holds ------------------------------------------------------------------------


def test_the_region_report(council):
    report = report_of(council)
    assert report.title == "Resultaten Regio RVN, 2024"
    assert (report.period, report.previous_period) == ("2024", "2023")
    assert report.file_stem == "raadsrapportage-regio-rvn-202401-202412"
    assert [theme for theme, _rows in report.themes] == [
        "Werkgevers",
        "Kandidaten",
        "Bijeenkomsten",
        "Plaatsingen",
        "Duurzaamheid",
    ]
    k4 = row(report, "K4")
    assert (k4.value, k4.previous, k4.shown, k4.change) == (30, 20, "30", "+10")
    assert (row(report, "C2").value, row(report, "C2").previous) == (100, 95)
    assert row(report, "D1-6").shown == "75 %" and not row(report, "D1-6").small
    assert [
        (t.programme, t.kpi, t.municipality, t.target, t.realised, t.pct, t.status)
        for t in report.targets
    ] == [
        (
            "Werkbedrijf 2024",
            "Nieuwe werkgeverscontacten",
            "Wijchen",
            "40",
            "5",
            "12,5 %",
            "niet_behaald",
        ),
        ("Werkbedrijf 2024", "Plaatsingen op werk", "Alle", "30", "30", "100 %", "behaald"),
        ("Werkbedrijf 2024", "Plaatsingen op werk", "Nijmegen", "10", "12", "120 %", "behaald"),
        ("Werktop Wijchen", "Werkervaringsplaatsen", "Wijchen", "2", "2", "100 %", "behaald"),
    ]
    assert [t.status_nl for t in report.targets] == [
        "Niet behaald",
        "Behaald",
        "Behaald",
        "Behaald",
    ]
    # Placements per month, 2024 against 2023; K1 per municipality.
    months = {label: (now, before) for label, now, before in report.monthly_values}
    assert months["mrt"] == (20, 0) and months["mei"] == (0, 20) and months["jul"] == (10, 0)
    assert report.monthly_years == (2024, 2023)
    assert report.comparison_title == "Nieuwe werkgeverscontacten per gemeente"
    # A municipality without any value in the year: no figure (shown as "–"), not 0.
    assert report.comparison_values == [("Nijmegen", None), ("Wijchen", 5)]
    assert report.comparison_rows == [("Nijmegen", "–"), ("Wijchen", "5")]


def test_the_region_summary(council):
    """A sentence per notable change (a count in numbers, a share as higher/lower), one on
    the targets, one per target behind; a rise on few cases (K1: 2 → 5) or a small change
    (C2: +5 %) is not mentioned."""
    summary = report_of(council).summary
    assert summary == [
        "Na 6 maanden nog aan het werk: 75 %, hoger dan in 2023 (50 %).",
        "Plaatsingen op werk: 30, 10 meer dan in 2023 (20).",
        "Van de 4 doelen zijn er 3 behaald; 1 is niet behaald.",
        "Nieuwe werkgeverscontacten in Wijchen: 5 van 40 (12,5 %).",
    ]


def test_the_report_of_one_municipality(council):
    """Nijmegen: its own figures, only the programmes it takes part in, and of those only its
    own targets and the programme-wide ones; no comparison between municipalities."""
    report = report_of(council, council["nijmegen"])
    assert report.title == "Resultaten Nijmegen, 2024"
    assert report.file_stem == "raadsrapportage-nijmegen-202401-202412"
    assert (row(report, "K4").value, row(report, "K4").previous) == (12, 12)
    assert row(report, "K1").value == 0 and row(report, "C2").value == 0
    assert [(t.programme, t.kpi, t.municipality) for t in report.targets] == [
        ("Werkbedrijf 2024", "Plaatsingen op werk", "Alle"),
        ("Werkbedrijf 2024", "Plaatsingen op werk", "Nijmegen"),
    ]
    assert report.comparison_values == [] and report.comparison_svg == ""
    assert report.summary == [
        "Geen grote veranderingen ten opzichte van 2023: geen indicator met ten minste 20 "
        "gevallen veranderde 10 % of meer.",
        "Van de 2 doelen zijn er 2 behaald.",
    ]
    wijchen = report_of(council, council["wijchen"])
    assert [(t.programme, t.municipality) for t in wijchen.targets] == [
        ("Werkbedrijf 2024", "Wijchen"),
        ("Werkbedrijf 2024", "Alle"),
        ("Werktop Wijchen", "Wijchen"),
    ]
    assert "Van de 3 doelen zijn er 2 behaald; 1 is niet behaald." in wijchen.summary


def test_no_big_changes(regions, people):
    region = regions["own"]["region"]
    kv(region, "K4", D(2024, 3, 1), 20)
    kv(region, "K4", D(2023, 3, 1), 21)
    report = reports.council_report(
        actor_for(people["teamleider"]), municipality=None, start=START, end=END, today=MADE
    )
    assert report.summary == [
        "Geen grote veranderingen ten opzichte van 2023: geen indicator met ten minste 20 "
        "gevallen veranderde 10 % of meer."
    ]
    assert report.targets == []


def test_a_falling_count_and_a_target_behind(regions, people):
    """Half-way 2025: placements fell from 40 to 25 (15 fewer); the yearly target of 100 is
    behind at 25 (an early warning in the summary and in the PDF)."""
    own = regions["own"]
    region = own["region"]
    kv(region, "K4", D(2025, 2, 1), 25)
    kv(region, "K4", D(2025, 2, 1), 25, dimension=MUNICIPALITY, member=own["municipalities"][0].pk)
    kv(region, "K4", D(2024, 2, 1), 40)
    running = programme(
        region,
        "Werkbedrijf 2025",
        own["municipalities"],
        start_on=D(2025, 1, 1),
        end_on=D(2026, 1, 1),
    )
    target(running, "K4", 100)
    report = reports.council_report(
        actor_for(people["teamleider"]),
        municipality=None,
        start=D(2025, 1, 1),
        end=D(2025, 7, 1),
        today=D(2025, 7, 1),
    )
    assert report.period == "januari tot en met 30 juni 2025"
    assert report.summary == [
        "Plaatsingen op werk: 25, 15 minder dan in januari tot en met 30 juni 2024 (40).",
        "Het doel loopt achter.",
        "Plaatsingen op werk: 25 van 100 (25 %).",
    ]
    (behind,) = report.targets
    assert behind.status == "achter" and behind.warning
    assert behind.warning in pdf_text(report_pdf(report))


def test_small_numbers_are_named(regions, people):
    """A share on 4 cases: the summary says to read it with care, and the report rows say
    it is small."""
    region = regions["own"]["region"]
    kv(region, "D1-12", D(2024, 5, 1), 2, 4)
    report = reports.council_report(
        actor_for(people["teamleider"]), municipality=None, start=START, end=END, today=MADE
    )
    assert row(report, "D1-12").small and row(report, "D1-12").shown == "50 %"
    assert report.summary[-1] == (
        "Let op: kleine aantallen bij Na 12 maanden nog aan het werk; een percentage op "
        "weinig gevallen schommelt sterk."
    )
    assert "(kleine aantallen)" in pdf_text(report_pdf(report))


def test_a_share_on_few_cases_is_no_notable_change(regions, people):
    region = regions["own"]["region"]
    kv(region, "D1-12", D(2024, 5, 1), 2, 4)
    kv(region, "D1-12", D(2023, 5, 1), 1, 4)
    report = reports.council_report(
        actor_for(people["teamleider"]), municipality=None, start=START, end=END, today=MADE
    )
    assert not any(s.startswith("Na 12 maanden nog aan het werk:") for s in report.summary)


# --- The PDF and the workbook ---------------------------------------------------------------------


def test_the_pdf(council):
    KpiRefresh.objects.create(
        region=council["region"], refreshed_at=dt.datetime(2025, 2, 28, 23, tzinfo=dt.UTC)
    )
    body = report_pdf(report_of(council))
    assert body.startswith(b"%PDF")
    assert pdf_info(body)["Title"] == "Resultaten Regio RVN, 2024"
    content = pdf_text(body)
    assert "Resultaten Regio RVN, 2024" in content
    assert (
        "cijfers bijgewerkt op 1 maart 2025" in content
        or "cijfers bijgewerkt op 28 februari 2025" in content
    )
    assert "Samenvatting" in content and "Doelen" in content and "Definities" in content
    assert "Plaatsingen op werk: 30, 10 meer dan in 2023 (20)." in content
    # A target row and a theme row with the numbers computed in the module docstring.
    assert "Plaatsingen op werk Nijmegen 10 12 120 % Behaald" in content
    assert "Nieuwe werkgeverscontacten Wijchen 40 5 12,5 % Niet behaald" in content
    assert "Plaatsingen op werk (K4) 30 20 +10" in content
    assert "K4 Plaatsingen op werk (versie 1)" in content
    assert "4.321" not in content


def test_the_workbook(council):
    book = load_workbook(io.BytesIO(report_xlsx(report_of(council))))
    assert book.sheetnames == [
        "Samenvatting",
        "Doelen",
        "Werkgevers",
        "Kandidaten",
        "Bijeenkomsten",
        "Plaatsingen",
        "Duurzaamheid",
        "Per maand",
        "Per gemeente",
        "Definities",
    ]
    summary = book["Samenvatting"]
    assert summary["A1"].value == "Resultaten Regio RVN, 2024"
    assert "Plaatsingen op werk: 30, 10 meer dan in 2023 (20)." in [c.value for c in summary["A"]]
    sheet = book["Plaatsingen"]
    assert [c.value for c in sheet[1]][:5] == ["Code", "Indicator", "Eenheid", "2024", "2023"]
    k4 = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "K4")
    assert (k4[3].value, k4[4].value) == (30, 20)
    assert k4[3].data_type == "n" and k4[4].data_type == "n"
    d16 = next(r for r in book["Duurzaamheid"].iter_rows(min_row=2) if r[0].value == "D1-6")
    assert (d16[3].value, d16[4].value, d16[3].data_type) == (75, 50, "n")
    # A value that is missing stays empty, not "–".
    m2 = next(r for r in book["Bijeenkomsten"].iter_rows(min_row=2) if r[0].value == "M2")
    assert m2[3].value is None
    months = {r[0].value: (r[1].value, r[2].value) for r in book["Per maand"].iter_rows(min_row=2)}
    assert months["mrt"] == (20, 0) and months["mei"] == (0, 20)
    per = {r[0].value: r[1].value for r in book["Per gemeente"].iter_rows(min_row=2)}
    assert per == {"Nijmegen": None, "Wijchen": 5}
    definitions = {r[0].value: r for r in book["Definities"].iter_rows(min_row=2)}
    assert definitions["K4"][1].value == 1 and definitions["K4"][1].data_type == "n"
    assert definitions["K4"][2].value == "Plaatsingen op werk"
    assert book["Doelen"]["A2"].value == "Werkbedrijf 2024"


def test_the_workbook_targets_are_numbers(council):
    sheet = load_workbook(io.BytesIO(report_xlsx(report_of(council))))["Doelen"]
    first = [c for c in sheet[2]]
    assert [c.value for c in first[3:6]] == [40, 5, 12.5]
    assert {c.data_type for c in first[3:6]} == {"n"}


# --- The page and the downloads -------------------------------------------------------------------


@pytest.fixture
def lead_client(login_en: Any, people: dict[str, Any]) -> Any:
    return login_en(people["teamleider"])


def test_the_page_shows_the_summary_and_the_downloads(lead_client, council):
    response = lead_client.get(PAGE, PERIOD)
    assert response.status_code == 200
    page = text(response)
    assert "Resultaten Regio RVN, 2024" in page and "Compared with 2023." in page
    assert "Plaatsingen op werk: 30, 10 meer dan in 2023 (20)." in page
    html = response.content.decode()
    assert 'href="/sturing/rapport.pdf?van=2024-01-01&amp;tot=2024-12-31"' in html
    assert 'href="/sturing/rapport.xlsx?van=2024-01-01&amp;tot=2024-12-31"' in html


def test_the_downloads(lead_client, council):
    response = lead_client.get("/sturing/rapport.pdf", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="raadsrapportage-regio-rvn-202401-202412.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    response = lead_client.get(
        "/sturing/rapport.xlsx", PERIOD | {"gemeente": str(council["nijmegen"].uuid)}
    )
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="raadsrapportage-nijmegen-202401-202412.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book["Samenvatting"]["A1"].value == "Resultaten Nijmegen, 2024"
    assert lead_client.get("/sturing/rapport.docx", PERIOD).status_code == 404


def test_a_wrong_period_gives_the_page_with_the_error_and_no_file(lead_client, council):
    wrong = {"van": "2024-12-31", "tot": "2024-01-01"}
    response = lead_client.get(PAGE, wrong)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert list(response.context["form"].errors) == ["tot"]
    assert "The end lies before the start." in text(response)
    assert "data-download-pdf" not in response.content.decode()
    for fmt in ("pdf", "xlsx"):
        response = lead_client.get(f"/sturing/rapport.{fmt}", wrong, follow=True)
        assert response.redirect_chain == [(f"{PAGE}?van=2024-12-31&tot=2024-01-01", 302)]
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in response
        page = text(response)
        assert "The report was not made: check the period." in page
        assert "The end lies before the start." in page


def test_a_period_of_more_than_five_years_is_refused(lead_client, council):
    response = lead_client.get(PAGE, {"van": "2015-01-01", "tot": "2024-12-31"})
    assert response.context["report"] is None
    assert "Choose a period of at most five years." in text(response)


def test_a_period_up_to_28_february_of_a_leap_year(lead_client, council):
    response = lead_client.get(PAGE, {"van": "2024-01-01", "tot": "2024-02-28"})
    assert response.status_code == 200
    assert response.context["report"].previous_period == "januari tot en met 28 februari 2023"


# --- Subscribing ----------------------------------------------------------------------------------


def test_subscribing_twice_is_one_subscription(lead_client, council, people):
    url = reverse("monitoring:report_subscribe")
    response = lead_client.post(url, {"gemeente": ""}, follow=True)
    assert "You will receive the report of the whole region by e-mail" in text(response)
    lead_client.post(url, {"gemeente": ""})
    mine = ReportSubscription.objects.filter(user=people["teamleider"])
    assert mine.count() == 1 and mine.get().municipality is None
    response = lead_client.post(url, {"gemeente": str(council["nijmegen"].uuid)}, follow=True)
    assert "You will receive the report of Nijmegen by e-mail" in text(response)
    lead_client.post(url, {"gemeente": str(council["nijmegen"].uuid)})
    assert sorted(str(s.municipality) for s in mine) == ["Nijmegen", "None"]
    # The page lists them, each with its own stop button.
    html = lead_client.get(PAGE).content.decode()
    for subscription in mine:
        assert reverse("monitoring:report_unsubscribe", kwargs={"uuid": subscription.uuid}) in html


def test_subscribing_without_an_e_mail_address(login_en, people, council):
    user = people["onderzoeker"]
    user.email = ""
    user.save()
    response = login_en(user).post(
        reverse("monitoring:report_subscribe"), {"gemeente": ""}, follow=True
    )
    assert response.status_code == 200
    assert "Your account has no e-mail address; add one in your profile first." in text(response)
    assert not ReportSubscription.objects.filter(user=user).exists()


def test_subscribing_to_another_regions_municipality(lead_client, council, regions):
    zaanstad = regions["other"]["municipalities"][0]
    response = lead_client.post(
        reverse("monitoring:report_subscribe"), {"gemeente": str(zaanstad.uuid)}, follow=True
    )
    assert "Choose a municipality of your own region." in text(response)
    assert not ReportSubscription.objects.exists()


def test_subscribing_with_a_malformed_municipality(lead_client, council):
    response = lead_client.post(
        reverse("monitoring:report_subscribe"), {"gemeente": "not-a-uuid"}, follow=True
    )
    assert "Choose a municipality of your own region." in text(response)
    assert not ReportSubscription.objects.exists()


def test_unsubscribing_only_ones_own(lead_client, login_en, people, council):
    theirs = report_services.subscribe(actor=actor_for(people["onderzoeker"]), municipality=None)
    mine = report_services.subscribe(actor=council["lead"], municipality=council["nijmegen"])
    url = reverse("monitoring:report_unsubscribe", kwargs={"uuid": theirs.uuid})
    assert lead_client.post(url).status_code == 404
    assert ReportSubscription.objects.filter(pk=theirs.pk).exists()
    with pytest.raises(PermissionDenied):
        report_services.unsubscribe(actor=council["lead"], subscription=theirs)
    response = lead_client.post(
        reverse("monitoring:report_unsubscribe", kwargs={"uuid": mine.uuid}), follow=True
    )
    assert "You will no longer receive this report." in text(response)
    assert not ReportSubscription.objects.filter(pk=mine.pk).exists()
    assert ReportSubscription.objects.filter(pk=theirs.pk).exists()


# --- The monthly mailing --------------------------------------------------------------------------


@pytest.fixture
def subscribers(council, people) -> dict[str, ReportSubscription]:
    """The team lead (the region) and the researcher (Nijmegen) will get it; the
    administrator is inactive; the client manager no longer holds a role that may see
    results."""
    subscribe = report_services.subscribe
    made = {
        "lead": subscribe(actor=council["lead"], municipality=None),
        "researcher": subscribe(
            actor=actor_for(people["onderzoeker"]), municipality=council["nijmegen"]
        ),
        "inactive": subscribe(actor=actor_for(people["beheerder"]), municipality=None),
        "lost": subscribe(actor=actor_for(people["klantmanager"]), municipality=None),
    }
    people["beheerder"].is_active = False
    people["beheerder"].save()
    account_services.set_roles(user=people["klantmanager"], roles=["werkgever"])
    return made


def test_the_monthly_report_is_sent_once_to_each_subscriber(
    subscribers, people, mailoutbox, django_capture_on_commit_callbacks
):
    """In February 2025 the report of January 2025 goes out: one e-mail per subscriber who
    may still see results, with the PDF and the workbook; never twice for the same month;
    again in March for February."""
    with django_capture_on_commit_callbacks(execute=True):
        queued = report_services.queue_monthly(today=D(2025, 2, 10))
    assert queued == 3  # the inactive user is not even queued
    assert sorted(m.to[0] for m in mailoutbox) == [
        people["onderzoeker"].email,
        people["teamleider"].email,
    ]
    by_to = {m.to[0]: m for m in mailoutbox}
    lead_mail = by_to[people["teamleider"].email]
    assert lead_mail.subject == "Resultaten Regio RVN, januari 2025"
    assert [(name, mimetype) for name, _content, mimetype in lead_mail.attachments] == [
        ("raadsrapportage-regio-rvn-202501-202501.pdf", "application/pdf"),
        ("raadsrapportage-regio-rvn-202501-202501.xlsx", XLSX),
    ]
    pdf, xlsx = (content for _name, content, _type in lead_mail.attachments)
    assert pdf.startswith(b"%PDF")
    assert load_workbook(io.BytesIO(xlsx))["Samenvatting"]["A1"].value == lead_mail.subject
    researcher_mail = by_to[people["onderzoeker"].email]
    assert researcher_mail.subject == "Resultaten Nijmegen, januari 2025"
    assert researcher_mail.attachments[0][0] == "raadsrapportage-nijmegen-202501-202501.pdf"
    assert "Resultaten Nijmegen, januari 2025" in researcher_mail.body
    for key in ("lead", "researcher"):
        subscribers[key].refresh_from_db()
        assert subscribers[key].last_sent_for == D(2025, 2, 1)
    subscribers["lost"].refresh_from_db()
    assert subscribers["lost"].last_sent_for is None

    # The same month again (the command runs daily): nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        report_services.queue_monthly(today=D(2025, 2, 20))
    assert len(mailoutbox) == 2
    assert (
        report_services.send(subscribers["lead"], start=D(2025, 1, 1), end=D(2025, 2, 1)) is False
    )
    assert len(mailoutbox) == 2

    # March: the year so far up to February, to the same two.
    with django_capture_on_commit_callbacks(execute=True):
        report_services.queue_monthly(today=D(2025, 3, 3))
    assert len(mailoutbox) == 4
    assert {m.subject for m in mailoutbox[2:]} == {
        "Resultaten Regio RVN, januari tot en met 28 februari 2025",
        "Resultaten Nijmegen, januari tot en met 28 februari 2025",
    }


def test_in_january_the_whole_previous_year_is_sent(
    subscribers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_services.queue_monthly(today=D(2025, 1, 6))
    assert {m.subject for m in mailoutbox} == {
        "Resultaten Regio RVN, 2024",
        "Resultaten Nijmegen, 2024",
    }
    region_mail = next(m for m in mailoutbox if "Regio" in m.subject)
    assert "- Plaatsingen op werk: 30, 10 meer dan in 2023 (20)." in region_mail.body


def test_an_unsubscribed_report_is_not_sent(subscribers, mailoutbox):
    from werkbrug.monitoring.tasks import send_council_report

    uuid = str(subscribers["lead"].uuid)
    subscribers["lead"].delete()
    result = send_council_report.enqueue(
        subscription_uuid=uuid, start="2025-01-01", end="2025-02-01"
    )
    assert result.return_value is False
    assert mailoutbox == []


# --- The commands ---------------------------------------------------------------------------------


def test_send_council_reports_says_what_it_queued(
    subscribers, mailoutbox, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-council-reports", stdout=out)
    assert out.getvalue().strip() == "3 raadsrapportage(s) in de wachtrij gezet."
    assert len(mailoutbox) == 2
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-council-reports", stdout=out)
    assert out.getvalue().strip() == "1 raadsrapportage(s) in de wachtrij gezet."
    assert len(mailoutbox) == 2


def test_refresh_kpis_says_what_it_did(world):
    region = world["place"]["region"]
    out, err = io.StringIO(), io.StringIO()
    call_command("refresh-kpis", "--region", "RVN", stdout=out, stderr=err)
    refreshed = KpiRefresh.objects.get(region=region)
    written = KpiValue.objects.filter(region=region).count()
    assert refreshed.values == written
    line = out.getvalue().strip()
    assert line.startswith(f"Regio RVN: {written} waarden uit {refreshed.facts} feiten in ")
    assert line.endswith(" s.")
    out = io.StringIO()
    call_command("refresh-kpis", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        "Regio RVN",
        "Regio ZAA",
    ]
    call_command("refresh-kpis", "--region", "XYZ", stdout=out, stderr=err)
    assert "Regio 'XYZ' bestaat niet." in err.getvalue()
