from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from alerts.sweep import refresh_cases
from audit.log import LogsRecordReadsInAdmin
from cases.models import (
    Case,
    CaseEvent,
    CaseShare,
    ImportantDate,
    PointOfContact,
    Victim,
    VictimLocation,
)
from cases.services import record_relocation, revoke_share
from navigator.admin_mixins import WrittenThroughServicesAdmin


def cases_of_victim(victim_id: int) -> Iterable[Case]:
    return Case.objects.filter(victim_id=victim_id).select_related("victim")


def case_with_victim(case_id: int) -> Iterable[Case]:
    return Case.objects.filter(pk=case_id).select_related("victim")


class PointOfContactInline(WrittenThroughServicesAdmin, admin.TabularInline):
    """Shown with the case; hand-overs go through the service that ends the predecessor."""

    model = PointOfContact
    extra = 0


@admin.register(Victim)
class VictimAdmin(LogsRecordReadsInAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "preferred_name", "accommodation_kind", "created_at"]
    search_fields = ["reference", "full_name", "preferred_name"]
    list_filter = ["accommodation_kind", "interpreter_needed"]

    def cases_read(self, obj: Victim) -> Iterable[Case]:
        return cases_of_victim(obj.pk)


@admin.register(VictimLocation)
class VictimLocationAdmin(LogsRecordReadsInAdmin, SimpleHistoryAdmin):
    """A move is recorded through the service, which tells the partners supporting the victim."""

    list_display = ["victim", "postcode", "since"]
    # The address and postcode are encrypted: a location is found through its victim.
    search_fields = ["victim__reference"]
    autocomplete_fields = ["victim"]

    def cases_read(self, obj: VictimLocation) -> Iterable[Case]:
        return cases_of_victim(obj.victim_id)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: VictimLocation, form: Any, change: bool
    ) -> None:
        location = record_relocation(
            victim=obj.victim,
            address=obj.address,
            postcode=obj.postcode,
            since=obj.since,
            accommodation_kind=obj.victim.accommodation_kind,
            notes=obj.notes,
            acting_user=request.user,
        )
        obj.pk = location.pk


@admin.register(ImportantDate)
class ImportantDateAdmin(LogsRecordReadsInAdmin, SimpleHistoryAdmin):
    list_display = ["victim", "label", "date", "every_year"]
    search_fields = ["victim__reference", "label"]
    autocomplete_fields = ["victim"]

    def cases_read(self, obj: ImportantDate) -> Iterable[Case]:
        return cases_of_victim(obj.victim_id)


@admin.register(Case)
class CaseAdmin(LogsRecordReadsInAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "victim", "police_force", "status", "investigation_stage"]
    list_filter = ["status", "police_force", "investigation_stage", "referral_route"]
    search_fields = ["reference", "victim__reference", "crime_reference", "nrm_reference"]
    list_select_related = ["victim", "police_force"]
    autocomplete_fields = ["victim"]
    inlines = [PointOfContactInline]

    # A case changes force or status through its services, which keep their rules.
    readonly_fields = ["police_force", "status", "status_reason"]

    def cases_read(self, obj: Case) -> Iterable[Case]:
        return case_with_victim(obj.pk)

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        # The Victims' Code tier drives the clock: re-run it, as the services do.
        super().save_model(request, obj, form, change)
        refresh_cases([obj.pk], now=timezone.now())


@admin.register(CaseShare)
class CaseShareAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = [
        "case",
        "organisation",
        "purpose",
        "consent_recorded_on",
        "consent_recorded_by",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["purpose", "organisation"]
    search_fields = ["case__reference", "organisation__name"]
    list_select_related = ["case", "organisation", "consent_recorded_by"]
    actions = ["revoke_shares"]

    @admin.action(description="Revoke the selected shares (access stops at once)")
    def revoke_shares(self, request: HttpRequest, queryset: QuerySet[CaseShare]) -> None:
        for share in queryset.select_related("case"):
            revoke_share(share=share, acting_user=request.user)
        messages.success(request, "Revoked; each organisation has been sent a notice.")


@admin.register(PointOfContact)
class PointOfContactAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "role", "person", "started_at", "ended_at", "introduced_by_predecessor"]
    list_filter = ["role"]
    search_fields = ["case__reference", "person__username", "person__last_name"]
    list_select_related = ["case", "person"]
    autocomplete_fields = ["case", "person"]


@admin.register(CaseEvent)
class CaseEventAdmin(LogsRecordReadsInAdmin, WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "kind", "at", "is_key_decision", "victim_told_at", "partners_told_at"]
    list_filter = ["kind", "is_key_decision"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]

    def cases_read(self, obj: CaseEvent) -> Iterable[Case]:
        return case_with_victim(obj.case_id)
