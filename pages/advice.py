"""What to do about each kind of alert, and how case events read mid-sentence. Pure wording."""

from collections.abc import Mapping
from types import MappingProxyType

from alerts.choices import AlertKind
from cases.choices import EventKind

# "{name}" is the victim's name, or "the victim".
_WHAT_TO_DO: Mapping[str, str] = MappingProxyType(
    {
        AlertKind.UPDATE_OVERDUE: (
            "Give {name} an update the way they agreed, even if there is no news, "
            "then log the contact."
        ),
        AlertKind.UPDATE_DUE: "Contact {name} the way they agreed, then log the contact.",
        AlertKind.KEY_DECISION_NOT_TOLD: (
            "Tell {name} of the decision now, then log the contact and tick the decision as told."
        ),
        AlertKind.AGREEMENT_BROKEN: (
            "Talk it through with your supervisor. If it is safe, tell {name} what happened, "
            "and check the agreement still suits them."
        ),
        AlertKind.AGREEMENT_REVIEW_DUE: (
            "Go through the agreement with {name} and record it again, changed or not."
        ),
        AlertKind.DISENGAGEMENT: (
            "Get in touch the way {name} agreed and listen for what has changed. "
            "The reasons are listed; act on the heaviest first."
        ),
        AlertKind.PROMISE_OVERDUE: "Keep the promise, or tell {name} why not and when it will be.",
        AlertKind.WEBHOOK_FAILED: (
            "The partner's system did not take a notice about this case. Make sure the "
            "partner knows what it said (call them if it matters), and ask their "
            "administrator to check their webhook."
        ),
        AlertKind.HANDOVER_UNACKNOWLEDGED: (
            "Call the receiving organisation and make sure someone has the handover; until "
            "they accept it, {name}'s support is still yours."
        ),
        AlertKind.HANDOVER_DECLINED: (
            "Read why it was declined, keep supporting {name} meanwhile, and hand over to "
            "someone else if you still need to."
        ),
    }
)

# Case events as they read after "the": "Tell Amira of the arrest".
_EVENT_WORDS: Mapping[str, str] = MappingProxyType(
    {
        EventKind.INTERVIEW: "interview",
        EventKind.COURT_HEARING: "court hearing",
        EventKind.CHARGING_DECISION: "charging decision",
        EventKind.ARREST: "arrest",
        EventKind.SUSPECT_BAILED_OR_RELEASED: "suspect's bail or release",
        EventKind.NRM_DECISION: "NRM decision",
        EventKind.RELOCATION: "move to new accommodation",
        EventKind.OTHER: "decision",
    }
)


def what_to_do(kind: str, name: str) -> str:
    return _WHAT_TO_DO.get(kind, "Look at the case and decide what to do.").format(name=name)


def event_words(kind: str) -> str:
    """An event kind mid-sentence, e.g. "court hearing"."""
    return _EVENT_WORDS.get(kind, kind.replace("_", " "))
