"""What changed between two versions of a communication agreement, in plain sentences.

The agreement editor shows it between any two versions, and a form that went stale (someone
recorded a newer version meanwhile) shows it between the version the form was based on and
the one now in force. Pure: two ``AgreementFacts`` in (``contacts.terms.agreement_facts``),
sentences out, the most important first: how to reach the victim, how often, when, then
what to avoid, then who and when it was agreed. Free text (notes on what to avoid, why a
channel is unsafe, through whom it was agreed) is quoted only when the caller says the
reader may see it; otherwise the sentence says only that it changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from contacts.agreement_words import (
    AVOID_SENTENCES,
    DETAIL_WORDS,
    AgreementFacts,
    avoid_ordered,
    capitalise,
    channel_noun,
    day_words,
    interval_words,
    windows_words,
)

NOTHING_CHANGED = "Nothing changed between these versions."


def _channels_words(channels: tuple[str, ...]) -> str:
    nouns = [channel_noun(c) for c in channels]
    if not nouns:
        return "no channel"
    if len(nouns) == 1:
        return f"{nouns[0]} only"
    return ", then ".join(nouns)


def _when_words(facts: AgreementFacts) -> str:
    return f"only {windows_words(facts.windows)}" if facts.windows else "at any time of day"


def _quoted(text: str) -> str:
    return f"“{text.strip()}”" if text.strip() else "nothing"


def _free_text(label: str, before: str, after: str, *, include_notes: bool) -> list[str]:
    """A change of free text: quoted for those who may read it, only named otherwise."""
    if before.strip() == after.strip():
        return []
    if not include_notes:
        return [f"{label}: changed."]
    if not before.strip():
        return [f"{label}: {_quoted(after)} (new)."]
    if not after.strip():
        return [f"{label}: removed (it was {_quoted(before)})."]
    return [f"{label}: now {_quoted(after)} (before: {_quoted(before)})."]


# --- One rule per part of the agreement ---------------------------------------------------


def _channels(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    if before.channels == after.channels:
        return []
    if set(before.channels) == set(after.channels):
        return [
            f"{capitalise(name)} now prefers {_channels_words(after.channels)} "
            f"(the same channels in a new order; before: {_channels_words(before.channels)})."
        ]
    sentence = f"Channels: now {_channels_words(after.channels)} (before: "
    sentence += f"{_channels_words(before.channels)})."
    added = [channel_noun(c) for c in after.channels if c not in before.channels]
    dropped = [channel_noun(c) for c in before.channels if c not in after.channels]
    extra = []
    if added:
        extra.append(f"Added {', '.join(added)}.")
    if dropped:
        extra.append(f"Dropped {', '.join(dropped)}.")
    return [" ".join([sentence, *extra])]


def _interval(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    if before.update_interval_days == after.update_interval_days:
        return []
    more = "more" if after.update_interval_days < before.update_interval_days else "less"
    return [
        f"An update {interval_words(after.update_interval_days)}, instead of "
        f"{interval_words(before.update_interval_days)}: {more} often."
    ]


def _detail(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    if before.level_of_detail == after.level_of_detail:
        return []
    now = DETAIL_WORDS.get(after.level_of_detail, after.level_of_detail)
    was = DETAIL_WORDS.get(before.level_of_detail, before.level_of_detail)
    return [f"Level of detail: {now}, instead of {was}."]


def _windows(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    if set(before.windows) == set(after.windows):
        return []
    return [f"Contact {_when_words(after)}, instead of {_when_words(before)} (UK time)."]


def _preferred_contact(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    if before.preferred_contact == after.preferred_contact:
        return []
    subject = capitalise(name)
    if not after.preferred_contact:
        return [f"{subject} no longer asks to hear from {before.preferred_contact}."]
    was = f" instead of {before.preferred_contact}" if before.preferred_contact else ""
    return [f"{subject} would now rather hear from {after.preferred_contact}{was}."]


def _unsafe_channel(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    if before.unsafe_channel == after.unsafe_channel:
        return []
    if not after.unsafe_channel:
        return [
            f"{capitalise(channel_noun(before.unsafe_channel))}: no longer ruled out as unsafe."
        ]
    sentence = f"Never use {channel_noun(after.unsafe_channel)}: now ruled out as unsafe"
    if before.unsafe_channel:
        sentence += f", instead of {channel_noun(before.unsafe_channel)}"
    return [f"{sentence}."]


def _avoid(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    added = avoid_ordered(after.avoid - before.avoid)
    dropped = avoid_ordered(before.avoid - after.avoid)
    sentences = [f"New: {AVOID_SENTENCES[flag].format(name=name)}" for flag in added]
    sentences += [f"No longer asked: {AVOID_SENTENCES[flag].format(name=name)}" for flag in dropped]
    return sentences


def _language(before: AgreementFacts, after: AgreementFacts, name: str) -> list[str]:
    sentences = []
    subject = capitalise(name)
    if before.language.strip().casefold() != after.language.strip().casefold():
        if not after.language:
            sentences.append(f"No language recorded any more (it was {before.language}).")
        elif not before.language:
            sentences.append(f"{subject} speaks {after.language}.")
        else:
            sentences.append(
                f"{subject} speaks {after.language}: the agreement said {before.language}."
            )
    if before.interpreter_needed != after.interpreter_needed:
        sentences.append(
            "Book an interpreter: one is now needed."
            if after.interpreter_needed
            else "An interpreter is no longer needed."
        )
    return sentences


def _agreed_on(before: date | None, after: date | None) -> list[str]:
    if before == after or before is None or after is None:
        return []
    return [f"Agreed on {day_words(after)}, instead of {day_words(before)}."]


def _review_by(before: date | None, after: date | None) -> list[str]:
    if before == after:
        return []
    if after is None:
        return [f"No review date any more (it was {day_words(before)})."] if before else []
    if before is None:
        return [f"To be reviewed by {day_words(after)} (no review date before)."]
    return [f"To be reviewed by {day_words(after)}, instead of {day_words(before)}."]


Rule = Callable[[AgreementFacts, AgreementFacts, str], list[str]]
# The order a navigator reads them in: how to reach the victim first.
RULES: tuple[Rule, ...] = (
    _channels,
    _interval,
    _detail,
    _windows,
    _preferred_contact,
    _unsafe_channel,
    _avoid,
    _language,
)


def what_changed(
    before: AgreementFacts | None, after: AgreementFacts, name: str, *, include_notes: bool
) -> list[str]:
    """What ``after`` says differently from ``before``, one sentence per change.

    ``before`` is None for the first agreement recorded. ``name`` is the victim's name, or
    "the victim" for a reader who may not see it. An empty list: nothing changed.
    """
    if before is None:
        agreed = f", agreed on {day_words(after.agreed_on)}" if after.agreed_on else ""
        return [f"The first agreement recorded{agreed}."]
    sentences: list[str] = []
    for rule in RULES:
        sentences += rule(before, after, name)
    sentences += _free_text(
        "Why the channel is unsafe",
        before.unsafe_channel_note,
        after.unsafe_channel_note,
        include_notes=include_notes,
    )
    sentences += _free_text(
        "Notes on what to avoid", before.avoid_notes, after.avoid_notes, include_notes=include_notes
    )
    sentences += _agreed_on(before.agreed_on, after.agreed_on)
    sentences += _free_text(
        "Agreed through", before.agreed_through, after.agreed_through, include_notes=include_notes
    )
    sentences += _review_by(before.review_by, after.review_by)
    return sentences
