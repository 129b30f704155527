"""The national rules as of 1 July 2018, from the Hanze book (data/regels-2018-07-01.json)."""

import json
from pathlib import Path

from django.db import migrations

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "regels-2018-07-01.json"


def load(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    RuleSet.objects.get_or_create(
        region=None,
        valid_from=data["valid_from"],
        defaults={
            "name": data["name"],
            "source": data["source"],
            "values": data["values"],
            "sources": data["sources"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_rule_sets")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
