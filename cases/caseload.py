"""Caseloads when a point of contact changes: each candidate's load against their capacity,
the languages they speak against the victim's, and who to suggest when many cases are
handed on at once.

Pure: plain values in (``Candidate``, the victim's language), words and choices out. The
pages show them; ``cases.services`` does the handing on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """Someone who could take a case: how many they hold now, and what they can hold."""

    id: int
    name: str
    load: int  # current cases in this role
    capacity: int  # 0: no capacity recorded
    languages: tuple[str, ...] = ()


def _normal(language: str) -> str:
    return " ".join(language.split()).casefold()


def speaks(candidate: Candidate, language: str) -> bool:
    """Whether the candidate speaks ``language`` (as typed: case and spacing ignored)."""
    wanted = _normal(language)
    return bool(wanted) and any(_normal(spoken) == wanted for spoken in candidate.languages)


def spare(candidate: Candidate) -> int | None:
    """Cases they could still take; None when no capacity is recorded."""
    return candidate.capacity - candidate.load if candidate.capacity else None


def has_room(candidate: Candidate) -> bool:
    """Whether they could take another case: true when no capacity is recorded."""
    room = spare(candidate)
    return room is None or room > 0


def _cases(count: int) -> str:
    return "1 case" if count == 1 else f"{count} cases"


def load_words(candidate: Candidate) -> str:
    """ "7 of 12 cases", "Full: 12 of 12 cases", "Over capacity: 14 of 12 cases"."""
    if not candidate.capacity:
        return f"{_cases(candidate.load)} (no capacity recorded)"
    of = (
        f"{candidate.load} of {candidate.capacity} {'case' if candidate.capacity == 1 else 'cases'}"
    )
    if candidate.load > candidate.capacity:
        return f"Over capacity: {of}"
    if candidate.load == candidate.capacity:
        return f"Full: {of}"
    return of


def languages_words(candidate: Candidate) -> str:
    if not candidate.languages:
        return "No languages recorded"
    return f"Speaks {', '.join(candidate.languages)}"


def _order_key(candidate: Candidate, language: str) -> tuple[int, int, int, str]:
    room = spare(candidate)
    return (
        # Those with room first; then those with no capacity recorded; the full last.
        0 if room is not None and room > 0 else 1 if room is None else 2,
        0 if speaks(candidate, language) else 1,
        -(room or 0),
        candidate.name,
    )


def in_order(candidates: Sequence[Candidate], language: str) -> list[Candidate]:
    """Who to show first: those with room to take a case, among them those who speak the
    victim's language, then those with the most room. Someone full comes last even if they
    speak the language: a case given to them is a case they cannot keep up with."""
    return sorted(candidates, key=lambda c: _order_key(c, language))


def suggest(cases: Sequence[tuple[int, str]], candidates: Sequence[Candidate]) -> Mapping[int, int]:
    """A successor for each case (case id, the victim's language), one case at a time, each
    counting the cases already suggested, in the order ``in_order`` gives. Only a suggestion: the
    supervisor can change any of them. Empty when there is nobody to suggest."""
    if not candidates:
        return {}
    loads = {c.id: c.load for c in candidates}
    chosen: dict[int, int] = {}
    for case_id, language in cases:
        current = [
            Candidate(c.id, c.name, loads[c.id], c.capacity, c.languages) for c in candidates
        ]
        best = in_order(current, language)[0]
        chosen[case_id] = best.id
        loads[best.id] += 1
    return chosen
