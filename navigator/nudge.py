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
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


def nudge_on_commit(task_name: str, **kwargs: Any) -> None:
    """Once the current transaction commits, queue ``task_name`` with ``kwargs``.

    Tasks are named, not imported, so that the modules recording work never
    import the task modules that sit on top of them. ``kwargs`` must be ids and
    plain values, never victim data: they pass through the broker.
    """
    transaction.on_commit(lambda: _send(task_name, kwargs))


def _send(task_name: str, kwargs: dict[str, Any]) -> None:
    from navigator.celery import app

    try:
        if app.conf.task_always_eager:
            # Tests (and CELERY_TASK_ALWAYS_EAGER) run the task here and now. (Not through
            # Celery's loader, which would set Django up again, logging and checks included.)
            autodiscover_modules("tasks")
            app.tasks[task_name].apply(kwargs=kwargs)
        else:
            # By name: a web process has not imported the task modules (tasks sit on top
            # and nothing imports them but the worker). No retries: the broker's connection
            # and socket timeouts (settings) bound how long a request can wait here.
            app.send_task(task_name, kwargs=kwargs, retry=False)
    except Exception as error:  # best effort by design: see the module docstring
        # The error's text may carry the broker URL's password; its type is enough here.
        logger.warning(
            "Could not queue %s (%s); the next periodic pass will pick the work up",
            task_name,
            type(error).__name__,
        )
