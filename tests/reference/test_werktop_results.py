"""The Werktop results (WT §4.3, Tabel 6) judged with ``monitoring.targets.attainment`` against
the contract targets (WT §4.2: 70 new employers, 40 regular outflows, 20 WEPs per
municipality) reproduce what the report says about each municipality, including the source
quirk that Hilversum is said to have met its goals with 19 WEPs against 20.

The figures come from ``shared/reference/werktop_2014.json`` (values printed in the source
only), kept as a copy in ``werkbrug/monitoring/data/`` so the check runs in every clone (the
demo reads the same file).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

import werkbrug.monitoring
from werkbrug.monitoring.targets import Target, TargetStatus, attainment, fee_due

REFERENCE = Path(werkbrug.monitoring.__file__).resolve().parent / "data"
SOURCE = REFERENCE / "werktop_2014.json"

DATA = json.loads(SOURCE.read_text(encoding="utf-8"))
CONTRACT = DATA["contract_targets"]
TABLE = DATA["tabel_6_resultaten_werktop"]
#: The day the results were taken: the end of the 3-month extension.
JUDGED_ON = dt.date(2014, 4, 1)
#: Tabel 6 column → contract target key.
COLUMNS = {
    "deelnemende_ondernemers": "nieuwe_ondernemers_relatiemanagement",
    "uitstroom_regulier_werk": "uitstroom_naar_regulier_werk",
    "werkervaringsplaats": "werkervaringsplaatsen_met_behoud_van_uitkering",
}
A, M = TargetStatus.ACHIEVED, TargetStatus.MISSED


def _row(gemeente: str) -> dict[str, int]:
    (row,) = [r for r in TABLE["rows"] if r["gemeente"] == gemeente]
    return row


def _target(gemeente: str, column: str, tolerance_pct: Decimal = Decimal(3)) -> Target:
    """The contract target for one column: from the contract start to the end of the
    extension, or to the contract end where the extension did not apply (Zaanstad)."""
    end = (
        CONTRACT["contract_end"]
        if gemeente in CONTRACT["extension_not_applied_in"]
        else CONTRACT["extension_period"]["to"]
    )
    return Target(
        value=Decimal(CONTRACT["targets_per_gemeente"][COLUMNS[column]]),
        start=dt.date.fromisoformat(CONTRACT["contract_start"]),
        end=dt.date.fromisoformat(end),
        tolerance_pct=tolerance_pct,
    )


def _statuses(gemeente: str) -> tuple[TargetStatus, ...]:
    row = _row(gemeente)
    return tuple(
        attainment(_target(gemeente, column), row[column], JUDGED_ON).status for column in COLUMNS
    )


def test_the_contract_targets_are_70_40_20_for_every_municipality():
    """WT §4.2; the tests below depend on these numbers being read from the file."""
    assert CONTRACT["same_for_every_gemeente"] is True
    assert [CONTRACT["targets_per_gemeente"][key] for key in COLUMNS.values()] == [70, 40, 20]
    assert CONTRACT["extension_not_applied_in"] == ["Zaanstad"]


@pytest.mark.parametrize(
    ("gemeente", "expected"),
    [
        ("MUG-gemeenten", (A, A, A)),  # 136 ≥ 70, 65 ≥ 40, 59 ≥ 20
        ("Doetinchem", (A, A, A)),  # 86 ≥ 70, 68 ≥ 40, 31 ≥ 20
        ("Zaanstad", (M, M, M)),  # 30 < 67.9, 9 < 38.8, 12 < 19.4
        ("Lansingerland", (A, M, M)),  # 72 ≥ 70; 18 < 38.8; 12 < 19.4
        ("Hilversum", (A, A, M)),  # 74 ≥ 70, 46 ≥ 40; 19 < 19.4: see the quirk below
    ],
)
def test_each_municipality_is_judged_as_the_report_judges_it(gemeente, expected):
    """Judged after the period with the default 3 % tolerance (bounds 67.9 / 38.8 / 19.4):
    MUG and Doetinchem beat every target, Zaanstad stayed far behind on all three, and
    Lansingerland met the employer target only."""
    assert _statuses(gemeente) == expected


def test_every_judgement_is_final_on_the_day_the_results_were_taken():
    """2014-04-01 is the end of the extension, and past Zaanstad's contract end: no
    municipality is still ON_TRACK or BEHIND."""
    for row in TABLE["rows"]:
        for status in _statuses(row["gemeente"]):
            assert status in {A, TargetStatus.WITHIN_TOLERANCE, M}


def test_zaanstad_reached_less_than_half_of_the_employer_target():
    """30 of 70 = 42.9 %: "far behind", not a near miss."""
    result = attainment(_target("Zaanstad", "deelnemende_ondernemers"), 30, JUDGED_ON)
    assert result.pct_of_target == Decimal("42.9")
    assert result.status is M


def test_hilversum_wep_quirk_19_of_20_is_missed_although_the_report_says_goals_met():
    """Source quirk (domain guide, Appendix A: "Hilversum WEP 19 < 20, yet 'goals met'"),
    kept, not fixed: the report's text counts Hilversum among the municipalities that met
    their goals, but Tabel 6 prints 19 WEPs against the target of 20.

    With the default tolerance of 3 % the bound is 20 × 0.97 = 19.4, so 19 (95.0 %) is
    MISSED. Only a tolerance of at least 5 % (bound 20 × 0.95 = 19) would make it count as met,
    within tolerance; the report names no tolerance at all."""
    assert _row("Hilversum")["werkervaringsplaats"] == 19
    default = attainment(_target("Hilversum", "werkervaringsplaats"), 19, JUDGED_ON)
    assert default.status is M
    assert default.pct_of_target == Decimal("95.0")
    assert "19 van 20 (95,0 %), 1 te weinig" in default.warning_nl
    lenient = _target("Hilversum", "werkervaringsplaats", tolerance_pct=Decimal(5))
    assert attainment(lenient, 19, JUDGED_ON).status is TargetStatus.WITHIN_TOLERANCE


def test_the_total_row_is_the_sum_of_the_municipalities():
    """Tabel 6 'Totaal': 398 employers, 206 outflows, 133 WEPs."""
    for column in COLUMNS:
        assert sum(row[column] for row in TABLE["rows"]) == TABLE["totaal"][column]


def test_hilversum_outflow_includes_contracts_that_start_after_the_extension():
    """WT §4.4 footnote 4: Hilversum's 46 regular places are 33 signed contracts plus 13 that
    follow after 2014-04-01. Whether pending contracts earn the €1,500 fee is not defined in
    the contract, so the fee differs by the choice: 46 × 1,500 = 69,000 or 33 × 1,500 =
    49,500. Counting only the signed contracts, Hilversum would miss the outflow target too
    (33 < 40 × 0.97 = 38.8), so how pending contracts count matters for the verdict."""
    note = TABLE["footnotes"]["hilversum_uitstroom_regulier_werk"]
    assert (
        note["afgesloten_contracten"] + note["contracten_volgen_na_2014_04_01"]
        == (note["totaal_reguliere_plaatsen"])
    )
    assert note["totaal_reguliere_plaatsen"] == _row("Hilversum")["uitstroom_regulier_werk"]
    fee = Decimal(CONTRACT["fee_per_gerealiseerde_uitstroomplaats_eur"])
    assert fee_due(note["totaal_reguliere_plaatsen"], fee) == Decimal("69000.00")
    assert fee_due(note["afgesloten_contracten"], fee) == Decimal("49500.00")
    signed_only = attainment(
        _target("Hilversum", "uitstroom_regulier_werk"), note["afgesloten_contracten"], JUDGED_ON
    )
    assert signed_only.status is M
