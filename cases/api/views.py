from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import AccessChannel
from cases import selectors
from cases.api.serializers import AgreementSerializer, CaseDetailSerializer, CaseSummarySerializer
from cases.models import Case
from navigator.pagination import ReferenceCursorPagination

extend_schema_field(AgreementSerializer(allow_null=True))(CaseDetailSerializer.get_agreement)


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases the signed-in user may see: points of contact and the communication agreement."""

    lookup_field = "reference"
    serializer_class = CaseSummarySerializer
    pagination_class = ReferenceCursorPagination

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(self.request.user)

    def retrieve(self, request: Request, reference: str | None = None) -> Response:
        case = selectors.case_detail(request.user, str(reference), channel=AccessChannel.API)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)
