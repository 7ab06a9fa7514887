"""Partner administrators: a flag on a partner caseworker who manages their organisation's
API keys and webhook endpoints.

Only a person (not an organisation's API account) who is a partner caseworker of a partner
organisation may hold it. The check constraint covers the staff row itself; the kind of
organisation is in another table, so triggers check it: on the staff row when the flag or
the organisation changes, and on the organisation when its kind changes.
"""

from django.db import migrations, models

# cases.choices.PARTNER_ORGANISATION_KINDS as it stands now (a migration keeps its own copy).
PARTNER_KINDS = "('support_ngo', 'other')"
REFUSED = "Only a partner caseworker of a partner organisation can be a partner administrator"

POSTGRESQL_FORWARD = f"""
CREATE FUNCTION accounts_partner_administrator_at_a_partner() RETURNS trigger AS $$
BEGIN
    IF NEW.is_partner_administrator AND NOT EXISTS (
        SELECT 1 FROM accounts_organisation
        WHERE id = NEW.organisation_id AND kind IN {PARTNER_KINDS}
    ) THEN
        RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER partner_administrator_at_a_partner
    BEFORE INSERT OR UPDATE OF is_partner_administrator, organisation_id ON accounts_staff
    FOR EACH ROW EXECUTE FUNCTION accounts_partner_administrator_at_a_partner();

CREATE FUNCTION accounts_partner_keeps_its_administrators() RETURNS trigger AS $$
BEGIN
    IF NEW.kind NOT IN {PARTNER_KINDS} AND EXISTS (
        SELECT 1 FROM accounts_staff
        WHERE organisation_id = NEW.id AND is_partner_administrator
    ) THEN
        RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER partner_keeps_its_administrators
    BEFORE UPDATE OF kind ON accounts_organisation
    FOR EACH ROW EXECUTE FUNCTION accounts_partner_keeps_its_administrators();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER partner_keeps_its_administrators ON accounts_organisation;
DROP FUNCTION accounts_partner_keeps_its_administrators();
DROP TRIGGER partner_administrator_at_a_partner ON accounts_staff;
DROP FUNCTION accounts_partner_administrator_at_a_partner();
"""
_STAFF_CHECK = f"""
    WHEN NEW.is_partner_administrator AND NOT EXISTS (
        SELECT 1 FROM accounts_organisation
        WHERE id = NEW.organisation_id AND kind IN {PARTNER_KINDS}
    )
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END;"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER partner_administrator_at_a_partner_insert BEFORE INSERT ON accounts_staff"
    f"{_STAFF_CHECK}",
    "CREATE TRIGGER partner_administrator_at_a_partner_update"
    f" BEFORE UPDATE OF is_partner_administrator, organisation_id ON accounts_staff{_STAFF_CHECK}",
    f"""CREATE TRIGGER partner_keeps_its_administrators
    BEFORE UPDATE OF kind ON accounts_organisation
    WHEN NEW.kind NOT IN {PARTNER_KINDS} AND EXISTS (
        SELECT 1 FROM accounts_staff WHERE organisation_id = NEW.id AND is_partner_administrator
    )
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER partner_keeps_its_administrators;",
    "DROP TRIGGER partner_administrator_at_a_partner_update;",
    "DROP TRIGGER partner_administrator_at_a_partner_insert;",
]


def check_the_organisation(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def stop_checking(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


def flag() -> models.BooleanField:
    return models.BooleanField(
        default=False,
        help_text="Manages the organisation's API keys and webhook endpoints. Only for "
        "partner caseworkers of a partner organisation.",
        verbose_name="partner administrator",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_staff_sign_in_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalstaff", name="is_partner_administrator", field=flag()
        ),
        migrations.AddField(model_name="staff", name="is_partner_administrator", field=flag()),
        migrations.AddConstraint(
            model_name="staff",
            constraint=models.CheckConstraint(
                condition=models.Q(is_partner_administrator=False)
                | models.Q(
                    role="partner_caseworker",
                    organisation__isnull=False,
                    is_service_account=False,
                ),
                name="only_partner_caseworkers_administer_partners",
            ),
        ),
        migrations.RunPython(check_the_organisation, stop_checking),
    ]
