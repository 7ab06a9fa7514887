"""Withholding small numbers, and whatever would give them away."""

import itertools
from collections.abc import Mapping

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.suppression import Sum, pinned, withhold

Cell = tuple[str, str]


def table(
    rows: Mapping[str, list[int]], columns: list[str]
) -> tuple[dict[Cell, int], list[Sum[Cell]]]:
    """A two-way table with its row totals, column totals and grand total, as cells and sums."""
    counts: dict[Cell, int] = {}
    for row, values in rows.items():
        for column, value in zip(columns, values, strict=True):
            counts[row, column] = value
        counts[row, "total"] = sum(values)
    for column in [*columns, "total"]:
        counts["all", column] = sum(counts[row, column] for row in rows)
    sums = [Sum((row, "total"), tuple((row, c) for c in columns)) for row in [*rows, "all"]]
    sums += [Sum(("all", c), tuple((row, c) for row in rows)) for c in [*columns, "total"]]
    return counts, sums


def test_a_small_count_and_its_complement_are_withheld_but_the_total_is_shown() -> None:
    counts = {"offered": 3, "not offered": 37, "all": 40}
    sums = [Sum("all", ("offered", "not offered"))]
    assert withhold(counts, sums, minimum=5) == {"offered", "not offered"}


def test_zero_is_withheld_too() -> None:
    counts = {"offered": 0, "not offered": 12, "all": 12}
    assert withhold(counts, [Sum("all", ("offered", "not offered"))], minimum=5) == {
        "offered",
        "not offered",
    }


def test_two_small_counts_hide_each_other_when_together_they_reach_the_minimum() -> None:
    counts = {"accepted": 3, "declined": 2, "pending": 35, "offered": 40}
    sums = [Sum("offered", ("accepted", "declined", "pending"))]
    assert withhold(counts, sums, minimum=5) == {"accepted", "declined"}


def test_two_withheld_cells_may_add_up_to_under_the_minimum_if_neither_can_be_told() -> None:
    # accepted + declined = 40 - 37 = 3 is known, but not how the 3 divide.
    counts = {"accepted": 1, "declined": 2, "pending": 37, "offered": 40}
    sums = [Sum("offered", ("accepted", "declined", "pending"))]
    hidden = withhold(counts, sums, minimum=5)
    assert hidden == {"accepted", "declined"}
    assert movable(counts, sums, set(hidden)) == hidden


def test_withheld_cells_shown_to_add_up_to_nothing_are_withheld_with_more() -> None:
    # accepted + declined = 40 - 40 = 0 would say no one answered: both pinned at 0.
    counts = {"accepted": 0, "declined": 0, "pending": 40, "offered": 40}
    sums = [Sum("offered", ("accepted", "declined", "pending"))]
    assert withhold(counts, sums, minimum=5) == {"accepted", "declined", "pending"}


def test_in_a_two_way_table_the_row_and_the_column_each_lose_a_second_cell() -> None:
    counts, sums = table({"female": [3, 17], "male": [12, 28]}, ["offered", "not offered"])
    hidden = withhold(counts, sums, minimum=5)
    assert hidden == {
        ("female", "offered"),
        ("female", "not offered"),
        ("male", "offered"),
        ("male", "not offered"),
    }
    # The margins stay, and the women offered support could be anywhere from 0 to 15:
    # each value fixes the other three cells through the margins, all non-negative.
    possible = {
        women
        for women in range(61)
        if min(20 - women, 15 - women, 40 - (15 - women), 45 - (20 - women)) >= 0
    }
    assert possible == set(range(16))
    assert movable(counts, sums, set(hidden)) == hidden


def test_the_smallest_cell_is_the_one_given_up() -> None:
    counts, sums = table({"a": [2, 50], "b": [30, 60], "c": [9, 40]}, ["offered", "not offered"])
    hidden = withhold(counts, sums, minimum=5)
    assert ("c", "offered") in hidden  # 9, rather than b's 30
    assert ("b", "offered") not in hidden and ("b", "not offered") not in hidden


def test_cells_to_keep_if_possible_are_the_last_chosen() -> None:
    counts = {"offered": 3, "not offered": 7, "all": 10}
    sums = [Sum("all", ("offered", "not offered"))]
    assert withhold(counts, sums, minimum=5, keep_if_possible={"not offered"}) == {
        "offered",
        "all",
    }


