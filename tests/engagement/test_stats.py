"""The tests of association, against values computed independently (independent.py)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.stats import associate
from tests.engagement import independent

# The research's own finding on the offer of support by referring agency, rebuilt from its
# counts and percentages: police 220 of 891 (24.7%), external agencies 137 of 1,191 (11.5%).
REFERRING_AGENCY = [[220, 671], [137, 1054]]


@pytest.mark.parametrize(
    ("table", "dof"),
    [
        (REFERRING_AGENCY, 1),
        ([[139, 746], [57, 318], [194, 717]], 2),  # the offer by age: under 18, 18-24, 25+
        ([[12, 128], [14, 43], [67, 90], [5, 2]], 3),
        ([[40, 10, 5], [22, 30, 9], [3, 12, 20], [8, 8, 8]], 6),
        ([[7, 13], [9, 11]], 1),
    ],
)
def test_chi_square_p_value_and_cramers_v_match_an_independent_calculation(
    table: list[list[int]], dof: int
) -> None:
    result = associate(table)
    assert result is not None
    assert result.dof == dof
    assert result.chi2 == pytest.approx(independent.chi_square(table), rel=1e-12)
    assert result.p_value == pytest.approx(
        independent.chi_square_p(independent.chi_square(table), dof), rel=1e-9, abs=1e-300
    )
    assert result.cramers_v == pytest.approx(independent.cramers_v(table), rel=1e-12)
    assert result.n == sum(map(sum, table))


def test_the_research_finding_on_referring_agency_is_reproduced() -> None:
    result = associate(REFERRING_AGENCY)
    assert result is not None
    assert result.p_value < 0.001
    assert result.fisher_p is None  # every expected count is large
    assert result.chi2 == pytest.approx(62.402, abs=1e-3)
    assert result.cramers_v == pytest.approx(0.173, abs=1e-3)


def test_chi_square_is_without_continuity_correction() -> None:
    # 3 1 / 1 3: (ad - bc)^2 n / (row and column totals) = 64 * 8 / 256 = 2.0 exactly;
    # Yates' correction would give 0.5.
    result = associate([[3, 1], [1, 3]])
    assert result is not None
    assert result.chi2 == pytest.approx(2.0)
    assert result.p_value == pytest.approx(math.erfc(1.0))


def test_fisher_runs_for_a_two_by_two_table_with_an_expected_count_under_five() -> None:
    # Fisher's tea-tasting table: the classic two-sided p of 34/70.
    result = associate([[3, 1], [1, 3]])
    assert result is not None
    assert result.fisher_p == pytest.approx(34 / 70)
    assert result.decisive_p == result.fisher_p
    assert result.expected_counts_small


@pytest.mark.parametrize(
    "table",
    [
        [[2, 9], [7, 3]],
        [[0, 6], [5, 2]],
        [[1, 30], [6, 25]],
        [[4, 4], [4, 40]],
    ],
)
def test_fisher_matches_an_enumeration_of_every_table_with_the_same_margins(
    table: list[list[int]],
) -> None:
    result = associate(table)
    assert result is not None and result.fisher_p is not None
    assert result.fisher_p == pytest.approx(independent.fisher_two_sided(table), rel=1e-9)


def test_no_fisher_when_every_expected_count_is_five_or_more_or_the_table_is_larger() -> None:
    large = associate([[20, 30], [25, 25]])
    assert large is not None and large.fisher_p is None
    wide = associate([[1, 5], [6, 2], [3, 3]])
    assert wide is not None and wide.fisher_p is None and wide.expected_counts_small


def test_independence_gives_nothing() -> None:
    result = associate([[10, 20], [30, 60]])
    assert result is not None
    assert (result.chi2, result.p_value, result.cramers_v) == (
        pytest.approx(0.0),
        pytest.approx(1.0),
        pytest.approx(0.0),
    )


def test_empty_levels_and_outcomes_are_left_out() -> None:
    with_empty_row = associate([[10, 20], [0, 0], [30, 25]])
    without = associate([[10, 20], [30, 25]])
    assert with_empty_row == without


@pytest.mark.parametrize(
    "table",
    [
        [[10, 20]],  # one level
        [[10, 0], [5, 0]],  # one outcome: nobody had the other
        [[0, 0], [0, 0]],
        [[7, 3], [0, 0]],
    ],
)
def test_a_table_that_cannot_show_an_association_is_not_tested(table: list[list[int]]) -> None:
    assert associate(table) is None


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        associate([[1, -1], [2, 2]])


@given(st.lists(st.tuples(st.integers(1, 400), st.integers(1, 400)), min_size=2, max_size=7))
def test_any_table_matches_the_independent_calculation(rows: list[tuple[int, int]]) -> None:
    table = [list(row) for row in rows]
    result = associate(table)
    assert result is not None
    chi2 = independent.chi_square(table)
    assert result.chi2 == pytest.approx(chi2, rel=1e-9, abs=1e-9)
    assert result.p_value == pytest.approx(
        independent.chi_square_p(chi2, len(table) - 1), rel=1e-6, abs=1e-12
    )
    assert result.cramers_v == pytest.approx(independent.cramers_v(table), rel=1e-9, abs=1e-9)
