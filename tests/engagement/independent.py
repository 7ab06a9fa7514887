"""Statistics computed from first principles, to check the report's against.

Nothing here calls scipy or the report's code: the chi-square is summed cell by cell, its
p-value comes from the closed forms of the chi-square distribution for whole degrees of
freedom, and Fisher's exact test enumerates every table with the same margins.
"""

import math
from collections.abc import Sequence


def expected(table: Sequence[Sequence[int]]) -> list[list[float]]:
    n = sum(map(sum, table))
    columns = [sum(column) for column in zip(*table, strict=True)]
    return [[sum(row) * total / n for total in columns] for row in table]


def chi_square(table: Sequence[Sequence[int]]) -> float:
    return sum(
        (observed - e) ** 2 / e
        for row, expected_row in zip(table, expected(table), strict=True)
        for observed, e in zip(row, expected_row, strict=True)
    )


def chi_square_p(x: float, dof: int) -> float:
    """P(X >= x) for a chi-square variable with ``dof`` degrees of freedom."""
    if dof % 2 == 0:
        return math.exp(-x / 2) * sum((x / 2) ** i / math.factorial(i) for i in range(dof // 2))
    # Odd: twice the normal tail at sqrt(x), plus a finite series.
    root = math.sqrt(x)
    tail = math.erfc(root / math.sqrt(2))
    density = math.exp(-x / 2) / math.sqrt(2 * math.pi)
    series, term = 0.0, 1.0
    for r in range(1, (dof - 1) // 2 + 1):
        term = term * (2 * r - 1)  # 1 * 3 * 5 * ... * (2r - 1)
        series += x ** ((2 * r - 1) / 2) / term
    return tail + 2 * density * series


def cramers_v(table: Sequence[Sequence[int]]) -> float:
    n = sum(map(sum, table))
    return math.sqrt(chi_square(table) / (n * (min(len(table), len(table[0])) - 1)))


def fisher_two_sided(table: Sequence[Sequence[int]]) -> float:
    (a, b), (c, d) = table
    row1, column1, n = a + b, a + c, a + b + c + d

    def probability(x: int) -> float:
        return math.comb(column1, x) * math.comb(n - column1, row1 - x) / math.comb(n, row1)

    observed = probability(a)
    low, high = max(0, row1 + column1 - n), min(row1, column1)
    # Tables as likely as, or less likely than, the one observed (with a little slack
    # for rounding, as R and scipy allow).
    return min(
        1.0,
        sum(
            probability(x) for x in range(low, high + 1) if probability(x) <= observed * (1 + 1e-7)
        ),
    )
