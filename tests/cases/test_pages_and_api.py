"""Pages and the API go through the access rules: each tries to reach across them."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry
from tests.factories import AgreementFactory, CheckInFactory, VictimLocationFactory
from tests.personas import World

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def case_a_with_history(world: World) -> World:
    AgreementFactory(
        case=world.case_a,
        created_by=world.nadia,
        unsafe_channel="email",
        unsafe_channel_note="Exploiter knows the address",
    )
    CheckInFactory(case=world.case_a, by=world.nadia, notes="Worried about her sister")
    VictimLocationFactory(victim=world.case_a.victim, address="7 Hidden Lane")
    return world


def test_pages_require_sign_in(world: World) -> None:
    response = Client().get(reverse("case-detail", args=[world.case_a.reference]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_navigator_sees_how_to_reach_the_victim_and_notes(case_a_with_history: World) -> None:
    w = case_a_with_history
    page = client_for(w.nadia).get(reverse("case-detail", args=[w.case_a.reference]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Never use email" in html
    assert "Worried about her sister" in html
    assert "7 Hidden Lane" in html
    assert w.case_a.victim.preferred_name in html


def test_officer_sees_contacts_and_agreement_but_not_the_notes(case_a_with_history: World) -> None:
    w = case_a_with_history
    html = client_for(w.omar).get(reverse("case-detail", args=[w.case_a.reference]))
    text = html.content.decode()
    assert "Never use email" in text
    assert str(w.olive) in text  # the police point of contact
    assert "Worried about her sister" not in text
    assert "7 Hidden Lane" not in text  # not the officer in the case


def test_partner_sees_the_pseudonym_and_preferred_name_not_the_name_or_notes(
    case_a_with_history: World,
) -> None:
    w = case_a_with_history
    # The staff page sends a partner to their own page of the case.
    url = reverse("case-detail", args=[w.case_a.reference])
    text = client_for(w.pat).get(url, follow=True).content
    assert w.case_a.victim.reference.encode() in text
    assert b"Never use email" in text  # the rule itself, which keeps the victim safe
    assert b"Exploiter knows the address" not in text  # but not the free text behind it
    api = client_for(w.pat).get(f"/api/v1/cases/{w.case_a.reference}/").json()
    assert "avoid_notes" not in api["agreement"]
    assert w.case_a.victim.full_name.encode() not in text
    # The default share gives the name the victim likes to be called, never their full name.
    assert w.case_a.victim.preferred_name.encode() in text
    assert api["preferred_name"] == w.case_a.victim.preferred_name
    assert b"Worried about her sister" not in text
    assert b"7 Hidden Lane" not in text


@pytest.mark.parametrize("who", ["noah", "oscar", "pia", "nemo", "sue"])
def test_a_case_out_of_reach_is_not_found_on_page_and_api(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    reference = world.case_a.reference
    page_url = reverse("case-detail", args=[reference])
    assert client.get(page_url, follow=True).status_code == 404
    assert client.get(f"/api/v1/cases/{reference}/").status_code == 404
    listed = client.get("/api/v1/cases/").json()["results"]
    assert reference not in {case["reference"] for case in listed}
    page = client.get(reverse("case-list"), follow=True).content.decode()
    assert reference not in page


def test_api_lists_only_visible_cases_without_names(case_a_with_history: World) -> None:
    w = case_a_with_history
    body = client_for(w.pat).get("/api/v1/cases/").json()
    assert [c["reference"] for c in body["results"]] == [w.case_a.reference]
    assert w.case_a.victim.full_name not in str(body)


def test_api_detail_carries_the_agreement_and_logs_the_view(case_a_with_history: World) -> None:
    w = case_a_with_history
    body = client_for(w.olive).get(f"/api/v1/cases/{w.case_a.reference}/").json()
    assert body["agreement"]["unsafe_channel"] == "email"
    assert {p["role"] for p in body["points_of_contact"]} == {"navigator", "police"}
    assert (
        AccessLogEntry.objects.filter(reader=w.olive, case_id=w.case_a.pk, channel="api").count()
        == 1
    )


def test_every_page_view_of_a_record_is_logged(world: World) -> None:
    client_for(world.nadia).get(reverse("case-detail", args=[world.case_a.reference]))
    assert AccessLogEntry.objects.filter(
        reader=world.nadia, case_id=world.case_a.pk, channel="page"
    ).exists()


def test_api_refuses_anonymous_requests(world: World) -> None:
    response = Client().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "not_authenticated"


def test_case_list_query_count_does_not_grow_with_cases(
    world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CaseFactory, PointOfContactFactory

    for _ in range(12):
        PointOfContactFactory(case=CaseFactory(police_force=world.force_a), person=world.nadia)
    client = client_for(world.ada)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("case-list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/cases/").status_code == 200


def test_openapi_schema_is_served(world: World) -> None:
    response = client_for(world.nadia).get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/cases/" in response.content
