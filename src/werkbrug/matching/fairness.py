"""The fairness report's arithmetic (pure): how the people reached at each step of matching
are spread over groups (age bands, sex) compared with the pool they were drawn from.

For each group and step: the count, the share of everyone reached at that step, and the
*ratio* of that share to the group's share of the pool. A ratio of 1 means the group is reached
as often as its size predicts; below 0.8 (the "four-fifths" rule of thumb) it is flagged for a
person to look into. Counts below ``MIN_CELL`` are shown as "fewer than 5" and get no ratio,
so that no one can be recognised in a small group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: The WerkBedrijf reporting bands (WB Fig. 4.7).
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 26, "0–26"),
    (27, 34, "27–34"),
    (35, 44, "35–44"),
    (45, 54, "45–54"),
    (55, 200, "55+"),
)
UNKNOWN = "onbekend"
MIN_CELL = 5
FLAG_BELOW = 0.8


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for lo, hi, label in AGE_BANDS:
        if lo <= age <= hi:
            return label
    return UNKNOWN


@dataclass(frozen=True)
class Cell:
    count: int
    share: float | None  # of everyone at this step; None when the step reached no one
    ratio: float | None  # share / pool share; None for small cells or a small pool group

    @property
    def small(self) -> bool:
        return 0 < self.count < MIN_CELL

    @property
    def flagged(self) -> bool:
        return self.ratio is not None and self.ratio < FLAG_BELOW


@dataclass(frozen=True)
class Row:
    group: str
    pool: Cell
    steps: dict[str, Cell]


def distribution(
    pool: Sequence[str], steps: Mapping[str, Sequence[str]], groups: Sequence[str]
) -> list[Row]:
    """One row per group: ``pool`` and each step list the group of every person counted
    (a person once per step)."""
    pool_counts = Counter(pool)
    pool_total = len(pool)
    rows = []
    step_counts = {name: (Counter(members), len(members)) for name, members in steps.items()}
    for group in groups:
        n_pool = pool_counts.get(group, 0)
        pool_share = n_pool / pool_total if pool_total else None
        cells = {}
        for name, (counts, total) in step_counts.items():
            n = counts.get(group, 0)
            share = n / total if total else None
            ratio = None
            if share is not None and pool_share and n_pool >= MIN_CELL and not 0 < n < MIN_CELL:
                ratio = share / pool_share
            cells[name] = Cell(n, share, ratio)
        rows.append(Row(group, Cell(n_pool, pool_share, None), cells))
    return rows
