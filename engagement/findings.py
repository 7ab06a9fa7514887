"""Each measure by each factor: the test of association, and what it says in plain words.

Facts in: a measure, a factor and the factor's published rows (withheld cells already
None). Results: a ``Finding`` with the test and a reading such as

    Victims referred by the police were offered support more often: 24.7% against 11.5%,
    p < 0.001

The test runs only on levels whose figures are all shown, so nothing withheld can be
worked back from it; levels left out for that reason are named in the note. Levels that
say something was not recorded are shown but never tested. A difference is called clear
at p < 0.05, reading Fisher's exact test where it ran.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from engagement.factors import Factor, Level, Measure
from engagement.stats import Association, associate
from engagement.tables import Row

CLEAR_DIFFERENCE = 0.05


@dataclass(frozen=True)
class Finding:
    measure: Measure
    factor: Factor
    rows: tuple[Row, ...]
    association: Association | None
    tested: tuple[Level, ...]
    left_out: tuple[Level, ...]  # recorded levels not tested because figures are withheld
    reading: str
    note: str

    @property
    def is_clear(self) -> bool:
        return self.association is not None and self.association.decisive_p < CLEAR_DIFFERENCE


def p_words(p: float) -> str:
    if p < 0.001:
        return "p < 0.001"
    shown = f"{p:.3f}"
    if p < CLEAR_DIFFERENCE <= float(shown):  # 0.0496 is not "p = 0.050"
        shown = f"{p:.4f}"
    return f"p = {shown}"


def percent_words(percent: float) -> str:
    return f"{percent:.1f}%"


def lower_first(words: str) -> str:
    """'Victims under 18' -> 'victims under 18', but 'UK nationals' stays."""
    if len(words) > 1 and words[1].isupper():
        return words
    return words[:1].lower() + words[1:]


def find(measure: Measure, factor: Factor, rows: Sequence[Row]) -> Finding:
    recorded = [row for row in rows if row.level is not None and row.level.recorded]
    tested = [
        row
        for row in recorded
        if row.get(measure.outcome) is not None and row.get(measure.opposite) is not None
    ]
    left_out = tuple(row.level for row in recorded if row not in tested and row.level)
    association = (
        associate(
            [[row.get(measure.outcome) or 0, row.get(measure.opposite) or 0] for row in tested]
        )
        if len(tested) >= 2
        else None
    )
    return Finding(
        measure=measure,
        factor=factor,
        rows=tuple(rows),
        association=association,
        tested=tuple(row.level for row in tested if row.level),
        left_out=left_out,
        reading=reading(measure, factor, tested, association),
        note=note(left_out, association),
    )


def reading(
    measure: Measure, factor: Factor, tested: Sequence[Row], association: Association | None
) -> str:
    if len(tested) < 2:
        return f"Not tested: too few cases to compare {measure.noun} {factor.across}"
    if association is None:
        return f"Not tested: no difference in {measure.noun} {factor.across} to test"
    p = association.decisive_p
    test = p_words(p) + (" (Fisher's exact test)" if association.fisher_p is not None else "")
    if p >= CLEAR_DIFFERENCE:
        return f"No clear difference in {measure.noun} {factor.across} ({test})"
    ranked = sorted(tested, key=lambda row: row.percent(measure) or 0.0, reverse=True)
    high, low = ranked[0], ranked[-1]
    high_percent = percent_words(high.percent(measure) or 0.0)
    low_percent = percent_words(low.percent(measure) or 0.0)
    high_who = high.level.subject if high.level else ""
    low_who = low.level.subject if low.level else ""
    if len(tested) == 2:
        return f"{high_who} {measure.verb} more often: {high_percent} against {low_percent}, {test}"
    return (
        f"{high_who} {measure.verb} most often ({high_percent}) and "
        f"{lower_first(low_who)} least often ({low_percent}), {test}"
    )


def note(left_out: Sequence[Level], association: Association | None) -> str:
    notes = []
    if left_out and association is not None:
        names = ", ".join(level.label for level in left_out)
        notes.append(f"Tested without {names}: numbers too small to show.")
    if association is not None and association.expected_counts_small:
        if association.fisher_p is None:
            notes.append("Some expected counts are under 5: read this test with care.")
        else:
            notes.append("Some expected counts are under 5, so Fisher's exact test is read.")
    return " ".join(notes)
