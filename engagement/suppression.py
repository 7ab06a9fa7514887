"""Small numbers are withheld, and so is whatever would give them away.

Facts in: cells (any hashable key) each holding a count of cases, and the sums that tie
them together (a total and its parts: a table's row and its total, a column and its total,
a count and its breakdown). Knob: the minimum; a count under it is withheld. Result: the
set of cells to withhold, for every figure shown or exported.

The rules, in order:

1. Primary: a count under the minimum is withheld, zero included ("none of the 6 were
   offered support" says as much about each of the 6 as "all 6 were").
2. Secondary: a sum with exactly one withheld cell would give it away (the total minus
   the rest), so a second cell of that sum is withheld: the smallest, to lose least.
   And where a sum's total is shown, its withheld parts together (the total minus the
   parts shown) are a group of cases too, and must not be under the minimum either.
3. Audit: rule 2 is the usual method, not a proof: several sums together, or counts
   never being negative, can still pin a withheld cell to one value. So each withheld
   cell is checked exactly, by an integer program over everything shown and every sum:
   its smallest and largest possible values must differ. A cell that comes out pinned
   gets another cell of its sums withheld, and the rules run again.

What a reader is assumed to know: every figure shown, every sum, and that counts are
whole and never negative. Every withheld cell looks the same, so nothing tells a reader
which of them were under the minimum.
"""

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
# Solutions pushing many cells at once, sought before any cell is checked on its own.
PUSHES = 4


@dataclass(frozen=True)
class Sum(Generic[K]):
    """``total`` is the sum of ``parts``."""

    total: K
    parts: tuple[K, ...]

    @property
    def cells(self) -> tuple[K, ...]:
        return (self.total, *self.parts)


def withhold(
    counts: Mapping[K, int],
    sums: Sequence[Sum[K]],
    *,
    minimum: int,
    withheld: Iterable[K] = (),
    keep_if_possible: Collection[K] = (),
) -> frozenset[K]:
    """The cells to withhold.

    ``withheld`` are withheld whatever their count (decided elsewhere, say by a linked
    table). ``keep_if_possible`` are the last chosen for secondary withholding: a caller
    that shares those cells with other tables can tell when one had to go after all.
    """
    hidden = set(withheld) | {cell for cell, count in counts.items() if count < minimum}
    totals = {one_sum.total for one_sum in sums}

    def order(cell: K) -> tuple[bool, int, bool]:
        """Which cell to give up first: not one to keep, the smallest, a part before a total."""
        return (cell in keep_if_possible, counts[cell], cell in totals)

    while True:
        _withhold_secondary(counts, sums, hidden, minimum, order)
        if hidden >= counts.keys():
            # Nothing shown, nothing to work from (any count could be one case more).
            return frozenset(hidden)
        exposed = pinned(counts, sums, hidden)
        if not exposed:
            return frozenset(hidden)
        for cell in sorted(exposed, key=order):
            candidates = [
                other
                for one_sum in sums
                if cell in one_sum.cells
                for other in one_sum.cells
                if other not in hidden
            ]
            if candidates:
                hidden.add(min(candidates, key=order))
                break
        else:  # pragma: no cover - a pinned cell always has a shown cell in one of its sums
            raise AssertionError("a withheld cell is pinned by cells that are all withheld")


def _withhold_secondary(
    counts: Mapping[K, int],
    sums: Sequence[Sum[K]],
    hidden: set[K],
    minimum: int,
    order: Callable[[K], tuple[bool, int, bool]],
) -> None:
    """Rule 2, until no sum needs another cell withheld."""
    changed = True
    while changed:
        changed = False
        for one_sum in sums:
            shown = [cell for cell in one_sum.cells if cell not in hidden]
            hidden_here = len(one_sum.cells) - len(shown)
            if not shown or hidden_here == 0:
                continue
            if hidden_here == 1:
                hidden.add(min(shown, key=order))
                changed = True
                continue
            if one_sum.total in hidden:
                continue
            shown_parts = [cell for cell in shown if cell != one_sum.total]
            group = counts[one_sum.total] - sum(counts[cell] for cell in shown_parts)
            if group < minimum and shown_parts:
                hidden.add(min(shown_parts, key=order))
                changed = True


def pinned(counts: Mapping[K, int], sums: Sequence[Sum[K]], hidden: Collection[K]) -> set[K]:
    """The withheld cells whose value the shown cells and the sums determine.

    Exact: for each withheld cell an integer program finds its smallest and largest
    possible value. Every solution found is remembered, and a cell already seen taking
    two values needs no program of its own.
    """
    # scipy takes about a second to import; only the report needs it, so it loads here.
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    unknowns = sorted(
        {cell for one_sum in sums for cell in one_sum.cells if cell in hidden}, key=repr
    )
    if not unknowns:
        return set()
    column = {cell: index for index, cell in enumerate(unknowns)}
    rows, targets = [], []
    for one_sum in sums:
        coefficients = np.zeros(len(unknowns))
        known = 0
        for cell, sign in ((one_sum.total, -1), *((part, 1) for part in one_sum.parts)):
            if cell in column:
                coefficients[column[cell]] += sign
            else:
                known += sign * counts[cell]
        if coefficients.any():
            rows.append(coefficients)
            targets.append(-known)
    if not rows:
        return set()
    target = np.array(targets, dtype=float)
    constraints = LinearConstraint(np.array(rows), target, target)
    integral = np.ones(len(unknowns))
    # A ceiling above every true count keeps each program bounded without hiding a second
    # value: a cell that can move at all can move to at least its true count plus one.
    bounds = Bounds(0, 2 * max(counts.values(), default=0) + 1)
    # The true counts are one solution; any other value a cell can take exposes nothing.
    seen: list[set[int]] = [{counts[cell]} for cell in unknowns]

    def solve(objective: "np.ndarray[Any, Any]") -> None:
        """Record the solution that takes ``objective`` to its least."""
        result = milp(objective, constraints=constraints, integrality=integral, bounds=bounds)
        if result.status != 0:  # pragma: no cover - the true counts are always a solution
            raise RuntimeError(f"suppression audit failed: {result.message}")
        for index, value in enumerate(result.x):
            seen[index].add(round(value))

    # Solutions that push every cell seen with one value away from it, all at once, find
    # a second value for most cells; only the rest need a program each.
    for _ in range(PUSHES):
        alone = [index for index, values in enumerate(seen) if len(values) < 2]
        if not alone:
            break
        push = np.zeros(len(unknowns))
        for index in alone:
            push[index] = 1.0 if min(seen[index]) > 0 else -1.0
        before = sum(len(values) for values in seen)
        solve(push)
        if sum(len(values) for values in seen) == before:
            break
    exposed = set()
    for index, cell in enumerate(unknowns):
        if len(seen[index]) > 1:
            continue
        direction = np.zeros(len(unknowns))
        direction[index] = 1
        solve(direction)
        if len(seen[index]) > 1:
            continue
        solve(-direction)
        if len(seen[index]) == 1:
            exposed.add(cell)
    return exposed
