from typing import Any

from django.http import HttpRequest


class WrittenThroughServicesAdmin:
    """Records whose writes have rules (the clock, alerts, history) are read-only here:
    they change through the pages, the API and the services behind them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
