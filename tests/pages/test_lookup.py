"""Find a case: an officer types a reference and lands on the case, within their own force."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry
from pages.lookup import MISSES_ALLOWED, normalise_reference, too_many_misses
from tests.pages.conftest import client_for
from tests.personas import World


@pytest.mark.parametrize(
    ("typed", "tidied"),
    [
        ("AB/123/24", "AB/123/24"),
        ("  AB/123/24 \n", "AB/123/24"),
        ("NRM  2024   0001", "NRM 2024 0001"),
        ("", ""),
    ],
)
def test_a_typed_reference_loses_stray_spaces(typed: str, tidied: str) -> None:
    assert normalise_reference(typed) == tidied


@pytest.mark.parametrize(
    ("misses", "refused"),
    [(0, False), (MISSES_ALLOWED - 1, False), (MISSES_ALLOWED, True), (MISSES_ALLOWED + 5, True)],
)
def test_lookups_are_refused_after_too_many_misses(misses: int, refused: bool) -> None:
    assert too_many_misses(misses) is refused


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _find(client, term: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("case-lookup"), {"term": term})


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["crime_reference", "nrm_reference", "reference", "victim"])
def test_an_officer_finds_a_case_of_their_force_by_any_of_its_references(
    world: World, field: str
) -> None:
    world.case_a.crime_reference = "AB/123/24"
    world.case_a.nrm_reference = "NRM-2024-0001"
    world.case_a.save()
    term = {
        "crime_reference": " ab/123/24 ",
        "nrm_reference": "NRM-2024-0001",
        "reference": world.case_a.reference,
        "victim": world.case_a.victim.reference.lower(),
    }[field]
    client = client_for(world.olive)
    response = _find(client, term)
    assert response.status_code == 302
    assert response["Location"] == reverse("case-detail", args=[world.case_a.reference])
    assert "123" not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert AccessLogEntry.objects.filter(reader=world.olive, case_id=world.case_a.pk).exists()


@pytest.mark.django_db
def test_another_forces_case_answers_like_a_missing_one(world: World) -> None:
    world.case_b.crime_reference = "ZZ/999/24"
    world.case_b.save()
    client = client_for(world.olive)
    other_force = _find(client, "ZZ/999/24")
    missing = _find(client, "NO/SUCH/REF")
    assert other_force.status_code == missing.status_code == 200
    words = "No case you can see has that reference"
    assert words in other_force.content.decode()
    assert words in missing.content.decode()
    assert world.case_b.reference not in other_force.content.decode()
    assert not AccessLogEntry.objects.filter(case_id=world.case_b.pk).exists()


@pytest.mark.django_db
def test_an_empty_box_is_a_field_error_linked_from_the_summary(world: World) -> None:
    page = _find(client_for(world.olive), "   ").content.decode()
    assert "Enter a reference" in page
    assert 'href="#id_term"' in page


@pytest.mark.django_db
def test_repeated_misses_slow_an_officer_down_even_for_a_real_reference(world: World) -> None:
    world.case_a.crime_reference = "AB/123/24"
    world.case_a.save()
    client = client_for(world.olive)
    for attempt in range(MISSES_ALLOWED):
        _find(client, f"GUESS/{attempt}")
    refused = _find(client, "AB/123/24")
    assert refused.status_code == 200
    assert "Too many references not found" in refused.content.decode()
    # Another officer is not held up by it.
    assert _find(client_for(world.omar), "AB/123/24").status_code == 302


@pytest.mark.django_db
def test_the_lookup_page_is_not_stored_and_needs_signing_in(world: World) -> None:
    response = client_for(world.olive).get(reverse("case-lookup"))
    assert "no-store" in response["Cache-Control"]
    assert Client().get(reverse("case-lookup"))["Location"].startswith(reverse("login"))
