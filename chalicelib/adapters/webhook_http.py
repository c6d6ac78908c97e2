"""POSTing webhook deliveries with the standard library (no `requests` at Lambda run time).

Before each POST the host is resolved and every address checked again, so a name that was
public when the endpoint was registered and now points inside (DNS rebinding) is refused.
(urllib resolves once more when it connects; pinning the checked address would close that
last gap and is left for later.) Redirects are not followed: a 3xx is a failed attempt.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.webhooks import PostResult, check_addresses, check_url
from chalicelib.services.ports import HostResolver, WebhookSender

TIMEOUT_SECONDS = 10
MAX_ERROR_CHARS = 200


class SocketResolver(HostResolver):
    def addresses(self, host: str) -> list[str]:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            return []
        return sorted({str(info[4][0]) for info in infos})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibWebhookSender(WebhookSender):
    def __init__(
        self,
        resolver: HostResolver,
        *,
        allow_loopback: bool = False,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._resolver = resolver
        self._allow_loopback = allow_loopback
        self._timeout = timeout
        # No proxies from the environment: deliveries go straight to the tenant's address.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
        started = time.monotonic()
        try:
            host = check_url(url, allow_loopback=self._allow_loopback)
            check_addresses(
                host, self._resolver.addresses(host), allow_loopback=self._allow_loopback
            )
        except InvalidInput as exc:
            return PostResult(status=None, latency_ms=0, error=f"refused: {exc.code}")
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                response.read(1024)  # a little of the body, so keep-alive servers are happy
                status = response.status
            return PostResult(status=status, latency_ms=_since(started))
        except urllib.error.HTTPError as exc:
            return PostResult(status=exc.code, latency_ms=_since(started), error=f"HTTP {exc.code}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            text = f"{type(exc).__name__}: {reason}"[:MAX_ERROR_CHARS]
            return PostResult(status=None, latency_ms=_since(started), error=text)


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
