"""An event's order read together with the tenant's listener counts (kernel/adapters/
listener_counts.py): one BatchGetItem, both consistent, where the bookkeeping group's first read
of the order and its first look at the counts would be two GetItems (pipeline/event_data.py)."""

from __future__ import annotations

from typing import Any

from chalicelib.booking.adapters.codec import order_of_item
from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.adapters.listener_counts import LISTENERS_KEY, listeners_of
from chalicelib.kernel.adapters.paged_reads import batch_get
from chalicelib.kernel.domain.listeners import Listeners

OrderAndListeners = tuple[Order | None, Listeners | None]


def order_and_listeners(client: Any, table: str, order_id: str) -> OrderAndListeners:
    order_pk = f"ORD#{order_id}"
    keys = [{"pk": {"S": order_pk}, "sk": {"S": "META"}}, LISTENERS_KEY]
    found = {item["pk"]["S"]: item for item in batch_get(client, table, keys, ConsistentRead=True)}
    order, counts = found.get(order_pk), found.get(LISTENERS_KEY["pk"]["S"])
    return (
        None if order is None else order_of_item(order),
        None if counts is None else listeners_of(counts),
    )
