"""The folio's use cases: staff add an extra charge (from the price list or their own), give
a discount with a reason, or void either, each in one order write with its event
(ChargeAdded, ChargeVoided: the audit log and the tenant's webhooks see it, as any change).

A charge's id comes from the request's Idempotency-Key (`chg_`, `dis_`), and the order keeps
one charge per id: a retried request that died after its write charges nothing twice. Two
staff charging one order at once both land: the one whose write finds the order changed
since its read reads again and adds its charge to the order as it now is.
"""

from __future__ import annotations

from chalicelib.booking.domain.folio import Charge, ChargeKind, discount_taxed
from chalicelib.booking.domain.folio_changes import (
    band_totals,
    check_folio_open,
    priced,
    with_charge,
    without_charge,
)
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.orders import get_order
from chalicelib.catalog.services.price_list import get_item
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.events import ChargeAdded, ChargeVoided
from chalicelib.kernel.domain.money import amount_text
from chalicelib.kernel.domain.values import value
from chalicelib.payments.services.payment_orders import commit, reread
from chalicelib.payments.services.payment_ports import PaymentsContext


@value
class ChargeRequest:
    """What staff ask to charge: an item of the price list (its name, price and rate, the
    price said for an open-priced one), or a charge of their own (label, price and rate)."""

    quantity: int = 1
    item_id: str | None = None
    label: str | None = None
    unit_amount: int | None = None
    tax_bp: int | None = None
    tax_inclusive: bool = True
    note: str = ""


def _staff(ctx: PaymentsContext) -> str:
    return ctx.actor.email or ctx.actor.label  # a login by its e-mail, a key by its id


def _from_list(ctx: PaymentsContext, ask: ChargeRequest) -> tuple[str, int, int, bool]:
    item = get_item(ctx, ask.item_id or "")
    if not item.active:
        raise InvalidInput(
            "That item is no longer on sale.", code="price_item_inactive", item_id=item.id
        )
    if item.open_price:
        if ask.unit_amount is None:
            raise InvalidInput(
                f"{item.name} has an open price: say the amount.",
                code="amount_needed",
                field="unit_amount",
            )
        return item.name, ask.unit_amount, item.tax_bp, item.tax_inclusive
    if ask.unit_amount is not None and ask.unit_amount != item.unit_amount:
        raise InvalidInput(
            "An item of the price list is charged at its price: give a discount, or charge"
            " your own item.",
            code="price_fixed",
            field="unit_amount",
        )
    return item.name, item.unit_amount, item.tax_bp, item.tax_inclusive


def _own(ask: ChargeRequest) -> tuple[str, int, int, bool]:
    if not ask.label or ask.unit_amount is None or ask.tax_bp is None:
        raise InvalidInput(
            "A charge names a price list item (item_id), or gives its label, unit_amount and"
            " tax_rate_bp.",
            code="charge_incomplete",
        )
    return ask.label, ask.unit_amount, ask.tax_bp, ask.tax_inclusive


def add_charge(ctx: PaymentsContext, order_id: str, *, charge_id: str, ask: ChargeRequest) -> Order:
    return reread(lambda: _add_charge(ctx, order_id, charge_id, ask))


def _add_charge(ctx: PaymentsContext, order_id: str, charge_id: str, ask: ChargeRequest) -> Order:
    order = get_order(ctx, order_id)
    if any(c.id == charge_id for c in order.charges):
        return order  # made by an earlier try of this request
    label, amount, rate, inclusive = _from_list(ctx, ask) if ask.item_id else _own(ask)
    tax, total = priced(amount=amount, quantity=ask.quantity, tax_bp=rate, inclusive=inclusive)
    charge = Charge(
        id=charge_id,
        kind=ChargeKind.CHARGE,
        label=label,
        quantity=ask.quantity,
        unit_amount=amount,
        tax_bp=rate,
        tax_inclusive=inclusive,
        tax=tax,
        total=total,
        at=ctx.now(),
        by=_staff(ctx),
        item_id=ask.item_id or "",
        reason=ask.note,
    )
    return _committed(ctx, order, with_charge(order, charge), charge)


