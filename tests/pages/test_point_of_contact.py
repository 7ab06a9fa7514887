"""Changing a point of contact, and handing all of a navigator's cases on: each candidate's
load against capacity and languages shown, a stale form refused, only for those it is for."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases.choices import PocRole
from cases.models import Case, PointOfContact
from cases.services import assign_point_of_contact
from tests.factories import CaseFactory, PointOfContactFactory, StaffFactory
from tests.pages.conftest import client_for
from tests.personas import World

pytestmark = pytest.mark.django_db


def change_url(world: World, role: str = PocRole.NAVIGATOR) -> str:
    return reverse("point-of-contact-change", args=[world.case_a.reference, role])


def hand_on_url(person: Any) -> str:
    return reverse("hand-on-cases", args=[person.pk])


def navigator_of(case: Case) -> Any:
    return PointOfContact.objects.get(
        case=case, role=PocRole.NAVIGATOR, ended_at__isnull=True
    ).person


def poc_form(world: World, **overrides: Any) -> dict[str, Any]:
    form = {
        "based_on": str(world.nadia.pk),
        "person": str(world.noah.pk),
        "introduced_by_predecessor": "yes",
        "reason": "Nadia is moving to the Fenwick office",
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    form.update(overrides)
    return form


@pytest.fixture
def team(world: World) -> World:
    """Noah speaks Tigrinya and holds 1 case of 4; Nemo speaks English, no capacity set."""
    world.noah.languages, world.noah.caseload_capacity = ["Tigrinya", "English"], 4
    world.noah.save()
    world.nemo.languages = ["English"]
    world.nemo.save()
    world.case_a.victim.preferred_language = "Tigrinya"
    world.case_a.victim.save()
    return world


def test_the_page_shows_each_candidates_load_and_languages(team: World) -> None:
    response = client_for(team.sam).get(change_url(team))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert f"Now: <strong>{team.nadia}</strong>" in page
    assert "1 of 4 cases · Speaks Tigrinya, English" in page
    assert "Speaks Tigrinya</span>" in page  # the match picked out
    assert "0 cases (no capacity recorded) · Speaks English" in page
    assert '<span class="tag tag--severity-2">' not in page  # nobody is full
    assert page.index(str(team.noah)) < page.index(str(team.nemo))  # the speaker first
    assert f'value="{team.nadia.pk}"' in page  # based on Nadia, who is not a candidate
    assert f'name="person" value="{team.nadia.pk}"' not in page
    assert "Victims trust a new person far more" in page
    assert AccessLogEntry.objects.filter(reader=team.sam, case_id=team.case_a.pk).exists()


def test_a_supervisor_changes_the_navigator(team: World) -> None:
    response = client_for(team.sam).post(change_url(team), poc_form(team))
    assert response.status_code == 302
    assert response["Location"] == reverse("case-detail", args=[team.case_a.reference])
    poc = PointOfContact.objects.get(case=team.case_a, role="navigator", ended_at__isnull=True)
    assert (poc.person, poc.introduced_by_predecessor) == (team.noah, True)
    assert poc.change_reason == "Nadia is moving to the Fenwick office"


def test_a_navigator_handing_on_their_own_case_lands_home(team: World) -> None:
    client = client_for(team.nadia)
    response = client.post(change_url(team), poc_form(team, introduced_by_predecessor="no"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    page = client.get(reverse("today")).content.decode()
    assert "They have not been introduced yet: arrange an introduction soon." in page
    assert f"Case {team.case_a.reference} is no longer in your cases." in page
    assert navigator_of(team.case_a) == team.noah


def test_mistakes_are_shown_beside_the_field(team: World) -> None:
    response = client_for(team.sam).post(
        change_url(team),
        poc_form(team, person="", introduced_by_predecessor="", reason="Kept this"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose who should take over." in page
    assert "Say whether they have been introduced." in page
    assert "Kept this" in page
    assert navigator_of(team.case_a) == team.nadia


def test_the_service_refusal_is_shown_beside_the_field(team: World) -> None:
    page = (
        client_for(team.sam)
        .post(change_url(team), poc_form(team, at="2001-01-01T10:00"))
        .content.decode()
    )
    assert 'href="#id_at"' in page and "before the case was opened" in page
    assert navigator_of(team.case_a) == team.nadia


def test_a_stale_form_says_who_holds_the_role_now(team: World) -> None:
    ned = StaffFactory(supervisor=team.sam, organisation=team.nadia.organisation)
    assign_point_of_contact(
        case=team.case_a, role=PocRole.NAVIGATOR, person=ned, acting_user=team.sam
    )
    response = client_for(team.sam).post(change_url(team), poc_form(team))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The point of contact changed while you were choosing" in page
    assert f"{ned} is now the point of contact." in page
    assert f'name="based_on" value="{ned.pk}"' in page
    assert "Nadia is moving to the Fenwick office" in page  # what was typed stays
    assert navigator_of(team.case_a) == ned


def test_the_police_point_of_contact_is_chosen_from_the_force(team: World) -> None:
    page = client_for(team.nadia).get(change_url(team, PocRole.POLICE)).content.decode()
    assert str(team.omar) in page and str(team.oscar) not in page
    response = client_for(team.nadia).post(
        change_url(team, PocRole.POLICE),
        poc_form(team, based_on=str(team.olive.pk), person=str(team.omar.pk)),
    )
    assert response.status_code == 302
    assert (
        PointOfContact.objects.get(
            case=team.case_a, role=PocRole.POLICE, ended_at__isnull=True
        ).person
        == team.omar
    )


def test_the_case_page_links_to_each_change(team: World) -> None:
    page = client_for(team.sam).get(reverse("case-detail", args=[team.case_a.reference]))
    text = page.content.decode()
    assert f'href="{change_url(team)}">Change' in text
    assert f'href="{change_url(team, PocRole.POLICE)}">Change' in text
    assert f'href="{change_url(team, PocRole.NGO_CASEWORKER)}">Name the NGO caseworker' in text
    assert f'href="{hand_on_url(team.nadia)}">Hand on all of {team.nadia}' in text
    # A navigator changes, but does not hand on all of their own cases.
    text = client_for(team.nadia).get(reverse("case-detail", args=[team.case_a.reference]))
    assert hand_on_url(team.nadia) not in text.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("olive", 403), ("pat", 403), ("noah", 404), ("sue", 404), ("nemo", 404)],
)
def test_people_it_is_not_for_are_refused(team: World, who: str, status: int) -> None:
    client = client_for(getattr(team, who))
    assert client.get(change_url(team)).status_code == status
    assert client.post(change_url(team), poc_form(team)).status_code == status
    assert navigator_of(team.case_a) == team.nadia


def test_an_unknown_role_is_not_found(team: World) -> None:
    assert client_for(team.sam).get(change_url(team, "chaplain")).status_code == 404


# --- Handing all of a navigator's cases on --------------------------------------------------


@pytest.fixture
def nadias_cases(team: World) -> list[Case]:
    more = [CaseFactory(police_force=team.force_a) for _ in range(2)]
    for case in more:
        PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=team.nadia)
    return [team.case_a, *more]


def test_a_supervisor_hands_all_of_a_navigators_cases_on(
    team: World, nadias_cases: list[Case]
) -> None:
    client = client_for(team.sam)
    page = client.get(hand_on_url(team.nadia)).content.decode()
    assert "is the navigator of 3 cases" in page
    assert "1 of 4 cases · Speaks Tigrinya, English" in page
    for case in nadias_cases:
        assert case.reference in page
    # Every victim named on the page is a read of their record.
    logged = AccessLogEntry.objects.filter(reader=team.sam).values_list("case_id", flat=True)
    assert set(logged) == {c.pk for c in nadias_cases}
    # The Tigrinya speaker's case is suggested to Noah, who speaks it and has room.
    assert (
        f'<option value="{team.noah.pk}" selected>'
        in page.split(f'name="case_{team.case_a.pk}"')[1].split("</select>")[0]
    )
    form = {f"case_{c.pk}": str(team.nemo.pk) for c in nadias_cases}
    form.update(introduced_by_predecessor="no", reason="Nadia is on leave")
    response = client.post(hand_on_url(team.nadia), form)
    assert response.status_code == 302
    assert [navigator_of(c) for c in nadias_cases] == [team.nemo] * 3


def test_handing_on_refuses_the_lot_and_keeps_the_choices(
    team: World, nadias_cases: list[Case]
) -> None:
    form = {f"case_{c.pk}": str(team.noah.pk) for c in nadias_cases}
    form[f"case_{nadias_cases[1].pk}"] = ""
    form.update(introduced_by_predecessor="yes", reason="Leaving")
    response = client_for(team.sam).post(hand_on_url(team.nadia), form)
    assert response.status_code == 200
    assert "Choose who takes this case." in response.content.decode()
    assert [navigator_of(c) for c in nadias_cases] == [team.nadia] * 3


def test_a_case_handed_to_them_meanwhile_refuses_the_lot(
    team: World, nadias_cases: list[Case]
) -> None:
    form = {f"case_{c.pk}": str(team.noah.pk) for c in nadias_cases}
    form.update(introduced_by_predecessor="yes", reason="Leaving")
    late = CaseFactory(police_force=team.force_a)
    PointOfContactFactory(case=late, role=PocRole.NAVIGATOR, person=team.nadia)
    response = client_for(team.sam).post(hand_on_url(team.nadia), form)
    # The new case is a new field: the form asks who takes it, and nothing is handed on.
    assert response.status_code == 200
    assert "Choose who takes this case." in response.content.decode()
    assert [navigator_of(c) for c in nadias_cases] == [team.nadia] * 3


@pytest.mark.parametrize(
    ("who", "status"),
    [("nadia", 403), ("noah", 403), ("sue", 403), ("olive", 403), ("pat", 403)],
)
def test_only_their_supervisor_or_an_administrator_opens_it(
    team: World, nadias_cases: list[Case], who: str, status: int
) -> None:
    client = client_for(getattr(team, who))
    assert client.get(hand_on_url(team.nadia)).status_code == status
    form = {f"case_{c.pk}": str(team.noah.pk) for c in nadias_cases}
    form.update(introduced_by_predecessor="yes")
    assert client.post(hand_on_url(team.nadia), form).status_code == status
    assert [navigator_of(c) for c in nadias_cases] == [team.nadia] * 3
    assert not AccessLogEntry.objects.filter(reader=getattr(team, who)).exists()


def test_only_navigators_are_handed_on(team: World) -> None:
    assert client_for(team.ada).get(hand_on_url(team.olive)).status_code == 403
    assert client_for(team.ada).get(reverse("hand-on-cases", args=[999999])).status_code == 403
    assert client_for(team.ada).get(hand_on_url(team.nadia)).status_code == 200


def test_the_hand_on_page_costs_the_same_for_many_cases(
    team: World,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for _ in range(12):
        PointOfContactFactory(
            case=CaseFactory(police_force=team.force_a), role=PocRole.NAVIGATOR, person=team.nadia
        )
    for _ in range(5):
        StaffFactory(supervisor=team.sam, organisation=team.nadia.organisation)
    client = client_for(team.sam)
    with django_assert_max_num_queries(8):
        assert client.get(hand_on_url(team.nadia)).status_code == 200
