"""Rule sets in the database: the 2018 snapshot is loaded by the migrations, and the set
valid on a day is chosen by date (a region's own set going first on the same day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from werkbrug.rules import selectors
from werkbrug.rules.models import RuleSet

pytestmark = pytest.mark.django_db


def test_the_2018_snapshot_is_loaded_and_reads_cleanly():
    national = RuleSet.objects.get(region__isnull=True, valid_from=dt.date(2018, 7, 1))
    assert national.rule_values.lkv_other_year == Decimal(6000)
    assert "Hanze" in national.source
    assert national.sources["wml_month"].startswith("Configuratie")


def test_the_set_valid_on_a_day_is_chosen_by_date(regions):
    first = RuleSet.objects.get(valid_from=dt.date(2018, 7, 1))
    newer = RuleSet.objects.create(
        name="Landelijk 2019",
        valid_from=dt.date(2019, 1, 1),
        source="test",
        values=dict(first.values, wml_month="1615.80"),
    )
    own = regions["own"]["region"]
    regional = RuleSet.objects.create(
        region=own,
        name="Regionale catalogus",
        valid_from=dt.date(2019, 1, 1),
        source="verordening",
        values=dict(first.values, proefplaatsing_gemeente_max_months="3"),
    )
    assert selectors.rule_set_on(dt.date(2018, 12, 31)) == first
    assert selectors.rule_set_on(dt.date(2019, 1, 1)) == newer
    assert selectors.rule_set_on(dt.date(2019, 1, 1), own.pk) == regional  # own first
    other = regions["other"]["region"]
    assert selectors.rule_set_on(dt.date(2020, 5, 1), other.pk) == newer
    with pytest.raises(selectors.NoRules):
        selectors.rule_set_on(dt.date(2018, 6, 30))


def test_seed_demo_reloads_the_national_rules_into_an_emptied_database():
    """A test that flushes every table removes what the migration loaded; the demo needs it."""
    from werkbrug.demo.registry import SeedContext
    from werkbrug.rules.demo import ensure_national_rules

    RuleSet.objects.all().delete()
    ctx = SeedContext(scale="demo", seed=1)
    ensure_national_rules(ctx)
    assert RuleSet.objects.get(region__isnull=True).valid_from == dt.date(2018, 7, 1)
    ensure_national_rules(ctx)  # once only
    assert RuleSet.objects.count() == 1 and len(ctx.log) == 1
