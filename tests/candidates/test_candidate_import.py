"""The caseload import: a file from the benefits system checked per row and column, people
recognised by their BSN pseudonym (updated, never registered twice), all or nothing, BSNs never
shown in full, and a parser that never crashes on whatever bytes arrive."""

from __future__ import annotations

import csv
import io
import random
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from werkbrug.candidates import imports, io_services
from werkbrug.candidates.models import Candidate, LadderStepChange
from werkbrug.core.access import actor_for
from werkbrug.core.bsn import bsn_pseudonym, protect_bsn
from werkbrug.core.roles import Role
from werkbrug.core.validators import generate_bsn

pytestmark = pytest.mark.django_db

BSN_A, BSN_B, BSN_C = "111222333", "123456782", "999999990"
BSN_D, BSN_E, BSN_F = (generate_bsn(random.Random(seed)) for seed in (1, 2, 3))
HEADINGS = [
    "bsn", "voornaam", "achternaam", "geboortedatum", "gemeente", "e-mail", "telefoon",
    "straat", "postcode", "woonplaats", "uitkering", "uitkering_sinds", "trede", "segment",
    "opleiding", "klantmanager",
]  # fmt: skip
ROWS = [
    {
        "bsn": BSN_A, "voornaam": "Fatima", "achternaam": "el Amrani",
        "geboortedatum": "14-03-1988", "gemeente": "Nijmegen", "e-mail": "fatima@Example.NL",
        "telefoon": "06 12345678", "straat": "Molenstraat 12", "postcode": "6511ab",
        "woonplaats": "Nijmegen", "uitkering": "PW_bijstand", "uitkering_sinds": "2022-09-01",
        "trede": "3", "segment": "ontwikkelklant", "opleiding": "3", "klantmanager": "klantmanager",
    },
    {
        "bsn": BSN_B, "voornaam": "Jürgen", "achternaam": "Çelik", "geboortedatum": "1975-11-02",
        "gemeente": "GM0268", "uitkering": "pw_bijstand", "trede": "4",
    },
]  # fmt: skip


def csv_bytes(rows, *, delimiter=";", encoding="cp1252", headings=HEADINGS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headings])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], headings=HEADINGS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def lead(people):
    return actor_for(people["teamleider"])


def run(actor, content, filename="caseload.csv", *, commit=True):
    with translation.override("en"):
        service = io_services.import_caseload if commit else io_services.check_caseload
        return service(actor=actor, content=content, filename=filename)


def problems(report) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in report.errors]


def make_candidate(regions, bsn=BSN_A, municipality=0, **values) -> Candidate:
    place = regions["own"]
    protected = protect_bsn(bsn)
    defaults = {"first_name": "Oud", "last_name": "Record", "birth_date": "1980-01-01"}
    return Candidate.objects.create(
        region=place["region"],
        municipality=place["municipalities"][municipality],
        bsn_pseudonym=protected.pseudonym,
        bsn_encrypted=protected.encrypted,
        **{**defaults, **values},
    )


def test_semicolon_cp1252_csv_imports_after_a_preview(lead, people):
    content = csv_bytes(ROWS)
    preview = run(lead, content, commit=False)
    assert preview.ok, preview.errors
    assert (preview.new, preview.updated, preview.unchanged) == (2, 0, 0)
    assert Candidate.objects.count() == 0  # the check saves nothing
    report = run(lead, content)
    assert report.ok and report.committed and report.encoding == "Windows-1252"
    fatima = Candidate.objects.get(bsn_pseudonym=bsn_pseudonym(BSN_A))
    assert fatima.email == "fatima@example.nl" and fatima.phone == "+31612345678"
    assert fatima.postcode == "6511 AB" and fatima.benefit_type == "pw_bijstand"
    assert fatima.client_manager == people["klantmanager"].staff
    assert fatima.benefit_duration is not None and fatima.segment == "ontwikkelklant"
    assert BSN_A not in fatima.bsn_encrypted and fatima.bsn_pseudonym != BSN_A
    jurgen = Candidate.objects.get(bsn_pseudonym=bsn_pseudonym(BSN_B))
    assert jurgen.first_name == "Jürgen" and jurgen.last_name == "Çelik"
    assert LadderStepChange.objects.filter(candidate=jurgen, step=4).count() == 1


