"""After a load test: is every contact the load generator saw saved in the database?

    python manage.py check_load_contacts var/load/saved-contacts.txt

The file holds the submission key of each contact whose form was answered as saved (a
redirect to the case page), one a line. Prints how many were answered as saved, how many
of those are in the database, and how many contacts the database holds from forms at
all; exits with an error when any answered as saved is missing.
"""

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.models import CheckIn

CHUNK = 5_000


class Command(BaseCommand):
    help = "Check that every contact a load test saw saved is in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("keys", type=Path, help="the saved contacts' submission keys")

    def handle(self, *args: Any, keys: Path, **options: Any) -> None:
        seen = {uuid.UUID(line) for line in keys.read_text().split() if line}
        found = 0
        ordered = sorted(seen)
        for start in range(0, len(ordered), CHUNK):
            found += CheckIn.objects.filter(
                submission_key__in=ordered[start : start + CHUNK]
            ).count()
        from_forms = CheckIn.objects.filter(submission_key__isnull=False).count()
        self.stdout.write(
            f"Contacts answered as saved: {len(seen):,}; in the database: {found:,} "
            f"(the database holds {from_forms:,} contacts logged through the form)"
        )
        if found != len(seen):
            raise CommandError(
                f"Missing from the database: {len(seen) - found:,} of those answered as saved"
            )
