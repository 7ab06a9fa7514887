"""Whom to involve for the events coming on a case: a table over plain facts, no database."""

import pytest

from cases.choices import EventKind, InvestigationStage
from directory.choices import SpecialistRole as R
from directory.rules import advice_for

INVESTIGATING = InvestigationStage.INVESTIGATING


@pytest.mark.parametrize(
    ("kinds", "stage", "interpreter", "roles"),
    [
        ([EventKind.INTERVIEW], INVESTIGATING, False, [(R.TACTICAL_ADVISER, R.VICTIM_NAVIGATOR)]),
        (
            [EventKind.COURT_HEARING],
            InvestigationStage.AT_COURT,
            False,
            [(R.WITNESS_CARE, R.VICTIM_NAVIGATOR)],
        ),
        (
            [EventKind.CHARGING_DECISION],
            INVESTIGATING,
            False,
            [(R.VICTIM_LIAISON_OFFICER, R.VICTIM_NAVIGATOR)],
        ),
        ([EventKind.NRM_DECISION], INVESTIGATING, False, [(R.NGO_CASEWORKER, R.VICTIM_NAVIGATOR)]),
        ([EventKind.RELOCATION], INVESTIGATING, False, [(R.NGO_CASEWORKER, R.MSHT_TEAM)]),
        # An arrest and a bail or release are one rule, said once.
        (
            [EventKind.ARREST, EventKind.SUSPECT_BAILED_OR_RELEASED],
            INVESTIGATING,
            False,
            [(R.VICTIM_LIAISON_OFFICER, R.MSHT_TEAM, R.NGO_CASEWORKER)],
        ),
        # In the order the events come, each once, then the interpreter when one is needed.
        (
            [EventKind.INTERVIEW, EventKind.CHARGING_DECISION, EventKind.INTERVIEW],
            INVESTIGATING,
            True,
            [
                (R.TACTICAL_ADVISER, R.VICTIM_NAVIGATOR),
                (R.VICTIM_LIAISON_OFFICER, R.VICTIM_NAVIGATOR),
                (R.INTERPRETER,),
            ],
        ),
        # Nothing planned: the MSHT team while the investigation is open...
        ([], InvestigationStage.REPORTED, True, [(R.MSHT_TEAM,)]),
        ([EventKind.OTHER], INVESTIGATING, False, [(R.MSHT_TEAM,)]),
        # ...and nobody once it has ended.
        ([], InvestigationStage.CONCLUDED, False, []),
        ([], InvestigationStage.NO_FURTHER_ACTION, True, []),
    ],
)
def test_whom_to_involve(
    kinds: list[str], stage: str, interpreter: bool, roles: list[tuple[R, ...]]
) -> None:
    advice = advice_for(
        event_kinds=kinds, investigation_stage=stage, interpreter_needed=interpreter
    )
    assert [a.roles for a in advice] == roles


def test_the_interview_advice_in_words() -> None:
    (advice,) = advice_for(
        event_kinds=[EventKind.INTERVIEW],
        investigation_stage=INVESTIGATING,
        interpreter_needed=False,
    )
    assert advice.reason == (
        "An interview is planned: the force's tactical adviser and the victim's navigator "
        "should be in the planning."
    )
