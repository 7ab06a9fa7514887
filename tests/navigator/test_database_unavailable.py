"""While the database cannot be reached (restarting, failing over), every page and endpoint
answers 503 "try again in a minute" with nothing about anyone on it, and saves nothing;
as soon as it is back, the same requests succeed on a fresh connection."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from contacts.models import CheckIn
from tests.faults.servers import free_port
from tests.pages.conftest import contact_form
from tests.personas import World

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_unreachable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The real connection, to a port where no database listens: what a restart looks like
    to the app (connections refused) until the server is back."""
    connection.close()
    with monkeypatch.context() as patch:
        patch.setitem(connection.settings_dict, "PORT", str(free_port()))
        patch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        try:
            yield
        finally:
            connection.close()
    connection.close()


def signed_in(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.nadia)
    return client


def test_a_page_answers_503_try_again_with_no_victim_data(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world)
    victim = world.case_a.victim
    with database_unreachable(monkeypatch):
        response = client.get(reverse("today"))

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Try again in a minute" in page
    # It cannot know whether what was sent was saved just before: it never says it was not.
    assert "look whether it was saved" in page and "has been saved" not in page
    assert "Traceback" not in page and "OperationalError" not in page
    for private in (victim.full_name, victim.preferred_name, world.case_a.reference):
        assert private not in page

    assert client.get(reverse("today")).status_code == 200


def test_a_contact_sent_while_the_database_is_away_is_refused_whole_and_can_be_sent_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world)
    url = reverse("checkin-create", args=[world.case_a.reference])
    form = contact_form()
    with database_unreachable(monkeypatch):
        response = client.post(url, form)

    assert response.status_code == 503
    assert CheckIn.objects.count() == 0

    assert client.post(url, form).status_code in (200, 302)
    assert CheckIn.objects.filter(case=world.case_a).count() == 1


def test_the_api_answers_503_in_its_own_error_shape(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world)
    with database_unreachable(monkeypatch):
        response = client.get(f"/api/v1/cases/{world.case_a.reference}/")

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert world.case_a.reference not in response.content.decode()
