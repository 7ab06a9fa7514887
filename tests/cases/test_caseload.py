"""Caseloads as a table: load against capacity, languages, who comes first, suggestions."""

import pytest

from cases.caseload import (
    Candidate,
    has_room,
    in_order,
    languages_words,
    load_words,
    speaks,
    suggest,
)

NOAH = Candidate(id=1, name="Noah", load=7, capacity=12, languages=("English", "Arabic"))
NINA = Candidate(id=2, name="Nina", load=3, capacity=4, languages=("Tigrinya",))
NED = Candidate(id=3, name="Ned", load=5, capacity=0)
NORA = Candidate(id=4, name="Nora", load=10, capacity=10, languages=("tigrinya ",))


@pytest.mark.parametrize(
    ("candidate", "words"),
    [
        (NOAH, "7 of 12 cases"),
        (NED, "5 cases (no capacity recorded)"),
        (Candidate(id=9, name="One", load=1, capacity=0), "1 case (no capacity recorded)"),
        (NORA, "Full: 10 of 10 cases"),
        (Candidate(id=9, name="Over", load=14, capacity=12), "Over capacity: 14 of 12 cases"),
        (Candidate(id=9, name="Single", load=0, capacity=1), "0 of 1 case"),
    ],
)
def test_load_in_words(candidate: Candidate, words: str) -> None:
    assert load_words(candidate) == words


@pytest.mark.parametrize(
    ("candidate", "language", "match"),
    [
        (NOAH, "Arabic", True),
        (NOAH, "arabic", True),
        (NORA, "Tigrinya", True),  # stored with a stray space and in lower case
        (NOAH, "Tigrinya", False),
        (NED, "English", False),
        (NOAH, "", False),  # no language recorded for the victim: nobody "matches"
        (NOAH, "  ", False),
    ],
)
def test_speaks_the_victims_language(candidate: Candidate, language: str, match: bool) -> None:
    assert speaks(candidate, language) is match


def test_languages_in_words() -> None:
    assert languages_words(NOAH) == "Speaks English, Arabic"
    assert languages_words(NED) == "No languages recorded"


@pytest.mark.parametrize(
    ("language", "order"),
    [
        # Room first; among those with room the language; the full last, language or not.
        ("Tigrinya", ["Nina", "Noah", "Ned", "Nora"]),
        ("Arabic", ["Noah", "Nina", "Ned", "Nora"]),
        ("", ["Noah", "Nina", "Ned", "Nora"]),
    ],
)
def test_who_is_shown_first(language: str, order: list[str]) -> None:
    assert [c.name for c in in_order([NED, NORA, NOAH, NINA], language)] == order


def test_suggestions_count_what_was_already_suggested() -> None:
    # Nina speaks Tigrinya and has room for one more; once she has it she is full, so the
    # second Tigrinya speaker's case goes to whoever has room (Noah), not to Nora (full).
    cases = [(101, "Tigrinya"), (102, "Tigrinya"), (103, ""), (104, "Arabic")]
    assert suggest(cases, [NOAH, NINA, NED, NORA]) == {101: 2, 102: 1, 103: 1, 104: 1}


def test_no_candidates_no_suggestion() -> None:
    assert suggest([(1, "English")], []) == {}


@pytest.mark.parametrize(
    ("candidate", "room"), [(NOAH, True), (NINA, True), (NED, True), (NORA, False)]
)
def test_room_for_another_case(candidate: Candidate, room: bool) -> None:
    assert has_room(candidate) is room
