"""Importing a force's file: good rows, bad rows with their line and column, and no surprises."""

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from engagement.models import PoliceRecord
from engagement.records import COLUMN_NAMES, COLUMNS
from tests.factories import PoliceForceFactory
from tests.personas import World

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMN_NAMES)
GOOD = [
    "Force A,CR/1,2021-02-03,female,25_34,non_uk,nrm,external,sexual;labour,both,"
    "no,yes,yes,yes,positive",
    "Force A,CR/2,2020-12-31,male,,uk,ms1,police,criminal,uk_only,yes,no,no,,unknown",
    "force b ,CR/1,2022-05-06,not_stated,under_18,uk,none,police,other,overseas_only,"
    "no,no,yes,no,negative",
]
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "police-records-example.csv"


def write(tmp_path: Path, *lines: str, header: str = HEADER, bom: bool = False) -> Path:
    path = tmp_path / "records.csv"
    path.write_text(("\ufeff" if bom else "") + "\n".join([header, *lines]) + "\n", "utf-8")
    return path


def run(path: Path, **options: object) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_police_records", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(path: Path, **options: object) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_police_records", str(path), stdout=StringIO(), stderr=err, **options)
    return err.getvalue()


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_a_good_file_is_imported_with_the_codes_navigator_uses(world: World, tmp_path) -> None:
    out, err = run(write(tmp_path, *GOOD, bom=True))
    assert "3 rows read: 3 new, 0 updated, 0 unchanged" in out
    assert err == ""

    first = PoliceRecord.objects.get(force=world.force_a, crime_reference="CR/1")
    assert first.recorded_on == date(2021, 2, 3)
    assert first.exploitation_types == ["labour", "sexual"]  # one order, whatever the file's
    assert (first.support_offered, first.support_accepted, first.engagement) == (
        True,
        "yes",
        "positive",
    )
    second = PoliceRecord.objects.get(force=world.force_a, crime_reference="CR/2")
    assert second.victim_age_band == ""  # blank: not known
    assert (second.support_offered, second.support_accepted) == (False, "unknown")
    assert (second.county_lines, second.offender_identified) == (True, False)
    # Force names match whatever their letter case or spacing; references are per force.
    assert PoliceRecord.objects.get(force=world.force_b).crime_reference == "CR/1"


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_the_same_file_twice_changes_nothing(world: World, tmp_path) -> None:
    path = write(tmp_path, *GOOD)
    run(path)
    before = list(PoliceRecord.objects.order_by("pk").values())
    with time_machine.travel("2026-03-09 12:00 +00:00", tick=False):
        out, _ = run(path)
    assert "3 rows read: 0 new, 0 updated, 3 unchanged" in out
    assert list(PoliceRecord.objects.order_by("pk").values()) == before


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_a_corrected_row_updates_its_record_and_only_that(world: World, tmp_path) -> None:
    run(write(tmp_path, *GOOD))
    corrected = GOOD[1].replace(",unknown", ",negative")
    out, _ = run(write(tmp_path, GOOD[0], corrected, GOOD[2]))
    assert "0 new, 1 updated, 2 unchanged" in out
    assert PoliceRecord.objects.get(crime_reference="CR/2").engagement == "negative"
    assert PoliceRecord.objects.count() == 3


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_each_bad_row_is_reported_by_line_and_column_and_nothing_is_written(
    world: World, tmp_path
) -> None:
    path = write(
        tmp_path,
        GOOD[0],
        "Force Z,CR/3,2021-02-03,female,25_34,non_uk,nrm,external,sexual,both,"
        "no,yes,yes,yes,positive",
        "Force A,CR/4,03/02/2021,woman,25-34,non_uk,nrm,external,theft,both,no,yes,yes,,positive",
        "Force A,CR/5,2021-02-30,male,18_24,uk,nrm,police,criminal,uk_only,no,no,no,yes,positive",
        "Force A,CR/6,2026-03-03,male,18_24,uk,nrm,police,,uk_only,maybe,no,yes,yes,engaged",
        "Force A,CR/1,2021-02-03,female,25_34,non_uk,nrm,external,sexual,both,no,yes,no,,unknown",
        ",,,,,,,,,,,,,,",
    )
    err = refused(path)
    assert PoliceRecord.objects.count() == 0
    for expected in [
        'line 3, force: no police force called "Force Z" in Navigator',
        'line 4, recorded_on: "03/02/2021" is not a date as YYYY-MM-DD',
        'line 4, victim_sex: "woman" is not one of female, male, other, not_stated',
        'line 4, victim_age_band: "25-34" is not one of',
        "line 4, exploitation_types: theft not among criminal, labour, sexual",
        "line 4, support_accepted: blank, but support was offered: give yes or no",
        'line 5, recorded_on: "2021-02-30" is not a real date',
        "line 5, support_accepted: must be blank when support was not offered",
        "line 6, recorded_on: 2026-03-03 is in the future",
        "line 6, exploitation_types: blank: give at least one type",
        'line 6, county_lines: "maybe" is not one of yes, no',
        'line 6, engagement: "engaged" is not one of positive, negative, unknown',
        "line 7, crime_reference: this force's CR/1 is already on line 2",
        "line 8, force: blank",
    ]:
        assert expected in err


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_skipping_bad_rows_imports_the_good_and_still_lists_the_bad(world: World, tmp_path) -> None:
    bad = GOOD[1].replace(",ms1,", ",nrn,")
    out, err = run(write(tmp_path, GOOD[0], bad, GOOD[2]), skip_bad_rows=True)
    assert 'line 3, referral_route: "nrn" is not one of nrm, ms1, none' in err
    assert "3 rows read: 2 new, 0 updated, 0 unchanged, 1 bad rows skipped" in out
    assert set(PoliceRecord.objects.values_list("crime_reference", flat=True)) == {"CR/1"}


