"""Who receives a handover, who sees it and who reads what was written: cases.access, as
tables (the rule) and by persona (the querysets)."""

import pytest

from accounts.models import Role
from cases import access
from handovers.selectors import addressed_to, may_read_details, visible_to
from tests.factories import CaseShareFactory, OrganisationFactory
from tests.handovers.helpers import change_navigator, refer_to_haven
from tests.personas import World

ME, BOSS, OTHER = 1, 2, 3
ORG, ELSEWHERE = 10, 11


@pytest.mark.parametrize(
    ("role", "organisation", "to_person", "supervisor", "receives"),
    [
        (Role.NAVIGATOR, ORG, ME, None, True),  # named
        (Role.NAVIGATOR, ORG, OTHER, None, False),  # a colleague named
        (Role.NAVIGATOR, ORG, None, None, False),  # navigators take cases by name only
        (Role.SUPERVISOR, ORG, OTHER, ME, True),  # for their navigator, who is away
        (Role.SUPERVISOR, ORG, OTHER, BOSS, False),
        (Role.SUPERVISOR, ORG, None, None, True),  # a navigator service, with nobody named
        (Role.SUPERVISOR, ELSEWHERE, None, None, False),
        (Role.PARTNER_CASEWORKER, ORG, None, None, True),  # the organisation acts as one
        (Role.PARTNER_CASEWORKER, ORG, OTHER, None, True),
        (Role.PARTNER_CASEWORKER, ELSEWHERE, None, None, False),
        (Role.PARTNER_CASEWORKER, None, None, None, False),
        (Role.OFFICER, ORG, None, None, True),  # a force, with nobody named
        (Role.OFFICER, ORG, OTHER, None, False),  # a colleague named
        (Role.OFFICER, ELSEWHERE, None, None, False),
        (Role.ADMIN, None, None, None, False),  # sees everything, receives nothing
        (Role.ADMIN, ORG, None, None, False),
    ],
)
def test_who_receives_a_handover(
    role: str,
    organisation: int | None,
    to_person: int | None,
    supervisor: int | None,
    receives: bool,
) -> None:
    assert (
        access.is_handover_receiver(
            role=role,
            user_id=ME,
            organisation_id=organisation,
            to_organisation_id=ORG,
            to_person_id=to_person,
            to_person_supervisor_id=supervisor,
        )
        is receives
    )


@pytest.mark.parametrize(
    ("role", "is_receiver", "reads"),
    [
        (Role.NAVIGATOR, False, True),
        (Role.SUPERVISOR, False, True),
        (Role.ADMIN, False, True),
        (Role.OFFICER, False, False),
        (Role.OFFICER, True, True),
        (Role.PARTNER_CASEWORKER, False, False),
        (Role.PARTNER_CASEWORKER, True, True),
    ],
)
def test_who_reads_what_the_sender_wrote(role: str, is_receiver: bool, reads: bool) -> None:
    assert access.may_read_handover_details(role, is_receiver=is_receiver) is reads


# Case A's handover to Ark (case A is shared with Haven, covering handovers), and a change
# of navigator on case A from Nadia to Noah: who sees each, who receives each.
SEES = {
    "nadia": {"ark", "noah"},  # her case
    "noah": {"noah"},  # addressed to him; case A is not his yet
    "sam": {"ark", "noah"},  # his team's case
    "sue": set(),
    "olive": {"ark", "noah"},  # her force's case
    "oscar": set(),
    "pat": {"ark", "noah"},  # through Haven's share, which covers handovers
    "pia": set(),
    "ada": {"ark", "noah"},
    "nemo": set(),
}
RECEIVES = {"noah": {"noah"}, "sam": {"noah"}}


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(SEES))
def test_who_sees_and_receives_each_handover(world: World, who: str) -> None:
    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)  # consent
    handovers = {
        "ark": refer_to_haven(world, to_organisation=ark, kind="support_referral"),
        "noah": change_navigator(world),
    }
    names = {h.pk: name for name, h in handovers.items()}
    user = getattr(world, who)
    assert {names[h.pk] for h in visible_to(user)} == SEES[who]
    assert {names[h.pk] for h in addressed_to(user)} == RECEIVES.get(who, set())
    for handover in visible_to(user):  # of a handover they may see
        name = names[handover.pk]
        reads = may_read_details(user, handover)
        expected = who in {"nadia", "sam", "ada"} or name in RECEIVES.get(who, set())
        assert reads is expected, (who, name)
