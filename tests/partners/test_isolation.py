"""Organisation A cannot list, read, acknowledge, report on or guess its way to
organisation B's notices, cases or keys; what is not yours answers like what does not
exist; and a share or a key that ends loses access at the very next request."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cases.choices import CaseStatus
from cases.services import revoke_share, set_case_status
from partners.keys import revoke_key
from partners.models import PartnerNotice, PartnerReport
from tests.factories import CaseFactory, CaseShareFactory
from tests.partners.helpers import issue, key_client
from tests.personas import World

pytestmark = pytest.mark.django_db

RELOCATION = {
    "kind": "relocation",
    "happened_at": "2026-03-03T15:00:00Z",
    "accommodation_kind": "safe_house",
}


@pytest.fixture
def two_partners(world: World) -> dict[str, object]:
    """Haven supports case A; Elsewhere Trust supports case B. Each has a key and notices."""
    CaseShareFactory(case=world.case_b, organisation=world.other_ngo, shared_by=world.noah)
    set_case_status(
        case=world.case_a, status=CaseStatus.PAUSED, reason="x", acting_user=world.nadia
    )
    set_case_status(case=world.case_b, status=CaseStatus.PAUSED, reason="x", acting_user=world.noah)
    haven_key, other_key = issue(world.haven), issue(world.other_ngo)
    return {
        "a": key_client(haven_key.key),
        "b": key_client(other_key.key),
        "a_key": haven_key,
        "b_key": other_key,
        "a_notice": PartnerNotice.objects.get(organisation=world.haven),
        "b_notice": PartnerNotice.objects.get(organisation=world.other_ngo),
    }


def test_lists_hold_only_your_own(world: World, two_partners: dict) -> None:  # type: ignore[type-arg]
    a = two_partners["a"]
    cases = a.get("/api/v1/cases/").json()["results"]
    assert [c["reference"] for c in cases] == [world.case_a.reference]
    notices = a.get("/api/v1/notices/").json()["results"]
    assert [n["id"] for n in notices] == [two_partners["a_notice"].pk]
    keys = a.get("/api/v1/keys/").json()["results"]
    assert [k["prefix"] for k in keys] == [two_partners["a_key"].api_key.prefix]
    assert "hashed_key" not in str(keys) and two_partners["a_key"].key not in str(keys)


def test_anothers_things_and_things_that_do_not_exist_answer_alike(
    world: World,
    two_partners: dict,  # type: ignore[type-arg]
) -> None:
    a = two_partners["a"]
    b_notice, b_key = two_partners["b_notice"], two_partners["b_key"].api_key
    pairs = [
        (f"/api/v1/cases/{world.case_b.reference}/", "/api/v1/cases/C-NOSUCH/"),
        (f"/api/v1/notices/{b_notice.pk}/", "/api/v1/notices/999999999/"),
        (f"/api/v1/keys/{b_key.prefix}/", "/api/v1/keys/zzzzzzzz/"),
    ]
    for others, missing in pairs:
        theirs, nothing = a.get(others), a.get(missing)
        assert theirs.status_code == nothing.status_code == 404
        assert theirs.json() == nothing.json()
    for url in (
        f"/api/v1/notices/{b_notice.pk}/acknowledge/",
        "/api/v1/notices/999999999/acknowledge/",
    ):
        response = a.post(url)
        assert response.status_code == 404
    b_notice.refresh_from_db()
    assert b_notice.acknowledged_at is None
    for reference in (world.case_b.reference, "C-NOSUCH"):
        response = a.post(
            f"/api/v1/cases/{reference}/reports/", RELOCATION, content_type="application/json"
        )
        assert response.status_code == 404
    assert not PartnerReport.objects.exists()


def test_guessing_neighbouring_ids_finds_nothing(world: World, two_partners: dict) -> None:  # type: ignore[type-arg]
    a = two_partners["a"]
    mine = two_partners["a_notice"].pk
    for guess in range(mine - 5, mine + 6):
        response = a.get(f"/api/v1/notices/{guess}/")
        assert response.status_code == (200 if guess == mine else 404)


def test_a_revoked_share_loses_the_case_at_the_next_request(
    world: World, two_partners: dict
) -> None:  # type: ignore[type-arg]
    a = two_partners["a"]
    url = f"/api/v1/cases/{world.case_a.reference}/"
    assert a.get(url).status_code == 200
    revoke_share(share=world.case_a.shares.get(organisation=world.haven), acting_user=world.nadia)
    assert a.get(url).status_code == 404
    assert a.get("/api/v1/cases/").json()["results"] == []
    response = a.post(
        f"/api/v1/cases/{world.case_a.reference}/reports/",
        RELOCATION,
        content_type="application/json",
    )
    assert response.status_code == 404
    # It keeps its notices, and is told the share ended.
    kinds = [n["kind"] for n in a.get("/api/v1/notices/").json()["results"]]
    assert kinds == ["case_status_changed", "share_revoked"]


def test_a_share_that_runs_out_loses_the_case_at_the_next_request(
    world: World, two_partners: dict
) -> None:  # type: ignore[type-arg]
    a = two_partners["a"]
    ends = timezone.now() + timedelta(hours=2)
    world.case_a.shares.update(expires_at=ends)
    url = f"/api/v1/cases/{world.case_a.reference}/"
    with time_machine.travel(ends - timedelta(seconds=1), tick=False):
        assert a.get(url).status_code == 200
    with time_machine.travel(ends, tick=False):
        assert a.get(url).status_code == 404  # before any periodic pass has run


def test_a_revoked_key_loses_everything_at_the_next_request(
    world: World, two_partners: dict
) -> None:  # type: ignore[type-arg]
    a, key = two_partners["a"], two_partners["a_key"]
    assert a.get("/api/v1/notices/").status_code == 200
    revoke_key(api_key=key.api_key, acting_user=None)
    for response in (
        a.get("/api/v1/notices/"),
        a.get(f"/api/v1/cases/{world.case_a.reference}/"),
        a.post(f"/api/v1/notices/{two_partners['a_notice'].pk}/acknowledge/"),
    ):
        assert response.status_code == 401


@pytest.mark.parametrize("who", ["nemo", "noah", "oscar", "pia", "sue"])
def test_people_without_access_see_no_case_a(world: World, who: str) -> None:
    client = Client()
    client.force_login(getattr(world, who))
    assert client.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 404
    listed = client.get("/api/v1/cases/").json()["results"]
    assert world.case_a.reference not in {c["reference"] for c in listed}
    assert client.get("/api/v1/keys/").json()["results"] == []


def test_a_partner_sees_a_case_only_through_its_own_share(world: World) -> None:
    shared_elsewhere = CaseFactory(police_force=world.force_a)
    CaseShareFactory(case=shared_elsewhere, organisation=world.other_ngo, shared_by=world.nadia)
    a = key_client(issue(world.haven).key)
    assert a.get(f"/api/v1/cases/{shared_elsewhere.reference}/").status_code == 404
