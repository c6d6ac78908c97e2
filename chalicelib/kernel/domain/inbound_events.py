"""The channels' inbound events (chalicelib/channels/services/inbound*.py, conflict*.py): an
overbooking conflict made. Each is listed in `EVENTS` (kernel/domain/event_registry.py). Its
resolution needs no event of its own: a move is `OrderRescheduled` (the order now holds
units), a relocation `OrderCancelled` (cancelled by the business)."""

from __future__ import annotations

from chalicelib.kernel.domain.events import BookingEvent
from chalicelib.kernel.domain.values import value


@value(kw_only=True)
class OrderOverbooked(BookingEvent):
    """A channel partner's reservation the engine could not give units to: the order is
    confirmed (the partner's guest is coming) and holds no units; staff move the guest to a
    free room or relocate them (`POST /v1/overbookings/{order_id}/resolve`)."""

    name = "OrderOverbooked"
    schema_version = 1
    summary = (
        "A channel partner's reservation found no free unit: the order is confirmed without "
        "units (`overbooked`), for staff to move or relocate the guest."
    )
    connection_id: str
    reference: str  # the partner's reservation id
