"""Health checks of the services Navigator stands on (django-health-check)."""

import dataclasses
import datetime

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class Broker(HealthCheck):
    """Can we reach the Celery broker? Nothing is lost while it is down (the work waits in
    the database), but nudges are dropped and the periodic jobs do not run."""

    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        from navigator.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0, timeout=2)
        except Exception as error:  # any transport's failure means the same here
            # The type only: the message can carry the broker URL and its password.
            raise ServiceUnavailable(f"Cannot reach the broker ({type(error).__name__})") from None
