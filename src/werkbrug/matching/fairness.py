"""The fairness report's arithmetic (pure): how the people reached at each step of matching
are spread over groups (age bands, sex) compared with the pool they were drawn from.

For each group and step: the count, the share of everyone reached at that step, and the
*ratio* of that share to the group's share of the pool. A ratio of 1 means the group is reached
as often as its size predicts; below 0.8 (the "four-fifths" rule of thumb) it is flagged for a
person to look into. Counts below ``MIN_CELL`` are shown as "fewer than 5" and get no ratio,
so that no one can be recognised in a small group; when a column has one such group, the next
smallest is hidden too (else the total gives it away). A step that reached fewer than
``MIN_STEP`` people gets no ratios at all.
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
MIN_STEP = 20
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
    ratio: float | None  # share / pool share; None when hidden, or the step or group is small
    #: Not shown: a small group, or the one cell that would give a small group away by
    #: subtraction from the column's total.
    hidden: bool = False

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


def hidden_groups(counts: Mapping[str, int]) -> set[str]:
    """The groups of one column not to show: every small group, and when that is a single
    group, also the smallest other non-empty group (else the column total gives it away)."""
    hidden = {g for g, n in counts.items() if 0 < n < MIN_CELL}
    if len(hidden) == 1:
        others = sorted((n, g) for g, n in counts.items() if n > 0 and g not in hidden)
        if others:
            hidden.add(others[0][1])
    return hidden


def distribution(
    pool: Sequence[str], steps: Mapping[str, Sequence[str]], groups: Sequence[str]
) -> list[Row]:
    """One row per group: ``pool`` and each step list the group of every person counted
    (a person once per step). A step that reached fewer than ``MIN_STEP`` people gets no
    ratios: too few to compare."""
    pool_counts = Counter(pool)
    pool_total = len(pool)
    pool_hidden = hidden_groups({g: pool_counts.get(g, 0) for g in groups})
    step_counts = {}
    for name, members in steps.items():
        counts = Counter(members)
        step_counts[name] = (
            counts,
            len(members),
            hidden_groups({g: counts.get(g, 0) for g in groups}),
        )
    rows = []
    for group in groups:
        n_pool = pool_counts.get(group, 0)
        pool_share = n_pool / pool_total if pool_total else None
        cells = {}
        for name, (counts, total, hidden) in step_counts.items():
            n = counts.get(group, 0)
            share = n / total if total else None
            ratio = None
            comparable = total >= MIN_STEP and n_pool >= MIN_CELL and group not in pool_hidden
            if share is not None and pool_share and comparable and group not in hidden:
                ratio = share / pool_share
            cells[name] = Cell(n, share, ratio, hidden=group in hidden)
        rows.append(Row(group, Cell(n_pool, pool_share, None, hidden=group in pool_hidden), cells))
    return rows
