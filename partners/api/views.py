from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access
from navigator.api.pagination import FeedPagination, ReferenceCursorPagination
from navigator.api.renderers import FastJSONRenderer
from navigator.api.views import StrictQueryParamsMixin
from partners import selectors, services
from partners.api.authentication import OrganisationKeyAuthentication
from partners.api.filters import NoticeFilter
from partners.api.serializers import (
    FEED_VALUES,
    KeySerializer,
    NoticeSerializer,
    ReportSerializer,
    feed_rows,
)
from partners.models import PartnerAPIKey, PartnerNotice, PartnerReport

NOTICE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The notice's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Your organisation's notices, oldest first",
        description=(
            "Every notice sent to your organisation, in the order they were written (ids only "
            "grow, and a notice is never written before one with a smaller id becomes "
            "visible). Read it as a feed: follow `next` until `has_more` is false, keep that "
            "last `next`, and fetch it later to get only what came since. To work through "
            "what is outstanding instead, ask for `acknowledged=false` and acknowledge each "
            "notice as you act on it."
        ),
    ),
    retrieve=extend_schema(summary="One notice", parameters=[NOTICE_ID]),
    acknowledge=extend_schema(
        summary="Acknowledge a notice",
        description=(
            "Say your organisation has the notice. Acknowledging again changes nothing. "
            "Once every partner supporting the victim has acknowledged the notice of a hard "
            "moment, the case's team sees that partners were told."
        ),
        request=None,
        responses={200: NoticeSerializer},
        parameters=[NOTICE_ID],
    ),
)
class NoticeViewSet(StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):
    """What your organisation is told about the cases it supports."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    pagination_class = FeedPagination
    lookup_value_regex = "[0-9]+"
    # The same JSON as DRF's renderer, written faster: the feed is read all day.
    renderer_classes = [FastJSONRenderer]
    # Set when the key was checked and the page read together (``perform_authentication``).
    read_with_key: selectors.KeyAndFeedPage | None = None
    after: int | None = None

    def get_queryset(self) -> QuerySet[PartnerNotice]:
        return selectors.notices_for(self.request.user).select_related("case")

    def filter_queryset(self, queryset: QuerySet[PartnerNotice]) -> QuerySet[PartnerNotice]:
        # Following ``next`` asks for no filter: skip building one (the feed is read all day).
        if not set(self.request.query_params) & set(NoticeFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def perform_authentication(self, request: Request) -> None:
        # Following ``next`` with a key (what the feed is, all day) checks the key and reads
        # the page in one query; anything else, and any key that query does not find
        # working, goes the usual way (which answers each refusal as it always has).
        self.read_with_key = self._key_and_page(request) if self.action == "list" else None
        if self.read_with_key is None:
            super().perform_authentication(request)
            return
        request._authenticator = request.authenticators[0]
        request.user, request.auth = self.read_with_key.account, self.read_with_key.credentials

    def _key_and_page(self, request: Request) -> selectors.KeyAndFeedPage | None:
        if not request.authenticators or not isinstance(
            request.authenticators[0], OrganisationKeyAuthentication
        ):
            return None  # only where a key is the first way of signing in, as it is
        if not set(request.query_params) <= self.paging_params:
            return None  # filters, or parameters to refuse
        key = OrganisationKeyAuthentication.key_parser.get(request)
        if key is None:
            return None
        try:
            self.after = self.paginator.read_position(request)
        except APIException:
            return None  # refused after the key is checked, as always
        return selectors.key_and_feed_page(
            key.strip(),
            after=self.after or 0,
            limit=self.paginator.page_size + 1,
            now=timezone.now(),
        )

    @cached_property
    def paging_params(self) -> set[str]:
        return {self.paginator.cursor_query_param, self.paginator.page_size_query_param}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if self.read_with_key is not None:
            page = self.paginator.paginate_rows(self.read_with_key.rows, self.after)
            return self.paginator.get_paginated_response(feed_rows(page))
        # Otherwise plain values in, plain rows out (partners.api.serializers).
        notices = self.filter_queryset(self.get_queryset()).values_list(*FEED_VALUES)
        page = self.paginator.paginate_queryset(notices, request, view=self)
        return self.paginator.get_paginated_response(feed_rows(page))

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        acknowledged = services.acknowledge_notice(notice=notice, acting_user=request.user)
        acknowledged.case = notice.case
        return Response(self.get_serializer(acknowledged).data)


class KeyPagination(ReferenceCursorPagination):
    ordering = "prefix"


@extend_schema_view(
    list=extend_schema(summary="Your organisation's API keys"),
    retrieve=extend_schema(
        summary="One of your organisation's API keys",
        parameters=[
            OpenApiParameter("prefix", str, OpenApiParameter.PATH, description="The key's prefix.")
        ],
    ),
)
class KeyViewSet(StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):
    """Your organisation's keys: which exist, when they expire, which are revoked. Keys are
    issued, rotated and revoked by your organisation's partner administrator (signed in, on
    the API keys page) or by your Navigator administrator."""

    serializer_class = KeySerializer
    lookup_field = "prefix"
    pagination_class = KeyPagination
    filterset_class = None

    def get_queryset(self) -> QuerySet[PartnerAPIKey]:
        return selectors.keys_for(self.request.user).select_related("replaced_by")


class ActsForAPartner(permissions.IsAuthenticated):
    message = "Only partner organisations report here."

    def has_permission(self, request: Request, view: object) -> bool:
        return access.partner_organisation_id(request.user) is not None


@extend_schema(
    summary="Report a move, or a contact with the victim",
    description=(
        "Tell the case's team that the victim has moved, or that your organisation had "
        "contact with them. It reaches the case's points of contact at once as an alert (a "
        "move, or a fear for their safety, as a high one) and shows on the case."
    ),
    parameters=[
        OpenApiParameter(
            "reference", str, OpenApiParameter.PATH, description="The case's reference."
        )
    ],
    responses={201: ReportSerializer},
    tags=["reports"],
)
class ReportCreateView(StrictQueryParamsMixin, mixins.CreateModelMixin, generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated, ActsForAPartner]
    serializer_class = ReportSerializer
    queryset = PartnerReport.objects.none()
    action = "create"

    def post(self, request: Request, reference: str) -> Response:
        case = get_object_or_404(access.visible_cases(request.user), reference=reference)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_to_case(
            case=case, acting_user=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)
