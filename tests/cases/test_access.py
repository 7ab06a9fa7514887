"""Each access rule, and an attempt to cross it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from cases import access
from cases.choices import PocRole
from cases.services import assign_point_of_contact, revoke_share
from tests.factories import CaseFactory, PointOfContactFactory
from tests.personas import World

pytestmark = pytest.mark.django_db


def refs(user: object) -> set[str]:
    return set(access.visible_cases(user).values_list("reference", flat=True))


def test_navigator_sees_only_the_cases_they_are_assigned_to(world: World) -> None:
    assert refs(world.nadia) == {world.case_a.reference}
    assert refs(world.noah) == {world.case_b.reference}


def test_navigator_loses_a_case_when_handed_over(world: World) -> None:
    assign_point_of_contact(
        case=world.case_a,
        role=PocRole.NAVIGATOR,
        person=world.noah,
        acting_user=world.sam,
        reason="Caseload balancing",
        introduced_by_predecessor=True,
    )
    assert refs(world.nadia) == set()
    assert refs(world.noah) == {world.case_a.reference, world.case_b.reference}


def test_supervisor_sees_their_teams_cases_and_no_others(world: World) -> None:
    assert refs(world.sam) == {world.case_a.reference, world.case_b.reference}
    outside_team = CaseFactory(police_force=world.force_a)
    PointOfContactFactory(case=outside_team, role=PocRole.NAVIGATOR, person=world.nemo)
    assert outside_team.reference not in refs(world.sam)
    assert refs(world.sue) == set()


def test_officer_sees_cases_of_their_own_force_only(world: World) -> None:
    assert refs(world.olive) == {world.case_a.reference}
    assert refs(world.omar) == {world.case_a.reference}
    assert refs(world.oscar) == {world.case_b.reference}


def test_partner_sees_only_cases_shared_with_their_organisation(world: World) -> None:
    assert refs(world.pat) == {world.case_a.reference}
    assert refs(world.pia) == set()


def test_partner_loses_sight_when_the_share_is_revoked(world: World) -> None:
    revoke_share(share=world.case_a.shares.get(), acting_user=world.nadia)
    assert refs(world.pat) == set()


def test_admin_sees_everything(world: World) -> None:
    assert refs(world.ada) == {world.case_a.reference, world.case_b.reference}


@pytest.mark.parametrize("who", ["nemo", "anonymous", "inactive officer"])
def test_those_without_a_rule_see_nothing(world: World, who: str) -> None:
    if who == "nemo":
        user = world.nemo
    elif who == "anonymous":
        user = AnonymousUser()
    else:
        world.olive.is_active = False
        world.olive.save(update_fields=["is_active"])
        user = world.olive
    assert refs(user) == set()
    assert not access.visible_victims(user).exists()


def test_staff_with_an_unknown_or_missing_organisation_see_nothing(world: World) -> None:
    world.omar.organisation = None
    assert refs(world.omar) == set()


def test_victims_follow_their_cases(world: World) -> None:
    assert set(access.visible_victims(world.pat)) == {world.case_a.victim}
    assert set(access.visible_victims(world.oscar)) == {world.case_b.victim}


@pytest.mark.parametrize(
    ("role", "reads_notes", "logs_contacts", "manages_cases", "sees_identity", "sees_work"),
    [
        (Role.NAVIGATOR, True, True, True, True, True),
        (Role.SUPERVISOR, True, True, True, True, True),
        (Role.OFFICER, False, True, False, True, True),
        (Role.PARTNER_CASEWORKER, False, False, False, False, False),
        (Role.ADMIN, True, True, True, True, True),
        ("", False, False, False, False, False),
    ],
)
def test_field_rules_by_role(
    role: str,
    reads_notes: bool,
    logs_contacts: bool,
    manages_cases: bool,
    sees_identity: bool,
    sees_work: bool,
) -> None:
    assert access.may_read_notes(role) is reads_notes
    assert access.may_log_contacts(role) is logs_contacts
    assert access.may_manage_cases(role) is manages_cases
    assert access.may_see_identity(role) is sees_identity
    assert access.may_see_case_work(role) is sees_work


def test_location_is_for_navigation_staff_and_the_police_point_of_contact(world: World) -> None:
    case = world.case_a
    assert access.can_see_location(world.nadia, case)
    assert access.can_see_location(world.sam, case)
    assert access.can_see_location(world.olive, case)  # the police point of contact
    assert not access.can_see_location(world.omar, case)  # same force, not the contact
    assert not access.can_see_location(world.pat, case)
    assert not access.can_see_location(world.noah, case)  # cannot see the case at all
    assert not access.can_see_location(world.oscar, case)


def test_an_ended_police_contact_no_longer_sees_the_location(world: World) -> None:
    assign_point_of_contact(
        case=world.case_a,
        role=PocRole.POLICE,
        person=world.omar,
        acting_user=world.nadia,
        at=timezone.now(),
        reason="Olive moved teams",
    )
    assert not access.can_see_location(world.olive, world.case_a)
    assert access.can_see_location(world.omar, world.case_a)


def test_revoking_a_share_ends_the_partners_caseworker_as_point_of_contact(world: World) -> None:
    from cases.services import revoke_share

    PointOfContactFactory(case=world.case_a, role=PocRole.NGO_CASEWORKER, person=world.pat)
    revoke_share(share=world.case_a.shares.get(), acting_user=world.nadia)
    assert not world.case_a.points_of_contact.filter(
        role=PocRole.NGO_CASEWORKER, ended_at__isnull=True
    ).exists()


def test_partners_see_only_the_hard_moments_they_are_told_of() -> None:
    from cases.choices import EventKind
    from contacts.disengagement import TIPPING_POINT_KINDS

    assert access.EVENTS_FOR_PARTNERS == TIPPING_POINT_KINDS  # the notices they are sent
    assert access.may_see_event(Role.PARTNER_CASEWORKER, EventKind.COURT_HEARING)
    assert not access.may_see_event(Role.PARTNER_CASEWORKER, EventKind.ARREST)
    assert not access.may_see_event(Role.PARTNER_CASEWORKER, EventKind.RELOCATION)
    assert access.may_see_event(Role.OFFICER, EventKind.ARREST)
    assert not access.may_see_event("", EventKind.INTERVIEW)


@pytest.mark.parametrize(
    ("role", "reads_the_report"),
    [
        (Role.SUPERVISOR, True),
        (Role.ADMIN, True),
        (Role.OFFICER, True),
        (Role.NAVIGATOR, False),
        (Role.PARTNER_CASEWORKER, False),
        ("", False),
    ],
)
def test_who_may_read_the_engagement_report(role: str, reads_the_report: bool) -> None:
    assert access.may_read_engagement_report(role) is reads_the_report


def test_the_engagement_report_covers_every_force_or_an_officers_own(world: World) -> None:
    def forces(user: object) -> set[str]:
        return set(access.engagement_report_forces(user).values_list("name", flat=True))

    both = {world.force_a.name, world.force_b.name}
    assert forces(world.sam) == forces(world.sue) == forces(world.ada) == both
    assert forces(world.olive) == {world.force_a.name}
    assert forces(world.oscar) == {world.force_b.name}
    for nobody in (world.nadia, world.pat, world.nemo, AnonymousUser()):
        assert forces(nobody) == set()
    world.olive.is_active = False
    assert forces(world.olive) == set()


@pytest.mark.parametrize(
    ("who", "whose", "may"),
    [
        ("sam", "nadia", True),  # their supervisor
        ("sam", "noah", True),
        ("ada", "nadia", True),  # an administrator
        ("sue", "nadia", False),  # another team's supervisor
        ("nadia", "nadia", False),  # a navigator does not hand on all of their own
        ("noah", "nadia", False),
        ("olive", "nadia", False),
        ("pat", "nadia", False),
        ("ada", "olive", False),  # only navigators' cases are handed on all at once
        ("ada", "sam", False),
    ],
)
def test_who_may_hand_on_all_of_a_navigators_cases(
    world: World, who: str, whose: str, may: bool
) -> None:
    assert access.may_hand_on_cases_of(getattr(world, who), getattr(world, whose)) is may


def test_an_inactive_supervisor_may_not_hand_on(world: World) -> None:
    world.sam.is_active = False
    assert not access.may_hand_on_cases_of(world.sam, world.nadia)


@pytest.mark.parametrize(
    ("role", "oversees"),
    [
        (Role.SUPERVISOR, True),
        (Role.ADMIN, True),
        (Role.OFFICER, False),
        (Role.NAVIGATOR, False),
        (Role.PARTNER_CASEWORKER, False),
        ("", False),
    ],
)
def test_who_oversees_a_team(role: str, oversees: bool) -> None:
    """The dashboard, giving alerts to a navigator, handing cases on from the dashboard."""
    assert access.may_oversee_team(role) is oversees


def test_a_team_is_a_supervisors_navigators_or_every_navigator_for_an_admin(
    world: World,
) -> None:
    def team(user: object) -> set[str]:
        return set(access.team_of(user).values_list("username", flat=True))

    assert team(world.sam) == {"nadia", "noah"}
    assert team(world.sue) == set()
    assert team(world.ada) >= {"nadia", "noah", "nemo"}
    for nobody in (world.nadia, world.olive, world.pat, world.nemo, AnonymousUser()):
        assert team(nobody) == set()
    world.noah.is_active = False
    world.noah.save()
    assert team(world.sam) == {"nadia"}  # someone who has left is given nothing
    world.sam.is_active = False
    assert team(world.sam) == set()
