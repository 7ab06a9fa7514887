"""Private servers and workers for fault tests: a Redis and a PostgreSQL cluster of the
test's own on free ports, and Celery workers on it and on the test database, each started,
stopped and killed by the test alone (never the shared PostgreSQL or Redis)."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 90  # for things another process does; far above what they take


def wait_for(condition: Callable[[], Any], what: str, *, seconds: float = DEADLINE_SECONDS) -> Any:
    """Poll ``condition`` until it is true: another process is doing the work, so there is
    nothing to wait on directly. Fails the test with ``what`` if it never becomes true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    pytest.fail(f"Gave up waiting for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class PrivateRedis:
    """A redis-server of this test's own, with no persistence (a restart loses what it held)."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            message = "the fault tests start their own redis-server: apt-get install redis-server"
            if os.environ.get("NAVIGATOR_REQUIRE_FAULT_TESTS"):
                pytest.fail(message)  # CI (.ci/run) runs them always
            pytest.skip(message)
        self.process = subprocess.Popen(
            [
                server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: answers(self.port), f"the private Redis on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        wait_for(lambda: not answers(self.port), "the private Redis to stop")

    def queue_length(self, queue: str = "celery") -> int:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(f"LLEN {queue}\r\n".encode())
            return int(sock.recv(32).strip().lstrip(b":"))


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    redis = PrivateRedis(directory=tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def the_test_database_url() -> str:
    """The test database (each xdist worker has its own), for processes the test starts."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Workers:
    """Celery workers (solo pool: the process that runs the task is the one we kill)."""

    broker_url: str
    directory: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def outbox(self) -> Path:
        return self.directory / "outbox"

    def start(self) -> subprocess.Popen[bytes]:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DEBUG": "true",
            "DATABASE_URL": the_test_database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.outbox),
            "NAVIGATOR_VAR_DIR": str(self.directory / "var"),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_SKIP_CHECKS": "true",
            **self.extra_env,
        }
        log = (self.directory / f"worker-{len(self.started)}.log").open("wb")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "navigator",
                "worker",
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, the transaction left open."""
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                worker.terminate()  # a warm shutdown: it finishes the task in hand
                try:
                    worker.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    self.kill(worker)

    def emails(self) -> list[str]:
        """The subjects of every email the workers sent."""
        if not self.outbox.exists():
            return []
        return [
            line.removeprefix("Subject: ")
            for path in sorted(self.outbox.iterdir())
            for line in path.read_text().splitlines()
            if line.startswith("Subject: ")
        ]

    def log(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.directory.glob("worker-*.log")))


@pytest.fixture
def workers(private_redis: PrivateRedis, tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(broker_url=private_redis.url, directory=tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()  # before the test database is emptied


def postgres_binaries() -> Path:
    """The newest PostgreSQL server installed (Debian keeps each version's own tools apart)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: int(initdb.parts[-3]) if initdb.parts[-3].isdigit() else 0,
    )
    if not found:
        cannot_start("the fault tests start their own PostgreSQL: apt-get install postgresql")
    return found[-1].parent


def cannot_start(message: str) -> None:
    """Skip the test that needs a server this machine cannot start; fail it in CI, which
    runs every fault test (NAVIGATOR_REQUIRE_FAULT_TESTS)."""
    if os.environ.get("NAVIGATOR_REQUIRE_FAULT_TESTS"):
        pytest.fail(message)
    pytest.skip(message)


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of this test's own: initdb into a temporary folder, its own port,
    trust for local connections, no fsync (a restart keeps what was committed; a crash of
    the machine is not what is tested). PostgreSQL refuses to run as root, so as root it
    runs as the system's postgres user."""

    directory: Path
    binaries: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "navigator") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str) -> None:
        user = "postgres" if os.geteuid() == 0 else None
        subprocess.run(
            [str(self.binaries / tool), *args],
            check=True,
            user=user,
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", "server.log", "-w", "start")
        wait_for(lambda: accepts_connections(self.port), f"PostgreSQL on port {self.port}")

    def stop(self) -> None:
        """A fast shutdown, as a restart does: sessions are ended, their transactions rolled
        back, and the server stops accepting connections."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        wait_for(lambda: not accepts_connections(self.port), "the private PostgreSQL to stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    binaries = postgres_binaries()
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            cannot_start("as root the private PostgreSQL runs as the postgres user: there is none")
    # Not under pytest's tmp_path: as root its folders are closed to the postgres user.
    directory = Path(tempfile.mkdtemp(prefix="navigator-postgres-"))
    if os.geteuid() == 0:
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    server = PrivatePostgres(directory=directory, binaries=binaries)
    try:
        server.create()
        server.start()
        yield server
    finally:
        if server.running():
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)
