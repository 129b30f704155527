"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit tables, so not
even raw SQL from the application can rewrite history. (SQLite: the ORM guard applies.)"""

from django.db import migrations

TABLES = ("core_changelogentry", "core_accesslogentry")

FUNCTION = """
CREATE OR REPLACE FUNCTION werkbrug_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit tables are append-only (%% on %%)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=())  # psycopg turns %% into %
    for table in TABLES:
        schema_editor.execute(
            # Statement level: refuses even an UPDATE/DELETE that matches no row. (TRUNCATE is
            # an owner's privilege: do not grant it to the application's database user.)
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION werkbrug_audit_append_only();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS werkbrug_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
