"""The partner of a channel partner's order as the order's JSON shows it (booking's
`OrderOut.partner`; booking/domain/partner_refs.py)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.booking.domain.orders import Order
from chalicelib.web.models import Out


class PartnerOut(Out):
    """On the public routes (the customer's manage page) the terms are 0 and null: the
    customer sees who sold the booking and its reference, not the business's commission or
    the partner's price."""

    connection_id: str
    name: str = Field(description="The connection's name when the order was made.")
    reference: str = Field(description="The partner's own booking reference.")
    commission_bp: int = Field(description="The commission rate, in basis points (1500: 15 %).")
    commission: int = Field(
        description="What the order earns the partner as it stands, in minor units: 0 until "
        "it is confirmed, and for a cancelled or expired order."
    )
    price: int | None = Field(
        default=None,
        description="What the partner sold the booking for, in minor units of "
        "`price_currency`, as the partner's latest message said (a channel manager's "
        "reservation, created or modified); null when the partner said no price.",
    )
    price_currency: str | None = Field(
        default=None, description="The currency of `price` (ISO 4217); null without a price."
    )
    settlement: str | None = Field(
        default=None,
        description="Who the customer pays, as the connection said when the order was made: "
        "`partner` (the partner pays the business on account: nothing to collect from the "
        "customer), `customer` (the business's own payment rules); null for an order made "
        "before it was kept. Shown on the public routes too.",
    )


def partner_out(order: Order) -> PartnerOut | None:
    p = order.partner
    if p is None:
        return None
    return PartnerOut(
        connection_id=p.connection_id,
        name=p.name,
        reference=p.reference,
        commission_bp=p.commission_bp,
        commission=order.commission,
        price=p.price,
        price_currency=p.price_currency or None,
        settlement=p.settlement or None,
    )
