"""A guest who did not come: when the desk may say so, what the order then asks, and the way
back while nothing has been charged for it.

- **When.** An appointment (or a departure) is a no-show once it has started. A stay is one
  only once its arrival day's check-in time has passed in the business's zone
  (kernel/domain/stay_times.py: 15:00 unless the business set another): a guest arriving at
  noon is early, not missing. Before then: 409 `no_show_too_early`, with `opens_at`.
- **What it asks.** A no-show's order asks only the fee its offerings' terms keep (the
  strictest `no_show_fee` of its lines, 0 when none), recorded on the order when it is
  marked (`Order.no_show_fee`), as a cancellation asks only its fee: its balance is that fee
  less what it keeps (booking/domain/order_money.py `due`).
- **What it frees.** A timed line's slots not yet over go back on sale, as a table turned
  early does (turned_early.py): a restaurant's table held for a party that never came stayed
  "taken" for its whole booked time, turning away the walk-in who could sit there (an outside
  tester's). The allocation remembers them (`given_back`). A stay keeps its room and nights,
  and a departure its seat: sold for the day, or gone with the tour.
- **Undone.** A manager or owner may take a no-show back to confirmed (the guest came after
  all) while its fee was not charged: the slots it gave back are taken again, on condition
  that they are still free (409 `no_show_place_taken` when another booking has one since:
  book the guest again at a free time); its rooms and nights never left it. A fee charged,
  being charged or authorised on the card: 409 `no_show_fee_charged` (give it back first,
  then undo: once refunded whole, or when the charge did not go through, the undo is
  allowed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from chalicelib.booking.domain.order_money import refunded_by_payment
from chalicelib.booking.domain.orders import BookingStatus, IllegalTransition, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, PaymentKind
from chalicelib.catalog.domain.inventory import Take
from chalicelib.kernel.domain.calendar import iso_utc
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.stay_times import first_instant_from
from chalicelib.kernel.domain.timefmt import parse

UNDONE = "no_show_undone"  # the history's word for the way back


class NoShowTooEarly(Conflict):
    code = "no_show_too_early"


class NoShowFeeTaken(Conflict):
    code = "no_show_fee_charged"


def no_show_opens(order: Order, tz: str, check_in: int) -> datetime | None:
    """The first instant the order's guest may be called a no-show, for a stay: the check-in
    time (`check_in`, minutes after local midnight) of its first arrival day in `tz`. None:
    the order holds no stay (its start is the rule)."""
    stays = [line for line in order.lines if line.nights]
    if not stays:
        return None
    first = min(stays, key=lambda line: line.start)
    return first_instant_from(date.fromisoformat(first.local_date), check_in, tz)


def check_no_show_time(order: Order, at: str, tz: str, check_in: int) -> None:
    """409 `no_show_too_early` while a stay's arrival day's check-in time is still ahead."""
    opens = no_show_opens(order, tz, check_in)
    if opens is not None and parse(at) < opens:
        raise NoShowTooEarly(
            "The guest may still arrive today: a stay is a no-show only once its arrival "
            "day's check-in time has passed.",
            opens_at=iso_utc(opens),
        )


def fee_taken(order: Order) -> bool:
    """A no-show fee charged on the card and not given back in full, or on its way (not
    declined): a fee refunded whole no longer stands in the way of the undo (an outside
    tester refunded it, as the refusal says to, and was refused again for good)."""
    back = refunded_by_payment(order)
    for p in order.payments:
        if p.kind is not PaymentKind.NO_SHOW_FEE or p.status is AttemptStatus.FAILED:
            continue
        if p.status is not AttemptStatus.SUCCEEDED or p.received > back.get(p.id, 0):
            return True
    return False


def no_show_undone(order: Order, *, at: str, actor: str) -> Order:
    """The no-show taken back: confirmed again, asking its total, its fee forgotten. Not in
    the order's TRANSITIONS: only this way, with the checks above."""
    if order.status is not BookingStatus.NO_SHOW:
        raise IllegalTransition(
            f"Only a no-show can be undone; this order is {order.status.value.replace('_', ' ')}.",
            status=order.status.value,
            target=BookingStatus.CONFIRMED.value,
        )
    if fee_taken(order):
        raise NoShowFeeTaken(
            "The no-show fee was charged on the guest's card: give it back first, then undo "
            "the no-show.",
            fee=order.no_show_fee,
            currency=order.currency,
        )
    return replace(
        order,
        status=BookingStatus.CONFIRMED,
        no_show_fee=0,
        updated_at=at,
        version=order.version + 1,
        history=(*order.history, (at, UNDONE, actor)),
    )


def taken_again(order: Order) -> tuple[Order, list[Take]]:
    """`order` with the slots its no-show gave back in its takes again, and those takes."""
    again = [t for line in order.lines for a in line.allocations for t in a.given_back]
    if not again:
        return order, []
    lines = tuple(
        replace(
            line,
            allocations=tuple(
                replace(a, takes=(*a.takes, *a.given_back), given_back=()) for a in line.allocations
            ),
        )
        for line in order.lines
    )
    return replace(order, lines=lines), again
