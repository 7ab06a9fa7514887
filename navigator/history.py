"""Who made a change: every service write names its acting user in the history row."""

from typing import Any

from django.db import models


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
