"""The notice feed as a partner's system reads it: oldest first, in pages, filtered, and
followed for ever from the last ``next``; and acknowledging through it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.choices import CaseStatus, PocRole
from cases.services import assign_point_of_contact, set_case_status
from partners.models import NoticeKind, PartnerNotice
from tests.factories import CaseFactory, CaseShareFactory
from tests.partners.helpers import client_for, session_client
from tests.personas import World

pytestmark = pytest.mark.django_db


def make_notices(world: World, count: int, *, kind: str = NoticeKind.RELOCATION) -> list[int]:
    now = timezone.now()
    notices = PartnerNotice.objects.bulk_create(
        PartnerNotice(
            case=world.case_a,
            organisation=world.haven,
            kind=kind,
            subject=f"Notice {n}",
            created_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    )
    return [n.pk for n in notices]


def follow(client: Client, url: str) -> tuple[list[int], str]:
    seen, body = [], client.get(url).json()
    seen += [n["id"] for n in body["results"]]
    while body["has_more"]:
        body = client.get(body["next"]).json()
        seen += [n["id"] for n in body["results"]]
    return seen, body["next"]


def test_the_feed_is_oldest_first_in_pages_and_resumes_from_the_last_next(world: World) -> None:
    ids = make_notices(world, 7)
    client = client_for(world.haven)
    seen, resume = follow(client, "/api/v1/notices/?page_size=3")
    assert seen == ids
    assert client.get(resume).json() == {"next": resume, "has_more": False, "results": []}
    later = make_notices(world, 2)
    body = client.get(resume).json()
    assert [n["id"] for n in body["results"]] == later
    assert body["has_more"] is False and body["next"] != resume


def test_a_notice_shows_what_happened_by_reference_only(world: World) -> None:
    set_case_status(
        case=world.case_a, status=CaseStatus.PAUSED, reason="Asked", acting_user=world.nadia
    )
    (notice,) = client_for(world.haven).get("/api/v1/notices/").json()["results"]
    assert set(notice) == {
        "id",
        "kind",
        "case",
        "subject",
        "happens_at",
        "created_at",
        "acknowledged_at",
    }
    assert notice["case"] == world.case_a.reference
    assert notice["kind"] == "case_status_changed"
    assert notice["acknowledged_at"] is None


def test_filters_by_kind_acknowledged_and_since(world: World) -> None:
    relocations = make_notices(world, 2)
    statuses = make_notices(world, 2, kind=NoticeKind.CASE_STATUS_CHANGED)
    PartnerNotice.objects.filter(pk=relocations[0]).update(acknowledged_at=timezone.now())
    client = client_for(world.haven)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/notices/?{query}")
        assert response.status_code == 200, response.json()
        return [n["id"] for n in response.json()["results"]]

    assert ids("kind=case_status_changed") == statuses
    assert ids("kind=case_status_changed&kind=relocation") == relocations + statuses
    assert ids("acknowledged=false") == [relocations[1], *statuses]
    assert ids("acknowledged=true") == [relocations[0]]
    newest = PartnerNotice.objects.get(pk=statuses[-1]).created_at
    assert ids("since=" + newest.isoformat().replace("+", "%2B")) == [statuses[-1]]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("knd=relocation", "knd", "unknown_parameter"),
        ("acknowledged=yes", "acknowledged", "invalid"),
        ("kind=everything", "kind", "invalid"),
        ("since=last-tuesday", "since", "invalid"),
        ("page_size=0", "page_size", "invalid"),
        ("page_size=101", "page_size", "invalid"),
        ("format=json", "format", "unknown_parameter"),
    ],
)
def test_unknown_or_wrong_parameters_are_refused_not_ignored(
    world: World, query: str, field: str, code: str
) -> None:
    make_notices(world, 1)
    response = client_for(world.haven).get(f"/api/v1/notices/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["fields"])) == (code, [field])


@pytest.mark.parametrize("cursor", ["nonsense", "YWZ0ZXI9YWJj", "cD0xMjM=", "YWZ0ZXI9LTE="])
def test_a_forged_cursor_is_not_found(world: World, cursor: str) -> None:
    response = client_for(world.haven).get(f"/api/v1/notices/?cursor={cursor}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_acknowledging_is_idempotent_and_shows_in_the_feed(world: World) -> None:
    (notice_id,) = make_notices(world, 1)
    client = client_for(world.haven)
    first = client.post(f"/api/v1/notices/{notice_id}/acknowledge/")
    assert first.status_code == 200
    assert first.json()["acknowledged_at"] is not None
    again = client.post(f"/api/v1/notices/{notice_id}/acknowledge/")
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    assert client.get("/api/v1/notices/?acknowledged=false").json()["results"] == []


def test_a_caseworker_signed_in_reads_the_same_feed_and_acknowledges_with_csrf(
    world: World,
) -> None:
    (notice_id,) = make_notices(world, 1)
    pat = session_client(world.pat)
    assert [n["id"] for n in pat.get("/api/v1/notices/").json()["results"]] == [notice_id]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.pat)
    refused = strict.post(f"/api/v1/notices/{notice_id}/acknowledge/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert "CSRF" in refused.json()["detail"]
    assert pat.post(f"/api/v1/notices/{notice_id}/acknowledge/").status_code == 200


@pytest.mark.parametrize("who", ["nadia", "olive", "sam", "ada", "nemo"])
def test_staff_have_no_notice_feed(world: World, who: str) -> None:
    (notice_id,) = make_notices(world, 1)
    client = session_client(getattr(world, who))
    assert client.get("/api/v1/notices/").json()["results"] == []
    assert client.get(f"/api/v1/notices/{notice_id}/").status_code == 404
    assert client.post(f"/api/v1/notices/{notice_id}/acknowledge/").status_code == 404


def test_the_feed_costs_the_same_queries_whatever_the_page(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    others = [CaseFactory(police_force=world.force_a) for _ in range(5)]
    for case in others:
        CaseShareFactory(case=case, organisation=world.haven, shared_by=world.nadia)
        assign_point_of_contact(
            case=case, role=PocRole.POLICE, person=world.olive, acting_user=world.ada
        )
    make_notices(world, 95)
    client = client_for(world.haven)
    counts = []
    for size in (1, 100):
        with django_assert_max_num_queries(3) as captured:
            assert len(client.get(f"/api/v1/notices/?page_size={size}").json()["results"]) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("month", [1, 7])  # winter (UTC) and summer (UTC+1) in the UK
def test_the_feed_writes_each_notice_exactly_as_the_notice_itself_does(
    world: World, month: int
) -> None:
    moment = timezone.make_aware(timezone.datetime(2026, month, 10, 9, 30, 15, 123456))
    PartnerNotice.objects.create(
        case=world.case_a,
        organisation=world.haven,
        kind=NoticeKind.TIPPING_POINT,
        subject="Interview",
        happens_at=moment,
        created_at=moment,
        acknowledged_at=None,
    )
    client = client_for(world.haven)
    (listed,) = client.get("/api/v1/notices/").json()["results"]
    assert listed == client.get(f"/api/v1/notices/{listed['id']}/").json()
    assert listed["created_at"].startswith("2026-")
