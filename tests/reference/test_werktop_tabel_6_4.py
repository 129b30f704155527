"""Werktop Tabel 6.4 (WT §6.1, "Uitkeringssituatie kandidaten en controlegroep") recomputed
with ``evaluation.stats``: the counts rebuilt from the printed column percentages and Ns give
the printed Pearson χ² for benefit duration (χ² = 12.62, df = 5, p < .027, marked ``*``).

The figures come from ``shared/reference/werktop_2014.json``, read from its copy in
``werkbrug/monitoring/data/`` as ``test_werktop_results.py`` does (``test_reference_copies.py``
checks that the copy is the shared original byte for byte).

Not checked here, because the JSON does not hold it: Tabel 6.6 (work situation, χ² = 13.48,
df = 2, p = .001). Its percentages are printed in the report (15.8/14.9/69.3 of 114 against
3.6/25.2/71.2 of 139) and rebuild to counts 18/17/79 and 5/35/99, which give χ² = 13.487:
13.48 in the report, so the report appears to cut the third decimal off rather than round.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import werkbrug.monitoring
from werkbrug.evaluation.stats import CrossTable, chi_square, reconstruct_counts

REFERENCE = Path(werkbrug.monitoring.__file__).resolve().parent / "data"
SOURCE = REFERENCE / "werktop_2014.json"

DATA = json.loads(SOURCE.read_text(encoding="utf-8"))
TABLE = DATA["tabel_6_4_uitkeringssituatie"]
GROUPS = ("werktop", "controle")


def _cross_table(part: dict) -> CrossTable:
    """The counts behind one part of Tabel 6.4: answers as rows, Werktop/control as columns."""
    columns = [reconstruct_counts(part[group], part["n"][group]) for group in GROUPS]
    return CrossTable.from_counts(
        part["labels"], GROUPS, [list(row) for row in zip(*columns, strict=True)]
    )


@pytest.mark.parametrize("part", ["duur_uitkering", "eerder_betaald_werk"])
def test_the_rebuilt_counts_reprint_the_published_percentages(part):
    """The reconstruction is faithful: the counts give back every printed percentage (to one
    decimal) and add up to the printed N of each group."""
    data = TABLE[part]
    table = _cross_table(data)
    assert table.col_totals == [data["n"][group] for group in GROUPS]
    reprinted = [[round(p, 1) for p in row] for row in table.column_percentages()]
    assert [list(column) for column in zip(*reprinted, strict=True)] == [
        data[group] for group in GROUPS
    ]


def test_benefit_duration_gives_the_published_chi_square():
    """Duur uitkering, N = 107 + 133: χ² = 12.62, df = 5, p < .027 (*), as WT §6.1 prints."""
    data = TABLE["duur_uitkering"]
    reported = data["reported_test"]
    assert (reported["chi2"], reported["df"], reported["p"]) == (12.62, 5, "<.027")

    result = chi_square(_cross_table(data))

    assert result.n == 107 + 133
    assert round(result.statistic, 2) == reported["chi2"]  # 12.622
    assert result.dof == reported["df"]
    # The report prints "p<.027"; the exact p is .02719, i.e. .027 to three decimals.
    assert abs(result.p_value - 0.027) < 0.0005
    assert round(result.p_value, 2) == 0.03
    assert result.mark == "*"
    # The last two durations have expected counts near 4 in both groups: 2 of 12 cells are
    # below 5 (16.7 %), within Cochran's rule, so the report's χ² needs no warning.
    assert not result.small_expected
    assert result.warning is None


def test_prior_paid_work_shows_no_significant_difference():
    """Eerder betaald werk (93.9/6.1 % of 114 against 88.7/11.3 % of 133): the report prints
    no χ² but says the groups do not differ significantly in it (WT §6.1, "Er zijn geen
    significante verschillen ... of de mate waarin men eerder betaald werk heeft gehad").
    The rebuilt counts 107/7 and 118/15 agree: χ² = 2.00, df = 1, p = .158, no mark."""
    result = chi_square(_cross_table(TABLE["eerder_betaald_werk"]))
    assert "reported_test" not in TABLE["eerder_betaald_werk"]
    assert result.dof == 1
    assert round(result.statistic, 2) == 2.00
    assert result.p_value >= 0.05
    assert result.mark == ""
