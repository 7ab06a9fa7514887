"""What each test of association says, in words a supervisor can act on."""

import pytest

from engagement.factors import (
    ENGAGEMENT,
    SUPPORT_ACCEPTED,
    SUPPORT_OFFERED,
    factor_named,
)
from engagement.findings import find, lower_first, p_words
from engagement.tables import Counts, Row

AGENCY = factor_named("referring_agency")
AGE = factor_named("victim_age_band")
SEX = factor_named("victim_sex")
NATIONALITY = factor_named("victim_nationality")


def rows(
    factor, groups: dict[str, Counts], withheld: dict[str, set[str]] | None = None
) -> list[Row]:
    withheld = withheld or {}
    return [
        Row(
            factor.level(code),
            {k: None if k in withheld.get(code, set()) else v for k, v in counts.cells().items()},
        )
        for code, counts in groups.items()
    ]


def test_the_research_finding_reads_as_the_issue_asks() -> None:
    finding = find(
        SUPPORT_OFFERED,
        AGENCY,
        rows(AGENCY, {"police": Counts(891, 220), "external": Counts(1191, 137)}),
    )
    assert finding.reading == (
        "Victims referred by the police were offered support more often: "
        "24.7% against 11.5%, p < 0.001"
    )
    assert finding.is_clear
    assert finding.association is not None and finding.association.dof == 1


def test_several_levels_name_the_highest_and_the_lowest() -> None:
    finding = find(
        SUPPORT_OFFERED,
        AGE,
        rows(
            AGE,
            {"under_18": Counts(885, 139), "18_24": Counts(375, 57), "25_34": Counts(911, 194)},
        ),
    )
    assert finding.reading == (
        "Victims aged 25 to 34 were offered support most often (21.3%) and "
        "victims aged 18 to 24 least often (15.2%), p = 0.003"
    )


def test_no_clear_difference_says_so_with_its_p_value() -> None:
    finding = find(
        SUPPORT_ACCEPTED,
        AGENCY,
        rows(AGENCY, {"police": Counts(300, 117, 32, 85), "external": Counts(300, 276, 78, 198)}),
    )
    assert finding.reading.startswith(
        "No clear difference in acceptance of support by who referred the case (p = 0."
    )
    assert not finding.is_clear


def test_acceptance_is_tested_among_those_offered_with_an_answer() -> None:
    # Offered 40 and 40; answered 30 and 20; accepted 24 of 30 against 4 of 20.
    finding = find(
        SUPPORT_ACCEPTED,
        SEX,
        rows(SEX, {"female": Counts(100, 40, 24, 6), "male": Counts(100, 40, 4, 16)}),
    )
    assert "80.0% against 20.0%" in finding.reading
    assert finding.reading.startswith("Female victims accepted the support offered more often")


def test_a_small_table_reads_fishers_exact_test() -> None:
    finding = find(
        ENGAGEMENT,
        SEX,
        rows(SEX, {"female": Counts(8, 0, 0, 0, 7, 1), "male": Counts(9, 0, 0, 0, 1, 8)}),
    )
    assert finding.association is not None and finding.association.fisher_p is not None
    assert finding.reading.endswith("(Fisher's exact test)")
    assert "Fisher's exact test is read" in finding.note


def test_levels_not_recorded_are_shown_but_never_tested() -> None:
    finding = find(
        SUPPORT_OFFERED,
        SEX,
        rows(
            SEX,
            {"female": Counts(50, 20), "male": Counts(60, 10), "not_stated": Counts(500, 490)},
        ),
    )
    assert [level.code for level in finding.tested] == ["female", "male"]
    assert finding.left_out == ()
    assert finding.association is not None and finding.association.n == 110


def test_levels_with_withheld_figures_are_left_out_of_the_test_and_named() -> None:
    finding = find(
        SUPPORT_OFFERED,
        SEX,
        rows(
            SEX,
            {"female": Counts(50, 20), "male": Counts(60, 10), "other": Counts(3, 2)},
            withheld={"other": {"offered", "not_offered"}},
        ),
    )
    assert [level.code for level in finding.tested] == ["female", "male"]
    assert finding.note == "Tested without Other: numbers too small to show."


def test_too_little_shown_is_not_tested() -> None:
    finding = find(
        SUPPORT_OFFERED,
        NATIONALITY,
        rows(
            NATIONALITY,
            {"uk": Counts(50, 20), "non_uk": Counts(6, 2)},
            withheld={"non_uk": {"offered", "not_offered"}},
        ),
    )
    assert finding.association is None
    assert finding.reading == (
        "Not tested: too few cases to compare the offer of support between UK and non-UK nationals"
    )


def test_no_variation_is_not_tested() -> None:
    finding = find(
        SUPPORT_OFFERED, AGENCY, rows(AGENCY, {"police": Counts(20, 0), "external": Counts(30, 0)})
    )
    assert finding.association is None
    assert finding.reading.startswith("Not tested: no difference")


@pytest.mark.parametrize(
    ("p", "words"),
    [(0.0004, "p < 0.001"), (0.001, "p = 0.001"), (0.0123, "p = 0.012"), (0.0496, "p = 0.0496"),
     (0.05, "p = 0.050"), (0.41, "p = 0.410")],
)  # fmt: skip
def test_p_values_in_words(p: float, words: str) -> None:
    assert p_words(p) == words


@pytest.mark.parametrize(
    ("words", "lowered"),
    [("Victims under 18", "victims under 18"), ("UK nationals", "UK nationals"),
     ("Non-UK nationals", "non-UK nationals")],
)  # fmt: skip
def test_a_subject_in_the_middle_of_a_sentence(words: str, lowered: str) -> None:
    assert lower_first(words) == lowered
