"""The customer capability's domain events: customers, loyalty points, coupons and gift cards,
campaigns (the issue that builds them adds their classes here, and each to `EVENTS` in
kernel/domain/event_registry.py).

Events about a customer rather than an order carry no `order_id` (their `Record.order_id` is
empty); one about a redemption inside a booking is an `OrderEvent`, written in the order's own
transaction.
"""

from __future__ import annotations
