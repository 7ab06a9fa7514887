"""Existing cases move to the codes police records use, and back again."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0013_codes_shared_with_police_records")]
AFTER = [("cases", "0014_police_record_codes_in_existing_cases")]
migration = importlib.import_module("cases.migrations.0014_police_record_codes_in_existing_cases")


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("British", "uk"),
        ("british citizen", "uk"),
        ("UK national", "uk"),
        ("Scottish", "uk"),
        ("Northern Irish", "uk"),
        ("British / Albanian", "uk"),  # a dual national holding UK nationality
        ("Irish", "non_uk"),
        ("Albanian", "non_uk"),
        ("Trinidad and Tobago", "non_uk"),
        ("Stateless", "non_uk"),
        ("", ""),
        ("Unknown", ""),
        (" n/k ", ""),
    ],
)
def test_free_text_nationality_is_grouped_only_where_it_says(text: str, group: str) -> None:
    assert migration.nationality_group(text) == group


@pytest.mark.django_db(transaction=True)
def test_old_codes_are_mapped_forwards_and_restored_backwards() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    force = old.get_model("accounts", "Organisation").objects.create(
        name="Old Force", kind="police_force"
    )
    victims = old.get_model("cases", "Victim")
    cases = old.get_model("cases", "Case")
    british = victims.objects.create(
        reference="V-OLD1", full_name="A", nationality="British", age_band="25_34"
    )
    unknown = victims.objects.create(
        reference="V-OLD2", full_name="B", nationality="", age_band="18_24"
    )
    own = cases.objects.create(
        reference="C-OLD1",
        victim=british,
        police_force=force,
        referring_agency="own_force",
        exploitation_location="uk",
    )
    external = cases.objects.create(
        reference="C-OLD2",
        victim=unknown,
        police_force=force,
        referring_agency="external",
        exploitation_location="overseas",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    case_now = {c.reference: c for c in new.get_model("cases", "Case").objects.all()}
    assert (
        case_now[own.reference].referring_agency,
        case_now[own.reference].exploitation_location,
    ) == (
        "police",
        "uk_only",
    )
    assert case_now[external.reference].exploitation_location == "overseas_only"
    groups = dict(
        new.get_model("cases", "Victim").objects.values_list("reference", "nationality_group")
    )
    assert groups == {"V-OLD1": "uk", "V-OLD2": ""}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps
    restored = back.get_model("cases", "Case").objects.get(reference=own.reference)
    assert (restored.referring_agency, restored.exploitation_location) == ("own_force", "uk")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
