from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from cases import access
from navigator.api.pagination import ReferenceCursorPagination
from navigator.api.views import StrictQueryParamsMixin
from webhooks import selectors, services
from webhooks.api.serializers import (
    EndpointCreateSerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    RotateSerializer,
)
from webhooks.models import WebhookEndpoint

ENDPOINT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The endpoint's id.")


class EndpointPagination(ReferenceCursorPagination):
    ordering = "id"


class ActsWithAnOrganisationKey(permissions.IsAuthenticated):
    message = "Webhook endpoints are managed with your organisation's API key."

    def has_permission(self, request: Request, view: object) -> bool:
        return access.webhook_organisation_id(request.user) is not None


@extend_schema_view(
    list=extend_schema(summary="Your organisation's webhook endpoints"),
    retrieve=extend_schema(summary="One webhook endpoint", parameters=[ENDPOINT_ID]),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "Navigator posts each notice written for your organisation from now on to this "
            "URL, signed as the Standard Webhooks specification says (`webhook-id`, "
            "`webhook-timestamp`, `webhook-signature`). The URL must be https on a host that "
            "resolves to public addresses. Answer 2xx within 15 seconds to accept; anything "
            "else is tried again, over about three days (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, "
            "14 h, 20 h, 24 h); 410 Gone turns the endpoint off; 429 with `Retry-After` is "
            "waited out. The body says only which notice, of what kind, for which case, and "
            "links to it: fetch it with your key. The secret is in this answer only."
        ),
        request=EndpointCreateSerializer,
        responses={201: EndpointWithSecretSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an endpoint, or turn it off or on",
        parameters=[ENDPOINT_ID],
        request=EndpointSerializer,
        responses={200: EndpointSerializer},
    ),
    update=extend_schema(
        summary="Replace an endpoint's URL and description",
        parameters=[ENDPOINT_ID],
        request=EndpointSerializer,
        responses={200: EndpointSerializer},
    ),
    destroy=extend_schema(
        summary="Remove an endpoint", parameters=[ENDPOINT_ID], responses={204: None}
    ),
    rotate_secret=extend_schema(
        summary="Rotate an endpoint's secret",
        description=(
            "A new secret, in this answer only. For `overlap_hours` (24 unless you say) each "
            "delivery carries two signatures, with the new secret and the old, so your "
            "receiver can change over without missing one."
        ),
        parameters=[ENDPOINT_ID],
        request=RotateSerializer,
        responses={200: EndpointWithSecretSerializer},
    ),
)
@extend_schema(tags=["webhooks"])
class EndpointViewSet(StrictQueryParamsMixin, viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Your organisation's webhook endpoints."""

    serializer_class = EndpointSerializer
    permission_classes = [ActsWithAnOrganisationKey]
    pagination_class = EndpointPagination
    filterset_class = None
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return selectors.endpoints_for(self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "rotate_secret":
            return RotateSerializer
        if self.action == "create":
            return EndpointCreateSerializer
        return EndpointSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        made = services.create_endpoint(
            organisation=request.user.organisation,
            url=serializer.validated_data["url"],
            description=serializer.validated_data.get("description", ""),
            acting_user=request.user,
        )
        return Response(self._with_secret(made), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        serializer = self.get_serializer(
            endpoint, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        services.update_endpoint(
            endpoint=endpoint, acting_user=request.user, **serializer.validated_data
        )
        return Response(EndpointSerializer(self.get_object()).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.delete_endpoint(endpoint=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        endpoint = self.get_object()
        serializer = RotateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rotated = services.rotate_secret(
            endpoint=endpoint,
            acting_user=request.user,
            overlap=timedelta(hours=serializer.validated_data["overlap_hours"]),
        )
        return Response(self._with_secret(rotated))

    def _with_secret(self, made: services.EndpointWithSecret) -> dict[str, Any]:
        endpoint = self.get_queryset().get(pk=made.endpoint.pk)  # with how it is going
        return EndpointWithSecretSerializer(endpoint, context={"secret": made.secret}).data
