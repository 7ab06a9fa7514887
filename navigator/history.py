"""Who made a change: every service write names its acting user in the history row."""

from typing import Any

from django.db import models


def save_as(
    instance: models.Model, acting_user: Any, update_fields: list[str] | None = None
) -> None:
    """Save ``instance`` so that its history row records ``acting_user`` as the author.

    Requests get the author from HistoryRequestMiddleware; services also run
    from tasks and commands, where there is no request, so they say it here.
    """
    instance._history_user = acting_user  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)
