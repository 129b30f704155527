"""Index figures per municipality (``monitoring.index_report.index_table``, WB Bijlage 2) and
where the work is (``where_the_work_is``), and the page ``/sturing/index/`` that shows them.

K4 per year, stored by hand (``steering_support.kv``), base year 2022 (= 100):

=========  ======  ======  ======  ======  ======
           2020    2021    2022    2023    2024
=========  ======  ======  ======  ======  ======
Regio      30 i    36      40      50      30
Nijmegen   (½ yr)  16 i    20      25      13
Wijchen    –       –       –       8       10
=========  ======  ======  ======  ======  ======

i: imported (an observation of a whole calendar year; a half-year figure does not count).
Regio: 75, 90, 100, 125, 75. Nijmegen: –, 80, 100, 125, 65. Wijchen has no 2022: "–"
throughout. Fewer than 20 cases: Nijmegen 2021 and 2024, Wijchen 2023 and 2024."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from candidates_support import make_candidate
from steering_support import MUNICIPALITY, kv, place, text
from werkbrug.core.access import actor_for
from werkbrug.employers.models import Employer
from werkbrug.monitoring import index_report
from werkbrug.monitoring.models import Observation
from werkbrug.regions.models import Municipality

pytestmark = pytest.mark.django_db

D = dt.date
PAGE = "/sturing/index/"
YEARS = {"indicator": "K4", "basisjaar": "2022", "van": "2020", "tot": "2024"}


def observation(region: Any, year: int, value: int, **fields: Any) -> Observation:
    values = {
        "region": region,
        "kpi": "K4",
        "start_on": D(year, 1, 1),
        "end_on": D(year + 1, 1, 1),
        "value": Decimal(value),
        "source": "Jaarverslag Werkbedrijf",
    }
    return Observation.objects.create(**(values | fields))


@pytest.fixture
def series(regions: dict[str, Any]) -> dict[str, Any]:
    own = regions["own"]
    region = own["region"]
    nijmegen, wijchen = own["municipalities"]
    for year, amount in ((2021, 36), (2022, 40), (2023, 50), (2024, 30)):
        # Two months a year: the yearly value is their sum.
        kv(region, "K4", D(year, 3, 1), amount - 1)
        kv(region, "K4", D(year, 10, 1), 1)
    for year, amount in ((2022, 20), (2023, 25), (2024, 13)):
        kv(region, "K4", D(year, 5, 1), amount, dimension=MUNICIPALITY, member=nijmegen.pk)
    for year, amount in ((2023, 8), (2024, 10)):
        kv(region, "K4", D(year, 5, 1), amount, dimension=MUNICIPALITY, member=wijchen.pk)
    observation(region, 2020, 30)  # the region's own figure of 2020
    observation(region, 2021, 16, municipality=nijmegen)
    observation(region, 2023, 99, municipality=nijmegen)  # a computed value wins
    observation(
        region, 2020, 9, municipality=nijmegen, end_on=D(2020, 7, 1)
    )  # half a year: no index
    observation(region, 2022, 500, area="Regio Arnhem")  # another area: not ours
    # A municipality that ceased before 2020 drops out; one that ceased later stays.
    Municipality.objects.create(
        region=region, name="Groesbeek", cbs_code="GM0241", ended_on=D(2015, 1, 1)
    )
    Municipality.objects.create(
        region=region,
        name="Millingen",
        cbs_code="GM0265",
        ended_on=D(2015, 1, 1) + dt.timedelta(days=365 * 7),
    )
    # The other region: same years, same member ids, large numbers.
    zaa = regions["other"]["region"]
    for year in (2022, 2023):
        kv(zaa, "K4", D(year, 5, 1), 777)
        kv(zaa, "K4", D(year, 5, 1), 777, dimension=MUNICIPALITY, member=nijmegen.pk)
    observation(zaa, 2021, 555)
    return {"region": region, "nijmegen": nijmegen, "wijchen": wijchen}


@pytest.fixture
def lead(people: dict[str, Any]) -> Any:
    return actor_for(people["teamleider"])


def rows(table: index_report.IndexTable) -> dict[str, index_report.IndexRow]:
    return {row.name: row for row in table.rows}


def test_the_index_on_a_base_year(series, lead):
    table = index_report.index_table(lead, "K4", base_year=2022, first_year=2020, last_year=2024)
    assert table is not None
    assert (table.kpi.code, table.base_year, table.years) == (
        "K4",
        2022,
        [2020, 2021, 2022, 2023, 2024],
    )
    assert [row.name for row in table.rows] == ["Regio", "Millingen", "Nijmegen", "Wijchen"]
    by_name = rows(table)
    region, nijmegen, wijchen = by_name["Regio"], by_name["Nijmegen"], by_name["Wijchen"]
    assert region.values == {2020: 30, 2021: 36, 2022: 40, 2023: 50, 2024: 30}
    assert region.indices == {2020: 75, 2021: 90, 2022: 100, 2023: 125, 2024: 75}
    assert nijmegen.values == {2020: None, 2021: 16, 2022: 20, 2023: 25, 2024: 13}
    assert nijmegen.indices == {2020: None, 2021: 80, 2022: 100, 2023: 125, 2024: 65}
    # No value in the base year: no index in any year.
    assert wijchen.values == {2020: None, 2021: None, 2022: None, 2023: 8, 2024: 10}
    assert set(wijchen.indices.values()) == {None}
    assert set(by_name["Millingen"].indices.values()) == {None}


def test_small_numbers_and_imported_years_are_marked(series, lead):
    by_name = rows(
        index_report.index_table(lead, "K4", base_year=2022, first_year=2020, last_year=2024)
    )
    assert by_name["Nijmegen"].small == {2021, 2024}
    assert by_name["Wijchen"].small == {2023, 2024}
    assert by_name["Regio"].small == set()
    # Imported whole years fill the gaps; a year with a computed value keeps it.
    assert by_name["Regio"].imported == {2020}
    assert by_name["Nijmegen"].imported == {2021}
    assert by_name["Wijchen"].imported == set()


def test_another_base_year(series, lead):
    """2023 = 100: Nijmegen 20 → 80, 13 → 52; the region 40 → 80, 30 → 60."""
    by_name = rows(
        index_report.index_table(lead, "K4", base_year=2023, first_year=2022, last_year=2024)
    )
    assert by_name["Nijmegen"].indices == {2022: 80, 2023: 100, 2024: 52}
    assert by_name["Regio"].indices == {2022: 80, 2023: 100, 2024: 60}
    assert by_name["Wijchen"].indices == {2022: None, 2023: 100, 2024: 125}


def test_a_share_is_never_flagged_as_small(series, lead):
    """Small numbers are about counts; a percentage of 12 is no small number of cases."""
    region, nijmegen = series["region"], series["nijmegen"]
    kv(region, "D1-6", D(2022, 5, 1), 3, 25, dimension=MUNICIPALITY, member=nijmegen.pk)
    kv(region, "D1-6", D(2023, 5, 1), 6, 25, dimension=MUNICIPALITY, member=nijmegen.pk)
    by_name = rows(
        index_report.index_table(lead, "D1-6", base_year=2022, first_year=2022, last_year=2023)
    )
    assert by_name["Nijmegen"].values == {2022: Decimal("12.0"), 2023: Decimal("24.0")}
    assert by_name["Nijmegen"].indices == {2022: 100, 2023: 200}
    assert by_name["Nijmegen"].small == set()


def test_an_unknown_indicator_has_no_table(series, lead):
    assert (
        index_report.index_table(lead, "K99", base_year=2022, first_year=2020, last_year=2024)
        is None
    )


def index_cells(response: Any, name: str) -> list[str]:
    html = response.content.decode()
    found = re.search(rf'<tr data-index-row="{name}">(.*?)</tr>', html, re.S)
    assert found, name
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    ]


def test_the_page_shows_the_index(series, login_en, people):
    response = login_en(people["onderzoeker"]).get(PAGE, YEARS)
    assert response.status_code == 200
    assert "Plaatsingen op werk: index, 2022 = 100" in text(response)
    # "*": few cases; "i": imported; "–": no figure or none in the base year.
    assert index_cells(response, "Regio") == ["75 i", "90", "100", "125", "75"]
    assert index_cells(response, "Nijmegen") == ["–", "80 * i", "100", "125", "65 *"]
    assert index_cells(response, "Wijchen") == ["–", "–", "–", "– *", "– *"]
    page = text(response)
    assert "Groesbeek" not in page and "Zaanstad" not in page
    assert "777" not in page and "555" not in page


def test_a_wrong_year_range_is_named_by_its_field(series, login_en, people):
    client = login_en(people["onderzoeker"])
    cases = [
        ({"van": "2024", "tot": "2022"}, "tot", "The last year lies before the first."),
        ({"basisjaar": "2019"}, "basisjaar", "Choose a base year within the years shown."),
        ({"van": "2010", "tot": "2026", "basisjaar": "2016"}, "van", "Show at most sixteen years."),
        ({"van": "1990"}, "van", None),
        ({"indicator": "K99"}, "indicator", None),
    ]
    for change, field, message in cases:
        response = client.get(PAGE, YEARS | change)
        assert response.status_code == 200, change
        errors = response.context["form"].errors
        assert list(errors) == [field], change
        if message:
            assert message in text(response)
        # The page still shows something: the default table, not a server error.
        assert response.context["table"] is not None


# --- Where the work is ----------------------------------------------------------------------------


@pytest.fixture
def work(world: dict[str, Any], regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """Placements started in 2025: good and far (Nijmegen) at the warehouse (Wijchen), cashier
    (moved to Wijchen) and good at the bakery (Nijmegen). Not counted: a job of 2024, and a
    job in the other region."""
    region, rm = world["place"]["region"], world["rm"]
    nijmegen, wijchen = world["place"]["municipalities"]
    warehouse = world["employer"]
    bakery = Employer.objects.create(
        region=region, name="Bakkerij Van Dijk", municipality=nijmegen, owner=rm
    )
    world["cashier"].municipality = wijchen
    world["cashier"].save()
    place(region, world["good"], warehouse, rm, start_on=D(2025, 3, 10))
    place(region, world["far"], warehouse, rm, start_on=D(2025, 6, 2))
    place(region, world["cashier"], bakery, rm, start_on=D(2025, 4, 1))
    place(region, world["good"], bakery, rm, start_on=D(2025, 9, 1))
    place(region, world["far"], bakery, rm, start_on=D(2024, 12, 31))
    zaa = regions["other"]
    zaa_rm = people["other_region_rm"].staff
    zaa_employer = Employer.objects.create(
        region=zaa["region"],
        name="Verpakkerij Zaan",
        municipality=zaa["municipalities"][0],
        owner=zaa_rm,
    )
    place(zaa["region"], make_candidate(zaa), zaa_employer, zaa_rm, start_on=D(2025, 5, 5))
    return world


def test_where_the_work_is(work, lead):
    where = index_report.where_the_work_is(lead, year=2025)
    assert where.municipalities == ["Nijmegen", "Wijchen"]
    assert where.counts == {
        ("Nijmegen", "Wijchen"): 2,
        ("Nijmegen", "Nijmegen"): 1,
        ("Wijchen", "Nijmegen"): 1,
    }
    assert where.rows == [("Nijmegen", [1, 2], 3), ("Wijchen", [1, 0], 1)]
    assert where.column_totals == {"Nijmegen": 2, "Wijchen": 2}
    assert where.total == 4
    assert index_report.where_the_work_is(lead, year=2024).total == 1
    assert index_report.where_the_work_is(lead, year=2023).rows == []


def test_the_page_shows_where_the_work_is(work, login_en, people):
    query = {"indicator": "K4", "basisjaar": "2023", "van": "2023", "tot": "2025"}
    response = login_en(people["onderzoeker"]).get(PAGE, query)
    page = text(response)
    assert "Where the work is, 2025" in page
    assert "Nijmegen 1 2 3" in page and "Wijchen 1 · 1" in page
    response = login_en(people["onderzoeker"]).get(
        PAGE, query | {"tot": "2023", "van": "2022", "basisjaar": "2022"}
    )
    assert "No placements started in this year." in text(response)
