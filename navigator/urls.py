from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from alerts.health import HealthView
from cases.api.views import CaseViewSet
from navigator import admin_site  # noqa: F401 - admin_site restricts the admin

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="api-case")

urlpatterns = [
    path("", include("pages.urls")),
    path("alerts/", include("alerts.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
    # For monitors and load balancers: no sign-in, no victim data.
    path("health/", HealthView.as_view(), name="health"),
]
