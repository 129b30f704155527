"""The pure ESCO CSV parser: no database, arbitrary input never crashes it."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkbrug.taxonomy import esco_parse
from werkbrug.taxonomy.esco_parse import ParseError

OCC_HEADER = "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description,code\n"


def test_occupations_are_parsed_by_heading() -> None:
    text = (
        "\ufeffpreferredLabel,extra,iscoGroup,conceptUri,altLabels\n"
        '"lasser",x,7212,http://e/o/1,"las-\nmedewerker\n\nlasser\nconstructielasser"\n'
        "\n"
        "metselaar,,C7112,http://e/o/2,\n"
    )
    records = esco_parse.parse_occupations(text, "occ.csv")
    assert [r.label for r in records] == ["lasser", "metselaar"]
    assert records[0].alt_labels == ("las-", "medewerker", "constructielasser")
    assert records[0].row == 2
    assert records[1].row == 4  # the blank row keeps its number
    assert records[1].isco_code == "7112"


def test_missing_column_names_file_and_column() -> None:
    with pytest.raises(ParseError) as info:
        esco_parse.parse_occupations("conceptUri,preferredLabel\nx,y\n", "occ.csv")
    assert info.value.column == "iscoGroup"
    assert "occ.csv" in str(info.value) and "iscoGroup" in str(info.value)


def test_bad_isco_names_row() -> None:
    text = OCC_HEADER + "Occupation,u1,1234,a,,,\nOccupation,u2,123,b,,,\n"
    with pytest.raises(ParseError) as info:
        esco_parse.parse_occupations(text, "occ.csv")
    assert (info.value.row, info.value.column) == (3, "iscoGroup")
    assert "row 3" in str(info.value)


def test_duplicate_uri_and_empty_label_are_errors() -> None:
    with pytest.raises(ParseError, match="already in row 2"):
        esco_parse.parse_occupations(OCC_HEADER + "O,u1,1234,a,,,\nO,u1,1234,b,,,\n")
    with pytest.raises(ParseError, match="empty"):
        esco_parse.parse_skills("conceptUri,preferredLabel\nu1,\n")


@pytest.mark.parametrize(
    ("skill_type", "kind"),
    [
        ("knowledge", "kennis"),
        ("skill/competence", "vaardigheid"),
        ("transversal", "houding"),
        ("Attitudes", "houding"),
        ("language", "vaardigheid"),
        ("", "vaardigheid"),
    ],
)
def test_skill_kinds(skill_type: str, kind: str) -> None:
    assert esco_parse.skill_kind(skill_type) == kind


def test_relations_default_and_bad_type() -> None:
    records = esco_parse.parse_relations("occupationUri,skillUri\no,s\no,s\n")
    assert len(records) == 1 and records[0].relation == "essential"
    with pytest.raises(ParseError) as info:
        esco_parse.parse_relations("occupationUri,relationType,skillUri\no,sometimes,s\n")
    assert (info.value.row, info.value.column) == (2, "relationType")


def test_file_that_is_not_utf8(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "skills.csv"
    path.write_bytes("conceptUri,preferredLabel\nu,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ParseError, match="UTF-8") as info:
        esco_parse.read_text(path)
    assert info.value.file == "skills.csv"


def test_describe_translates_parts() -> None:
    error = ParseError("f.csv", 2, "iscoGroup", "bad %(value)s", {"value": "x"})
    described = error.describe(lambda text: f"<{text}>")
    assert described == "<<f.csv, row 2>, column iscoGroup>: <bad x>"


# --- Properties ---------------------------------------------------------------------------------

PARSERS = [esco_parse.parse_occupations, esco_parse.parse_skills, esco_parse.parse_relations]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400), which=st.sampled_from(PARSERS))
def test_arbitrary_text_never_crashes(text: str, which) -> None:  # noqa: ANN001
    try:
        records = which(text, "x.csv")
    except ParseError as error:
        assert error.file == "x.csv"
        str(error)
    else:
        assert isinstance(records, list)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(cell, min_size=0, max_size=8), max_size=6),
    header=st.permutations(["conceptUri", "preferredLabel", "iscoGroup", "altLabels", "code"]),
)
def test_arbitrary_rows_give_records_or_a_parse_error(rows: list[list[str]], header) -> None:  # noqa: ANN001
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    try:
        records = esco_parse.parse_occupations(buffer.getvalue(), "occ.csv")
    except ParseError as error:
        assert error.row is not None and error.row >= 1
    else:
        for record in records:
            assert len(record.isco_code) == 4 and record.isco_code.isdigit()
            assert record.uri and record.label
            assert record.label not in record.alt_labels
