"""The business's payment rule on an OCTO booking changed after it was confirmed.

On a `customer` connection a booking is confirmed only when nothing is collected online
(channels/services/octo_confirm.py, payments/services/at_venue.check_nothing_due_online). A
confirmed booking moved to another product, start or party must meet the same rule after the
move, or a reseller could confirm a product that asks nothing and then move the booking to one
that asks a deposit, which would stay unpaid. The move is planned first without being written
(the engine's own planning, counting the booking's units as free, as its reschedule does), the
rule is checked on the order as the move would make it, and only then is the move made: a
refusal (`payment_required`, OCTO's UNPROCESSABLE_ENTITY) changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.line_planning import LineInput, plan_lines
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.channels.domain.connections import Connection, Settlement
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.payments.services.at_venue import check_nothing_due_online
from chalicelib.payments.services.payment_ports import PaymentAccounts


def check_move_owes_nothing(
    ctx: OctoContext,
    cache: CatalogCache,
    accounts: PaymentAccounts,
    connection: Connection,
    order: Order,
    lines: Sequence[LineInput],
) -> None:
    """PaymentRequired when moving the confirmed `order` of a `customer` connection to
    `lines` would leave a payment due online; nothing otherwise (a hold is checked when it
    is confirmed; a `partner` connection pays on account)."""
    if order.status is not BookingStatus.CONFIRMED:
        return
    if connection.settlement is not Settlement.CUSTOMER:
        return
    old = order.lines[0]
    kept = [
        replace(line, answers=old.answers, answers_kept=True)
        if line.offering_id == old.offering_id
        else line
        for line in lines
    ]
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    planned, _ = plan_lines(ctx, snapshot, kept, consistent=False, own=order.takes)
    after = order.rescheduled(tuple(planned), at=ctx.now(), actor=ctx.actor.label)
    check_nothing_due_online(ctx, cache, accounts, after)
