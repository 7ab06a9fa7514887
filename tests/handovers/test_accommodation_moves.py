"""A move to other accommodation names who now houses the victim, near enough where they
live: a partner that is not the receiver sees it, and is told of it, only when its share
gives the victim's location (an accommodation provider's share)."""

import pytest

from cases import access
from cases.choices import SharePurpose, ShareScope
from cases.models import CaseShare
from handovers.choices import HandoverKind
from handovers.selectors import of_case, visible_to
from partners.models import NoticeKind, PartnerNotice
from tests.factories import CaseShareFactory, OrganisationFactory
from tests.handovers.helpers import refer_to_haven
from tests.personas import World

HANDOVERS = [str(ShareScope.HANDOVERS)]
WITH_LOCATION = [str(ShareScope.HANDOVERS), str(ShareScope.LOCATION)]


@pytest.mark.parametrize(
    ("kind", "covers", "purpose", "shown"),
    [
        (HandoverKind.SUPPORT_REFERRAL, HANDOVERS, SharePurpose.SUPPORT, True),
        (HandoverKind.CASE_CLOSING, HANDOVERS, SharePurpose.SUPPORT, True),
        (HandoverKind.ACCOMMODATION_MOVE, HANDOVERS, SharePurpose.SUPPORT, False),
        # Location is only ever an accommodation provider's, whatever the share lists.
        (HandoverKind.ACCOMMODATION_MOVE, WITH_LOCATION, SharePurpose.SUPPORT, False),
        (HandoverKind.ACCOMMODATION_MOVE, HANDOVERS, SharePurpose.ACCOMMODATION, False),
        (HandoverKind.ACCOMMODATION_MOVE, WITH_LOCATION, SharePurpose.ACCOMMODATION, True),
        (HandoverKind.SUPPORT_REFERRAL, [], SharePurpose.ACCOMMODATION, False),
    ],
)
def test_which_handovers_a_share_shows(
    kind: str, covers: list[str], purpose: str, shown: bool
) -> None:
    assert access.share_covers_handover(kind, covers=covers, purpose=purpose) is shown


@pytest.fixture
def ark(world: World):  # type: ignore[no-untyped-def]
    """Another partner the case is shared with: the receiver of the handovers below."""
    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)
    return ark


def told(world: World) -> list[str]:
    return list(
        PartnerNotice.objects.filter(
            organisation=world.haven, kind=NoticeKind.HANDOVER
        ).values_list("subject", flat=True)
    )


def test_a_support_partner_neither_sees_nor_hears_of_a_move_to_other_accommodation(
    world: World, ark: object
) -> None:
    move = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.ACCOMMODATION_MOVE)
    referral = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    assert list(visible_to(world.pat)) == [referral]
    assert of_case(world.pat, world.case_a) == [referral]
    assert len(told(world)) == 1 and "referral" in told(world)[0].lower()
    # The navigation team still sees both.
    assert set(of_case(world.nadia, world.case_a)) == {move, referral}


def test_the_accommodation_provider_sees_the_move_and_is_told(world: World, ark: object) -> None:
    CaseShare.objects.filter(case=world.case_a, organisation=world.haven).update(
        purpose=SharePurpose.ACCOMMODATION, covers=WITH_LOCATION
    )
    move = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.ACCOMMODATION_MOVE)
    assert list(visible_to(world.pat)) == [move]
    assert of_case(world.pat, world.case_a) == [move]
    assert len(told(world)) == 1
