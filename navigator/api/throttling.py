"""How often a caller may ask: per API key for organisations, per person for staff.

Counts are kept in the cache (``CACHE_URL``: Redis in production, so every web
process counts together). A cache that is down must not fail the request, so a
throttle that cannot reach it lets the request through and says so in the log.
"""

import logging
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class _FailOpenThrottle(SimpleRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache is down or unreachable: see the module docstring
            logger.warning("Rate limit not applied: the cache answered %s", type(error).__name__)
            return True


class ApiKeyRateThrottle(_FailOpenThrottle):
    """Requests made with an organisation's API key, counted per key (``API_RATE_PER_KEY``)."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        prefix = getattr(request.auth, "prefix", None)
        if not prefix:
            return None
        return self.cache_format % {"scope": self.scope, "ident": prefix}


class SignedInRateThrottle(_FailOpenThrottle):
    """Requests made by a signed-in person, counted per person (``API_RATE_PER_USER``)."""

    scope = "signed_in"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if getattr(request.auth, "prefix", None) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
