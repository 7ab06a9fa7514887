"""The handovers API: organisation A cannot list, read, acknowledge, accept or decline
organisation B's handovers; unknown ids and others' ids answer alike; lists cost the same
for one row as for a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLogEntry
from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover
from handovers.services import send_handover
from tests.factories import CaseShareFactory
from tests.handovers.helpers import change_navigator, refer_to_haven
from tests.partners.helpers import client_for, session_client
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world: World) -> dict[str, Handover]:
    """Case A referred to Haven; case B (shared with Elsewhere Trust) referred to it."""
    CaseShareFactory(case=world.case_b, organisation=world.other_ngo, shared_by=world.noah)
    theirs = send_handover(
        case=world.case_b,
        kind=HandoverKind.SUPPORT_REFERRAL,
        to_organisation=world.other_ngo,
        reason="Closer to where he lives",
        needs_and_risks="Speaks little English.",
        acting_user=world.noah,
    )
    return {"a": refer_to_haven(world), "b": theirs}


def test_an_organisation_lists_and_reads_its_own(world: World, two: dict) -> None:  # type: ignore[type-arg]
    haven = client_for(world.haven)
    listed = haven.get("/api/v1/handovers/")
    assert listed.status_code == 200
    assert listed["Cache-Control"] == "no-store" or "no-store" in listed["Cache-Control"]
    (row,) = listed.json()["results"]
    assert row["id"] == two["a"].pk and row["case"] == world.case_a.reference
    assert row["state"] == "sent" and row["to_organisation"] == "Haven"
    assert row["details"]["needs_and_risks"].startswith("Afraid")
    (listed_read,) = AccessLogEntry.objects.all()  # the list gave what the sender wrote
    assert listed_read.case_id == world.case_a.pk
    assert listed_read.organisation_id == world.haven.pk and listed_read.api_key_prefix
    before = AccessLogEntry.objects.count()
    read = haven.get(f"/api/v1/handovers/{two['a'].pk}/")
    assert read.status_code == 200 and read.json()["id"] == two["a"].pk
    assert AccessLogEntry.objects.count() == before + 1


def test_anothers_and_unknown_ids_answer_alike(world: World, two: dict) -> None:  # type: ignore[type-arg]
    haven = client_for(world.haven)
    theirs, missing = two["b"].pk, 999_999_999
    for suffix, method in (
        ("", "get"),
        ("acknowledge/", "post"),
        ("accept/", "post"),
        ("decline/", "post"),
    ):
        answers = [
            getattr(haven, method)(
                f"/api/v1/handovers/{pk}/{suffix}",
                {"reason": "no"},
                content_type="application/json",
            )
            if method == "post"
            else haven.get(f"/api/v1/handovers/{pk}/")
            for pk in (theirs, missing)
        ]
        assert [a.status_code for a in answers] == [404, 404]
        assert answers[0].json() == answers[1].json()
    two["b"].refresh_from_db()
    assert two["b"].state == HandoverState.SENT


def test_acknowledge_accept_and_decline(world: World, two: dict) -> None:  # type: ignore[type-arg]
    haven = client_for(world.haven)
    url = f"/api/v1/handovers/{two['a'].pk}/"
    assert haven.post(url + "acknowledge/").json()["state"] == "acknowledged"
    refused = haven.post(url + "decline/", {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid" and "reason" in refused.json()["fields"]
    accepted = haven.post(url + "accept/", {}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    again = haven.post(url + "decline/", {"reason": "x"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["fields"] == {"state": ["This handover is already accepted."]}
    # As the guide and the schema say: acknowledging once it is decided is refused too.
    late = haven.post(url + "acknowledge/")
    assert late.status_code == 400
    assert late.json()["fields"] == {"state": ["This handover is already accepted."]}


def test_declining_through_the_api(world: World, two: dict) -> None:  # type: ignore[type-arg]
    other = client_for(world.other_ngo)
    answer = other.post(
        f"/api/v1/handovers/{two['b'].pk}/decline/",
        {"reason": "No space until May"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "declined"
    assert answer.json()["details"]["decline_reason"] == "No space until May"


def test_a_handover_seen_through_a_share_carries_no_details_and_cannot_be_acted_on(
    world: World,
) -> None:
    from tests.factories import OrganisationFactory

    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)  # consent
    handover = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    haven = client_for(world.haven)  # case A is shared with Haven, covering handovers
    (row,) = haven.get("/api/v1/handovers/").json()["results"]
    assert row["id"] == handover.pk and row["details"] is None
    assert row["from_person"] is None and row["to_organisation"] == "Ark"
    assert "Afraid" not in str(row)
    assert not AccessLogEntry.objects.exists()  # nothing of the victim's record was read
    answer = haven.post(f"/api/v1/handovers/{handover.pk}/acknowledge/")
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"


def test_the_handovers_of_the_case_a_notice_names(world: World, two: dict) -> None:  # type: ignore[type-arg]
    second = refer_to_haven(world, kind=HandoverKind.ACCOMMODATION_MOVE)
    haven = client_for(world.haven)
    (notice, _) = haven.get("/api/v1/notices/?kind=handover").json()["results"]
    listed = haven.get(f"/api/v1/handovers/?state=sent&case={notice['case']}")
    assert [row["id"] for row in listed.json()["results"]] == [two["a"].pk, second.pk]
    # Another organisation's case answers as a case that does not exist: nothing.
    for reference in (world.case_b.reference, "C-NOSUCH"):
        answer = haven.get(f"/api/v1/handovers/?case={reference}")
        assert answer.status_code == 200 and answer.json()["results"] == []


def test_accepting_a_change_of_navigator_asks_about_the_introduction(world: World) -> None:
    handover = change_navigator(world)
    noah = session_client(world.noah)
    url = f"/api/v1/handovers/{handover.pk}/accept/"
    refused = noah.post(url, {}, content_type="application/json")
    assert refused.status_code == 400
    assert "introduced_by_predecessor" in refused.json()["fields"]
    accepted = noah.post(url, {"introduced_by_predecessor": True}, content_type="application/json")
    assert accepted.status_code == 200
    assert accepted.json()["introduced_by_predecessor"] is True
    assert accepted.json()["point_of_contact_role"] == "navigator"


def test_without_a_key_nothing(world: World, two: dict) -> None:  # type: ignore[type-arg]
    from django.test import Client

    anonymous = Client(HTTP_ACCEPT="application/json")
    assert anonymous.get("/api/v1/handovers/").status_code == 401
    nemo = session_client(world.nemo)
    assert nemo.get("/api/v1/handovers/").json()["results"] == []
    assert nemo.get(f"/api/v1/handovers/{two['a'].pk}/").status_code == 404


def _queries(client, url: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), len(response.json()["results"])


def test_the_list_does_not_grow_with_the_page(world: World) -> None:
    from tests.factories import CaseFactory, PointOfContactFactory

    for _ in range(12):
        case = CaseFactory(police_force=world.force_a)
        PointOfContactFactory(case=case, role="navigator", person=world.nadia)
        CaseShareFactory(case=case, organisation=world.haven, shared_by=world.nadia)
        send_handover(
            case=case,
            kind=HandoverKind.SUPPORT_REFERRAL,
            to_organisation=world.haven,
            reason="r",
            needs_and_risks="n",
            acting_user=world.nadia,
        )
    haven = client_for(world.haven)
    small, small_rows = _queries(haven, "/api/v1/handovers/?page_size=1")
    large, large_rows = _queries(haven, "/api/v1/handovers/?page_size=12")
    assert (small_rows, large_rows) == (1, 12)
    assert small == large <= 6, (small, large)
