"""The demo-region generator's plug-in point.

Each app that has demo data adds a module ``werkbrug/<app>/demo.py`` with one or more seeders:

    from werkbrug.demo.registry import SeedContext, seeder

    @seeder(order=30, name="employers")
    def seed_employers(ctx: SeedContext) -> None:
        for municipality in ctx.shared["municipalities"]: ...

Seeders run in ``order``; they share data through ``ctx.shared`` and draw every random choice
from ``ctx.rng`` so one seed always gives the same region. ``ctx.scale`` is demo, region or
national; ``ctx.size(demo=…, region=…, national=…)`` picks a number for the scale.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SCALES = ("demo", "region", "national")


@dataclass
class SeedContext:
    scale: str
    seed: int
    rng: random.Random = field(init=False)
    shared: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"Unknown scale {self.scale!r}: use one of {', '.join(SCALES)}.")
        self.rng = random.Random(self.seed)

    def size(self, *, demo: int, region: int, national: int) -> int:
        return {"demo": demo, "region": region, "national": national}[self.scale]

    def uuid(self) -> uuid.UUID:
        """A UUID drawn from the seeded generator, so public ids repeat per seed."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def say(self, line: str) -> None:
        self.log.append(line)


Seeder = Callable[[SeedContext], None]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    fn: Seeder


_SEEDERS: dict[str, _Entry] = {}


def seeder(*, order: int, name: str) -> Callable[[Seeder], Seeder]:
    def register(fn: Seeder) -> Seeder:
        _SEEDERS[name] = _Entry(order, name, fn)
        return fn

    return register


def seeders() -> list[_Entry]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return sorted(_SEEDERS.values(), key=lambda e: (e.order, e.name))
