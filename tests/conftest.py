"""Test set-up: the suite runs against the real PostgreSQL and Redis, never SQLite alone."""

import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

START_SERVICES = "Start them with: docker compose up -d db redis"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_configure(config: pytest.Config) -> None:
    # Real password hashing costs a third of a second per persona; tests do not test it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in-process unless a test starts a real worker on the real broker
    # (tests/alerts/test_worker.py does).
    from navigator.celery import app

    app.conf.task_always_eager = True


def pytest_sessionstart(session: pytest.Session) -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise pytest.UsageError(
            "The tests run against PostgreSQL, not "
            f"{database['ENGINE'].rsplit('.', 1)[-1]}. Run ./bin/test, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/navigator. " + START_SERVICES
        )
    host, port = database.get("HOST") or "127.0.0.1", int(database.get("PORT") or 5432)
    if not _reachable(host, port):
        raise pytest.UsageError(f"PostgreSQL is not reachable at {host}:{port}. {START_SERVICES}")
    broker = urlparse(settings.CELERY_BROKER_URL)
    if broker.scheme != "redis":
        raise pytest.UsageError(
            "The tests run against Redis as the Celery broker. Run ./bin/test, or set "
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/0. " + START_SERVICES
        )
    if not _reachable(broker.hostname or "127.0.0.1", broker.port or 6379):
        raise pytest.UsageError(
            f"Redis is not reachable at {broker.hostname}:{broker.port}. {START_SERVICES}"
        )


pytest_plugins = ["tests.personas", "tests.brokers"]