def test_a_missing_column_stops_the_import_before_any_row(world: World, tmp_path) -> None:
    header = HEADER.replace(",offender_identified", "")
    err = refused(write(tmp_path, "a,b,c", header=header))
    assert "line 1, offender_identified: this column is missing" in err
    assert "The header row must name these columns" in err


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_columns_beyond_the_format_are_ignored_and_never_stored(world: World, tmp_path) -> None:
    out, _ = run(write(tmp_path, GOOD[0] + ",Jane Example", header=HEADER + ",victim_name"))
    assert "Ignored columns not in the format: victim_name" in out
    stored = PoliceRecord.objects.values().get()
    assert "Jane Example" not in str(stored)


def test_a_file_that_is_not_utf8_is_refused(world: World, tmp_path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes((HEADER + "\n").encode() + "Force A,CR/\xe9".encode("latin-1") + b"\n")
    assert "file: not UTF-8 text" in refused(path)


def test_a_file_that_cannot_be_read_says_so(tmp_path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_police_records", str(tmp_path / "missing.csv"))


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_the_documented_example_file_imports_into_the_demo(tmp_path) -> None:
    # The demo's two forces (cases/management/commands/seed_demo.py).
    PoliceForceFactory(name="Northshire Constabulary (demo)")
    PoliceForceFactory(name="Southvale Police (demo)")
    out, err = run(EXAMPLE)
    assert "10 rows read: 10 new" in out and err == ""


def test_the_readme_documents_every_column_and_its_values() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    documented = {}
    for line in readme.splitlines():
        found = re.fullmatch(r"\| `(\w+)` \| (.*) \|", line)
        if found and found[1] in COLUMN_NAMES:
            documented[found[1]] = re.findall(r"`(\w+)`", found[2])
    assert list(documented) == list(COLUMN_NAMES)
    for column in COLUMNS:
        assert set(column.values) <= set(documented[column.name]), column.name


@time_machine.travel("2026-03-02 12:00 +00:00", tick=False)
def test_one_problem_down_the_whole_file_is_listed_a_few_times_then_counted(
    world: World, tmp_path
) -> None:
    lines = [
        GOOD[1].replace("Force A", "Eastmoor Police").replace("CR/2", f"E/{n}") for n in range(40)
    ]
    err = refused(write(tmp_path, *lines))
    assert err.count('no police force called "Eastmoor Police" in Navigator') == 3
    assert "an administrator adds it in the admin" in err
    assert "... and 37 more lines with that problem" in err
