from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cases import access
from cases.choices import PocRole
from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover
from handovers.selectors import may_read_details

AGREEMENT_EXAMPLE = {
    "version": 3,
    "channels": ["text", "phone_call"],
    "update_interval_days": 7,
    "level_of_detail": "headline",
    "contact_windows": [{"days": [0, 1, 2, 3, 4], "start": "10:00", "end": "17:00"}],
    "avoid_flags": ["no_withheld_number"],
    "unsafe_channel": "",
    "language": "Romanian",
    "interpreter_needed": True,
    "agreed_on": "2026-02-10",
    "review_by": "2026-05-10",
}
EXAMPLE = {
    "id": 318,
    "case": "C-7K2Q9X",
    "kind": "support_referral",
    "point_of_contact_role": None,
    "from_organisation": "North Navigators",
    "from_person": "Nadia Navigator",
    "to_organisation": "Haven",
    "to_person": None,
    "state": "sent",
    "sent_at": "2026-03-02T09:00:00Z",
    "acknowledged_at": None,
    "decided_at": None,
    "introduced_by_predecessor": None,
    "details": {
        "reason": "She asked for counselling, which Haven provides.",
        "needs_and_risks": "Prefers women staff. Afraid of being seen near her old work.",
        "agreement": AGREEMENT_EXAMPLE,
        "decline_reason": "",
    },
}


class HandoverDetailsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What the sender wrote for the receiver: given to the receiver, never to others."""

    reason = serializers.CharField(help_text="Why it is handed over.")
    needs_and_risks = serializers.CharField(
        help_text="The victim's needs and risks, so they need not tell their story again."
    )
    agreement = serializers.JSONField(
        help_text=(
            "The communication agreement's structured terms when the handover was sent "
            "(empty if none was recorded): keep in touch as the victim agreed."
        )
    )
    decline_reason = serializers.CharField(help_text="Why it was declined, if it was.")


@extend_schema_serializer(
    examples=[
        OpenApiExample("A referral waiting for you", value=EXAMPLE, response_only=True),
        OpenApiExample(
            "A handover you see through a share, to someone else",
            value={**EXAMPLE, "to_organisation": "Ark Housing", "details": None},
            response_only=True,
        ),
    ]
)
class HandoverSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Responsibility for part of the victim's support, passed to an organisation or person."""

    id = serializers.IntegerField(help_text="The handover's id.")
    case = serializers.CharField(source="case.reference", help_text="The case's reference.")
    kind = serializers.ChoiceField(choices=HandoverKind.choices, help_text="What is handed over.")
    point_of_contact_role = serializers.ChoiceField(
        source="poc_role",
        choices=PocRole.choices,
        allow_null=True,
        help_text="For a change of point of contact: the role the receiver takes on.",
    )
    from_organisation = serializers.CharField(
        source="from_organisation.name", help_text="The organisation handing over."
    )
    from_person = serializers.CharField(
        allow_null=True,
        help_text="Who sent it; null on a handover to someone else (a share gives "
        "organisations, not people).",
    )
    to_organisation = serializers.CharField(
        source="to_organisation.name", help_text="The organisation it is handed to."
    )
    to_person = serializers.CharField(
        allow_null=True,
        help_text="The person it is addressed to, or null when it is for the organisation.",
    )
    state = serializers.ChoiceField(
        choices=HandoverState.choices,
        help_text="`sent`, then `acknowledged`, then `accepted` or `declined`.",
    )
    sent_at = serializers.DateTimeField(help_text="When it was sent.")
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text="When the receiver acknowledged it, or null."
    )
    decided_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was accepted or declined (the state says which)."
    )
    introduced_by_predecessor = serializers.BooleanField(
        allow_null=True,
        help_text="A change of point of contact, accepted: whether the person before "
        "introduced the receiver to the victim.",
    )
    details = serializers.SerializerMethodField(
        help_text="What the sender wrote for the receiver; null unless you are the receiver."
    )

    class Meta:
        model = Handover
        fields = [
            "id",
            "case",
            "kind",
            "point_of_contact_role",
            "from_organisation",
            "from_person",
            "to_organisation",
            "to_person",
            "state",
            "sent_at",
            "acknowledged_at",
            "decided_at",
            "introduced_by_predecessor",
            "details",
        ]

    def to_representation(self, instance: Handover) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["point_of_contact_role"] = data["point_of_contact_role"] or None
        user = self.context["request"].user
        if access.partner_organisation_id(user) is not None and not access.receives_handover(
            user, instance
        ):
            data["from_person"] = data["to_person"] = None
        return data

    @extend_schema_field(HandoverDetailsSerializer(allow_null=True))
    def get_details(self, handover: Handover) -> dict[str, Any] | None:
        if not may_read_details(self.context["request"].user, handover):
            return None
        return {
            "reason": handover.reason,
            "needs_and_risks": handover.needs_and_risks,
            "agreement": handover.agreement,
            "decline_reason": handover.decline_reason,
        }


class AcceptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    introduced_by_predecessor = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required for a change of point of contact: did the person before you "
        "introduce you to the victim? (A new face without an introduction is a warning sign.)",
    )


class DeclineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(
        max_length=1000,
        help_text="Why you decline, so the sender can find someone else. Required.",
    )
