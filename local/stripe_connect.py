"""Stripe Connect for the local stack, in front of localstripe, which has none: connected
accounts, account links and their onboarding, answered in the shape of Stripe's API
reference; everything else is forwarded to localstripe.

`make dev` and the tests point the app's Stripe SDK here. What it does besides the Connect
calls, each a thing real Stripe does and localstripe does not:
- replays the first answer for a repeated `Idempotency-Key` (per `Stripe-Account`);
- accepts `application_fee_amount` and `setup_future_usage` (localstripe answers 400
  "Unexpected ..."): it records them with the `Stripe-Account` header, so tests can assert
  the fee and the connected account of every charge, and forwards the rest;
- onboarding: an account link opens a local page whose button completes the account (as the
  owner finishing Stripe's pages would) and sends a signed `account.updated` event;
- webhooks: localstripe delivers its events here (`/v1/webhooks/stripe`); each is checked,
  given the `account` its object was made on (as Stripe's Connect events carry it), signed
  again and delivered to the API;
- Stripe.js for the browser (`/js.stripe.com/v3/`): localstripe's, with the card confirmation
  it lacks (local/stripe_card.py), and, when that card is authorised on an intent captured
  later, the `payment_intent.amount_capturable_updated` event localstripe never sends (not
  after 3-D Secure, which localstripe's own script completes: that path stays held here).
Runs as a thread of the process that starts it, on 127.0.0.1, stopped by it.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from local.stripe_card import pay, stripe_js

CONNECT_ONLY = ("application_fee_amount", "setup_future_usage")
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sign(payload: bytes, secret: str, at: int) -> str:
    """Stripe's signature header of `payload` (`t=<unix>,v1=<HMAC-SHA256>`)."""
    mac = hmac.new(secret.encode(), str(at).encode() + b"." + payload, hashlib.sha256)
    return f"t={at},v1={mac.hexdigest()}"


def _signed_by(header: str, payload: bytes, secret: str) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    at = parts.get("t", "")
    if not at.isascii() or not at.isdigit():
        return False
    return hmac.compare_digest(sign(payload, secret, int(at)), f"t={at},v1={parts.get('v1', '')}")


