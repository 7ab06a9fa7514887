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
3. Audit: rule 2 is the usual method, not a proof: several sums together, or counts
   never being negative, can still pin a withheld cell to one value (two withheld cells
   whose sum is shown as 0 are both 0: "none of them accepted"). So each withheld cell
   is checked exactly, by an integer program over everything shown and every sum: its
   smallest and largest possible values must differ. A cell that comes out pinned gets
   another cell of its sums withheld, and the rules run again.

The withheld cells of a sum may add up to fewer than the minimum (a total of 3 across
two withheld cells); what matters, and what the audit proves, is that no one of them can
be worked out.

What a reader is assumed to know: every figure shown, every sum, and that counts are
whole and never negative. Every withheld cell looks the same, so nothing tells a reader
which of them were under the minimum.
"""

from collections import Counter
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
    shown_anyway: Collection[K] = (),
) -> frozenset[K]:
    """The cells to withhold.

    ``withheld`` are withheld whatever their count (decided elsewhere, say by a linked
    table). ``keep_if_possible`` are the last chosen for secondary withholding: a caller
    that shares those cells with other tables can tell when one had to go after all.
    ``shown_anyway`` are counts that stand for no one, which the caller has judged safe
    to show (say, a group with no cases where the cases divide among others): not
    withheld for being small or by ``withheld``, and given up only if nothing else will do.
    """
    hidden = (set(withheld) - set(shown_anyway)) | {
        cell for cell, count in counts.items() if count < minimum and cell not in shown_anyway
    }
    # How many sums each cell is the total of: of two cells alike, give up the one fewer
    # figures hang from (a part before its total; engagement known before all cases).
    totals = Counter(one_sum.total for one_sum in sums)
    # Ties go to the cell given first, so the same figures always withhold the same cells
    # (two different patterns for one cohort, side by side, would give more away).
    position = {cell: index for index, cell in enumerate(counts)}

    def order(cell: K) -> tuple[bool, int, int, int]:
        """Which cell to give up first: not one to keep, the smallest, a part before a total."""
        keep = cell in keep_if_possible or cell in shown_anyway
        return (keep, counts[cell], totals[cell], position[cell])

    while True:
        _withhold_secondary(sums, hidden, order)
        if hidden >= counts.keys():
            # Nothing shown, nothing to work from (any count could be one case more).
            return frozenset(hidden)
        exposed = pinned(counts, sums, hidden)
        if not exposed:
            return frozenset(hidden)
        hidden.add(_nearest_shown(min(exposed, key=order), sums, hidden, order))


def _nearest_shown(
    cell: K,
    sums: Sequence[Sum[K]],
    hidden: set[K],
    order: Callable[[K], tuple[bool, int, int, int]],
) -> K:
    """The cell to withhold so that ``cell`` can move: a shown cell of its sums, or of the
    sums next to those, and so on; the nearest, but never one to keep while another will do."""
    distance = {cell: 0}
    frontier = [cell]
    while frontier:
        step = distance[frontier[0]] + 1
        touching = [s for s in sums if set(frontier) & set(s.cells)]
        frontier = []
        for one_sum in touching:
            for other in one_sum.cells:
                if other not in distance:
                    distance[other] = step
                    if other in hidden:
                        frontier.append(other)
    shown = [other for other in distance if other not in hidden]
    if not shown:  # pragma: no cover - the true counts tie a pinned cell to something shown
        raise AssertionError("a pinned cell is tied to no shown cell")
    return min(shown, key=lambda other: (order(other)[0], distance[other], *order(other)[1:]))


def _withhold_secondary(
    sums: Sequence[Sum[K]],
    hidden: set[K],
    order: Callable[[K], tuple[bool, int, int, int]],
) -> None:
    """Rule 2, until no sum has exactly one cell withheld."""
    changed = True
    while changed:
        changed = False
        for one_sum in sums:
            shown = [cell for cell in one_sum.cells if cell not in hidden]
            if len(one_sum.cells) - len(shown) == 1:
                hidden.add(min(shown, key=order))
                changed = True


def pinned(counts: Mapping[K, int], sums: Sequence[Sum[K]], hidden: Collection[K]) -> set[K]:
    """The withheld cells whose value the shown cells and the sums determine.

    Exact: for each withheld cell an integer program finds its smallest and largest
    possible value. Every solution found is remembered, and a cell already seen taking
    two values needs no program of its own. Withheld cells that share no sum, even through
    others, are independent, so each such group is solved on its own (smaller, faster).
    """
    group = {cell: cell for one_sum in sums for cell in one_sum.cells if cell in hidden}

    def root(cell: K) -> K:
        while group[cell] != cell:
            group[cell] = group[group[cell]]
            cell = group[cell]
        return cell

    for one_sum in sums:
        withheld_here = [cell for cell in one_sum.cells if cell in hidden]
        for cell in withheld_here[1:]:
            group[root(cell)] = root(withheld_here[0])
    members: dict[K, list[K]] = {}
    for cell in group:
        members.setdefault(root(cell), []).append(cell)
    exposed: set[K] = set()
    for cells in members.values():
        inside = set(cells)
        exposed |= _pinned_together(counts, [s for s in sums if inside & set(s.cells)], inside)
    return exposed


def _pinned_together(
    counts: Mapping[K, int], sums: Sequence[Sum[K]], hidden: Collection[K]
) -> set[K]:
    """``pinned`` for withheld cells tied together by ``sums``."""
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
    ceiling = 2 * max(counts.values(), default=0) + 1
    bounds = Bounds(0, ceiling)
    # The true counts are one solution; any other value a cell can take exposes nothing.
    seen: list[set[int]] = [{counts[cell]} for cell in unknowns]

    def solve(objective: "np.ndarray[Any, Any]") -> None:
        """Record the solution that takes ``objective`` to its least."""
        result = milp(objective, constraints=constraints, integrality=integral, bounds=bounds)
        if result.status != 0:  # pragma: no cover - the true counts are always a solution
            raise RuntimeError(f"suppression audit failed: {result.message}")
        for index, value in enumerate(result.x):
            seen[index].add(round(value))

    def away(indexes: Sequence[int]) -> "np.ndarray[Any, Any]":
        """An objective moving each of these cells away from the one value seen: down from
        a count, up from zero."""
        push = np.zeros(len(unknowns))
        for index in indexes:
            push[index] = 1.0 if min(seen[index]) > 0 else -1.0
        return push

    def alone() -> list[int]:
        return [index for index, values in enumerate(seen) if len(values) < 2]

    # Solutions that push every cell seen with one value away from it, all at once, find
    # a second value for most cells; only the rest need a program each.
    for _ in range(PUSHES):
        waiting = alone()
        if not waiting:
            break
        before = sum(len(values) for values in seen)
        solve(away(waiting))
        if sum(len(values) for values in seen) == before:
            break
    exposed = set()
    # Each cell's own program also nudges the others still waiting, far too gently to
    # change its answer for the cell itself.
    nudge = 1.0 / (2.0 * len(unknowns) * ceiling)
    for index, cell in enumerate(unknowns):
        if len(seen[index]) > 1:
            continue
        for direction in (1.0, -1.0) if min(seen[index]) > 0 else (-1.0,):
            objective = nudge * away([i for i in alone() if i != index])
            objective[index] = direction
            solve(objective)
            if len(seen[index]) > 1:
                break
        else:
            exposed.add(cell)
    return exposed
