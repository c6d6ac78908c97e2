"""The consumer groups: which queue each domain event goes to (the relay's fan-out).

Consumers are grouped by what they depend on, and each group has its own queue and dispatcher
function (pipeline/workers.py), so a slow or failing outside service delays and retries only its
own group's work, and each group's dead-letter queue says whose work failed:
- `event`: this platform's own bookkeeping (a hold's check: its delayed "held" notice and expiry,
  the booking count, reminder schedules, webhook deliveries, the audit log, the marks of
  channel partners' updates): every event;
- `messages`: the customer's e-mails and text messages (SES, SNS);
- `money`: refunds, no-show fees and captures (Stripe).

The relay (pipeline/stream.py) sends an event to a group's queue only when the group takes it
(`groups_for`), so this module stays light: the relay imports it, and the consumers (Jinja2,
Stripe) load only in the dispatchers. pipeline/consumers.py assigns each consumer to a group;
tests/unit/test_consumer_groups.py holds that a group's `events` are exactly what its consumers
take.
"""

from __future__ import annotations

from chalicelib.kernel.domain.customer_events import GiftCardIssued
from chalicelib.kernel.domain.event_registry import EVENTS
from chalicelib.kernel.domain.events import (
    DomainEvent,
    OrderCancelled,
    OrderCheckedIn,
    OrderCompleted,
    OrderConfirmed,
    OrderExpired,
    OrderMarkedNoShow,
    OrderMessaged,
    OrderRescheduled,
    OrderRoomAssigned,
    PaymentDue,
    PaymentFailed,
    PaymentReceived,
    RefundFailed,
    RefundIssued,
)
from chalicelib.kernel.domain.inbound_events import OrderOverbooked
from chalicelib.kernel.domain.values import value
from chalicelib.queues import EVENTS as EVENTS_QUEUE
from chalicelib.queues import MESSAGE_EVENTS, PAYMENT_EVENTS, QueueSpec


@value
class ConsumerGroup:
    # Part of each claim's ledger key (`DONE#event#<event id>` for `event`, as before groups;
    # `DONE#event#<event id>#<name>` for the others): never renamed once deployed.
    name: str
    queue: QueueSpec
    events: tuple[type[DomainEvent], ...] | None  # what its consumers take; None: every event

    def claim_id(self, event_id: str) -> str:
        return event_id if self.name == BOOKKEEPING_NAME else f"{event_id}#{self.name}"

    def takes(self, cls: type[DomainEvent]) -> bool:
        return self.events is None or issubclass(cls, self.events)


BOOKKEEPING_NAME = "event"
BOOKKEEPING = ConsumerGroup(BOOKKEEPING_NAME, EVENTS_QUEUE, None)
MESSAGES = ConsumerGroup(
    "messages",
    MESSAGE_EVENTS,
    (
        OrderConfirmed,
        OrderRescheduled,
        OrderCancelled,
        PaymentReceived,
        PaymentFailed,
        PaymentDue,  # the customer's link to pay it, and staff alerts
        RefundIssued,  # the customer's refund message (once per refund)
        RefundFailed,  # the customer's correction, and staff alerts
        OrderMarkedNoShow,
        OrderMessaged,
        OrderRoomAssigned,  # staff alerts (a room given or changed)
        OrderCompleted,  # the invoice at completion, e-mailed (invoices)
        GiftCardIssued,  # the card's code, e-mailed to its recipient (customers)
        OrderOverbooked,  # staff alerts (a partner's guest without a room: channels)
    ),
)
MONEY = ConsumerGroup(
    "money",
    PAYMENT_EVENTS,
    (OrderCancelled, OrderMarkedNoShow, OrderCheckedIn, OrderExpired),  # expired: gift cards back
)
GROUPS: tuple[ConsumerGroup, ...] = (BOOKKEEPING, MESSAGES, MONEY)


def groups_for(name: str) -> list[ConsumerGroup]:
    """The groups an event of this name goes to. A name no class takes goes to the bookkeeping
    group alone, whose dispatcher fails it into that queue's dead-letter queue for a person."""
    cls = EVENTS.get(name)
    if cls is None:
        return [BOOKKEEPING]
    return [group for group in GROUPS if group.takes(cls)]


def group_of_queue(queue_name: str) -> ConsumerGroup:
    return next(group for group in GROUPS if group.queue.name == queue_name)
