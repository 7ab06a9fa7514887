"""The access log is append-only in the database itself, and takes over the earlier
log of record views (cases.RecordView), which the next cases migration removes."""

from django.db import migrations

TABLE = "audit_accesslogentry"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION audit_access_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_access_log_is_append_only();
"""
POSTGRESQL_BACKWARD = f"""
DROP TRIGGER access_log_append_only ON {TABLE};
DROP FUNCTION audit_access_log_is_append_only();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER access_log_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The access log is append-only: UPDATE refused'); END;""",
    f"""CREATE TRIGGER access_log_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The access log is append-only: DELETE refused'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER access_log_no_update;",
    "DROP TRIGGER access_log_no_delete;",
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


def copy_record_views(apps, schema_editor):
    RecordView = apps.get_model("cases", "RecordView")
    AccessLogEntry = apps.get_model("audit", "AccessLogEntry")
    batch = []
    views = RecordView.objects.select_related("viewer", "case__victim").order_by("pk")
    for view in views.iterator(chunk_size=2000):
        batch.append(
            AccessLogEntry(
                at=view.viewed_at,
                reader_id=view.viewer_id,
                organisation_id=view.viewer.organisation_id,
                channel=view.channel,
                case_id=view.case_id,
                case_reference=view.case.reference,
                victim_reference=view.case.victim.reference,
            )
        )
        if len(batch) >= 2000:
            AccessLogEntry.objects.bulk_create(batch)
            batch = []
    AccessLogEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("cases", "0003_plain_names"),
    ]

    operations = [
        migrations.RunPython(copy_record_views, migrations.RunPython.noop),
        migrations.RunPython(make_append_only, allow_changes_again),
    ]
