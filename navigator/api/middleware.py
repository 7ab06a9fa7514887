"""Limits every API request meets before any view reads it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from navigator.api.errors import TOO_LARGE, error_json

API_PREFIX = "/api/"


class ApiRequestLimitsMiddleware:
    """Refuse an API request whose body is larger than ``API_MAX_REQUEST_BYTES`` (413),
    and mark every API answer ``Cache-Control: no-store``: they may carry victim data.

    The body is judged by its declared length, before anything reads it; a body
    sent without a length is read as empty by the API (WSGI gives it no stream).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return error_json(400, "invalid", "The Content-Length header is not a number.")
        if length > settings.API_MAX_REQUEST_BYTES:
            return error_json(
                413,
                "request_too_large",
                f"{TOO_LARGE} The limit is {settings.API_MAX_REQUEST_BYTES} bytes.",
            )
        response = self.get_response(request)
        response.setdefault("Cache-Control", "no-store")
        return response
