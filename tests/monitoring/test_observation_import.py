"""The import of figures from outside Werkbrug (CSV, XLSX, JSON): every problem named by row
and column, all or nothing, a re-import that changes nothing, "update existing values", the
region and the permission, the page with its list, and the example files that import as they
are."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests_support import text
from werkbrug.core.access import actor_for
from werkbrug.core.imports import issue_text
from werkbrug.core.models import ChangeLogEntry
from werkbrug.monitoring import observation_imports as imports
from werkbrug.monitoring import observation_services as services
from werkbrug.monitoring.models import Observation
from werkbrug.regions.models import Municipality

HEADINGS = ["indicator", "gemeente", "gebied", "van", "tot", "jaar", "waarde", "bron"]
TODAY = dt.date(2026, 6, 1)
WB = "Evaluatie WerkBedrijf (2021), figuur 4.5"
ROWS = [
    # A municipality of the region by name, a period, Dutch thousands.
    {"indicator": "K4", "gemeente": "Nijmegen", "van": "01-01-2017", "tot": "01-01-2018",
     "waarde": "2.427", "bron": WB},
    # By CBS code, ISO dates, a KPI by its Dutch name, a decimal comma.
    {"indicator": "Na 6 maanden nog aan het werk", "gemeente": "GM0296", "van": "2019-01-01",
     "tot": "2019-07-01", "waarde": "72,5", "bron": "Eigen telling 2019"},
    # Another region (free text), a calendar year, an English decimal point.
    {"indicator": "l2", "gebied": "Nederland (Divosa-benchmark)", "jaar": "2019",
     "waarde": "50.5", "bron": "Divosa Benchmark Werk & Inkomen"},
]  # fmt: skip


def csv_bytes(rows, *, headings=HEADINGS, delimiter=";", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(content: bytes, name: str = "cijfers.csv") -> imports.ParseResult:
    return imports.parse(content, name, today=TODAY)


def problems(found) -> list[tuple[int, str]]:
    errors = getattr(found, "errors", None)
    if errors is None:
        errors = found.issues
    return [(e.row, e.column) for e in errors]


# --- The parser (pure: no database) ---------------------------------------------------------------


def test_a_good_file_is_read_in_dutch_and_english_notation():
    result = parse(csv_bytes(ROWS))
    assert result.ok, result.issues
    first, second, third = (row.values for row in result.rows)
    assert first == {
        "kpi": "K4",
        "municipality": "Nijmegen",
        "start_on": dt.date(2017, 1, 1),
        "end_on": dt.date(2018, 1, 1),
        "value": Decimal(2427),
        "source": WB,
    }
    assert (second["kpi"], second["value"], second["end_on"]) == (
        "D1-6",
        Decimal("72.5"),
        dt.date(2019, 7, 1),
    )
    assert (third["kpi"], third["area"], third["start_on"], third["end_on"]) == (
        "L2",
        "Nederland (Divosa-benchmark)",
        dt.date(2019, 1, 1),
        dt.date(2020, 1, 1),
    )
    assert third["value"] == Decimal("50.5")


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1.100", "1100"),
        ("1100", "1100"),
        ("1 100", "1100"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567", "1234567"),
        ("0,75", "0.75"),
        ("0.12", "0.12"),
        ("12,5 %", "12.5"),
    ],
)
def test_numbers_in_either_notation(written, value):
    assert imports.parse_number(written).value == Decimal(value)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("12,5,0", "number"),
        ("twaalf", "number"),
        ("1,100", "ambiguous"),  # 1,1 or 1100: refused, not guessed
        ("0,125", "decimals"),
        ("=B2/C2", "formula"),
        ("1.2.3", "number"),
        ("1" * 13, "too_large"),
    ],
)
def test_numbers_refused(written, code):
    with pytest.raises(imports.Invalid) as refused:
        imports.parse_number(written)
    assert refused.value.code == code


def test_indicators_by_code_or_name():
    assert imports.parse_kpi(" k6 ") == "K6"
    assert imports.parse_kpi("d1-12") == "D1-12"
    assert imports.parse_kpi("plaatsingen  op werk") == "K4"
    assert imports.parse_kpi("K4 – Plaatsingen op werk") == "K4"
    for wrong in ("K99", "Plaatsingen", "K4 Nieuwe werkgeverscontacten"):
        with pytest.raises(imports.Invalid):
            imports.parse_kpi(wrong)


BAD_HEADINGS = [*HEADINGS, "trendbreuk", "toelichting"]


def test_every_kind_of_bad_row_is_named_by_row_and_column():
    good = dict(ROWS[0])
    rows = [
        dict(good, indicator="K99"),  # 2: unknown indicator
        dict(good, waarde="12,5,0"),  # 3: not a number
        dict(good, waarde="1,100"),  # 4: ambiguous
        dict(good, bron=""),  # 5: no source
        dict(good, gemeente="", gebied=""),  # 6: no place
        dict(good, gebied="Zaanstad"),  # 7: both places
        dict(good, tot="01-01-2016"),  # 8: tot before van
        dict(good, tot="31-12-2017"),  # 9: tot inclusive
        dict(good, jaar="2017"),  # 10: jaar and van/tot
        dict(good, van="", tot="", jaar="17"),  # 11: not a year
        dict(good, van="01-01-2027", tot="01-01-2028"),  # 12: not begun yet
        dict(good, van="31-02-2017"),  # 13: not a date
        dict(good, trendbreuk="misschien"),  # 14: ja or nee
        dict(good, waarde="40 %"),  # 15: K4 is a count
        dict(good, indicator="D1-6", waarde="112"),  # 16: a percentage over 100
        dict(good, waarde="-3"),  # 17: negative
        dict(good, van="", tot=""),  # 18: no period
        dict(good, tot=""),  # 19: no end
        dict(good, van="01-01-1989"),  # 20: too old
        dict(good, tot="01-01-2037"),  # 21: longer than ten years
    ]
    result = parse(csv_bytes(rows, headings=BAD_HEADINGS))
    found = [(i.row, i.column, i.code) for i in result.issues]
    assert found == [
        (2, "indicator", "kpi"),
        (3, "waarde", "number"),
        (4, "waarde", "ambiguous"),
        (5, "bron", "required"),
        (6, "gemeente", "no_place"),
        (7, "gebied", "both_places"),
        (8, "tot", "end_not_after"),
        (9, "tot", "end_inclusive"),
        (10, "jaar", "year_and_dates"),
        (11, "jaar", "year"),
        (12, "van", "future"),
        (13, "van", "date"),
        (14, "trendbreuk", "boolean"),
        (15, "waarde", "percent"),
        (16, "waarde", "over_100"),
        (17, "waarde", "negative"),
        (18, "van", "no_period"),
        (19, "tot", "no_end"),
        (20, "van", "too_old"),
        (21, "tot", "too_long"),
    ]
    with translation.override("en"):
        texts = {i.row: issue_text(i) for i in result.issues}
    assert texts[3] == "“12,5,0” is not a number. Write it as 1.100 or 12,5."
    assert "1,1 or 1100" in texts[4]
    assert "up to and including 31-12-2017, write 01-01-2018" in texts[9]
    # A problem of the row shows the cell it is about, as a cell's own problem does.
    values = {(i.row, i.column): i.value for i in result.issues}
    assert values[(9, "tot")] == "31-12-2017" and values[(15, "waarde")] == "40 %"
    assert values[(7, "gebied")] == "Zaanstad" and values[(12, "van")] == "01-01-2027"


def test_missing_columns_are_a_problem_of_the_file():
    result = parse(csv_bytes(ROWS, headings=["indicator", "waarde", "bron", "van"]))
    assert [(i.code, i.column) for i in result.file_issues] == [
        ("missing_place", "gemeente"),
        ("missing_period", "tot"),
    ]
    result = parse(csv_bytes(ROWS, headings=["gemeente", "jaar", "bron"]))
    assert [(i.code, i.column) for i in result.file_issues] == [
        ("missing_column", "indicator"),
        ("missing_column", "waarde"),
    ]


def test_english_headings_and_a_json_list():
    english = ["kpi", "municipality", "area", "from", "until", "year", "value", "source"]
    content = csv_bytes(
        [dict(zip(english, [ROWS[0].get(h, "") for h in HEADINGS], strict=True))],
        headings=english,
    )
    assert parse(content).ok
    objects = [{k: v for k, v in row.items() if v} for row in ROWS]
    for shape in (objects, {"observations": objects}):
        result = parse(json.dumps(shape).encode(), "cijfers.json")
        assert result.ok and result.file_format == "json", result.issues
        assert [r.row for r in result.rows] == [1, 2, 3]
        assert [r.values["kpi"] for r in result.rows] == ["K4", "D1-6", "L2"]


def test_json_numbers_and_problems():
    objects = [
        {"indicator": "K4", "gemeente": "Nijmegen", "jaar": 2019, "waarde": 1100, "bron": "x"},
        {"indicator": "L2", "gebied": "NL", "jaar": 2019, "waarde": 12.5, "bron": "x"},
        "not an object",
        {"indicator": "K4", "gebied": ["a"], "jaar": 2019, "waarde": "12,5,0", "bron": "x"},
    ]
    result = parse(json.dumps(objects).encode(), "cijfers.json")
    assert [r.values.get("value") for r in result.rows[:2]] == [Decimal(1100), Decimal("12.50")]
    assert [(i.row, i.column, i.code) for i in result.issues] == [
        (3, "", "json_not_object"),
        (4, "waarde", "number"),  # the keys in the order first met: gebied comes last
        (4, "gebied", "json_nested"),
    ]
    broken = parse(b'[{"indicator": "K4",', "cijfers.json")
    assert [(i.row, i.code) for i in broken.file_issues] == [(0, "json_broken")]
    assert broken.file_issues[0].params["line"] == 1
    assert [i.code for i in parse(b'{"rows": []}', "x.json").file_issues] == ["json_shape"]
    assert [i.code for i in parse(b"[]", "x.json").file_issues] == ["no_rows"]


def test_the_same_figure_twice_in_the_file():
    rows = [ROWS[0], ROWS[2], dict(ROWS[0], gemeente=" nijmegen ", waarde="1")]
    result = parse(csv_bytes(rows))
    assert result.ok
    same = imports.same_figures(result.rows, imports.text_place, "indicator")
    assert [(i.row, i.column, i.params) for i in same] == [(4, "indicator", {"other": 2})]


# --- The service ----------------------------------------------------------------------------------


@pytest.fixture
def lead(people):
    return actor_for(people["teamleider"])


def run(actor, content, name="cijfers.csv", *, commit=True, update=False):
    with translation.override("en"):
        service = services.import_observations if commit else services.check_observations
        return service(
            actor=actor, rows=parse(content, name), file_name=name, update_existing=update
        )


def stored():
    return [
        (o.kpi, o.municipality.name if o.municipality else o.area, o.start_on, o.value)
        for o in Observation.objects.select_related("municipality").order_by("kpi", "start_on")
    ]


@pytest.mark.django_db
def test_check_saves_nothing_then_import_saves_with_an_audit_trail(lead, regions):
    preview = run(lead, csv_bytes(ROWS), commit=False)
    assert preview.ok, preview.errors
    assert (preview.new, preview.unchanged, preview.updated, preview.rows) == (3, 0, 0, 3)
    assert not Observation.objects.exists()
    report = run(lead, csv_bytes(ROWS))
    assert report.ok and report.committed
    assert stored() == [
        ("D1-6", "Wijchen", dt.date(2019, 1, 1), Decimal("72.50")),
        ("K4", "Nijmegen", dt.date(2017, 1, 1), Decimal(2427)),
        ("L2", "Nederland (Divosa-benchmark)", dt.date(2019, 1, 1), Decimal("50.50")),
    ]
    region = regions["own"]["region"]
    assert set(Observation.objects.values_list("region", flat=True)) == {region.pk}
    assert set(Observation.objects.values_list("imported_from", flat=True)) == {"cijfers.csv"}
    kind = ContentType.objects.get_for_model(Observation)
    created = ChangeLogEntry.objects.filter(content_type=kind, action="create")
    assert created.count() == 3
    notes = [
        e.postchange["note"]
        for e in ChangeLogEntry.objects.filter(object_repr=str(region))
        if "note" in (e.postchange or {})
    ]
    assert notes == ["Observation import cijfers.csv: 3 new, 0 updated, 0 already present"]


@pytest.mark.django_db
def test_xlsx_with_date_number_and_boolean_cells(lead):
    content = xlsx_bytes(
        [
            ["Indicator", "Gemeente", "Van (dd-mm-jjjj)", "Tot", "Waarde", "Bron", "Trendbreuk"],
            ["K6", "Nijmegen", dt.datetime(2020, 1, 1), dt.date(2021, 1, 1), 1238, WB, True],
            ["K5", "Wijchen", "01-01-2018", "01-01-2019", 12.5, WB, "nee"],
            ["K4", 268, dt.date(2016, 1, 1), dt.date(2017, 1, 1), "1.776", WB, None],
        ]
    )
    report = run(lead, content, "cijfers.xlsx")
    assert report.ok and report.committed, report.errors
    assert report.file_format == "xlsx"
    k6 = Observation.objects.get(kpi="K6")
    assert (k6.value, k6.trend_break, k6.end_on) == (Decimal(1238), True, dt.date(2021, 1, 1))
    assert Observation.objects.get(kpi="K5").value == Decimal("12.5")
    assert Observation.objects.get(kpi="K4").municipality.name == "Nijmegen"


@pytest.mark.django_db
def test_json_file(lead):
    objects = [
        {"indicator": "K2", "gebied": "Hilversum (Werktop)", "van": "2012-12-01",
         "tot": "2014-04-01", "waarde": 46, "bron": "Werktop Tabel 6", "trendbreuk": False,
         "toelichting": "Overzichten niet compleet."},
    ]  # fmt: skip
    report = run(lead, json.dumps({"observations": objects}).encode(), "cijfers.json")
    assert report.ok and report.new == 1, report.errors
    observation = Observation.objects.get()
    assert (observation.area, observation.note) == (
        "Hilversum (Werktop)",
        "Overzichten niet compleet.",
    )


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_every_problem_is_reported(lead):
    rows = [
        *ROWS,
        dict(ROWS[0], waarde="12,5,0"),
        dict(ROWS[0], gemeente="Zaanstad", van="01-01-2018", tot="01-01-2019"),
    ]
    report = run(lead, csv_bytes(rows))
    assert not report.ok and not report.committed
    assert problems(report) == [(5, "waarde"), (6, "gemeente")]
    assert report.outcomes == [] and not Observation.objects.exists()
    with translation.override("en"):
        assert str(report.errors[0]) == (
            "Row 5, column 'waarde': “12,5,0” is not a number. Write it as 1.100 or 12,5."
        )
    assert report.errors[0].value == "12,5,0"
    assert "belongs in the column “gebied”" in report.errors[1].message


@pytest.mark.django_db
def test_the_report_speaks_dutch(lead):
    rows = [ROWS[0], ROWS[1], dict(ROWS[0], waarde="12,5,0")]
    report = services.check_observations(actor=lead, rows=parse(csv_bytes(rows)), file_name="x.csv")
    with translation.override("nl"):
        [error] = [str(e) for e in report.errors]
    assert error.startswith("Rij 4, kolom 'waarde':") and "12,5,0" in error


@pytest.mark.django_db
def test_the_same_figure_twice_also_when_written_differently(lead):
    rows = [ROWS[0], dict(ROWS[0], gemeente="GM0268", waarde="2.500")]
    report = run(lead, csv_bytes(rows))
    assert problems(report) == [(3, "indicator")]
    assert "as row 2" in report.errors[0].message
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_a_re_import_changes_nothing(lead):
    assert run(lead, csv_bytes(ROWS[:2])).committed
    entries = ChangeLogEntry.objects.count()
    again = run(lead, csv_bytes(ROWS))
    assert again.ok and again.committed, again.errors
    assert (again.new, again.unchanged) == (1, 2)
    assert [o.outcome for o in again.outcomes] == ["unchanged", "unchanged", "new"]
    assert Observation.objects.count() == 3
    entries = ChangeLogEntry.objects.count()
    third = run(lead, csv_bytes(ROWS))
    assert (third.new, third.unchanged, third.updated) == (0, 3, 0)
    assert ChangeLogEntry.objects.count() == entries  # nothing written, not even a summary


@pytest.mark.django_db
def test_another_value_is_updated_only_when_asked(lead):
    run(lead, csv_bytes(ROWS))
    changed = [dict(ROWS[0], waarde="2.500"), ROWS[1], dict(ROWS[2], bron="Divosa 2020")]
    refused = run(lead, csv_bytes(changed))
    assert problems(refused) == [(2, "waarde"), (4, "bron")]
    assert "already holds a figure" in refused.errors[0].message
    assert [e.value for e in refused.errors] == ["2,500", "Divosa 2020"]  # what the file says
    assert (
        "2,427" in refused.errors[0].message
        and "Update existing values" in refused.errors[0].message
    )
    assert Observation.objects.get(kpi="K4").value == Decimal(2427)
    updated = run(lead, csv_bytes(changed), update=True)
    assert updated.committed, updated.errors
    assert (updated.new, updated.updated, updated.unchanged) == (0, 2, 1)
    k4 = Observation.objects.get(kpi="K4")
    assert (k4.value, k4.version) == (Decimal(2500), 2)
    assert updated.outcomes[0].previous == Decimal(2427)
    assert Observation.objects.get(kpi="L2").source == "Divosa 2020"
    assert Observation.objects.count() == 3
    kind = ContentType.objects.get_for_model(Observation)
    update = ChangeLogEntry.objects.get(content_type=kind, action="update", object_pk=str(k4.pk))
    assert (update.prechange["value"], update.postchange["value"]) == ("2427.00", "2500.00")


@pytest.mark.django_db
def test_the_whole_region_and_an_ended_municipality(lead, regions):
    own = regions["own"]
    Municipality.objects.create(
        region=own["region"], name="Groesbeek", cbs_code="GM0241", ended_on=dt.date(2015, 1, 1)
    )
    rows = [
        dict(ROWS[0], gemeente="regio"),
        dict(ROWS[0], gemeente="Regio RVN", indicator="K5"),
        dict(ROWS[0], gemeente="Groesbeek", van="01-01-2014", tot="01-01-2015"),
        dict(ROWS[0], gemeente="GM0241", van="01-01-2016", tot="01-01-2017"),
    ]
    report = run(lead, csv_bytes(rows))
    assert problems(report) == [(5, "gemeente")]
    assert "no longer exists since 01-01-2015" in report.errors[0].message
    assert run(lead, csv_bytes(rows[:3])).committed
    whole = Observation.objects.get(kpi="K5")
    assert (whole.municipality, whole.area) == (None, "")
    assert Observation.objects.get(start_on=dt.date(2014, 1, 1)).municipality.name == "Groesbeek"


@pytest.mark.django_db
def test_only_the_own_regions_municipalities(people):
    elsewhere = actor_for(people["other_region_admin"])
    report = run(elsewhere, csv_bytes(ROWS[:1]))
    assert problems(report) == [(2, "gemeente")]
    assert "“Nijmegen” is not a municipality of your region" in report.errors[0].message
    assert run(elsewhere, csv_bytes([dict(ROWS[0], gemeente="Zaanstad")])).committed
    assert (
        Observation.objects.get().region == people["other_region_admin"].staff.organisation.region
    )


@pytest.mark.django_db
def test_only_who_manages_monitoring_may_import(people):
    for role in ("relatiemanager", "klantmanager", "onderzoeker", "uwv_partner", "kandidaat"):
        with pytest.raises(PermissionDenied):
            run(actor_for(people[role]), csv_bytes(ROWS), commit=False)
        with pytest.raises(PermissionDenied):
            services.example_file(actor=actor_for(people[role]))
    for role in ("teamleider", "beheerder"):
        assert run(actor_for(people[role]), csv_bytes(ROWS), commit=False).ok
    assert not Observation.objects.exists()


# --- The page -------------------------------------------------------------------------------------

URL = "/sturing/cijfers/"


def upload(content: bytes, name: str = "cijfers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.django_db
def test_a_relationship_manager_gets_403(people, login):
    client = login(people["relatiemanager"])
    for name in ("observations", "observations_example_csv", "observations_example_xlsx"):
        assert client.get(reverse(f"monitoring:{name}")).status_code == 403
    response = client.post(URL, {"bestand": upload(csv_bytes(ROWS))})
    assert response.status_code == 403 and not Observation.objects.exists()


@pytest.mark.django_db
def test_the_page_checks_then_imports_and_lists_the_figures(people, login_en):
    client = login_en(people["teamleider"])
    assert reverse("monitoring:observations") == URL
    page = client.get(URL)
    assert page.status_code == 200 and "No figures from outside Werkbrug yet" in text(page)
    preview = client.post(URL, {"bestand": upload(csv_bytes(ROWS))})
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-count="new">3<' in html
    assert not Observation.objects.exists()
    token = preview.context["token"]
    done = client.post(URL, {"stap": "importeren", "token": token})
    assert done.context["report"].committed and Observation.objects.count() == 3
    listed = text(done)
    assert "cijfers.csv has been imported" in listed
    assert "3 figures, latest period first" in listed
    assert "Nederland (Divosa-benchmark)" in listed and "2,427" in listed
    replay = client.post(URL, {"stap": "importeren", "token": token})
    assert replay.context["expired"] and Observation.objects.count() == 3
    again = client.post(URL, {"bestand": upload(csv_bytes(ROWS))})
    assert 'data-count="unchanged">3<' in again.content.decode()
    assert "there is nothing to import" in text(again)
    only_k4 = client.get(URL, {"indicator": "K4"})
    assert [o.kpi for o in only_k4.context["page"].object_list] == ["K4"]


@pytest.mark.django_db
def test_the_page_shows_the_problems_and_keeps_update_existing(people, login_en):
    client = login_en(people["beheerder"])
    client.post(URL, {"bestand": upload(csv_bytes(ROWS))})  # checked only: nothing saved
    assert not Observation.objects.exists()
    lead = actor_for(people["teamleider"])
    run(lead, csv_bytes(ROWS))
    rows = [dict(ROWS[0], waarde="2.500"), dict(ROWS[1], waarde="12,5,0"), dict(ROWS[2], jaar="")]
    response = client.post(URL, {"bestand": upload(csv_bytes(rows), "fout.csv")})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-count="errors">3<' in html
    page = text(response)
    assert "Nothing has been imported from fout.csv" in page
    assert "“12,5,0” is not a number" in page and "Update existing values" in page
    assert not response.context["token"]
    # Asked to update: the changed value is a change, not a problem, also in the second step.
    fixed = [dict(ROWS[0], waarde="2.500"), ROWS[1], ROWS[2]]
    checked = client.post(URL, {"bestand": upload(csv_bytes(fixed)), "bijwerken": "on"})
    assert 'data-count="updated">1<' in checked.content.decode()
    assert "updated (was 2,427)" in text(checked) and "2,500" in text(checked)
    assert 'name="bijwerken" value="1"' in checked.content.decode()
    done = client.post(
        URL, {"stap": "importeren", "token": checked.context["token"], "bijwerken": "1"}
    )
    assert done.context["report"].committed and done.context["report"].updated == 1
    assert Observation.objects.get(kpi="K4").value == Decimal(2500)


@pytest.mark.django_db
def test_the_list_is_paged(people, login_en, regions):
    region = regions["own"]["region"]
    Observation.objects.bulk_create(
        Observation(
            region=region,
            kpi="K1",
            area=f"Gebied {n}",
            start_on=dt.date(2010 + n % 10, 1, 1),
            end_on=dt.date(2011 + n % 10, 1, 1),
            value=n,
            source="test",
        )
        for n in range(60)
    )
    client = login_en(people["teamleider"])
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50 and "Page 1 of 2" in text(first)
    second = client.get(URL, {"pagina": 2})
    assert len(second.context["page"].object_list) == 10


@pytest.mark.django_db
def test_the_page_runs_a_fixed_number_of_queries(
    people, login_en, regions, django_assert_max_num_queries
):
    own = regions["own"]

    def add(count: int) -> None:
        Observation.objects.bulk_create(
            Observation(
                region=own["region"],
                kpi="K4",
                municipality=own["municipalities"][n % 2],
                start_on=dt.date(1995 + n, 1, 1),
                end_on=dt.date(1996 + n, 1, 1),
                value=n,
                source="test",
            )
            for n in range(count)
        )

    client = login_en(people["teamleider"])
    add(2)
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    Observation.objects.all().delete()
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).context["page"].object_list) == 30


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_example_file_downloads_and_imports_as_it_is(people, login_en, fmt):
    client = login_en(people["teamleider"])
    response = client.get(reverse(f"monitoring:observations_example_{fmt}"))
    assert response.status_code == 200
    assert f'filename="voorbeeld-cijfers.{fmt}"' in response["Content-Disposition"]
    content = response.content
    if fmt == "csv":
        assert content.startswith(
            b"\xef\xbb\xbfindicator;gemeente;gebied;van;tot;jaar;waarde;bron;trendbreuk;toelichting"
        )
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert [c.value for c in sheet[1]][:3] == ["indicator", "gemeente", "gebied"]
    preview = client.post(URL, {"bestand": upload(content, f"voorbeeld-cijfers.{fmt}")})
    report = preview.context["report"]
    assert report.ok and report.new == 2, report.errors
    client.post(URL, {"stap": "importeren", "token": preview.context["token"]})
    assert stored() == [
        ("K2", "Hilversum (Werktop 2012-2014)", dt.date(2012, 12, 1), Decimal(46)),
        ("L2", "Nederland (Divosa-benchmark)", dt.date(2019, 1, 1), Decimal(50)),
    ]
    again = client.post(URL, {"bestand": upload(content, f"voorbeeld-cijfers.{fmt}")})
    assert again.context["report"].unchanged == 2
