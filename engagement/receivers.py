"""The report's answers to what the apps below it announce."""

from typing import Any

from django.dispatch import receiver

from cases.models import Case
from engagement.services import keep_apart_from_baseline
from privacy.signals import case_anonymising


@receiver(case_anonymising, dispatch_uid="engagement.keep_apart_from_baseline")
def keep_an_anonymised_case_apart_from_the_baseline(sender: Any, case: Case, **kwargs: Any) -> None:
    keep_apart_from_baseline(case)
