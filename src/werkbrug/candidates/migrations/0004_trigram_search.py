"""Trigram indexes for the caseload search (PostgreSQL only).

The search is a case-insensitive "contains" (Django's ``icontains``: ``UPPER(col) LIKE
UPPER('%term%')``), which a B-tree index cannot answer; at 200,000 candidates it read every row of
a municipality. GIN trigram indexes on exactly those expressions let PostgreSQL find the matches
directly (docs/benchmarks.md, Candidates). ``pg_trgm`` is a trusted extension, so the database
owner may create it; where that is refused, the search still works, only slower, and the
migration says so instead of failing.
"""

from django.db import migrations, transaction

INDEXES = {
    "cand_first_name_trgm": "UPPER(first_name::text)",
    "cand_last_name_trgm": "UPPER(last_name::text)",
    "cand_talents_trgm": "UPPER(talents)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # noqa: BLE001 - no privilege: keep going without the indexes
            print(f"\n  pg_trgm not available ({exc}); the caseload search runs without it.")
            return
        for name, expression in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON candidates_candidate "
                f"USING gin ({expression} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0003_candidate_cand_region_scope")]

    operations = [migrations.RunPython(create, drop)]
