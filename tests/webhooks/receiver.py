"""A partner's webhook receiver on 127.0.0.1: a real HTTP server in a thread that answers
from a script (one answer per request, the last repeated) and keeps what it received."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    script: list[Answer] = field(default_factory=lambda: [Answer(200)])
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Called before each answer, outside the lock (a test may hold requests up here).
    before_answer: Callable[[], None] | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/navigator/hooks"

    def answer_with(self, *answers: Answer | int) -> None:
        self.script = [a if isinstance(a, Answer) else Answer(a) for a in answers]

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]

    def next_answer(self, request: Received) -> Answer:
        with self.lock:
            self.received.append(request)
            number = len(self.received)
        return self.script[min(number, len(self.script)) - 1]


def start_receiver() -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            answer = receiver.next_answer(
                Received(
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    path=self.path,
                )
            )
            if receiver.before_answer is not None:
                receiver.before_answer()
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(server=server)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = start_receiver()
    try:
        yield started
    finally:
        started.server.shutdown()
        started.server.server_close()
