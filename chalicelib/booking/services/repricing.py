"""A moved booking's coupon discount, priced again in the move's own transaction
(booking/domain/repricing.py says the rule; the customers capability prices the code through
booking's `Redeemer` port). Each discount voided and each added is a `ChargeVoided` /
`ChargeAdded` event of the move's transaction, so the audit log and the folio's consumers see
them as they see staff's.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.order_money import payment_status_of
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.redemptions import RedemptionKind
from chalicelib.booking.domain.repricing import REPRICED, with_coupons_repriced
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.kernel.domain.events import ChargeAdded, ChargeVoided, OrderEvent


def repriced(ctx: BookingContext, after: Order, *, stay: bool) -> tuple[Order, list[OrderEvent]]:
    """The moved order (`stay`: only a stay's length changed, its discounts kept as they are)
    with its coupon priced again and its payment status following its total; the events of
    the discounts it changed."""
    events: list[OrderEvent] = []
    if not stay and any(r.kind is RedemptionKind.COUPON for r in after.redemptions):
        priced = ctx.data.redeemer.reprice(ctx, after)
        after, voided, added = with_coupons_repriced(
            after, priced.charges, priced.redemptions, at=ctx.now(), by=ctx.actor.label
        )
        events += [
            ChargeVoided(
                **order_facts(ctx, after), charge_id=c.id, amount=c.signed_total, reason=REPRICED
            )
            for c in voided
        ]
        events += [
            ChargeAdded(
                **order_facts(ctx, after),
                charge_id=c.id,
                kind=c.kind.value,
                label=c.label,
                quantity=c.quantity,
                amount=c.signed_total,
                tax_rate_bp=c.tax_bp,
            )
            for c in added
        ]
    return replace(after, payment_status=payment_status_of(after)), events
