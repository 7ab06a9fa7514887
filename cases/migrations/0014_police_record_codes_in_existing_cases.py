"""Existing cases and victims take the codes police records use, so both read the same way.

- referring_agency: own_force becomes police;
- exploitation_location: uk becomes uk_only, overseas becomes overseas_only;
- nationality_group is set from the free-text nationality where it says clearly: a UK
  nationality (British, English, Scottish...) gives uk, any other stated nationality non_uk,
  and blank or "unknown" leaves it blank.

The history tables are mapped too, so old versions read in today's words. Going back
restores the old codes and clears nationality_group (the free text is never changed).
The word lists are frozen here on purpose: a migration must mean the same thing forever.
"""

import re

from django.db import migrations

CODE_CHANGES = {
    "referring_agency": {"own_force": "police"},
    "exploitation_location": {"uk": "uk_only", "overseas": "overseas_only"},
}

UK_WORDS = {
    "uk",
    "u.k.",
    "gb",
    "britain",
    "british",
    "england",
    "english",
    "scotland",
    "scottish",
    "wales",
    "welsh",
    "northern irish",
    "northern ireland",
    "united kingdom",
}
UNKNOWN_WORDS = {"", "unknown", "not known", "n/k", "nk", "not stated", "unrecorded", "?", "-"}


def nationality_group(text):
    """uk, non_uk, or blank when the text does not say."""
    cleaned = " ".join(text.lower().split())
    if cleaned in UNKNOWN_WORDS:
        return ""
    # Dual nationals who hold UK nationality are UK nationals ("British / Albanian").
    for piece in re.split(r"\s*(?:/|,|;|&|\+|\band\b)\s*", cleaned):
        if piece.removesuffix(" national").removesuffix(" citizen") in UK_WORDS:
            return "uk"
    return "non_uk"


def _map_codes(apps, direction):
    for model_name in ("Case", "HistoricalCase"):
        model = apps.get_model("cases", model_name)
        for field, changes in CODE_CHANGES.items():
            for old, new in changes.items():
                before, after = (old, new) if direction == "forward" else (new, old)
                model.objects.filter(**{field: before}).update(**{field: after})


def forwards(apps, schema_editor):
    _map_codes(apps, "forward")
    for model_name in ("Victim", "HistoricalVictim"):
        model = apps.get_model("cases", model_name)
        texts = model.objects.exclude(nationality="").values_list("nationality", flat=True)
        for text in set(texts):
            group = nationality_group(text)
            if group:
                model.objects.filter(nationality=text).update(nationality_group=group)


def backwards(apps, schema_editor):
    _map_codes(apps, "backward")
    for model_name in ("Victim", "HistoricalVictim"):
        apps.get_model("cases", model_name).objects.update(nationality_group="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_codes_shared_with_police_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
