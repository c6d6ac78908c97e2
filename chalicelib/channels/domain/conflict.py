"""Overbooking conflicts: a channel partner's reservation the engine could not give units to.

The partner sold the stay and its guest will come, so the reservation is never refused nor
dropped: it becomes an order that is confirmed, `overbooked`, and whose lines hold no units
(every allocation's `takes` is empty). The buckets count only what is really taken, so the
invariant (units used = units the live orders hold) stays exact and nothing is sold twice;
staff see the conflict (an alert, `GET /v1/overbookings`) and resolve it: move the guest to a
free unit (the order takes it, in one transaction) or relocate them elsewhere (cancelled by
the business: it costs the guest nothing).

A reservation on a date the business marked closed (`opening_hours.closed_dates`) is made the
same conflict, though a room may be free: the partner sold it before it heard of the closure,
so it is taken, but the business said it is closed that day, so staff decide (move the guest
into a room: the desk may book a closed date; or relocate them) rather than the engine.

The lines of such an order are planned as any stay's (the same times, prices and resources
named), only without taking: channels/services/conflict_lines.py makes one from the catalog
alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.booking.domain.orders import Line
from chalicelib.kernel.domain.values import value


@value
class PartnerStay:
    """A stay as a partner asks for it, in our terms."""

    offering_id: str
    check_in: date
    nights: int
    party: int
    quantity: int  # rooms
    resource_id: str | None = None  # the mapping's room type, when it names one


def stay_days(stay: PartnerStay) -> list[date]:
    """The nights of the stay, as local dates."""
    return [stay.check_in + timedelta(days=n) for n in range(max(1, stay.nights))]


def same_stay(line: Line, stay: PartnerStay) -> bool:
    """Whether the order's line already is this stay (a modification that changes none of
    it changes nothing)."""
    resources = {a.resource_id for a in line.allocations}
    return (
        line.offering_id == stay.offering_id
        and line.local_date == stay.check_in.isoformat()
        and line.nights == stay.nights
        and line.party == stay.party
        and line.quantity == stay.quantity
        and (stay.resource_id is None or stay.resource_id in resources)
    )


def kept_price(new: Line, old: Line) -> Line:
    """`new` (units found for a conflict) at the price the guest booked: moving them because
    we overbooked never costs them more, nor less."""
    return replace(
        new,
        price_items=old.price_items,
        subtotal=old.subtotal,
        tax=old.tax,
        total=old.total,
        deposit=old.deposit,
        tax_bp=old.tax_bp,
        tax_inclusive=old.tax_inclusive,
    )


def unplaced(line: Line) -> bool:
    return not line.takes
