"""The rules of handovers: who may move one on, what a sender may address one to, and when
one left unacknowledged needs someone to look. Pure: plain facts and an explicit ``now``
in, answers in plain words out; no database, no settings, no clock.

Laid out as ``contacts.disengagement``: facts in, knobs, results out, wording, rules, and
when to look again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from accounts.models import Role
from cases.choices import PARTNER_ORGANISATION_KINDS, OrganisationKind, PocRole
from handovers.choices import HandoverAction, HandoverKind, HandoverState

# --- Facts in -------------------------------------------------------------------------


class Standing(StrEnum):
    """How the person acting stands to a handover (decided by ``cases.access``)."""

    RECEIVER = "receiver"  # the person it names, or who acts for the organisation it names
    OTHER = "other"


@dataclass(frozen=True)
class Receiver:
    """Whom a sender addresses a handover to: the organisation, and a person if named."""

    organisation_id: int
    organisation_kind: str
    person_role: str | None = None
    person_organisation_id: int | None = None
    person_active: bool = True
    person_is_api_account: bool = False
    # A partner organisation: whether the case is shared with it now (the victim's consent
    # recorded). Police forces and navigation services see cases by role, not by a share.
    shares_the_case: bool = False


@dataclass(frozen=True)
class PendingHandover:
    """A handover still waiting to be acknowledged, as the clock reads it."""

    id: int
    sent_at: datetime
    kind: str
    to_organisation: str


# --- Knobs ----------------------------------------------------------------------------

DEFAULT_ACK_HOURS = 24
# Unacknowledged for twice the time allowed, a handover is urgent: the victim may have
# moved already with nobody at the other end.
ESCALATE_AFTER = 2

# The point-of-contact role each kind of staff can hold.
POC_ROLE_OF = MappingProxyType(
    {
        Role.NAVIGATOR: PocRole.NAVIGATOR,
        Role.OFFICER: PocRole.POLICE,
        Role.PARTNER_CASEWORKER: PocRole.NGO_CASEWORKER,
    }
)
# Which organisations can take on each kind of handover.
RECEIVING_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        HandoverKind.ACCOMMODATION_MOVE: frozenset(
            {OrganisationKind.SUPPORT_NGO, OrganisationKind.OTHER}
        ),
        HandoverKind.FORCE_TRANSFER: frozenset({OrganisationKind.POLICE_FORCE}),
        HandoverKind.SUPPORT_REFERRAL: frozenset(
            {OrganisationKind.SUPPORT_NGO, OrganisationKind.OTHER}
        ),
        HandoverKind.CASE_CLOSING: frozenset(
            {
                OrganisationKind.SUPPORT_NGO,
                OrganisationKind.OTHER,
                OrganisationKind.NAVIGATOR_SERVICE,
            }
        ),
        HandoverKind.POINT_OF_CONTACT: frozenset(OrganisationKind.values),
    }
)
# The states each action moves a handover on from.
FROM_STATES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        HandoverAction.ACKNOWLEDGE: frozenset({HandoverState.SENT}),
        HandoverAction.ACCEPT: frozenset({HandoverState.SENT, HandoverState.ACKNOWLEDGED}),
        HandoverAction.DECLINE: frozenset({HandoverState.SENT, HandoverState.ACKNOWLEDGED}),
    }
)
RESULT_STATE: Mapping[str, HandoverState] = MappingProxyType(
    {
        HandoverAction.ACKNOWLEDGE: HandoverState.ACKNOWLEDGED,
        HandoverAction.ACCEPT: HandoverState.ACCEPTED,
        HandoverAction.DECLINE: HandoverState.DECLINED,
    }
)

# --- Results out ----------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    handover: PendingHandover
    due_at: datetime
    urgent: bool


# --- Wording --------------------------------------------------------------------------

_ACTION_WORDS: Mapping[str, str] = MappingProxyType(
    {
        HandoverAction.ACKNOWLEDGE: "acknowledge",
        HandoverAction.ACCEPT: "accept",
        HandoverAction.DECLINE: "decline",
    }
)
_STATE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        HandoverState.ACKNOWLEDGED: "already acknowledged",
        HandoverState.ACCEPTED: "already accepted",
        HandoverState.DECLINED: "already declined",
        HandoverState.SENT: "not acknowledged yet",
    }
)


def hours_words(hours: int) -> str:
    return "1 hour" if hours == 1 else f"{hours} hours"


def unacknowledged_sentence(overdue: list[Overdue], *, hours: int) -> str:
    """The alert's summary: which receiver has not acknowledged, in a sentence."""
    first = overdue[0].handover
    more = f" (and {len(overdue) - 1} more)" if len(overdue) > 1 else ""
    kind = HandoverKind(first.kind).label.lower()
    return (
        f"{first.to_organisation} has not acknowledged the handover ({kind}) within "
        f"{hours_words(hours)}{more}: call them to make sure someone has it."
    )


