"""Write a file of fictional police records in the import's format, to try the report.

    python manage.py make_police_records records.csv --rows 2500 \\
        --police-force "Northshire Constabulary (demo)" --police-force "Southvale Police (demo)"

Every record is invented (engagement.synthetic); the same seed writes the same file.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engagement.synthetic import police_records, write_csv


class Command(BaseCommand):
    help = "Write a CSV of fictional police records in the import's format."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--rows", type=int, default=2500)
        parser.add_argument(
            "--police-force",
            action="append",
            required=True,
            help="a force's name as Navigator knows it (repeat for several)",
        )
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args: Any, file: Path, rows: int, seed: int, **options: Any) -> None:
        if file.exists():
            raise CommandError(f"{file} already exists; choose another name.")
        with file.open("w", encoding="utf-8", newline="") as stream:
            written = write_csv(
                stream,
                police_records(rows, forces=options["police_force"], seed=seed),
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {written:,} fictional records to {file}."))
