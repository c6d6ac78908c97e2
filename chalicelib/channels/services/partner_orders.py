"""A partner's orders by the partner's own reference: the reference's entry (one GetItem,
booking/adapters/partner_ref_items.py), then the order it names."""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.channels.services.connection_ports import ChannelsContext
from chalicelib.kernel.domain.errors import NotFound


def order_by_reference(ctx: ChannelsContext, connection_id: str, reference: str) -> Order | None:
    """The order the connection's partner booked under `reference`, or None."""
    order_id = ctx.data.partner_refs.order_id_for(connection_id, reference)
    return None if order_id is None else ctx.data.orders.get(order_id)


def order_of_reference(ctx: ChannelsContext, connection_id: str, reference: str) -> Order:
    """As `order_by_reference`; NotFound (`partner_order_not_found`) when none."""
    order = order_by_reference(ctx, connection_id, reference)
    if order is None:
        raise NotFound(
            "This partner has no order under that reference.",
            code="partner_order_not_found",
            reference=reference,
        )
    return order
