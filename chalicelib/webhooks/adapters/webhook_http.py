"""POSTing webhook deliveries with the standard library (no `requests` at Lambda run time).

- Resolve once, check, connect to what was checked. Before each POST the host is resolved and
  every address checked (`check_addresses`), so a name that was public when the endpoint was
  registered and now points inside (DNS rebinding) is refused; the connection then goes to a
  checked address, never to a second resolution of the name. The Host header, TLS's server
  name (SNI) and the certificate check still use the URL's host.
- One deadline for the whole request: connecting, the TLS handshake, sending, and reading the
  status line share `deadline` seconds (`DELIVERY_DEADLINE_SECONDS`). A per-read timeout would
  let a receiver that sends a byte every few seconds hold a worker for minutes, and with it
  the other tenants' deliveries in the same batch (chalicelib/queues.py does that arithmetic).
  Only the status line is read: the body and the headers are of no use to a delivery.
- Redirects are not followed: a 3xx is a failed attempt.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from urllib.parse import urlsplit

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.untrusted import ascii_int
from chalicelib.webhooks.domain.webhooks import (
    DELIVERY_DEADLINE_SECONDS,
    PostResult,
    check_addresses,
    check_url,
)
from chalicelib.webhooks.services.webhook_ports import HostResolver, WebhookSender

MAX_ERROR_CHARS = 200
MAX_HEAD_BYTES = 8192  # of status lines (and interim 1xx heads) read before giving up


class SocketResolver(HostResolver):
    def addresses(self, host: str) -> list[str]:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            return []
        return sorted({str(info[4][0]) for info in infos})


class DeadlinePassed(TimeoutError):
    pass


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._at - time.monotonic()
        if left <= 0:
            raise DeadlinePassed(f"no answer within the {self.seconds:g} s deadline")
        return left


class PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to `host` at the given, already checked, addresses: the socket connects to an
    address (IPv4 first: Lambda outside a VPC has no IPv6 route), the Host header, SNI and
    the certificate check use `host`. No name is resolved here."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        addresses: list[str],
        tls: ssl.SSLContext | None,
        deadline: _Deadline,
    ) -> None:
        super().__init__(host, port, timeout=deadline.seconds)
        self.addresses = sorted(addresses, key=lambda a: ":" in a)
        self.connected_to: str | None = None
        self._tls = tls
        self._deadline = deadline
        if tls is not None:
            self.default_port = 443  # so the Host header omits :443, as for any https client

    def connect(self) -> None:
        sock, failure = None, None
        for address in self.addresses:
            try:
                sock = socket.create_connection((address, self.port), self._deadline.remaining())
            except DeadlinePassed:
                raise
            except OSError as exc:
                failure = exc
                continue
            self.connected_to = address
            break
        if sock is None:
            raise failure or OSError("no address to connect to")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock.settimeout(self._deadline.remaining())  # the whole handshake, not per read
            sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock


def read_status(sock: socket.socket, deadline: _Deadline) -> int:
    """The final status code of an HTTP/1.x answer, read before the deadline (interim 1xx
    answers skipped); nothing after the status line is read."""
    reader = _LineReader(sock, deadline)
    while True:
        version, _, rest = reader.line().partition(b" ")
        status = ascii_int(rest[:3].decode("latin-1"), max_digits=3)
        if not version.startswith(b"HTTP/") or status is None or len(rest[:3]) != 3:
            raise http.client.BadStatusLine(repr(version + b" " + rest)[:80])
        if status >= 200 or status < 100:
            return status
        while reader.line().strip():  # an interim answer's headers, up to its blank line
            pass


class _LineReader:
    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline
        self._buffer = b""
        self._read = 0

    def line(self) -> bytes:
        while b"\n" not in self._buffer:
            if self._read >= MAX_HEAD_BYTES:
                raise http.client.LineTooLong("status line")
            self._sock.settimeout(self._deadline.remaining())
            try:
                chunk = self._sock.recv(1024)
            except TimeoutError:  # the socket's timeout was what was left of ours
                self._deadline.remaining()  # raises DeadlinePassed
                raise
            if not chunk:
                raise http.client.RemoteDisconnected("closed without an answer")
            self._read += len(chunk)
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.rstrip(b"\r")


class HttpWebhookSender(WebhookSender):
    """http.client to pinned addresses, under one deadline (see above)."""

    def __init__(
        self,
        resolver: HostResolver,
        *,
        allow_loopback: bool = False,
        deadline: float = DELIVERY_DEADLINE_SECONDS,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._resolver = resolver
        self._allow_loopback = allow_loopback
        self._deadline = deadline
        self._tls = tls or ssl.create_default_context()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
        started = time.monotonic()
        deadline = _Deadline(self._deadline)
        try:
            host = check_url(url, allow_loopback=self._allow_loopback)
            addresses = self._resolver.addresses(host)
            check_addresses(host, addresses, allow_loopback=self._allow_loopback)
        except InvalidInput as exc:
            return PostResult(status=None, latency_ms=0, error=f"refused: {exc.code}")
        parts = urlsplit(url)
        https = parts.scheme == "https"
        connection = PinnedConnection(
            host,
            parts.port or (443 if https else 80),
            addresses=addresses,
            tls=self._tls if https else None,
            deadline=deadline,
        )
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.putrequest("POST", target, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.putheader("Connection", "close")
            connection.connect()
            assert connection.sock is not None
            connection.sock.settimeout(deadline.remaining())  # sendall: a total, not per send
            connection.endheaders(body)
            status = read_status(connection.sock, deadline)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            text = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
            return PostResult(status=None, latency_ms=_since(started), error=text)
        finally:
            connection.close()
        error = None if 200 <= status < 300 else f"HTTP {status}"
        return PostResult(status=status, latency_ms=_since(started), error=error)


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