def _discount_rate(bands: dict[int, tuple[int, int]], tax_bp: int | None) -> int:
    """The rate a discount comes off: the one given (one the order bills at), else the
    order's only rate with something billed."""
    billed = sorted(rate for rate, (total, _) in bands.items() if total > 0)
    if not billed:
        # A free booking: no rate to name would help, so the refusal says what is wrong.
        raise InvalidInput(
            "This order bills nothing: a discount has nothing to take off.",
            code="discount_too_large",
            billed=0,
        )
    if tax_bp is not None:
        if tax_bp not in billed:
            raise InvalidInput(
                "The order bills nothing at that tax rate.",
                code="tax_rate_not_billed",
                field="tax_rate_bp",
                rates=billed,
            )
        return tax_bp
    if len(billed) != 1:
        raise InvalidInput(
            "This order bills at more than one tax rate (or none): say which one the"
            " discount comes off (tax_rate_bp).",
            code="tax_rate_needed",
            field="tax_rate_bp",
            rates=billed,
        )
    return billed[0]


def give_discount(
    ctx: PaymentsContext,
    order_id: str,
    *,
    discount_id: str,
    reason: str,
    amount: int | None = None,
    percent_bp: int | None = None,
    tax_bp: int | None = None,
    label: str = "",
) -> Order:
    """Off what the customer pays: `amount`, or `percent_bp` of what the order costs at the
    rate it comes off (what costs more later is not discounted again). `label`: what the
    folio line says (a channel's rate: "Channel rate"; else none, or the percentage's)."""
    return reread(
        lambda: _give_discount(
            ctx, order_id, discount_id, reason, amount, percent_bp, tax_bp, label
        )
    )


def _give_discount(
    ctx: PaymentsContext,
    order_id: str,
    discount_id: str,
    reason: str,
    amount: int | None,
    percent_bp: int | None,
    tax_bp: int | None,
    label: str,
) -> Order:
    order = get_order(ctx, order_id)
    if any(c.id == discount_id for c in order.charges):
        return order
    if (amount is None) == (percent_bp is None):
        raise InvalidInput(
            "A discount is an amount or a percentage: give one of them.",
            code="discount_incomplete",
        )
    check_folio_open(order)  # a closed folio says so before what it bills is looked at
    bands = band_totals(order)
    rate = _discount_rate(bands, tax_bp)
    billed, billed_tax = bands[rate]
    if percent_bp is not None:
        amount = max(1, (billed * percent_bp + 5000) // 10000)
        # Of what it was taken from: kept as its amount, a move to a dearer date left a tester's
        # "100 %" taking 12.50 of 135.00 (the percentage was of the bill then, and says so).
        label = f"{percent_bp / 100:g} % × {amount_text(billed, order.currency)}"
    priced(amount=amount or 0, quantity=1, tax_bp=rate, inclusive=True)  # its bounds
    tax, total = discount_taxed(amount or 0, rate, True, billed=billed, billed_tax=billed_tax)
    discount = Charge(
        id=discount_id,
        kind=ChargeKind.DISCOUNT,
        label=label,
        quantity=1,
        unit_amount=total,
        tax_bp=rate,
        tax_inclusive=True,
        tax=tax,
        total=total,
        at=ctx.now(),
        by=_staff(ctx),
        reason=reason,
    )
    return _committed(ctx, order, with_charge(order, discount), discount)


def void_charge(ctx: PaymentsContext, order_id: str, charge_id: str, *, reason: str) -> Order:
    return reread(lambda: _void_charge(ctx, order_id, charge_id, reason))


def _void_charge(ctx: PaymentsContext, order_id: str, charge_id: str, reason: str) -> Order:
    order = get_order(ctx, order_id)
    after = without_charge(order, charge_id, at=ctx.now(), by=_staff(ctx), reason=reason)
    if after is order:
        return order  # voided by an earlier try
    charge = next(c for c in order.charges if c.id == charge_id)
    voided = ChargeVoided(
        **order_facts(ctx, after), charge_id=charge_id, amount=charge.signed_total, reason=reason
    )
    return commit(ctx, order, after, voided)


def _committed(ctx: PaymentsContext, order: Order, after: Order, charge: Charge) -> Order:
    added = ChargeAdded(
        **order_facts(ctx, after),
        charge_id=charge.id,
        kind=charge.kind.value,
        label=charge.label,
        quantity=charge.quantity,
        amount=charge.signed_total,
        tax_rate_bp=charge.tax_bp,
    )
    return commit(ctx, order, after, added)
