"""Whom to involve for where a case is: the specialist roles each coming event calls for.

Officers often do not know which specialist roles their own force has, so a victim meets
the right person late. These rules say, for the events coming on a case, which roles should
be in the planning and why, in one sentence each ("An interview is planned: the force's
tactical adviser and the victim's navigator should be in the planning."). The directory
then says how to reach them.

Pure: event kinds and a few facts of the case in, advice out; tested by a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from cases.choices import EventKind, InvestigationStage
from directory.choices import SpecialistRole

__all__ = ["POLICE_ROLES", "Advice", "advice_for"]

# Roles a police force holds: looked up in the case's force; the others in the organisations
# already working with the victim.
POLICE_ROLES = frozenset(
    {
        SpecialistRole.VICTIM_LIAISON_OFFICER,
        SpecialistRole.TACTICAL_ADVISER,
        SpecialistRole.MSHT_TEAM,
        SpecialistRole.WITNESS_CARE,
    }
)


@dataclass(frozen=True)
class Advice:
    reason: str
    roles: tuple[SpecialistRole, ...]


_R = SpecialistRole
# One rule per kind of event; an arrest and a bail or release call for the same people.
_EVENT_ADVICE: Mapping[str, Advice] = MappingProxyType(
    {
        EventKind.INTERVIEW: Advice(
            "An interview is planned: the force's tactical adviser and the victim's navigator "
            "should be in the planning.",
            (_R.TACTICAL_ADVISER, _R.VICTIM_NAVIGATOR),
        ),
        EventKind.COURT_HEARING: Advice(
            "A court hearing is coming: witness care arranges special measures, which must be "
            "asked for well before the day, and the navigator should be with the victim.",
            (_R.WITNESS_CARE, _R.VICTIM_NAVIGATOR),
        ),
        EventKind.CHARGING_DECISION: Advice(
            "A charging decision is due: the victim liaison officer tells the victim within the "
            "Victims' Code deadline, with the navigator, who knows how they want to hear it.",
            (_R.VICTIM_LIAISON_OFFICER, _R.VICTIM_NAVIGATOR),
        ),
        EventKind.ARREST: Advice(
            "A suspect is arrested, bailed or released: the victim liaison officer tells the "
            "victim and any bail conditions; the MSHT team and the NGO caseworker review the "
            "victim's safety together.",
            (_R.VICTIM_LIAISON_OFFICER, _R.MSHT_TEAM, _R.NGO_CASEWORKER),
        ),
        EventKind.NRM_DECISION: Advice(
            "An NRM decision is due: the NGO caseworker and the navigator should plan how the "
            "victim hears it and what support follows.",
            (_R.NGO_CASEWORKER, _R.VICTIM_NAVIGATOR),
        ),
        EventKind.RELOCATION: Advice(
            "A move is planned: the NGO caseworker and the force's MSHT team must both know, so "
            "nobody loses touch with the victim.",
            (_R.NGO_CASEWORKER, _R.MSHT_TEAM),
        ),
    }
)
_SAME_RULE: Mapping[str, str] = MappingProxyType(
    {EventKind.SUSPECT_BAILED_OR_RELEASED: EventKind.ARREST}
)
_INTERPRETER = Advice(
    "The victim needs an interpreter: book one they already know for each of these.",
    (_R.INTERPRETER,),
)
_INVESTIGATING = Advice(
    "Nothing is planned yet: the force's MSHT team advises on modern slavery investigations.",
    (_R.MSHT_TEAM,),
)
_OPEN_STAGES = frozenset({InvestigationStage.REPORTED, InvestigationStage.INVESTIGATING})


def advice_for(
    *, event_kinds: Iterable[str], investigation_stage: str, interpreter_needed: bool
) -> tuple[Advice, ...]:
    """Whom to involve for the coming events (in the order they come), once per rule."""
    advice: list[Advice] = []
    for kind in event_kinds:
        rule = _EVENT_ADVICE.get(_SAME_RULE.get(kind, kind))
        if rule is not None and rule not in advice:
            advice.append(rule)
    if advice and interpreter_needed:
        advice.append(_INTERPRETER)
    if not advice and investigation_stage in _OPEN_STAGES:
        advice.append(_INVESTIGATING)
    return tuple(advice)
