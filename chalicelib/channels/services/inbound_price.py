"""The partner's price on a channel manager's order: what the OTA sold the stay for is what
the order bills.

A reservation says its price (`price`: amount in minor units and currency). The engine prices
the stay by the offering's rates; when the partner's currency is the order's (the business's),
the folio takes the difference as one line, "Channel rate": a discount when the partner's
price is lower, an extra charge when it is higher, through the folio's own use cases
(payments/services/folio.py: give_discount, add_charge, void_charge, with their events
ChargeAdded and ChargeVoided). Its tax is the folio's rule: at the rate the stay bills at, tax
included (the partner's price is what the guest pays, all in), so the order's total is the
partner's price to the unit. Everything that reads the total follows: the balance, the
invoice, the reports' figures, and the partner's commission on the statement (the order's
PREF# entry is rewritten with every order write).

- Idempotent: the line is worked out from the order as it is (its total without its live
  Channel rate lines); when the live one already makes up the difference nothing is written,
  so a message delivered again adds nothing. Its id is `chr_<order>_<n>` (n: one more than the
  Channel rate lines the order has had), and the folio keeps one charge per id: two tries at
  once add one line.
- Replaced, never edited: a modification that changes the price or the dates (the engine
  prices the new stay again) voids the old line and adds the new one.
- Another currency: nothing is adjusted; the order keeps the engine's price, and the partner's
  price and currency are on the order's partner (`PartnerRef.price`) and in its note.
- Only a confirmed order: a cancelled one bills nothing more, and a guest checked in is the
  desk's (the partner cannot move their stay either: inbound_apply), so a new price then is
  left to the desk (the note and the partner's message log say it).
- A folio that will not take the line (a staff discount depending on the old extra, a discount
  bigger than what the stay bills at its rate) leaves the order as it is: the partner's
  message is still applied, and the note and the order's partner say the price.
"""

from __future__ import annotations

from chalicelib.booking.domain.folio import Charge
from chalicelib.booking.domain.folio_changes import band_totals
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.orders import get_order
from chalicelib.channels.services.inbound_ports import InboundContext
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.payments.services.folio import (
    ChargeRequest,
    add_charge,
    give_discount,
    void_charge,
)

CHANNEL_RATE = "Channel rate"
PREFIX = "chr_"
REPLACED = "Replaced: the partner's price or stay changed"


def is_channel_rate(charge: Charge) -> bool:
    return charge.id.startswith(PREFIX)


def _live(order: Order) -> list[Charge]:
    return [c for c in order.charges if c.live and is_channel_rate(c)]


def wanted(order: Order, amount: int) -> int:
    """What the Channel rate line must add (negative: take off) so that the order's total is
    `amount`: the partner's price less the order's total without its live Channel rate."""
    return amount - (order.total - sum(c.signed_total for c in _live(order)))


def match_price(ctx: InboundContext, order_id: str, amount: int, currency: str) -> Order:
    """The order's total made `amount` (see the module's docstring); nothing when the
    currency is not the order's, or the order is not a confirmed one (a cancelled order bills
    nothing; a checked-in guest's folio is the desk's, as their stay is)."""
    order = get_order(ctx, order_id)
    if currency != order.currency or order.status is not BookingStatus.CONFIRMED:
        return order
    difference = wanted(order, amount)
    live = _live(order)
    if len(live) <= 1 and sum(c.signed_total for c in live) == difference:
        return order  # already so: a message delivered again, a change of nothing
    try:
        for charge in live:
            order = void_charge(ctx, order.id, charge.id, reason=REPLACED)
        if difference:
            order = _add(ctx, order, difference, f"Partner's price {amount} {currency}")
    except (Conflict, InvalidInput):
        return get_order(ctx, order_id)  # the folio refuses it: the module's last point
    return order


def drop_channel_rate(ctx: InboundContext, order_id: str) -> Order:
    """The order without its live Channel rate line (a shorter stay cannot carry a discount
    bigger than its lines: the engine's reschedule refuses it, so the line goes first and
    match_price adds the new one after)."""
    order = get_order(ctx, order_id)
    for charge in _live(order):
        order = void_charge(ctx, order.id, charge.id, reason=REPLACED)
    return order


def _add(ctx: InboundContext, order: Order, difference: int, note: str) -> Order:
    made = sum(1 for c in order.charges if is_channel_rate(c))
    charge_id = f"{PREFIX}{order.id.removeprefix('ord_')}_{made + 1}"
    rate = _rate(order)
    if difference > 0:
        ask = ChargeRequest(
            label=CHANNEL_RATE, unit_amount=difference, tax_bp=rate, tax_inclusive=True, note=note
        )
        return add_charge(ctx, order.id, charge_id=charge_id, ask=ask)
    return give_discount(
        ctx,
        order.id,
        discount_id=charge_id,
        reason=f"{CHANNEL_RATE}: {note}",
        amount=-difference,
        tax_bp=rate,
        label=CHANNEL_RATE,  # as the surcharge's: an integrator's ChargeAdded had label ""
    )


def _rate(order: Order) -> int:
    """The tax rate the line is priced at: the one the stay bills most at (a stay has one)."""
    billed = [(total, rate) for rate, (total, _) in band_totals(order).items() if total > 0]
    return max(billed)[1] if billed else 0
