"""What changed between two versions of an agreement, as a table: no database."""

from dataclasses import replace
from datetime import date, time

import pytest

from contacts.agreement_changes import what_changed
from contacts.agreement_words import AgreementFacts, Window
from contacts.choices import AvoidFlag, Channel, LevelOfDetail

WEEKDAYS = frozenset(range(5))

V1 = AgreementFacts(
    channels=(Channel.PHONE_CALL, Channel.TEXT),
    update_interval_days=7,
    level_of_detail=LevelOfDetail.HEADLINE,
    avoid=frozenset({AvoidFlag.NO_WITHHELD_NUMBER}),
    agreed_on=date(2026, 11, 2),
    agreed_through="In person with Nadia",
    version=1,
)


@pytest.mark.parametrize(
    ("after", "sentences"),
    [
        (replace(V1, version=2), []),
        (
            replace(V1, channels=(Channel.TEXT, Channel.PHONE_CALL)),
            [
                "Amira now prefers text messages, then phone calls (the same channels in a "
                "new order; before: phone calls, then text messages)."
            ],
        ),
        (
            replace(V1, channels=(Channel.TEXT,)),
            [
                "Channels: now text messages only (before: phone calls, then text messages). "
                "Dropped phone calls."
            ],
        ),
        (
            replace(V1, channels=(Channel.PHONE_CALL, Channel.TEXT, Channel.EMAIL)),
            [
                "Channels: now phone calls, then text messages, then email (before: phone "
                "calls, then text messages). Added email."
            ],
        ),
        (
            replace(V1, update_interval_days=3),
            ["An update every 3 days, instead of every 7 days: more often."],
        ),
        (
            replace(V1, update_interval_days=14),
            ["An update every 14 days, instead of every 7 days: less often."],
        ),
        (
            replace(V1, level_of_detail=LevelOfDetail.FULL),
            ["Level of detail: in full detail, instead of headlines only."],
        ),
        (
            replace(V1, windows=(Window(days=WEEKDAYS, start=time(9), end=time(18)),)),
            ["Contact only weekdays 09:00 to 18:00, instead of at any time of day (UK time)."],
        ),
        (
            replace(V1, preferred_contact="Nadia Novak"),
            ["Amira would now rather hear from Nadia Novak."],
        ),
        (
            replace(V1, unsafe_channel=Channel.EMAIL),
            ["Never use email: now ruled out as unsafe."],
        ),
        (
            replace(V1, avoid=frozenset({AvoidFlag.NO_VOICEMAIL})),
            [
                "New: Do not leave a voicemail.",
                "No longer asked: Never call from a withheld number.",
            ],
        ),
        (
            replace(V1, avoid=V1.avoid | {AvoidFlag.NOT_AT_POLICE_STATION}),
            ["New: Do not meet Amira at a police station."],
        ),
        (replace(V1, language="Tigrinya"), ["Amira speaks Tigrinya."]),
        (replace(V1, interpreter_needed=True), ["Book an interpreter: one is now needed."]),
        (
            replace(V1, avoid_notes="Never mention her brother."),
            ["Notes on what to avoid: “Never mention her brother.” (new)."],
        ),
        (
            replace(V1, agreed_on=date(2026, 11, 20)),
            ["Agreed on 20 November 2026, instead of 2 November 2026."],
        ),
        (
            replace(V1, agreed_through="By phone, with an interpreter"),
            [
                "Agreed through: now “By phone, with an interpreter” "
                "(before: “In person with Nadia”)."
            ],
        ),
        (
            replace(V1, review_by=date(2027, 2, 1)),
            ["To be reviewed by 1 February 2027 (no review date before)."],
        ),
        (
            # Several changes: how to reach the victim first, who and when last.
            replace(
                V1,
                update_interval_days=2,
                channels=(Channel.TEXT,),
                agreed_on=date(2026, 11, 20),
            ),
            [
                "Channels: now text messages only (before: phone calls, then text messages). "
                "Dropped phone calls.",
                "An update every 2 days, instead of every 7 days: more often.",
                "Agreed on 20 November 2026, instead of 2 November 2026.",
            ],
        ),
    ],
)
def test_each_change_in_plain_words(after: AgreementFacts, sentences: list[str]) -> None:
    assert what_changed(V1, after, "Amira", include_notes=True) == sentences


@pytest.mark.parametrize(
    ("before", "after", "sentences"),
    [
        (
            replace(V1, unsafe_channel=Channel.EMAIL),
            V1,
            ["Email: no longer ruled out as unsafe."],
        ),
        (
            replace(V1, unsafe_channel=Channel.EMAIL),
            replace(V1, unsafe_channel=Channel.MESSAGING_APP),
            ["Never use a messaging app: now ruled out as unsafe, instead of email."],
        ),
        (
            replace(V1, language="Arabic", interpreter_needed=True),
            V1,
            [
                "No language recorded any more (it was Arabic).",
                "An interpreter is no longer needed.",
            ],
        ),
        (
            replace(V1, language="tigrinya"),
            replace(V1, language="Tigrinya "),
            [],
        ),
        (
            replace(V1, review_by=date(2027, 1, 1)),
            V1,
            ["No review date any more (it was 1 January 2027)."],
        ),
        (
            replace(V1, preferred_contact="Nadia Novak"),
            V1,
            ["Amira no longer asks to hear from Nadia Novak."],
        ),
        (
            replace(V1, windows=(Window(days=WEEKDAYS, start=time(9), end=time(18)),)),
            replace(
                V1, windows=(Window(days=frozenset({5, 6}), start=time(10), end=time(23, 59)),)
            ),
            [
                "Contact only weekends after 10:00, instead of only weekdays 09:00 to 18:00 "
                "(UK time)."
            ],
        ),
    ],
)
def test_changes_back_and_across(
    before: AgreementFacts, after: AgreementFacts, sentences: list[str]
) -> None:
    assert what_changed(before, after, "Amira", include_notes=True) == sentences


def test_free_text_is_named_not_quoted_for_those_who_may_not_read_it() -> None:
    after = replace(
        V1,
        avoid_notes="Never mention her brother.",
        unsafe_channel_note="He reads her email",
        agreed_through="At the refuge with her cousin",
    )
    sentences = what_changed(V1, after, "the victim", include_notes=False)
    assert sentences == [
        "Why the channel is unsafe: changed.",
        "Notes on what to avoid: changed.",
        "Agreed through: changed.",
    ]
    assert not any("brother" in s or "refuge" in s for s in sentences)


def test_the_first_version_says_so() -> None:
    assert what_changed(None, V1, "Amira", include_notes=True) == [
        "The first agreement recorded, agreed on 2 November 2026."
    ]
