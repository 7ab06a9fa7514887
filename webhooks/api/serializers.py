from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from webhooks.models import DisabledReason, WebhookEndpoint
from webhooks.services import DEFAULT_ROTATION_OVERLAP, LONGEST_ROTATION_OVERLAP

ENDPOINT_EXAMPLE = {
    "id": 12,
    "url": "https://casework.haven.example.org/navigator/webhooks",
    "description": "Our case system",
    "enabled": True,
    "disabled_reason": "",
    "disabled_at": None,
    "created_at": "2026-03-02T09:00:00Z",
    "secret_rotated_at": None,
    "previous_secret_expires_at": None,
    "last_delivered_at": "2026-03-02T09:05:13Z",
    "failing_deliveries": 0,
}
SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2Tq4aK8ZtU0="  # noqa: S105 - an example


@extend_schema_serializer(
    examples=[
        OpenApiExample("An endpoint", value=ENDPOINT_EXAMPLE, response_only=True),
        OpenApiExample("Turn it off for now", value={"enabled": False}, request_only=True),
        OpenApiExample(
            "Move it",
            value={"url": "https://casework.haven.example.org/v2/webhooks"},
            request_only=True,
        ),
        OpenApiExample(
            "Turned off by its receiver (it answered 410 Gone)",
            value={
                **ENDPOINT_EXAMPLE,
                "enabled": False,
                "disabled_reason": "gone",
                "disabled_at": "2026-03-05T14:10:02Z",
            },
            response_only=True,
        ),
    ]
)
class EndpointSerializer(serializers.ModelSerializer):
    """Where Navigator posts your organisation's notices as they are written. The secret
    that signs them is never shown here: only when the endpoint is made, or its secret
    rotated."""

    id = serializers.IntegerField(read_only=True, help_text="The endpoint's id.")
    url = serializers.URLField(
        max_length=500,
        help_text="Where to post: https, on a host that resolves to public addresses only.",
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="What it is, for you."
    )
    enabled = serializers.BooleanField(
        required=False,
        help_text="Whether deliveries are sent. Set it false to pause them and true to carry "
        "on: what was missed meanwhile is sent then.",
    )
    disabled_reason = serializers.ChoiceField(
        choices=[("", "Enabled"), *DisabledReason.choices],
        read_only=True,
        help_text="Why it is off: `gone` (it answered 410 Gone) or `by_person`; empty when on.",
    )
    disabled_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it was turned off, or null."
    )
    created_at = serializers.DateTimeField(read_only=True, help_text="When it was made.")
    secret_rotated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When its secret was last rotated, or null."
    )
    previous_secret_expires_at = serializers.DateTimeField(
        source="previous_secret_until",
        read_only=True,
        allow_null=True,
        help_text="Until then deliveries carry a second signature, made with the previous "
        "secret; null when there is none.",
    )

    last_delivered_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When a delivery last got through (a 2xx answer), or null if none has.",
    )
    failing_deliveries = serializers.IntegerField(
        read_only=True,
        help_text="Deliveries that have failed and not got through yet: being tried again, "
        "or given up on after about three days. Their notices are in your feed.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "enabled",
            "disabled_reason",
            "disabled_at",
            "created_at",
            "secret_rotated_at",
            "previous_secret_expires_at",
            "last_delivered_at",
            "failing_deliveries",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Register an endpoint",
            value={
                "url": "https://casework.haven.example.org/navigator/webhooks",
                "description": "Our case system",
            },
            request_only=True,
        )
    ]
)
class EndpointCreateSerializer(EndpointSerializer):
    """A new endpoint: where to post, and what it is for you. It starts enabled."""

    enabled = None  # type: ignore[assignment]

    class Meta(EndpointSerializer.Meta):
        fields = [f for f in EndpointSerializer.Meta.fields if f != "enabled"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Made: keep the secret now",
            value={**ENDPOINT_EXAMPLE, "secret": SECRET_EXAMPLE},
            response_only=True,
        ),
    ]
)
class EndpointWithSecretSerializer(EndpointSerializer):
    """The endpoint and its signing secret, shown this once: keep it where your receiver
    can read it, and verify every delivery with it (any Standard Webhooks library does)."""

    secret = serializers.SerializerMethodField(
        help_text="The signing secret, `whsec_` and base64. Shown only now."
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]

    def get_secret(self, obj: WebhookEndpoint) -> str:
        return str(self.context["secret"])


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rotate, keeping the old secret a day", value={"overlap_hours": 24}, request_only=True
        )
    ]
)
class RotateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    overlap_hours = serializers.IntegerField(
        min_value=0,
        max_value=int(LONGEST_ROTATION_OVERLAP.total_seconds() // 3600),
        default=int(DEFAULT_ROTATION_OVERLAP.total_seconds() // 3600),
        help_text="How long deliveries are signed with the old secret too (0 to end it now).",
    )
