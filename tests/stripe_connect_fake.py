"""A small Stripe front for tests: Connect accounts and account links (which localstripe
lacks), answered in the shape of Stripe's API reference, in front of localstripe for the rest.

Used by the integration and e2e tests only. What it does besides answering the two Connect
calls, each a thing real Stripe does and localstripe does not:
- replays the first answer for a repeated `Idempotency-Key` (per `Stripe-Account`);
- accepts `application_fee_amount` and `setup_future_usage` (localstripe answers 400
  "Unexpected ..."): it records them with the `Stripe-Account` header, so tests can assert
  the fee and the connected account of every charge, and forwards the rest.
"""

from __future__ import annotations

import itertools
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CONNECT_ONLY = ("application_fee_amount", "setup_future_usage")
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class StripeConnectFake:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.accounts: dict[str, dict[str, Any]] = {}
        self.recorded: list[dict[str, Any]] = []  # connect-only params seen, per request
        self._replies: dict[tuple[str, str], tuple[int, bytes]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StripeConnectFake:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- Connect ---------------------------------------------------------------------------

    def _account(self, params: dict[str, str]) -> dict[str, Any]:
        account_id = f"acct_{next(self._ids):016d}"
        account = {
            "id": account_id,
            "object": "account",
            "type": params.get("type", "standard"),
            "email": params.get("email"),
            "charges_enabled": False,
            "details_submitted": False,
            "payouts_enabled": False,
            "metadata": {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")},
        }
        self.accounts[account_id] = account
        return account

    def complete_onboarding(self, account_id: str) -> None:
        """What the owner finishing Stripe's onboarding pages does to the account."""
        self.accounts[account_id].update(
            charges_enabled=True, details_submitted=True, payouts_enabled=True
        )

    def _connect(self, method: str, path: str, params: dict[str, str]) -> tuple[int, Any] | None:
        parts = path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["v1", "accounts"]:
            if method == "POST" and len(parts) == 2:
                return 200, self._account(params)
            if method == "GET" and len(parts) == 3:
                found = self.accounts.get(parts[2])
                if found is None:
                    return 404, {
                        "error": {"type": "invalid_request_error", "code": "resource_missing"}
                    }
                return 200, found
        if parts == ["v1", "account_links"] and method == "POST":
            if params.get("account") not in self.accounts:
                return 400, {"error": {"type": "invalid_request_error", "param": "account"}}
            return 200, {
                "object": "account_link",
                "created": 1_800_000_000,
                "expires_at": 1_800_000_300,
                "url": f"https://connect.stripe.com/setup/s/{params['account']}/fake",
            }
        return None

    # -- HTTP ------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
                account = self.headers.get("Stripe-Account", "")
                key = self.headers.get("Idempotency-Key")
                with fake._lock:
                    if key and (account, key) in fake._replies:
                        return self._send(*fake._replies[(account, key)])
                local = fake._connect(method, self.path, dict(pairs))
                if local is not None:
                    status, payload = local[0], json.dumps(local[1]).encode()
                else:
                    status, payload = fake._forward(method, self.path, pairs, self.headers, account)
                if key and method == "POST" and status < 500:
                    with fake._lock:
                        fake._replies[(account, key)] = (status, payload)
                self._send(status, payload)

            def _send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def _forward(
        self, method: str, path: str, pairs: list[tuple[str, str]], headers: Any, account: str
    ) -> tuple[int, bytes]:
        extra = {k: v for k, v in pairs if k in CONNECT_ONLY}
        if extra or account:
            self.recorded.append({"path": path, "stripe_account": account, **extra})
        kept = [(k, v) for k, v in pairs if k not in CONNECT_ONLY]
        data = urllib.parse.urlencode(kept).encode() if method == "POST" else None
        request = urllib.request.Request(
            self.upstream + path,
            data=data,
            method=method,
            headers={
                "Authorization": headers.get("Authorization", ""),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with _NO_PROXY.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
