"""Answer a subject access request: everything held about a victim, to a JSON file."""

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Staff
from cases.models import Victim
from navigator.errors import PermissionDenied
from privacy.subject_access import export_subject_access, to_json


class Command(BaseCommand):
    help = (
        "Write everything held about a victim (the record, its history and who read it) to a "
        "JSON file readable only by you. The export is logged as a read by the administrator "
        "named with --by."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("victim_reference", help="e.g. V-ABC12")
        parser.add_argument("--by", required=True, help="the administrator's username")
        parser.add_argument("--output", required=True, type=Path, help="a new .json file")

    def handle(self, *args: Any, victim_reference: str, by: str, output: Path, **opts: Any) -> None:
        victim = Victim.objects.filter(reference=victim_reference).first()
        if victim is None:
            raise CommandError(f"No victim has the reference {victim_reference}.")
        administrator = Staff.objects.filter(username=by).first()
        if administrator is None:
            raise CommandError(f"No member of staff has the username {by}.")
        try:
            document = export_subject_access(victim=victim, acting_user=administrator)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        try:
            # Created new, readable by its owner only: it holds everything about a person.
            descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{output} exists already; choose a new file.") from None
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(to_json(document))
        self.stdout.write(f"Wrote everything held about {victim.reference} to {output}.")
