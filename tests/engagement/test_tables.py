"""A cohort's linked tables: what is shown, what is withheld, and that nothing withheld leaks."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.factors import FACTORS, SUPPORT_OFFERED, factor_named
from engagement.suppression import Sum, pinned
from engagement.tables import TOTAL, Counts, Layout, build, total_of

SEX = factor_named("victim_sex")
AGE = factor_named("victim_age_band")
AGENCY = factor_named("referring_agency")


def group(
    n: int, offered: int, accepted: int, declined: int, positive: int, negative: int
) -> Counts:
    return Counts(n, offered, accepted, declined, positive, negative)


def cohort(by_level: dict[str, dict[str, Counts]]) -> tuple[Counts, dict[str, dict[str, Counts]]]:
    totals = {name: total_of(levels.values()) for name, levels in by_level.items()}
    assert len(set(totals.values())) == 1, "every factor divides the same cohort"
    return next(iter(totals.values())), by_level


def test_nothing_is_withheld_when_every_number_is_large_enough() -> None:
    total, by_factor = cohort(
        {
            "referring_agency": {
                "police": group(891, 220, 60, 160, 40, 60),
                "external": group(1191, 137, 40, 97, 50, 70),
            }
        }
    )
    tables = build(total, by_factor, [AGENCY], minimum=5)
    police = tables.tables[0].rows[0]
    assert all(value is not None for value in police.cells.values())
    assert police.cells["not_offered"] == 671
    assert police.percent(SUPPORT_OFFERED) == pytest.approx(24.69, abs=0.01)
    assert tables.total.cells["n"] == 2082
    assert tables.tables[0].total is tables.total


def test_a_small_level_is_withheld_with_a_second_so_the_total_cannot_give_it_away() -> None:
    total, by_factor = cohort(
        {
            "victim_sex": {
                "female": group(120, 30, 10, 20, 15, 25),
                "male": group(300, 60, 20, 40, 30, 50),
                "other": group(2, 1, 1, 0, 0, 1),
                "not_stated": group(40, 9, 5, 4, 6, 7),
            }
        }
    )
    table = build(total, by_factor, [SEX], minimum=5).tables[0]
    rows = {row.level.code: row for row in table.rows if row.level}
    assert all(value is None for value in rows["other"].cells.values())
    # The cohort's row stays whole, so another level goes with "other" in every column.
    assert all(value is not None for value in table.total.cells.values())
    for kind in table.total.cells:
        withheld = [code for code, row in rows.items() if row.cells[kind] is None]
        assert len(withheld) != 1, kind
    assert rows["male"].cells["n"] == 300


def test_a_measure_small_in_the_whole_cohort_is_withheld_at_every_level_of_every_factor() -> None:
    # Only 3 accepted in the whole cohort: acceptance is withheld at every level, so no
    # two factors together can narrow it down; the offer of support is still shown.
    total, by_factor = cohort(
        {
            "victim_sex": {
                "female": group(50, 20, 2, 18, 10, 12),
                "male": group(60, 25, 1, 24, 12, 14),
                "not_stated": group(10, 5, 0, 5, 5, 5),
            },
            "referring_agency": {
                "police": group(70, 30, 3, 27, 17, 16),
                "external": group(50, 20, 0, 20, 10, 15),
            },
        }
    )
    tables = build(total, by_factor, [SEX, AGENCY], minimum=5)
    assert tables.total.cells["accepted"] is None
    assert tables.total.cells["offered"] == 50
    for table in tables.tables:
        for row in table.rows:
            if row.cells["n"] == 0:  # an empty level: nothing in it to withhold
                continue
            assert row.cells["accepted"] is None and row.cells["declined"] is None
            if row.level and row.level.code in ("female", "male", "police", "external"):
                assert row.cells["offered"] is not None


def test_rows_for_unanswered_offers_and_unknown_engagement_appear_only_when_needed() -> None:
    complete = Layout.of(group(10, 5, 2, 3, 6, 4))
    assert "pending" not in complete.kinds and "unknown" not in complete.kinds
    gaps = Layout.of(group(10, 5, 2, 2, 3, 4))
    assert "pending" in gaps.kinds and "unknown" in gaps.kinds


def test_not_recorded_is_shown_only_when_something_is_not_recorded() -> None:
    total, by_factor = cohort({"victim_age_band": {"25_34": group(30, 10, 5, 5, 10, 10)}})
    codes = [row.level.code for row in build(total, by_factor, [AGE], minimum=5).tables[0].rows]
    assert "" not in codes and "65_plus" in codes  # every band, even empty
    total, by_factor = cohort(
        {"victim_age_band": {"25_34": group(30, 10, 5, 5, 10, 10), "": group(6, 1, 1, 0, 2, 2)}}
    )
    codes = [row.level.code for row in build(total, by_factor, [AGE], minimum=5).tables[0].rows]
    assert codes[-1] == ""


def test_an_empty_level_shows_as_none_where_the_cases_divide_among_others() -> None:
    total, by_factor = cohort(
        {
            "victim_sex": {
                "female": group(50, 20, 5, 15, 10, 12),
                "male": group(60, 25, 6, 19, 12, 14),
            }
        }
    )
    rows = {
        r.level.code: r for r in build(total, by_factor, [SEX], minimum=5).tables[0].rows if r.level
    }
    assert set(rows["other"].cells.values()) == {0}
    assert rows["female"].cells["n"] == 50 and rows["male"].cells["offered"] == 25


def test_an_empty_level_is_withheld_when_it_would_say_everyone_has_the_other() -> None:
    # "No case without sexual exploitation" would say every victim here was sexually exploited.
    sexual = factor_named("exploitation_sexual")
    total, by_factor = cohort({"exploitation_sexual": {"yes": group(40, 20, 5, 15, 10, 12)}})
    rows = build(total, by_factor, [sexual], minimum=5).tables[0].rows
    assert all(value is None for row in rows for value in row.cells.values())


def test_a_value_the_report_does_not_know_is_an_error_not_a_silent_loss() -> None:
    total, by_factor = cohort(
        {"victim_sex": {"female": group(5, 1, 1, 0, 1, 1), "x": group(1, 0, 0, 0, 0, 0)}}
    )
    with pytest.raises(ValueError, match="does not know"):
        build(total, by_factor, [SEX], minimum=5)


def random_cohort(seed: int, size: int) -> tuple[Counts, dict[str, dict[str, Counts]]]:
    rng = random.Random(seed)
    by_factor: dict[str, dict[str, Counts]] = {f.name: {} for f in FACTORS}
    for _ in range(size):
        offered = rng.random() < 0.4
        answer = rng.choice(["yes", "no", "none"]) if offered else "none"
        engagement = rng.choice(["positive", "negative", "unknown"])
        one = group(
            1,
            int(offered),
            int(answer == "yes"),
            int(answer == "no"),
            int(engagement == "positive"),
            int(engagement == "negative"),
        )
        for factor in FACTORS:
            codes = [level.code for level in factor.levels]
            if factor.not_recorded is not None:
                codes.append(factor.not_recorded.code)
            code = rng.choice(codes[: rng.randint(2, len(codes))])
            by_factor[factor.name][code] = by_factor[factor.name].get(code, Counts()) + one
    return total_of(by_factor["victim_sex"].values()), by_factor


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.integers(8, 90), st.integers(3, 6))
def test_no_withheld_number_can_be_worked_out_even_from_every_table_at_once(
    seed: int, size: int, minimum: int
) -> None:
    total, by_factor = random_cohort(seed, size)
    tables = build(total, by_factor, FACTORS, minimum=minimum)

    # One system of every table together: the cohort's row is shared by all of them.
    cells: dict[tuple[str, str], int] = {}
    hidden: set[tuple[str, str]] = set()
    sums: list[Sum[tuple[str, str]]] = []
    layout = tables.layout
    full = {kind: value for kind, value in total.cells().items() if kind in layout.kinds}
    for kind, value in full.items():
        cells[TOTAL, kind] = value
        if tables.total.cells[kind] is None:
            hidden.add((TOTAL, kind))
    sums += layout.row_sums(TOTAL)
    for table in tables.tables:
        keys = []
        for row in table.rows:
            assert row.level is not None
            key = f"{table.factor.name}:{row.level.code}"
            keys.append(key)
            counts = by_factor[table.factor.name].get(row.level.code, Counts()).cells()
            sizeable = sum(c.n >= minimum for c in by_factor[table.factor.name].values())
            for kind, shown in row.cells.items():
                cells[key, kind] = counts[kind]
                if counts[kind] < minimum and not (counts["n"] == 0 and sizeable >= 2):
                    assert shown is None, (key, kind)
                if shown is None:
                    hidden.add((key, kind))
                else:
                    assert shown == counts[kind]
            sums += layout.row_sums(key)
        sums += [Sum((TOTAL, kind), tuple((key, kind) for key in keys)) for kind in layout.kinds]

    assert pinned(cells, sums, hidden) == set()
