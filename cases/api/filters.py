import django_filters

from cases.choices import CaseStatus
from cases.models import Case


class CaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=CaseStatus.choices,
        help_text="Only cases with this status (repeat the parameter for several).",
    )

    class Meta:
        model = Case
        fields = ["status"]
