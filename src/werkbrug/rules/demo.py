"""The demo region calculates with the national rules: every database gets them from a data
migration, but a database emptied since (a test that flushes every table) does not have them
any more."""

from __future__ import annotations

from werkbrug.demo.registry import SeedContext, seeder
from werkbrug.rules import snapshot
from werkbrug.rules.models import RuleSet


@seeder(order=4, name="rules")
def ensure_national_rules(ctx: SeedContext) -> None:
    if snapshot.load(RuleSet):
        ctx.say("Landelijke regels van 1 juli 2018 geladen.")
