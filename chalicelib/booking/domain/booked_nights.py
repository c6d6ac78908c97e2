"""A stay made longer or shorter keeps the prices its nights were booked at: only the nights
it gains are priced at the business's prices now. A revenue manager raised the Christmas
season from +30 % to +50 % while a four-night stay was booked; the guest shortened it by one
night and the three kept nights were charged at the new rate, €23.90 more than the guest was
quoted for them (an outside tester's). The same stay only: same offering, same check-in (a
move to another room type from check-in is that type's stay, priced now: a reviewer's). A
night's price is its price item (labelled by its
local date); the line's tax follows the kept prices, and its deposit the business's policy on
the new total, as planning computes it.

When the offering's tax rate or its inclusive/exclusive basis changed since the booking, the
booked unit amounts no longer mean the same money: the stay is priced as planned (now).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import partial

from chalicelib.booking.domain.orders import Line
from chalicelib.catalog.domain.catalog import DepositPolicy
from chalicelib.catalog.domain.pricing import PriceItem, deposit_due, with_tax


def keep_booked_nights(
    booked: Sequence[Line],
    planned: Sequence[Line],
    deposits: Mapping[str, DepositPolicy],
    today: date,
) -> list[Line]:
    """Each of `planned` that is the stay `booked` has in its place (its offering, its check-in
    date: the same stay made longer or shorter, by `/stay` or by a move to the same check-in
    from the manage page or the desk) with its nights' booked prices; any other line (a move
    to another date, another room type or offering, a timed line) as planned, priced now.
    `deposits`: each planned offering's deposit policy, applied as planning applies it on
    `today` (a plan's first part is the whole when no later part fits before the stay: a
    reviewer's held stay changed the day before asked a third and nothing collected the rest)."""
    return [
        _with_booked_nights(booked[i], line, _deposit(deposits[line.offering_id], line, today))
        if i < len(booked) and _same_stay(booked[i], line)
        else line
        for i, line in enumerate(planned)
    ]


def _deposit(policy: DepositPolicy, line: Line, today: date) -> Callable[[int], int]:
    start = date.fromisoformat(line.local_date)
    return partial(deposit_due, policy, booked_on=today, start_day=start)


def _same_stay(booked: Line, planned: Line) -> bool:
    return bool(booked.nights and planned.nights) and (
        booked.offering_id,
        booked.local_date,
    ) == (planned.offering_id, planned.local_date)


def _with_booked_nights(booked: Line, planned: Line, deposit: Callable[[int], int]) -> Line:
    """`planned` (the stay with its new length, priced now) with each night `booked` had at
    its booked price; `deposit(total)`: the policy's deposit of a total."""
    terms = (booked.tax_bp, booked.tax_inclusive, booked.party, booked.quantity)
    if terms != (planned.tax_bp, planned.tax_inclusive, planned.party, planned.quantity):
        return planned
    was = {label: unit for label, unit, _ in booked.price_items}
    items = tuple(
        (label, was.get(label, unit), quantity) for label, unit, quantity in planned.price_items
    )
    if items == planned.price_items:
        return planned
    subtotal = sum(unit * quantity for _, unit, quantity in items)
    price = with_tax(subtotal, planned.tax_bp, planned.tax_inclusive, _items(items))
    return replace(
        planned,
        price_items=items,
        subtotal=price.subtotal,
        tax=price.tax,
        total=price.total,
        deposit=deposit(price.total),
    )


def _items(items: tuple[tuple[str, int, int], ...]) -> tuple[PriceItem, ...]:
    return tuple(PriceItem(label, unit, quantity) for label, unit, quantity in items)
