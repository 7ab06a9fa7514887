"""The OpenAPI description: every operation lists every error it can answer, in the one
shape (navigator.api.errors), with an example each, so a partner can code against the
schema alone."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from navigator.api.errors import (
    ANSWERS_JSON,
    ERROR_CODE_CHOICES,
    INVALID,
    NO_KEY,
    NOT_FOUND,
    SEND_JSON,
    SERVER_ERROR,
    TOO_LARGE,
)


class ErrorSerializer(serializers.Serializer):
    """Every error the API returns has this shape."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.ChoiceField(
        choices=ERROR_CODE_CHOICES,
        help_text="Stable, for programs: what went wrong.",
    )
    detail = serializers.CharField(help_text="For people: what went wrong, in a sentence.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=(
            "Each refused input (a body field, `a.b` for a nested one, or a query parameter) "
            "with its messages. Empty unless `code` is `invalid` or `unknown_parameter`."
        ),
    )


def _example(status: int, code: str, detail: str, **fields: list[str]) -> OpenApiExample:
    return OpenApiExample(
        code,
        value={"status": status, "code": code, "detail": detail, "fields": fields},
        response_only=True,
        status_codes=[str(status)],
    )


# What each status means here, and an example body for it.
ERRORS: dict[int, tuple[str, list[OpenApiExample]]] = {
    400: (
        "The request was not accepted: a field, a filter or a query parameter is wrong.",
        [
            _example(400, "invalid", INVALID, happened_at=["This field is required."]),
            _example(
                400,
                "unknown_parameter",
                INVALID,
                knd=[
                    "Unknown parameter. This endpoint takes: acknowledged, cursor, kind, "
                    "page_size, since."
                ],
            ),
            _example(400, "parse_error", "JSON parse error - Expecting value: line 1 column 1"),
        ],
    ),
    401: (
        "No credentials, or an API key that is unknown, revoked or expired. Send "
        "`Authorization: Api-Key <your key>`.",
        [
            _example(401, "not_authenticated", NO_KEY),
            _example(
                401,
                "authentication_failed",
                "This API key is not valid: it may be mistyped, revoked or expired.",
            ),
        ],
    ),
    403: (
        "Signed in, but not allowed to do this (or a browser session without its CSRF token).",
        [_example(403, "permission_denied", "Only partner organisations report here.")],
    ),
    404: (
        "Nothing here that you may see. A thing that does not exist and one that is not "
        "yours answer alike.",
        [_example(404, "not_found", NOT_FOUND)],
    ),
    405: (
        "This path does not take this method.",
        [_example(405, "method_not_allowed", 'Method "DELETE" not allowed.')],
    ),
    406: (
        "The API answers in JSON only (`Accept: application/json`).",
        [_example(406, "not_acceptable", ANSWERS_JSON)],
    ),
    413: (
        "The request body is larger than the limit.",
        [_example(413, "request_too_large", f"{TOO_LARGE} The limit is 65536 bytes.")],
    ),
    415: (
        "Bodies are JSON only (`Content-Type: application/json`).",
        [_example(415, "unsupported_media_type", SEND_JSON)],
    ),
    429: (
        "Too many requests for this key (or person). Wait the seconds `Retry-After` gives.",
        [_example(429, "throttled", "Request was throttled. Expected available in 12 seconds.")],
    ),
    500: (
        "A fault on our side; it has been logged. Try again later.",
        [_example(500, "server_error", SERVER_ERROR)],
    ),
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "How to authenticate: `Api-Key`.",
        "schema": {"type": "string"},
    }
}


class NavigatorAutoSchema(AutoSchema):
    """drf-spectacular's schema, with every error each operation can answer."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for status in self._error_statuses(operation):
            if str(status) in responses:
                continue
            description, examples = ERRORS[status]
            response = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description, examples=examples),
                str(status),
            )
            if status == 429:
                response["headers"] = RETRY_AFTER
            elif status == 401:
                response["headers"] = WWW_AUTHENTICATE
            responses[str(status)] = response
        return operation

    def _error_statuses(self, operation: dict[str, Any]) -> list[int]:
        statuses = [400, 404, 405, 406, 429, 500]
        if operation.get("security") and {} not in operation["security"]:
            statuses += [401, 403]
        if "requestBody" in operation or self.method in ("POST", "PUT", "PATCH"):
            statuses += [413, 415]
        return sorted(statuses)
