"""Drawing a control group: pure, repeatable, explainable.

The frame is a list of units (a key and the unit's stratum). The draw depends only on the
frame's *set* of keys, the size, the method and the seed: the frame is sorted by key first,
so the order a database returns rows in never changes who is drawn. Drawing again with the
same inputs gives the same group, which is how a reviewer checks a reported control group.

Stratified draws allocate the size over the strata in proportion to their share of the
frame (largest remainder, ties to the larger stratum, then by name), so the control group
has the frame's make-up on the stratification variables; within a stratum the draw is
simple random sampling without replacement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Unit:
    key: str
    stratum: str = ""


class SamplingError(ValueError):
    pass


def allocate(stratum_sizes: Mapping[str, int], size: int) -> dict[str, int]:
    """How many to draw per stratum: proportional, whole numbers, summing to ``size``,
    never more than a stratum holds."""
    total = sum(stratum_sizes.values())
    if size > total:
        raise SamplingError(f"Er zijn {total} mensen in het steekproefkader; {size} gevraagd.")
    if total == 0:
        return {name: 0 for name in stratum_sizes}
    exact = {name: n * size / total for name, n in stratum_sizes.items()}
    counts = {name: int(value) for name, value in exact.items()}
    short = size - sum(counts.values())
    order = sorted(
        stratum_sizes,
        key=lambda name: (-(exact[name] - counts[name]), -stratum_sizes[name], name),
    )
    for name in order[:short]:
        counts[name] += 1
    return counts


def draw(units: Sequence[Unit], *, size: int, seed: int, stratified: bool) -> list[Unit]:
    """The drawn units, in key order. Raises SamplingError when the frame is too small or a
    key occurs twice."""
    if size < 0:
        raise SamplingError("De omvang kan niet negatief zijn.")
    frame = sorted(units, key=lambda unit: unit.key)
    if len({unit.key for unit in frame}) != len(frame):
        raise SamplingError("Iemand staat twee keer in het steekproefkader.")
    if size > len(frame):
        raise SamplingError(f"Er zijn {len(frame)} mensen in het steekproefkader; {size} gevraagd.")
    rng = np.random.default_rng(seed)
    if not stratified:
        chosen = rng.choice(len(frame), size=size, replace=False) if size else np.empty(0, int)
        return sorted((frame[int(i)] for i in chosen), key=lambda unit: unit.key)
    by_stratum: dict[str, list[Unit]] = {}
    for unit in frame:
        by_stratum.setdefault(unit.stratum, []).append(unit)
    allocation = allocate({name: len(members) for name, members in by_stratum.items()}, size)
    drawn: list[Unit] = []
    for name in sorted(by_stratum):
        members, wanted = by_stratum[name], allocation[name]
        if wanted:
            drawn.extend(members[int(i)] for i in rng.choice(len(members), wanted, replace=False))
    return sorted(drawn, key=lambda unit: unit.key)
