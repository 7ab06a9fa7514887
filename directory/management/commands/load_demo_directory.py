from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation, Role, Staff
from directory.choices import SpecialistRole as R
from directory.models import DirectoryEntry
from directory.services import save_entry

# Fictional entries for the demo's organisations. Phone numbers are from the range Ofcom
# keeps for drama; mailboxes are on the reserved .invalid domain.
DEMO: dict[str, list[dict[str, str]]] = {
    "Northshire Constabulary (demo)": [
        {
            "role": R.TACTICAL_ADVISER,
            "title": "MSHT tactical adviser (interviews), on call",
            "mailbox": "msht.tacad@northshire.invalid",
            "phone": "01632 960101",
            "hours": "Monday to Friday 08:00 to 18:00; out of hours through the control room",
        },
        {
            "role": R.VICTIM_LIAISON_OFFICER,
            "title": "Victim liaison officers",
            "mailbox": "vlo@northshire.invalid",
            "phone": "01632 960102",
            "hours": "Every day 08:00 to 20:00",
        },
        {
            "role": R.MSHT_TEAM,
            "title": "Modern slavery and human trafficking team",
            "mailbox": "msht@northshire.invalid",
            "phone": "01632 960103",
            "hours": "Monday to Friday 09:00 to 17:00",
        },
        {
            "role": R.WITNESS_CARE,
            "title": "Witness care unit",
            "mailbox": "witnesscare@northshire.invalid",
            "phone": "01632 960104",
            "hours": "Monday to Friday 09:00 to 17:00",
        },
    ],
    "Southvale Police (demo)": [
        {
            "role": R.TACTICAL_ADVISER,
            "title": "Interview tactical adviser",
            "mailbox": "tacad@southvale.invalid",
            "hours": "Ask through the mailbox; answered the same working day",
        },
        {
            "role": R.VICTIM_LIAISON_OFFICER,
            "title": "Victim care hub",
            "phone": "01632 960201",
            "hours": "Every day 07:00 to 22:00",
        },
    ],
    "Harbour Light Trust (demo)": [
        {
            "role": R.NGO_CASEWORKER,
            "title": "Caseworkers' duty line",
            "mailbox": "duty@harbourlight.invalid",
            "phone": "01632 960301",
            "hours": "Every day 09:00 to 21:00",
        },
    ],
}
NAVIGATOR_SERVICE_ENTRIES = [
    {
        "role": R.VICTIM_NAVIGATOR,
        "title": "Navigators' duty line",
        "mailbox": "duty@navigators.invalid",
        "phone": "01632 960401",
        "hours": "Monday to Saturday 08:00 to 20:00",
    },
    {
        "role": R.INTERPRETER,
        "title": "Interpreters the victims we support already know",
        "mailbox": "interpreters@navigators.invalid",
        "languages": "Romanian, Albanian, Vietnamese, Tigrinya, Arabic, Polish",
        "hours": "Book two working days ahead",
    },
]


class Command(BaseCommand):
    help = "Fill the directory of specialist roles for the demo's organisations (fictional)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="an administrator")
        parser.add_argument("--navigator-service", required=True, help="its name")

    def handle(self, *args: Any, username: str, navigator_service: str, **options: Any) -> None:
        admin = Staff.objects.filter(username=username, role=Role.ADMIN, is_active=True).first()
        if admin is None:
            raise CommandError(f"No active administrator {username!r}.")
        added = 0
        for name, entries in {**DEMO, navigator_service: NAVIGATOR_SERVICE_ENTRIES}.items():
            organisation = Organisation.objects.filter(name=name).first()
            if organisation is None:
                continue
            for fields in entries:
                if DirectoryEntry.objects.filter(
                    organisation=organisation, title=fields["title"]
                ).exists():
                    continue
                save_entry(acting_user=admin, organisation=organisation, **fields)
                added += 1
        self.stdout.write(f"{added} directory entries added.")
