"""Test helpers for webhooks: the verification snippet exactly as documented, and a receiver.

`verifier()` execs the first ```python block of docs/WEBHOOKS.md, so the tests check the very
text tenants copy. `Receiver` is a real HTTP server on 127.0.0.1 answering scripted statuses.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

DOC = Path(__file__).resolve().parents[1] / "docs" / "WEBHOOKS.md"


def snippet() -> str:
    match = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert match, "docs/WEBHOOKS.md has no python snippet"
    return match.group(1)


def verifier(now: float | None = None) -> Callable[..., bool]:
    """The documented function; `now` fixes the clock it reads (tests on a fake clock)."""
    namespace: dict[str, Any] = {}
    exec(compile(snippet(), str(DOC), "exec"), namespace)  # noqa: S102 - our own document
    if now is not None:
        namespace["time"] = SimpleNamespace(time=lambda: now)
    return namespace["verify_reservoir_signature"]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver: records requests, answers `statuses` in turn, then `default`."""

    statuses: list[int] = field(default_factory=list)
    default: int = 200
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.default
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
