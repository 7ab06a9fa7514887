"""The load test's data (seed_load) and its check that no contact was lost
(check_load_contacts): the people it writes down can do what the load test asks of them."""

import json
from io import StringIO
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role, Staff
from cases.models import Case
from tests.factories import CheckInFactory
from tests.pages.conftest import contact_form
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def logins(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "load" / "logins.json"
    call_command(
        "seed_load",
        str(path),
        "--navigators=3",
        "--cases-each=4",
        "--officers=2",
        "--partners=2",
        "--shared-each=3",
        "--notices-each=5",
        stdout=StringIO(),
    )
    logins: dict[str, Any] = json.loads(path.read_text())
    return logins


def signed_in(username: str, password: str) -> Client:
    """Signed in through the sign-in page, with the password written down."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def test_each_navigator_signs_in_and_logs_a_contact_on_their_own_cases(
    logins: dict[str, Any],
) -> None:
    assert len(logins["navigators"]) == 3
    for navigator in logins["navigators"]:
        assert len(navigator["cases"]) == 4
        client = signed_in(navigator["username"], logins["password"])
        reference = navigator["cases"][0]
        response = client.post(reverse("checkin-create", args=[reference]), contact_form())
        assert response.status_code == 302
        assert response["Location"] == reverse("case-detail", args=[reference])


def test_each_officer_finds_the_cases_written_down_for_them(logins: dict[str, Any]) -> None:
    assert len(logins["officers"]) == 2
    for officer in logins["officers"]:
        client = signed_in(officer["username"], logins["password"])
        reference = officer["cases"][0]
        response = client.post(reverse("case-lookup"), {"term": reference})
        assert response["Location"] == reverse("case-detail", args=[reference])


def test_each_partner_key_reads_a_feed_of_its_own(logins: dict[str, Any]) -> None:
    feeds = []
    for partner in logins["partners"]:
        response = Client().get("/api/v1/notices/", HTTP_AUTHORIZATION=f"Api-Key {partner['key']}")
        assert response.status_code == 200
        feeds.append({row["id"] for row in response.json()["results"]})
    # Its five, and any advance notice the periodic checks issued on a case shared with it.
    assert len(feeds) == 2 and all(len(feed) >= 5 for feed in feeds)
    assert not feeds[0] & feeds[1]


def test_it_refuses_a_database_that_already_holds_cases(
    logins: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="empty"):
        call_command("seed_load", str(tmp_path / "again.json"), stdout=StringIO())
    assert Staff.objects.filter(role=Role.OFFICER).count() == 2
    assert Case.objects.count() == 3 * 4 + 6  # bench_pages' team has one light caseload


def test_the_check_finds_every_contact_answered_as_saved_or_says_how_many_are_missing(
    world: World, tmp_path: Path
) -> None:
    saved = [CheckInFactory(case=world.case_a, submission_key=uuid4()) for _ in range(3)]
    keys = tmp_path / "saved.txt"
    keys.write_text("".join(f"{checkin.submission_key}\n" for checkin in saved))
    out = StringIO()
    call_command("check_load_contacts", str(keys), stdout=out)
    assert "answered as saved: 3; in the database: 3" in out.getvalue()

    keys.write_text(keys.read_text() + f"{uuid4()}\n")
    with pytest.raises(CommandError, match="Missing from the database: 1 of"):
        call_command("check_load_contacts", str(keys), stdout=StringIO())
