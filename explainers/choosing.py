"""Which explainer fits a coming event, in which language and at what level of detail, and how
it may be shared with the victim.

Pure: plain facts in (the event's kind, the case's NRM stage, the agreement's language, level
of detail and channels, the approved versions there are), a choice out. It never reads the
clock, the database or settings, so it is tested by tables.

- The topic follows the event: an interview is the ABE interview; an NRM decision is the
  reasonable grounds decision until one is made, then the conclusive grounds decision.
- The language is the victim's; with no approved version in it, the English version is
  shown with a visible note that the translation is missing, so nobody mistakes it for
  what the victim can read.
- The level is the agreement's (full, headlines, key decisions only); when that level is
  missing in the language chosen, the nearest one with less detail comes first, because a
  victim who asked for less should not be handed more, and a note says so.
- Sharing follows the agreement: in person first (an explainer is best gone through
  together), then the agreed channels in order, and never the channel the agreement says
  is unsafe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from cases.choices import EventKind, NrmStage
from contacts.choices import Channel, LevelOfDetail
from explainers.choices import ENGLISH, Topic

__all__ = [
    "EVENT_TOPICS",
    "Choice",
    "VersionFact",
    "choose",
    "language_key",
    "sharing_sentence",
    "sharing_ways",
    "stage_topics",
    "topic_for_event",
]

# The explainer each kind of event calls for. An NRM decision depends on the stage reached.
EVENT_TOPICS: Mapping[str, Topic] = MappingProxyType(
    {
        EventKind.INTERVIEW: Topic.ABE_INTERVIEW,
        EventKind.COURT_HEARING: Topic.COURT_HEARING,
        EventKind.CHARGING_DECISION: Topic.CHARGING_DECISION,
        EventKind.ARREST: Topic.BAIL_OR_RELEASE,
        EventKind.SUSPECT_BAILED_OR_RELEASED: Topic.BAIL_OR_RELEASE,
        EventKind.RELOCATION: Topic.RELOCATION,
    }
)

# With the victim's level of detail, the levels to try in order: the one agreed, then less
# detail, then (only if nothing shorter exists) more.
LEVEL_ORDER: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        LevelOfDetail.FULL: (
            LevelOfDetail.FULL,
            LevelOfDetail.HEADLINE,
            LevelOfDetail.KEY_DECISIONS_ONLY,
        ),
        LevelOfDetail.HEADLINE: (
            LevelOfDetail.HEADLINE,
            LevelOfDetail.KEY_DECISIONS_ONLY,
            LevelOfDetail.FULL,
        ),
        LevelOfDetail.KEY_DECISIONS_ONLY: (
            LevelOfDetail.KEY_DECISIONS_ONLY,
            LevelOfDetail.HEADLINE,
            LevelOfDetail.FULL,
        ),
    }
)
# With no agreement yet, the agreement's own default.
DEFAULT_LEVEL = LevelOfDetail.HEADLINE

_LEVEL_WORDS: Mapping[str, str] = MappingProxyType(
    {
        LevelOfDetail.FULL: "full detail",
        LevelOfDetail.HEADLINE: "headlines only",
        LevelOfDetail.KEY_DECISIONS_ONLY: "key decisions only",
    }
)
# "Go through it ..." and "Never ...": each channel as a phrase.
WAY_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        Channel.PHONE_CALL: "by phone",
        Channel.TEXT: "by text message",
        Channel.MESSAGING_APP: "on a messaging app",
        Channel.EMAIL: "by email",
        Channel.IN_PERSON: "in person",
        Channel.VIA_NAVIGATOR: "through the navigator",
        Channel.VIA_NGO: "through the NGO caseworker",
    }
)


def topic_for_event(kind: str, *, nrm_stage: str) -> Topic | None:
    """The explainer an event of ``kind`` calls for, or None (an "other" event)."""
    if kind == EventKind.NRM_DECISION:
        # The reasonable grounds decision comes first; after a positive one, the conclusive.
        return Topic.CG_DECISION if nrm_stage == NrmStage.AWAITING_CG else Topic.RG_DECISION
    return EVENT_TOPICS.get(kind)


def stage_topics(
    *, nrm_stage: str, support_ended_on: date | None, today: date
) -> tuple[Topic, ...]:
    """Explainers that fit where the case is, beside its events: what a negative decision
    means, support coming to an end, and always the victim's rights."""
    topics: list[Topic] = []
    if nrm_stage in (NrmStage.RG_NEGATIVE, NrmStage.CG_NEGATIVE):
        topics.append(Topic.NEGATIVE_DECISION)
    if nrm_stage in (NrmStage.CG_POSITIVE, NrmStage.CG_NEGATIVE, NrmStage.RG_NEGATIVE) or (
        support_ended_on is not None and support_ended_on >= today
    ):
        topics.append(Topic.END_OF_NRM_SUPPORT)
    topics.append(Topic.VICTIMS_CODE)
    return tuple(topics)


