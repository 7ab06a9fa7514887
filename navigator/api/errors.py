"""One shape for every error the API returns, so a client handles them all in one place.

    {"status": 404, "code": "not_found", "detail": "Not found.", "fields": {}}

``status`` repeats the HTTP status; ``code`` is stable and meant for programs;
``detail`` is a sentence meant for people; ``fields`` names each refused input
(a body field or a query parameter) with its messages, and is empty otherwise.
Nothing here ever echoes what was sent, so a victim's details sent by mistake
never come back in an error or reach a log line.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

request_logger = logging.getLogger("django.request")

# The same words whether a thing does not exist or is not yours to see, so that
# ids and references cannot be probed.
NOT_FOUND = "Not found: there is nothing here that you may see."
INVALID = "Some of what was sent was not accepted; see fields."
SERVER_ERROR = "Something went wrong on our side. It has been logged; please try again later."
TOO_LARGE = "The request body is too large."
# What to do instead, rather than the framework's words (which repeat the type sent).
SEND_JSON = 'Send the body as JSON, with the header "Content-Type: application/json".'
ANSWERS_JSON = (
    'This API answers in JSON only: send "Accept: application/json", or no Accept header.'
)
NO_KEY = (
    'No API key was sent. Send it as "Authorization: Api-Key <your key>": the word '
    "Api-Key, a space, then the key (not Bearer). Staff sign in instead."
)
PLAIN_DETAILS: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: NO_KEY,
    exceptions.UnsupportedMediaType: SEND_JSON,
    exceptions.NotAcceptable: ANSWERS_JSON,
}

# Every code the API returns, by status: what a client can rely on.
ERROR_CODES: dict[int, tuple[str, ...]] = {
    400: ("invalid", "parse_error", "unknown_parameter"),
    401: ("not_authenticated", "authentication_failed"),
    403: ("permission_denied",),
    404: ("not_found",),
    405: ("method_not_allowed",),
    406: ("not_acceptable",),
    413: ("request_too_large",),
    415: ("unsupported_media_type",),
    429: ("throttled",),
    500: ("server_error",),
}

ERROR_CODE_CHOICES = sorted({code for codes in ERROR_CODES.values() for code in codes})


class UnknownParameters(exceptions.ValidationError):
    """Query parameters the endpoint does not take: refused rather than silently ignored."""

    default_code = "unknown_parameter"

    def __init__(self, names: list[str], allowed: list[str]) -> None:
        allowed_words = ", ".join(allowed) if allowed else "none"
        super().__init__(
            {name: [f"Unknown parameter. This endpoint takes: {allowed_words}."] for name in names},
            code="unknown_parameter",
        )


def error_body(
    status_code: int, code: str, detail: str, fields: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"status": status_code, "code": code, "detail": detail, "fields": dict(fields or {})}


def error_json(
    status_code: int, code: str, detail: str, fields: Mapping[str, list[str]] | None = None
) -> JsonResponse:
    """The error shape, for answers given outside DRF (middleware, unknown paths)."""
    response = JsonResponse(error_body(status_code, code, detail, fields), status=status_code)
    response["Cache-Control"] = "no-store"
    return response


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"field.subfield": ["message", ...]}."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(flatten_fields(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(flatten_fields(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


def _code_of(exc: exceptions.APIException) -> str:
    if isinstance(exc, UnknownParameters):
        return "unknown_parameter"
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's handler, then the one shape; anything unexpected is logged and answered 500."""
    if isinstance(exc, DjangoValidationError):
        # Services refuse with Django's ValidationError; the API reports it field by field.
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        return Response(error_body(413, "request_too_large", TOO_LARGE), status=413)
    response = drf_exception_handler(exc, context)
    if response is None:
        # Reported as Django reports a fault in any view (the error email to ADMINS
        # included), through the logging that keeps victim data out.
        request = getattr(context.get("request"), "_request", None)
        request_logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", "the API"),
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        response = Response(
            error_body(500, "server_error", SERVER_ERROR),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
        response._has_been_logged = True  # type: ignore[attr-defined] # once, with its error
        return response
    api_exc = _as_api_exception(exc)
    if isinstance(api_exc, exceptions.ValidationError):
        fields = flatten_fields(api_exc.detail)
        detail = INVALID
    else:
        fields = {}
        detail = (
            NOT_FOUND
            if response.status_code == 404
            else PLAIN_DETAILS.get(type(api_exc), str(api_exc.detail))
        )
    response.data = error_body(response.status_code, _code_of(api_exc), detail, fields)
    return response


def _as_api_exception(exc: Exception) -> exceptions.APIException:
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.APIException):
        return exc
    return exceptions.APIException()  # pragma: no cover - drf_exception_handler answered it


@csrf_exempt  # it changes nothing, and must answer in the API's shape whatever the method
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/ that is not an endpoint: the error shape, not an HTML page."""
    return error_json(404, "not_found", NOT_FOUND)
