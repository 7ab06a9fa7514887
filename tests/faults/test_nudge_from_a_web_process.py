"""A web process never imports the task modules; its nudges must reach the broker anyway."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.servers import ROOT, PrivateRedis

pytestmark = pytest.mark.fault

# What nudge_on_commit runs once the transaction commits.
NUDGE = (
    "import sys\n"
    "from navigator.nudge import _send\n"
    "_send('alerts.tasks.notify_high_severity_task', {'alert_ids': [1]})\n"
    "sys.exit('alerts.tasks' in sys.modules)\n"  # fails if it had to import them
)


def test_a_process_that_never_imported_the_tasks_still_queues_its_nudge(
    private_redis: PrivateRedis, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE"))},
        "DEBUG": "true",
        "CELERY_BROKER_URL": private_redis.url,
        "NAVIGATOR_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", NUDGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Could not queue" not in result.stderr
    assert private_redis.queue_length() == 1