def language_key(language: str) -> str:
    """How languages are compared: "  albanian " and "Albanian" are one language; none
    given is English."""
    return " ".join(language.split()).casefold() or ENGLISH.casefold()


@dataclass(frozen=True)
class VersionFact:
    """An approved version of an explainer, as the chooser needs it."""

    id: int
    topic: str
    language: str
    level: str
    revision: int
    review_by: date


@dataclass(frozen=True)
class Choice:
    """The version to show, and what the reader must be told about it."""

    version_id: int
    topic: Topic
    language: str  # the language of the version chosen
    level: str  # the level of the version chosen
    wanted_language: str
    wanted_level: str
    translation_missing: bool  # shown in English because the victim's language has none
    review_overdue: bool

    @property
    def level_differs(self) -> bool:
        return self.level != self.wanted_level

    def notes(self) -> list[str]:
        """What the navigator must know before using it, in plain words."""
        notes = []
        if self.translation_missing:
            notes.append(
                f"Translation missing: there is no approved {self.wanted_language} version, "
                "so this is the English one. Use an interpreter to go through it."
            )
        if self.level_differs:
            notes.append(
                f"The agreement asks for {_LEVEL_WORDS[self.wanted_level]}; there is no "
                f"version at that level, so this one is {_LEVEL_WORDS[self.level]}."
            )
        if self.review_overdue:
            notes.append("This explainer is past its review date: check it is still right.")
        return notes


def choose(
    topic: Topic,
    *,
    language: str,
    level: str,
    versions: Iterable[VersionFact],
    today: date,
) -> Choice | None:
    """The approved version of ``topic`` for a victim reading ``language`` at ``level``.

    ``versions`` are approved versions (of any topic); the newest revision of each language
    and level counts. None when the topic has no approved version at all.
    """
    wanted_language = " ".join(language.split()) or ENGLISH
    wanted_level = level if level in LEVEL_ORDER else DEFAULT_LEVEL
    newest: dict[tuple[str, str], VersionFact] = {}
    for version in versions:
        if version.topic != topic:
            continue
        key = (language_key(version.language), version.level)
        if key not in newest or newest[key].revision < version.revision:
            newest[key] = version
    languages = [language_key(wanted_language)]
    if languages[0] != ENGLISH.casefold():
        languages.append(ENGLISH.casefold())
    for language_tried in languages:
        for level_tried in LEVEL_ORDER[wanted_level]:
            found = newest.get((language_tried, level_tried))
            if found is not None:
                return Choice(
                    version_id=found.id,
                    topic=topic,
                    language=found.language,
                    level=found.level,
                    wanted_language=wanted_language,
                    wanted_level=wanted_level,
                    translation_missing=language_tried != languages[0],
                    review_overdue=found.review_by < today,
                )
    return None


def sharing_ways(*, channels: Sequence[str], unsafe_channel: str) -> tuple[Channel, ...]:
    """How an explainer may be gone through with the victim: in person first, then the
    agreed channels in the victim's order, never the unsafe channel. With no agreement
    (no channels), in person only."""
    ways: list[Channel] = []
    for channel in (Channel.IN_PERSON, *channels):
        way = Channel(channel)
        if way != unsafe_channel and way not in ways:
            ways.append(way)
    return tuple(ways)


def sharing_sentence(ways: Sequence[str], *, unsafe_channel: str) -> str:
    """The ways in a sentence: "Go through it in person or by text message. Never by
    email: the agreement says it is not safe."""
    if not ways:
        sentence = "The agreement leaves no safe way to share it: ask the victim first."
    else:
        phrases = [WAY_PHRASES[way] for way in ways]
        listed = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
        sentence = f"Go through it {listed}."
    if unsafe_channel:
        sentence += f" Never {WAY_PHRASES[unsafe_channel]}: the agreement says it is not safe."
    return sentence
