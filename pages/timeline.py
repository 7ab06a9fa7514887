"""The case's timeline in words: one entry per thing that happened, newest first.

Each builder turns one stored record into entries (a point of contact gives one when they
started and one when they stopped). What a reader may not see is left out here, by the flag
the page passes from ``cases.access``: notes and free-text reasons.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cases.choices import CaseStatus, PocRole
from contacts.choices import PromiseStatus
from pages import words


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # contact, event, promise, contact_person, sharing, status
    title: str
    lines: tuple[str, ...] = ()
    by: str = ""


def _person(user: Any) -> str:
    return str(user) if user is not None else ""


def contact_entry(checkin: Any, *, show_notes: bool) -> Entry:
    direction = "from the victim" if checkin.direction == "inbound" else ""
    title = f"{checkin.get_channel_display()} {direction}".strip()
    title = f"{title}: {checkin.get_outcome_display().lower()}"
    lines = []
    if checkin.update_given != "none":
        lines.append(f"Update given: {checkin.get_update_given_display().lower()}.")
    scores = []
    if checkin.wellbeing is not None:
        scores.append(f"wellbeing {checkin.wellbeing}")
    if checkin.trust is not None:
        scores.append(f"trust {checkin.trust}")
    if scores:
        lines.append(words.capitalise(", ".join(scores)) + " (out of 5).")
    if checkin.concerns:
        lines.append("Raised: " + ", ".join(c.replace("_", " ") for c in checkin.concerns) + ".")
    if checkin.interpreter_used:
        lines.append("With an interpreter.")
    if checkin.breaches:
        lines.append("Went against the agreement: " + "; ".join(checkin.breaches) + ".")
    if show_notes and checkin.notes:
        lines.append(f"Notes: {checkin.notes}")
    return Entry(
        at=checkin.at, kind="contact", title=title, lines=tuple(lines), by=_person(checkin.by)
    )


def event_entry(event: Any, *, show_notes: bool) -> Entry:
    lines = []
    if event.is_key_decision:
        told = (
            f"told {words.full_moment(event.victim_told_at)}"
            if event.victim_told_at
            else "not yet told"
        )
        lines.append(f"Key decision: the victim was {told}.")
    if show_notes and event.notes:
        lines.append(f"Notes: {event.notes}")
    return Entry(at=event.at, kind="event", title=event.get_kind_display(), lines=tuple(lines))


def promise_entry(row: Any) -> Entry | None:
    """A promise's history row: made ("+"), or resolved (a change to kept, broken, withdrawn)."""
    due = f"Due {words.full_moment(row.due_by)}."
    if row.history_type == "+":
        title = f"Promise made: {row.description}"
        return Entry(row.history_date, "promise", title, (due,), _person(row.history_user))
    if row.history_type == "~" and row.status != PromiseStatus.OPEN:
        label = PromiseStatus(row.status).label.lower()
        title = f"Promise {label}: {row.description}"
        return Entry(row.history_date, "promise", title, (due,), _person(row.history_user))
    return None


def poc_entries(poc: Any) -> list[Entry]:
    role = PocRole(poc.role).label
    started = f"{poc.person} became the {role.lower()} point of contact"
    lines = []
    if poc.change_reason:
        lines.append(f"Why: {poc.change_reason}")
    if poc.role == PocRole.NAVIGATOR or poc.introduced_by_predecessor:
        lines.append(
            "Introduced by the previous point of contact."
            if poc.introduced_by_predecessor
            else "Not introduced by a previous point of contact."
        )
    entries = [Entry(poc.started_at, "contact_person", started, tuple(lines))]
    if poc.ended_at is not None:
        entries.append(
            Entry(
                poc.ended_at,
                "contact_person",
                f"{poc.person} stopped being the {role.lower()} point of contact",
            )
        )
    return entries


def share_entries(share: Any) -> list[Entry]:
    consent = f"Consent recorded {words.full_date(share.consent_recorded_on)}."
    entries = [Entry(share.shared_at, "sharing", f"Shared with {share.organisation}", (consent,))]
    if share.revoked_at is not None:
        entries.append(
            Entry(share.revoked_at, "sharing", f"Sharing with {share.organisation} ended")
        )
    return entries


def status_entries(versions: Iterable[Any], *, show_reasons: bool) -> list[Entry]:
    """Where the case's saved versions (oldest first) changed status; the first is the opening."""
    entries = []
    previous = None
    for version in versions:
        if previous is None:
            entries.append(
                Entry(
                    version.history_date, "status", "Case opened", by=_person(version.history_user)
                )
            )
        elif version.status != previous:
            title = {
                CaseStatus.OPEN: "Case reopened",
                CaseStatus.PAUSED: "Case paused at the victim's request",
                CaseStatus.CLOSED: "Case closed",
            }.get(version.status, "Status changed")
            lines = (
                (f"Why: {version.status_reason}",) if show_reasons and version.status_reason else ()
            )
            entries.append(
                Entry(version.history_date, "status", title, lines, _person(version.history_user))
            )
        previous = version.status
    return entries
