"""A check-in taken back: the desk checked in the wrong guest (the next line of the day sheet)
or checked one in days early, which a restaurant's tester found could then be neither
cancelled, moved nor marked a no-show: the table stayed sold, and only a check-out on the day
would end it. Taken back, the order is confirmed again, as it was before the check-in: its
units and rooms never left it (a checked-in order holds its inventory), so nothing is taken
again, and its payments and folio stay as they are (a capture made at check-in stays made).
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import BookingStatus, IllegalTransition, Order

UNDONE = "check_in_undone"  # the history's word for the way back


def check_in_undone(order: Order, *, at: str, actor: str) -> Order:
    """Confirmed again. Not in the order's TRANSITIONS: only this way, from checked in."""
    if order.status is not BookingStatus.CHECKED_IN:
        raise IllegalTransition(
            "Only a checked-in order's check-in can be taken back; this order is "
            f"{order.status.value.replace('_', ' ')}.",
            status=order.status.value,
            target=BookingStatus.CONFIRMED.value,
        )
    history = (*order.history, (at, UNDONE, actor))
    confirmed = replace(order, status=BookingStatus.CONFIRMED, updated_at=at, history=history)
    return replace(confirmed, version=order.version + 1)
