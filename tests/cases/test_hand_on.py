"""Changing a point of contact from a form that went stale, and handing all of a navigator's
cases on at once: one transaction, each through assign_point_of_contact."""

import pytest

from cases.choices import PocRole
from cases.models import Case, PointOfContact
from cases.services import PointOfContactChanged, assign_point_of_contact, hand_on_cases
from navigator.errors import PermissionDenied, ValidationError
from partners.models import NoticeKind, PartnerNotice
from tests.factories import CaseFactory, PointOfContactFactory, StaffFactory
from tests.personas import World

pytestmark = pytest.mark.django_db


def navigator_of(case: Case) -> int:
    return PointOfContact.objects.get(
        case=case, role=PocRole.NAVIGATOR, ended_at__isnull=True
    ).person_id


def test_a_change_based_on_who_was_there_goes_through(world: World) -> None:
    poc = assign_point_of_contact(
        case=world.case_a,
        role=PocRole.NAVIGATOR,
        person=world.noah,
        acting_user=world.sam,
        introduced_by_predecessor=True,
        based_on=world.nadia.pk,
    )
    assert poc.introduced_by_predecessor and navigator_of(world.case_a) == world.noah.pk


def test_a_change_based_on_someone_no_longer_there_is_refused(world: World) -> None:
    assign_point_of_contact(
        case=world.case_a, role=PocRole.NAVIGATOR, person=world.noah, acting_user=world.sam
    )
    with pytest.raises(PointOfContactChanged) as refused:
        assign_point_of_contact(
            case=world.case_a,
            role=PocRole.NAVIGATOR,
            person=world.nemo,
            acting_user=world.sam,
            based_on=world.nadia.pk,  # the form showed Nadia
        )
    assert refused.value.current is not None and refused.value.current.person == world.noah
    assert f"{world.noah} is now the point of contact" in refused.value.messages[0]
    assert navigator_of(world.case_a) == world.noah.pk
    # A form that saw nobody in a role someone now holds is refused too.
    with pytest.raises(PointOfContactChanged):
        assign_point_of_contact(
            case=world.case_a,
            role=PocRole.POLICE,
            person=world.omar,
            acting_user=world.sam,
            based_on=0,
        )


@pytest.fixture
def nadias_cases(world: World) -> list[Case]:
    """Nadia holds case_a and two more."""
    more = [CaseFactory(police_force=world.force_a) for _ in range(2)]
    for case in more:
        PointOfContactFactory(case=case, role=PocRole.NAVIGATOR, person=world.nadia)
    return [world.case_a, *more]


def test_a_supervisor_hands_all_of_a_navigators_cases_on_at_once(
    world: World, nadias_cases: list[Case]
) -> None:
    first, second, third = nadias_cases
    successors = {first.pk: world.noah, second.pk: world.nemo, third.pk: world.noah}
    changes = hand_on_cases(
        from_person=world.nadia,
        successors=successors,
        acting_user=world.sam,
        reason="Nadia is on leave",
        introduced_by_predecessor=True,
    )
    assert len(changes) == 3
    assert [navigator_of(c) for c in nadias_cases] == [
        world.noah.pk,
        world.nemo.pk,
        world.noah.pk,
    ]
    assert all(
        c.introduced_by_predecessor and c.change_reason == "Nadia is on leave" for c in changes
    )
    assert not PointOfContact.objects.filter(person=world.nadia, ended_at__isnull=True).exists()
    # Each went through the one path: the partner sharing case_a heard of its change.
    assert PartnerNotice.objects.filter(
        case=first, kind=NoticeKind.POINT_OF_CONTACT_CHANGED
    ).exists()


def test_one_refusal_hands_none_on(world: World, nadias_cases: list[Case]) -> None:
    first, second, third = nadias_cases
    with pytest.raises(ValidationError) as refused:
        hand_on_cases(
            from_person=world.nadia,
            successors={first.pk: world.noah, second.pk: world.olive, third.pk: world.noah},
            acting_user=world.sam,
        )
    assert list(refused.value.message_dict) == [f"case_{second.pk}"]
    assert "is not an active Navigator" in refused.value.message_dict[f"case_{second.pk}"][0]
    assert [navigator_of(c) for c in nadias_cases] == [world.nadia.pk] * 3


def test_cases_that_changed_meanwhile_refuse_the_lot(
    world: World, nadias_cases: list[Case]
) -> None:
    first, second, _third = nadias_cases
    with pytest.raises(ValidationError) as refused:
        hand_on_cases(
            from_person=world.nadia,
            successors={first.pk: world.noah, second.pk: world.noah},  # third came since
            acting_user=world.sam,
        )
    assert "cases changed while this form was open" in refused.value.messages[0]
    assert [navigator_of(c) for c in nadias_cases] == [world.nadia.pk] * 3


@pytest.mark.parametrize("who", ["sue", "nadia", "noah", "olive", "pat", "nemo"])
def test_only_their_supervisor_or_an_administrator_may_hand_them_on(
    world: World, nadias_cases: list[Case], who: str
) -> None:
    with pytest.raises(PermissionDenied):
        hand_on_cases(
            from_person=world.nadia,
            successors={c.pk: world.noah for c in nadias_cases},
            acting_user=getattr(world, who),
        )
    assert [navigator_of(c) for c in nadias_cases] == [world.nadia.pk] * 3


def test_an_administrator_may(world: World, nadias_cases: list[Case]) -> None:
    hand_on_cases(
        from_person=world.nadia,
        successors={c.pk: world.noah for c in nadias_cases},
        acting_user=world.ada,
    )
    assert [navigator_of(c) for c in nadias_cases] == [world.noah.pk] * 3


def test_nothing_to_hand_on(world: World) -> None:
    idle = StaffFactory(username="ivy", supervisor=world.sam)
    with pytest.raises(ValidationError) as refused:
        hand_on_cases(from_person=idle, successors={}, acting_user=world.sam)
    assert "is not the navigator of any case now" in refused.value.messages[0]
