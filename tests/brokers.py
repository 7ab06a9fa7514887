"""Point the Celery app at another broker for a test: one that is down, or a private one."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from navigator.celery import app

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Publish to ``url`` for real (not eagerly) until the block ends."""
    conf = app.conf
    saved = (conf.broker_url, conf.broker_read_url, conf.broker_write_url, conf.task_always_eager)
    pools = (app._pool, app.amqp._producer_pool)
    # Celery resolved the read and write URLs from the broker URL once: set all three.
    conf.broker_url = conf.broker_read_url = conf.broker_write_url = url
    conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.broker_url, conf.broker_read_url, conf.broker_write_url = saved[:3]
        conf.task_always_eager = saved[3]
        app._pool, app.amqp._producer_pool = pools


@pytest.fixture
def broker_down() -> Iterator[str]:
    """A broker that refuses connections, as a new user would have with CELERY_BROKER_URL
    naming a Redis that is not running."""
    with celery_broker(DEAD_BROKER):
        yield DEAD_BROKER
