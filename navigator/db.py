"""A read that is a request's first use of the database, in one round trip.

Django checks a kept connection before a request reuses it (``CONN_HEALTH_CHECKS``:
a ``SELECT 1`` of its own), so that the first request after a database restart
reconnects instead of failing. For a read that is the whole of a request (the partner
feed, read all day), that check is a round trip as long as the read. ``fetch_all``
runs the read itself as the check: if the kept connection turns out to be dead, it
reconnects and runs the read again, which is what the check would have done. A read
has nothing to undo, so running it twice is safe; inside a transaction nothing is
skipped and nothing is run twice.

The read is a prepared statement on the connection (planned once, then only its
parameters are sent), through Django's cursor wrapper, so it is counted and logged
like any query.
"""

from collections.abc import Sequence
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.db.backends.postgresql.base import ServerBindingCursor


class PreparedCursor(ServerBindingCursor):
    """Parameters sent apart from the statement, which is prepared on first use."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("prepare", True)
        return super().execute(query, params, **kwargs)


def fetch_all(sql: str, params: Sequence[Any] | dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of the read-only ``sql`` (PostgreSQL), with the connection's health check
    folded into it."""
    check_skipped = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if check_skipped:
        connection.health_check_done = True
    try:
        return _fetch(sql, params)
    except (OperationalError, InterfaceError):
        if not check_skipped or connection.is_usable():
            raise
    # The kept connection was dead (the database restarted): start afresh, as the check does.
    connection.close()
    return _fetch(sql, params)


def _fetch(sql: str, params: Sequence[Any] | dict[str, Any]) -> list[tuple[Any, ...]]:
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = PreparedCursor(connection.connection)
    with connection._prepare_cursor(raw) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.queries_logged and connection.queries_log[-1]["sql"] is None:
        # Django's query log reads the statement from psycopg, which keeps none for a
        # prepared one: log it as written, with its placeholders (never the values).
        connection.queries_log[-1]["sql"] = sql
    return rows