def test_cells_withheld_elsewhere_stay_withheld_and_are_protected_in_turn() -> None:
    counts = {"offered": 30, "not offered": 70, "all": 100}
    sums = [Sum("all", ("offered", "not offered"))]
    assert withhold(counts, sums, minimum=5, withheld={"offered"}) == {"offered", "not offered"}


def test_nothing_is_withheld_when_every_count_reaches_the_minimum() -> None:
    counts, sums = table({"a": [5, 9], "b": [6, 20]}, ["yes", "no"])
    assert withhold(counts, sums, minimum=5) == frozenset()


def test_the_audit_finds_a_cell_that_every_sum_leaves_two_withheld_yet_gives_away() -> None:
    # Every row and column has two or more withheld cells, which is all rule 2 asks,
    # yet rows 1 and 2 and columns 1 and 2 together pin (r2, c3): the other withheld
    # cells of row 2 are known as a pair from the columns and row 1.
    counts, sums = table(
        {"r1": [10, 11, 12], "r2": [13, 14, 15], "r3": [16, 17, 18]}, ["c1", "c2", "c3"]
    )
    pattern = {
        ("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2"),
        ("r3", "c3"), ("r3", "total"), ("all", "c3"), ("all", "total"),
        ("r2", "c3"),
    }  # fmt: skip
    for one_sum in sums:
        assert len(pattern & set(one_sum.cells)) != 1
    assert pinned(counts, sums, pattern) == {("r2", "c3")}

    hidden = withhold(counts, sums, minimum=5, withheld=pattern)
    assert pattern < hidden
    assert pinned(counts, sums, hidden) == set()


def test_the_audit_finds_a_cell_pinned_because_counts_cannot_be_negative() -> None:
    # a + b = 6 and a + c = 0 shown: c and a must both be 0, so b is 6.
    counts = {"a": 0, "b": 6, "c": 0, "ab": 6, "ac": 0}
    sums = [Sum("ab", ("a", "b")), Sum("ac", ("a", "c"))]
    assert pinned(counts, sums, {"a", "b", "c"}) == {"a", "b", "c"}


def movable(counts: Mapping[Cell, int], sums: list[Sum[Cell]], hidden: set[Cell]) -> set[Cell]:
    """The withheld cells that some other filling of the table changes (brute force).

    Two fillings that agree with what is shown differ by a sequence of +1/-1 steps around
    cycles of withheld cells, each keeping counts non-negative (a two-way table's sums form
    a network), so trying every change of -1, 0 or +1 per withheld cell finds one if any
    exists. Independent of the audit, which solves integer programs instead.
    """
    unknown = sorted(hidden)
    steps = np.array(list(itertools.product((-1, 0, 1), repeat=len(unknown))))
    value = np.array([counts[cell] for cell in unknown])
    ok = (value + steps >= 0).all(axis=1)
    for one_sum in sums:
        change = np.zeros(len(steps), dtype=int)
        for cell, sign in ((one_sum.total, -1), *((p, 1) for p in one_sum.parts)):
            if cell in hidden:
                change += sign * steps[:, unknown.index(cell)]
        ok &= change == 0
    return {cell for index, cell in enumerate(unknown) if (steps[ok][:, index] != 0).any()}


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from([(2, 2), (2, 3), (3, 2)]).flatmap(
        lambda shape: st.lists(
            st.lists(st.integers(0, 9), min_size=shape[1], max_size=shape[1]),
            min_size=shape[0],
            max_size=shape[0],
        )
    ),
    st.integers(2, 5),
)
def test_no_withheld_cell_of_any_small_table_can_be_worked_out(
    rows: list[list[int]], minimum: int
) -> None:
    columns = [f"c{j}" for j in range(len(rows[0]))]
    counts, sums = table({f"r{i}": r for i, r in enumerate(rows)}, columns)
    hidden = set(withhold(counts, sums, minimum=minimum))

    assert {cell for cell, count in counts.items() if count < minimum} <= hidden
    for one_sum in sums:
        assert len(hidden & set(one_sum.cells)) != 1
    assert movable(counts, sums, hidden) == hidden
