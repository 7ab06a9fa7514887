from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Search who read which record. Read-only here, and append-only in the database."""

    list_display = ["at", "case_reference", "victim_reference", "reader", "organisation", "channel"]
    list_filter = ["channel", "organisation"]
    search_fields = ["=case_reference", "=victim_reference", "reader__username", "=api_key_prefix"]
    date_hierarchy = "at"
    list_select_related = ["reader", "organisation"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
