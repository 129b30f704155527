"""The monitoring API: the KPI definitions (every version), a KPI's values per month, quarter
or year for a cell of the region (months add up: sums, a share from its hits and cases, a
stock its last month), the programmes with the attainment of their targets and the fee due;
bad parameters named, another region's programme not found, who may call it (403/401), the
number of queries of the programme list and the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api_support import api_for, ok, problem
from werkbrug.monitoring import kpis
from werkbrug.monitoring.forms import year_range
from werkbrug.monitoring.kpis import Dimension
from werkbrug.monitoring.models import KpiValue, Observation, Programme, Target

pytestmark = pytest.mark.django_db

KPIS = "/api/v1/kpis"
VALUES = "/api/v1/kpi-values"
PROGRAMMES = "/api/v1/programmes"
KPI_FIELDS = {
    "code",
    "version",
    "name",
    "definition",
    "source",
    "unit",
    "kind",
    "grain",
    "valid_from",
    "valid_to",
    "theme",
    "breakdown",
    "higher_is_better",
}
H1_2025 = {"from": "2025-01-01", "to": "2025-07-01"}


def store(
    place,
    code: str,
    month: dt.date,
    numerator: int | str,
    denominator: int | str | None = None,
    *,
    version: int = 1,
    dimension: Dimension = Dimension.REGION,
    member: int = 0,
    part: str = "",
) -> KpiValue:
    """One computed value, as ``services.refresh`` stores it (a count: n over n)."""
    kpi = kpis.get(code, version)
    assert kpi is not None
    return KpiValue.objects.create(
        region=place["region"],
        kpi=code,
        kpi_version=version,
        grain=kpi.grain,
        period_start=month,
        dimension=dimension,
        member=member,
        part=part,
        numerator=Decimal(numerator),
        denominator=Decimal(numerator if denominator is None else denominator),
    )


def month(m: int, year: int = 2025) -> dt.date:
    return dt.date(year, m, 1)


@pytest.fixture
def tl(people) -> APIClient:
    return api_for(people["teamleider"])


def _points(body) -> list[tuple[str, str, str, str | None]]:
    return [(p["label"], p["numerator"], p["denominator"], p["value"]) for p in body["points"]]


# --- Definitions ----------------------------------------------------------------------------


def test_the_definitions_every_version(tl):
    body = ok(tl.get(KPIS, {"page_size": 100}))
    assert body["count"] == len(kpis.DEFINITIONS)
    rows = {(d["code"], d["version"]): d for d in body["results"]}
    assert set(body["results"][0]) == KPI_FIELDS
    old, new = rows[("K6", 1)], rows[("K6", 2)]
    assert (old["valid_from"], old["valid_to"]) == (None, "2020-01-01")
    assert (new["valid_from"], new["valid_to"]) == ("2020-01-01", None)
    assert old["grain"] == new["grain"] == "jaar" and old["kind"] == "aantal"
    assert old["definition"] != new["definition"] and new["name"] == "Unieke werkgeversrelaties"
    assert rows[("M2", 1)]["kind"] == "aandeel" and rows[("M2", 1)]["unit"] == "%"
    assert rows[("W3", 1)]["higher_is_better"] is False
    assert rows[("K1", 1)]["breakdown"] == [] and rows[("K1", 1)]["theme"] == "werkgevers"
    parts = {p["name"] for p in rows[("K4", 1)]["breakdown"]}
    assert {"regulier_werk", "werkervaringsplaats"} <= parts
    assert "tijdelijk_niet_plaatsbaar" in {p["name"] for p in rows[("R1", 1)]["breakdown"]}

    k6 = ok(tl.get(KPIS, {"code": "K6"}))
    assert [(d["code"], d["version"]) for d in k6["results"]] == [("K6", 1), ("K6", 2)]
    assert problem(tl.get(KPIS, {"code": "K99"})) == ["code"]


def test_one_kpi_with_its_versions(tl):
    body = ok(tl.get(f"{KPIS}/K6"))
    assert body["code"] == "K6" and [v["version"] for v in body["versions"]] == [1, 2]
    assert ok(tl.get(f"{KPIS}/D1-6"))["versions"][0]["name"] == "Na 6 maanden nog aan het werk"
    assert problem(tl.get(f"{KPIS}/K99"), 404) == []


# --- Values ---------------------------------------------------------------------------------


def test_a_count_per_month_quarter_and_year(tl, regions):
    own = regions["own"]
    for m, n in ((1, 2), (2, 3), (4, 5)):  # nothing in March: a count of 0
        store(own, "K1", month(m), n)
    store(own, "K1", month(7), 100)  # after the period
    store(regions["other"], "K1", month(1), 50)  # another region

    body = ok(tl.get(VALUES, {"kpi": "K1", **H1_2025}))
    assert body["kpi"]["code"] == "K1" and body["kpi"]["version"] == 1
    assert body["cell"] == {"dimension": "regio", "uuid": None, "name": "Regio RVN"}
    assert body["granularity"] == "maand" and body["trend_break"] is False
    assert (body["start"], body["end"], body["part"]) == ("2025-01-01", "2025-07-01", "")
    assert body["municipalities"] is None
    assert _points(body) == [
        ("jan 2025", "2", "2", "2"),
        ("feb 2025", "3", "3", "3"),
        ("mrt 2025", "0", "0", "0"),
        ("apr 2025", "5", "5", "5"),
        ("mei 2025", "0", "0", "0"),
        ("jun 2025", "0", "0", "0"),
    ]
    assert body["points"][0]["start"] == "2025-01-01"

    quarters = ok(tl.get(VALUES, {"kpi": "K1", "granularity": "kwartaal", **H1_2025}))
    assert _points(quarters) == [("K1 2025", "5", "5", "5"), ("K2 2025", "5", "5", "5")]
    assert quarters["points"][1]["start"] == "2025-04-01"
    english = ok(tl.get(VALUES, {"kpi": "K1", "granularity": "quarter", **H1_2025}))
    assert english["granularity"] == "kwartaal" and english["points"] == quarters["points"]

    year = ok(tl.get(VALUES, {"kpi": "K1", "granularity": "jaar", **H1_2025}))
    assert _points(year) == [("2025", "10", "10", "10")]


def test_a_share_over_a_quarter_is_hits_over_cases_not_an_average(tl, regions):
    own = regions["own"]
    store(own, "M2", month(1), 1, 1)  # 100 %
    store(own, "M2", month(2), 1, 3)  # 33.3 %
    store(own, "M2", month(4), 0, 2)  # 0 %
    body = ok(tl.get(VALUES, {"kpi": "M2", "granularity": "kwartaal", **H1_2025}))
    # Q1: 2 of 4 attended = 50.0 %, not the average of 100 % and 33.3 % (66.7 %).
    assert _points(body) == [("K1 2025", "2", "4", "50.0"), ("K2 2025", "0", "2", "0.0")]
    months = ok(tl.get(VALUES, {"kpi": "M2", **H1_2025}))
    assert [p["value"] for p in months["points"]] == ["100.0", "33.3", None, "0.0", None, None]


def test_a_stock_per_quarter_is_its_last_month(tl, regions):
    own = regions["own"]
    for m, n in ((1, 10), (2, 12), (3, 11), (4, 20), (5, 21), (6, 19)):
        store(own, "C2", month(m), n)
    quarters = ok(tl.get(VALUES, {"kpi": "C2", "granularity": "kwartaal", **H1_2025}))
    assert _points(quarters) == [("K1 2025", "11", "11", "11"), ("K2 2025", "19", "19", "19")]
    year = ok(tl.get(VALUES, {"kpi": "C2", "granularity": "jaar", **H1_2025}))
    assert _points(year) == [("2025", "19", "19", "19")]  # June: the last month asked
    # A stock share (C4: in service longer than two years) takes its last month's cases too.
    store(own, "C4", month(3), 3, 10)
    store(own, "C4", month(1), 9, 9)
    c4 = ok(tl.get(VALUES, {"kpi": "C4", "granularity": "kwartaal", **H1_2025}))
    assert _points(c4)[0] == ("K1 2025", "3", "10", "30.0")


def test_a_municipality_team_or_staff_member(tl, regions, people):
    own = regions["own"]
    nijmegen, wijchen = own["municipalities"]
    store(own, "K1", month(1), 4, dimension=Dimension.MUNICIPALITY, member=nijmegen.pk)
    store(own, "K1", month(1), 1, dimension=Dimension.MUNICIPALITY, member=wijchen.pk)
    store(own, "K1", month(2), 2, dimension=Dimension.TEAM, member=own["team"].pk)
    staff = people["relatiemanager"].staff
    store(own, "K1", month(3), 3, dimension=Dimension.STAFF, member=staff.pk)
    store(own, "K1", month(1), 5)

    body = ok(tl.get(VALUES, {"kpi": "K1", "municipality": str(nijmegen.uuid), **H1_2025}))
    assert body["cell"] == {"dimension": "gemeente", "uuid": str(nijmegen.uuid), "name": "Nijmegen"}
    assert [p["value"] for p in body["points"]] == ["4", "0", "0", "0", "0", "0"]
    team = ok(tl.get(VALUES, {"kpi": "K1", "team": str(own["team"].uuid), **H1_2025}))
    assert team["cell"]["dimension"] == "team" and team["points"][1]["value"] == "2"
    mine = ok(tl.get(VALUES, {"kpi": "K1", "staff": str(staff.uuid), **H1_2025}))
    assert mine["cell"] == {"dimension": "medewerker", "uuid": str(staff.uuid), "name": str(staff)}
    assert mine["points"][2]["value"] == "3"

    side_by_side = ok(tl.get(VALUES, {"kpi": "K1", "by": "gemeente", **H1_2025}))
    assert side_by_side["cell"]["dimension"] == "regio"
    assert [(m["name"], m["value"]) for m in side_by_side["municipalities"]] == [
        ("Nijmegen", "4"),
        ("Wijchen", "1"),
    ]
    assert side_by_side["municipalities"][0]["uuid"] == str(nijmegen.uuid)
    zero = ok(
        tl.get(VALUES, {"kpi": "K1", "by": "gemeente", "from": "2025-02-01", "to": "2025-04-01"})
    )
    assert [m["value"] for m in zero["municipalities"]] == ["0", "0"]  # nothing stored: none


def test_a_part_of_a_kpi_that_is_split(tl, regions):
    own = regions["own"]
    store(own, "K4", month(1), 3)
    store(own, "K4", month(1), 2, part="regulier_werk")
    store(own, "K4", month(1), 1, part="detachering")
    whole = ok(tl.get(VALUES, {"kpi": "K4", "granularity": "jaar", **H1_2025}))
    regular = ok(
        tl.get(VALUES, {"kpi": "K4", "granularity": "jaar", "part": "regulier_werk", **H1_2025})
    )
    assert whole["points"][0]["value"] == "3"
    assert regular["part"] == "regulier_werk" and regular["points"][0]["value"] == "2"


def test_the_version_valid_at_the_end_of_the_period_and_the_trend_break(tl, regions):
    own = regions["own"]
    store(own, "K6", month(1, 2019), 1500, version=1)
    store(own, "K6", month(1, 2020), 1800, version=1)  # the old definition, still computed
    store(own, "K6", month(1, 2020), 1238, version=2)

    before = ok(tl.get(VALUES, {"kpi": "K6", "from": "2019-01-01", "to": "2020-01-01"}))
    assert before["kpi"]["version"] == 1 and before["trend_break"] is False
    assert before["granularity"] == "jaar"  # a year-grain KPI only has yearly values
    assert _points(before) == [("2019", "1500", "1500", "1500")]

    across = ok(tl.get(VALUES, {"kpi": "K6", "from": "2019-01-01", "to": "2021-01-01"}))
    assert across["kpi"]["version"] == 2 and across["trend_break"] is True
    assert [p["value"] for p in across["points"]] == ["0", "1238"]

    old = ok(tl.get(VALUES, {"kpi": "K6", "version": 1, "from": "2019-01-01", "to": "2021-01-01"}))
    assert old["kpi"]["version"] == 1 and [p["value"] for p in old["points"]] == ["1500", "1800"]


def test_by_default_this_year_up_to_this_month(tl, regions):
    today = timezone.localdate()
    start, end = year_range(today.year, today)
    store(regions["own"], "K1", today.replace(day=1), 7)
    body = ok(tl.get(VALUES, {"kpi": "K1"}))
    assert (body["start"], body["end"]) == (start.isoformat(), end.isoformat())
    assert len(body["points"]) == today.month and body["points"][-1]["value"] == "7"
    # A period reaching into the future stops at the end of this month.
    later = ok(tl.get(VALUES, {"kpi": "K1", "from": start, "to": f"{today.year + 3}-01-01"}))
    assert later["end"] == end.isoformat() and later["points"] == body["points"]


def test_bad_parameters_are_named(tl, regions):
    own, other = regions["own"], regions["other"]
    nijmegen = own["municipalities"][0]
    zaanstad = other["municipalities"][0]
    cases = [
        ({}, ["kpi"]),
        ({"kpi": "K99"}, ["kpi"]),
        ({"kpi": "K1", "granularity": "week"}, ["granularity"]),
        ({"kpi": "K1", "municipality": str(zaanstad.uuid)}, ["municipality"]),
        ({"kpi": "K1", "municipality": "geen-uuid"}, ["municipality"]),
        ({"kpi": "K1", "team": str(other["team"].uuid)}, ["team"]),
        (
            {"kpi": "K1", "municipality": str(nijmegen.uuid), "team": str(own["team"].uuid)},
            ["municipality", "team"],
        ),
        ({"kpi": "K1", "from": "2025-06-01", "to": "2025-01-01"}, ["to"]),
        ({"kpi": "K1", "from": "2025-06-01", "to": "2025-06-01"}, ["to"]),
        ({"kpi": "K1", "from": "2025-13-01"}, ["from"]),
        ({"kpi": "K1", "from": "1900-01-01", "to": "2025-01-01"}, ["from"]),
        ({"kpi": "K1", "from": f"{timezone.localdate().year + 2}-01-01"}, ["from"]),
        ({"kpi": "K1", "version": 3}, ["version"]),
        ({"kpi": "K1", "part": "regulier_werk"}, ["part"]),
        ({"kpi": "K4", "part": "vrijwilligerswerk"}, ["part"]),
        ({"kpi": "K1", "by": "team"}, ["by"]),
        ({"kpi": "K1", "by": "gemeente", "municipality": str(nijmegen.uuid)}, ["by"]),
    ]
    for params, names in cases:
        assert problem(tl.get(VALUES, params)) == names, params


def test_a_researcher_gets_no_values_per_staff_member(people, regions):
    """The researcher sees no colleagues' records, so not their numbers either."""
    staff = people["relatiemanager"].staff
    researcher = api_for(people["onderzoeker"])
    assert problem(researcher.get(VALUES, {"kpi": "K1", "staff": str(staff.uuid)})) == ["staff"]
    ok(researcher.get(VALUES, {"kpi": "K1", "team": str(regions["own"]["team"].uuid)}))


