"""Erase a victim's data at their request, leaving only the record that it happened."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Staff
from cases.models import Victim
from navigator.errors import PermissionDenied
from privacy.erasure import erase_victim


class Command(BaseCommand):
    help = (
        "Delete everything held about a victim, history included, for good. A removal record "
        "(references and counts) and the access log stay. Export their data first if they "
        "asked for a copy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("victim_reference", help="e.g. V-ABC12")
        parser.add_argument("--by", required=True, help="the administrator's username")
        parser.add_argument(
            "--confirm",
            required=True,
            help="the victim reference again, to show this is the record you mean",
        )

    def handle(self, *args: Any, victim_reference: str, by: str, confirm: str, **opts: Any) -> None:
        if confirm != victim_reference:
            raise CommandError("--confirm does not match the reference; nothing was erased.")
        victim = Victim.objects.filter(reference=victim_reference).first()
        if victim is None:
            raise CommandError(f"No victim has the reference {victim_reference}.")
        administrator = Staff.objects.filter(username=by).first()
        if administrator is None:
            raise CommandError(f"No member of staff has the username {by}.")
        try:
            removal = erase_victim(victim=victim, acting_user=administrator)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        for label, count in sorted(removal.removed["deleted"].items()):
            self.stdout.write(f"  {label}: {count} deleted")
        history = sum(removal.removed["history_rows_deleted"].values())
        self.stdout.write(
            f"Erased {victim_reference}: {history} history rows too. The removal record is kept."
        )
