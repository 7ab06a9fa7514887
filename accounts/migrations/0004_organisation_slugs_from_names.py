"""Give every existing organisation a slug made from its name (unique, for commands), and
its history rows the slug it now has."""

from django.db import migrations
from django.utils.text import slugify


def slugs_from_names(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    taken = set(Organisation.objects.exclude(slug=None).values_list("slug", flat=True))
    for organisation in Organisation.objects.filter(slug=None).order_by("pk"):
        base = slugify(organisation.name)[:54] or "organisation"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        organisation.slug = slug
        organisation.save(update_fields=["slug"])
    HistoricalOrganisation = apps.get_model("accounts", "HistoricalOrganisation")
    slugs = dict(Organisation.objects.values_list("pk", "slug"))
    for row in HistoricalOrganisation.objects.filter(slug=None):
        row.slug = slugs.get(row.id) or slugify(row.name)[:60] or "organisation"
        row.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_slug_and_service_accounts"),
    ]

    operations = [
        migrations.RunPython(slugs_from_names, migrations.RunPython.noop),
    ]
