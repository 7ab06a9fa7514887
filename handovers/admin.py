from collections.abc import Iterable

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.log import LogsRecordReadsInAdmin
from cases.admin import case_with_victim
from cases.models import Case
from handovers.models import Handover
from navigator.admin_mixins import WrittenThroughServicesAdmin


@admin.register(Handover)
class HandoverAdmin(LogsRecordReadsInAdmin, WrittenThroughServicesAdmin, SimpleHistoryAdmin):
    """Read-only: handovers are sent, acknowledged, accepted and declined through
    ``handovers.services`` (the pages and the API). Opening one reads what the sender wrote
    about the victim, so it is logged as a read of the case."""

    list_display = [
        "case",
        "kind",
        "from_organisation",
        "to_organisation",
        "to_person",
        "state",
        "sent_at",
        "acknowledged_at",
        "decided_at",
    ]
    list_filter = ["kind", "state", "to_organisation"]
    search_fields = ["case__reference", "from_organisation__name", "to_organisation__name"]
    list_select_related = ["case", "from_organisation", "to_organisation", "to_person"]
    date_hierarchy = "sent_at"

    def cases_read(self, obj: Handover) -> Iterable[Case]:
        return case_with_victim(obj.case_id)
