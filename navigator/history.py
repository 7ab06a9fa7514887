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


def copy_rows_to_history(
    model: type[models.Model],
    pks: Sequence[int],
    *,
    history_type: str,
    date: datetime,
    example: models.Model,
) -> None:
    """Write one history row for each of ``pks``, copied from the table as it is now.

    What ``bulk_create_with_history`` and ``bulk_update_with_history`` record, in one
    INSERT ... SELECT: the rows are not built in Python and sent back, they are copied
    where they are. Call it after writing the rows, in the same transaction. The author
    is whom the history would name for ``example`` (the signed-in person of a request,
    or nobody for the sweep); no change reason is recorded, as with the bulk helpers.
    """
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical: Any = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in historical.tracked_fields)
    user = historical.get_default_history_user(example)
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({columns}, history_date, "  # noqa: S608 - names from the models
        f"history_type, history_change_reason, history_user_id) "
        f"SELECT {columns}, %s, %s, NULL, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN %s ORDER BY {quote(model._meta.pk.column)}"
    )
    values = [
        connection.ops.adapt_datetimefield_value(date),
        history_type,
        user.pk if user is not None else None,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.replace("IN %s", "= ANY(%s)"), [*values, list(pks)])
        else:
            placeholders = ", ".join(["%s"] * len(pks))
            cursor.execute(sql.replace("IN %s", f"IN ({placeholders})"), [*values, *pks])
