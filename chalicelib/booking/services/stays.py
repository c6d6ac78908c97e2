"""Stays that change after booking: a guest extends, shortens or ends a stay, checked in or
not. The stay keeps its check-in date, its room type and its party; its nights are planned
again with the nights it holds counted as its own, so one transaction takes the nights it
gains (refused with 409 `unavailable` when one is sold out, nothing changed) and gives back
those it drops, the nights kept at their booked prices and those gained at the offering's
prices now (booking/domain/booked_nights.py), with `OrderRescheduled` (its
message, webhooks, reminders) as any change of an order's lines.

A checked-in guest cannot give back a night already begun: the least is the nights from
check-in to today (leaving today), and at least one.

A stay that a move to another room type split (room_moves.py) is one guest's: the part that
another part continues cannot grow into that part's nights (409 `stay_overlaps_itself`,
booking/domain/split_stays.py), or one guest would hold two rooms on a night; the last part
grows instead.
"""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.booking.domain.orders import (
    STAY_CHANGEABLE,
    BookingStatus,
    IllegalTransition,
    Line,
    Order,
    status_words,
)
from chalicelib.booking.domain.price_agreed import check_agreed_total
from chalicelib.booking.domain.room_nights import rooms_until
from chalicelib.booking.domain.split_stays import Span, check_parts_apart
from chalicelib.booking.services.cancellation_terms import check_fee_kept
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.orders import Replan, replan
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import InvalidInput, NotFound
from chalicelib.kernel.domain.timefmt import parse


def stay_input(line: Line, nights: int) -> LineInput:
    """The stay as it was booked (check-in, party, quantity, room type, answers, rooms),
    `nights` long, planned as a stay already booked (`already_booked`: no notice rule on its
    own check-in date). Nights it gains keep its last room."""
    check_in = date.fromisoformat(line.local_date)
    return LineInput(
        line.offering_id,
        party=line.party,
        quantity=line.quantity,
        check_in=check_in,
        nights=nights,
        resource_ids={a.requirement: a.resource_id for a in line.allocations},
        already_booked=True,
        answers=line.answers,
        answers_kept=True,
        rooms=rooms_until(line.rooms, (check_in + timedelta(days=nights)).isoformat()),
        block_id=line.block_id,
    )


def least_nights(order: Order, line: Line, today: date) -> int:
    """The shortest a stay may become: a checked-in guest keeps every night already begun."""
    if order.status is not BookingStatus.CHECKED_IN:
        return 1
    return max(1, (today - date.fromisoformat(line.local_date)).days)


def change_stay(
    ctx: BookingContext,
    cache: CatalogCache,
    order_id: str,
    *,
    line_index: int,
    nights: int,
    expected_version: int | None,
    quote: bool = False,
    expected_total: int | None = None,
) -> Order:
    """`quote`: the order as the change would make it, nothing written; `expected_total`: the
    quote's total, a change that would make another refused (booking/domain/price_agreed.py:
    the nights gained are priced now, and a price may change while the guest is asked)."""

    def plan_for(order: Order) -> Replan | None:
        if not 0 <= line_index < len(order.lines):
            raise NotFound("The order has no such line.", line=line_index)
        if order.status not in STAY_CHANGEABLE:
            raise IllegalTransition(
                f"An order that is {status_words(order.status)} cannot be changed.",
                code="not_reschedulable",
                status=order.status.value,
            )
        line = order.lines[line_index]
        if not line.nights:
            raise InvalidInput("Only a stay's nights can change.", code="not_a_stay")
        today = local_date(parse(ctx.now()), ctx.tenant.timezone)
        if (
            order.status is not BookingStatus.CHECKED_IN
            and date.fromisoformat(line.local_date) < today
        ):
            raise InvalidInput(
                "The stay began without a check-in: check the guest in first, or cancel it.",
                code="date_in_past",
            )
        least = least_nights(order, line, today)
        if nights < least:
            raise InvalidInput(
                f"The guest has begun {least} nights: a stay ends today at the earliest.",
                code="nights_begun",
                least=least,
            )
        if nights == line.nights:
            return None  # nothing to change: no write, no event
        check_parts_apart(order.lines, spans(order, line_index, nights))
        # Only this line is planned again, from its same check-in (no notice rule applies to
        # a date already booked); the order's other lines keep their prices and resources.
        return Replan([stay_input(line, nights)], only_line=line_index)

    def agreed(before: Order, after: Order) -> None:
        check_fee_kept(ctx, cache, before, after)  # fewer nights inside the tiers: a manager's
        check_agreed_total(expected_total, after)

    return replan(
        ctx, cache, order_id, plan_for, expected_version=expected_version, stay=True,
        quote=quote, check_after=agreed,
    )  # fmt: skip


def spans(order: Order, index: int, nights: int) -> list[Span]:
    """The order's stays as they would be with line `index` `nights` long."""
    return [
        (date.fromisoformat(ln.local_date), nights if i == index else ln.nights)
        if ln.nights
        else None
        for i, ln in enumerate(order.lines)
    ]
