"""Order changes in the audit log, written from their events rather than in the change's own
transaction.

A booking, confirm, cancel, move, check-in, no-show, payment or refund commits the order and its
event in one transaction (kernel/services/unit_of_work.py) and writes nothing else: that transaction
stays as small as it is. This consumer of every order event then writes the audit entry, within
seconds: who (the event's `actor`, with its `actor_role`), what (`order.<event in snake case>`, e.g.
`order.confirmed`), which order, when (the event's own time, so entries sort by when the change
happened, not by when the worker ran) and the request id when the change came from a request.

Idempotent by event id: the entry's id is the event's id and its time the event's time, so its
key (`AUD#yyyy-mm`, `time#id`) is the same however often the event is handled, and the audit
store writes an entry once per key.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.kernel.adapters.event_items import FOUND_BY_AUDIT
from chalicelib.kernel.domain.audit import SYSTEM, Actor, AuditEntry
from chalicelib.kernel.domain.events import OrderEvent

# Event data that the entry carries elsewhere (actor, request id, target), not in details.
_NOT_DETAILS = frozenset({"order_id", "actor", "actor_role", "request_id"})


def action_of(event_name: str) -> str:
    """`OrderCheckedIn` -> `order.checked_in`; `PaymentReceived` -> `order.payment_received`."""
    name = event_name.removeprefix("Order")
    return "order." + re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def actor_of(event: OrderEvent) -> Actor:
    """The actor an event names (`kind:id`, as `Actor.label` wrote it); the system if none."""
    label = event.actor
    if not isinstance(label, str) or ":" not in label:
        return SYSTEM
    kind, _, actor_id = label.partition(":")
    if (kind, actor_id) == (SYSTEM.kind, SYSTEM.id):
        return SYSTEM
    return Actor(kind=kind, id=actor_id, role=event.actor_role)


def entry_of(tenant_id: str, event: OrderEvent) -> AuditEntry:
    request_id = event.request_id
    return AuditEntry(
        id=event.id,
        tenant_id=tenant_id,
        at=event.at,
        actor=actor_of(event),
        action=action_of(event.name),
        target=f"order:{event.order_id}",
        request_id=request_id if isinstance(request_id, str) else None,
        details={k: v for k, v in event.data().items() if k not in _NOT_DETAILS},
    )


class AuditOrderEvents:
    """Consumer of every order event (pipeline/consumers.py): one audit entry each."""

    name = "order_audit"
    events = (OrderEvent,)  # every event about an order (all of today's events)
    # The entry's key is the event's id and time: written again, the same item.
    repeatable = True

    def handle(self, ctx: BookingContext, event: OrderEvent, deps: object) -> None:
        entry = entry_of(ctx.tenant.id, event)
        if entry.details and event.name not in FOUND_BY_AUDIT:
            # An event whose words may name someone (a message, a refund's reason), handled
            # after its customer was erased (an erase made seconds after it): the entry keeps
            # who did what and when, not the words the erase would have scrubbed.
            order = ctx.data.orders.get(event.order_id)
            if order is not None and order.customer.erased:
                entry = replace(entry, details={})
        ctx.data.audit.record(entry)
