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
class CustomersMerged(DomainEvent):
    name = "CustomersMerged"
    schema_version = 1
    summary = (
        "Staff merged a duplicate customer record into another: the loser's reads now lead to"
        " the winner, and its orders, figures, notes and tags move to it."
    )
    customer_id: str  # the winner
    merged_id: str  # the loser
    actor: str  # `kind:id` of who merged them
