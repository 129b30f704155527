"""Load the curated Dutch occupations and tasks, so every database (test databases included)
has them. Later changes to ``data/curated_nl.json`` arrive with a new migration that runs the
same loader again (it is idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from werkbrug.taxonomy.curated import load_curated

    load_curated(
        apps.get_model("taxonomy", "Occupation"),
        apps.get_model("taxonomy", "Skill"),
        apps.get_model("taxonomy", "OccupationSkill"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
