""" "Wat kost het mij?" on a page and as a one-page PDF: the hand-computed case (see
test_calculator.py for the sums) in Dutch, errors next to the field they are about (and never
a server error), the notice to tell the employer about the no-riskpolis, the rule set used,
and who may use it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import NoReverseMatch, reverse

from tests_support import text
from werkbrug.rules import cost_sheet, cost_sheet_pdf
from werkbrug.rules.calculator import Advice, CostSheet, Line, Period, Situation
from werkbrug.rules.models import RuleSet

pytestmark = pytest.mark.django_db

PAGE = "/wat-kost-het/"
PDF = "/wat-kost-het/kostenblad.pdf"
#: 24 hours at the minimum wage, loonwaarde 60 %, LKV banenafspraak, 3 years: € 531,83 net.
HAND_COMPUTED = {
    "start_date": "2018-07-01",
    "hours_per_week": "24",
    "wage_pct_of_wml": "100",
    "loonwaarde_pct": "60",
    "lkv_group": "banenafspraak",
    "years": "3",
}


def _url(base: str = PAGE, **changes: str) -> str:
    query = {**HAND_COMPUTED, **changes}
    return f"{base}?{urlencode({k: v for k, v in query.items() if v is not None})}"


def _field_error(response, name: str) -> str:
    """The error shown next to the field ``name`` (empty when there is none)."""
    found = re.search(
        rf'<div class="field-error" id="id_{name}_error">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def _fits(html: str) -> dict[str, bool]:
    """Per instrument of the advisor: whether it fits."""
    found = re.findall(r'data-advice="(\w+)">\s*<dt>.*?class="badge (badge-\w+)"', html, re.S)
    return {instrument: badge == "badge-success" for instrument, badge in found}


def _pages(body: bytes) -> list[str]:
    """The text of each page (pdftotext), or just the number of pages when it is missing."""
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


@pytest.fixture
def rm(people, login):
    """The relationship manager, with the default (Dutch) interface."""
    return login(people["relatiemanager"])


@pytest.fixture
def rm_en(people, login_en):
    return login_en(people["relatiemanager"])


# --- The page ---------------------------------------------------------------------------------


def test_the_routes():
    assert reverse("rules:calculator") == PAGE
    assert reverse("rules:calculator_pdf") == PDF


def test_the_hand_computed_case_in_dutch(rm):
    response = rm.get(_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    page = text(response)
    # One period of 36 months: the costs, the instruments, the net amount.
    assert html.count("data-period=") == 1 and 'data-period="1-36"' in html
    for expected in (
        "Brutoloon",
        "€ 1.006,86",
        "Vakantiebijslag",
        "€ 80,55",
        "Werkgeverslasten",
        "€ 250,10",
        "€ 1.337,51",
        "Loonkostensubsidie (gemeente) ",
        "- € 535,01",
        "Loonkostenvoordeel (LKV)",
        "- € 166,67",
        "Lage-inkomensvoordeel (LIV)",
        "- € 104,00",
        "€ 531,83",
    ):
        assert expected in page, expected
    # Every line's explanation is under it, in Dutch.
    assert "100 % van het minimumloon voor 24 uur per week (€ 1.594,20 voor 38 uur)." in page
    assert "min de loonwaarde van 60 % (€ 604,12)" in page
    assert "Voor iemand uit de doelgroep banenafspraak: hoogstens € 2.000,00 per jaar" in page
    # The net per month is bold, in the tile and in the table.
    assert re.search(r'data-line="net">.*?<strong>€ 531,83</strong>', html, re.S)
    # Year totals: wage costs and after the instruments, for three years.
    assert page.count("€ 16.050,12") == 3 and page.count("€ 6.381,96") == 3
    assert "€ 805,68" in page  # what the instruments pay a month
    # The notes and the advisor, in Dutch.
    assert "Het LKV en het LIV vraagt de werkgever zelf aan via de loonaangifte" in page
    assert (
        "Voor iemand uit de doelgroep banenafspraak: € 2.000,00 per jaar, 3 jaar; "
        "doelgroepverklaring nodig." in page
    )
    # The rule set used, with its date.
    assert "Landelijke regels per 1 juli 2018" in page and "01-07-2018" in page
    # The PDF with the same situation.
    assert f'href="{PDF}?' in html and "hours_per_week=24" in html
    # The rule set's own page, when the app has one.
    national = RuleSet.objects.get(region__isnull=True, valid_from=dt.date(2018, 7, 1))
    try:
        detail = reverse("rules:detail", kwargs={"uuid": national.uuid})
    except NoReverseMatch:
        detail = None
    if detail:
        assert f'href="{detail}"' in html


def test_the_page_in_english_names_the_parts(rm_en):
    page = text(rm_en.get(_url()))
    for expected in (
        "What does it cost me?",
        "Months 1-36",
        "Wage costs € 1.337,51, the instruments pay € 805,68.",
        "Wage costs",
        "Net per month",
        "Per year",
        "Year 1",
        "Which instruments fit?",
        "Werkbrug advises; the municipality decides.",
        "24 hours a week, 100 % of the minimum wage, loonwaarde 60 %",
        "LKV for the target group banenafspraak, over 36 months from 01-07-2018",
    ):
        assert expected in page, expected


def test_a_flat_rate_start_gives_two_periods(rm):
    response = rm.get(_url(loonwaarde_pct="", lkv_group="", hours_per_week="32", forfait="on"))
    html = response.content.decode()
    assert 'data-period="1-6"' in html and 'data-period="7-36"' in html
    page = text(response)
    # Hand sums in test_calculator.py: € 753,00 in months 1-6, € 1.644,68 after.
    assert "€ 753,00" in page and "€ 1.644,68" in page
    assert "loonwaardemeting" in page  # the note: an assessment is needed after six months


def test_the_bare_page_shows_the_form_with_today_and_the_defaults(rm):
    response = rm.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-calculator-result" not in html and "field-error" not in html
    assert f'value="{dt.date.today().isoformat()}"' in html
    assert 'name="wage_pct_of_wml" value="100"' in html
    assert re.search(r'<option value="3" selected>', html)


def test_numbers_may_be_typed_with_a_comma(rm):
    page = text(rm.get(_url(hours_per_week="24,0", loonwaarde_pct="60,00")))
    assert "€ 531,83" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hours_per_week": "0"}, "hours_per_week", "Vul een aantal uren per week in, 1 tot 60."),
        ({"hours_per_week": "61"}, "hours_per_week", "1 tot 60"),
        ({"wage_pct_of_wml": "90"}, "wage_pct_of_wml", "ten minste het wettelijk minimumloon"),
        ({"loonwaarde_pct": "120"}, "loonwaarde_pct", "tussen 0 en 100 %"),
        ({"lkv_group": "oudere_werknemer", "age": "50"}, "age", "vanaf 56 jaar"),
        ({"lkv_group": "oudere_werknemer"}, "age", "vanaf 56 jaar"),
    ],
)
def test_the_calculator_names_the_field(rm, changes, field, message):
    response = rm.get(_url(**changes))
    assert response.status_code == 200
    assert message in _field_error(response, field)
    assert "data-calculator-result" not in response.content.decode()
    assert "error-summary" in response.content.decode()


def test_all_problems_show_at_once(rm):
    response = rm.get(
        _url(wage_pct_of_wml="90", loonwaarde_pct="120", lkv_group="oudere_werknemer", age="50")
    )
    assert "ten minste het wettelijk minimumloon" in _field_error(response, "wage_pct_of_wml")
    assert "tussen 0 en 100 %" in _field_error(response, "loonwaarde_pct")
    assert "vanaf 56 jaar" in _field_error(response, "age")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_per_week": ""}, "hours_per_week"),
        ({"hours_per_week": "veel"}, "hours_per_week"),
        ({"hours_per_week": "NaN"}, "hours_per_week"),
        ({"hours_per_week": "Infinity"}, "hours_per_week"),
        ({"hours_per_week": "1e400"}, "hours_per_week"),
        ({"hours_per_week": "24,123"}, "hours_per_week"),
        ({"wage_pct_of_wml": "99999999"}, "wage_pct_of_wml"),
        ({"loonwaarde_pct": "-"}, "loonwaarde_pct"),
        ({"start_date": "30-02-2019"}, "start_date"),
        ({"start_date": "gisteren"}, "start_date"),
        ({"years": "9"}, "years"),
        ({"years": "drie"}, "years"),
        ({"lkv_group": "iedereen"}, "lkv_group"),
        ({"age": "-1"}, "age"),
        ({"age": "oud"}, "age"),
    ],
)
def test_wrong_input_is_named_by_field_and_never_a_server_error(rm, changes, field):
    response = rm.get(_url(**changes))
    assert response.status_code == 200
    assert _field_error(response, field), field
    assert "data-calculator-result" not in response.content.decode()


def test_the_form_errors_speak_to_the_user(rm_en):
    response = rm_en.get(_url(hours_per_week="veel"))
    assert _field_error(response, "hours_per_week") == (
        "Error: Enter a number, for example 24 or 24,5."
    )
    assert "Hours per week: Enter a number, for example 24 or 24,5." in text(response)


def test_before_the_first_rules_a_clear_message_at_the_start_date(rm_en, rm):
    response = rm_en.get(_url(start_date="2018-06-30"))
    assert _field_error(response, "start_date") == (
        "Error: There are no rules before 01-07-2018. Choose that date or a later one."
    )
    assert "01-07-2018" in _field_error(rm.get(_url(start_date="2018-06-30")), "start_date")


def test_the_region_s_own_rules_go_first(rm, regions):
    national = RuleSet.objects.get(region__isnull=True, valid_from=dt.date(2018, 7, 1))
    RuleSet.objects.create(
        region=regions["own"]["region"],
        name="Regionale regels 2019",
        valid_from=dt.date(2019, 1, 1),
        source="Verordening",
        values=dict(national.values, wml_month="1900.00"),
    )
    on_2018 = text(rm.get(_url()))
    assert "Landelijke regels per 1 juli 2018" in on_2018 and "€ 1.006,86" in on_2018
    on_2019 = text(rm.get(_url(start_date="2019-03-01")))
    assert "Regionale regels 2019" in on_2019
    assert "€ 1.200,00" in on_2019  # 1900 × 24 / 38


def test_broken_rules_are_a_message_not_a_server_error(rm):
    national = RuleSet.objects.get(region__isnull=True, valid_from=dt.date(2018, 7, 1))
    values = dict(national.values)
    del values["wml_month"]
    RuleSet.objects.create(name="Kapot", valid_from=dt.date(2020, 1, 1), source="-", values=values)
    response = rm.get(_url(start_date="2020-02-01"))
    assert response.status_code == 200
    assert "wml_month" in _field_error(response, "start_date")


def test_tell_the_employer_about_the_no_riskpolis(rm_en, rm):
    without = rm.get(_url(lkv_group="", loonwaarde_pct=""))
    assert "data-tell-employer" not in without.content.decode()
    response = rm_en.get(_url(disability_benefit="on"))
    html = response.content.decode()
    assert 'data-tell-employer="noriskpolis"' in html
    assert "Tell the employer about the no-riskpolis" in text(response)
    # The banenafspraak itself (the register) is a reason too; the why is in Dutch.
    dutch = text(rm.get(_url()))
    assert "De werknemer staat in het doelgroepregister banenafspraak." in dutch
    assert "Vertel de werkgever dat UWV bij ziekte het loon vergoedt." in dutch


def test_the_advisor_lists_each_instrument_with_yes_or_no(rm_en):
    response = rm_en.get(
        _url(lkv_group="", loonwaarde_pct="", participatiewet="on", large_distance="on", age="30")
    )
    html = response.content.decode()
    assert _fits(html) == {
        "lks": False,
        "lkv": False,
        "liv": True,
        "noriskpolis": False,
        "participatieplaats": True,
    }


def test_the_advice_agrees_with_the_table(rm_en):
    """A loonwaarde counts as the target group for wage cost subsidy, the LKV group for a
    re-placed employee as a disability benefit; the page says so."""
    response = rm_en.get(_url(lkv_group="herplaatst"))
    html = response.content.decode()
    fits = _fits(html)
    assert fits["lks"] and fits["lkv"] and fits["noriskpolis"]
    implied = re.search(r"<p class=\"small\" data-implied>(.*?)</p>", html, re.S).group(1)
    assert "Belongs to the target group for wage cost subsidy" in implied
    assert "Has a Wajong, WIA, WAO or WAZ benefit" in implied
    # The advice names the years of the table: a re-placed employee has the LKV for one year.
    assert "herplaatste arbeidsgehandicapte werknemer: €\xa06.000,00 per jaar, 1 jaar;" in html
    ticked = rm_en.get(_url(lkv_group="herplaatst", in_lks_target_group="on")).content.decode()
    assert "Belongs to the target group" not in re.search(
        r"data-implied>(.*?)</p>", ticked, re.S
    ).group(1)


# --- The PDF ----------------------------------------------------------------------------------


def test_the_cost_sheet_is_one_page_with_the_net_amount(rm):
    response = rm.get(_url(disability_benefit="on"))
    pdf_url = re.search(r'href="(/wat-kost-het/kostenblad\.pdf\?[^"]+)"', response.content.decode())
    response = rm.get(pdf_url.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="kostenblad-2018-07-01.pdf"'
    pages = _pages(response.content)
    assert len(pages) == 1
    if shutil.which("pdftotext"):
        (page,) = pages
        assert "€ 531,83" in page and "€ 1.337,51" in page and "- € 535,01" in page
        assert "€ 6.381,96" in page
        assert "Landelijke regels per 1 juli 2018" in page and "01-07-2018" in page
        assert "Hanzehogeschool Groningen" in page  # the source, in small print
        assert "Vertel de werkgever dat UWV bij ziekte het loon vergoedt." in page


def test_the_cost_sheet_in_english_names_its_parts(rm_en):
    pages = _pages(rm_en.get(_url(disability_benefit="on", base=PDF)).content)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    (page,) = pages
    for expected in (
        "What does it cost me?",
        "Situation: 24 hours a week",
        "Months 1-36",
        "Net per month",
        "Tell the employer about the no-riskpolis",
        "Instruments that fit",
        "Rules: Landelijke regels per 1 juli 2018, valid from 01-07-2018. Source:",
        "Werkbrug advises; the municipality decides.",
    ):
        assert expected in page, expected


def _url_pdf(**changes: str) -> str:
    return _url(PDF, **changes)


def test_the_pdf_of_wrong_input_goes_back_to_the_page(rm):
    response = rm.get(_url_pdf(hours_per_week="0"))
    assert response.status_code == 302
    assert (
        response["Location"].startswith(PAGE + "?") and "hours_per_week=0" in response["Location"]
    )
    assert rm.get(PDF)["Location"] == PAGE


def test_five_long_periods_still_fit_on_one_page():
    """The worst case the layout is made for: five periods, every instrument, every advice
    applying and long explanations and notes."""
    long = "Een lange uitleg van deze regel met bedragen en voorwaarden, " * 3
    costs = tuple(
        Line(code, label, Decimal("1234.56"), long, ("wml_month",))
        for code, label in (
            ("wage", "Brutoloon"),
            ("holiday_pay", "Vakantiebijslag"),
            ("employer_costs", "Werkgeverslasten"),
        )
    )
    reliefs = tuple(
        Line(code, label, Decimal("123.45"), f"{long} ({n})", ())
        for n, (code, label) in enumerate(
            (
                ("lks", "Loonkostensubsidie (gemeente)"),
                ("lkv", "Loonkostenvoordeel (LKV)"),
                ("liv", "Lage-inkomensvoordeel (LIV)"),
            )
        )
    )
    periods = tuple(Period(12 * i + 1, 12 * i + 12, costs, reliefs[: 3 - i % 3]) for i in range(5))
    sheet = CostSheet(
        Situation(hours_per_week=Decimal("32.5"), loonwaarde_pct=Decimal(55), age=61, months=60),
        periods,
        (long, long, long),
    )
    advice = tuple(
        Advice(code, code.title(), True, long, tell_employer=code == "noriskpolis")
        for code in (
            "lks",
            "forfaitaire_lks",
            "jobcoach",
            "lkv",
            "liv",
            "noriskpolis",
            "participatieplaats",
        )
    )
    calculation = cost_sheet.Calculation(
        start_date=dt.date(2018, 7, 1),
        rule_set=cost_sheet.RuleSetInfo(
            uuid=RuleSet.objects.first().uuid,
            name="Landelijke regels per 1 juli 2018",
            valid_from=dt.date(2018, 7, 1),
            source="Hanzehogeschool Groningen, 'Partnerschap door regelruimte' (2018). " * 4,
        ),
        sheet=sheet,
        advice=advice,
    )
    pages = _pages(cost_sheet_pdf.cost_sheet_pdf(calculation))
    assert len(pages) == 1
    if shutil.which("pdftotext"):
        assert "Werkbrug" in pages[0] and "€ 1.234,56" in pages[0]


# --- Who may use it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["onderzoeker", "werkgever", "kandidaat", "beheerder"])
def test_only_staff_who_talk_with_employers(people, login, role):
    client = login(people[role])
    assert client.get(_url()).status_code == 403
    assert client.get(_url_pdf()).status_code == 403


@pytest.mark.parametrize("role", ["relatiemanager", "klantmanager", "teamleider", "uwv_partner"])
def test_staff_who_talk_with_employers_may(people, login, role):
    assert login(people[role]).get(_url()).status_code == 200


def test_anonymous_visitors_log_in_first(client):
    response = client.get(_url())
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
