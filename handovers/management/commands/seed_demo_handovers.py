"""Fictional handovers for the demo, on top of ``seed_demo``: one waiting for Priya's
organisation to acknowledge, and one left unacknowledged past the deadline (its alert is
raised by the sweep the demo runs next)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from cases.choices import CaseStatus, PocRole
from cases.models import Case, PointOfContact
from handovers.choices import HandoverKind
from handovers.models import Handover
from handovers.services import send_handover

RECEIVER = "Harbour Light Trust (demo)"
DEMO = (
    (
        HandoverKind.SUPPORT_REFERRAL,
        timedelta(hours=3),
        "She asked for counselling in her own language, which you provide.",
        "Sleeps badly before court dates. Prefers women staff. Do not call before 10:00.",
    ),
    (
        HandoverKind.ACCOMMODATION_MOVE,
        timedelta(hours=30),
        "Her current room is no longer safe: she was seen near it by someone from the house.",
        "Needs a ground-floor room (knee injury). Frightened of men in uniform at the door.",
    ),
)


class Command(BaseCommand):
    help = "Add fictional handovers to the demo data (after seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="even with DEBUG off")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to add demo handovers with DEBUG off.")
        receiver = Organisation.objects.filter(name=RECEIVER).first()
        if receiver is None:
            raise CommandError("Load the demo first: manage.py seed_demo")
        if Handover.objects.exists():
            self.stdout.write("Handovers are already there; nothing changed.")
            return
        now = timezone.now()
        cases = Case.objects.filter(
            status=CaseStatus.OPEN, shares__organisation=receiver, shares__revoked_at=None
        ).order_by("reference")[: len(DEMO)]
        with transaction.atomic():
            for case, (kind, ago, reason, needs) in zip(cases, DEMO, strict=False):
                navigator = PointOfContact.objects.get(
                    case=case, role=PocRole.NAVIGATOR, ended_at=None
                ).person
                send_handover(
                    case=case,
                    kind=kind,
                    to_organisation=receiver,
                    reason=reason,
                    needs_and_risks=needs,
                    acting_user=navigator,
                    now=now - ago,
                )
        self.stdout.write(self.style.SUCCESS(f"Sent {min(len(cases), len(DEMO))} handovers."))
