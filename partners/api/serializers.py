from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from cases.choices import AccommodationKind
from contacts.choices import Channel, Concern, Outcome
from partners.models import NoticeKind, PartnerAPIKey, PartnerNotice, PartnerReport, ReportKind


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Advance notice of an interview",
            value={
                "id": 4182,
                "kind": "tipping_point",
                "case": "C-7K2Q9X",
                "subject": "Interview for case C-7K2Q9X on Monday 09 March at 10:00",
                "happens_at": "2026-03-09T10:00:00Z",
                "created_at": "2026-03-02T09:05:12Z",
                "acknowledged_at": None,
            },
            response_only=True,
        ),
        OpenApiExample(
            "Sharing ended",
            value={
                "id": 4190,
                "kind": "share_revoked",
                "case": "C-7K2Q9X",
                "subject": "Case C-7K2Q9X is no longer shared with you: the sharing was revoked "
                "on 04 March 2026 at 16:20",
                "happens_at": "2026-03-04T16:20:00Z",
                "created_at": "2026-03-04T16:20:00Z",
                "acknowledged_at": "2026-03-04T16:31:40Z",
            },
            response_only=True,
        ),
    ]
)
class NoticeSerializer(serializers.ModelSerializer):
    """Something your organisation should know about a case it supports. It names the case
    by its pseudonymous reference only: fetch the case for what your share gives."""

    id = serializers.IntegerField(help_text="The notice's id; ids only grow.")
    kind = serializers.ChoiceField(choices=NoticeKind.choices, help_text="What happened.")
    case = serializers.CharField(source="case.reference", help_text="The case's reference.")
    subject = serializers.CharField(help_text="What happened, in a sentence.")
    happens_at = serializers.DateTimeField(
        allow_null=True, help_text="When it happens or happened, if it has a moment."
    )
    created_at = serializers.DateTimeField(help_text="When the notice was written.")
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text="When your organisation acknowledged it, or null."
    )

    class Meta:
        model = PartnerNotice
        fields = ["id", "kind", "case", "subject", "happens_at", "created_at", "acknowledged_at"]


# The feed's rows are read as plain values and written by ``feed_rows``, not by the
# serializer: a page is 100 rows and the feed is read all day by every partner. Both
# write the same JSON (a test compares them); the serializer documents it.
FEED_VALUES = (
    "id",
    "kind",
    "case__reference",
    "subject",
    "happens_at",
    "created_at",
    "acknowledged_at",
)


def in_zone(value: datetime | None, zone: tzinfo) -> datetime | None:
    """A moment in the service's time zone, as DRF shows one (then writes it in ISO 8601,
    ``Z`` for UTC: ``navigator.api.renderers`` writes it the same)."""
    return None if value is None else value.astimezone(zone)


def feed_rows(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Notices of the feed, from ``FEED_VALUES``, written by the feed's renderer exactly as
    ``NoticeSerializer`` writes them."""
    zone = timezone.get_current_timezone()
    return [
        {
            "id": notice_id,
            "kind": kind,
            "case": case,
            "subject": subject,
            "happens_at": in_zone(happens_at, zone),
            "created_at": in_zone(created_at, zone),
            "acknowledged_at": in_zone(acknowledged_at, zone),
        }
        for notice_id, kind, case, subject, happens_at, created_at, acknowledged_at in rows
    ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A key rotated, working through its overlap",
            value={
                "prefix": "AbCd1234",
                "name": "Case system",
                "created": "2026-01-05T10:00:00Z",
                "expires_at": "2026-03-09T10:00:00Z",
                "revoked_at": None,
                "replaced_by": "EfGh5678",
            },
            response_only=True,
        )
    ]
)
class KeySerializer(serializers.ModelSerializer):
    """One of your organisation's API keys: never the key itself, which is shown only once."""

    prefix = serializers.CharField(help_text="The part of the key before the dot: its name.")
    name = serializers.CharField(help_text="What the key is for.")
    created = serializers.DateTimeField(help_text="When it was issued.")
    expires_at = serializers.DateTimeField(
        source="expiry_date", allow_null=True, help_text="When it stops working, if it does."
    )
    revoked_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was revoked, or null."
    )
    replaced_by = serializers.CharField(
        source="replaced_by.prefix",
        allow_null=True,
        help_text="After a rotation, the prefix of the key that took over, or null.",
    )

    class Meta:
        model = PartnerAPIKey
        fields = ["prefix", "name", "created", "expires_at", "revoked_at", "replaced_by"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The victim has moved",
            value={
                "kind": "relocation",
                "happened_at": "2026-03-03T15:00:00Z",
                "accommodation_kind": "safe_house",
                "note": "Moved to our house in another county; call us before visiting.",
            },
            request_only=True,
        ),
        OpenApiExample(
            "A contact with the victim",
            value={
                "kind": "contact",
                "happened_at": "2026-03-03T11:30:00Z",
                "channel": "phone_call",
                "outcome": "reached",
                "concerns": ["safety_fear"],
                "note": "Thinks she saw someone from the house near the shop.",
            },
            request_only=True,
        ),
        OpenApiExample(
            "Recorded",
            value={
                "id": 77,
                "case": "C-7K2Q9X",
                "kind": "contact",
                "happened_at": "2026-03-03T11:30:00Z",
                "accommodation_kind": "",
                "channel": "phone_call",
                "outcome": "reached",
                "concerns": ["safety_fear"],
                "reported_at": "2026-03-03T11:42:05Z",
            },
            response_only=True,
        ),
    ]
)
class ReportSerializer(serializers.ModelSerializer):
    """What your organisation tells the case's team. It reaches the case's points of
    contact at once, as an alert, and shows on the case."""

    id = serializers.IntegerField(read_only=True, help_text="The report's id.")
    case = serializers.CharField(
        source="case.reference", read_only=True, help_text="The case's reference."
    )
    kind = serializers.ChoiceField(
        choices=ReportKind.choices,
        help_text="`relocation`: the victim moved; `contact`: you had contact with them.",
    )
    happened_at = serializers.DateTimeField(help_text="When it happened, with its offset.")
    accommodation_kind = serializers.ChoiceField(
        choices=AccommodationKind.choices,
        required=False,
        allow_blank=True,
        help_text="For a relocation: what kind of place the victim lives in now. Never send "
        "the address here.",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, allow_blank=True, help_text="For a contact."
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, allow_blank=True, help_text="For a contact."
    )
    concerns = serializers.ListField(
        child=serializers.ChoiceField(choices=Concern.choices),
        required=False,
        max_length=len(Concern.values),
        help_text="For a contact: what the victim raised.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        write_only=True,
        help_text="Anything the navigator should know, in your words (read by the case's "
        "navigation team only).",
    )
    reported_at = serializers.DateTimeField(read_only=True, help_text="When it was received.")

    class Meta:
        model = PartnerReport
        fields = [
            "id",
            "case",
            "kind",
            "happened_at",
            "accommodation_kind",
            "channel",
            "outcome",
            "concerns",
            "note",
            "reported_at",
        ]
