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
        field_name="created_at",
        lookup_expr="gte",
        help_text="Only notices written at or after this moment (ISO 8601, with its offset).",
    )

    class Meta:
        model = PartnerNotice
        fields = ["kind", "acknowledged", "since"]

    def filter_acknowledged(
        self, queryset: QuerySet[PartnerNotice], name: str, value: str
    ) -> QuerySet[PartnerNotice]:
        return queryset.filter(acknowledged_at__isnull=value != "true")
