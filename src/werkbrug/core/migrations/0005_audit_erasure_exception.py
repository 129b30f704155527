"""The append-only guard on PostgreSQL gets one sanctioned exception: erasure under the AVG
and the retention periods. A transaction that declares it (``SET LOCAL werkbrug.erasure =
'on'``, done only by ``core.audit.redact_for_erasure`` and ``delete_older_than``) may redact
or delete audit rows; everything else is still refused. This guards against mistakes and
application bugs, not against the database owner (who can drop the trigger anyway)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION werkbrug_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('werkbrug.erasure', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit tables are append-only (%% on %%)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""

STRICT = """
CREATE OR REPLACE FUNCTION werkbrug_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit tables are append-only (%% on %%)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=())


class Migration(migrations.Migration):
    dependencies = [("core", "0004_outgoing_email")]
    operations = [migrations.RunPython(forwards, backwards)]
