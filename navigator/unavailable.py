"""The answer when the database cannot be reached (restarting, failing over, out of
connections): a 503 asking to try again in a minute, instead of the generic 500 page.

Django turns an exception anywhere in a request (a view, the session or sign-in lookup in
a middleware) into a call to the 500 handler with the exception still being handled, so
this one handler sees them all. The transaction of the request was rolled back with it:
nothing was half saved. The page is rendered without the request, so it shows nothing
about the person or the case, and never touches the database."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from navigator.api.errors import error_body

logger = logging.getLogger(__name__)

# Seconds after which a browser or an API client may try again.
RETRY_AFTER_SECONDS = 60


def database_unreachable() -> bool:
    """Whether the exception being handled says the database could not be reached."""
    error = sys.exc_info()[1]
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    """The project's 500 handler: a 503 when the database is away, else Django's 500."""
    if not database_unreachable():
        return defaults.server_error(request)
    # The class only: a database error's text may quote the statement or its values.
    logger.warning("Database unavailable: %s", type(sys.exc_info()[1]).__name__)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            error_body(
                503, "unavailable", "Navigator is briefly unavailable. Try again in a minute."
            ),
            status=503,
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