class StripeConnect:
    """`webhook_secret` signs the events delivered to `webhook_target` (the API's base
    address), and checks localstripe's; without a target, events are not relayed."""

    def __init__(
        self, upstream: str, *, webhook_secret: str = "", webhook_target: str = "", port: int = 0
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.webhook_secret = webhook_secret
        self.webhook_target = webhook_target.rstrip("/")
        self.accounts: dict[str, dict[str, Any]] = {}
        self.recorded: list[dict[str, Any]] = []  # connect-only params seen, per request
        self.relayed: list[dict[str, Any]] = []  # events delivered to the API
        self._owners: dict[str, str] = {}  # object id -> the connected account it was made on
        # intent id -> what its capture took: localstripe's later answers and events about the
        # intent leave `amount_received` out (Stripe's always carry it), and a partial capture
        # read again was then taken for the whole authorisation (an outside tester's).
        self._received: dict[str, int] = {}
        self._replies: dict[tuple[str, str], tuple[int, bytes]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> StripeConnect:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

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
        """What the owner finishing Stripe's onboarding pages does to the account; Stripe then
        tells the platform (`account.updated`)."""
        account = self.accounts[account_id]
        account.update(charges_enabled=True, details_submitted=True, payouts_enabled=True)
        if self.webhook_target:
            created = int(time.time())
            self._deliver(
                {
                    "id": f"evt_local_{next(self._ids):016d}",
                    "object": "event",
                    "api_version": "2024-06-20",
                    "type": "account.updated",
                    "account": account_id,
                    "created": created,
                    "livemode": False,
                    "pending_webhooks": 1,
                    "data": {"object": dict(account)},
                }
            )

    def authorised(self, intent: dict[str, Any]) -> None:
        """A card confirmed on an intent that captures later (`capture_method` manual) leaves
        it `requires_capture`: Stripe then sends `payment_intent.amount_capturable_updated`,
        which localstripe does not, so the order would never learn its card was authorised."""
        if not self.webhook_target or intent.get("status") != "requires_capture":
            return
        intent = {**intent, "amount_capturable": intent.get("amount", 0)}
        evt: dict[str, Any] = {
            "id": f"evt_local_{next(self._ids):016d}",
            "object": "event",
            "api_version": "2024-06-20",
            "type": "payment_intent.amount_capturable_updated",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "data": {"object": intent},
        }
        account = self._owners.get(str(intent.get("id", "")))
        if account:
            evt["account"] = account
        self._deliver(evt)

    def _onboarding_page(self, account_id: str, query: dict[str, str]) -> tuple[int, bytes]:
        if account_id not in self.accounts:
            return 404, b"No such account."
        back = html.escape(query.get("return_url", ""))
        page = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Stripe onboarding '
            f"(local)</title><h1>Stripe onboarding (local stand-in)</h1><p>Account "
            f"{html.escape(account_id)}: what Stripe's pages would ask, taken as answered.</p>"
            f'<form method="post"><input type="hidden" name="return_url" value="{back}">'
            "<button>Complete onboarding</button></form></html>"
        )
        return 200, page.encode()

    # -- webhooks ---------------------------------------------------------------------------

    def _relay(self, payload: bytes, signature: str) -> int:
        """An event from localstripe: checked, given its object's connected account, signed
        again and delivered to the API."""
        if self.webhook_secret and not _signed_by(signature, payload, self.webhook_secret):
            return 400
        evt = json.loads(payload)
        obj = evt.get("data", {}).get("object", {})
        if isinstance(obj, dict):
            self._with_received(obj)
        for ref in (obj.get("id"), obj.get("payment_intent"), obj.get("setup_intent")):
            account = self._owners.get(str(ref)) if ref else None
            if account:
                evt["account"] = account
                break
        return self._deliver(evt)

    def _deliver(self, evt: dict[str, Any]) -> int:
        payload = json.dumps(evt).encode()
        request = urllib.request.Request(
            f"{self.webhook_target}/v1/webhooks/stripe",
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": sign(payload, self.webhook_secret, int(time.time())),
            },
        )
        self.relayed.append(evt)
        try:
            with _NO_PROXY.open(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            return 502

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
                "url": f"{self.endpoint}/connect/onboarding/{params['account']}?"
                + urllib.parse.urlencode({"return_url": params.get("return_url", "")}),
            }
        return None

    # -- HTTP ------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_Handler,), {"connect": self})

    def _remember_owner(self, payload: bytes, account: str) -> None:
        """The object a request made on a connected account belongs to it: its events will
        carry that account."""
        try:
            made = json.loads(payload)
        except ValueError:
            return
        if isinstance(made, dict) and isinstance(made.get("id"), str):
            with self._lock:
                self._owners[made["id"]] = account

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
                return response.status, self._captured(path, dict(kept), response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def _captured(self, path: str, params: dict[str, str], payload: bytes) -> bytes:
        """An intent with `amount_received`, as Stripe answers it: localstripe leaves it out,
        and a partial capture (`amount_to_capture`) was then read as the whole authorisation;
        what a capture took is kept and said again on every later answer about the intent."""
        try:
            intent = json.loads(payload)
        except ValueError:
            return payload
        if not isinstance(intent, dict) or intent.get("object") != "payment_intent":
            return payload
        captured = path.split("?")[0].rstrip("/").endswith("/capture")
        if captured and intent.get("status") == "succeeded":
            if intent.get("amount_received") is None:
                asked = params.get("amount_to_capture") or intent.get("amount") or 0
                intent["amount_received"] = int(asked)
            with self._lock:
                self._received[str(intent.get("id"))] = int(intent["amount_received"])
        self._with_received(intent)
        return json.dumps(intent).encode()

    def _with_received(self, intent: dict[str, Any]) -> None:
        if intent.get("amount_received") is None and str(intent.get("id")) in self._received:
            intent["amount_received"] = self._received[str(intent.get("id"))]


class _Handler(BaseHTTPRequestHandler):
    connect: StripeConnect  # set on the subclass each StripeConnect makes

    def log_message(self, *args: Any) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802 - the standard library's names
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def do_OPTIONS(self) -> None:  # noqa: N802 - a browser's preflight before `_pay`
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.end_headers()

    def _cors(self) -> None:
        # The browser's card confirmation (local/stripe_card.py) takes no credential.
        self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        if path.startswith("/connect/onboarding/"):
            self._onboarding(method, path, query, body)
        elif path == "/v1/webhooks/stripe" and method == "POST":
            self._send(self.connect._relay(body, self.headers.get("Stripe-Signature", "")), b"{}")
        elif path == "/js.stripe.com/v3/" and method == "GET":
            script = stripe_js(self.connect.upstream, self.connect.endpoint)
            self._send(200, script, "application/javascript; charset=utf-8")
        elif path.startswith("/v1/payment_intents/") and path.endswith("/_pay"):
            try:
                asked = json.loads(body or b"{}")
            except ValueError:
                asked = {}
            intent = path.split("/")[3]
            status, answer = pay(
                self.connect.upstream, intent, asked if isinstance(asked, dict) else {}
            )
            self._send(status, json.dumps(answer).encode(), cors=True)
            if status == 200:
                self.connect.authorised(answer)
        else:
            self._send(*self._api(method, body))

    def _api(self, method: str, body: bytes) -> tuple[int, bytes]:
        connect = self.connect
        pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
        account = self.headers.get("Stripe-Account", "")
        key = self.headers.get("Idempotency-Key")
        with connect._lock:
            if key and (account, key) in connect._replies:
                return connect._replies[(account, key)]
        local = connect._connect(method, self.path, dict(pairs))
        if local is not None:
            status, payload = local[0], json.dumps(local[1]).encode()
        else:
            status, payload = connect._forward(method, self.path, pairs, self.headers, account)
            if account and method == "POST" and status < 300:
                connect._remember_owner(payload, account)
        if key and method == "POST" and status < 500:
            with connect._lock:
                connect._replies[(account, key)] = (status, payload)
        return status, payload

    def _onboarding(self, method: str, path: str, query: str, body: bytes) -> None:
        account_id = path.rsplit("/", 1)[1]
        params = dict(urllib.parse.parse_qsl(query or body.decode()))
        if method == "POST" and account_id in self.connect.accounts:
            self.connect.complete_onboarding(account_id)
            self.send_response(303)
            self.send_header("Location", params.get("return_url") or "/")
            self.end_headers()
            return
        status, page = self.connect._onboarding_page(account_id, params)
        self._send(status, page, "text/html; charset=utf-8")

    def _send(
        self, status: int, payload: bytes, kind: str = "application/json", *, cors: bool = False
    ) -> None:
        self.send_response(status)
        if cors:
            self._cors()
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