def test_xlsx_with_real_dates_and_number_cells_imports(lead):
    import datetime as dt

    content = xlsx_bytes(
        [[int(BSN_B), "Jan", "de Vries", dt.datetime(1975, 11, 2), "Nijmegen", None, 612345678,
          None, None, None, "pw_bijstand", dt.date(2023, 1, 1), 5, None, 2, None]]
    )  # fmt: skip
    report = run(lead, content, "caseload.xlsx")
    assert report.ok, report.errors
    jan = Candidate.objects.get()
    assert jan.birth_date == dt.date(1975, 11, 2) and jan.phone == "+31612345678"
    assert jan.ladder_step == 5 and jan.education_level == 2


def test_utf8_bom_and_comma_separator(lead):
    report = run(lead, csv_bytes(ROWS, delimiter=",", encoding="utf-8-sig"))
    assert report.ok and report.encoding == "UTF-8" and report.delimiter == ","
    assert Candidate.objects.count() == 2


def test_known_bsn_is_updated_not_registered_twice(lead, regions):
    existing = make_candidate(regions, phone="+31201234567", ladder_step=2)
    row = {"bsn": BSN_A, "telefoon": "", "trede": "4", "woonplaats": "Lent"}
    preview = run(lead, csv_bytes([row]), commit=False)
    assert (preview.new, preview.updated) == (0, 1)
    report = run(lead, csv_bytes([row]))
    assert report.ok and Candidate.objects.count() == 1
    existing.refresh_from_db()
    assert existing.city == "Lent" and existing.ladder_step == 4
    assert existing.phone == "+31201234567"  # an empty cell erases nothing
    assert existing.first_name == "Oud"
    assert list(existing.ladder_history.values_list("step", flat=True)) == [4]
    again = run(lead, csv_bytes([row]), commit=False)
    assert (again.updated, again.unchanged) == (0, 1)


def test_same_bsn_twice_in_a_file_is_a_row_error(lead):
    report = run(lead, csv_bytes([ROWS[0], dict(ROWS[1], bsn="111 222 333")]))
    assert not report.ok and (3, "bsn") in problems(report)
    assert "row 2" in report.errors[0].message
    assert Candidate.objects.count() == 0


def test_invalid_values_are_reported_per_row_and_column_and_nothing_is_saved(lead):
    bad = [
        ROWS[0],
        dict(ROWS[1], bsn="123456789"),
        dict(ROWS[1], bsn=BSN_C, geboortedatum="31-02-1990"),
        dict(ROWS[1], bsn=BSN_D, gemeente="Atlantis"),
        dict(ROWS[1], bsn=BSN_E, trede="9"),
        dict(ROWS[1], bsn=BSN_F, gemeente="Zaanstad"),
    ]
    report = run(lead, csv_bytes(bad))
    found = problems(report)
    assert (3, "bsn") in found
    assert (4, "geboortedatum") in found
    assert (5, "gemeente") in found
    assert (6, "trede") in found
    assert (7, "gemeente") in found  # a municipality of another region does not exist here
    assert Candidate.objects.count() == 0 and not report.committed
    bsn_error = next(e for e in report.errors if e.row == 3)
    assert "elfproef" in bsn_error.message and bsn_error.value == "******789"
    with translation.override("en"):
        assert str(bsn_error).startswith("Row 3, column 'bsn':")
    for error in report.errors:  # never a BSN in full
        assert "123456789" not in str(error) + error.value


def test_dutch_report_text(lead):
    report = io_services.check_caseload(
        actor=lead, content=csv_bytes([dict(ROWS[0], bsn="123456789")]), filename="x.csv"
    )
    with translation.override("nl"):
        text = str(report.errors[0])
    assert text.startswith("Rij 2, kolom 'bsn':") and "Dit BSN voldoet niet aan de elfproef" in text


def test_a_team_lead_imports_only_their_own_municipality(lead, people, regions):
    report = run(lead, csv_bytes([dict(ROWS[1], gemeente="Wijchen")]))
    assert (2, "gemeente") in problems(report)
    make_candidate(regions, bsn=BSN_B, municipality=1)  # registered in Wijchen
    report = run(lead, csv_bytes([{"bsn": BSN_B, "trede": "3"}]))
    assert (2, "bsn") in problems(report)
    admin = actor_for(people["beheerder"])  # a functional administrator imports everywhere
    assert run(admin, csv_bytes([dict(ROWS[1], gemeente="Wijchen", bsn=BSN_C)])).ok


