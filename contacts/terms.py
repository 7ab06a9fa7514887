"""Turn stored agreements and check-ins into the plain values the rules read."""

from collections.abc import Mapping
from datetime import time
from typing import Any

from contacts import agreement_words, sla
from contacts.choices import AvoidFlag, Channel, Direction, Outcome, Place, UpdateGiven


def windows_from_json(raw: list[Mapping[str, Any]]) -> tuple[sla.Window, ...]:
    return tuple(
        sla.Window(
            weekdays=frozenset(window["days"]),
            start=time.fromisoformat(window["start"]),
            end=time.fromisoformat(window["end"]),
        )
        for window in raw
    )


def terms_from_agreement(agreement: Any) -> sla.Terms:
    """``agreement`` is a CommunicationAgreement, or anything with its fields."""
    return sla.Terms(
        interval_days=agreement.update_interval_days,
        channels=tuple(Channel(c) for c in agreement.channels),
        windows=windows_from_json(agreement.contact_windows),
        avoid=frozenset(AvoidFlag(f) for f in agreement.avoid_flags),
        unsafe_channel=Channel(agreement.unsafe_channel) if agreement.unsafe_channel else None,
        review_by=agreement.review_by,
    )


def contact_from_checkin(checkin: Any) -> sla.Contact:
    """``checkin`` is a CheckIn, or anything with its fields."""
    return sla.Contact(
        at=checkin.at,
        channel=Channel(checkin.channel),
        direction=Direction(checkin.direction),
        outcome=Outcome(checkin.outcome),
        update_given=UpdateGiven(checkin.update_given),
        place=Place(checkin.place),
        number_withheld=checkin.number_withheld,
    )


# What agreement_facts reads: select these (and the preferred contact's name) when reading many.
AGREEMENT_WORDING_FIELDS = (
    "case_id",
    "version",
    "channels",
    "update_interval_days",
    "level_of_detail",
    "contact_windows",
    "avoid_flags",
    "avoid_notes",
    "unsafe_channel",
    "unsafe_channel_note",
    "language",
    "interpreter_needed",
    "agreed_on",
    "agreed_through",
    "review_by",
    "preferred_contact",
)


def agreement_facts(agreement: Any) -> agreement_words.AgreementFacts:
    """What ``agreement`` (a CommunicationAgreement) says, for the plain-sentence wording.

    Reads ``preferred_contact``: select it with the agreement when reading many.
    """
    return agreement_words.AgreementFacts(
        channels=tuple(agreement.channels),
        update_interval_days=agreement.update_interval_days,
        level_of_detail=agreement.level_of_detail,
        windows=tuple(
            agreement_words.Window(
                days=frozenset(window["days"]),
                start=time.fromisoformat(window["start"]),
                end=time.fromisoformat(window["end"]),
            )
            for window in agreement.contact_windows
        ),
        avoid=frozenset(agreement.avoid_flags),
        unsafe_channel=agreement.unsafe_channel,
        unsafe_channel_note=agreement.unsafe_channel_note,
        avoid_notes=agreement.avoid_notes,
        language=agreement.language,
        interpreter_needed=agreement.interpreter_needed,
        preferred_contact=str(agreement.preferred_contact) if agreement.preferred_contact else "",
        agreed_on=agreement.agreed_on,
        agreed_through=agreement.agreed_through,
        review_by=agreement.review_by,
        version=agreement.version,
    )
