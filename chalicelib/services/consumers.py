"""The consumers of domain events: the registry the event dispatcher calls, and its contract.

How an event reaches a consumer
  1. A service commits an order change through `services/outbox.py: commit(...)`; the change's
     events are written in the same transaction (`EVT#<id>` items, unsent).
  2. The relay publishes each event to the events queue (`queues.EVENTS`) as
     `{"tenant_id": "...", "event": {"id", "name", "order_id", "at", "data"}}` and marks it
     sent; a sweeper republishes what stays unsent (a process that died in between).
  3. The dispatcher (`workers/events.py`) takes one record at a time and calls, for every
     consumer below whose `events` include the event's name (None: every event), its
     `handle(ctx, event, deps)`.

What the dispatcher guarantees a consumer
  - At most one completed `handle` per (consumer name, event id), however often the event is
    delivered: before calling it claims `DONE#<consumer name>#<event id>` in the tenant's table
    with a conditional put (TTL 30 days); after `handle` returns the claim is marked done.
  - If `handle` raises, the claim is released and the record fails alone (partial batch
    response): SQS redelivers it, and only the consumers that have not completed run again.
    After `queues.EVENTS.max_receive_count` failures it lands in the dead-letter queue.
  - If the process dies inside `handle`, the claim expires after a lease (longer than the
    queue's visibility timeout) and the redelivered record runs it again. So `handle` is
    at-least-once in that one case: keep its outside effect a single call where you can.
  - Consumers are independent: one consumer's failure does not undo another's completion.

The arguments
  - `ctx`: `TenantContext` of the event's tenant, actor SYSTEM, bound to its table
    (`ctx.tenant`, `ctx.data.orders.get(event.order_id)`, `ctx.now()`, `ctx.new_id()`).
  - `event`: `domain.orders.Event` (id, name e.g. "OrderConfirmed", order_id, at, data with at
    least order_id, status, version, start, actor; OrderCancelled adds fee, refundable (the
    policy's share of the total), refund (what goes back: paid beyond the fee) and
    cancelled_by ("customer" or "business"); OrderCheckedIn adds early when staff said so;
    OrderRescheduled adds previous_start; cancels and moves add previous_status; a change made
    by a request adds actor_role when the actor has one and request_id).
  - `deps`: the process's container (`bootstrap.Container` on Lambda, `tests.fakes.FakeContainer`
    in tests): ports as attributes, e.g. `deps.bus`, `deps.platform`, `deps.settings`,
    `deps.mailer`, `deps.sms`, `deps.reminders`. A consumer that needs a new adapter adds it
    to both as a `@cached_property` / fake.

Adding a consumer: implement the `Consumer` protocol (a `name` that never changes once
deployed, since it is part of the dedup key; `events`; `handle`) and append an instance to
`CONSUMERS`. Keep `handle` small; raise to be retried, return to be done.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.orders import Event
from chalicelib.services.billing import CountBookings
from chalicelib.services.context import TenantContext
from chalicelib.services.expiry import ScheduleExpiry
from chalicelib.services.notify.send import Notifications
from chalicelib.services.order_audit import AuditOrderEvents
from chalicelib.services.payment_consumers import (
    CaptureOnCheckIn,
    NoShowFee,
    RefundOnCancellation,
)
from chalicelib.services.reminders import Reminders
from chalicelib.services.webhook_delivery import WebhooksConsumer


class Consumer(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def events(self) -> frozenset[str] | None:
        """The event names it wants; None: all of them."""

    def handle(self, ctx: TenantContext, event: Event, deps: Any) -> None: ...


def wants(consumer: Consumer, event_name: str) -> bool:
    return consumer.events is None or event_name in consumer.events


# In the order they run for one event. Implementations never import this module (the protocol
# is structural), so importing them here makes no cycle.
CONSUMERS: list[Consumer] = [
    ScheduleExpiry(),
    CountBookings(),
    Notifications(),
    Reminders(),
    RefundOnCancellation(),
    NoShowFee(),
    CaptureOnCheckIn(),
    WebhooksConsumer(),
    AuditOrderEvents(),
]
