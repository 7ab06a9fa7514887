"""Every list endpoint costs the same number of queries for one row as for a full page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import PocRole
from partners.models import PartnerNotice
from tests.factories import (
    AgreementFactory,
    CaseFactory,
    CaseShareFactory,
    PointOfContactFactory,
)
from tests.partners.helpers import issue, key_client, session_client
from tests.personas import World

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), len(response.json()["results"])


@pytest.fixture
def many(world: World) -> World:
    """Twenty cases shared with Haven, each with points of contact and an agreement; twenty
    notices; twenty keys."""
    for n in range(20):
        case = CaseFactory(police_force=world.force_a)
        CaseShareFactory(case=case, organisation=world.haven, shared_by=world.nadia)
        PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=world.nadia)
        PointOfContactFactory(case=case, role=PocRole.POLICE, person=world.olive)
        AgreementFactory(case=case, created_by=world.nadia)
        PartnerNotice.objects.create(
            case=case, organisation=world.haven, kind="relocation", subject=f"n{n}"
        )
        issue(world.haven, name=f"key {n}")
    return world


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/notices/", "/api/v1/keys/"])
def test_a_partners_lists_do_not_grow_with_the_page(many: World, path: str) -> None:
    client = key_client(issue(many.haven).key)
    small, small_rows = queries(client, f"{path}?page_size=1")
    large, large_rows = queries(client, f"{path}?page_size=20")
    assert (small_rows, large_rows) == (1, 20)
    assert small == large <= 6, (small, large)


@pytest.mark.parametrize("who", ["ada", "nadia", "olive", "pat"])
def test_staff_case_lists_do_not_grow_with_the_page(many: World, who: str) -> None:
    client = session_client(getattr(many, who))
    small, _ = queries(client, "/api/v1/cases/?page_size=1")
    large, rows = queries(client, "/api/v1/cases/?page_size=20")
    assert rows >= 1
    assert small == large <= 8, (who, small, large)
