"""The copy of the communication agreement a handover carries: its structured terms as they
were when it was sent, so the receiver keeps in touch as the victim agreed from the first
day. Never the agreement's free text (notes on what to avoid, why a channel is unsafe):
that stays with the case."""

from datetime import date, time
from typing import Any

from contacts import agreement_words

TERMS = (
    "version",
    "channels",
    "update_interval_days",
    "level_of_detail",
    "contact_windows",
    "avoid_flags",
    "unsafe_channel",
    "language",
    "interpreter_needed",
)


def freeze(agreement: Any) -> dict[str, Any]:
    """The structured terms of ``agreement`` (a CommunicationAgreement), or {} without one."""
    if agreement is None:
        return {}
    copy = {name: getattr(agreement, name) for name in TERMS}
    copy["agreed_on"] = agreement.agreed_on.isoformat()
    copy["review_by"] = agreement.review_by.isoformat() if agreement.review_by else None
    return copy


def facts(copy: dict[str, Any]) -> agreement_words.AgreementFacts | None:
    """The copy as facts for the plain-sentence wording (``contacts.agreement_words``)."""
    if not copy:
        return None
    return agreement_words.AgreementFacts(
        channels=tuple(copy["channels"]),
        update_interval_days=copy["update_interval_days"],
        level_of_detail=copy["level_of_detail"],
        windows=tuple(
            agreement_words.Window(
                days=frozenset(window["days"]),
                start=time.fromisoformat(window["start"]),
                end=time.fromisoformat(window["end"]),
            )
            for window in copy["contact_windows"]
        ),
        avoid=frozenset(copy["avoid_flags"]),
        unsafe_channel=copy["unsafe_channel"],
        unsafe_channel_note="",
        avoid_notes="",
        language=copy["language"],
        interpreter_needed=copy["interpreter_needed"],
        preferred_contact="",
        agreed_on=date.fromisoformat(copy["agreed_on"]),
        review_by=date.fromisoformat(copy["review_by"]) if copy["review_by"] else None,
        version=copy["version"],
    )
