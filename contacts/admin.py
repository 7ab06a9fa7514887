from collections.abc import Iterable

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.log import LogsRecordReadsInAdmin
from cases.admin import case_with_victim
from cases.models import Case
from contacts.models import CheckIn, CommunicationAgreement, ConcernResponse, Promise
from navigator.admin_mixins import WrittenThroughServicesAdmin


class ContactRecordAdmin(LogsRecordReadsInAdmin, WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    """Contacts and agreements hold notes and free text: opening one is a read of the case."""

    def cases_read(self, obj: CheckIn | CommunicationAgreement | Promise) -> Iterable[Case]:
        return case_with_victim(obj.case_id)


@admin.register(CommunicationAgreement)
class CommunicationAgreementAdmin(ContactRecordAdmin):
    list_display = ["case", "version", "update_interval_days", "agreed_on", "review_by"]
    search_fields = ["case__reference"]
    list_filter = ["level_of_detail"]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]


@admin.register(CheckIn)
class CheckInAdmin(ContactRecordAdmin):
    list_display = ["case", "at", "by", "channel", "outcome", "update_given"]
    list_filter = ["outcome", "channel", "update_given", "direction"]
    search_fields = ["case__reference", "by__username"]
    list_select_related = ["case", "by"]
    autocomplete_fields = ["case"]
    date_hierarchy = "at"


@admin.register(Promise)
class PromiseAdmin(ContactRecordAdmin):
    list_display = ["case", "description", "due_by", "status"]
    list_filter = ["status"]
    search_fields = ["case__reference", "description"]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]


@admin.register(ConcernResponse)
class ConcernResponseAdmin(ContactRecordAdmin):
    list_display = ["checkin", "concern", "by", "at"]
    list_filter = ["concern"]
    search_fields = ["checkin__case__reference"]  # the action is encrypted
    list_select_related = ["checkin__case", "by"]

    def cases_read(self, obj: ConcernResponse) -> Iterable[Case]:  # type: ignore[override]
        return case_with_victim(obj.checkin.case_id)
