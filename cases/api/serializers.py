"""Cases over the API. Which fields each reader gets is decided by ``cases.access``
(``case_fields``: by role for staff, by share for partners); these serializers only
leave out what it does not give, and never decide on their own."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from cases.access import CaseField
from cases.choices import AccommodationKind, CaseStatus, EventKind, InvestigationStage, PocRole
from cases.models import Case, CaseEvent, PointOfContact
from cases.selectors import current_agreement
from contacts.models import CommunicationAgreement

FieldsFor = Callable[[Case], frozenset[CaseField]]


class PointOfContactSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=PocRole.choices, help_text="The role they hold.")
    person = serializers.CharField(
        source="person.get_full_name", help_text="The person's name, to ask for them."
    )
    started_at = serializers.DateTimeField(help_text="Since when they hold the role.")
    introduced_by_predecessor = serializers.BooleanField(
        help_text="Whether the person before them introduced them to the victim."
    )

    class Meta:
        model = PointOfContact
        fields = ["role", "person", "started_at", "introduced_by_predecessor"]


class AgreementSerializer(serializers.ModelSerializer):
    """How the victim agreed to be contacted: read it before contacting them."""

    avoid_notes = serializers.CharField(
        required=False,
        help_text="What to avoid, in the navigator's words. Staff only: partners never get it.",
    )

    class Meta:
        model = CommunicationAgreement
        fields = [
            "version",
            "channels",
            "update_interval_days",
            "level_of_detail",
            "contact_windows",
            "avoid_flags",
            "avoid_notes",
            "unsafe_channel",
            "language",
            "interpreter_needed",
            "agreed_on",
            "review_by",
        ]
        extra_kwargs = {
            "version": {"help_text": "The agreement's version; each change is a new one."},
            "channels": {
                "help_text": "Channels the victim agreed to, most preferred first "
                "(phone_call, text, messaging_app, email, in_person, via_navigator, via_ngo)."
            },
            "update_interval_days": {"help_text": "The victim is given news at least this often."},
            "level_of_detail": {"help_text": "How much detail the victim wants."},
            "contact_windows": {
                "help_text": 'When they may be contacted, UK time: [{"days": [0, 1], '
                '"start": "09:00", "end": "17:00"}] (0 is Monday). Empty: any time.'
            },
            "avoid_flags": {"help_text": "What never to do (no_withheld_number, no_voicemail...)."},
            "unsafe_channel": {
                "help_text": "A channel that is unsafe for the victim: never use it."
            },
            "language": {"help_text": "The language to use."},
            "interpreter_needed": {"help_text": "Whether an interpreter is needed."},
            "agreed_on": {"help_text": "When the victim agreed this version."},
            "review_by": {"help_text": "When it is to be reviewed with the victim."},
        }


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices, help_text="What the moment is.")
    at = serializers.DateTimeField(help_text="When it happens.")

    class Meta:
        model = CaseEvent
        fields = ["kind", "at"]


class LocationSerializer(serializers.Serializer):
    address = serializers.CharField(help_text="Where the victim lives now.")
    postcode = serializers.CharField(allow_blank=True, help_text="Its postcode, if known.")
    since = serializers.DateField(allow_null=True, help_text="Since when.")
    accommodation_kind = serializers.ChoiceField(
        choices=AccommodationKind.choices, help_text="What kind of place it is."
    )


@extend_schema_field(AgreementSerializer(allow_null=True))
class AgreementField(serializers.Field):
    """The case's current agreement; its free text only where ``case_fields`` gives it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, case: Case) -> dict[str, Any] | None:
        agreement = current_agreement(case)
        if agreement is None:
            return None
        data = dict(AgreementSerializer(agreement).data)
        if CaseField.AGREEMENT_FREE_TEXT not in self.context["case_fields"](case):
            # Free text may name people and places: partners get the structured terms only.
            data.pop("avoid_notes", None)
        return data


