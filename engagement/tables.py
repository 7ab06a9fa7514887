"""The cohort's figures as linked tables, and which of them are withheld.

Facts in: what the database counted for the whole cohort and for each level of each factor
(``Counts``). Each group of cases becomes a row of cells:

    n          cases
    offered    offered support        not_offered   not offered         (n = the two)
    answered   offered, with answer   pending       offered, no answer  (offered = the two)
    accepted   accepted               declined      declined            (answered = the two)
    known      engagement known       unknown       engagement unknown  (n = the two)
    positive   engaged positively     negative      engaged negatively  (known = the two)

and a factor is a table: its levels' rows, and the cohort's row as their total. The rows
"pending" and "unknown" exist only where some case has no answer or no known engagement
(data not recorded, not something a person did).

Withholding (engagement.suppression) runs on each factor's table. A level with no cases
stands for no one, and is shown as such where the cases divide among at least two other
levels each of the minimum or more; otherwise it is withheld like any small number, since
"none without sexual exploitation" would say that everyone here was sexually exploited.
One link between tables is handled here: the cohort's row is the total of every factor's
table. So the cohort's row is decided first, and

- a figure withheld in the cohort's row is withheld for every level of every factor. Then
  however the withheld totals are divided, each factor's levels can be filled in to
  match, so no two factors taken together narrow a withheld total down;
- when a factor's table must withhold a figure of the cohort's row after all, the cohort's
  row takes it and every table is decided again.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from engagement.factors import Factor, Level, Measure
from engagement.suppression import Sum, withhold

TOTAL = "\0total"  # the cohort's row in each factor's table; never a level's code


@dataclass(frozen=True)
class Counts:
    """What the database counts for a group of cases."""

    n: int = 0
    offered: int = 0
    accepted: int = 0  # offered and accepted
    declined: int = 0  # offered and declined
    positive: int = 0
    negative: int = 0

    def __post_init__(self) -> None:
        if min(getattr(self, f.name) for f in fields(self)) < 0:
            raise ValueError(f"counts cannot be negative: {self}")
        if self.offered > self.n or self.accepted + self.declined > self.offered:
            raise ValueError(f"more answers than offers, or offers than cases: {self}")
        if self.positive + self.negative > self.n:
            raise ValueError(f"more known engagement than cases: {self}")

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def cells(self) -> dict[str, int]:
        answered = self.accepted + self.declined
        known = self.positive + self.negative
        return {
            "n": self.n,
            "offered": self.offered,
            "not_offered": self.n - self.offered,
            "answered": answered,
            "accepted": self.accepted,
            "declined": self.declined,
            "pending": self.offered - answered,
            "known": known,
            "positive": self.positive,
            "negative": self.negative,
            "unknown": self.n - known,
        }


def total_of(groups: Iterable[Counts]) -> Counts:
    total = Counts()
    for group in groups:
        total = total + group
    return total


@dataclass(frozen=True)
class Layout:
    """Which cells a cohort's rows have."""

    pending: bool  # some case was offered support with no answer recorded
    unknown: bool  # some case's engagement is unknown

    @classmethod
    def of(cls, total: Counts) -> "Layout":
        cells = total.cells()
        return cls(pending=cells["pending"] > 0, unknown=cells["unknown"] > 0)

    @property
    def kinds(self) -> tuple[str, ...]:
        dropped = set()
        if not self.pending:
            dropped.add("pending")
        if not self.unknown:
            dropped.add("unknown")
        return tuple(kind for kind in Counts().cells() if kind not in dropped)

    def row_sums(self, row: str) -> list[Sum[tuple[str, str]]]:
        def cell(kind: str) -> tuple[str, str]:
            return (row, kind)

        offered_parts = ("answered", "pending") if self.pending else ("answered",)
        known_parts = ("known", "unknown") if self.unknown else ("known",)
        return [
            Sum(cell("n"), (cell("offered"), cell("not_offered"))),
            Sum(cell("offered"), tuple(cell(kind) for kind in offered_parts)),
            Sum(cell("answered"), (cell("accepted"), cell("declined"))),
            Sum(cell("n"), tuple(cell(kind) for kind in known_parts)),
            Sum(cell("known"), (cell("positive"), cell("negative"))),
        ]


@dataclass(frozen=True)
class Row:
    """A group of cases as published: each cell's count, or None where it is withheld."""

    level: Level | None  # None for the cohort's own row
    cells: Mapping[str, int | None]

    def get(self, kind: str) -> int | None:
        return self.cells.get(kind)

    def percent(self, measure: Measure) -> float | None:
        base, count = self.cells.get(measure.base), self.cells.get(measure.outcome)
        if base is None or count is None or base == 0:
            return None
        return 100 * count / base


