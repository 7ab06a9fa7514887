"""Sending, acknowledging, accepting and declining: the one write path, and every refusal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alerts.choices import LIVE_STATUSES, AlertKind
from alerts.models import Alert
from cases.choices import CaseStatus, PocRole
from cases.models import PointOfContact
from cases.services import set_case_status
from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover
from handovers.services import (
    accept_handover,
    acknowledge_handover,
    decline_handover,
    send_handover,
)
from partners.models import NoticeKind, PartnerNotice
from tests.alerts.helpers import agree
from tests.factories import CaseShareFactory, OrganisationFactory, StaffFactory
from tests.handovers.helpers import change_navigator, refer_to_haven
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_sending_records_it_with_a_copy_of_the_agreement_and_tells_the_receiver(
    world: World,
) -> None:
    agree(world.case_a, world.nadia, at=timezone.now() - timedelta(days=3), interval=3)
    handover = refer_to_haven(world)
    handover.refresh_from_db()
    assert handover.state == HandoverState.SENT
    assert handover.from_person == world.nadia
    assert handover.from_organisation == world.nadia.organisation
    assert handover.agreement["update_interval_days"] == 3
    assert handover.agreement["channels"] == ["text", "phone_call"]
    assert "avoid_notes" not in handover.agreement  # never the free text
    assert handover.history.first().history_user == world.nadia
    (notice,) = PartnerNotice.objects.filter(kind=NoticeKind.HANDOVER)
    assert notice.organisation == world.haven
    assert world.case_a.reference in notice.subject
    assert "counselling" not in notice.subject and "Afraid" not in notice.subject


def test_a_partner_the_case_is_not_shared_with_is_sent_nothing(world: World) -> None:
    """Without the victim's consent (a share in force), a partner organisation is not told
    their needs and risks, nor how they agreed to be contacted."""
    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    with pytest.raises(ValidationError) as refused:
        refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    assert "not shared" in refused.value.message_dict["to_organisation"][0]
    assert not Handover.objects.exists()
    assert not PartnerNotice.objects.filter(organisation=ark).exists()
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)
    handover = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    assert handover.to_organisation == ark


def test_needs_and_risks_are_encrypted_at_rest(world: World) -> None:
    from django.db import connection

    handover = refer_to_haven(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT needs_and_risks, reason FROM handovers_handover WHERE id = %s", [handover.pk]
        )
        stored = cursor.fetchone()
    assert "Afraid" not in stored[0] and "counselling" not in stored[1]


def test_the_notice_is_written_in_the_same_transaction(world: World) -> None:
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        refer_to_haven(world)
        assert PartnerNotice.objects.filter(kind=NoticeKind.HANDOVER).count() == 1
        raise Undo
    assert not Handover.objects.exists()
    assert not PartnerNotice.objects.filter(kind=NoticeKind.HANDOVER).exists()


@pytest.mark.parametrize("who", ["olive", "pat", "noah", "nemo", "sue"])
def test_only_the_case_team_sends(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        send_handover(
            case=world.case_a,
            kind=HandoverKind.SUPPORT_REFERRAL,
            to_organisation=world.haven,
            reason="x",
            needs_and_risks="y",
            acting_user=getattr(world, who),
        )
    assert not Handover.objects.exists()


def test_a_supervisor_sends_for_their_team(world: World) -> None:
    handover = send_handover(
        case=world.case_a,
        kind=HandoverKind.SUPPORT_REFERRAL,
        to_organisation=world.haven,
        reason="x",
        needs_and_risks="y",
        acting_user=world.sam,
    )
    assert handover.from_person == world.sam


def test_refusals_name_their_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        refer_to_haven(world, reason="  ", needs_and_risks="", to_organisation=world.force_b)
    assert set(refused.value.message_dict) == {"reason", "needs_and_risks", "to_organisation"}
    with pytest.raises(ValidationError) as refused:
        refer_to_haven(world, needs_and_risks="x" * 4001)
    assert refused.value.message_dict == {"needs_and_risks": ["Keep this to 4000 characters."]}
    with pytest.raises(ValidationError) as refused:
        refer_to_haven(world, to_person=world.pia)  # works elsewhere
    assert set(refused.value.message_dict) == {"to_person"}
    assert not Handover.objects.exists()
    assert not PartnerNotice.objects.filter(kind=NoticeKind.HANDOVER).exists()


def test_nothing_is_handed_over_from_a_closed_case(world: World) -> None:
    set_case_status(
        case=world.case_a, status=CaseStatus.CLOSED, reason="Support ended", acting_user=world.nadia
    )
    with pytest.raises(ValidationError) as refused:
        refer_to_haven(world)
    assert "closed" in refused.value.message_dict["kind"][0]


def test_one_change_of_each_point_of_contact_waits_at_a_time(world: World) -> None:
    change_navigator(world)
    with pytest.raises(ValidationError) as refused:
        change_navigator(world)
    assert "already waiting" in refused.value.message_dict["kind"][0]
    assert Handover.objects.count() == 1


def test_the_receiver_acknowledges_once(world: World) -> None:
    handover = refer_to_haven(world)
    first = acknowledge_handover(handover=handover, acting_user=world.pat)
    assert first.state == HandoverState.ACKNOWLEDGED and first.acknowledged_by == world.pat
    again = acknowledge_handover(
        handover=handover, acting_user=world.pat, now=timezone.now() + timedelta(hours=1)
    )
    assert again.acknowledged_at == first.acknowledged_at


@pytest.mark.parametrize("who", ["nadia", "sam", "olive", "pia", "ada", "noah"])
def test_nobody_but_the_receiver_moves_it_on(world: World, who: str) -> None:
    handover = refer_to_haven(world)
    user = getattr(world, who)
    for act in (
        lambda: acknowledge_handover(handover=handover, acting_user=user),
        lambda: accept_handover(handover=handover, acting_user=user),
        lambda: decline_handover(handover=handover, reason="No", acting_user=user),
    ):
        with pytest.raises(PermissionDenied):
            act()
    handover.refresh_from_db()
    assert handover.state == HandoverState.SENT


def test_accepting_records_who_and_when_and_acknowledges_on_the_way(world: World) -> None:
    handover = refer_to_haven(world)
    accepted = accept_handover(handover=handover, acting_user=world.pat)
    accepted.refresh_from_db()
    assert accepted.state == HandoverState.ACCEPTED
    assert accepted.acknowledged_by == accepted.decided_by == world.pat
    assert accepted.acknowledged_at == accepted.decided_at
    # Already decided: accepting or declining again is refused, beside the state.
    for act in (
        lambda: accept_handover(handover=handover, acting_user=world.pat),
        lambda: decline_handover(handover=handover, reason="No", acting_user=world.pat),
        lambda: acknowledge_handover(handover=handover, acting_user=world.pat),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.message_dict == {"state": ["This handover is already accepted."]}


def test_accepting_a_change_of_navigator_moves_the_point_of_contact(world: World) -> None:
    handover = change_navigator(world)
    assert handover.poc_role == PocRole.NAVIGATOR
    with pytest.raises(ValidationError) as refused:
        accept_handover(handover=handover, acting_user=world.noah)
    assert set(refused.value.message_dict) == {"introduced_by_predecessor"}

    accept_handover(handover=handover, acting_user=world.noah, introduced_by_predecessor=True)
    current = PointOfContact.objects.get(
        case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
    )
    assert current.person == world.noah and current.introduced_by_predecessor
    handover.refresh_from_db()
    assert handover.introduced_by_predecessor is True
    assert PartnerNotice.objects.filter(kind=NoticeKind.POINT_OF_CONTACT_CHANGED).exists()


def test_a_supervisor_accepts_for_a_navigator_who_is_away(world: World) -> None:
    handover = change_navigator(world)
    accept_handover(handover=handover, acting_user=world.sam, introduced_by_predecessor=False)
    current = PointOfContact.objects.get(
        case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
    )
    assert current.person == world.noah and not current.introduced_by_predecessor


def test_a_receiver_who_left_meanwhile_cannot_take_the_case(world: World) -> None:
    handover = change_navigator(world)
    world.noah.is_active = False
    world.noah.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        accept_handover(handover=handover, acting_user=world.sam, introduced_by_predecessor=True)
    assert set(refused.value.message_dict) == {"person"}
    handover.refresh_from_db()
    assert handover.state == HandoverState.SENT
    assert (
        PointOfContact.objects.get(
            case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
        ).person
        == world.nadia
    )


def test_declining_needs_a_reason_leaves_responsibility_and_alerts_the_sender(
    world: World,
) -> None:
    handover = change_navigator(world)
    with pytest.raises(ValidationError) as refused:
        decline_handover(handover=handover, reason="   ", acting_user=world.noah)
    assert set(refused.value.message_dict) == {"decline_reason"}

    decline_handover(handover=handover, reason="My caseload is full", acting_user=world.noah)
    handover.refresh_from_db()
    assert handover.state == HandoverState.DECLINED
    assert handover.decline_reason == "My caseload is full"
    assert handover.decided_by == world.noah
    current = PointOfContact.objects.get(
        case=world.case_a, role=PocRole.NAVIGATOR, ended_at__isnull=True
    )
    assert current.person == world.nadia  # still hers
    alert = Alert.objects.get(kind=AlertKind.HANDOVER_DECLINED, status__in=LIVE_STATUSES)
    assert alert.case == world.case_a and alert.assigned_to == world.nadia
    assert "declined" in alert.summary and "caseload" not in alert.summary
    # A declined change of navigator no longer holds the place: another can be sent.
    change_navigator(world)


def test_an_officer_of_the_receiving_force_takes_a_transfer(world: World) -> None:
    handover = send_handover(
        case=world.case_a,
        kind=HandoverKind.FORCE_TRANSFER,
        to_organisation=world.force_b,
        reason="The victim now lives in force B's area",
        needs_and_risks="Ask for a female officer.",
        acting_user=world.nadia,
    )
    with pytest.raises(PermissionDenied):
        acknowledge_handover(handover=handover, acting_user=world.olive)
    acknowledge_handover(handover=handover, acting_user=world.oscar)


def test_another_organisation_entirely(world: World) -> None:
    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)  # consent
    arkworker = StaffFactory(role="partner_caseworker", organisation=ark)
    handover = refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    with pytest.raises(PermissionDenied):
        accept_handover(handover=handover, acting_user=world.pat)
    accept_handover(handover=handover, acting_user=arkworker)


def test_the_database_keeps_state_and_who_and_when_in_agreement(world: World) -> None:
    from django.db import IntegrityError

    handover = refer_to_haven(world)
    for fields in (
        {"state": HandoverState.ACKNOWLEDGED},  # acknowledged by nobody
        {
            "state": HandoverState.DECLINED,
            "acknowledged_at": timezone.now(),
            "acknowledged_by": world.pat,
            "decided_at": timezone.now(),
            "decided_by": world.pat,
        },
        {
            "acknowledged_at": handover.sent_at - timedelta(hours=1),
            "acknowledged_by": world.pat,
            "state": HandoverState.ACKNOWLEDGED,
        },
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Handover.objects.filter(pk=handover.pk).update(**fields)


def test_partners_sharing_the_case_hear_of_a_handover_to_someone_else(world: World) -> None:
    ark = OrganisationFactory(name="Ark", kind="support_ngo")
    CaseShareFactory(case=world.case_a, organisation=ark, shared_by=world.nadia)  # consent
    refer_to_haven(world, to_organisation=ark, kind=HandoverKind.SUPPORT_REFERRAL)
    notices = {
        n.organisation.name: n.subject for n in PartnerNotice.objects.filter(kind="handover")
    }
    assert set(notices) == {"Ark", "Haven"}
    assert "to you" in notices["Ark"] and "to Ark" in notices["Haven"]


def test_a_change_of_contact_that_could_not_be_accepted_is_refused_when_sent(
    world: World,
) -> None:
    with pytest.raises(ValidationError) as refused:
        send_handover(
            case=world.case_a,
            kind=HandoverKind.POINT_OF_CONTACT,
            to_organisation=world.nadia.organisation,
            to_person=world.nadia,  # already the navigator
            reason="x",
            needs_and_risks="y",
            acting_user=world.sam,
        )
    assert refused.value.message_dict["to_person"] == [
        f"{world.nadia} is already the point of contact."
    ]
    with pytest.raises(ValidationError) as refused:
        send_handover(
            case=world.case_a,
            kind=HandoverKind.POINT_OF_CONTACT,
            to_organisation=world.other_ngo,
            to_person=world.pia,  # her organisation has no share of the case
            reason="x",
            needs_and_risks="y",
            acting_user=world.nadia,
        )
    assert "not shared" in refused.value.message_dict["to_organisation"][0]
    assert "to_person" not in refused.value.message_dict  # said once, of the organisation
    handover = send_handover(
        case=world.case_a,
        kind=HandoverKind.POINT_OF_CONTACT,
        to_organisation=world.haven,
        to_person=world.pat,
        reason="Haven takes the lead",
        needs_and_risks="y",
        acting_user=world.nadia,
    )
    assert handover.poc_role == PocRole.NGO_CASEWORKER
    accept_handover(handover=handover, acting_user=world.pat, introduced_by_predecessor=True)
    assert (
        PointOfContact.objects.get(
            case=world.case_a, role=PocRole.NGO_CASEWORKER, ended_at__isnull=True
        ).person
        == world.pat
    )


def test_a_navigator_service_receives_through_its_supervisors(world: World) -> None:
    handover = refer_to_haven(
        world, kind=HandoverKind.CASE_CLOSING, to_organisation=world.nadia.organisation
    )
    with pytest.raises(PermissionDenied):
        acknowledge_handover(handover=handover, acting_user=world.noah)  # nobody named
    accept_handover(handover=handover, acting_user=world.sue)
