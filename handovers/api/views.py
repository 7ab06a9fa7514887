from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import AccessChannel
from handovers import selectors, services
from handovers.api.filters import HandoverFilter
from handovers.api.serializers import AcceptSerializer, DeclineSerializer, HandoverSerializer
from handovers.models import Handover
from navigator.api.pagination import FeedPagination
from navigator.api.views import StrictQueryParamsMixin

HANDOVER_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The handover's id.")
TAGS = ["handovers"]


@extend_schema_view(
    list=extend_schema(
        summary="Handovers to your organisation, and those on cases shared with you",
        description=(
            "Oldest first, in pages: follow `next` until `has_more` is false. Those addressed "
            "to your organisation carry `details` (what the sender wrote for you), and listing "
            "them is written to the access log, as reading one is; those you see through a "
            "share covering handovers do not. `?state=sent` lists those waiting for you to "
            "acknowledge; `?case=` those of the case a `handover` notice names."
        ),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One handover",
        description="Reading one addressed to you is written to the access log.",
        parameters=[HANDOVER_ID],
        tags=TAGS,
    ),
    acknowledge=extend_schema(
        summary="Acknowledge a handover",
        description=(
            "Say your organisation has it. Do this within the hours the service allows "
            "(24 unless told otherwise), or the case's team is alerted. Acknowledging again "
            "changes nothing; once the handover is accepted or declined (which acknowledge "
            "it on the way), acknowledging is refused (400, `fields.state` says which)."
        ),
        request=None,
        responses={200: HandoverSerializer},
        parameters=[HANDOVER_ID],
        tags=TAGS,
    ),
    accept=extend_schema(
        summary="Accept a handover",
        description=(
            "Take the responsibility on (acknowledging it too, if not yet done). For a change "
            "of point of contact the named person becomes the point of contact: say whether "
            "their predecessor introduced them."
        ),
        request=AcceptSerializer,
        responses={200: HandoverSerializer},
        parameters=[HANDOVER_ID],
        tags=TAGS,
    ),
    decline=extend_schema(
        summary="Decline a handover",
        description=(
            "Turn it down, saying why: the responsibility stays with the sender, who is alerted."
        ),
        request=DeclineSerializer,
        responses={200: HandoverSerializer},
        parameters=[HANDOVER_ID],
        tags=TAGS,
    ),
)
class HandoverViewSet(StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Handovers: what is passed to your organisation, and what it does with them."""

    serializer_class = HandoverSerializer
    filterset_class = HandoverFilter
    pagination_class = FeedPagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Handover]:
        return selectors.visible_to(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # What the sender wrote is a read of the victim's record, in a list as in one.
        page = self.paginate_queryset(
            self.filter_queryset(self.get_queryset().select_related("case__victim"))
        )
        assert page is not None  # noqa: S101 - the feed's pagination always pages
        selectors.record_details_read(request.user, page, channel=AccessChannel.API)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> Handover:
        # Through the selector, so a read of what the sender wrote is logged.
        return selectors.handover_detail(
            self.request.user, int(self.kwargs["pk"]), channel=AccessChannel.API
        )

    def _answer(self, handover: Handover) -> Response:
        fresh = get_object_or_404(self.get_queryset(), pk=handover.pk)
        return Response(self.get_serializer(fresh).data)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        handover = self.get_object()
        return self._answer(
            services.acknowledge_handover(handover=handover, acting_user=request.user)
        )

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        handover = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        accepted = services.accept_handover(
            handover=handover, acting_user=request.user, **body.validated_data
        )
        return self._answer(accepted)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        handover = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        declined = services.decline_handover(
            handover=handover, acting_user=request.user, reason=body.validated_data["reason"]
        )
        return self._answer(declined)
