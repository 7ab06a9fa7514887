"""Who to call: the directory kept by each organisation for itself, read by everyone signed in,
and whom to involve shown on the case page from the rules."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import EventKind
from cases.services import record_case_event
from directory.choices import SpecialistRole
from directory.models import DirectoryEntry
from directory.services import save_entry
from navigator.errors import PermissionDenied, ValidationError
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def tactical_adviser(world: World) -> DirectoryEntry:
    return save_entry(
        acting_user=world.olive,
        organisation=world.force_a,
        role=SpecialistRole.TACTICAL_ADVISER,
        title="MSHT tactical adviser, on call",
        mailbox="tacad@force-a.invalid",
        phone="01632 960101",
        hours="Monday to Friday 08:00 to 18:00",
    )


def test_an_officer_finds_the_forces_tactical_adviser_on_the_case_page(
    world: World, tactical_adviser: DirectoryEntry
) -> None:
    record_case_event(
        case=world.case_a,
        kind=EventKind.INTERVIEW,
        at=timezone.now() + timedelta(days=3),
        acting_user=world.nadia,
    )
    text = client_for(world.omar).get(reverse("case-detail", args=[world.case_a.reference]))
    page = text.content.decode()
    assert "An interview is planned: the force&#x27;s tactical adviser" in page
    assert "MSHT tactical adviser, on call" in page
    assert 'href="tel:01632960101"' in page
    # Another force's officers do not see the case at all.
    assert (
        client_for(world.oscar)
        .get(reverse("case-detail", args=[world.case_a.reference]))
        .status_code
        == 404
    )


def test_partners_do_not_get_whom_to_involve(
    world: World, tactical_adviser: DirectoryEntry
) -> None:
    page = client_for(world.pat).get(reverse("partner-case", args=[world.case_a.reference]))
    assert "Who to involve" not in page.content.decode()


def test_each_organisation_keeps_its_own_entries_with_history(
    world: World, tactical_adviser: DirectoryEntry
) -> None:
    with pytest.raises(PermissionDenied):
        save_entry(
            acting_user=world.oscar,  # force B
            organisation=world.force_a,
            entry=tactical_adviser,
            role=SpecialistRole.TACTICAL_ADVISER,
            title="Changed",
            phone="1",
        )
    with pytest.raises(PermissionDenied):
        save_entry(
            acting_user=world.oscar,
            organisation=world.force_b,
            entry=tactical_adviser,
            role=SpecialistRole.TACTICAL_ADVISER,
            title="Moved",
            phone="1",
        )
    with pytest.raises(ValidationError) as refused:
        save_entry(
            acting_user=world.omar,
            organisation=world.force_a,
            role=SpecialistRole.VICTIM_LIAISON_OFFICER,
            title="VLO",
        )
    assert "phone" in refused.value.message_dict
    save_entry(
        acting_user=world.ada,
        organisation=world.force_a,
        entry=tactical_adviser,
        role=SpecialistRole.TACTICAL_ADVISER,
        title="Tactical adviser",
        phone="01632 960199",
    )
    assert [h.history_user for h in tactical_adviser.history.order_by("history_date")] == [
        world.olive,
        world.ada,
    ]


def test_the_entry_form_keeps_what_was_typed_and_names_the_field(world: World) -> None:
    client = client_for(world.olive)
    response = client.post(
        reverse("directory-entry-new"),
        {"role": SpecialistRole.VICTIM_LIAISON_OFFICER, "title": "Victim liaison", "hours": "9-5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a duty phone or a role mailbox" in page
    assert 'value="Victim liaison"' in page
    response = client.post(
        reverse("directory-entry-new"),
        {
            "role": SpecialistRole.VICTIM_LIAISON_OFFICER,
            "title": "Victim liaison",
            "phone": "01632 960102",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert DirectoryEntry.objects.get(title="Victim liaison").organisation == world.force_a


@pytest.mark.parametrize(
    ("who", "status"), [("oscar", 403), ("pat", 403), ("olive", 200), ("ada", 200)]
)
def test_who_may_change_an_entry(
    world: World, tactical_adviser: DirectoryEntry, who: str, status: int
) -> None:
    url = reverse("directory-entry-edit", args=[tactical_adviser.pk])
    response = client_for(getattr(world, who)).get(url)
    assert response.status_code == status


def test_the_directory_is_for_people_signed_in(
    world: World, tactical_adviser: DirectoryEntry
) -> None:
    assert Client().get(reverse("directory")).status_code == 302
    for who in ("pat", "oscar", "nemo"):
        page = client_for(getattr(world, who)).get(reverse("directory")).content.decode()
        assert "MSHT tactical adviser, on call" in page
    # Inactive entries are shown only to those who keep them.
    tactical_adviser.is_active = False
    tactical_adviser.save()
    assert (
        "MSHT tactical adviser"
        not in client_for(world.oscar).get(reverse("directory")).content.decode()
    )
    assert (
        "MSHT tactical adviser"
        in client_for(world.olive).get(reverse("directory")).content.decode()
    )


def test_the_directory_in_a_fixed_number_of_queries(
    world: World,
    tactical_adviser: DirectoryEntry,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(world.oscar)
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("directory"))
    for n in range(5):
        save_entry(
            acting_user=world.oscar,
            organisation=world.force_b,
            role=SpecialistRole.MSHT_TEAM,
            title=f"Team {n}",
            phone="01632 960000",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("directory"))


def test_administrators_keep_the_directory_in_the_admin(world: World) -> None:
    client = client_for(world.ada)
    add = reverse("admin:directory_directoryentry_add")
    fields = {
        "organisation": world.force_b.pk,
        "role": SpecialistRole.VICTIM_LIAISON_OFFICER,
        "title": "Victim care hub",
        "hours": "Every day",
        "is_active": "on",
    }
    refused = client.post(add, fields)
    assert refused.status_code == 200
    assert "Give a duty phone or a role mailbox" in refused.content.decode()
    assert client.post(add, {**fields, "phone": "01632 960201"}).status_code == 302
    entry = DirectoryEntry.objects.get(title="Victim care hub")
    assert entry.history.get().history_user == world.ada
