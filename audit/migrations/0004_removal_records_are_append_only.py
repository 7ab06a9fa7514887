"""Removal records are append-only in the database, like the access log."""

from django.db import migrations

TABLE = "audit_removalrecord"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION audit_removal_record_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Removal records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER removal_record_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_removal_record_is_append_only();
"""
POSTGRESQL_BACKWARD = f"""
DROP TRIGGER removal_record_append_only ON {TABLE};
DROP FUNCTION audit_removal_record_is_append_only();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER removal_record_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'Removal records are append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER removal_record_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'Removal records are append-only: DELETE refused'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER removal_record_no_update;",
    "DROP TRIGGER removal_record_no_delete;",
]


def make_append_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def allow_changes_again(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_removal_records")]

    operations = [migrations.RunPython(make_append_only, allow_changes_again)]
