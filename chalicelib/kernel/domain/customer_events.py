"""The customer capability's domain events: customers, loyalty points, coupons and gift cards,
campaigns (the issue that builds them adds their classes here, and each to `EVENTS` in
kernel/domain/event_registry.py).

Events about a customer rather than an order carry no `order_id` (their `Record.order_id` is
empty); one about a redemption inside a booking is an `OrderEvent`, written in the order's own
transaction.
"""

from __future__ import annotations

from chalicelib.kernel.domain.events import DomainEvent
from chalicelib.kernel.domain.values import value


@value(kw_only=True)
class GiftCardIssued(DomainEvent):
    name = "GiftCardIssued"
    schema_version = 1
    summary = "A gift card was sold (at the desk, or paid online) and is e-mailed to its recipient."
    card_id: str
    amount: int
    currency: str
    channel: str  # desk | widget


@value(kw_only=True)
class GiftCardDisabled(DomainEvent):
    name = "GiftCardDisabled"
    schema_version = 1
    summary = "Staff disabled a gift card: it can no longer be spent."
    card_id: str
    balance: int
    by: str
