"""A generated file of a few thousand records, imported and reported, against a calculation
made here from the file itself (plain counting and tests/engagement/independent.py)."""

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from engagement.synthetic import police_records, write_csv
from tests.engagement import independent
from tests.personas import World

pytestmark = pytest.mark.django_db

RECORDS = 3000
TYPES = ("criminal", "labour", "sexual", "domestic_servitude", "other")
# Levels that only say nothing was recorded: shown, never tested.
UNRECORDED = {("victim_sex", "not_stated")} | {
    (factor, "not_recorded") for factor in ("victim_age_band", "victim_nationality")
}


def levels_of(row: dict[str, str]) -> dict[str, str]:
    """Each factor's level for one line of the file, read straight from its text."""
    types = row["exploitation_types"].split(";")
    found = {
        name: row[name] or "not_recorded"
        for name in (
            "victim_sex",
            "victim_age_band",
            "victim_nationality",
            "referral_route",
            "referring_agency",
            "exploitation_location",
            "county_lines",
            "offender_identified",
        )
    }
    found |= {f"exploitation_{kind}": "yes" if kind in types else "no" for kind in TYPES}
    found["period"] = "before_2021-01" if row["recorded_on"] < "2021-01-01" else "from_2021-01"
    found["all"] = "all"
    return found


def expected_counts(path: Path) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(measure, factor, level) -> (n, count), counted line by line."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    with path.open() as stream:
        for row in csv.DictReader(stream):
            offered = row["support_offered"] == "yes"
            answered = row["support_accepted"] in ("yes", "no")
            known = row["engagement"] in ("positive", "negative")
            for factor, level in levels_of(row).items():
                pairs = [
                    ("support_offered", True, offered),
                    ("support_accepted", answered, row["support_accepted"] == "yes"),
                    ("engagement", known, row["engagement"] == "positive"),
                ]
                for measure, in_base, outcome in pairs:
                    if in_base:
                        counts[measure, factor, level][0] += 1
                        counts[measure, factor, level][1] += int(outcome)
    return {key: (n, count) for key, (n, count) in counts.items()}


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("engagement_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(world: World, tmp_path: Path) -> Path:
    path = tmp_path / "generated.csv"
    with path.open("w") as stream:
        write_csv(
            stream,
            police_records(
                RECORDS,
                forces=[world.force_a.name, world.force_b.name],
                seed=11,
                first_day=date(2019, 1, 1),
                last_day=date(2023, 12, 31),
            ),
        )
    with time_machine.travel("2026-03-02 12:00 +00:00", tick=False):
        call_command("import_police_records", str(path), stdout=io.StringIO())
    return path


def test_every_figure_and_test_matches_a_calculation_from_the_file(imported: Path) -> None:
    expected = expected_counts(imported)
    rows = list(
        csv.DictReader(
            io.StringIO(
                report("--cohort", "baseline", "--compare-at", "2021-01", "--format", "csv")
            )
        )
    )
    # Per measure: the whole cohort, then every level: period 2, sex 4, age 7 and not
    # recorded, nationality 2, referral 3, referred by 2, five exploitation types 2 each,
    # location 3, county lines 2, offender identified 2.
    assert len(rows) == 3 * (1 + 2 + 4 + 8 + 2 + 3 + 2 + 10 + 3 + 2 + 2)
    shown = withheld = tested = 0
    by_factor: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        key = (row["measure"], row["factor"], row["level"])
        n, count = expected.get(key, (0, 0))
        if row["count"] == "withheld":
            withheld += 1
        elif n == 0:  # a level with no cases, shown where the cases divide among others
            assert (row["n"], row["count"], row["percent"]) == ("0", "0", ""), key
        else:
            shown += 1
            assert (int(row["n"]), int(row["count"])) == (n, count), key
            assert float(row["percent"]) == round(100 * count / n, 1), key
            assert min(count, n - count, n) >= 5, key  # never a small number
        if 0 < n < 5 or count < 5 or n - count < 5:
            assert row["count"] == "withheld" or n == 0, key
        by_factor[row["measure"], row["factor"]].append(row)

    for (measure, factor), levels in by_factor.items():
        if factor == "all":
            continue
        table = [
            [int(r["count"]), int(r["n"]) - int(r["count"])]
            for r in levels
            if r["count"] != "withheld" and (factor, r["level"]) not in UNRECORDED
        ]
        table = [row for row in table if sum(row)]
        if len(table) < 2 or not all(sum(column) for column in zip(*table, strict=True)):
            assert levels[0]["chi2"] == "", (measure, factor)
            continue
        tested += 1
        chi2 = independent.chi_square(table)
        first = levels[0]
        assert float(first["chi2"]) == pytest.approx(chi2, abs=1e-4), (measure, factor)
        assert int(first["dof"]) == len(table) - 1
        assert float(first["p_value"]) == pytest.approx(
            independent.chi_square_p(chi2, len(table) - 1), rel=1e-3
        )
        assert float(first["cramers_v"]) == pytest.approx(independent.cramers_v(table), abs=1e-4)
        smallest_expected = min(min(row) for row in independent.expected(table))
        if len(table) == 2 and smallest_expected < 5:
            assert float(first["fisher_p"]) == pytest.approx(
                independent.fisher_two_sided(table), rel=1e-3
            )
        else:
            assert first["fisher_p"] == ""
        assert all(r["chi2"] == first["chi2"] for r in levels)
    # The file is big enough that most figures show and most factors are tested.
    assert shown > 4 * withheld and tested >= 30


def test_the_research_periods_compare_as_before_and_from_2021(imported: Path) -> None:
    document = json.loads(
        report("--cohort", "baseline", "--compare-at", "2021-01", "--format", "json")
    )
    readings = {(r["measure"], r["factor"]): r["reading"] for r in document["readings"]}
    assert readings["support_offered", "period"].startswith(
        "Victims in cases from January 2021 were offered support more often:"
    )
    assert readings["support_offered", "referring_agency"].startswith(
        "Victims referred by the police were offered support more often:"
    )
    assert document["report"]["minimum_count"] == 5
    offered = next(
        r for r in document["rows"] if r["measure"] == "support_offered" and r["factor"] == "all"
    )
    assert offered["n"] == RECORDS


def test_the_text_report_reads_plainly(imported: Path, world: World) -> None:
    text = report("--cohort", "baseline", "--police-force", "force a", "--since", "2021-01-15")
    assert text.startswith(
        "Engagement report: Police records (imported); Force A; from January 2021"
    )
    assert "Numbers under 5 are withheld" in text
    assert "What stands out (p < 0.05):" in text or "No clear differences." in text


def test_a_period_and_force_the_command_cannot_read_are_refused(imported: Path) -> None:
    with pytest.raises(CommandError, match="not a month"):
        report("--since", "2021/01")
    with pytest.raises(CommandError, match="first month is after the last"):
        report("--since", "2022-01", "--until", "2021-06")
    with pytest.raises(
        CommandError, match=re.escape('No police force called "Force Z". Known: Force A, Force B.')
    ):
        report("--police-force", "Force Z")


def test_side_by_side_compares_the_cohorts(imported: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(report("--cohort", "both", "--format", "csv"))))
    cohorts = {row["cohort"] for row in rows}
    assert cohorts == {"navigator", "baseline", "both"}
    compared = [row for row in rows if row["cohort"] == "both"]
    assert {row["level"] for row in compared} == {"navigator", "baseline"}
    # world's two Navigator cases are far too few to show.
    navigator = next(r for r in compared if r["level"] == "navigator")
    assert navigator["n"] == "withheld"
