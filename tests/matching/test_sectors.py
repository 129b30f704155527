"""``sectors.work_kind_for_sbi``: the WerkBedrijf kind of work an employer's SBI code offers.

Representative codes land in the expected kind (three-digit groups win over their division,
e.g. landscaping 813 is grey-green although division 81 is cleaning), and any input at all
gives either None or a valid ``taxonomy.WorkKind`` value, never an error.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from werkbrug.matching.sectors import work_kind_for_sbi
from werkbrug.taxonomy.models import WorkKind


@pytest.mark.parametrize(
    ("sbi", "kind"),
    [
        ("81210", WorkKind.CLEANING),  # general cleaning of buildings
        ("81300", WorkKind.GREY_GREEN),  # landscaping: the group beats division 81
        ("52101", WorkKind.PRODUCTION_LOGISTICS),  # warehousing
        ("47111", WorkKind.HOSPITALITY_CARE_RETAIL),  # supermarkets
        ("87101", WorkKind.HOSPITALITY_CARE_RETAIL),  # nursing homes
        ("43221", WorkKind.CONSTRUCTION_ICT_TECH),  # plumbing and installation
        ("62010", WorkKind.CONSTRUCTION_ICT_TECH),  # software development
        ("80101", WorkKind.CONSTRUCTION_ICT_TECH),  # security (group 801)
        ("01130", WorkKind.GREY_GREEN),  # growing vegetables
        ("69201", WorkKind.BUSINESS_SERVICES),  # accountancy
        ("56101", WorkKind.HOSPITALITY_CARE_RETAIL),  # restaurants
        ("  52101 ", WorkKind.PRODUCTION_LOGISTICS),  # surrounding spaces are ignored
        ("52", WorkKind.PRODUCTION_LOGISTICS),  # a division alone is enough
    ],
)
def test_representative_sbi_codes(sbi, kind):
    assert work_kind_for_sbi(sbi) == kind


@pytest.mark.parametrize("sbi", ["", "   ", "ab", "5", "x5210", None, "00000", "04100"])
def test_missing_short_or_unknown_codes_give_none(sbi):
    """Empty, too short, not starting with two digits, or a division outside the table."""
    assert work_kind_for_sbi(sbi) is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(), st.from_regex(r"\A\d{2,6}\Z")))
@example("²³")  # digits to str.isdigit(), but not a division
@example("８１２１０")  # full-width digits
@example("81\x00")
def test_any_input_gives_none_or_a_valid_work_kind(sbi):
    assert work_kind_for_sbi(sbi) in {None, *WorkKind.values}
