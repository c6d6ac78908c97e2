"""The channels' inbound events (chalicelib/channels/services/inbound*.py, conflict*.py): an
overbooking conflict made and resolved. Each is listed in `EVENTS`
(kernel/domain/event_registry.py)."""

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


@value(kw_only=True)
class OverbookingResolved(BookingEvent):
    name = "OverbookingResolved"
    schema_version = 1
    summary = (
        "Staff resolved an overbooking: `move` (the order now holds units on a free resource) "
        "or `relocate` (the guest was placed elsewhere; the order is cancelled by the business)."
    )
    action: str  # move | relocate
