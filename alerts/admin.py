from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from alerts.choices import AlertStatus
from alerts.models import (
    Alert,
    DigestDelivery,
    EngagementSnapshot,
    Reminder,
    SweepLateWarning,
    SweepRun,
)
from alerts.services import acknowledge_alert
from navigator.admin_mixins import WrittenThroughServicesAdmin


@admin.register(Alert)
class AlertAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "kind", "severity", "status", "assigned_to", "opened_at"]
    list_filter = ["status", "kind", "severity"]
    search_fields = ["case__reference", "summary"]
    list_select_related = ["case", "assigned_to"]
    date_hierarchy = "opened_at"
    actions = ["acknowledge"]

    @admin.action(description="Acknowledge the selected alerts")
    def acknowledge(self, request: HttpRequest, queryset: QuerySet[Alert]) -> None:
        live = queryset.filter(status=AlertStatus.OPEN)
        for alert in live:
            acknowledge_alert(alert=alert, acting_user=request.user)
        messages.success(request, f"Acknowledged {len(live)} alerts.")

    def has_change_permission(self, request: HttpRequest, obj: Alert | None = None) -> bool:
        # Actions need change permission on the list; edits of an alert still go nowhere.
        return obj is None and request.user.is_superuser


@admin.register(EngagementSnapshot)
class EngagementSnapshotAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):
    list_display = ["case", "on", "score", "level"]
    list_filter = ["level"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]


@admin.register(Reminder)
class ReminderAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):
    list_display = ["case", "about", "happens_on", "recipient", "sent_at"]
    search_fields = ["case__reference", "about"]
    list_select_related = ["case", "recipient"]


@admin.register(SweepRun)
class SweepRunAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):
    """When each sweep ran; one with no finish time died or is still running."""

    list_display = ["started_at", "finished_at", "cases_checked", "alerts_opened"]
    search_fields = ["=id"]
    date_hierarchy = "started_at"


@admin.register(SweepLateWarning)
class SweepLateWarningAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):
    list_display = ["noticed_at", "sent_at", "after_run"]
    search_fields = ["=after_run"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(WrittenThroughServicesAdmin, admin.ModelAdmin):
    list_display = ["day", "supervisor", "sent_at"]
    search_fields = ["supervisor__username"]
    list_select_related = ["supervisor"]
