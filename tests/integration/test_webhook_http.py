"""The webhook sender against real sockets on 127.0.0.x: one deadline for the whole request,
and the connection goes to the address that was checked (no second resolution of the name).

Loopback stands in for the internet here (`allow_loopback`); 127.0.0.2 is a loopback address
on Linux that nothing else listens on, so reaching it proves which address was dialled."""

from __future__ import annotations

import datetime
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from chalicelib.webhooks.adapters.webhook_http import HttpWebhookSender
from chalicelib.webhooks.services.webhook_ports import HostResolver

TRICKLE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"  # 38 bytes, one a second


class FixedResolver(HostResolver):
    """Answers what it is told, and counts the questions."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def addresses(self, host: str) -> list[str]:
        self.asked.append(host)
        return list(self.answers.get(host, []))


@dataclass
class RawServer:
    """A TCP server on `address` that reads a request head and lets `answer` write back."""

    address: str
    answer: Callable[[socket.socket], None]
    wrap: Callable[[socket.socket], socket.socket] = lambda s: s
    requests: list[bytes] = field(default_factory=list)
    errors: list[OSError] = field(default_factory=list)
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        assert self._sock is not None
        return self._sock.getsockname()[1]

    def start(self) -> RawServer:
        self._sock = socket.create_server((self.address, 0))
        self._sock.settimeout(0.2)
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # stopped
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn = self.wrap(conn)
            conn.settimeout(5)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            length = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
            while length and len(head.partition(b"\r\n\r\n")[2]) < int(length[1]):
                head += conn.recv(4096)
            self.requests.append(head)
            self.answer(conn)
        except OSError as exc:
            self.errors.append(exc)  # the client gave up: what some tests want
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        time.sleep(0.3)  # the accept loop notices within its 0.2 s timeout
        if self._sock is not None:
            self._sock.close()


def trickle(conn: socket.socket) -> None:
    for byte in TRICKLE:
        conn.sendall(bytes([byte]))
        time.sleep(1)


def answer_204(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")


@pytest.fixture
def servers() -> Iterator[list[RawServer]]:
    started: list[RawServer] = []
    yield started
    for server in started:
        server.stop()


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_deadline(servers):
    server = RawServer("127.0.0.1", trickle).start()
    servers.append(server)
    sender = HttpWebhookSender(
        FixedResolver({"127.0.0.1": ["127.0.0.1"]}), allow_loopback=True, deadline=3
    )
    started = time.monotonic()
    result = sender.post(f"http://127.0.0.1:{server.port}/hooks", b"{}", {})
    took = time.monotonic() - started
    # The trickle takes 38 s; each byte arrives well within any per-read timeout.
    assert took < 10, f"held {took:.1f} s by a receiver trickling one byte a second"
    assert result.status is None and not result.succeeded
    assert "deadline" in (result.error or "")


def test_the_connection_goes_to_the_checked_address_with_the_url_s_host(servers):
    server = RawServer("127.0.0.2", answer_204).start()
    servers.append(server)
    # The system would resolve localhost to 127.0.0.1 (and ::1), where nothing listens on
    # this port: only the checked answer, 127.0.0.2, reaches the receiver.
    resolver = FixedResolver({"localhost": ["127.0.0.2"]})
    sender = HttpWebhookSender(resolver, allow_loopback=True)
    result = sender.post(
        f"http://localhost:{server.port}/hooks?x=1",
        b'{"a": 1}',
        {"Content-Type": "application/json"},
    )
    assert result.status == 204 and result.succeeded, result
    assert resolver.asked == ["localhost"]  # resolved once, for the check
    (head,) = server.requests
    assert head.startswith(b"POST /hooks?x=1 HTTP/1.1\r\n")
    assert f"\r\nHost: localhost:{server.port}\r\n".encode() in head


def test_https_verifies_the_url_s_host_while_connecting_to_the_checked_address(servers, tmp_path):
    cert, key = self_signed_certificate(tmp_path, "localhost")
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    names: list[str | None] = []
    server_tls.sni_callback = lambda sock, name, ctx: names.append(name)
    server = RawServer(
        "127.0.0.2", answer_204, wrap=lambda s: server_tls.wrap_socket(s, server_side=True)
    ).start()
    servers.append(server)
    trusting = ssl.create_default_context(cafile=str(cert))
    resolver = FixedResolver({"localhost": ["127.0.0.2"], "other.example": ["127.0.0.2"]})
    sender = HttpWebhookSender(resolver, allow_loopback=True, tls=trusting)
    result = sender.post(f"https://localhost:{server.port}/hooks", b"{}", {})
    assert result.status == 204, result
    assert names == ["localhost"]  # SNI is the URL's host, not the address
    # The same address under a name the certificate does not carry is refused.
    refused = sender.post(f"https://other.example:{server.port}/hooks", b"{}", {})
    assert refused.status is None
    assert "CERTIFICATE_VERIFY_FAILED" in (refused.error or ""), refused
    assert len(server.requests) == 1


def self_signed_certificate(folder: Path, name: str) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
