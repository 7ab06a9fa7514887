"""Which explainer fits, in which language and at what level, and how it may be shared: tables
over plain facts, no database."""

from datetime import date

import pytest

from cases.choices import EventKind, NrmStage
from contacts.choices import Channel, LevelOfDetail
from explainers.choices import Topic
from explainers.choosing import (
    VersionFact,
    choose,
    language_key,
    sharing_sentence,
    sharing_ways,
    stage_topics,
    topic_for_event,
)

FULL, HEADLINE, KEY = (
    LevelOfDetail.FULL,
    LevelOfDetail.HEADLINE,
    LevelOfDetail.KEY_DECISIONS_ONLY,
)
TODAY = date(2026, 11, 25)
LATER = date(2027, 11, 25)


@pytest.mark.parametrize(
    ("kind", "stage", "topic"),
    [
        (EventKind.INTERVIEW, NrmStage.AWAITING_RG, Topic.ABE_INTERVIEW),
        (EventKind.COURT_HEARING, NrmStage.NOT_REFERRED, Topic.COURT_HEARING),
        (EventKind.CHARGING_DECISION, NrmStage.AWAITING_CG, Topic.CHARGING_DECISION),
        (EventKind.ARREST, NrmStage.NOT_REFERRED, Topic.BAIL_OR_RELEASE),
        (EventKind.SUSPECT_BAILED_OR_RELEASED, NrmStage.NOT_REFERRED, Topic.BAIL_OR_RELEASE),
        (EventKind.RELOCATION, NrmStage.CG_POSITIVE, Topic.RELOCATION),
        # An NRM decision is the reasonable grounds one until that is made positive...
        (EventKind.NRM_DECISION, NrmStage.AWAITING_RG, Topic.RG_DECISION),
        (EventKind.NRM_DECISION, NrmStage.NOT_REFERRED, Topic.RG_DECISION),
        # ...then the conclusive grounds one.
        (EventKind.NRM_DECISION, NrmStage.AWAITING_CG, Topic.CG_DECISION),
        (EventKind.OTHER, NrmStage.AWAITING_RG, None),
    ],
)
def test_the_explainer_for_each_event(kind: str, stage: str, topic: Topic | None) -> None:
    assert topic_for_event(kind, nrm_stage=stage) == topic


@pytest.mark.parametrize(
    ("stage", "support_ended_on", "topics"),
    [
        (NrmStage.AWAITING_RG, None, (Topic.VICTIMS_CODE,)),
        (
            NrmStage.RG_NEGATIVE,
            None,
            (Topic.NEGATIVE_DECISION, Topic.END_OF_NRM_SUPPORT, Topic.VICTIMS_CODE),
        ),
        (NrmStage.CG_POSITIVE, None, (Topic.END_OF_NRM_SUPPORT, Topic.VICTIMS_CODE)),
        (NrmStage.AWAITING_CG, TODAY, (Topic.END_OF_NRM_SUPPORT, Topic.VICTIMS_CODE)),
        (NrmStage.AWAITING_CG, date(2026, 11, 24), (Topic.VICTIMS_CODE,)),
    ],
)
def test_explainers_for_the_stage(
    stage: str, support_ended_on: date | None, topics: tuple[Topic, ...]
) -> None:
    assert stage_topics(nrm_stage=stage, support_ended_on=support_ended_on, today=TODAY) == topics


def v(
    id: int,
    language: str = "English",
    level: str = HEADLINE,
    *,
    topic: str = Topic.ABE_INTERVIEW,
    revision: int = 1,
    review_by: date = LATER,
) -> VersionFact:
    return VersionFact(
        id=id, topic=topic, language=language, level=level, revision=revision, review_by=review_by
    )


ENGLISH_ALL = [v(1, level=FULL), v(2, level=HEADLINE), v(3, level=KEY)]
ALBANIAN_HEADLINE = v(10, "Albanian", HEADLINE)


