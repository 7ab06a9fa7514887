"""Over https, the request goes to the address that was checked, while TLS checks the
certificate against the endpoint's host name (and the Host header carries it)."""

import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.personas import World
from tests.webhooks.helpers import a_notice, endpoint_for
from webhooks import dispatch as dispatch_module
from webhooks.dispatch import dispatch
from webhooks.models import WebhookAttempt

pytestmark = pytest.mark.django_db


def certificate_for(name: str, directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[int, list[str], Path]]:
    """An https receiver on 127.0.0.1 whose certificate names ``localhost`` only."""
    cert, key = certificate_for("localhost", tmp_path)
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            hosts.append(self.headers["host"])
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        yield server.server_address[1], hosts, cert
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch, tls_receiver: tuple[int, list[str], Path]) -> None:
    """The dispatcher's clients trust the receiver's certificate (as a real one is trusted)."""
    original = dispatch_module.Clients.for_host

    def for_host(self: dispatch_module.Clients, host: str) -> httpx.Client:
        client = original(self, host)
        client._transport = httpx.HTTPTransport(  # type: ignore[attr-defined]
            verify=ssl.create_default_context(cafile=str(tls_receiver[2]))
        )
        return client

    monkeypatch.setattr(dispatch_module.Clients, "for_host", for_host)


def test_https_goes_to_the_checked_address_with_the_host_name_checked(
    world: World, tls_receiver: tuple[int, list[str], Path], trusting: None
) -> None:
    port, hosts, _ = tls_receiver
    endpoint_for(world.haven, f"https://localhost:{port}/hooks")
    a_notice(world.case_a, world.nadia)
    dispatch()
    assert hosts == [f"localhost:{port}"]
    assert WebhookAttempt.objects.get().status_code == 204


def test_a_certificate_for_another_name_is_refused(
    world: World,
    tls_receiver: tuple[int, list[str], Path],
    trusting: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``other.test`` resolves (here) to the same address, but the certificate there is
    for localhost: the connection is refused and nothing is sent."""
    port, hosts, _ = tls_receiver
    monkeypatch.setattr(dispatch_module.addresses, "resolve", lambda host, port: ["127.0.0.1"])
    endpoint_for(world.haven, f"https://other.test:{port}/hooks")
    a_notice(world.case_a, world.nadia)
    dispatch()
    assert hosts == []
    attempt = WebhookAttempt.objects.get()
    assert (attempt.outcome, attempt.error) == ("failed", "ConnectError")
