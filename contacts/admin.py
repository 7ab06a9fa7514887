from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contacts.models import CheckIn, CommunicationAgreement, ConcernResponse, Promise
from navigator.admin_mixins import WrittenThroughServicesAdmin


@admin.register(CommunicationAgreement)
class CommunicationAgreementAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "version", "update_interval_days", "agreed_on", "review_by"]
    search_fields = ["case__reference"]
    list_filter = ["level_of_detail"]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]


@admin.register(CheckIn)
class CheckInAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "at", "by", "channel", "outcome", "update_given"]
    list_filter = ["outcome", "channel", "update_given", "direction"]
    search_fields = ["case__reference", "by__username"]
    list_select_related = ["case", "by"]
    autocomplete_fields = ["case"]
    date_hierarchy = "at"


@admin.register(Promise)
class PromiseAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "description", "due_by", "status"]
    list_filter = ["status"]
    search_fields = ["case__reference", "description"]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]


@admin.register(ConcernResponse)
class ConcernResponseAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["checkin", "concern", "by", "at"]
    list_filter = ["concern"]
    search_fields = ["checkin__case__reference"]  # the action is encrypted
    list_select_related = ["checkin__case", "by"]
