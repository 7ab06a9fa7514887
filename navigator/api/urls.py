"""The API, version 1: /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from cases.api.views import CaseViewSet
from handovers.api.views import HandoverViewSet
from navigator.api.docs import ApiDocsView
from partners.api.views import KeyViewSet, NoticeViewSet, ReportCreateView
from webhooks.api.views import EndpointViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")
router.register("notices", NoticeViewSet, basename="api-notice")
router.register("keys", KeyViewSet, basename="api-key")
router.register("handovers", HandoverViewSet, basename="api-handover")
router.register("webhook-endpoints", EndpointViewSet, basename="api-webhook-endpoint")

urlpatterns = [
    *router.urls,
    path("cases/<str:reference>/reports/", ReportCreateView.as_view(), name="api-case-report"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]
