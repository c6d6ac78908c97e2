"""One read of an event's order for all the consumers of a group (pipeline/dispatch.py).

Most bookkeeping consumers start with `ctx.data.orders.get(event.order_id)`: seven GetItems of
the same order for a hold and its confirmation. The dispatcher hands its consumers an order
store that reads each order once per event (`MemoOrders`) and forgets it when a write of that
event's consumers might have changed it or was refused (pipeline/dispatch.py's
`ForgetfulTransactions`): a consumer sees the order as it stood when the event was handled,
after the event was committed, or as its own group's writes left it.

A consumer whose correctness needs the order read AFTER something else (the suggestions read
it after the customer's counted orders, so a change between the two reads fails their
version condition) reads it through `fresh`, which always reads, and remembers what it read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.order_ports import OrderStore


class MemoOrders:
    """`inner` with `get` read once per order (consistently) until `forget`; the rest as is
    (an `OrderStore`: `as_store`). `first_read`: how an order not read yet is read (a read
    that brings something else along with it), consistently too."""

    def __init__(
        self, inner: OrderStore, first_read: Callable[[str], Order | None] | None = None
    ) -> None:
        self.inner = inner
        self._first_read = first_read or (lambda order_id: inner.get(order_id, consistent=True))
        self._read: dict[str, Order | None] = {}

    def get(self, order_id: str, *, consistent: bool = True) -> Order | None:
        if order_id not in self._read:
            self._read[order_id] = self._first_read(order_id)
        return self._read[order_id]

    def fresh(self, order_id: str) -> Order | None:
        self._read[order_id] = order = self.inner.get(order_id, consistent=True)
        return order

    def remembered(self) -> list[Order]:
        """The orders read and not forgotten (what the event's consumers are looking at)."""
        return [order for order in self._read.values() if order is not None]

    def forget(self, order_ids: Sequence[str] | None = None) -> None:
        """Forget these orders (None: every order read)."""
        if order_ids is None:
            self._read.clear()
        for order_id in order_ids or ():
            self._read.pop(order_id, None)

    def __getattr__(self, name: str) -> Any:
        """Every other read or write of the store: `inner`'s own."""
        return getattr(self.inner, name)


def fresh(orders: OrderStore, order_id: str) -> Order | None:
    """The order read now (consistently), past any memo of the event's dispatch."""
    if isinstance(orders, MemoOrders):
        return orders.fresh(order_id)
    return orders.get(order_id)


def as_store(memo: MemoOrders) -> OrderStore:
    """The memo where an `OrderStore` is asked for (it answers every call of one)."""
    return cast(OrderStore, memo)
