"""Moving an order to another customer (a merge): the order's customer gets `merged_to`, so
its index entry (`CUSORD#<id>`) moves to the winner; nothing else of the order changes.

Written over the version read, as every order change is (booking's unit of work); a
concurrent change of the order is read again, a few times.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.customers.services.customer_ports import CustomersContext
from chalicelib.kernel.domain.errors import Conflict, TransientFailure

TRIES = 4


def move_order(ctx: CustomersContext, order_id: str, to_id: str) -> bool:
    """Make the order `to_id`'s; False when it is already (or gone)."""
    for _ in range(TRIES):
        before = ctx.data.orders.get(order_id)
        if before is None or before.customer.id == to_id:
            return False
        after = replace(
            before,
            customer=replace(before.customer, merged_to=to_id),
            version=before.version + 1,
            updated_at=ctx.now(),
        )
        try:
            with OrderUnitOfWork(ctx) as uow:
                uow.put_order(after, before=before)
                uow.commit()
            return True
        except Conflict as exc:
            if exc.code != "version_mismatch":
                raise
    raise TransientFailure("The order kept changing.", code="order_busy", order_id=order_id)
