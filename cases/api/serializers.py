from rest_framework import serializers

from cases.access import may_see_identity
from cases.models import Case, PointOfContact
from contacts.models import CommunicationAgreement


class PointOfContactSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.get_full_name")

    class Meta:
        model = PointOfContact
        fields = ["role", "person", "started_at", "introduced_by_predecessor"]


class AgreementSerializer(serializers.ModelSerializer):
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


class CaseSummarySerializer(serializers.ModelSerializer):
    """What a list shows: pseudonymous references only."""

    victim = serializers.CharField(source="victim.reference")
    police_force = serializers.CharField(source="police_force.name")
    points_of_contact = PointOfContactSerializer(source="current_contacts", many=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "victim",
            "police_force",
            "status",
            "investigation_stage",
            "points_of_contact",
        ]


class CaseDetailSerializer(CaseSummarySerializer):
    agreement = serializers.SerializerMethodField()

    class Meta(CaseSummarySerializer.Meta):
        fields = [*CaseSummarySerializer.Meta.fields, "agreement"]

    def get_agreement(self, case: Case) -> dict | None:  # type: ignore[type-arg]
        from cases.selectors import current_agreement

        agreement = current_agreement(case)
        if agreement is None:
            return None
        data = dict(AgreementSerializer(agreement).data)
        role = getattr(self.context.get("request"), "user", None)
        if not may_see_identity(getattr(role, "role", "")):
            # Free text may name people and places: partners get the structured terms only.
            data.pop("avoid_notes", None)
        return data