# --- Programmes -----------------------------------------------------------------------------


def make_programme(place, name: str = "Werktop-aanpak", **fields) -> Programme:
    values = {
        "region": place["region"],
        "name": name,
        "partner": "Werktop BV",
        "start_on": dt.date(2024, 1, 1),
        "end_on": dt.date(2026, 1, 1),
        "capacity_days_per_week": Decimal(2),
        "fee_per_result": Decimal(1500),
        "fee_kpis": ["K1"],
    }
    programme = Programme.objects.create(**(values | fields))
    programme.municipalities.set(place["municipalities"])
    return programme


def target(programme: Programme, kpi: str, municipality, start, end, value, **fields) -> Target:
    return Target.objects.create(
        programme=programme,
        kpi=kpi,
        municipality=municipality,
        start_on=start,
        end_on=end,
        value=Decimal(value),
        **fields,
    )


@pytest.fixture
def programme(regions) -> Programme:
    """Three finished targets (missed, met within the tolerance from an imported figure,
    before Werkbrug's records) and a target of the whole programme."""
    own = regions["own"]
    nijmegen, wijchen = own["municipalities"]
    made = make_programme(own)
    y2025 = (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    target(made, "K1", nijmegen, *y2025, 10)
    for m, n in ((2, 3), (5, 5)):
        store(own, "K1", month(m), n, dimension=Dimension.MUNICIPALITY, member=nijmegen.pk)
    store(own, "K1", month(5), 2, dimension=Dimension.MUNICIPALITY, member=wijchen.pk)
    target(made, "K3", wijchen, dt.date(2024, 1, 1), dt.date(2025, 1, 1), 20)
    Observation.objects.create(
        region=own["region"],
        kpi="K3",
        municipality=wijchen,
        start_on=dt.date(2024, 1, 1),
        end_on=dt.date(2025, 1, 1),
        value=Decimal("19.5"),
        source="Jaarverslag 2024",
    )
    target(made, "K2", None, dt.date(2012, 1, 1), dt.date(2013, 1, 1), 40)  # before the records
    target(made, "M1", None, *y2025, 12, tolerance_pct=Decimal(20))  # both municipalities
    store(own, "M1", month(3), 6, dimension=Dimension.MUNICIPALITY, member=nijmegen.pk)
    store(own, "M1", month(4), 4, dimension=Dimension.MUNICIPALITY, member=wijchen.pk)
    store(own, "M1", month(4), 99)  # the region's own cell: not the programme's municipalities
    return made


def _targets(body) -> dict[tuple[str, str | None], dict]:
    return {
        (t["kpi"], t["municipality"]["name"] if t["municipality"] else None): t
        for t in body["targets"]
    }


def test_a_programme_with_the_attainment_of_its_targets(tl, programme, regions):
    body = ok(tl.get(f"{PROGRAMMES}/{programme.uuid}"))
    assert body["uuid"] == str(programme.uuid) and body["partner"] == "Werktop BV"
    assert [m["name"] for m in body["municipalities"]] == ["Nijmegen", "Wijchen"]
    assert (body["start_on"], body["end_on"]) == ("2024-01-01", "2026-01-01")
    assert body["tolerance_pct"] == "3.0" and body["capacity_days_per_week"] == "2.0"
    assert body["fee_per_result"] == "1500.00" and body["fee_kpis"] == ["K1"]
    rows = _targets(body)
    missed = rows[("K1", "Nijmegen")]
    assert missed["kpi_version"] == 1 and missed["kpi_name"] == "Nieuwe werkgeverscontacten"
    assert (missed["start_on"], missed["end_on"], missed["kind"]) == (
        "2025-01-01",
        "2026-01-01",
        "doel",
    )
    assert (missed["value"], missed["realised"], missed["observed"]) == ("10.00", "8", "0")
    assert missed["status"] == "niet_behaald" and missed["pct_of_target"] == "80.0"
    assert missed["forecast"] == "8.00" and missed["tolerance_pct"] == "3.0"
    assert missed["warning"].startswith("Niet behaald: 8 van 10 (80,0 %), 2 te weinig.")

    imported = rows[("K3", "Wijchen")]
    assert (imported["realised"], imported["observed"]) == ("19.5", "19.5")
    assert imported["status"] == "binnen_tolerantie" and imported["pct_of_target"] == "97.5"
    assert "tolerantie van 3 %" in imported["warning"]

    whole = rows[("M1", None)]  # the programme's municipalities together: 6 + 4
    assert whole["realised"] == "10" and whole["tolerance_pct"] == "20.0"
    assert whole["status"] == "binnen_tolerantie"  # 10 of 12, 20 % tolerance: at least 9.6
    assert whole["pct_of_target"] == "83.3"

    no_data = rows[("K2", None)]
    assert no_data["status"] == "geen_gegevens" and no_data["realised"] == "0"
    assert no_data["pct_of_target"] is None and no_data["forecast"] is None
    assert no_data["warning"] == ""
    # No cure no pay: € 1,500 per new employer (K1, the programme's fee KPI): 8.
    assert body["fee_due"] == "12000.00"


def test_the_programme_list_is_the_own_regions(tl, programme, regions, people):
    foreign = make_programme(regions["other"], "Zaanse aanpak")
    target(foreign, "K1", None, dt.date(2025, 1, 1), dt.date(2026, 1, 1), 5)
    body = ok(tl.get(PROGRAMMES))
    assert [p["uuid"] for p in body["results"]] == [str(programme.uuid)]
    listed = body["results"][0]
    assert _targets(listed) == _targets(ok(tl.get(f"{PROGRAMMES}/{programme.uuid}")))
    assert listed["fee_due"] == "12000.00"
    for who in ("teamleider", "onderzoeker", "relatiemanager", "uwv_partner"):
        assert problem(api_for(people[who]).get(f"{PROGRAMMES}/{foreign.uuid}"), 404) == []
    assert problem(tl.get(f"{PROGRAMMES}/not-a-uuid"), 404) == []
    other = ok(api_for(people["other_region_rm"]).get(PROGRAMMES))
    assert [p["uuid"] for p in other["results"]] == [str(foreign.uuid)]


def test_a_programme_without_fee_or_targets(tl, regions):
    bare = make_programme(regions["own"], "Zonder afspraken", fee_per_result=None, fee_kpis=[])
    body = ok(tl.get(f"{PROGRAMMES}/{bare.uuid}"))
    assert body["targets"] == [] and body["fee_due"] is None


def _list_queries(client: APIClient) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        body = ok(client.get(PROGRAMMES, {"page_size": 100}))
    return len(queries), len(body["results"])


def test_the_programme_list_takes_the_same_number_of_queries_for_one_or_three(
    tl, programme, regions
):
    few, shown = _list_queries(tl)
    assert shown == 1
    own = regions["own"]
    for n in range(2):
        more = make_programme(own, f"Aanpak {n}", start_on=dt.date(2023, 1, 1))
        for kpi in ("K1", "K2", "K3", "C2", "M2"):
            for municipality in (None, *own["municipalities"]):
                target(more, kpi, municipality, dt.date(2025, 1, 1), dt.date(2026, 1, 1), 5)
        Observation.objects.create(
            region=own["region"],
            kpi="K2",
            start_on=dt.date(2025, 1, 1),
            end_on=dt.date(2026, 1, 1),
            value=Decimal(4),
            source="Regio",
        )
    many, shown = _list_queries(tl)
    assert shown == 3
    assert many == few, (few, many)
    assert many <= 12, many  # ten on SQLite: log-in (3), page (2), prefetches (2), attainment (3)


# --- Who may call it ------------------------------------------------------------------------


def test_only_who_steers_or_researches_may_call_it(people, programme):
    paths = (
        KPIS,
        f"{KPIS}/K1",
        f"{VALUES}?kpi=K1",
        PROGRAMMES,
        f"{PROGRAMMES}/{programme.uuid}",
    )
    for who in ("werkgever", "kandidaat"):
        client = api_for(people[who])
        for path in paths:
            assert problem(client.get(path), 403) == [], (who, path)
    for path in paths:
        response = APIClient().get(path)
        assert response.status_code in (401, 403), path
        assert response["Content-Type"] == "application/problem+json"
    for who in ("relatiemanager", "klantmanager", "onderzoeker", "beheerder", "uwv_partner"):
        client = api_for(people[who])
        for path in paths:
            ok(client.get(path))


def test_read_only(tl, programme):
    for path in (KPIS, VALUES, PROGRAMMES, f"{PROGRAMMES}/{programme.uuid}", f"{KPIS}/K1"):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(tl, method)(path, {}).status_code in (403, 405), (method, path)


# --- Schema ---------------------------------------------------------------------------------


def test_schema_has_the_monitoring_routes_without_warnings(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    assert not messages, messages
    validate_schema(schema)
    paths = schema["paths"]
    for path in (
        "/api/v1/kpis",
        "/api/v1/kpis/{code}",
        "/api/v1/kpi-values",
        "/api/v1/programmes",
        "/api/v1/programmes/{uuid}",
    ):
        assert set(paths[path]) == {"get"}, path
    parameters = {p["name"] for p in paths["/api/v1/kpi-values"]["get"]["parameters"]}
    assert {"kpi", "municipality", "team", "staff", "from", "to", "granularity"} <= parameters
    assert {"version", "part", "by"} <= parameters
    assert "code" in {p["name"] for p in paths["/api/v1/kpis"]["get"]["parameters"]}
    components = schema["components"]["schemas"]
    point = components["KpiPoint"]["properties"]
    assert point["value"]["type"] == "string" and point["value"].get("format") == "decimal"
    assert {"status", "forecast", "warning", "pct_of_target"} <= set(
        components["ProgrammeTarget"]["properties"]
    )


# --- The council report ---------------------------------------------------------------------

REPORTS = "/api/v1/council-reports"


def test_the_council_report_as_json_pdf_and_workbook(people):
    """The same report the page makes: JSON with the summary, targets and themes; or the file."""
    client = api_for(people["teamleider"])
    data = ok(client.get(REPORTS, {"from": "2026-01-01", "to": "2026-06-30"}))
    assert data["start"] == "2026-01-01" and data["end"] == "2026-07-01"
    assert data["municipality"] == "" and data["summary"]
    assert "Plaatsingen" in data["themes"]
    assert {row["code"] for row in data["themes"]["Plaatsingen"]} >= {"K2", "K4"}
    pdf = client.get(REPORTS, {"output": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    xlsx = client.get(REPORTS, {"output": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_a_wrong_report_period_is_named(people):
    assert problem(
        api_for(people["teamleider"]).get(REPORTS, {"from": "2026-06-01", "to": "2026-01-01"})
    ) == ["to"]


def test_portal_users_get_no_council_report(people):
    for role in ("werkgever", "kandidaat"):
        problem(api_for(people[role]).get(REPORTS), 403)
