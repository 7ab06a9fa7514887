from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import admin
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessLogEntry, RemovalRecord


class AppendOnlyAdmin(admin.ModelAdmin):
    """Read-only here, and append-only in the database."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DateRangeFilter(admin.FieldListFilter):
    """From one day to another, both included, in UK time (?at__from=...&at__to=...)."""

    template = "admin/audit/date_range_filter.html"

    def __init__(
        self,
        field: Field,  # type: ignore[type-arg]
        request: HttpRequest,
        params: dict[str, Any],
        model: type[Model],
        model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
        field_path: str,
    ) -> None:
        self.from_parameter = f"{field_path}__from"
        self.to_parameter = f"{field_path}__to"
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self) -> list[str]:
        return [self.from_parameter, self.to_parameter]

    def _day(self, parameter: str) -> date | None:
        value = self.used_parameters.get(parameter)
        if isinstance(value, list):
            value = value[-1] if value else None
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None  # a mistyped day filters nothing rather than failing the page

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        start, end = self._day(self.from_parameter), self._day(self.to_parameter)
        if start is not None:
            since = timezone.make_aware(datetime.combine(start, time.min))
            queryset = queryset.filter(**{f"{self.field_path}__gte": since})
        if end is not None:
            until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
            queryset = queryset.filter(**{f"{self.field_path}__lt": until})
        return queryset

    def has_output(self) -> bool:
        return True

    def choices(self, changelist: Any) -> Iterator[dict[str, Any]]:
        yield {
            "from_parameter": self.from_parameter,
            "to_parameter": self.to_parameter,
            "from_value": self._day(self.from_parameter) or "",
            "to_value": self._day(self.to_parameter) or "",
            "other_parameters": [
                (key, value)
                for key, values in changelist.params.items()
                if key not in self.expected_parameters()
                for value in (values if isinstance(values, list) else [values])
            ],
        }


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(AppendOnlyAdmin):
    """Who read which record, when and through what.

    Search by case or victim reference (exactly), or by the reader's username or name,
    or the organisation's name; filter by channel, organisation, reader and dates (from
    one day to another, or drill down by year, month and day).
    """

    list_display = ["at", "case_reference", "victim_reference", "reader", "organisation", "channel"]
    list_filter = [
        "channel",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("reader", admin.RelatedOnlyFieldListFilter),
        ("at", DateRangeFilter),
    ]
    search_fields = [
        "=case_reference",
        "=victim_reference",
        "reader__username",
        "reader__first_name",
        "reader__last_name",
        "organisation__name",
        "=api_key_prefix",
    ]
    search_help_text = (
        "A case or victim reference (exactly), or the reader's username or name, "
        "or an organisation."
    )
    date_hierarchy = "at"
    list_select_related = ["reader", "organisation"]
    show_full_result_count = False  # a count of the whole log on every page is slow and unneeded


@admin.register(RemovalRecord)
class RemovalRecordAdmin(AppendOnlyAdmin):
    """That a victim's data was anonymised or erased: when, by whom, and how much."""

    list_display = ["at", "kind", "victim_reference", "performed_by"]
    list_filter = ["kind"]
    search_fields = ["=victim_reference"]
    date_hierarchy = "at"
    list_select_related = ["performed_by"]
