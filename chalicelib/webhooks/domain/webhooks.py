"""Tenant webhooks: endpoints, their signing secrets, signatures, retries and health.

A delivery is a POST of the event's JSON. Its `Reservoir-Signature` header is
`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, with one `v1` per valid
secret (newest first) while a rotated secret is still honoured. Retries back off
exponentially for up to three days after the first attempt; an endpoint that failed every
attempt since a delivery's first attempt is disabled when that delivery gives up.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from dataclasses import replace
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.event_registry import EVENTS
from chalicelib.kernel.domain.events import BookingEvent, DomainEvent
from chalicelib.kernel.domain.timefmt import format_utc, parse
from chalicelib.kernel.domain.values import value

SIGNATURE_HEADER = "Reservoir-Signature"
ALL_EVENTS = "*"
SECRET_PREFIX = "whsec_"
RETRY_WINDOW_SECONDS = 3 * 24 * 3600
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 6 * 3600
MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600
MAX_ENDPOINTS = 20
# One POST, all of it (connect, TLS, send, the status line), however slowly the receiver
# trickles: the webhook queue's batch size and function timeout are computed from it.
DELIVERY_DEADLINE_SECONDS = 10
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
# The events an endpoint may subscribe to: the booking's events of the registry (a misspelt
# name is refused instead of silently never firing; a new booking event is subscribable as
# soon as it is registered).
EVENT_TYPES = frozenset(name for name, cls in EVENTS.items() if issubclass(cls, BookingEvent))


class EndpointStatus(StrEnum):
    ENABLED = "enabled"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DEAD = "dead"  # gave up after three days; its message went to the dead-letter queue
    CANCELLED = "cancelled"  # the endpoint was disabled or deleted meanwhile


@value
class SigningSecret:
    id: str
    value: str
    created_at: str
    expires_at: str | None = None  # set when a rotation retires it

    def valid_at(self, now: str) -> bool:
        return self.expires_at is None or now < self.expires_at


@value
class WebhookEndpoint:
    id: str
    url: str
    event_types: tuple[str, ...]
    description: str
    status: EndpointStatus
    secrets: tuple[SigningSecret, ...]  # newest first
    created_at: str
    updated_at: str
    version: int = 1
    disabled_reason: str | None = None

    def wants(self, event_name: str) -> bool:
        return ALL_EVENTS in self.event_types or event_name in self.event_types

    def existed_at(self, at: str) -> bool:
        """Whether the endpoint was registered when an event happened at `at`: one registered
        while the pipeline was behind was sent every event still queued, a demo's history
        of November included (an outside tester's); older events are a replay's to send."""
        try:
            return parse(self.created_at) <= parse(at)
        except ValueError:  # a stamp of another shape: sent, as before
            return True

    @property
    def enabled(self) -> bool:
        return self.status is EndpointStatus.ENABLED

    def signing_secrets(self, now: str) -> list[str]:
        return [s.value for s in self.secrets if s.valid_at(now)]

    def edited(self, at: str, **changes: Any) -> WebhookEndpoint:
        return replace(self, updated_at=at, version=self.version + 1, **changes)

    def rotated(self, new: SigningSecret, *, old_expires_at: str) -> WebhookEndpoint:
        """The new secret signs first; the others stop being honoured at `old_expires_at`
        (or earlier, if they were already due to)."""
        now = new.created_at
        kept = tuple(
            replace(s, expires_at=min(s.expires_at or old_expires_at, old_expires_at))
            for s in self.secrets
            if s.valid_at(now)
        )
        kept = tuple(s for s in kept if s.valid_at(now))
        return self.edited(now, secrets=(new, *kept))

    def disabled(self, at: str, reason: str) -> WebhookEndpoint:
        return self.edited(at, status=EndpointStatus.DISABLED, disabled_reason=reason)


@value
class Delivery:
    """One event for one endpoint (or one replay of it), retried until it succeeds or dies."""

    id: str
    endpoint_id: str
    event_id: str
    event_name: str
    payload: str  # the exact body every attempt sends
    created_at: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    first_attempt_at: str | None = None
    last_attempt_at: str | None = None
    next_attempt_at: str | None = None
    response_code: int | None = None
    replay_id: str | None = None
    lease_until: str | None = None  # while an attempt is in flight


@value
class DeliveryAttempt:
    """One POST, for the delivery log."""

    endpoint_id: str
    delivery_id: str
    event_id: str
    event_name: str
    attempt: int
    at: str
    succeeded: bool
    response_code: int | None
    latency_ms: int
    error: str | None = None
    next_attempt_at: str | None = None


@value
class EndpointHealth:
    consecutive_failures: int = 0
    failing_since: str | None = None  # first failure since the last success
    last_success_at: str | None = None
    last_failure_at: str | None = None


@value
class PostResult:
    """What the receiver answered (status None: no answer: refused, timeout, bad address)."""

    status: int | None
    latency_ms: int
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


# -- signing ---------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets)])


class Business(Protocol):
    """Whose event it is: the tenant's id, and what its figures and times are read in."""

    @property
    def id(self) -> str: ...

    @property
    def currency(self) -> str: ...

    @property
    def timezone(self) -> str: ...


def payload(event: DomainEvent, business: Business, *, words: bool = True) -> str:
    """The body of every delivery of this event: stable bytes, so retries are identical.
    `data` is the event class's fields (docs/WEBHOOKS.md lists them per event); without
    `words`, only its ids, times, figures and flags (`without_words`). `currency` and
    `timezone` are the business's: every amount in `data` is in minor units of that currency,
    and a UTC `start` is read in that zone (a stay's first night starts at local midnight:
    an outside integrator read a Berlin stay's "2026-12-26T23:00Z" as an arrival a day early,
    and a payment's "amount": 11400 without knowing it was yuan)."""
    data = event.data()
    doc = {
        "id": event.id,
        "type": event.name,
        "created_at": event.at,
        "tenant_id": business.id,
        "currency": business.currency,
        "timezone": business.timezone,
        "data": data if words else without_words(data),
    }
    return json.dumps(doc, separators=(",", ":"), sort_keys=True, default=str)


def without_words(data: dict[str, Any]) -> dict[str, Any]:
    """An event's data as a delivery fanned out after its customer was erased carries it: its
    ids, times, figures and flags, not the text someone wrote (a message's subject and body, a
    refund's reason, a charge's label), which the erase scrubbed from the deliveries it found
    but cannot find in a delivery made after it (a reviewer's queued message did so)."""

    def kept(key: str, value: object) -> bool:
        if not isinstance(value, str | list | dict):
            return True
        return key in ("at", "currency") or key.endswith(("_id", "_at"))

    return {key: value for key, value in data.items() if kept(key, value)}


# -- retries and health ----------------------------------------------------------------------


def retry_delay(attempt: int) -> int:
    """Seconds to wait after failed attempt `attempt` (1-based): 1 min, 2, 4, ... 6 h cap."""
    return min(FIRST_RETRY_SECONDS << (attempt - 1), MAX_RETRY_SECONDS)


def next_attempt_at(first_attempt_at: str, now: str, attempt: int) -> str | None:
    """When to try again after failed attempt `attempt`; None once past the three days."""
    due = parse(now) + timedelta(seconds=retry_delay(attempt))
    if due > parse(first_attempt_at) + timedelta(seconds=RETRY_WINDOW_SECONDS):
        return None
    return format_utc(due)


def failing_throughout(health: EndpointHealth, first_attempt_at: str) -> bool:
    """The disable rule, checked when a delivery is given up: the endpoint has not answered
    one attempt successfully since that delivery's first attempt (about three days ago)."""
    return health.failing_since is not None and health.failing_since <= first_attempt_at


# -- addresses (server-side request forgery) -------------------------------------------------


def check_url(url: str, *, allow_loopback: bool) -> str:
    """The URL's host, if the URL is acceptable as written; its addresses are checked apart
    (`check_addresses`) because resolving a name is I/O. Only visible ASCII is taken: a
    space or a line break could never be requested, and `urlsplit` drops a tab or a line
    break silently, so the path requested would not be the one shown (an outside tester's
    `/tab\there` was posted to `/tabhere`)."""
    if not all("!" <= c <= "~" for c in url):
        raise InvalidInput(
            "The URL may hold only visible ASCII characters: percent-encode the rest "
            "(a space is %20) and write a non-ASCII host in its xn-- form.",
            code="invalid_url",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput("The URL is not valid.", code="invalid_url") from exc
    host = (parts.hostname or "").lower()
    if not host:
        raise InvalidInput("The URL needs a host.", code="invalid_url")
    if parts.username or parts.password:
        raise InvalidInput("The URL may not carry credentials.", code="invalid_url")
    if parts.fragment:
        raise InvalidInput("The URL may not have a fragment.", code="invalid_url")
    loopback_ok = allow_loopback and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (loopback_ok and parts.scheme == "http"):
        raise InvalidInput("Webhook URLs must use https.", code="https_required")
    if port == 0:
        raise InvalidInput("The URL's port is not valid.", code="invalid_url")
    return host


# IPv6 prefixes that carry an IPv4 address in their last 32 bits (RFC 6052 NAT64, RFC 6145
# SIIT "IPv4-translated", RFC 4291 "IPv4-compatible"): `ipaddress` names mapped, 6to4 and
# Teredo forms, not these. The local-use NAT64 prefix (RFC 8215) is never public at all.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_SIIT = ipaddress.IPv6Network("::ffff:0:0:0/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def _candidates(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses a connection to `address` may end at. A translated form (IPv4-mapped,
    IPv4-compatible, SIIT, NAT64) is its IPv4 address alone; a tunnel (6to4, Teredo) is the
    IPv6 address and the IPv4 addresses it embeds (Teredo: server and client)."""
    if not isinstance(address, ipaddress.IPv6Address) or address.is_loopback:
        return [address]  # ::1 is IPv6's loopback, not the IPv4-compatible 0.0.0.1
    if address.ipv4_mapped:
        return [address.ipv4_mapped]
    if any(address in net for net in (_NAT64, _SIIT, _IPV4_COMPATIBLE)):
        return [ipaddress.IPv4Address(address.packed[12:])]
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address]
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    return found


def is_public_address(text: str) -> bool:
    """True for an address a webhook may reach: globally routable and unicast, and so is every
    IPv4 address it embeds (`[64:ff9b::a9fe:a9fe]` is the metadata service through NAT64)."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address in _NAT64_LOCAL:
        return False
    return all(
        a.is_global
        and not (
            a.is_multicast
            or a.is_loopback
            or a.is_link_local
            or a.is_private
            or a.is_reserved
            or a.is_unspecified
        )
        for a in _candidates(address)
    )


def check_addresses(host: str, addresses: list[str], *, allow_loopback: bool) -> None:
    """Refuse hosts that resolve to loopback, private, link-local or otherwise non-public
    addresses, in any IPv6 form (all of them must be public: one private answer is enough to
    refuse)."""
    if not addresses:
        raise InvalidInput(f"The host {host!r} does not resolve.", code="unresolvable_host")
    for text in addresses:
        if allow_loopback and _is_loopback(text):
            continue
        if not is_public_address(text):
            raise InvalidInput(
                "Webhook URLs must point at a public address.",
                code="forbidden_address",
                host=host,
            )


def _is_loopback(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%", 1)[0])
    return all(a.is_loopback for a in _candidates(address))