@extend_schema_field(LocationSerializer(allow_null=True))
class LocationField(serializers.Field):
    """Where the victim lives, from their current location record."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, case: Case) -> dict[str, Any] | None:
        location = getattr(case.victim, "location", None)
        if location is None:
            return None
        return {
            "address": location.address,
            "postcode": location.postcode,
            "since": location.since.isoformat() if location.since else None,
            "accommodation_kind": case.victim.accommodation_kind,
        }


class FieldsByAccessSerializer(serializers.ModelSerializer):
    """Writes only the fields ``context["case_fields"](case)`` gives (``FIELD_GIVES``)."""

    FIELD_GIVES: dict[str, CaseField] = {}

    def to_representation(self, instance: Case) -> dict[str, Any]:
        fields_for: FieldsFor = self.context["case_fields"]
        allowed = fields_for(instance)
        data: dict[str, Any] = {}
        for field in self._readable_fields:
            if self.FIELD_GIVES[field.field_name] not in allowed:
                continue  # never read, so never sent
            try:
                attribute = field.get_attribute(instance)
            except SkipField:  # noqa: S112 - a field with nothing to show is left out, as in DRF
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if check is None else field.to_representation(attribute)
        return data


SUMMARY_FIELDS = {
    "reference": CaseField.REFERENCE,
    "victim": CaseField.VICTIM,
    "status": CaseField.STATUS,
    "police_force": CaseField.POLICE_FORCE,
    "investigation_stage": CaseField.INVESTIGATION_STAGE,
    "points_of_contact": CaseField.POINTS_OF_CONTACT,
}
DETAIL_FIELDS = {
    **SUMMARY_FIELDS,
    "preferred_name": CaseField.PREFERRED_NAME,
    "language": CaseField.LANGUAGE,
    "interpreter_needed": CaseField.LANGUAGE,
    "agreement": CaseField.AGREEMENT,
    "events": CaseField.EVENTS,
    "location": CaseField.LOCATION,
}
OPTIONAL = " Given only when your role, or your organisation's share of the case, covers it."


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A partner's view (default share)",
            value={
                "reference": "C-7K2Q9X",
                "victim": "V-4MJ8PD",
                "status": "open",
                "police_force": "Northshire Police",
                "points_of_contact": [
                    {
                        "role": "navigator",
                        "person": "Nadia Example",
                        "started_at": "2026-02-02T09:00:00Z",
                        "introduced_by_predecessor": False,
                    }
                ],
            },
            response_only=True,
        )
    ]
)
class CaseSummarySerializer(FieldsByAccessSerializer):
    """A case in a list: its pseudonymous references and who to ask. Details, and the
    victim's own, are in the case itself (and reading them is logged)."""

    FIELD_GIVES = SUMMARY_FIELDS

    reference = serializers.CharField(help_text="The case's reference: use it to fetch the case.")
    victim = serializers.CharField(
        source="victim.reference", help_text="The victim's pseudonymous reference (not a name)."
    )
    status = serializers.ChoiceField(
        choices=CaseStatus.choices, help_text="Open, paused at the victim's request, or closed."
    )
    police_force = serializers.CharField(
        source="police_force.name", required=False, help_text="The investigating force." + OPTIONAL
    )
    investigation_stage = serializers.ChoiceField(
        choices=InvestigationStage.choices, required=False, help_text="Staff only."
    )
    points_of_contact = PointOfContactSerializer(
        source="current_contacts",
        many=True,
        required=False,
        help_text="Who the victim deals with now, one per role." + OPTIONAL,
    )

    class Meta:
        model = Case
        fields = list(SUMMARY_FIELDS)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A partner's view (default share)",
            value={
                "reference": "C-7K2Q9X",
                "victim": "V-4MJ8PD",
                "status": "open",
                "police_force": "Northshire Police",
                "points_of_contact": [
                    {
                        "role": "navigator",
                        "person": "Nadia Example",
                        "started_at": "2026-02-02T09:00:00Z",
                        "introduced_by_predecessor": False,
                    }
                ],
                "preferred_name": "Ama",
                "language": "Twi",
                "interpreter_needed": True,
                "agreement": {
                    "version": 2,
                    "channels": ["text", "phone_call"],
                    "update_interval_days": 7,
                    "level_of_detail": "headline",
                    "contact_windows": [
                        {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}
                    ],
                    "avoid_flags": ["no_withheld_number"],
                    "unsafe_channel": "email",
                    "language": "Twi",
                    "interpreter_needed": True,
                    "agreed_on": "2026-02-02",
                    "review_by": "2026-05-02",
                },
                "events": [{"kind": "interview", "at": "2026-03-09T10:00:00Z"}],
            },
            response_only=True,
        ),
        OpenApiExample(
            "An accommodation provider's view (location added)",
            value={
                "reference": "C-7K2Q9X",
                "victim": "V-4MJ8PD",
                "status": "open",
                "preferred_name": "Ama",
                "location": {
                    "address": "1 Example Row, Exampletown",
                    "postcode": "ZZ1 1ZZ",
                    "since": "2026-03-01",
                    "accommodation_kind": "safe_house",
                },
            },
            response_only=True,
        ),
    ]
)
class CaseDetailSerializer(CaseSummarySerializer):
    """A case, with what your role or share gives. Reading it is written to the access log,
    with your organisation and the key's prefix."""

    FIELD_GIVES = DETAIL_FIELDS

    preferred_name = serializers.CharField(
        source="victim.preferred_name",
        required=False,
        help_text="What the victim likes to be called (never their full name)." + OPTIONAL,
    )
    language = serializers.CharField(
        source="victim.preferred_language", required=False, help_text="Their language." + OPTIONAL
    )
    interpreter_needed = serializers.BooleanField(
        source="victim.interpreter_needed", required=False, help_text=OPTIONAL.strip()
    )
    agreement = AgreementField(
        help_text="The current communication agreement, or null if none." + OPTIONAL,
    )
    events = EventSerializer(
        source="upcoming_events",
        many=True,
        required=False,
        help_text="Hard moments to come (interviews, hearings, decisions). A partner sees "
        "those it has been sent a notice of." + OPTIONAL,
    )
    location = LocationField(
        help_text="Where the victim lives: only for the accommodation provider the share "
        "names, or null if not recorded." + OPTIONAL,
    )

    class Meta(CaseSummarySerializer.Meta):
        fields = list(DETAIL_FIELDS)
