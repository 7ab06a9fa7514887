from datetime import UTC, datetime

import django_filters
from django.db.models import QuerySet

from partners.models import NoticeKind, PartnerNotice

YES_NO = [("true", "true"), ("false", "false")]


class NoticeFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=NoticeKind.choices,
        help_text="Only notices of this kind (repeat the parameter for several).",
    )
    acknowledged = django_filters.ChoiceFilter(
        choices=YES_NO,
        method="filter_acknowledged",
        help_text="`false`: only those not acknowledged yet; `true`: only those acknowledged.",
    )
    since = django_filters.IsoDateTimeFilter(
        method="filter_since",
        help_text="Only notices written at or after this moment (ISO 8601, with its offset).",
    )

    class Meta:
        model = PartnerNotice
        fields = ["kind", "acknowledged", "since"]

    def filter_since(
        self, queryset: QuerySet[PartnerNotice], name: str, value: datetime
    ) -> QuerySet[PartnerNotice]:
        # In UTC: the database takes offsets of up to 16 hours, ISO 8601 up to 24.
        try:
            since = value.astimezone(UTC)
        except OverflowError:  # before the year 1: every notice is since then
            return queryset
        return queryset.filter(created_at__gte=since)

    def filter_acknowledged(
        self, queryset: QuerySet[PartnerNotice], name: str, value: str
    ) -> QuerySet[PartnerNotice]:
        return queryset.filter(acknowledged_at__isnull=value != "true")
