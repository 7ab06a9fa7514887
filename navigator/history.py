"""Who made a change: every service write names its acting user in the history row.

Bulk writes (the sweep's alerts) copy their rows to history in the database.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models


def save_as(
    instance: models.Model, acting_user: Any, update_fields: list[str] | None = None
) -> None:
    """Save ``instance`` so that its history row records ``acting_user`` as the author.

    Requests get the author from HistoryRequestMiddleware; services also run
    from tasks and commands, where there is no request, so they say it here. A
    change made with an organisation's API key names the key's prefix as the
    change reason, beside the organisation's API account as the author.
    """
    instance._history_user = acting_user  # type: ignore[attr-defined]
    prefix = getattr(acting_user, "api_key_prefix", "")
    if prefix:
        instance._change_reason = f"API key {prefix}"  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)


def history_insert(
    model: type[models.Model], source: str, *, history_type: str, date: datetime, example: object
) -> tuple[str, list[Any]] | None:
    """SQL that writes a history row of ``model`` for every row of ``source``, and its params.

    ``source`` is SQL naming rows with the model's columns (its table with a condition, a
    common table expression); the statement is ``INSERT ... SELECT ... FROM <source>``. The
    rows are copied where they are, not built in Python and sent back. The author is whom
    the history would name for ``example`` (the signed-in person of a request, or nobody
    for the sweep); no change reason is recorded, as with simple_history's bulk helpers.
    None when history is switched off.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return None
    historical: Any = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in historical.tracked_fields)
    user = historical.get_default_history_user(example)
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, history_date, "  # noqa: S608 - names from the models
        f"history_type, history_change_reason, history_user_id) "
        f"SELECT {columns}, %s, %s, NULL, %s FROM {source}"
    )
    params = [
        connection.ops.adapt_datetimefield_value(date),
        history_type,
        user.pk if user is not None else None,
    ]
    return sql, params


def copy_rows_to_history(
    model: type[models.Model],
    pks: Sequence[int],
    *,
    history_type: str,
    date: datetime,
    example: object,
) -> None:
    """Write one history row for each of ``pks``, copied from the table as it is now.

    What ``bulk_create_with_history`` and ``bulk_update_with_history`` record, in one
    INSERT ... SELECT. Call it after writing the rows, in the same transaction.
    """
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    if connection.vendor == "postgresql":
        source, ids = f"{table} WHERE {pk} = ANY(%s) ORDER BY {pk}", [list(pks)]
    else:
        placeholders = ", ".join(["%s"] * len(pks))
        source, ids = f"{table} WHERE {pk} IN ({placeholders}) ORDER BY {pk}", list(pks)
    insert = history_insert(model, source, history_type=history_type, date=date, example=example)
    if not pks or insert is None:
        return
    sql, params = insert
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])
