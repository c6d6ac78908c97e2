"""Delivering events to tenant webhook endpoints: fan-out, attempts, backoff, giving up.

Flow: the `webhooks` event consumer records one delivery per matching enabled endpoint and
queues its first attempt. A delivery message names one attempt; the worker claims that
attempt in the tenant's table before POSTing, so duplicated messages (or a consumer that ran
three times for one event) reach the receiver once. A failed attempt queues the next one,
`retry_delay` later; waits past SQS's 15-minute limit are a chain of delayed messages that
carry `not_before` (no scheduler call per retry, and the queue's redrive and alarms keep
covering every message). After three days the delivery is dead: its message goes to the
dead-letter queue, and an endpoint that has failed every attempt for three days is disabled
and its owner told.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from html import escape
from typing import Any, Protocol

from chalicelib.kernel.adapters.event_items import FOUND_BY_AUDIT
from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.domain.event_registry import typed
from chalicelib.kernel.domain.events import DomainEvent, OrderEvent
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.queues import MAX_DELAY_SECONDS, WEBHOOK_DELIVERIES
from chalicelib.webhooks.domain.webhooks import (
    SIGNATURE_HEADER,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EndpointHealth,
    PostResult,
    WebhookEndpoint,
    failing_throughout,
    next_attempt_at,
    payload,
    signature_header,
)
from chalicelib.webhooks.services.webhook_ports import WebhooksContext, WebhookSender

# No attempt is still in flight after its function's timeout, and the queue's visibility
# timeout is six times that: a record redelivered after its process died finds the lease run
# out and tries again.
LEASE_SECONDS = WEBHOOK_DELIVERIES.function_timeout
REPLAY_PAGE = 100
CANCELLED_WORDS = "not sent: the endpoint was disabled; replay the event to send it"
USER_AGENT = "Reservoir-Webhooks/1.0"

OwnerNotifier = Callable[[WebhooksContext, WebhookEndpoint, EndpointHealth], None]


class WebhookDeps(Protocol):
    @property
    def bus(self) -> MessageBus: ...


class WebhooksConsumer:
    """The event consumer (pipeline/consumers.py) that fans events out to endpoints."""

    name = "webhooks"
    events = None  # every event; each endpoint filters its own
    # A delivery's id is the event's: queued again, only a delivery that never started goes.
    repeatable = True
    # Lists the endpoints only while the tenant counts some (pipeline/event_data.py).
    reads_listeners = True

    def handle(self, ctx: WebhooksContext, event: DomainEvent, deps: WebhookDeps) -> None:
        fan_out(ctx, deps.bus, event)


def fan_out(ctx: WebhooksContext, bus: MessageBus, event: DomainEvent) -> list[str]:
    """Queue the event for every enabled endpoint that wants it and existed when it happened;
    the delivery ids."""
    wanted = [
        e
        for e in ctx.data.webhooks.list_endpoints()
        if e.enabled and e.wants(event.name) and e.existed_at(event.at)
    ]
    words = not wanted or _words_kept(ctx, event)
    return [queue_delivery(ctx, bus, e, event, words=words).id for e in wanted]


def _words_kept(ctx: WebhooksContext, event: DomainEvent) -> bool:
    """False for an event that may carry someone's words (any but an order's FOUND_BY_AUDIT
    ones, whose data are ids and figures) whose item is gone: an erase deleted it, after
    scrubbing the deliveries there were, while the event waited in a queue (a message about
    an order, an import's row naming a customer: reviewers' findings). One GetItem of the
    event, for those events alone and only while some endpoint wants them."""
    if isinstance(event, OrderEvent) and event.name in FOUND_BY_AUDIT:
        return True
    return ctx.data.webhooks.event(event.id) is not None


def queue_delivery(
    ctx: WebhooksContext,
    bus: MessageBus,
    endpoint: WebhookEndpoint,
    event: DomainEvent,
    *,
    replay_id: str | None = None,
    words: bool = True,
) -> Delivery:
    """Record the delivery (once per id) and queue its first attempt. Called again for the
    same event, it re-queues only a delivery that never started (the first call may have
    died between the two writes); the attempt claim drops the spare message."""
    delivery_id = event.id if replay_id is None else f"{replay_id}.{event.id}"
    delivery = ctx.data.webhooks.create_delivery(
        Delivery(
            id=delivery_id,
            endpoint_id=endpoint.id,
            event_id=event.id,
            event_name=event.name,
            payload=payload(event, ctx.tenant, words=words),
            created_at=ctx.now(),
            replay_id=replay_id,
        )
    )
    if delivery.status is DeliveryStatus.PENDING and delivery.attempts == 0:
        _send_attempt(bus, ctx.tenant.id, delivery, attempt=1, not_before=ctx.now())
    return delivery


def _attempt_message(
    tenant_id: str, delivery: Delivery, attempt: int, not_before: str
) -> dict[str, Any]:
    return {
        "kind": "deliver",
        "tenant_id": tenant_id,
        "endpoint_id": delivery.endpoint_id,
        "delivery_id": delivery.id,
        "attempt": attempt,
        "not_before": not_before,
    }


def _send_attempt(
    bus: MessageBus, tenant_id: str, delivery: Delivery, *, attempt: int, not_before: str
) -> None:
    message = _attempt_message(tenant_id, delivery, attempt, not_before)
    bus.send(WEBHOOK_DELIVERIES.name, message, delay_seconds=0)


def _seconds_until(now: str, moment: str) -> int:
    return math.ceil((parse(moment) - parse(now)).total_seconds())


def handle_message(
    ctx: WebhooksContext,
    message: dict[str, Any],
    *,
    bus: MessageBus,
    sender: WebhookSender,
    notify_owner: OwnerNotifier | None = None,
) -> str:
    """One record of the deliveries queue; returns what happened (for the logs)."""
    if message.get("kind") == "replay":
        return expand_replay(ctx, message, bus=bus)
    wait = _seconds_until(ctx.now(), str(message["not_before"]))
    if wait > 0:
        bus.send(WEBHOOK_DELIVERIES.name, message, delay_seconds=min(MAX_DELAY_SECONDS, wait))
        return "waiting"
    return attempt_delivery(ctx, message, bus=bus, sender=sender, notify_owner=notify_owner)


def attempt_delivery(
    ctx: WebhooksContext,
    message: dict[str, Any],
    *,
    bus: MessageBus,
    sender: WebhookSender,
    notify_owner: OwnerNotifier | None = None,
) -> str:
    store = ctx.data.webhooks
    now = ctx.now()
    attempt = int(message["attempt"])
    endpoint = store.get_endpoint(str(message["endpoint_id"]))
    delivery = store.get_delivery(str(message["endpoint_id"]), str(message["delivery_id"]))
    if delivery is None:
        return "gone"
    if delivery.status is not DeliveryStatus.PENDING:
        return "finished"
    if endpoint is None or not endpoint.enabled:
        store.finish_attempt(replace(delivery, status=DeliveryStatus.CANCELLED))
        if endpoint is not None and delivery.attempts:
            # The log's last attempt promised this one (`next_attempt_at`): say it will not
            # come (a tester's log promised a retry long after the endpoint was disabled).
            gave_up = PostResult(None, 0, CANCELLED_WORDS)
            _log(store, replace(delivery, attempts=attempt), gave_up, now, next_at=None)
        return "cancelled"
    lease_until = add_seconds(now, LEASE_SECONDS)
    if not store.claim_attempt(endpoint.id, delivery.id, attempt, now=now, lease_until=lease_until):
        return _unclaimed(store.get_delivery(endpoint.id, delivery.id), attempt, now)
    result = _post(sender, endpoint, delivery, attempt, now)
    first = delivery.first_attempt_at or now
    tried = replace(
        delivery,
        attempts=attempt,
        first_attempt_at=first,
        last_attempt_at=now,
        response_code=result.status,
    )
    if result.succeeded:
        _log(store, tried, result, now, next_at=None)
        store.finish_attempt(replace(tried, status=DeliveryStatus.SUCCEEDED))
        store.note_success(endpoint.id, now)
        return "delivered"
    health = store.note_failure(endpoint.id, now)
    retry_at = next_attempt_at(first, now, attempt)
    _log(store, tried, result, now, next_at=retry_at)
    if retry_at is None:
        _dead_letter(bus, message, tried, result, now)
        store.finish_attempt(replace(tried, status=DeliveryStatus.DEAD))
        if failing_throughout(health, first):
            disable_failing_endpoint(ctx, endpoint, health, notify_owner)
        return "dead"
    # Queue the next attempt before recording this one: if we die in between, the lease runs
    # out and this attempt is retried; a spare next-attempt message is dropped by its claim.
    next_message = _attempt_message(ctx.tenant.id, tried, attempt + 1, retry_at)
    bus.send(
        WEBHOOK_DELIVERIES.name,
        next_message,
        delay_seconds=min(MAX_DELAY_SECONDS, max(0, _seconds_until(now, retry_at))),
    )
    store.finish_attempt(replace(tried, next_attempt_at=retry_at))
    return "retrying"


def _unclaimed(current: Delivery | None, attempt: int, now: str) -> str:
    """A message whose attempt could not be claimed: a duplicate (drop it), or the same
    attempt still in flight elsewhere (raise: SQS shows it again after the visibility
    timeout, by when that attempt finished or its lease ran out)."""
    if (
        current is not None
        and current.status is DeliveryStatus.PENDING
        and current.attempts == attempt
        and current.lease_until is not None
        and current.lease_until >= now
    ):
        raise TransientFailure("This delivery attempt is in flight.", delivery_id=current.id)
    return "duplicate"


def _post(
    sender: WebhookSender, endpoint: WebhookEndpoint, delivery: Delivery, attempt: int, now: str
) -> PostResult:
    body = delivery.payload.encode()
    timestamp = int(parse(now).timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header(endpoint.signing_secrets(now), timestamp, body),
        "Reservoir-Event-Id": delivery.event_id,
        "Reservoir-Event-Type": delivery.event_name,
        "Reservoir-Delivery-Id": delivery.id,
        "Reservoir-Attempt": str(attempt),
    }
    return sender.post(endpoint.url, body, headers)


def _log(
    store: Any, delivery: Delivery, result: PostResult, now: str, *, next_at: str | None
) -> None:
    store.record_attempt(
        DeliveryAttempt(
            endpoint_id=delivery.endpoint_id,
            delivery_id=delivery.id,
            event_id=delivery.event_id,
            event_name=delivery.event_name,
            attempt=delivery.attempts,
            at=now,
            succeeded=result.succeeded,
            response_code=result.status,
            latency_ms=result.latency_ms,
            error=result.error,
            next_attempt_at=next_at,
        )
    )


def _dead_letter(
    bus: MessageBus, message: dict[str, Any], delivery: Delivery, result: PostResult, now: str
) -> None:
    """Sent explicitly: the record itself succeeded (nothing to retry), yet operators and the
    DLQ alarm should see the delivery that was given up."""
    bus.send(
        WEBHOOK_DELIVERIES.dlq_name,
        {
            **message,
            "gave_up_at": now,
            "attempts": delivery.attempts,
            "first_attempt_at": delivery.first_attempt_at,
            "last_response_code": result.status,
            "last_error": result.error,
        },
    )


def disable_failing_endpoint(
    ctx: WebhooksContext,
    endpoint: WebhookEndpoint,
    health: EndpointHealth,
    notify_owner: OwnerNotifier | None,
) -> bool:
    """Disable an endpoint that failed for the whole retry window; audit and tell the owner.
    False when it was disabled (or edited) meanwhile: the next dead delivery decides again."""
    store = ctx.data.webhooks
    current = store.get_endpoint(endpoint.id)
    if current is None or not current.enabled:
        return False
    disabled = current.disabled(ctx.now(), reason="failing")
    try:
        store.put_endpoint(disabled, expected_version=current.version)
    except Conflict:
        return False
    ctx.audit(
        "webhook_endpoint.disabled",
        f"webhook_endpoint:{endpoint.id}",
        reason="failing",
        failing_since=health.failing_since,
        consecutive_failures=health.consecutive_failures,
        url=endpoint.url,
    )
    if notify_owner is not None:
        notify_owner(ctx, disabled, health)
    return True


def email_owner(mailer: Any, mail_from: str) -> OwnerNotifier:
    """Tell the tenant's owner by e-mail (through the notifications' mailer). A failed
    e-mail is logged, not retried: the audit entry is the durable record of the disabling."""
    from chalicelib.kernel.services.messaging_ports import Email
    from chalicelib.observability import logger

    def notify(ctx: WebhooksContext, endpoint: WebhookEndpoint, health: EndpointHealth) -> None:
        text = (
            f"Your webhook endpoint {endpoint.url} ({endpoint.id}) has failed every delivery "
            f"since {health.failing_since}, so Reservoir disabled it. Fix the receiver, enable "
            "the endpoint again (PATCH status=enabled) and replay what it missed "
            "(POST /v1/webhooks/endpoints/{id}/replay with from and to)."
        )
        email = Email(
            to=ctx.tenant.owner_email,
            subject=f"{ctx.tenant.name}: webhook endpoint disabled",
            text=text,
            html=f"<p>{escape(text)}</p>",
            sender=mail_from,
            sender_name="Reservoir",
            tags={"tenant": ctx.tenant.id, "kind": "webhook_endpoint_disabled"},
        )
        try:
            mailer.send(email)
        except Exception:  # noqa: BLE001 - the endpoint stays disabled whatever the mailer says
            logger.exception("could not e-mail the owner about a disabled webhook endpoint")

    return notify


def expand_replay(ctx: WebhooksContext, message: dict[str, Any], *, bus: MessageBus) -> str:
    """One page of a range replay: queue the page's subscribed events, then the next page."""
    store = ctx.data.webhooks
    endpoint = store.get_endpoint(str(message["endpoint_id"]))
    if endpoint is None or not endpoint.enabled:
        return "cancelled"
    page = store.events_between(
        str(message["from"]), str(message["to"]), after=message.get("after"), limit=REPLAY_PAGE
    )
    for _, event in page:
        if endpoint.wants(event.name):
            replay_id = str(message["replay_id"])
            queue_delivery(ctx, bus, endpoint, typed(event), replay_id=replay_id)
    if len(page) == REPLAY_PAGE:
        bus.send(WEBHOOK_DELIVERIES.name, {**message, "after": page[-1][0]})
        return "replaying"
    return "replayed"