@dataclass(frozen=True)
class FactorTable:
    factor: Factor
    rows: tuple[Row, ...]
    total: Row


@dataclass(frozen=True)
class CohortTables:
    layout: Layout
    total: Row
    tables: tuple[FactorTable, ...]


def levels_shown(factor: Factor, counts: Mapping[str, Counts]) -> list[Level]:
    """Every level of the factor, and "not recorded" where some case has nothing recorded."""
    levels = list(factor.levels)
    not_recorded = factor.not_recorded
    if not_recorded is not None and counts.get(not_recorded.code, Counts()).n > 0:
        levels.append(not_recorded)
    return levels


def _factor_cells(
    factor: Factor, counts: Mapping[str, Counts], total: Counts, layout: Layout
) -> tuple[list[Level], dict[tuple[str, str], int], list[Sum[tuple[str, str]]]]:
    levels = levels_shown(factor, counts)
    known_codes = {level.code for level in levels}
    if unexpected := set(counts) - known_codes:
        raise ValueError(f"{factor.name} has values the report does not know: {unexpected}")
    if total_of(counts.values()) != total:
        raise ValueError(f"{factor.name}'s levels do not add up to the cohort")
    cells: dict[tuple[str, str], int] = {}
    for row, group in [
        *((lv.code, counts.get(lv.code, Counts())) for lv in levels),
        (TOTAL, total),
    ]:
        for kind, value in group.cells().items():
            if kind in layout.kinds:
                cells[row, kind] = value
    sums = [s for row in [*(lv.code for lv in levels), TOTAL] for s in layout.row_sums(row)]
    sums += [
        Sum((TOTAL, kind), tuple((level.code, kind) for level in levels)) for kind in layout.kinds
    ]
    return levels, cells, sums


def _empty_levels_to_show(
    levels: Sequence[Level], cells: Mapping[tuple[str, str], int], layout: Layout, minimum: int
) -> set[tuple[str, str]]:
    """The cells of levels with no cases, where showing them tells nothing about anyone:
    the cases divide among two or more levels of at least ``minimum`` each."""
    if sum(cells[level.code, "n"] >= minimum for level in levels) < 2:
        return set()
    return {
        (level.code, kind)
        for level in levels
        if cells[level.code, "n"] == 0
        for kind in layout.kinds
    }


def build(
    total: Counts,
    by_factor: Mapping[str, Mapping[str, Counts]],
    factors: Sequence[Factor],
    *,
    minimum: int,
) -> CohortTables:
    """The cohort's row and each factor's table, with every withheld cell as None."""
    layout = Layout.of(total)
    total_cells = {kind: value for kind, value in total.cells().items() if kind in layout.kinds}
    total_sums = [
        Sum(s.total[1], tuple(part[1] for part in s.parts)) for s in layout.row_sums(TOTAL)
    ]
    prepared = {
        factor.name: _factor_cells(factor, by_factor.get(factor.name, {}), total, layout)
        for factor in factors
    }
    empty = {
        factor.name: _empty_levels_to_show(*prepared[factor.name][:2], layout, minimum)
        for factor in factors
    }
    forced: set[str] = set()
    while True:
        total_hidden = withhold(total_cells, total_sums, minimum=minimum, withheld=forced)
        hidden_by_factor: dict[str, frozenset[tuple[str, str]]] = {}
        for factor in factors:
            levels, cells, sums = prepared[factor.name]
            hidden = withhold(
                cells,
                sums,
                minimum=minimum,
                withheld={(TOTAL, kind) for kind in total_hidden}
                | {(level.code, kind) for level in levels for kind in total_hidden},
                keep_if_possible={(TOTAL, kind) for kind in layout.kinds},
                shown_anyway=empty[factor.name],
            )
            grown = {kind for row, kind in hidden if row == TOTAL} - total_hidden
            if grown:
                forced |= grown
                break
            hidden_by_factor[factor.name] = hidden
        else:
            break

    def row(
        level: Level | None,
        code: str,
        values: Mapping[str, int],
        hidden: Iterable[tuple[str, str]],
    ) -> Row:
        hidden_kinds = {kind for row_code, kind in hidden if row_code == code}
        return Row(
            level,
            {
                kind: None if kind in hidden_kinds else value
                for kind, value in values.items()
                if kind in layout.kinds
            },
        )

    cohort_row = row(None, TOTAL, total_cells, {(TOTAL, kind) for kind in total_hidden})
    tables = []
    for factor in factors:
        levels, cells, _ = prepared[factor.name]
        hidden = hidden_by_factor[factor.name]
        rows = tuple(
            row(level, level.code, {k: cells[level.code, k] for k in layout.kinds}, hidden)
            for level in levels
        )
        tables.append(FactorTable(factor, rows, cohort_row))
    return CohortTables(layout, cohort_row, tuple(tables))
