from django.contrib import admin
from django.urls import include, path, re_path

from alerts.health import HealthView
from navigator import admin_site  # noqa: F401 - admin_site restricts the admin
from navigator.api.errors import api_not_found

urlpatterns = [
    path("", include("pages.urls")),
    path("alerts/", include("alerts.urls")),
    path("report/", include("engagement.urls")),
    path("api/v1/", include("navigator.api.urls")),
    # Anything else under /api/ answers in the API's error shape, not an HTML page.
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
    # For monitors and load balancers: no sign-in, no victim data.
    path("health/", HealthView.as_view(), name="health"),
]

# A database that cannot be reached answers 503 "try again in a minute" (not a 500).
handler500 = "navigator.unavailable.server_error"
