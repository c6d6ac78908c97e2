"""Sending availability and rate updates to partners: drain a window into one update, POST it
signed, retry it like a tenant webhook.

Messages of the channel-updates queue (`queues.CHANNEL_UPDATES`), one per record:
- `window` (queued by the mark that opened it, outbound_marks.py): drain the window, record
  its update (one id per window) and make attempt 1. Delivered twice, the drain answers the
  same window, the update exists already and its attempt is claimed once: the partner gets
  one POST.
- `attempt`: attempt n of an update (a retry, or a sync's first), not before `not_before`;
  waits past SQS's 15-minute delay are a chain of delayed messages, as for webhooks.
- `catalog`: a catalog change to mark (outbound_marks.mark_catalog_change).
- `closed_dates`: the business's closed dates changed (outbound_marks.mark_closed_dates).

Each attempt claims the update (`claim_attempt`: a lease, so a duplicate message never POSTs
twice and a process that died is retried), computes the body as things stand
(availability_push.py), signs it with the connection's secret exactly as tenant webhooks are
signed (`Reservoir-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the
webhooks' `signature_header`), and POSTs it with the webhooks' sender (the same address checks
and deadline). A failure is retried after the webhooks' `next_attempt_at` (1 min, 2, 4, ...
capped at 6 h, for three days), then the update is dead and its message goes to the
dead-letter queue.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Protocol

from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.outbound import (
    OutboundDelivery,
    UpdateReason,
    UpdateStatus,
    window_delivery_id,
)
from chalicelib.channels.services.availability_push import update_body
from chalicelib.channels.services.connections import connection_secret, get_connection
from chalicelib.channels.services.outbound_marks import (
    mark_catalog_change,
    mark_closed_dates,
    wants_updates,
)
from chalicelib.channels.services.outbound_ports import OutboundContext
from chalicelib.kernel.domain.errors import NotFound, TransientFailure
from chalicelib.kernel.domain.timefmt import add_seconds, parse
from chalicelib.kernel.services.messaging_ports import MessageBus
from chalicelib.queues import CHANNEL_UPDATES, MAX_DELAY_SECONDS
from chalicelib.webhooks.domain.webhooks import (
    SIGNATURE_HEADER,
    PostResult,
    next_attempt_at,
    signature_header,
)
from chalicelib.webhooks.services.webhook_ports import WebhookSender

LEASE_SECONDS = CHANNEL_UPDATES.function_timeout
USER_AGENT = "Reservoir-Channels/1.0"


class SenderDeps(Protocol):
    @property
    def bus(self) -> MessageBus: ...
    @property
    def webhook_sender(self) -> WebhookSender: ...
    @property
    def catalog_cache(self) -> CatalogCache: ...


def handle_message(ctx: OutboundContext, message: dict[str, Any], deps: SenderDeps) -> str:
    """One record of the channel-updates queue; what happened (for the logs)."""
    kind = message.get("kind")
    if kind == "catalog":
        marked = mark_catalog_change(ctx, deps.bus, deps.catalog_cache, message)
        return "marked" if marked else "nothing to mark"
    if kind == "closed_dates":
        marked = mark_closed_dates(ctx, deps.bus, deps.catalog_cache, message)
        return "marked" if marked else "nothing to mark"
    if kind == "window":
        return drain_window(ctx, message, deps)
    wait = _seconds_until(ctx.now(), str(message["not_before"]))
    if wait > 0:
        deps.bus.send(CHANNEL_UPDATES.name, message, delay_seconds=min(MAX_DELAY_SECONDS, wait))
        return "waiting"
    return attempt(
        ctx,
        str(message["connection_id"]),
        str(message["delivery_id"]),
        int(message["attempt"]),
        deps,
    )


def drain_window(ctx: OutboundContext, message: dict[str, Any], deps: SenderDeps) -> str:
    store = ctx.data.channel_outbound
    connection_id, number = str(message["connection_id"]), int(message["window"])
    window = store.drain(connection_id, number, now=ctx.now())
    if window is None or not window.resources or not window.days:
        return "empty"
    delivery = store.create_delivery(
        OutboundDelivery(
            id=window_delivery_id(number),
            connection_id=connection_id,
            reason=UpdateReason.CHANGES,
            resources=tuple(sorted(window.resources)),
            first=window.first.isoformat(),
            last=window.last.isoformat(),
            created_at=ctx.now(),
        )
    )
    if delivery.status is not UpdateStatus.PENDING or delivery.attempts:
        return "duplicate"
    return attempt(ctx, connection_id, delivery.id, 1, deps)


def queue_attempt(
    bus: MessageBus,
    tenant_id: str,
    delivery: OutboundDelivery,
    attempt: int,
    not_before: str,
    delay_seconds: int = 0,
) -> None:
    message = {
        "kind": "attempt",
        "tenant_id": tenant_id,
        "connection_id": delivery.connection_id,
        "delivery_id": delivery.id,
        "attempt": attempt,
        "not_before": not_before,
    }
    bus.send(CHANNEL_UPDATES.name, message, delay_seconds=delay_seconds)


def attempt(
    ctx: OutboundContext, connection_id: str, delivery_id: str, number: int, deps: SenderDeps
) -> str:
    """Attempt `number` of an update: claimed, computed, signed, POSTed, recorded."""
    store = ctx.data.channel_outbound
    now = ctx.now()
    delivery = store.get_delivery(connection_id, delivery_id)
    if delivery is None:
        return "gone"
    if delivery.status in (UpdateStatus.DELIVERED, UpdateStatus.DEAD):
        return "finished"
    try:
        connection = get_connection(ctx, connection_id)
    except NotFound:
        connection = None
    if connection is None or not wants_updates(connection):
        # Deleted, disabled, or no longer asking for updates: nothing to send, ever.
        gone = "the connection no longer takes updates"
        store.finish_attempt(replace(delivery, status=UpdateStatus.DEAD, last_error=gone))
        return "cancelled"
    lease = add_seconds(now, LEASE_SECONDS)
    if not store.claim_attempt(connection_id, delivery_id, number, now=now, lease_until=lease):
        return _unclaimed(store.get_delivery(connection_id, delivery_id), number, now)
    result = _post(ctx, deps, connection, delivery, number)
    tried = delivery.tried(attempt=number, now=now, status_code=result.status, error=result.error)
    if result.succeeded:
        store.finish_attempt(replace(tried, status=UpdateStatus.DELIVERED, next_attempt_at=None))
        return "delivered"
    retry_at = next_attempt_at(tried.first_attempt_at or now, now, number)
    if retry_at is None:
        deps.bus.send(
            CHANNEL_UPDATES.dlq_name,
            {
                "kind": "dead",
                "tenant_id": ctx.tenant.id,
                "connection_id": connection_id,
                "delivery_id": delivery_id,
                "attempts": number,
                "gave_up_at": now,
                "last_status_code": result.status,
                "last_error": result.error,
            },
        )
        store.finish_attempt(replace(tried, status=UpdateStatus.DEAD, next_attempt_at=None))
        return "dead"
    # The next attempt queued before this one is recorded: if we die in between, the lease
    # runs out and this attempt is retried; the spare message is dropped by its claim.
    delay = min(MAX_DELAY_SECONDS, max(0, _seconds_until(now, retry_at)))
    queue_attempt(deps.bus, ctx.tenant.id, tried, number + 1, retry_at, delay)
    store.finish_attempt(replace(tried, status=UpdateStatus.FAILED, next_attempt_at=retry_at))
    return "retrying"


def _post(
    ctx: OutboundContext,
    deps: SenderDeps,
    connection: Connection,
    delivery: OutboundDelivery,
    number: int,
) -> PostResult:
    body = update_body(ctx, deps.catalog_cache, connection, delivery)
    timestamp = int(parse(ctx.now()).timestamp())
    if not connection.secret_set:
        # Never sent unsigned: the attempt fails (and is retried) until a secret is made.
        return PostResult(status=None, latency_ms=0, error="no secret: make one first")
    secret = connection_secret(ctx, connection)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature_header([secret], timestamp, body),
        "Reservoir-Update-Id": delivery.id,
        "Reservoir-Attempt": str(number),
    }
    return deps.webhook_sender.post(str(connection.outbound_url), body, headers)


def _unclaimed(current: OutboundDelivery | None, number: int, now: str) -> str:
    """A duplicate message (drop it), or the same attempt in flight elsewhere (raise: SQS
    shows it again after the visibility timeout)."""
    if (
        current is not None
        and current.status in (UpdateStatus.PENDING, UpdateStatus.FAILED)
        and current.attempts == number
        and current.lease_until is not None
        and current.lease_until >= now
    ):
        raise TransientFailure("This update's attempt is in flight.", delivery_id=current.id)
    return "duplicate"


def _seconds_until(now: str, moment: str) -> int:
    return math.ceil((parse(moment) - parse(now)).total_seconds())
