"""A worker's first look at an order, before it reads the tenant's record.

The hold-expiry message of an order confirmed long ago, and the "held" notice of an order
confirmed within the minute, find nothing to do; each used to read the tenant's record
(`GetItem platform TEN#`) and then the order. They look at the order first, in the table the
tenant's id names (`for_tenant_id`: the name every tenant table is given, and the only one its
credentials reach), and read the tenant only when there is something to do, handing the order
they read on (no second read). A table that is not there (a tenant gone) is not a look: the
worker reads the tenant as before and answers as before for an unknown tenant.
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.order_ports import OrderStore
from chalicelib.kernel.domain.errors import TenantNotReady
from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.kernel.domain.values import value


class LookedAt(Protocol):
    @property
    def orders(self) -> OrderStore: ...

    def order_and_listeners(self, order_id: str) -> tuple[Order | None, Listeners | None]: ...


class TablesById(Protocol):
    def for_tenant_id(self, tenant_id: str) -> LookedAt: ...


@value
class Look:
    """What the look found: `seen` False when the table could not be read (then `order` is
    None and says nothing); `listeners`, the tenant's counts when asked for (a reminder's
    message skips the templates' Query while the tenant has none of its own)."""

    seen: bool
    order: Order | None = None
    listeners: Listeners | None = None


def look_at_order(
    tables: TablesById, tenant_id: str, order_id: str, *, with_counts: bool = False
) -> Look:
    """The order as stored now (a consistent read), with the tenant's counts in the same
    BatchGetItem if asked; or an unseen look."""
    try:
        data = tables.for_tenant_id(tenant_id)
        if with_counts:
            order, counts = data.order_and_listeners(order_id)
            return Look(seen=True, order=order, listeners=counts)
        return Look(seen=True, order=data.orders.get(order_id))
    except TenantNotReady:
        return Look(seen=False)
