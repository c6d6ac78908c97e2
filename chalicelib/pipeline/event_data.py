"""The tenant's data as one event's consumers see it: the order read once for all of them
(booking/services/order_memo.py), forgotten after any write of theirs that puts it and after any
refused write (a consumer that reads again on a refusal, as points' give-back does, then reads
the order anew, not the memo it was refused on).

The customer's record likewise (`MemoCustomers`): read once, and after a write of theirs that
puts it, the record as written (the figures' put, then the campaign credit's look at the same
record: no second GetItem). A refused write forgets every record; a write of any other kind of
item than the ones known here not to touch a record forgets them too.

The records an event's consumers read are read together (`MemoCustomers`'s `companions`): the
first record asked for comes in one BatchGetItem (consistent, as each GetItem was) with the
other records the event's order names: the one its e-mail names, the one it was moved to, and
the phone-only record of its phone (the figures' phone rule reads it). The suggestions' look
at `merged_into` reads the same memo (`MemoSuggestions`), and when it is the first look at the
record, the customer's counted orders (`CUS#<id>`/BOOKED, which the co-bookings read next)
come in the same BatchGetItem: on a returning customer's confirmation, four GetItems of `CUS#`
became one BatchGetItem.

The tenant's webhook endpoints, channel connections and own templates are read only when it has
some (`Listeners`, kernel/domain/listeners.py: counts never below the truth, kept by the writes
that create and delete them, read once per event, consistently, and with the event's order when
a consumer reads that first: one BatchGetItem): most small businesses have none, and their every
event queried for each. A table without the counts (from before them) reads as it always did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, cast

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.order_memo import MemoOrders, as_store
from chalicelib.booking.services.transaction_items import OrderPut
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.services.connection_ports import ConnectionStore
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.services.customer_ports import CustomerPut, CustomerStore, EventMark
from chalicelib.customers.services.suggestion_ports import (
    Booked,
    BookedPut,
    CoBookingAdd,
    SuggestionStore,
)
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import (
    EventPut,
    TenantTransactions,
    TransactionItem,
)
from chalicelib.notifications.services.template_ports import KnownTemplates, TemplateStore
from chalicelib.tenant_stores_ports import TenantData
from chalicelib.webhooks.domain.webhooks import WebhookEndpoint
from chalicelib.webhooks.services.webhook_ports import WebhookStore

# Items that never change a customer's record (`CUS#<id>`/`META`): a write of only these and
# of `CustomerPut` keeps the memo of the records.
_NOT_A_RECORD = (OrderPut, EventPut, EventMark, BookedPut, CoBookingAdd)


Companions = Callable[[str], Sequence[str]]
Reader = Callable[[list[str]], dict[str, CustomerRecord]]


def no_companions(customer_id: str) -> Sequence[str]:
    return ()


class MemoCustomers:
    """`inner` with `get` read once per record until a write changes it; the rest as is.
    A record not read yet comes with its `companions` not read yet, in one read."""

    def __init__(self, inner: CustomerStore, companions: Companions = no_companions) -> None:
        self.inner = inner
        self._companions = companions
        self._read: dict[str, CustomerRecord | None] = {}

    def get(self, customer_id: str, reader: Reader | None = None) -> CustomerRecord | None:
        """`reader`: how the record and its companions not read yet are read, when not
        alone (the suggestions' memo reads the customer's counted orders with them)."""
        if customer_id not in self._read:
            wanted = [customer_id]
            wanted += [c for c in self._companions(customer_id) if c not in self._read]
            if reader is None and len(wanted) == 1:
                self._read[customer_id] = self.inner.get(customer_id)
            else:
                found = (reader or self._together)(wanted)
                for wanted_id in dict.fromkeys(wanted):
                    self._read[wanted_id] = found.get(wanted_id)
        return self._read[customer_id]

    def _together(self, wanted: list[str]) -> dict[str, CustomerRecord]:
        return self.inner.get_many(wanted, consistent=True)

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


def order_companions(orders: MemoOrders) -> Companions:
    """The records the event's orders name, asked about one of them: the other ones (the
    e-mail's, the one a merge moved the order to, the phone's alone); none for a record no
    order read names (a merge's winner, read on a hop of `live`: read alone)."""

    def companions(customer_id: str) -> Sequence[str]:
        for order in orders.remembered():
            named = _named(order.customer.email, order.customer.phone, order.customer.merged_to)
            if customer_id in named:
                return [n for n in named if n != customer_id]
        return ()

    return companions


def _named(email: str | None, phone: str | None, merged_to: str | None) -> list[str]:
    ids = [merged_to] if merged_to else []
    for contact in ((email, phone), (None, phone)):
        with suppress(ValueError):  # no contact (an erased customer's order): nobody to name
            ids.append(customer_id_for(*contact))
    return list(dict.fromkeys(ids))


class MemoSuggestions:
    """`inner` with `merged_into` answered from the event's records (`MemoCustomers`: the same
    consistent read of `CUS#<id>`/META); the rest as is. A record not read yet comes with the
    customer's counted orders (`CUS#<id>`/BOOKED) in the same BatchGetItem: `merged_into` is
    what the co-bookings ask just before `booked`, which then takes that read, once (read
    before the order is read again, as `booked` was: customers/services/suggestions.py; any
    write forgets it)."""

    def __init__(self, inner: SuggestionStore, customers: MemoCustomers) -> None:
        self.inner = inner
        self._customers = customers
        self._booked: dict[str, Booked] = {}

    def merged_into(self, customer_id: str) -> str | None:
        def with_booked(wanted: list[str]) -> dict[str, CustomerRecord]:
            booked, found = self.inner.booked_with_records(customer_id, wanted)
            self._booked[customer_id] = booked
            return found

        record = self._customers.get(customer_id, with_booked)
        return (record.merged_into or None) if record is not None else None

    def booked(self, customer_id: str) -> Booked:
        kept = self._booked.pop(customer_id, None)
        return kept if kept is not None else self.inner.booked(customer_id)

    def forget(self) -> None:
        self._booked.clear()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class MemoListeners:
    """The tenant's counts, read once per event, on first need: with the event's order when
    that is the first read of the order (one BatchGetItem for both: `first_order_read`), alone
    when the counts are needed first (an event whose consumers may never read its order)."""

    def __init__(self, data: TenantData, orders: MemoOrders, order_id: str | None) -> None:
        self._data = data
        self._orders = orders
        self._order_id = order_id
        self._read: list[Listeners | None] = []

    def get(self) -> Listeners | None:
        if not self._read:
            self._read.append(self._data.listeners.get())
        return self._read[0]

    def first_order_read(self, order_id: str) -> Order | None:
        """`MemoOrders`' read of an order not read yet: the event's order comes with the
        counts when they are not read yet."""
        if order_id != self._order_id or self._read:
            return self._data.orders.get(order_id, consistent=True)
        order, counts = self._data.order_and_listeners(order_id)
        self._read.append(counts)
        return order


class QuietWebhooks:
    """`inner`, with no endpoints listed (no Query) while the tenant counts none."""

    def __init__(self, inner: WebhookStore, listeners: MemoListeners) -> None:
        self.inner = inner
        self._listeners = listeners

    def list_endpoints(self) -> list[WebhookEndpoint]:
        counts = self._listeners.get()
        if counts is not None and counts.webhook_endpoints == 0:
            return []
        return self.inner.list_endpoints()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class QuietConnections:
    """`inner`, with no connections listed (no Query) while the tenant counts none."""

    def __init__(self, inner: ConnectionStore, listeners: MemoListeners) -> None:
        self.inner = inner
        self._listeners = listeners

    def list(self) -> list[Connection]:
        counts = self._listeners.get()
        if counts is not None and counts.channel_connections == 0:
            return []
        return self.inner.list()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class ForgetfulTransactions(TenantTransactions):
    """`inner`, keeping the memos in step with the writes (module docstring)."""

    def __init__(
        self,
        inner: TenantTransactions,
        orders: MemoOrders,
        customers: MemoCustomers,
        suggestions: MemoSuggestions,
    ) -> None:
        self._inner = inner
        self._orders = orders
        self._customers = customers
        self._suggestions = suggestions

    def write(self, items: Sequence[TransactionItem]) -> None:
        self._suggestions.forget()
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

    def __init__(self, data: TenantData, order_id: str | None = None) -> None:
        self._data = data
        orders = MemoOrders(data.orders, lambda read: listeners.first_order_read(read))
        listeners = MemoListeners(data, orders, order_id)
        customers = MemoCustomers(data.customers, order_companions(orders))
        suggestions = MemoSuggestions(data.suggestions, customers)
        self.orders = as_store(orders)
        self.customers = cast(CustomerStore, customers)
        self.suggestions = cast(SuggestionStore, suggestions)
        self.webhooks = cast(WebhookStore, QuietWebhooks(data.webhooks, listeners))
        self.connections = cast(ConnectionStore, QuietConnections(data.connections, listeners))
        self.templates = cast(TemplateStore, KnownTemplates(data.templates, listeners.get))
        self.transactions: TenantTransactions = ForgetfulTransactions(
            data.transactions, orders, customers, suggestions
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)


def for_one_event(
    ctx: TenantContext[TenantData], order_id: str | None = None
) -> TenantContext[TenantData]:
    """`ctx` over `EventData`: what the consumers of one event are handed (`order_id`: the
    event's order, if it has one)."""
    return ctx.with_data(cast(TenantData, EventData(ctx.data, order_id)))
