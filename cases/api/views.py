from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import AccessChannel
from cases import access, selectors
from cases.api.filters import CaseFilter
from cases.api.serializers import CaseDetailSerializer, CaseSummarySerializer
from cases.models import Case
from navigator.api.views import StrictQueryParamsMixin

REFERENCE = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The case's reference, e.g. C-7K2Q9X."
)


@extend_schema_view(
    list=extend_schema(
        summary="The cases you may see",
        description=(
            "For a partner organisation, the cases shared with it whose share is in force "
            "(a share that is revoked or runs out stops at once); for staff, the cases their "
            "role gives them. Each case with the fields your role or share gives, by reference."
        ),
    ),
    retrieve=extend_schema(
        summary="One case",
        description=(
            "The case with the fields your role or share gives. Reading it is written to the "
            "access log (who, for which organisation, with which key prefix). A case you may "
            "not see answers 404, the same as one that does not exist."
        ),
        parameters=[REFERENCE],
    ),
)
class CaseViewSet(StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):
    """Cases, with what each reader may see of them (``cases.access.case_fields``)."""

    lookup_field = "reference"
    serializer_class = CaseSummarySerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        now = timezone.now()
        context["case_fields"] = partial(access.case_fields, self.request.user, now=now)
        return context

    def get_serializer_class(self) -> type[CaseSummarySerializer]:
        return CaseDetailSerializer if self.action == "retrieve" else CaseSummarySerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = selectors.case_detail(
            request.user, str(kwargs["reference"]), channel=AccessChannel.API
        )
        return Response(self.get_serializer(case).data)
