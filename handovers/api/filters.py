import django_filters

from handovers.choices import HandoverKind, HandoverState
from handovers.models import Handover


class HandoverFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=HandoverState.choices,
        help_text="Only handovers in this state (repeat the parameter for several).",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=HandoverKind.choices, help_text="Only handovers of this kind."
    )
    case = django_filters.CharFilter(
        field_name="case__reference",
        help_text=(
            "Only handovers of this case, by its reference: the `case` a `handover` notice "
            "names (e.g. `C-7K2Q9X`)."
        ),
    )

    class Meta:
        model = Handover
        fields = ["state", "kind", "case"]
