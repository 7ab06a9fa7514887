from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from navigator.admin_mixins import WrittenThroughServicesAdmin
from partners.models import PartnerNotice


@admin.register(PartnerNotice)
class PartnerNoticeAdmin(WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    list_display = ["case", "organisation", "kind", "happens_at", "created_at", "acknowledged_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["case__reference", "subject"]
    list_select_related = ["case", "organisation"]
