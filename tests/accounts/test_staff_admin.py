"""An account that is still a victim's current point of contact keeps its role and stays on
until its cases are handed on: the admin says so beside the field and changes nothing."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Staff
from cases.choices import PocRole
from cases.services import assign_point_of_contact, hand_on_cases
from tests.personas import World

pytestmark = pytest.mark.django_db


def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(world.ada)
    return client


def change_form(person: Staff, **changes: Any) -> dict[str, Any]:
    """The admin's change form for ``person`` as the page would send it, with ``changes``."""
    joined = timezone.localtime(person.date_joined)
    data: dict[str, Any] = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "is_active": "on" if person.is_active else "",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "role": person.role,
        "organisation": person.organisation_id or "",
        "supervisor": person.supervisor_id or "",
        "languages": json.dumps(person.languages),
        "caseload_capacity": person.caseload_capacity,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def change(world: World, person: Staff, **changes: Any) -> Any:
    url = reverse("admin:accounts_staff_change", args=[person.pk])
    return admin_client(world).post(url, change_form(person, **changes))


def test_a_current_navigator_cannot_be_switched_off(world: World) -> None:
    response = change(world, world.noah, is_active="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "is still the current point of contact on 1 case" in page
    assert world.case_b.reference in page
    assert "Hand them on first" in page
    world.noah.refresh_from_db()
    assert world.noah.is_active


def test_a_current_point_of_contact_cannot_change_role(world: World) -> None:
    response = change(world, world.olive, role=Role.SUPERVISOR)
    assert response.status_code == 200
    assert "is still the current point of contact on 1 case" in response.content.decode()
    world.olive.refresh_from_db()
    assert world.olive.role == Role.OFFICER


def test_once_the_cases_are_handed_on_the_account_can_be_switched_off(world: World) -> None:
    hand_on_cases(
        from_person=world.noah,
        successors={world.case_b.pk: world.nadia},
        acting_user=world.sam,
        reason="Noah has left",
    )
    response = change(world, world.noah, is_active="")
    assert response.status_code == 302, response.content.decode()[:2000]
    world.noah.refresh_from_db()
    assert not world.noah.is_active


def test_other_changes_to_a_current_point_of_contact_are_saved(world: World) -> None:
    response = change(world, world.noah, caseload_capacity=15, languages='["Arabic"]')
    assert response.status_code == 302
    world.noah.refresh_from_db()
    assert (world.noah.caseload_capacity, world.noah.languages) == (15, ["Arabic"])


def test_someone_no_longer_a_point_of_contact_can_change_role(world: World) -> None:
    assign_point_of_contact(
        case=world.case_a, role=PocRole.POLICE, person=world.omar, acting_user=world.nadia
    )
    response = change(world, world.olive, role=Role.SUPERVISOR)
    assert response.status_code == 302