@pytest.mark.parametrize(
    ("language", "level", "versions", "chosen", "missing", "level_chosen"),
    [
        # The victim's language at their level.
        ("Albanian", HEADLINE, [*ENGLISH_ALL, ALBANIAN_HEADLINE], 10, False, HEADLINE),
        # However it was typed.
        ("  albanian ", HEADLINE, [*ENGLISH_ALL, ALBANIAN_HEADLINE], 10, False, HEADLINE),
        # No translation: English, with the note.
        ("Tigrinya", HEADLINE, [*ENGLISH_ALL, ALBANIAN_HEADLINE], 2, True, HEADLINE),
        ("Tigrinya", FULL, ENGLISH_ALL, 1, True, FULL),
        # English speakers, and nobody recorded: English, nothing missing.
        ("English", KEY, ENGLISH_ALL, 3, False, KEY),
        ("", KEY, ENGLISH_ALL, 3, False, KEY),
        # The victim's language wins over the level: an English text they cannot read is worse.
        ("Albanian", FULL, [*ENGLISH_ALL, ALBANIAN_HEADLINE], 10, False, HEADLINE),
        # A missing level falls to less detail first...
        ("English", FULL, [v(2, level=HEADLINE), v(3, level=KEY)], 2, False, HEADLINE),
        ("English", HEADLINE, [v(1, level=FULL), v(3, level=KEY)], 3, False, KEY),
        # ...and to more only when nothing shorter exists.
        ("English", KEY, [v(1, level=FULL)], 1, False, FULL),
        # An unknown level reads as the agreement's default, headlines.
        ("English", "bogus", ENGLISH_ALL, 2, False, HEADLINE),
    ],
)
def test_language_fallback_and_level(
    language: str,
    level: str,
    versions: list[VersionFact],
    chosen: int,
    missing: bool,
    level_chosen: str,
) -> None:
    choice = choose(
        Topic.ABE_INTERVIEW, language=language, level=level, versions=versions, today=TODAY
    )
    assert choice is not None
    assert (choice.version_id, choice.translation_missing, choice.level) == (
        chosen,
        missing,
        level_chosen,
    )


def test_the_newest_revision_counts_and_other_topics_do_not() -> None:
    versions = [v(1), v(2, revision=2), v(3, revision=3, topic=Topic.COURT_HEARING)]
    choice = choose(
        Topic.ABE_INTERVIEW, language="English", level=HEADLINE, versions=versions, today=TODAY
    )
    assert choice is not None and choice.version_id == 2
    assert (
        choose(Topic.RELOCATION, language="English", level=HEADLINE, versions=versions, today=TODAY)
        is None
    )


def test_notes_say_what_is_missing_in_plain_words() -> None:
    choice = choose(
        Topic.ABE_INTERVIEW,
        language="Tigrinya",
        level=KEY,
        versions=[v(1, level=FULL, review_by=date(2026, 11, 24))],
        today=TODAY,
    )
    assert choice is not None
    assert choice.notes() == [
        "Translation missing: there is no approved Tigrinya version, so this is the English "
        "one. Use an interpreter to go through it.",
        "The agreement asks for key decisions only; there is no version at that level, so "
        "this one is full detail.",
        "This explainer is past its review date: check it is still right.",
    ]
    exact = choose(
        Topic.ABE_INTERVIEW,
        language="English",
        level=FULL,
        versions=[v(1, level=FULL)],
        today=TODAY,
    )
    assert exact is not None and exact.notes() == []


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Albanian", "albanian"),
        (" Brazilian  Portuguese ", "brazilian portuguese"),
        ("", "english"),
    ],
)
def test_language_key(typed: str, key: str) -> None:
    assert language_key(typed) == key


@pytest.mark.parametrize(
    ("channels", "unsafe", "ways"),
    [
        # In person first, then the agreement's order.
        (
            [Channel.TEXT, Channel.PHONE_CALL],
            "",
            (Channel.IN_PERSON, Channel.TEXT, Channel.PHONE_CALL),
        ),
        # The unsafe channel is never offered, wherever it appears.
        ([Channel.TEXT, Channel.EMAIL], Channel.EMAIL, (Channel.IN_PERSON, Channel.TEXT)),
        ([Channel.PHONE_CALL], Channel.IN_PERSON, (Channel.PHONE_CALL,)),
        # In person agreed as well is not offered twice.
        ([Channel.IN_PERSON, Channel.TEXT], "", (Channel.IN_PERSON, Channel.TEXT)),
        # No agreement yet: in person only.
        ([], "", (Channel.IN_PERSON,)),
    ],
)
def test_sharing_ways_never_offer_the_unsafe_channel(
    channels: list[str], unsafe: str, ways: tuple[Channel, ...]
) -> None:
    assert sharing_ways(channels=channels, unsafe_channel=unsafe) == ways


@pytest.mark.parametrize(
    ("ways", "unsafe", "sentence"),
    [
        ((Channel.IN_PERSON,), "", "Go through it in person."),
        (
            (Channel.IN_PERSON, Channel.TEXT, Channel.PHONE_CALL),
            Channel.EMAIL,
            "Go through it in person, by text message or by phone. Never by email: the "
            "agreement says it is not safe.",
        ),
        (
            (),
            Channel.IN_PERSON,
            "The agreement leaves no safe way to share it: ask the victim first. Never in "
            "person: the agreement says it is not safe.",
        ),
    ],
)
def test_sharing_sentence(ways: tuple[Channel, ...], unsafe: str, sentence: str) -> None:
    assert sharing_sentence(ways, unsafe_channel=unsafe) == sentence
