"""Celery tasks of the privacy app: thin and idempotent."""

from celery import shared_task
from django.utils import timezone

from privacy.retention import anonymise_closed_cases


@shared_task(name="privacy.tasks.anonymise_closed_cases_task")
def anonymise_closed_cases_task() -> int:
    return len(anonymise_closed_cases(now=timezone.now()).records)
