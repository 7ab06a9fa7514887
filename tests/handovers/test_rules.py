"""The handover rules as tables: no database."""

from datetime import UTC, datetime, timedelta

import pytest

from cases.choices import OrganisationKind, PocRole
from handovers import rules
from handovers.choices import HandoverAction, HandoverKind, HandoverState
from handovers.rules import PendingHandover, Receiver, Standing

R, OTHER = Standing.RECEIVER, Standing.OTHER
ACK, ACCEPT, DECLINE = HandoverAction.ACKNOWLEDGE, HandoverAction.ACCEPT, HandoverAction.DECLINE
SENT, ACKED = HandoverState.SENT, HandoverState.ACKNOWLEDGED
ACCEPTED, DECLINED = HandoverState.ACCEPTED, HandoverState.DECLINED


@pytest.mark.parametrize(
    ("action", "state", "standing", "problem"),
    [
        (ACK, SENT, R, None),
        (ACK, ACKED, R, None),  # again: nothing changes, nothing refused
        (ACK, ACCEPTED, R, "This handover is already accepted."),
        (ACK, DECLINED, R, "This handover is already declined."),
        (ACCEPT, SENT, R, None),  # acknowledged on the way
        (ACCEPT, ACKED, R, None),
        (ACCEPT, ACCEPTED, R, "This handover is already accepted."),
        (ACCEPT, DECLINED, R, "This handover is already declined."),
        (DECLINE, SENT, R, None),
        (DECLINE, ACKED, R, None),
        (DECLINE, DECLINED, R, "This handover is already declined."),
        (DECLINE, ACCEPTED, R, "This handover is already accepted."),
        (ACK, SENT, OTHER, "Only the receiver of a handover can acknowledge it."),
        (ACCEPT, ACKED, OTHER, "Only the receiver of a handover can accept it."),
        (DECLINE, SENT, OTHER, "Only the receiver of a handover can decline it."),
    ],
)
def test_who_may_move_a_handover_on(
    action: str, state: str, standing: Standing, problem: str | None
) -> None:
    assert rules.transition_problem(action, state=state, standing=standing) == problem


def test_acknowledging_twice_changes_nothing() -> None:
    assert rules.changes_anything(ACK, state=SENT)
    assert not rules.changes_anything(ACK, state=ACKED)
    assert rules.changes_anything(ACCEPT, state=ACKED)


FORCE, OTHER_FORCE, NGO, SERVICE = 1, 2, 3, 4
NGO_KIND, POLICE = OrganisationKind.SUPPORT_NGO, OrganisationKind.POLICE_FORCE
SERVICE_KIND = OrganisationKind.NAVIGATOR_SERVICE


def ngo(**person: object) -> Receiver:
    """A support organisation the case is shared with (the victim consented)."""
    person.setdefault("shares_the_case", True)
    return Receiver(organisation_id=NGO, organisation_kind=NGO_KIND, **person)  # type: ignore[arg-type]


NOT_SHARED = {
    "to_organisation": "The case is not shared with them: share it first, with the victim's "
    "consent (a handover gives them the victim's needs and how to contact them)."
}


