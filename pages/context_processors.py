from typing import Any

from django.http import HttpRequest

from cases.access import is_partner_administrator
from pages.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu, shown only once the person is fully signed in (code given, if needed)."""
    user = getattr(request, "user", None)
    signed_in = bool(
        user is not None and user.is_authenticated and not getattr(request, "two_factor_step", "")
    )
    match = getattr(request, "resolver_match", None)
    return {
        "signed_in": signed_in,
        "menu": menu_for(user.role, partner_administrator=is_partner_administrator(user))
        if signed_in
        else [],
        "current_page": match.view_name if match else "",
    }
