"""The communication agreement in plain sentences: what anyone reads before contacting a victim.

One wording for Today, the case page and the contact form, so the victim's wishes read the
same wherever they are shown: "Text Amira, headlines only, after 10:00; never from a
withheld number." Pure: facts in (``AgreementFacts``, built from the stored agreement by
``contacts.terms.agreement_facts``), sentences out. Free text the victim or navigator wrote
(notes on what to avoid, why a channel is unsafe) is included only when the caller says the
reader may see it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from types import MappingProxyType

from contacts.choices import AvoidFlag, Channel, LevelOfDetail

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A window that runs to the last minute of the day reads as "after 10:00".
_END_OF_DAY = time(23, 59)

# "{name}" is the victim's name, or "the victim" for readers who may not see it.
_CHANNEL_ACTIONS: Mapping[str, str] = MappingProxyType(
    {
        Channel.PHONE_CALL: "Call {name}",
        Channel.TEXT: "Text {name}",
        Channel.MESSAGING_APP: "Message {name} on a messaging app",
        Channel.EMAIL: "Email {name}",
        Channel.IN_PERSON: "See {name} in person",
        Channel.VIA_NAVIGATOR: "Reach {name} through the navigator",
        Channel.VIA_NGO: "Reach {name} through the NGO caseworker",
    }
)
# The same channels as a noun, mid-sentence: "prefers text messages, then phone calls".
_CHANNEL_NOUNS: Mapping[str, str] = MappingProxyType(
    {
        Channel.PHONE_CALL: "phone calls",
        Channel.TEXT: "text messages",
        Channel.MESSAGING_APP: "a messaging app",
        Channel.EMAIL: "email",
        Channel.IN_PERSON: "meeting in person",
        Channel.VIA_NAVIGATOR: "messages through the navigator",
        Channel.VIA_NGO: "messages through the NGO caseworker",
    }
)
DETAIL_WORDS: Mapping[str, str] = MappingProxyType(
    {
        LevelOfDetail.FULL: "in full detail",
        LevelOfDetail.HEADLINE: "headlines only",
        LevelOfDetail.KEY_DECISIONS_ONLY: "key decisions only",
    }
)
# Short forms for the one-line summary, after "never".
_AVOID_SHORT: Mapping[str, str] = MappingProxyType(
    {
        AvoidFlag.NO_WITHHELD_NUMBER: "from a withheld number",
        AvoidFlag.NO_VOICEMAIL: "by voicemail",
        AvoidFlag.NO_UNIFORM: "in uniform",
        AvoidFlag.NOT_AT_POLICE_STATION: "at a police station",
    }
)
# Whole sentences for the list of what to avoid.
AVOID_SENTENCES: Mapping[str, str] = MappingProxyType(
    {
        AvoidFlag.NO_WITHHELD_NUMBER: "Never call from a withheld number.",
        AvoidFlag.NO_VOICEMAIL: "Do not leave a voicemail.",
        AvoidFlag.NO_UNIFORM: "Do not wear uniform to meet {name}.",
        AvoidFlag.NOT_AT_POLICE_STATION: "Do not meet {name} at a police station.",
    }
)
_AVOID_ORDER = tuple(AvoidFlag.values)


@dataclass(frozen=True)
class Window:
    """An agreed contact window: weekdays 0 (Monday) to 6, UK wall-clock times."""

    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class AgreementFacts:
    """What the victim agreed, as plain values."""

    channels: tuple[str, ...]  # in order of the victim's preference
    update_interval_days: int
    level_of_detail: str
    windows: tuple[Window, ...] = ()
    avoid: frozenset[str] = frozenset()
    unsafe_channel: str = ""
    unsafe_channel_note: str = ""
    avoid_notes: str = ""
    language: str = ""
    interpreter_needed: bool = False
    preferred_contact: str = ""  # the name of the person the victim prefers, if any
    agreed_on: date | None = None
    # Through whom the victim agreed: free text naming people, for those who may read it.
    agreed_through: str = ""
    review_by: date | None = None
    version: int = 1


# --- Small pieces -------------------------------------------------------------------------


def _join(items: Sequence[str], word: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def day_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def days_words(days: frozenset[int]) -> str:
    """The days of a window as people say them: "weekdays", "Monday to Thursday"."""
    ordered = sorted(days)
    if ordered == list(range(7)):
        return "every day"
    if ordered == list(range(5)):
        return "weekdays"
    if ordered == [5, 6]:
        return "weekends"
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    return _join([DAY_NAMES[day] for day in ordered])


def times_words(start: time, end: time) -> str:
    """ "09:00 to 18:00", or "after 10:00" for a window that runs to the end of the day."""
    if end >= _END_OF_DAY:
        return "any time" if start == time(0) else f"after {start:%H:%M}"
    if start == time(0):
        return f"before {end:%H:%M}"
    return f"{start:%H:%M} to {end:%H:%M}"


def window_words(window: Window) -> str:
    """One window: "weekdays 09:00 to 18:00", "after 10:00" (every day), "weekends"."""
    days = days_words(window.days)
    times = times_words(window.start, window.end)
    if days == "every day":
        return "every day" if times == "any time" else times
    return days if times == "any time" else f"{days} {times}"


def windows_words(windows: Sequence[Window]) -> str:
    """Every window, or "" when the victim may be contacted at any time."""
    return _join([window_words(w) for w in windows], "or")


def interval_words(days: int) -> str:
    return "every day" if days == 1 else f"every {days} days"


def channel_noun(channel: str) -> str:
    return _CHANNEL_NOUNS.get(channel, channel.replace("_", " "))


def avoid_ordered(avoid: frozenset[str]) -> list[str]:
    return [flag for flag in _AVOID_ORDER if flag in avoid]


# --- Sentences ----------------------------------------------------------------------------


def how_to_contact(facts: AgreementFacts, name: str) -> str:
    """The whole agreement in one line, for a card or the top of a form.

    "Text Amira, headlines only, after 10:00; never from a withheld number."
    """
    if facts.channels:
        action = _CHANNEL_ACTIONS.get(facts.channels[0], "Contact {name}").format(name=name)
    else:
        action = f"Contact {name}"
    parts = [action, DETAIL_WORDS.get(facts.level_of_detail, "")]
    if facts.windows:
        parts.append(windows_words(facts.windows))
    line = ", ".join(part for part in parts if part)
    nevers = [_AVOID_SHORT[flag] for flag in avoid_ordered(facts.avoid)]
    if facts.unsafe_channel:
        nevers.append(f"by {channel_noun(facts.unsafe_channel)}")
    if nevers:
        line += f"; never {_join(nevers, 'or')}"
    return f"{line}."


def things_to_avoid(facts: AgreementFacts, name: str, *, include_notes: bool) -> list[str]:
    """What must never happen, one sentence each, the unsafe channel first."""
    sentences = []
    if facts.unsafe_channel:
        unsafe = f"Never use {channel_noun(facts.unsafe_channel)}: it is not safe for {name}."
        if include_notes and facts.unsafe_channel_note.strip():
            unsafe += f" {capitalise(facts.unsafe_channel_note.strip().rstrip('.'))}."
        sentences.append(unsafe)
    sentences += [AVOID_SENTENCES[flag].format(name=name) for flag in avoid_ordered(facts.avoid)]
    if include_notes and facts.avoid_notes.strip():
        sentences.append(capitalise(facts.avoid_notes.strip()))
    return sentences


def agreement_sentences(facts: AgreementFacts, name: str) -> list[str]:
    """What the victim agreed, in the order a caller needs it (what to avoid is separate)."""
    subject = capitalise(name)
    channels = [channel_noun(c) for c in facts.channels]
    if len(channels) == 1:
        prefers = f"{subject} agreed to {channels[0]} only."
    elif channels:
        prefers = f"{subject} prefers {', then '.join(channels)}."
    else:
        prefers = f"{subject} has not said how to be contacted."
    sentences = [prefers]
    detail = DETAIL_WORDS.get(facts.level_of_detail, "")
    sentences.append(
        f"An update {interval_words(facts.update_interval_days)}"
        + (f", {detail}." if detail else ".")
    )
    if facts.windows:
        sentences.append(f"Only {windows_words(facts.windows)} (UK time).")
    else:
        sentences.append("At any time of day.")
    if facts.preferred_contact:
        sentences.append(f"{subject} would rather hear from {facts.preferred_contact}.")
    if facts.language:
        language = f"{subject} speaks {facts.language}"
        sentences.append(
            f"{language}; book an interpreter." if facts.interpreter_needed else f"{language}."
        )
    elif facts.interpreter_needed:
        sentences.append("Book an interpreter.")
    if facts.agreed_on is not None:
        agreed = f"Agreed on {day_words(facts.agreed_on)} (version {facts.version})"
        if facts.review_by is not None:
            agreed += f"; to be reviewed by {day_words(facts.review_by)}"
        sentences.append(f"{agreed}.")
    return sentences


def agreement_words(
    facts: AgreementFacts | None, name: str, *, include_notes: bool
) -> dict[str, str | list[str]]:
    """All a page shows of the agreement: ``how_to_contact``, ``agreement_sentences`` and
    ``things_to_avoid`` (with the free text only if ``include_notes``); blank without one."""
    if not facts:
        return {"how_to_contact": "", "agreement_sentences": [], "things_to_avoid": []}
    return {
        "how_to_contact": how_to_contact(facts, name),
        "agreement_sentences": agreement_sentences(facts, name),
        "things_to_avoid": things_to_avoid(facts, name, include_notes=include_notes),
    }
