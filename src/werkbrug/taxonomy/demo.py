"""The demo region needs the curated task list: every database gets it from a data migration,
but a database emptied since (a test that flushes every table) does not have it any more."""

from __future__ import annotations

from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source


@seeder(order=5, name="taxonomy")
def ensure_curated_list(ctx: SeedContext) -> None:
    if Skill.objects.filter(source=Source.CURATED).exists():
        return
    done = curated.load_curated(Occupation, Skill, OccupationSkill)
    ctx.say(f"Takenlijst geladen: {done}.")
