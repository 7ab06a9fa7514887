"""The health endpoint (/health/): the database, the broker, and the sweep.

The sweep check also tells the administrators when the sweep is late (once per
late spell), so a monitor polling this endpoint raises the alarm even when no
worker is running to notice.
"""

import dataclasses
from typing import Any

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from alerts.watchdog import sweep_freshness, warn_if_sweep_late


@dataclasses.dataclass
class Sweep(HealthCheck):
    """Has the periodic sweep finished recently? (SWEEP_LATE_AFTER_MINUTES)"""

    def run(self) -> None:
        try:
            now = timezone.now()
            try:
                freshness = sweep_freshness(now=now)
            except DatabaseError:
                raise ServiceUnavailable("Cannot tell: the database is unavailable") from None
            if freshness.late:
                warn_if_sweep_late(now=now)
                raise ServiceUnavailable(freshness.describe(now))
        finally:
            # Checks run in a thread of their own: leave no connection open behind them.
            connections.close_all()


def sweep_facts() -> dict[str, Any]:
    """When the sweep last finished, for monitors to graph; empty if the database is down
    (the database check says so)."""
    now = timezone.now()
    try:
        freshness = sweep_freshness(now=now)
    except DatabaseError:
        return {}
    return {
        "sweep_last_finished_at": freshness.last_finished_at.isoformat()
        if freshness.last_finished_at
        else None,
        "sweep_minutes_since_last_finished": freshness.minutes_since(now),
        "sweep_late_after_minutes": int(freshness.allowed.total_seconds() // 60),
    }


class HealthView(HealthCheckView):
    """The library's view, with when the sweep last finished added to its JSON and text."""

    checks = (
        "health_check.checks.Database",
        "navigator.health.Broker",
        "alerts.health.Sweep",
    )

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.sweep_facts = await sync_to_async(sweep_facts)()
        return await super().get(request, *args, **kwargs)

    def render_to_response_json(self, status: int) -> HttpResponse:
        results = {
            repr(result.check): "OK" if not result.error else str(result.error)
            for result in self.results
        }
        return JsonResponse({**results, **self.sweep_facts}, status=status)

    def render_to_response_text(self, status: int) -> HttpResponse:
        response = super().render_to_response_text(status)
        extra = "".join(f"{key}: {value}\n" for key, value in self.sweep_facts.items())
        response.content = response.content + extra.encode()
        return response
