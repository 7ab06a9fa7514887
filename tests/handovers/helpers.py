"""Handovers sent the way people send them: through the service."""

from datetime import datetime
from typing import Any

from handovers.choices import HandoverKind
from handovers.models import Handover
from handovers.services import send_handover
from tests.personas import World


def refer_to_haven(world: World, *, now: datetime | None = None, **extra: Any) -> Handover:
    """Nadia refers case A to Haven (with which it is shared)."""
    fields: dict[str, Any] = {
        "kind": HandoverKind.SUPPORT_REFERRAL,
        "to_organisation": world.haven,
        "reason": "Needs counselling that Haven provides",
        "needs_and_risks": "Afraid of being seen near the old house; prefers women staff.",
    }
    fields.update(extra)
    return send_handover(case=world.case_a, acting_user=world.nadia, now=now, **fields)


def change_navigator(world: World, *, now: datetime | None = None) -> Handover:
    """Nadia hands case A to Noah, her colleague."""
    return send_handover(
        case=world.case_a,
        kind=HandoverKind.POINT_OF_CONTACT,
        to_organisation=world.noah.organisation,
        to_person=world.noah,
        reason="Nadia is moving to another team",
        needs_and_risks="Trusts few people; introduce in person.",
        acting_user=world.nadia,
        now=now,
    )
