"""What logging a contact changed, in one sentence: "Next update due Friday 13 November at
11:20; the overdue alert is cleared." Pure: the case's clock and live alerts before and
after, and what the contact was, in; the sentence out."""

from dataclasses import dataclass
from datetime import datetime

from alerts.choices import AlertKind
from pages import words

_CLEARED = {
    AlertKind.UPDATE_OVERDUE: "the overdue alert is cleared",
    AlertKind.UPDATE_DUE: "the alert that an update is due is cleared",
    AlertKind.KEY_DECISION_NOT_TOLD: "the alert about the key decision is cleared",
    AlertKind.PROMISE_OVERDUE: "the overdue promise alert is cleared",
    AlertKind.DISENGAGEMENT: "the early-warning alert is cleared",
    AlertKind.AGREEMENT_REVIEW_DUE: "the agreement review alert is cleared",
}
_RAISED = {
    AlertKind.UPDATE_OVERDUE: "the update is now overdue",
    AlertKind.DISENGAGEMENT: "an early-warning alert is open: see the case page for why",
    AlertKind.PROMISE_OVERDUE: "a promise is overdue",
    AlertKind.KEY_DECISION_NOT_TOLD: "a key decision is late in being told",
}


@dataclass(frozen=True)
class Reading:
    """The case's update clock and live alert kinds at one moment."""

    state: str  # contacts.sla.ClockState value
    due_at: datetime | None
    live: frozenset[str]


@dataclass(frozen=True)
class Contact:
    counted_as_update: bool
    breaches: tuple[str, ...] = ()
    decisions_told: int = 0
    promise_due_by: datetime | None = None


def _clock_words(before: Reading, after: Reading, contact: Contact, *, now: datetime) -> str:
    if after.state == "paused":
        return "The case is paused, so no update is due"
    if after.state == "closed":
        return "The case is closed, so no update is due"
    if after.state == "no_agreement" or after.due_at is None:
        return "There is no communication agreement yet, so no update clock: agree one"
    due = words.when_words(after.due_at, now=now)
    if contact.counted_as_update and after.due_at != before.due_at:
        return f"Next update due {due}"
    if contact.counted_as_update:
        return f"A later update was already logged, so the next update is still due {due}"
    still = "is still overdue: it was due" if after.state == "overdue" else "is still due"
    return f"This contact did not count as an update, so the next update {still} {due}"


def what_changed(before: Reading, after: Reading, contact: Contact, *, now: datetime) -> str:
    """One sentence saying what the contact did to the clock, the alerts and the case."""
    parts = [_clock_words(before, after, contact, now=now)]
    parts += [_CLEARED[kind] for kind in sorted(before.live - after.live) if kind in _CLEARED]
    if contact.breaches:
        parts.append(
            "it went against the agreement (" + "; ".join(contact.breaches) + "): an alert is open"
        )
    parts += [_RAISED[kind] for kind in sorted(after.live - before.live) if kind in _RAISED]
    if contact.decisions_told:
        noun = "key decision" if contact.decisions_told == 1 else "key decisions"
        parts.append(f"{contact.decisions_told} {noun} marked as told")
    if contact.promise_due_by is not None:
        parts.append(f"the promise is due {words.when_words(contact.promise_due_by, now=now)}")
    return words.capitalise("; ".join(parts)) + "."
