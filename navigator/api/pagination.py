"""Pages of API results: cursors over a unique, unchanging order, so a client never sees
a row twice or misses one, and never asks for more than a page's maximum at once."""

from base64 import b64decode, b64encode
from binascii import Error as Base64Error
from typing import Any
from urllib import parse

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100


def strict_page_size(request: Request, *, param: str, default: int, maximum: int) -> int:
    """The page size asked for; a size out of range is refused, not quietly changed."""
    raw = request.query_params.get(param)
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise ValidationError({param: [f"Give a whole number from 1 to {maximum}."]})
    return size


class ReferenceCursorPagination(CursorPagination):
    """Cases, by their reference (unique and never changed)."""

    ordering = "reference"
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = f"How many results per page (1 to {MAX_PAGE_SIZE}; default 50)."
    cursor_query_description = "Where to continue from: take the whole `next` or `previous` link."
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        return strict_page_size(
            request, param="page_size", default=self.page_size, maximum=MAX_PAGE_SIZE
        )

    def decode_cursor(self, request: Request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        # A cursor is opaque, but a client can still forge one: refuse anything that
        # is not one we could have written, rather than let it reach the query.
        if cursor is not None and cursor.position is not None and len(cursor.position) > 16:
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["next", "previous", "results"]
        for link in ("next", "previous"):
            paginated["properties"][link]["description"] = (
                f"The {link} page, or null when there is none."
            )
            paginated["properties"][link]["example"] = (
                "https://navigator.example.org/api/v1/cases/?cursor=cD1DLTdLMlE5WA%3D%3D"
            )
        return paginated


class FeedPagination(BasePagination):
    """A feed read oldest first, in pages, that a client follows for ever.

    The order is the notice id, which follows the order notices were committed
    (``partners.outbox`` writes them one transaction at a time), so a client that
    has read up to a notice has seen every notice before it. ``next`` is always
    given, on the last page too: keep it and fetch it later to get only what came
    after. ``has_more`` says whether it already holds more.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = MAX_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    position_field = "id"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        after = self.read_position(request)
        if after is not None:
            queryset = queryset.filter(**{f"{self.position_field}__gt": after})
        rows = list(queryset.order_by(self.position_field)[: self.page_size + 1])
        return self.paginate_rows(rows, after)

    def read_position(self, request: Request) -> int | None:
        """The position the request continues after (None: from the start), and its page
        size (``self.page_size``); a page size or cursor that is not one we take is refused."""
        self.base_url = request.build_absolute_uri()
        self.page_size = strict_page_size(
            request,
            param=self.page_size_query_param,
            default=self.page_size,
            maximum=self.max_page_size,
        )
        return self._decode(request.query_params.get(self.cursor_query_param))

    def paginate_rows(self, rows: list[Any], after: int | None) -> list[Any]:
        """The page from ``rows``: the next ``page_size + 1`` after ``after``, in order, read
        by the caller (the one more says whether there are more)."""
        self.has_more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        last = self._position(self.page[-1]) if self.page else after
        self.next_link = (
            replace_query_param(self.base_url, self.cursor_query_param, self._encode(last))
            if last is not None
            else remove_query_param(self.base_url, self.cursor_query_param)
        )
        return self.page

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_link, "has_more": self.has_more, "results": data})

    def _position(self, row: Any) -> int:
        """The row's id: a model, a dict of values, or a tuple of values with the id first."""
        if isinstance(row, tuple):
            return int(row[0])
        return int(row[self.position_field] if isinstance(row, dict) else row.pk)

    @staticmethod
    def _encode(position: int) -> str:
        return b64encode(parse.urlencode({"after": position}).encode()).decode()

    def _decode(self, encoded: str | None) -> int | None:
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode())
            position = int(tokens["after"][0])
        except (Base64Error, UnicodeError, KeyError, ValueError):
            raise NotFound("Invalid cursor") from None
        if position < 0:
            raise NotFound("Invalid cursor")
        return position

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where to continue from: take the whole `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"How many results per page (1 to {self.max_page_size}; "
                    f"default {self.page_size})."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "has_more", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "description": (
                        "Always given: the page after this one. On the last page, keep it "
                        "and fetch it later to get only what came since."
                    ),
                    "example": "https://navigator.example.org/api/v1/notices/?cursor=YWZ0ZXI9NDI%3D",
                },
                "has_more": {
                    "type": "boolean",
                    "description": "Whether `next` already holds more results.",
                    "example": False,
                },
                "results": schema,
            },
        }
