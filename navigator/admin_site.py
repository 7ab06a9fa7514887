"""The admin is for administrators: every record, so only the administrator role."""

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import Role


def administrators_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", "") == Role.ADMIN)


admin.site.has_permission = administrators_only  # type: ignore[method-assign]
admin.site.site_header = "Navigator administration"