# --- Rules ----------------------------------------------------------------------------


def transition_problem(action: str, *, state: str, standing: Standing) -> str | None:
    """Why ``action`` may not be taken on a handover in ``state``, or None if it may.

    Only the receiver moves a handover on: the sender's side cannot accept on their
    behalf. Acknowledging one already acknowledged is no problem (it changes nothing).
    """
    if standing != Standing.RECEIVER:
        return f"Only the receiver of a handover can {_ACTION_WORDS[action]} it."
    if action == HandoverAction.ACKNOWLEDGE and state == HandoverState.ACKNOWLEDGED:
        return None
    if state not in FROM_STATES[action]:
        return f"This handover is {_STATE_WORDS[state]}."
    return None


def changes_anything(action: str, *, state: str) -> bool:
    """Acknowledging twice is allowed and changes nothing."""
    return not (action == HandoverAction.ACKNOWLEDGE and state == HandoverState.ACKNOWLEDGED)


def poc_role_for(person_role: str | None) -> PocRole | None:
    """The point-of-contact role a person would take on: from their own role."""
    if person_role is None:
        return None
    return POC_ROLE_OF.get(Role(person_role))


def receiver_problems(
    kind: str, receiver: Receiver, *, case_force_id: int, sender_organisation_id: int | None
) -> dict[str, str]:
    """What is wrong with addressing a handover of ``kind`` to ``receiver``, by field."""
    problems: dict[str, str] = {}
    if kind not in HandoverKind.values:
        return {"kind": "Choose what is being handed over."}
    if sender_organisation_id is None:
        problems["kind"] = "Only someone who works for an organisation can send a handover."
    if receiver.organisation_kind not in RECEIVING_KINDS[kind]:
        problems["to_organisation"] = (
            "A case is transferred to a police force."
            if kind == HandoverKind.FORCE_TRANSFER
            else "Choose a support organisation for this kind of handover."
        )
    elif kind == HandoverKind.FORCE_TRANSFER and receiver.organisation_id == case_force_id:
        problems["to_organisation"] = "The case is already with this force."
    elif receiver.organisation_kind in PARTNER_ORGANISATION_KINDS and not receiver.shares_the_case:
        # What a handover carries (the needs and risks, the agreement's terms) goes to a
        # partner only with the victim's consent, which a share records.
        problems["to_organisation"] = (
            "The case is not shared with them: share it first, with the victim's consent "
            "(a handover gives them the victim's needs and how to contact them)."
        )
    if receiver.person_role is None:
        if kind == HandoverKind.POINT_OF_CONTACT:
            problems["to_person"] = "Choose the person who becomes the point of contact."
        return problems
    if receiver.person_organisation_id != receiver.organisation_id:
        problems["to_person"] = "Choose someone who works for the receiving organisation."
    elif not receiver.person_active or receiver.person_is_api_account:
        problems["to_person"] = "Choose a person whose account is in use."
    elif kind == HandoverKind.POINT_OF_CONTACT:
        role = poc_role_for(receiver.person_role)
        if role is None:
            problems["to_person"] = (
                "Choose a navigator, a police officer or an NGO caseworker: they are the "
                "points of contact a victim has."
            )
        elif role == PocRole.POLICE and receiver.organisation_id != case_force_id:
            problems["to_person"] = (
                "A police point of contact is an officer of the force with the case; to "
                "move the case to another force, send a transfer."
            )
    return problems


def acknowledgement_due_at(sent_at: datetime, *, hours: int) -> datetime:
    return sent_at + timedelta(hours=hours)


def overdue_acknowledgements(
    pending: Iterable[PendingHandover], *, now: datetime, hours: int
) -> list[Overdue]:
    """The handovers not acknowledged within ``hours`` of being sent, oldest first.

    At exactly the deadline a handover is overdue; at twice the time allowed, urgent.
    """
    overdue = []
    for handover in sorted(pending, key=lambda h: (h.sent_at, h.id)):
        due_at = acknowledgement_due_at(handover.sent_at, hours=hours)
        if now >= due_at:
            urgent = now >= acknowledgement_due_at(handover.sent_at, hours=hours * ESCALATE_AFTER)
            overdue.append(Overdue(handover=handover, due_at=due_at, urgent=urgent))
    return overdue


# --- When to look again ----------------------------------------------------------------


def next_look_at(
    pending: Iterable[PendingHandover], *, now: datetime, hours: int
) -> datetime | None:
    """The first moment after ``now`` at which a pending handover becomes overdue or urgent."""
    moments = [
        acknowledgement_due_at(h.sent_at, hours=hours * times)
        for h in pending
        for times in (1, ESCALATE_AFTER)
    ]
    return min((m for m in moments if m > now), default=None)
