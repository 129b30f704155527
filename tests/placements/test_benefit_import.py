"""The benefit-data import (uitstroom / herinstroom from the benefits system) and durability D2
it feeds: every problem named by row and column with a BSN only masked, all or nothing, a
re-import counted as unchanged, only pseudonyms stored (the candidate's own, so D2 links),
the region and the permission, and "no return to benefit within 12 months" for a hand-made
case in a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from candidates_support import make_candidate
from werkbrug.core.access import actor_for
from werkbrug.core.bsn import bsn_pseudonym
from werkbrug.core.models import ChangeLogEntry
from werkbrug.employers.models import Employer
from werkbrug.placements import benefit_imports as imports
from werkbrug.placements import benefit_services as services
from werkbrug.placements.models import (
    BenefitEvent,
    Contract,
    Outflow,
    Placement,
    PlacementKind,
)

BSN_A, BSN_B, BSN_C = "111222333", "123456782", "999999990"
HEADINGS = ["bsn", "soort", "datum", "gemeente"]
TODAY = dt.date(2026, 6, 1)
ROWS = [
    {"bsn": BSN_A, "soort": "uitstroom", "datum": "01-03-2025", "gemeente": "Nijmegen"},
    {"bsn": BSN_A, "soort": "Herinstroom", "datum": "2025-11-18", "gemeente": "GM0268"},
    {"bsn": BSN_B, "soort": "UITSTROOM", "datum": "15/06/2025", "gemeente": "268"},
]


def csv_bytes(rows, *, delimiter=";", encoding="cp1252", headings=HEADINGS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return buffer.getvalue().encode(encoding)


def problems(report_or_result) -> list[tuple[int, str]]:
    found = getattr(report_or_result, "errors", None)
    if found is None:
        found = report_or_result.issues
    return [(e.row, e.column) for e in found]


# --- The parser (pure: no database) ---------------------------------------------------------------


def test_a_good_file_is_read_with_friendly_kinds_and_both_date_forms():
    result = imports.parse(csv_bytes(ROWS), "uitkering.csv", today=TODAY)
    assert result.ok, result.issues
    assert [tuple(r.values.values()) for r in result.rows] == [
        (BSN_A, "uitstroom", dt.date(2025, 3, 1), "Nijmegen"),
        (BSN_A, "herinstroom", dt.date(2025, 11, 18), "GM0268"),
        (BSN_B, "uitstroom", dt.date(2025, 6, 15), "268"),
    ]
    assert set(result.rows[0].values) == {"bsn", "kind", "on", "municipality"}
    assert imports.parse_kind(" Her-instroom ") == "herinstroom"


def test_every_problem_is_named_by_row_and_column_with_the_bsn_masked():
    rows = [
        {"bsn": "123456789", "soort": "uitstroom", "datum": "01-03-2025", "gemeente": "Nijmegen"},
        {"bsn": BSN_B, "soort": "instroom", "datum": "31-02-2025", "gemeente": "Nijmegen"},
        {"bsn": BSN_C, "soort": "uit", "datum": "02-06-2026", "gemeente": ""},
        {"bsn": "", "soort": "", "datum": "01-01-1999", "gemeente": "Nijmegen"},
    ]
    result = imports.parse(csv_bytes(rows), "x.csv", today=TODAY)
    assert problems(result) == [
        (2, "bsn"),
        (3, "soort"), (3, "datum"),
        (4, "soort"), (4, "datum"), (4, "gemeente"),
        (5, "bsn"), (5, "soort"), (5, "datum"),
    ]  # fmt: skip
    codes = {(i.row, i.column): i.code for i in result.issues}
    assert codes[(4, "datum")] == "future" and codes[(5, "datum")] == "too_old"
    assert codes[(3, "soort")] == codes[(4, "soort")] == "kind"
    bsn_issue = result.issues[0]
    assert bsn_issue.value == "******789"
    assert all("123456789" not in i.value for i in result.issues)


def test_a_missing_column_is_a_file_problem():
    result = imports.parse(csv_bytes(ROWS, headings=["bsn", "datum", "gemeente"]), "x.csv")
    assert [(i.code, i.column) for i in result.file_issues] == [("missing_column", "soort")]


def test_the_same_event_twice_is_a_problem_of_the_later_row_only():
    # The same person, kind and day, written differently and for another municipality.
    rows = [ROWS[0], ROWS[1], dict(ROWS[0], bsn="111 222 333", datum="2025-03-01", gemeente="x")]
    result = imports.parse(csv_bytes(rows), "x.csv", today=TODAY)
    assert problems(result) == [(4, "bsn")]
    issue = result.issues[0]
    assert issue.code == "same_event" and issue.params == {"other": 2}
    assert issue.value == "******333"


JUNK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@JUNK
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_parser(content):
    result = imports.parse(content, "x.csv")
    assert result.file_issues or all(isinstance(r.values, dict) for r in result.rows)


@JUNK
@given(st.lists(st.lists(st.text(max_size=20), max_size=5), max_size=10))
def test_arbitrary_tables_give_only_row_or_file_errors_and_no_full_bsn(cells):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADINGS)
    writer.writerows(cells)
    result = imports.parse(buffer.getvalue().encode("utf-8"), "x.csv")
    for issue in result.issues:
        assert issue.row >= 0 and isinstance(issue.column, str)
        assert not (issue.value.isdigit() and len(issue.value) == 9)
    assert result.issues or all(len(r.values) == 4 for r in result.rows)


# --- The service ----------------------------------------------------------------------------------


@pytest.fixture
def km(people):
    return actor_for(people["klantmanager"])


def run(actor, content, filename="uitkering.csv", *, commit=True):
    with translation.override("en"):
        service = services.import_benefits if commit else services.check_benefits
        return service(actor=actor, content=content, filename=filename)


@pytest.mark.django_db
def test_check_saves_nothing_then_import_stores_pseudonyms_only(km, regions):
    content = csv_bytes(ROWS)
    preview = run(km, content, commit=False)
    assert preview.ok, preview.errors
    assert (preview.new, preview.unchanged, preview.rows) == (3, 0, 3)
    assert not BenefitEvent.objects.exists()
    report = run(km, content)
    assert report.ok and report.committed
    events = BenefitEvent.objects.order_by("on")
    assert [(e.kind, e.on) for e in events] == [
        ("uitstroom", dt.date(2025, 3, 1)),
        ("uitstroom", dt.date(2025, 6, 15)),
        ("herinstroom", dt.date(2025, 11, 18)),
    ]
    nijmegen = regions["own"]["municipalities"][0]
    assert {e.municipality for e in events} == {nijmegen}
    assert {e.source for e in events} == {"uitkering.csv"}
    assert events[0].bsn_pseudonym == bsn_pseudonym(BSN_A)
    for event in events:  # the BSN itself is nowhere
        assert BSN_A not in event.bsn_pseudonym and BSN_B not in event.bsn_pseudonym
    entries = ChangeLogEntry.objects.filter(object_repr=str(regions["own"]["region"]))
    [note] = [e.postchange["note"] for e in entries if "note" in (e.postchange or {})]
    assert "uitkering.csv: 3 new events (2 uitstroom, 1 herinstroom), 0 unchanged" in note


@pytest.mark.django_db
def test_a_re_import_is_unchanged_not_an_error(km):
    run(km, csv_bytes(ROWS[:2]))
    again = run(km, csv_bytes(ROWS))
    assert again.ok and again.committed, again.errors
    assert (again.new, again.unchanged) == (1, 2)
    assert [o.outcome for o in again.outcomes] == ["unchanged", "unchanged", "new"]
    assert BenefitEvent.objects.count() == 3


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_every_problem_is_reported(km):
    rows = [*ROWS, dict(ROWS[0], bsn="123456789"), dict(ROWS[2], bsn=BSN_C, gemeente="Atlantis")]
    report = run(km, csv_bytes(rows))
    assert not report.ok and not report.committed
    assert problems(report) == [(5, "bsn"), (6, "gemeente")]
    assert report.outcomes == [] and not BenefitEvent.objects.exists()
    assert report.errors[0].value == "******789"
    with translation.override("en"):
        assert str(report.errors[0]).startswith("Row 5, column 'bsn':")
    for error in report.errors:
        assert "123456789" not in str(error) + error.value


@pytest.mark.django_db
def test_dutch_report_text(km):
    rows = [dict(ROWS[0], soort="instroom"), dict(ROWS[1], datum="01-01-2099")]
    report = services.check_benefits(actor=km, content=csv_bytes(rows), filename="x.csv")
    with translation.override("nl"):
        texts = [str(e) for e in report.errors]
    assert texts[0].startswith("Rij 2, kolom 'soort':")
    assert texts[1].startswith("Rij 3, kolom 'datum':")


@pytest.mark.django_db
def test_the_municipality_must_be_in_the_region_and_ones_own(km, people):
    other_region = run(km, csv_bytes([dict(ROWS[0], gemeente="Zaanstad")]))
    assert problems(other_region) == [(2, "gemeente")]
    assert "no municipality “Zaanstad” in your region" in other_region.errors[0].message
    wijchen = run(km, csv_bytes([dict(ROWS[0], gemeente="Wijchen")]))
    assert problems(wijchen) == [(2, "gemeente")]
    assert "of Nijmegen only" in wijchen.errors[0].message
    assert not BenefitEvent.objects.exists()
    admin = actor_for(people["beheerder"])  # the functional administrator imports everywhere
    assert run(admin, csv_bytes([dict(ROWS[0], gemeente="Wijchen")])).committed
    elsewhere = actor_for(people["other_region_admin"])
    assert problems(run(elsewhere, csv_bytes(ROWS[:1]))) == [(2, "gemeente")]


@pytest.mark.django_db
def test_only_importers_may_import(people):
    for role in ("relatiemanager", "onderzoeker", "uwv_partner", "kandidaat"):
        with pytest.raises(PermissionDenied):
            run(actor_for(people[role]), csv_bytes(ROWS))
    for role in ("klantmanager", "teamleider", "beheerder"):
        assert run(actor_for(people[role]), csv_bytes(ROWS), commit=False).ok
    assert not BenefitEvent.objects.exists()


@pytest.mark.django_db
def test_example_file_imports_as_it_is(km):
    content, content_type, name = services.example_file(actor=km)
    assert content.startswith(b"\xef\xbb\xbfbsn;soort;datum;gemeente")
    assert content_type.startswith("text/csv") and name.endswith(".csv")
    report = run(km, content)
    assert report.ok and report.new == 3, report.errors


@pytest.mark.django_db
def test_xlsx_with_real_dates_and_number_cells(km):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["BSN", "Soort", "Datum (dd-mm-jjjj)", "Gemeente"])
    sheet.append([int(BSN_B), "uitstroom", dt.datetime(2025, 6, 15), 268])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(km, buffer.getvalue(), "uitkering.xlsx")
    assert report.ok and report.committed, report.errors
    assert BenefitEvent.objects.get().on == dt.date(2025, 6, 15)


# --- D2: no return to benefit within 12 months ----------------------------------------------------


def place(candidate, employer, owner, *, outflow=Outflow.FULL, outflow_on=None, **fields):
    values = {
        "region": candidate.region,
        "candidate": candidate,
        "employer": employer,
        "kind": PlacementKind.REGULAR,
        "contract": Contract.FIXED,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(32),
        "wage_pct_of_wml": Decimal(100),
        "start_on": (outflow_on or dt.date(2025, 1, 1)) - dt.timedelta(days=14),
        "outflow": outflow,
        "outflow_on": outflow_on,
        "owner": owner,
    }
    return Placement.objects.create(**(values | fields))


@pytest.mark.django_db
def test_no_return_share_for_a_hand_made_case(km, people, regions, django_assert_num_queries):
    own, other = regions["own"], regions["other"]
    nijmegen, wijchen = own["municipalities"]
    staff = people["klantmanager"].staff
    employer = Employer.objects.create(
        region=own["region"], name="Logistiek", municipality=own["municipalities"][0], owner=staff
    )
    persons = {}

    def person(key, **fields):
        candidate = make_candidate(own, complete=False, **fields)
        persons[key] = candidate
        return candidate

    def event(key, kind, on, municipality=nijmegen):
        BenefitEvent.objects.create(
            municipality=municipality,
            bsn_pseudonym=persons[key].bsn_pseudonym,
            kind=kind,
            on=on,
        )

    # Returned within 12 months: known, not a success.
    place(person("back"), employer, staff, outflow_on=dt.date(2025, 1, 10))
    event("back", "herinstroom", dt.date(2025, 6, 1))
    # Back on benefit only after 12 months, and once before the outflow: a success.
    place(person("late"), employer, staff, outflow_on=dt.date(2025, 2, 1))
    event("late", "herinstroom", dt.date(2024, 12, 1))
    event("late", "herinstroom", dt.date(2026, 3, 1))
    event("late", "uitstroom", dt.date(2025, 2, 1))
    # Back on benefit in another region: not in this region's benefit data, a success here.
    place(person("moved"), employer, staff, outflow_on=dt.date(2025, 3, 1))
    event("moved", "herinstroom", dt.date(2025, 5, 1), municipality=other["municipalities"][0])
    # Twelve months not passed yet, no return so far: not known.
    place(person("recent"), employer, staff, outflow_on=dt.date(2025, 12, 1))
    # Not counted: a partial outflow, an outflow outside the period, a person of Wijchen the
    # client manager of Nijmegen does not see.
    place(
        person("partial"), employer, staff, outflow=Outflow.PARTIAL, outflow_on=dt.date(2025, 4, 1)
    )
    place(person("before"), employer, staff, outflow_on=dt.date(2024, 6, 1))
    place(person("wijchen", municipality=wijchen), employer, staff, outflow_on=dt.date(2025, 4, 1))
    event("wijchen", "herinstroom", dt.date(2025, 5, 1), municipality=wijchen)

    period = {"start_from": dt.date(2025, 1, 1), "start_to": dt.date(2025, 12, 31)}
    with django_assert_num_queries(2):
        share = services.no_return_share(km, **period, today=TODAY)
    assert (share.outflows, share.known, share.no_return) == (4, 3, 2)
    assert share.share == pytest.approx(2 / 3)
    admin_view = services.no_return_share(actor_for(people["beheerder"]), **period, today=TODAY)
    assert admin_view.outflows == 0  # no placements.view: no placements at all
    empty = services.no_return_share(
        km, start_from=dt.date(2020, 1, 1), start_to=dt.date(2020, 2, 1)
    )
    assert (empty.outflows, empty.share) == (0, None)


@pytest.mark.django_db
def test_imported_events_link_to_the_candidates_placements(km, people, regions):
    """The import pseudonymises the BSN exactly as the candidate's record does, so D2 links."""
    own = regions["own"]
    staff = people["klantmanager"].staff
    employer = Employer.objects.create(
        region=own["region"], name="Logistiek", municipality=own["municipalities"][0], owner=staff
    )
    candidate = make_candidate(own, complete=False, bsn=BSN_A)
    place(candidate, employer, staff, outflow_on=dt.date(2025, 3, 1))
    period = {"start_from": dt.date(2025, 1, 1), "start_to": dt.date(2025, 12, 31)}
    before = services.no_return_share(km, **period, today=TODAY)
    assert (before.known, before.no_return) == (1, 1)
    assert run(km, csv_bytes(ROWS)).committed
    event = BenefitEvent.objects.get(kind="herinstroom")
    assert event.bsn_pseudonym == candidate.bsn_pseudonym
    after = services.no_return_share(km, **period, today=TODAY)
    assert (after.known, after.no_return) == (1, 0)