@pytest.mark.parametrize(
    ("kind", "receiver", "problems"),
    [
        (HandoverKind.ACCOMMODATION_MOVE, ngo(), {}),
        (
            HandoverKind.ACCOMMODATION_MOVE,
            Receiver(organisation_id=OTHER_FORCE, organisation_kind=POLICE),
            {"to_organisation": "Choose a support organisation for this kind of handover."},
        ),
        (HandoverKind.SUPPORT_REFERRAL, ngo(), {}),
        (
            HandoverKind.SUPPORT_REFERRAL,
            ngo(person_role="partner_caseworker", person_organisation_id=NGO + 10),
            {"to_person": "Choose someone who works for the receiving organisation."},
        ),
        (
            HandoverKind.SUPPORT_REFERRAL,
            ngo(person_role="partner_caseworker", person_organisation_id=NGO, person_active=False),
            {"to_person": "Choose a person whose account is in use."},
        ),
        (
            HandoverKind.SUPPORT_REFERRAL,
            ngo(
                person_role="partner_caseworker",
                person_organisation_id=NGO,
                person_is_api_account=True,
            ),
            {"to_person": "Choose a person whose account is in use."},
        ),
        (
            HandoverKind.FORCE_TRANSFER,
            Receiver(organisation_id=OTHER_FORCE, organisation_kind=POLICE),
            {},
        ),
        (
            HandoverKind.FORCE_TRANSFER,
            Receiver(organisation_id=FORCE, organisation_kind=POLICE),
            {"to_organisation": "The case is already with this force."},
        ),
        (
            HandoverKind.FORCE_TRANSFER,
            ngo(),
            {"to_organisation": "A case is transferred to a police force."},
        ),
        (
            HandoverKind.POINT_OF_CONTACT,
            Receiver(organisation_id=SERVICE, organisation_kind=SERVICE_KIND),
            {"to_person": "Choose the person who becomes the point of contact."},
        ),
        (
            HandoverKind.POINT_OF_CONTACT,
            Receiver(
                organisation_id=SERVICE,
                organisation_kind=SERVICE_KIND,
                person_role="navigator",
                person_organisation_id=SERVICE,
            ),
            {},
        ),
        (
            HandoverKind.POINT_OF_CONTACT,
            Receiver(
                organisation_id=SERVICE,
                organisation_kind=SERVICE_KIND,
                person_role="supervisor",
                person_organisation_id=SERVICE,
            ),
            {
                "to_person": "Choose a navigator, a police officer or an NGO caseworker: they "
                "are the points of contact a victim has."
            },
        ),
        (
            HandoverKind.POINT_OF_CONTACT,
            Receiver(
                organisation_id=FORCE,
                organisation_kind=POLICE,
                person_role="officer",
                person_organisation_id=FORCE,
            ),
            {},
        ),
        (
            HandoverKind.POINT_OF_CONTACT,
            Receiver(
                organisation_id=OTHER_FORCE,
                organisation_kind=POLICE,
                person_role="officer",
                person_organisation_id=OTHER_FORCE,
            ),
            {
                "to_person": "A police point of contact is an officer of the force with the "
                "case; to move the case to another force, send a transfer."
            },
        ),
        ("gift", ngo(), {"kind": "Choose what is being handed over."}),
        # A partner organisation gets nothing of the victim's without their consent.
        (HandoverKind.SUPPORT_REFERRAL, ngo(shares_the_case=False), NOT_SHARED),
        (HandoverKind.ACCOMMODATION_MOVE, ngo(shares_the_case=False), NOT_SHARED),
        (HandoverKind.CASE_CLOSING, ngo(shares_the_case=False), NOT_SHARED),
        (
            HandoverKind.POINT_OF_CONTACT,
            ngo(
                shares_the_case=False,
                person_role="partner_caseworker",
                person_organisation_id=NGO,
            ),
            NOT_SHARED,
        ),
        # Police forces and navigation services see cases by their role, not by a share.
        (
            HandoverKind.CASE_CLOSING,
            Receiver(organisation_id=SERVICE, organisation_kind=SERVICE_KIND),
            {},
        ),
    ],
)
def test_whom_a_handover_may_be_addressed_to(
    kind: str, receiver: Receiver, problems: dict[str, str]
) -> None:
    assert (
        rules.receiver_problems(kind, receiver, case_force_id=FORCE, sender_organisation_id=SERVICE)
        == problems
    )


def test_a_sender_without_an_organisation_cannot_send() -> None:
    problems = rules.receiver_problems(
        HandoverKind.SUPPORT_REFERRAL, ngo(), case_force_id=FORCE, sender_organisation_id=None
    )
    assert problems == {"kind": "Only someone who works for an organisation can send a handover."}


@pytest.mark.parametrize(
    ("role", "poc_role"),
    [
        ("navigator", PocRole.NAVIGATOR),
        ("officer", PocRole.POLICE),
        ("partner_caseworker", PocRole.NGO_CASEWORKER),
        ("supervisor", None),
        ("admin", None),
        (None, None),
    ],
)
def test_the_role_a_receiver_takes_on(role: str | None, poc_role: PocRole | None) -> None:
    assert rules.poc_role_for(role) == poc_role


SENT_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H1 = PendingHandover(id=1, sent_at=SENT_AT, kind="support_referral", to_organisation="Haven")
H2 = PendingHandover(
    id=2, sent_at=SENT_AT + timedelta(hours=5), kind="accommodation_move", to_organisation="Ark"
)


@pytest.mark.parametrize(
    ("hours_after", "overdue", "urgent", "next_look_hours"),
    [
        (0, [], [], 24),
        (23.99, [], [], 24),
        (24, [1], [], 29),  # at the deadline exactly: overdue; the next one at 29 hours
        (29, [1, 2], [], 48),
        (47, [1, 2], [], 48),
        (48, [1, 2], [1], 53),  # twice the time allowed: urgent
        (53, [1, 2], [1, 2], None),  # nothing left to change with time alone
    ],
)
def test_the_acknowledgement_deadline(
    hours_after: float, overdue: list[int], urgent: list[int], next_look_hours: int | None
) -> None:
    now = SENT_AT + timedelta(hours=hours_after)
    found = rules.overdue_acknowledgements([H2, H1], now=now, hours=24)
    assert [o.handover.id for o in found] == overdue
    assert [o.handover.id for o in found if o.urgent] == urgent
    expected = SENT_AT + timedelta(hours=next_look_hours) if next_look_hours else None
    assert rules.next_look_at([H1, H2], now=now, hours=24) == expected


def test_the_deadline_follows_the_setting() -> None:
    assert rules.acknowledgement_due_at(SENT_AT, hours=4) == SENT_AT + timedelta(hours=4)
    found = rules.overdue_acknowledgements([H1], now=SENT_AT + timedelta(hours=4), hours=4)
    assert [o.due_at for o in found] == [SENT_AT + timedelta(hours=4)]


def test_the_alert_in_words() -> None:
    now = SENT_AT + timedelta(hours=30)
    overdue = rules.overdue_acknowledgements([H1, H2], now=now, hours=24)
    assert rules.unacknowledged_sentence(overdue, hours=24) == (
        "Haven has not acknowledged the handover (referral to a support service) within "
        "24 hours (and 1 more): call them to make sure someone has it."
    )
    assert "1 hour:" in rules.unacknowledged_sentence(overdue[:1], hours=1)
