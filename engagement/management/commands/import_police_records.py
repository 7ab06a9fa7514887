"""Import a force's file of police-recorded MSHT cases as the engagement report's baseline.

    python manage.py import_police_records FILE.csv
    python manage.py import_police_records FILE.csv --skip-bad-rows

The columns are in the README ("The engagement report") and in engagement/records.py.
A file with any bad row writes nothing, unless --skip-bad-rows imports the good rows;
every bad row is listed with its line number and column either way. Importing the same
file again changes nothing.
"""

from argparse import RawDescriptionHelpFormatter
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engagement.records import COLUMN_NAMES, RowError, columns_help
from engagement.services import import_police_records

# Beyond this many, the rest of the errors are counted rather than listed; and one
# problem repeated down the file (a force not yet in Navigator, dates written another
# way) is listed this many times, then counted.
ERRORS_LISTED = 200
SAME_PROBLEM_LISTED = 3


class Command(BaseCommand):
    help = "Import a force's police-recorded MSHT cases (CSV) as the engagement baseline."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser(
            prog_name,
            subcommand,
            epilog=columns_help(),
            formatter_class=RawDescriptionHelpFormatter,
            **kwargs,
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file, UTF-8, with a header row")
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="import the good rows even if some are bad (the bad are still listed)",
        )

    def handle(self, *args: Any, file: Path, skip_bad_rows: bool, **options: Any) -> None:
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                result = import_police_records(stream, skip_bad_rows=skip_bad_rows)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None

        self.list_errors(result.errors)
        if result.ignored_columns:
            self.stdout.write(
                f"Ignored columns not in the format: {', '.join(result.ignored_columns)}"
            )
        if not result.written:
            if any(error.line == 1 for error in result.errors):
                self.stderr.write(
                    f"The header row must name these columns: {', '.join(COLUMN_NAMES)}"
                )
            raise CommandError(
                f"Nothing imported: {len(result.errors)} problem(s) in {file.name}. Fix them, "
                "or pass --skip-bad-rows to import the good rows."
            )
        bad_lines = len({error.line for error in result.errors})
        summary = (
            f"{result.rows} rows read: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        if bad_lines:
            summary += f", {bad_lines} bad rows skipped"
        self.stdout.write(self.style.SUCCESS(summary + "."))

    def list_errors(self, errors: list[RowError]) -> None:
        seen: Counter[tuple[str, str]] = Counter((error.column, error.message) for error in errors)
        listed: Counter[tuple[str, str]] = Counter()
        shown = 0
        for error in errors:
            problem = (error.column, error.message)
            listed[problem] += 1
            if listed[problem] > SAME_PROBLEM_LISTED or shown >= ERRORS_LISTED:
                continue
            self.stderr.write(str(error))
            shown += 1
            if listed[problem] == SAME_PROBLEM_LISTED and seen[problem] > SAME_PROBLEM_LISTED:
                more = seen[problem] - SAME_PROBLEM_LISTED
                self.stderr.write(f"... and {more} more lines with that problem")
        if len(errors) > shown:
            self.stderr.write(f"{len(errors)} problems in all")
