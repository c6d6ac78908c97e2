"""An OCTO hold extended past a day (POST /octo/bookings/{uuid}/extend, or an update's
`expirationMinutes`, each up to a day from now) may end in a later month of the business than
the one it was made in, where the free and pro plans counted it: the `booking_release`
consumer reaches only a day back from a hold's end (tenancy's plan_limits.LONGEST_HOLD),
so this releases the month it was held in (plan_limits.release_long_hold). Extend is OCTO's
alone; the order is read for its creation, and a hold within a day writes nothing here."""

from __future__ import annotations

from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.kernel.domain.events import OrderCancelled, OrderExpired, OrderStatusChanged
from chalicelib.tenancy.services import plan_limits


class ReleaseExtendedHolds:
    """Consumer (bookkeeping group) of a hold's end unconfirmed: expired, or cancelled held."""

    name = "channels.octo_extended_hold_release"
    events = (OrderExpired, OrderCancelled)
    # Its writes are keyed by the order: written again, the same items.
    repeatable = True

    def handle(self, ctx: OctoContext, event: OrderStatusChanged, deps: object) -> None:
        if event.previous_status != "held":
            return
        order = ctx.data.orders.get(event.order_id)
        if order is None or order.partner is None:
            return  # only a channel partner's hold is extended
        plan_limits.release_long_hold(ctx, order.id, held_at=order.created_at, ended_at=event.at)
