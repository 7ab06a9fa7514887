from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role, Staff
from explainers.library import LIBRARY
from explainers.services import load_library


class Command(BaseCommand):
    help = (
        "Load the starting library of explainers (English, with Romanian samples that need a "
        "professional translation). New words become new revisions, waiting for an "
        "administrator to approve them in the admin unless --approve is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="an administrator")
        parser.add_argument(
            "--approve", action="store_true", help="approve them as that administrator"
        )

    def handle(self, *args: Any, username: str, approve: bool = False, **options: Any) -> None:
        admin = Staff.objects.filter(username=username, role=Role.ADMIN, is_active=True).first()
        if admin is None:
            raise CommandError(f"No active administrator {username!r}.")
        added = load_library(library=LIBRARY, acting_user=admin, approve=approve)
        state = "approved" if approve else "waiting for approval in the admin"
        self.stdout.write(f"{added} explainer versions added, {state}.")
