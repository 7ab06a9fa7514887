"""The admin is for administrators: every record, so only the administrator role."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from accounts.models import Role


def administrators_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", "") == Role.ADMIN)


admin.site.has_permission = administrators_only  # type: ignore[method-assign]
admin.site.site_header = "Navigator administration"


def sign_in_first(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """One way in for everyone: the admin's own sign-in page would skip two-factor sign-in
    and the lockout's page, so it sends people to Navigator's."""
    return redirect_to_login(request.GET.get("next") or "/admin/")


admin.site.login = sign_in_first  # type: ignore[method-assign,assignment]
