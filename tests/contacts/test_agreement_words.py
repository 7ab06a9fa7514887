"""The agreement in plain sentences, as a table: what a navigator reads before contacting."""

from dataclasses import replace
from datetime import date, time

import pytest

from contacts.agreement_words import (
    AgreementFacts,
    Window,
    agreement_sentences,
    days_words,
    how_to_contact,
    things_to_avoid,
    times_words,
    window_words,
)
from contacts.choices import AvoidFlag, Channel, LevelOfDetail

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))

AMIRA = AgreementFacts(
    channels=(Channel.TEXT, Channel.PHONE_CALL),
    update_interval_days=7,
    level_of_detail=LevelOfDetail.HEADLINE,
    windows=(Window(days=EVERY_DAY, start=time(10), end=time(23, 59)),),
    avoid=frozenset({AvoidFlag.NO_WITHHELD_NUMBER}),
)


@pytest.mark.parametrize(
    ("facts", "line"),
    [
        (AMIRA, "Text Amira, headlines only, after 10:00; never from a withheld number."),
        (
            replace(AMIRA, windows=(), avoid=frozenset()),
            "Text Amira, headlines only.",
        ),
        (
            replace(
                AMIRA,
                channels=(Channel.PHONE_CALL,),
                level_of_detail=LevelOfDetail.FULL,
                windows=(Window(days=WEEKDAYS, start=time(9), end=time(18)),),
                avoid=frozenset({AvoidFlag.NO_VOICEMAIL, AvoidFlag.NO_WITHHELD_NUMBER}),
                unsafe_channel=Channel.EMAIL,
            ),
            "Call Amira, in full detail, weekdays 09:00 to 18:00; "
            "never from a withheld number, by voicemail or by email.",
        ),
        (
            replace(
                AMIRA,
                channels=(Channel.VIA_NGO,),
                level_of_detail=LevelOfDetail.KEY_DECISIONS_ONLY,
                windows=(
                    Window(days=WEEKDAYS, start=time(0), end=time(12)),
                    Window(days=frozenset({5}), start=time(10), end=time(11)),
                ),
                avoid=frozenset({AvoidFlag.NOT_AT_POLICE_STATION, AvoidFlag.NO_UNIFORM}),
            ),
            "Reach Amira through the NGO caseworker, key decisions only, "
            "weekdays before 12:00 or Saturday 10:00 to 11:00; "
            "never in uniform or at a police station.",
        ),
        (
            replace(AMIRA, channels=(), windows=(), avoid=frozenset(), level_of_detail=""),
            "Contact Amira.",
        ),
    ],
    ids=["the-example", "plain", "everything", "routes-and-windows", "nothing-agreed"],
)
def test_how_to_contact_in_one_line(facts: AgreementFacts, line: str) -> None:
    assert how_to_contact(facts, "Amira") == line


def test_readers_who_may_not_see_the_name_read_the_victim() -> None:
    assert how_to_contact(AMIRA, "the victim").startswith("Text the victim, headlines only")
    assert agreement_sentences(AMIRA, "the victim")[0] == (
        "The victim prefers text messages, then phone calls."
    )


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (EVERY_DAY, "every day"),
        (WEEKDAYS, "weekdays"),
        (frozenset({5, 6}), "weekends"),
        (frozenset({1, 2, 3}), "Tuesday to Thursday"),
        (frozenset({0, 2, 4}), "Monday, Wednesday and Friday"),
        (frozenset({0, 1}), "Monday and Tuesday"),
        (frozenset({6}), "Sunday"),
    ],
)
def test_days_as_people_say_them(days: frozenset[int], words: str) -> None:
    assert days_words(days) == words


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (time(9), time(18), "09:00 to 18:00"),
        (time(10), time(23, 59), "after 10:00"),
        (time(0), time(17, 30), "before 17:30"),
        (time(0), time(23, 59), "any time"),
    ],
)
def test_times_as_people_say_them(start: time, end: time, words: str) -> None:
    assert times_words(start, end) == words


@pytest.mark.parametrize(
    ("window", "words"),
    [
        (Window(EVERY_DAY, time(9), time(17)), "09:00 to 17:00"),
        (Window(EVERY_DAY, time(0), time(23, 59)), "every day"),
        (Window(frozenset({5, 6}), time(0), time(23, 59)), "weekends"),
        (Window(WEEKDAYS, time(10), time(23, 59)), "weekdays after 10:00"),
    ],
)
def test_one_window(window: Window, words: str) -> None:
    assert window_words(window) == words


FULL = AgreementFacts(
    channels=(Channel.TEXT, Channel.PHONE_CALL, Channel.IN_PERSON),
    update_interval_days=3,
    level_of_detail=LevelOfDetail.HEADLINE,
    windows=(Window(days=WEEKDAYS, start=time(9), end=time(18)),),
    avoid=frozenset(AvoidFlag.values),
    unsafe_channel=Channel.EMAIL,
    unsafe_channel_note="old account the exploiter knows",
    avoid_notes="Do not mention her brother.",
    language="Tigrinya",
    interpreter_needed=True,
    preferred_contact="Nadia Navigator",
    agreed_on=date(2026, 3, 3),
    review_by=date(2026, 6, 3),
    version=2,
)


def test_the_whole_agreement_as_sentences() -> None:
    assert agreement_sentences(FULL, "Amira") == [
        "Amira prefers text messages, then phone calls, then meeting in person.",
        "An update every 3 days, headlines only.",
        "Only weekdays 09:00 to 18:00 (UK time).",
        "Amira would rather hear from Nadia Navigator.",
        "Amira speaks Tigrinya; book an interpreter.",
        "Agreed on 3 March 2026 (version 2); to be reviewed by 3 June 2026.",
    ]


@pytest.mark.parametrize(
    ("facts", "sentences"),
    [
        (
            replace(FULL, channels=(Channel.PHONE_CALL,), update_interval_days=1, windows=()),
            ["Amira agreed to phone calls only.", "An update every day, headlines only."],
        ),
        (
            replace(FULL, channels=(), language="", interpreter_needed=True),
            ["Amira has not said how to be contacted."],
        ),
    ],
)
def test_sentences_for_simpler_agreements(facts: AgreementFacts, sentences: list[str]) -> None:
    assert agreement_sentences(facts, "Amira")[: len(sentences)] == sentences


def test_what_to_avoid_with_and_without_the_free_text() -> None:
    assert things_to_avoid(FULL, "Amira", include_notes=True) == [
        "Never use email: it is not safe for Amira. Old account the exploiter knows.",
        "Never call from a withheld number.",
        "Do not leave a voicemail.",
        "Do not wear uniform to meet Amira.",
        "Do not meet Amira at a police station.",
        "Do not mention her brother.",
    ]
    # Readers who may not see free text still get every rule that keeps the victim safe.
    assert things_to_avoid(FULL, "the victim", include_notes=False) == [
        "Never use email: it is not safe for the victim.",
        "Never call from a withheld number.",
        "Do not leave a voicemail.",
        "Do not wear uniform to meet the victim.",
        "Do not meet the victim at a police station.",
    ]
    assert (
        things_to_avoid(
            replace(FULL, unsafe_channel="", avoid=frozenset()), "A", include_notes=False
        )
        == []
    )
