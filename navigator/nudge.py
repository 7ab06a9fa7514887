"""Ask a worker to start work that is already written down in the database.

Work that matters (an email to send, a notice to deliver) is recorded in the same
transaction as the change that causes it: a row a periodic pass claims. The nudge
only makes that happen sooner. So a broker that is down, slow or misconfigured
must never fail the request that caused the work: the nudge is dropped with a
warning and the next periodic pass finds the work in the database.
"""

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def nudge_on_commit(task_name: str, **kwargs: Any) -> None:
    """Once the current transaction commits, queue ``task_name`` with ``kwargs``.

    Tasks are named, not imported, so that the modules recording work never
    import the task modules that sit on top of them. ``kwargs`` must be ids and
    plain values, never victim data: they pass through the broker.
    """
    transaction.on_commit(lambda: _send(task_name, kwargs))


def registered_task(task_name: str) -> Any:
    """The task called ``task_name``, importing the apps' task modules if no worker has.

    A web process never starts a worker, so Celery's lazy autodiscovery of each app's
    ``tasks`` module has not run there; importing the default modules runs it once.
    """
    from navigator.celery import app

    if task_name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[task_name]


def _send(task_name: str, kwargs: dict[str, Any]) -> None:
    try:
        registered_task(task_name).apply_async(kwargs=kwargs)
    except Exception as error:  # best effort by design: see the module docstring
        # The error's text may carry the broker URL's password; its type is enough here.
        logger.warning(
            "Could not queue %s (%s); the next periodic pass will pick the work up",
            task_name,
            type(error).__name__,
        )
