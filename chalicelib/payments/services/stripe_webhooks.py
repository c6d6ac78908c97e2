"""`POST /v1/webhooks/stripe`: verify, de-duplicate, route to the tenant, hand to SQS.

Nothing slow happens in the request: the payments worker fetches the object's current
state from Stripe and acts on that, so events may arrive in any order or twice.
Signature: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`,
checked against every configured signing secret (the platform endpoint's and the Connect
endpoint's), with a timestamp tolerance of 5 minutes either way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from typing import Any, Protocol

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.untrusted import loads_json, read_signature_header, same_secret
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.payments.domain.payments import InvalidSignature
from chalicelib.payments.services.payment_ports import (
    PaymentAccounts,
    PaymentsData,
    StripeClaim,
    StripeDeliveries,
)
from chalicelib.queues import PAYMENTS
from chalicelib.tenancy.services.platform_ports import PlatformRepository

TOLERANCE_SECONDS = 300
# How long a claimed event is left to the delivery that claimed it before Stripe's retry may
# take it over. Longer than that delivery can live (the API Lambda's 30 s timeout, which also
# ends a queue send that hangs), so a live hand-off is never taken over, and a dead one's event
# is sent by the first retry after it (Stripe retries with growing pauses, for 3 days).
CLAIM_LEASE_SECONDS = 60
# Stripe's ids (evt_..., acct_..., pi_...) are letters, digits and `_`, at most 255 long; the
# event and account ids become DynamoDB keys (at most 2,048 bytes), so nothing else passes.
STRIPE_ID = re.compile(r"[A-Za-z0-9_]{1,255}")

# The event types acted on, and what the worker does with each (the object it fetches).
HANDLED = {
    "payment_intent.created": "intent",
    "payment_intent.succeeded": "intent",
    "payment_intent.payment_failed": "intent",
    "payment_intent.requires_action": "intent",
    "payment_intent.amount_capturable_updated": "intent",
    "payment_intent.processing": "intent",
    "payment_intent.canceled": "intent",
    "setup_intent.succeeded": "intent",
    "setup_intent.setup_failed": "intent",
    "charge.refunded": "refunds",
    "charge.refund.updated": "refunds",
    "refund.created": "refunds",
    "refund.updated": "refunds",
    "refund.failed": "refunds",
    "account.updated": "account",
    "customer.subscription.created": "subscription",
    "customer.subscription.updated": "subscription",
    "customer.subscription.deleted": "subscription",
}


class _Secrets(Protocol):
    @property
    def webhook_secrets(self) -> Sequence[str]: ...


class StripeSecretReader(Protocol):
    """The Stripe secrets (kernel/adapters/secrets.StripeSecretSource), read per request so a new
    signing secret is picked up without a deploy."""

    def get(self) -> _Secrets: ...


def accept(
    payload: bytes,
    signature: str,
    *,
    secrets: StripeSecretReader,
    accounts: PaymentAccounts,
    platform: PlatformRepository,
    data_factory: DataFactory[PaymentsData],
    bus: MessageBus,
    now: str,
) -> str:
    """The endpoint's one use case: verify the body against every signing secret (400 and
    nothing changed otherwise), then `receive` it. Returns the outcome."""
    event = verify(
        payload, signature, secrets.get().webhook_secrets, now=int(parse(now).timestamp())
    )
    return receive(
        event, accounts=accounts, platform=platform, data_factory=data_factory, bus=bus, now=now
    )


def verify(payload: bytes, header: str, secrets: Sequence[str], now: int) -> dict[str, Any]:
    """The event, if the header signs this payload with one of the secrets within the
    tolerance; InvalidSignature otherwise (and for anything that is not an event)."""
    parts = read_signature_header(header)
    if parts is None:
        raise InvalidSignature("Stripe-Signature needs t= and v1=.")
    stamp, signatures = parts
    if abs(now - stamp) > TOLERANCE_SECONDS:
        raise InvalidSignature("The signature's timestamp is too old or in the future.")
    signed = str(stamp).encode() + b"." + payload
    expected = [hmac.new(s.encode(), signed, hashlib.sha256).hexdigest() for s in secrets if s]
    if not any(same_secret(sig, e) for e in expected for sig in signatures):
        raise InvalidSignature("The signature does not match the payload.")
    try:
        event = loads_json(payload)
    except ValueError as exc:
        raise InvalidSignature("The payload is not JSON (or is nested too deeply).") from exc
    if not _is_event(event):
        raise InvalidSignature("The payload is not a Stripe event.")
    return dict(event)


def _is_event(event: Any) -> bool:
    if not (
        isinstance(event, dict)
        and _is_id(event.get("id"))
        and event["id"].startswith("evt_")
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
        and _is_id(event["data"]["object"].get("id"))
    ):
        return False
    intent = event["data"]["object"].get("payment_intent")
    account = event.get("account")
    return (intent is None or not isinstance(intent, str) or _is_id(intent)) and (
        not account or _is_id(account)
    )


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and STRIPE_ID.fullmatch(value) is not None


def subject_of(event: dict[str, Any]) -> str:
    """The id of the object the worker fetches: the intent (for a charge or a refund, the
    intent it belongs to), the account, or the subscription."""
    obj = event["data"]["object"]
    if HANDLED[event["type"]] == "refunds":
        intent = obj.get("payment_intent")
        return intent if isinstance(intent, str) else ""
    return str(obj["id"])


def receive(
    event: dict[str, Any],
    *,
    accounts: PaymentAccounts,
    platform: PlatformRepository,
    data_factory: DataFactory[PaymentsData],
    bus: MessageBus,
    now: str,
) -> str:
    """Route a verified event. Connect events (with `account`) belong to the tenant mapped
    to that account and are claimed in its table; the platform's own (billing) in the
    platform table. Returns the outcome; Stripe gets 200 for all but a hand-off that failed
    or may still be under way (503: Stripe retries).

    Crash-safe without a transaction (one step is SQS, and billing events are claimed in the
    platform table): the claim (`WH#stripe#<event>`) is pending with a lease until the send
    succeeded, then done. A send that raises releases it; a process killed in between (the
    API's 30 s timeout while SQS hangs) leaves a lease that runs out, and Stripe's next retry
    takes the claim over and sends the event. A retry within the lease gets 503, since the
    claim's holder may be sending right now. A process killed after the send but before
    `finish_delivery` has the event sent twice: the worker acts on the object as Stripe has
    it now, so the second changes nothing."""
    kind = HANDLED.get(event["type"])
    if kind is None:
        return "ignored"
    subject = subject_of(event)
    if not subject:
        return "ignored"
    account = event.get("account")
    message = {"event_id": event["id"], "type": event["type"], "kind": kind, "subject": subject}
    claims: StripeDeliveries = accounts
    if account:
        tenant_id = accounts.tenant_of_account(str(account))
        tenant = platform.get_tenant(tenant_id) if tenant_id else None
        if tenant is None:
            return "unknown_account"
        claims = data_factory.for_tenant(tenant).payments
        message.update(tenant_id=tenant.id, account=str(account))
    claim = claims.claim_delivery(event["id"], now, CLAIM_LEASE_SECONDS)
    if claim is StripeClaim.DONE:
        return "duplicate"
    if claim is StripeClaim.PENDING:
        raise TransientFailure(
            "This event is being queued by another delivery; Stripe will retry.",
            code="event_in_progress",
        )
    try:
        bus.send(PAYMENTS.name, message)
    except Exception as exc:
        claims.forget_delivery(event["id"])  # so Stripe's retry of this event is processed
        raise TransientFailure("Could not queue the event; Stripe will retry.") from exc
    claims.finish_delivery(event["id"], now)
    return "queued"
