"""The tenant's data as one event's consumers see it: the order read once for all of them
(booking/services/order_memo.py), forgotten after any write of theirs that puts it and after any
refused write (a consumer that reads again on a refusal, as points' give-back does, then reads
the order anew, not the memo it was refused on).

The customer's record likewise (`MemoCustomers`): read once, and after a write of theirs that
puts it, the record as written (the figures' put, then the campaign credit's look at the same
record: no second GetItem). A refused write forgets every record; a write of any other kind of
item than the ones known here not to touch a record forgets them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from chalicelib.booking.services.order_memo import MemoOrders, as_store
from chalicelib.booking.services.transaction_items import OrderPut
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.services.customer_ports import CustomerPut, CustomerStore, EventMark
from chalicelib.customers.services.suggestion_ports import BookedPut, CoBookingAdd
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import (
    EventPut,
    TenantTransactions,
    TransactionItem,
)
from chalicelib.tenant_stores_ports import TenantData

# Items that never change a customer's record (`CUS#<id>`/`META`): a write of only these and
# of `CustomerPut` keeps the memo of the records.
_NOT_A_RECORD = (OrderPut, EventPut, EventMark, BookedPut, CoBookingAdd)


class MemoCustomers:
    """`inner` with `get` read once per record until a write changes it; the rest as is."""

    def __init__(self, inner: CustomerStore) -> None:
        self.inner = inner
        self._read: dict[str, CustomerRecord | None] = {}

    def get(self, customer_id: str) -> CustomerRecord | None:
        if customer_id not in self._read:
            self._read[customer_id] = self.inner.get(customer_id)
        return self._read[customer_id]

    def written(self, items: Sequence[TransactionItem]) -> None:
        """After `items` were written: the records put, as put; every record, when some other
        kind of item might have changed one."""
        if not all(isinstance(i, (CustomerPut, *_NOT_A_RECORD)) for i in items):
            self._read.clear()
            return
        for item in items:
            if isinstance(item, CustomerPut):
                self._read[item.customer.id] = item.customer

    def forget(self) -> None:
        self._read.clear()

    def __getattr__(self, name: str) -> Any:
        """Every other read of the store: `inner`'s own."""
        return getattr(self.inner, name)


class ForgetfulTransactions(TenantTransactions):
    """`inner`, keeping the memos in step with the writes (module docstring)."""

    def __init__(
        self, inner: TenantTransactions, orders: MemoOrders, customers: MemoCustomers
    ) -> None:
        self._inner = inner
        self._orders = orders
        self._customers = customers

    def write(self, items: Sequence[TransactionItem]) -> None:
        try:
            self._inner.write(items)
        except Exception:
            self._orders.forget()
            self._customers.forget()
            raise
        self._orders.forget([i.order.id for i in items if isinstance(i, OrderPut)])
        self._customers.written(items)


class EventData:
    """`data` with its orders and customers' records read once (`MemoOrders`,
    `MemoCustomers`) and its writes keeping them in step."""

    def __init__(self, data: TenantData) -> None:
        self._data = data
        orders, customers = MemoOrders(data.orders), MemoCustomers(data.customers)
        self.orders = as_store(orders)
        self.customers = cast(CustomerStore, customers)
        self.transactions: TenantTransactions = ForgetfulTransactions(
            data.transactions, orders, customers
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)


def for_one_event(ctx: TenantContext[TenantData]) -> TenantContext[TenantData]:
    """`ctx` over `EventData`: what the consumers of one event are handed."""
    return ctx.with_data(cast(TenantData, EventData(ctx.data)))
