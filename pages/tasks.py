"""Periodic housekeeping for the pages."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="pages.tasks.clear_ended_sessions_task")
def clear_ended_sessions_task() -> None:
    """Delete expired sessions: one may still hold a form kept for its author (pages.drafts)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
