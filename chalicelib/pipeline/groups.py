"""The consumer groups: which queue each domain event goes to (the relay's fan-out).

Consumers are grouped by what they depend on, and each group has its own queue and dispatcher
function (pipeline/workers.py), so a slow or failing outside service delays and retries only its
own group's work, and each group's dead-letter queue says whose work failed:
- `event`: this platform's own bookkeeping (a hold's check: its delayed "held" notice and expiry,
  the booking count, reminder schedules, webhook deliveries, the audit log, the marks of
  channel partners' updates): every event but the bulk ones;
- `messages`: the customer's e-mails and text messages (SES, SNS);
- `money`: refunds, no-show fees and captures (Stripe);
- `bulk`: the events a person's bulk work writes by the thousand (an import's
  `CustomerImported`, one per row), with their bookkeeping (the customer's record, webhook
  deliveries): on their own queue, so that a 100,000-row import never puts 100,000 messages
  ahead of any business's confirmations on the bookkeeping queue (shared by every tenant).

The relay (pipeline/stream.py) sends an event to a group's queue only when the group takes it
(`groups_for`), so this module stays light: the relay imports it, and the consumers (Jinja2,
Stripe) load only in the dispatchers. pipeline/consumers.py assigns each consumer to a group;
tests/unit/test_consumer_groups.py holds that a group's `events` are exactly what its consumers
take.
"""

from __future__ import annotations

from chalicelib.kernel.domain.customer_events import CustomerImported, GiftCardIssued
from chalicelib.kernel.domain.event_registry import EVENTS
from chalicelib.kernel.domain.events import (
    DomainEvent,
    NoShowFeeCharged,
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
from chalicelib.queues import BULK_EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS, QueueSpec
from chalicelib.queues import EVENTS as EVENTS_QUEUE


@value
class ConsumerGroup:
    # Part of each claim's ledger key (`DONE#event#<event id>` for `event`, as before groups;
    # `DONE#event#<event id>#<name>` for the others): never renamed once deployed.
    name: str
    queue: QueueSpec
    events: tuple[type[DomainEvent], ...] | None  # what its consumers take; None: every event
    but: tuple[type[DomainEvent], ...] = ()  # with `events` None: those that go elsewhere

    def claim_id(self, event_id: str) -> str:
        return event_id if self.name == BOOKKEEPING_NAME else f"{event_id}#{self.name}"

    def takes(self, cls: type[DomainEvent]) -> bool:
        if issubclass(cls, self.but):
            return False
        return self.events is None or issubclass(cls, self.events)


BOOKKEEPING_NAME = "event"
# What bulk work writes by the thousand: the `bulk` group's, never the bookkeeping group's.
BULK_KINDS: tuple[type[DomainEvent], ...] = (CustomerImported,)
BOOKKEEPING = ConsumerGroup(BOOKKEEPING_NAME, EVENTS_QUEUE, None, but=BULK_KINDS)
MESSAGES = ConsumerGroup(
    "messages",
    MESSAGE_EVENTS,
    (
        OrderConfirmed,
        OrderRescheduled,
        OrderCancelled,
        PaymentReceived,
        NoShowFeeCharged,  # its receipt: the fee taken from the card saved at booking
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
# Its claims are `DONE#event#<id>#bulk`. Before this group, a CustomerImported went to the
# bookkeeping queue; one relayed there before the upgrade is still handled there, by this
# group's consumers under the bookkeeping claim (pipeline/dispatch.py, docs/DEPLOY.md).
BULK = ConsumerGroup("bulk", BULK_EVENTS, BULK_KINDS)
GROUPS: tuple[ConsumerGroup, ...] = (BOOKKEEPING, MESSAGES, MONEY, BULK)


def groups_for(name: str) -> list[ConsumerGroup]:
    """The groups an event of this name goes to. A name no class takes goes to the bookkeeping
    group alone, whose dispatcher fails it into that queue's dead-letter queue for a person."""
    cls = EVENTS.get(name)
    if cls is None:
        return [BOOKKEEPING]
    return [group for group in GROUPS if group.takes(cls)]


def group_of_queue(queue_name: str) -> ConsumerGroup:
    return next(group for group in GROUPS if group.queue.name == queue_name)