def test_new_people_need_name_birth_date_and_municipality(lead):
    report = run(lead, csv_bytes([{"bsn": BSN_A, "voornaam": "Anna"}]))
    assert {(2, "achternaam"), (2, "geboortedatum"), (2, "gemeente")} <= set(problems(report))


def test_client_manager_must_work_in_that_municipality(lead):
    report = run(lead, csv_bytes([dict(ROWS[0], klantmanager="onbekend@example.nl")]))
    assert (2, "klantmanager") in problems(report)
    ok = run(lead, csv_bytes([dict(ROWS[0], klantmanager="KLANTMANAGER@example.nl")]))
    assert ok.ok, ok.errors


def test_formula_looking_cells_stay_text(lead):
    rows = [
        dict(ROWS[0], voornaam='=HYPERLINK("http://x")', straat="'=1+2", telefoon="'+31612345678")
    ]
    report = run(lead, csv_bytes(rows, encoding="utf-8"))
    assert report.ok, report.errors
    person = Candidate.objects.get()
    assert person.first_name == '=HYPERLINK("http://x")'
    assert person.street == "=1+2" and person.phone == "+31612345678"
    xlsx = xlsx_bytes([[BSN_B, "=1+1", "Test", "01-01-1990", "Nijmegen"]])
    assert run(lead, xlsx, "x.xlsx").ok
    assert Candidate.objects.get(bsn_pseudonym=bsn_pseudonym(BSN_B)).first_name == "=1+1"


def test_only_importers_may_import(people):
    with pytest.raises(PermissionDenied):
        run(actor_for(people["klantmanager"]), csv_bytes(ROWS))


def test_the_page_previews_then_imports(people, login):
    client = login(people["teamleider"])
    url = reverse("candidates:import")
    assert "bsn" in client.get(url).content.decode()
    example = client.get(reverse("candidates:import_example"))
    assert example.status_code == 200 and example.content.startswith(b"\xef\xbb\xbfbsn;")
    upload = SimpleUploadedFile("caseload.csv", csv_bytes(ROWS), content_type="text/csv")
    preview = client.post(url, {"bestand": upload})
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-count="new">2<' in html
    assert BSN_A not in html and "******333" in html
    assert Candidate.objects.count() == 0
    token = preview.context["token"]
    done = client.post(url, {"stap": "importeren", "token": token})
    assert done.context["report"].committed and Candidate.objects.count() == 2
    replay = client.post(url, {"stap": "importeren", "token": token})
    assert replay.context["expired"] and Candidate.objects.count() == 2


def test_example_file_imports_as_it_is(people, regions):
    admin = actor_for(people["beheerder"])
    content, _type, _name = io_services.example_file(actor=admin)
    report = run(admin, content)
    assert report.ok, report.errors


JUNK = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@JUNK
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_parser(content):
    result = imports.parse(content, "x.csv")
    assert result.file_issues or all(isinstance(r.values, dict) for r in result.rows)


@JUNK
@given(
    st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=8), min_size=0, max_size=12),
    st.sampled_from([";", ",", "\t"]),
)
def test_arbitrary_tables_give_only_row_or_file_errors(cells, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["bsn", "voornaam", "geboortedatum", "trede"])
    writer.writerows(cells)
    result = imports.parse(buffer.getvalue().encode("utf-8"), "x.csv")
    for issue in result.issues:
        assert issue.row >= 0 and isinstance(issue.column, str)
        assert not (issue.value.isdigit() and len(issue.value) == 9)  # a BSN only masked
    assert result.issues or all("bsn" in r.values for r in result.rows)


@JUNK
@given(st.binary(max_size=600))
def test_arbitrary_bytes_as_xlsx_never_crash(content):
    result = imports.parse(b"PK\x03\x04" + content, "x.xlsx")
    assert [i.code for i in result.file_issues] == ["xlsx_damaged"]


def test_role_constant_is_used():
    assert Role.TEAM_LEAD == "teamleider"


def test_one_upload_reports_every_problem_of_a_row(lead):
    """A row with a bad BSN and a bad date also reports its impossible ladder step, instead of
    making the team lead upload again to find the next problem."""
    row = dict(ROWS[1], bsn="123456789", geboortedatum="31-02-1990", trede="9")
    found = problems(run(lead, csv_bytes([row]), commit=False))
    assert {(2, "bsn"), (2, "geboortedatum"), (2, "trede")} <= set(found)
    assert len(found) == len(set(found))  # each problem once
