"""The tenant's data as one event's consumers see it: the order read once for all of them
(booking/services/order_memo.py), forgotten after any write of theirs that puts it and after any
refused write (a consumer that reads again on a refusal, as points' give-back does, then reads
the order anew, not the memo it was refused on)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from chalicelib.booking.services.order_memo import MemoOrders, as_store
from chalicelib.booking.services.transaction_items import OrderPut
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TenantTransactions, TransactionItem
from chalicelib.tenant_stores_ports import TenantData


class ForgetfulTransactions(TenantTransactions):
    """`inner`, forgetting the memo's orders a write puts, and every order when one fails."""

    def __init__(self, inner: TenantTransactions, memo: MemoOrders) -> None:
        self._inner = inner
        self._memo = memo

    def write(self, items: Sequence[TransactionItem]) -> None:
        try:
            self._inner.write(items)
        except Exception:
            self._memo.forget()
            raise
        self._memo.forget([i.order.id for i in items if isinstance(i, OrderPut)])


class EventData:
    """`data` with its orders read once (`MemoOrders`) and its writes forgetting them."""

    def __init__(self, data: TenantData) -> None:
        self._data = data
        memo = MemoOrders(data.orders)
        self.orders = as_store(memo)
        self.transactions: TenantTransactions = ForgetfulTransactions(data.transactions, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)


def for_one_event(ctx: TenantContext[TenantData]) -> TenantContext[TenantData]:
    """`ctx` over `EventData`: what the consumers of one event are handed."""
    return ctx.with_data(cast(TenantData, EventData(ctx.data)))
