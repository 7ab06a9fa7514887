"""Tests of association between a factor and an outcome, as the research ran them.

Pure functions over a table of counts: one row per level of the factor, one column per
outcome (for the report, always two: the outcome and its opposite). They give

- Pearson's chi-square without continuity correction (as such reports give it first),
  its degrees of freedom and p-value (scipy);
- Cramér's V, the strength of the association from 0 (none) to 1;
- Fisher's exact test (two-sided) when the table is 2x2 and an expected count is under 5,
  where the chi-square approximation is poor.

Levels or outcomes with no cases at all carry no information about the association and
would make an expected count zero, so they are left out before testing.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Below this expected count in some cell, the chi-square approximation is doubtful.
SMALL_EXPECTED = 5.0


@dataclass(frozen=True)
class Association:
    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    n: int
    smallest_expected: float
    fisher_p: float | None = None  # only for a 2x2 table with an expected count under 5

    @property
    def decisive_p(self) -> float:
        """The p-value to read: Fisher's where it was run, else the chi-square's."""
        return self.fisher_p if self.fisher_p is not None else self.p_value

    @property
    def expected_counts_small(self) -> bool:
        return self.smallest_expected < SMALL_EXPECTED


def non_empty(table: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table without rows or columns that hold no cases."""
    rows = [list(row) for row in table if sum(row) > 0]
    if not rows:
        return []
    keep = [j for j in range(len(rows[0])) if any(row[j] for row in rows)]
    return [[row[j] for j in keep] for row in rows]


def associate(table: Sequence[Sequence[int]]) -> Association | None:
    """The association in ``table``, or None when it cannot be tested.

    A test needs at least two levels and two outcomes that each hold a case.
    """
    # scipy takes about a second to import; only the report needs it, so it loads here.
    from scipy.stats import chi2_contingency, fisher_exact

    if any(count < 0 for row in table for count in row):
        raise ValueError("counts cannot be negative")
    kept = non_empty(table)
    if len(kept) < 2 or len(kept[0]) < 2:
        return None
    result = chi2_contingency(kept, correction=False)
    chi2 = float(result.statistic)
    n = sum(sum(row) for row in kept)
    smallest_expected = float(result.expected_freq.min())
    fisher_p = None
    if len(kept) == 2 and len(kept[0]) == 2 and smallest_expected < SMALL_EXPECTED:
        fisher_p = float(fisher_exact(kept, alternative="two-sided").pvalue)
    return Association(
        chi2=chi2,
        dof=int(result.dof),
        p_value=float(result.pvalue),
        cramers_v=math.sqrt(chi2 / (n * (min(len(kept), len(kept[0])) - 1))),
        n=n,
        smallest_expected=smallest_expected,
        fisher_p=fisher_p,
    )