# --- The page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_checks_then_imports(people, login):
    client = login(people["klantmanager"])
    url = reverse("placements:benefits_import")
    assert url == "/plaatsingen/uitkeringsgegevens/"
    page = client.get(url)
    assert page.status_code == 200 and "soort" in page.content.decode()
    example = client.get(reverse("placements:benefits_example"))
    assert example.status_code == 200 and example.content.startswith(b"\xef\xbb\xbfbsn;")
    upload = SimpleUploadedFile("uitkering.csv", csv_bytes(ROWS), content_type="text/csv")
    preview = client.post(url, {"bestand": upload})
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-count="new">3<' in html
    assert BSN_A not in html and "******333" in html
    assert not BenefitEvent.objects.exists()
    token = preview.context["token"]
    done = client.post(url, {"stap": "importeren", "token": token})
    assert done.context["report"].committed and BenefitEvent.objects.count() == 3
    assert 'data-count="new">3<' in done.content.decode()
    replay = client.post(url, {"stap": "importeren", "token": token})
    assert replay.context["expired"] and BenefitEvent.objects.count() == 3
    upload = SimpleUploadedFile("uitkering.csv", csv_bytes(ROWS), content_type="text/csv")
    again = client.post(url, {"bestand": upload})
    assert 'data-count="unchanged">3<' in again.content.decode()


@pytest.mark.django_db
def test_the_page_shows_the_problems(people, login):
    client = login(people["teamleider"])
    rows = [dict(ROWS[0], bsn="123456789"), dict(ROWS[1], datum="morgen")]
    upload = SimpleUploadedFile("fout.csv", csv_bytes(rows), content_type="text/csv")
    response = client.post(reverse("placements:benefits_import"), {"bestand": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-count="errors">2<' in html
    assert "123456789" not in html and "******789" in html
    assert "elfproef" in html
    assert not response.context["token"] and not BenefitEvent.objects.exists()


@pytest.mark.django_db
def test_a_relationship_manager_may_not_import(people, login):
    client = login(people["relatiemanager"])
    assert client.get(reverse("placements:benefits_import")).status_code == 403
    assert client.get(reverse("placements:benefits_example")).status_code == 403
    upload = SimpleUploadedFile("uitkering.csv", csv_bytes(ROWS), content_type="text/csv")
    response = client.post(reverse("placements:benefits_import"), {"bestand": upload})
    assert response.status_code == 403 and not BenefitEvent.objects.exists()
